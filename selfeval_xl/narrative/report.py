"""One narrative report checked: read, attributed to its 单位, its statements checked; a FileReport out."""
from __future__ import annotations

import re
from pathlib import Path
from typing import Iterable

from ..core.findings import FileReport, finding
from ..core.layout import normalize_label
from ..core.limits import DEFAULT_LIMITS, Limits
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


def check_report(path: str | Path, units: Iterable[Unit] = (), limits: Limits = DEFAULT_LIMITS,
                 skip: frozenset[str] = frozenset()) -> FileReport:
    """Check one report (.docx / .pdf / .txt), against its 单位's tables when they are among ``units``,
    in this process (batches use :func:`selfeval_xl.narrative.check_reports`, in isolated workers);
    the checks of ``skip`` are not run. Never raises: an unreadable file is an ``unreadable`` finding."""
    units = list(units)
    report = FileReport(str(path), kind="report")
    try:
        paragraphs = read_report(path, limits)
    except (ReportError, OSError) as exc:
        report.findings.append(finding("unreadable", f"报告无法读取：{exc}", file=str(path)))
        return report
    unread = _unread(paragraphs)
    if unread:
        report.findings.append(finding(unread[0], unread[1], file=str(path)))
        report.name = Path(path).stem
        return report
    unit = unit_of(paragraphs, units)
    try:
        ctx = Context(str(path), extract(paragraphs, names_of([unit] if unit else [])), unit,
                      facts_of(unit) if unit else {})
    except Exception as exc:  # noqa: BLE001 - one bad report must not stop the run
        report.findings.append(finding("check-failed", f"报告检查出错：{type(exc).__name__}: {exc}", file=str(path)))
        return report
    stated_total = ctx.first(("", "total", "score"))
    report.unit = unit.name if unit is not None else ""
    report.stated_total = stated_total.value if stated_total is not None else None
    report.name = Path(path).stem
    report.findings.extend(run_checks(ctx, skip))
    if not ctx.compared:
        report.findings.append(finding(
            "report-nothing-checked", "报告中没有读出可相互核对的数字（总分与分项、资金合计与其中各项、执行率与金额、"
            "得分与分值，或与本单位自评表的同一数字），报告未核对", file=str(path)))
    return report


_REPORT_WORDS = re.compile(r"绩效|自评|预算|决算|得分|分值|执行率")


def _unread(paragraphs: list[Paragraph]) -> tuple[str, str] | None:
    """(code, message) when the text is not a report that can be checked: no text (a scan, an empty
    file), or text without a word or figure of a 绩效自评报告. Never a clean pass for either."""
    text = "".join(p.text for p in paragraphs)
    if sum(ch.isalnum() for ch in text) < 20:
        return "report-no-text", "未能读出文字（可能是扫描件或空文件），报告未检查"
    if not _REPORT_WORDS.search(text):
        return "report-not-a-report", "未识别为绩效自评报告（没有绩效、自评、预算等字样），未检查"
    return None
