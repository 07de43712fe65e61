"""One narrative report checked: read, attributed to its 单位, its statements checked; a FileReport out."""
from __future__ import annotations

from pathlib import Path
from typing import Iterable

from ..findings import FileReport, finding
from ..layout import normalize_label
from .checks import Context, run_checks
from .facts import facts_of, names_of
from .statements import extract
from .text import Paragraph, ReportError, read_report
from .units import Unit


def unit_of(paragraphs: list[Paragraph], units: list[Unit]) -> Unit | None:
    """The 单位 a report is of: the one whose name (any of its names) it gives first, the longest name
    winning where one contains another. None when it names none of them."""
    for p in paragraphs:
        text = normalize_label(p.text)
        hits = [(len(name), u) for u in units for name in {u.key, *u.names} if name and name in text]
        if hits:
            return max(hits, key=lambda h: h[0])[1]
    return None


def check_report(path: str | Path, units: Iterable[Unit] = ()) -> FileReport:
    """Check one report (.docx / .pdf / .txt), against its 单位's tables when they are among ``units``.
    Never raises: an unreadable file is an ``unreadable`` finding."""
    units = list(units)
    report = FileReport(str(path), kind="report")
    try:
        paragraphs = read_report(path)
    except (ReportError, OSError) as exc:
        report.findings.append(finding("unreadable", f"报告无法读取：{exc}", file=str(path)))
        return report
    unit = unit_of(paragraphs, units)
    scope_units = [unit] if unit else []
    ctx = Context(str(path), extract(paragraphs, names_of(scope_units)), unit,
                  facts_of(unit) if unit else {})
    if unit is not None:
        report.unit = unit.name
        if unit.department is not None:
            report.stated_total = ctx.first(("", "total", "score")).value if ctx.first(("", "total", "score")) else None
    report.name = Path(path).stem
    report.findings.extend(run_checks(ctx))
    return report
