"""Check units documented, Chinese first: the words of ``check --list-checks``, the 检查说明 sheet of
report.xlsx and ``docs/checks.md``, each unit's from the YAML beside its module and its English from
its docstring. Which units, in which order, is :data:`selfeval_xl.catalogue.UNITS` (the registry's
table side and the report checks): it passes them here.
"""
from __future__ import annotations

from dataclasses import dataclass

from typing import Iterable

from ..core.findings import Severity
from .base import Check

SEVERITY_TEXT = {Severity.ERROR: "错误", Severity.WARNING: "警告"}
MISSING = "（暂无说明 / not documented）"


@dataclass(frozen=True)
class Entry:
    code: str
    severity: str          # 错误 / 警告
    title: str
    title_en: str
    explain: str
    bad: str
    fix: str
    english: str


def entry(unit: Check) -> Entry:
    text = unit.text
    return Entry(unit.code, SEVERITY_TEXT[unit.severity], unit.title, text.get("title_en", MISSING),
                 text.get("explain", MISSING), text.get("bad", MISSING), text.get("fix", MISSING),
                 " ".join(line.strip() for line in unit.doc.splitlines()).replace("``", ""))


def entries(units: Iterable[Check], skipped: Iterable[str] = ()) -> list[Entry]:
    """The documentation of ``units`` (those ``skipped`` in this run left out)."""
    skipped = set(skipped)
    return [entry(u) for u in units if u.code not in skipped]


def text(units: Iterable[Check]) -> str:
    """What ``selfeval check --list-checks`` prints."""
    blocks = []
    for e in entries(units):
        blocks.append(f"{e.code}  [{e.severity}]  {e.title} / {e.title_en}\n    说明：{e.explain}\n"
                      f"    错误示例：{e.bad}\n    改法：{e.fix}\n    English: {e.english}")
    return "\n\n".join(blocks) + "\n"


def markdown(units: Iterable[Check]) -> str:
    """``docs/checks.md``: one section per code."""
    units = list(units)
    lines = ["# 检查项说明 / The checks", "",
             "由 `python -m selfeval_xl.catalogue docs/checks.md` 生成，请勿手工修改。"
             "命令行：`selfeval check --list-checks`；report.xlsx 的“检查说明”工作表内容相同。"
             "不需要的检查可用 `selfeval check --skip 代码` 跳过，或在指标体系 YAML 中用 `severity:` 改级别、关闭。", "",
             "| 代码 | 级别 | 检查项 | Check |", "|---|---|---|---|"]
    lines += [f"| [`{e.code}`](#{e.code}) | {e.severity} | {e.title} | {e.title_en} |" for e in entries(units)]
    for e in entries(units):
        lines += ["", f"## {e.code}", "", f"**{e.title}**（{e.severity}）— {e.title_en}", "", f"- 说明：{e.explain}",
                  f"- 错误示例：{e.bad}", f"- 改法：{e.fix}", "", f"English: {e.english}"]
    return "\n".join(lines) + "\n"
