"""The short summary printed after a check run: counts, the commonest problems, the worst files."""
from __future__ import annotations

from collections import Counter
from pathlib import Path

from ..findings import CATALOGUE, Report
from .xlsx import status

TOP_CODES = 10
TOP_FILES = 15


def _table(headers: tuple[str, ...], rows: list[tuple]) -> list[str]:
    def width(text: str) -> int:
        return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)

    cols = [max([width(str(h))] + [width(str(r[i])) for r in rows]) for i, h in enumerate(headers)]

    def line(values) -> str:
        return "  ".join(str(v) + " " * (cols[i] - width(str(v))) for i, v in enumerate(values)).rstrip()
    return [line(headers), line("-" * c for c in cols)] + [line(r) for r in rows]


def summary(report: Report) -> str:
    """A few lines for the console (Chinese, aligned for CJK widths)."""
    states = Counter(status(r) for r in report.files)
    lines = [f"检查了 {len(report.files)} 个文件：通过 {states['通过']}，有警告 {states['有警告']}，"
             f"有错误 {states['有错误']}，无法读取 {states['无法读取']}；共 {report.errors} 个错误、"
             f"{report.warnings} 个警告。"]
    codes = Counter(f.code for f in report.findings)
    if codes:
        lines += ["", *_table(("代码", "级别", "次数", "说明"),
                              [(c, "错误" if CATALOGUE[c].severity.value == "error" else "警告", n, CATALOGUE[c].title)
                               for c, n in codes.most_common(TOP_CODES)])]
    worst = sorted((r for r in report.files if r.errors or r.warnings), key=lambda r: (-r.errors, -r.warnings))
    if worst:
        lines += ["", *_table(("文件", "错误", "警告", "总分(填报/重算)"),
                              [(Path(r.path).name, r.errors, r.warnings,
                                f"{'' if r.stated_total is None else r.stated_total}/{'' if r.total is None else r.total}")
                               for r in worst[:TOP_FILES]])]
        if len(worst) > TOP_FILES:
            lines.append(f"…… 另有 {len(worst) - TOP_FILES} 个文件有问题，详见报告。")
    return "\n".join(lines)
