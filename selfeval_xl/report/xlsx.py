"""report.xlsx: a 汇总 sheet (one row per file) and a 问题清单 sheet (one row per finding), streamed.

Why write-only openpyxl: hundreds of files and thousands of findings are written row by row to disk as
results arrive; memory does not grow with the number of rows. Every cell is written through
:func:`~selfeval_xl.sanitize.write_openpyxl` (text as a string cell, control characters replaced), so
nothing from a workbook becomes a formula.
Links are ``HYPERLINK`` formulas of ours (quotes doubled, see :func:`safe.hyperlink_formula`): openpyxl
keeps every cell hyperlink object in memory until the file is saved, a formula costs nothing.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Iterable

from ..findings import FileReport, Finding, Severity
from ..model import quote_sheet
from ..outputs import replacing
from ..ownfiles import mark_openpyxl
from ..sanitize import write_openpyxl
from ..textwidth import lines_needed
from .safe import hyperlink_formula
from .shown import shown_values

SUMMARY_SHEET, FINDINGS_SHEET = "汇总", "问题清单"
REPORT_KIND = "检查报告"
SUMMARY_HEADERS = ("文件", "单位", "项目 / 部门", "表类型", "填报总分", "重算总分", "等级", "错误数", "警告数",
                   "状态", "全年预算数（万元）", "全年执行数（万元）", "打开文件")
FINDING_HEADERS = ("文件", "工作表", "单元格", "级别", "代码", "问题说明", "应为", "实为", "位置链接")
SUMMARY_WIDTHS = (30, 20, 26, 9, 9, 9, 6, 7, 7, 8, 12, 12, 8)
FINDING_WIDTHS = (30, 18, 8, 6, 22, 48, 11, 11, 7)
KIND_NAMES = {"project": "项目支出", "department": "部门整体"}
SEVERITY_NAMES = {Severity.ERROR: "错误", Severity.WARNING: "警告"}
FILLS = {"error": "FFC7CE", "warning": "FFEB9C", "ok": "C6EFCE"}


def status(report: FileReport) -> str:
    """What a reviewer reads in the 状态 column."""
    if report.skipped:
        return "已跳过"
    if any(f.code == "unreadable" for f in report.findings):
        return "无法读取"
    if report.errors:
        return "有错误"
    return "有警告" if report.warnings else "通过"


class XlsxReport:
    """Stream into report.xlsx: :meth:`add` a file's findings (问题清单), :meth:`add_summary` its 汇总
    row, :meth:`close` to save (or pass every report to :meth:`close` to write the 汇总 at the end)."""

    def __init__(self, path: str | Path):
        from openpyxl import Workbook
        from openpyxl.styles import Font, PatternFill

        self.path = Path(path)
        self.base = self.path.resolve().parent
        self._wb = Workbook(write_only=True)
        self._fills = {k: PatternFill("solid", fgColor=v) for k, v in FILLS.items()}
        self._bold = Font(bold=True)
        self._link_font = Font(color="0563C1", underline="single")
        self._summary = self._sheet(SUMMARY_SHEET, SUMMARY_HEADERS, SUMMARY_WIDTHS)
        self._findings = self._sheet(FINDINGS_SHEET, FINDING_HEADERS, FINDING_WIDTHS)
        self._finding_rows = self._summary_rows = 1

    def _sheet(self, title: str, headers: tuple[str, ...], widths: tuple[int, ...]):
        from openpyxl.utils import get_column_letter

        ws = self._wb.create_sheet(title)
        ws.freeze_panes = "A2"
        _print_setup(ws, title)
        ws.row_dimensions[1].height = 30                 # headers wrap onto two lines, not over each other
        for i, width in enumerate(widths, 1):
            ws.column_dimensions[get_column_letter(i)].width = width
        ws.append(_header_cells([self._cell(ws, h, bold=True) for h in headers]))
        return ws

    def _cell(self, ws, value: Any, bold: bool = False, fill: str | None = None):
        from openpyxl.cell import WriteOnlyCell

        cell = WriteOnlyCell(ws)
        write_openpyxl(cell, value)
        if bold:
            cell.font = self._bold
        if fill:
            cell.fill = self._fills[fill]
        return cell

    def _link_cell(self, ws, target: str, label: str):
        from openpyxl.cell import WriteOnlyCell

        formula = hyperlink_formula(target, label)
        if formula is None:
            return self._cell(ws, target)
        cell = WriteOnlyCell(ws, value=formula)
        cell.font = self._link_font
        return cell

    def _link(self, path: str, sheet: str = "", ref: str = "") -> str:
        try:
            target = os.path.relpath(Path(path).resolve(), self.base)
        except ValueError:         # another drive on Windows
            target = str(Path(path).resolve())
        target = target.replace(os.sep, "/")
        if sheet:
            target += "#" + quote_sheet(sheet) + (f"!{ref}" if ref else "")
        return target

    def add(self, report: FileReport | None, findings: Iterable[Finding] | None = None) -> None:
        """Append one file's findings (or the ``findings`` given) to 问题清单 (its 汇总 row:
        :meth:`add_summary`, or :meth:`close`)."""
        ws = self._findings
        for f in report.findings if findings is None else findings:
            fill = f.severity.value
            ws.append(_wrapped(ws, FINDINGS_SHEET, self._finding_rows + 1, [
                       self._cell(ws, Path(f.file).name), self._cell(ws, f.sheet), self._cell(ws, f.cell),
                       self._cell(ws, SEVERITY_NAMES[f.severity], fill=fill), self._cell(ws, f.code),
                       self._cell(ws, f.message), *(self._cell(ws, v) for v in shown_values(f)),
                       self._link_cell(ws, self._link(f.file, f.sheet, f.cell), "打开") if f.file and f.sheet
                       else self._cell(ws, None)]))
            self._finding_rows += 1

    def add_summary(self, report: FileReport) -> None:
        """Append the 汇总 row of one file."""
        ws = self._summary
        state = status(report)
        fill = {"通过": "ok", "有警告": "warning"}.get(state, "error")
        ws.append(_wrapped(ws, SUMMARY_SHEET, self._summary_rows + 1, [self._cell(ws, Path(report.path).name),
                   self._cell(ws, report.unit), self._cell(ws, report.name),
                   self._cell(ws, KIND_NAMES.get(report.kind, report.kind)), self._cell(ws, report.stated_total),
                   self._cell(ws, report.total), self._cell(ws, report.grade), self._cell(ws, report.errors),
                   self._cell(ws, report.warnings), self._cell(ws, state, fill=fill),
                   self._cell(ws, report.budget), self._cell(ws, report.spent),
                   self._link_cell(ws, self._link(report.path), "打开")]))
        self._summary_rows += 1

    def close(self, reports: Iterable[FileReport] = ()) -> Path:
        """Write the 汇总 rows of ``reports`` (if not added one by one), the filters, and save."""
        from openpyxl.utils import get_column_letter

        for report in reports:
            self.add_summary(report)
        _explain_checks(self._wb)
        self._summary.auto_filter.ref = f"A1:{get_column_letter(len(SUMMARY_HEADERS))}{self._summary_rows}"
        self._findings.auto_filter.ref = f"A1:{get_column_letter(len(FINDING_HEADERS))}{self._finding_rows}"
        self.path.parent.mkdir(parents=True, exist_ok=True)
        mark_openpyxl(self._wb, REPORT_KIND)          # a later run may replace it; a scan skips it
        with replacing(self.path) as temporary:      # the last good report stays until this one is whole
            self._wb.save(temporary)
        return self.path


REPORT_TITLE = "预算绩效自评检查报告"
WRAPPED = {FINDINGS_SHEET: (1, 6), SUMMARY_SHEET: (1, 3)}
"""Columns (1-based) whose long text wraps on paper instead of widening the page: file, message, name."""


def _print_setup(ws, title: str) -> None:
    """A4 landscape, the header row on every page, the report's title and the date in the page header;
    one page wide, as many long as needed (issue 13: no paper size printed on US Letter at 4 pt)."""
    from .printing import setup_print

    setup_print(ws, f"{REPORT_TITLE}：{title}", landscape=True, header_rows="1:1")


CHECKS_SHEET = "检查说明"
CHECKS_HEADERS = ("代码", "级别", "检查项", "说明", "错误示例", "改法", "English")
CHECKS_WIDTHS = (22, 6, 22, 40, 30, 30, 40)


def _explain_checks(wb) -> None:
    """The 检查说明 sheet: every code of 问题清单 explained in Chinese (English beside it), so a reader
    of the report needs no other document."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    from ..checks.catalogue import entries

    ws = wb.create_sheet(CHECKS_SHEET)
    ws.freeze_panes = "A2"
    _print_setup(ws, CHECKS_SHEET)
    for i, width in enumerate(CHECKS_WIDTHS, 1):
        ws.column_dimensions[get_column_letter(i)].width = width
    bold, wrap = Font(bold=True), Alignment(wrap_text=True, vertical="top")
    ws.row_dimensions[1].height = 20
    ws.append(_header_cells([WriteOnlyCell(ws, value=h) for h in CHECKS_HEADERS]))
    for row, e in enumerate(entries(), start=2):
        values = (e.code, e.severity, e.title, e.explain, e.bad, e.fix, e.english)
        cells = []
        for value in values:
            cell = WriteOnlyCell(ws, value=value)
            cell.data_type, cell.alignment = "s", wrap
            cells.append(cell)
        cells[2].font = bold
        lines = max(lines_needed(v, w - 1) for v, w in zip(values, CHECKS_WIDTHS))
        ws.row_dimensions[row].height = 15 * min(lines, 12)
        ws.append(cells)


def _wrapped(ws, sheet: str, row: int, cells: list) -> list:
    """The row with its long-text columns (:data:`WRAPPED`) set to wrap, and tall enough to show them
    (LibreOffice keeps the stored height of a row it opens)."""
    from openpyxl.styles import Alignment

    widths = SUMMARY_WIDTHS if sheet == SUMMARY_SHEET else FINDING_WIDTHS
    lines = 1
    top = Alignment(vertical="top")
    for cell in cells:
        cell.alignment = top
    for column in WRAPPED[sheet]:
        cell = cells[column - 1]
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if isinstance(cell.value, str):
            lines = max(lines, lines_needed(cell.value, widths[column - 1] - 1))
    if lines > 1:
        ws.row_dimensions[row].height = 15 * min(lines, 8)
    return cells


def _header_cells(cells: list) -> list:
    from openpyxl.styles import Alignment, Font

    for cell in cells:
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        cell.font = Font(bold=True)
    return cells


def write_report(path: str | Path, reports: list[FileReport]) -> Path:
    """The whole report at once (for callers that already hold every FileReport)."""
    out = XlsxReport(path)
    for r in reports:
        out.add(r)
    return out.close(reports)
