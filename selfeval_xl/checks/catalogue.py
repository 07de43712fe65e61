"""Every finding code with its documentation, Chinese first: for ``check --list-checks``, the 检查说明
sheet of report.xlsx and the generated ``docs/checks.md`` (one source: :mod:`selfeval_xl.core.checkdocs`
for the Chinese, each check's docstring for the English).

Regenerate the Markdown with ``python -m selfeval_xl.checks.catalogue docs/checks.md``.
"""
from __future__ import annotations

import sys
from dataclasses import dataclass

from ..core.checkdocs import doc_of
from ..core.findings import CATALOGUE, Severity
from .base import CHECKS

SEVERITY_TEXT = {Severity.ERROR: "错误", Severity.WARNING: "警告"}


@dataclass(frozen=True)
class Entry:
    code: str
    severity: str          # 错误 / 警告
    title: str
    explain: str
    bad: str
    fix: str
    english: str


def entries() -> list[Entry]:
    """The reader's codes first (a file that cannot be read at all), then the checks in the order they
    run, then the 指标质量 rules over several files (across 单位, year over year)."""
    from ..quality.across import RULES

    checks = {c.code: c.doc for c in CHECKS}
    english = {**checks, **{code: (fn.__doc__ or "").strip() for code, fn in RULES.items()}}
    codes = [c for c in CATALOGUE if c not in english] + list(dict.fromkeys(c.code for c in CHECKS)) + list(RULES)
    out = []
    for code in codes:
        entry, doc = CATALOGUE[code], doc_of(code)
        out.append(Entry(code, SEVERITY_TEXT[entry.severity], entry.title, doc.explain, doc.bad, doc.fix,
                         " ".join(line.strip() for line in (english.get(code) or doc.english).splitlines())
                         .replace("``", "")))
    return out


def text() -> str:
    """What ``selfeval check --list-checks`` prints."""
    blocks = []
    for e in entries():
        blocks.append(f"{e.code}  [{e.severity}]  {e.title}\n    说明：{e.explain}\n    错误示例：{e.bad}\n"
                      f"    改法：{e.fix}\n    English: {e.english}")
    return "\n\n".join(blocks) + "\n"


def markdown() -> str:
    """``docs/checks.md``: one section per code."""
    lines = ["# 检查项说明 / The checks", "",
             "由 `python -m selfeval_xl.checks.catalogue docs/checks.md` 生成，请勿手工修改。"
             "命令行：`selfeval check --list-checks`；report.xlsx 的“检查说明”工作表内容相同。", "",
             "| 代码 | 级别 | 检查项 |", "|---|---|---|"]
    lines += [f"| [`{e.code}`](#{e.code}) | {e.severity} | {e.title} |" for e in entries()]
    for e in entries():
        lines += ["", f"## {e.code}", "", f"**{e.title}**（{e.severity}）", "", f"- 说明：{e.explain}",
                  f"- 错误示例：{e.bad}", f"- 改法：{e.fix}", "", f"English: {e.english}"]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    from pathlib import Path

    Path(sys.argv[1]).write_text(markdown(), encoding="utf-8")
