"""Feedback per 单位: one workbook for each 单位, its files and its findings in Chinese with what to
type instead, ready for the bureau to send back (``selfeval check … --feedback DIR``).

Why its own workbook per 单位: a bureau collects a hundred 单位's tables and must return to each only
its own problems. report.xlsx is the bureau's view (every file, codes, links into its folders); the
feedback is the department's: no codes to decode, a 怎么改 per finding (:mod:`selfeval_xl.catalogue`),
values as the table shows them, and links that work when the feedback lies beside the department's
own files (the link target is the file name, not the bureau's path). Text from the submissions goes
through :func:`~selfeval_xl.core.sanitize.write_openpyxl`, as in every report.
"""
from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

from ..catalogue import doc_of
from ..core.findings import FileReport, Finding, Severity
from ..core.model import quote_sheet
from ..files.outputs import replacing
from ..files.ownfiles import mark_openpyxl, output_kind
from ..core.textwidth import lines_needed
from ..core.sanitize import clean_text, file_name, write_openpyxl
from .printing import setup_print
from .safe import has_cells, hyperlink_formula, place
from .shown import shown_values
from .xlsx import KIND_NAMES, SEVERITY_NAMES, status

KIND = "反馈表"                               # our output property's value (ownfiles)
NO_UNIT = "未识别单位"
FEEDBACK_TAIL = "-自评检查反馈"
ISSUES, FILES = "问题与改法", "文件"
ISSUE_HEADERS = ("序号", "文件", "位置", "级别", "问题", "应为", "现为", "怎么改")
ISSUE_WIDTHS = (5, 26, 17, 6, 44, 11, 11, 36)
FILE_HEADERS = ("序号", "文件", "项目 / 部门", "表类型", "状态", "错误", "警告", "填报总分", "重算总分", "等级")
FILE_WIDTHS = (5, 40, 30, 9, 9, 6, 6, 9, 9, 6)
HEADER_ROW = 4                                # rows 1–2: title and what to do; row 4: the headers
FILLS = {Severity.ERROR: "FFC7CE", Severity.WARNING: "FFEB9C"}
_REF = re.compile(r"([A-Z]+)(\d+)")


@dataclass(frozen=True)
class Feedback:
    unit: str
    path: Path
    files: int
    findings: int


def write_feedback(reports: Iterable[FileReport], folder: str | Path, date: datetime.date | None = None
                   ) -> list[Feedback]:
    """One workbook per 单位 into ``folder`` (created), for its 自评表 and reports: files the check
    skipped (our own reports, a data table) are no one's submission. A file there that we did not
    write is never overwritten. Nothing of the bureau's folders is named: the 单位 knows only its files."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    by_unit: dict[str, list[FileReport]] = {}
    for report in reports:
        if not report.skipped:
            by_unit.setdefault(clean_text(report.unit) or NO_UNIT, []).append(report)
    done, taken = [], set()
    for unit, files in sorted(by_unit.items(), key=lambda item: (item[0] == NO_UNIT, item[0])):
        path = _free_path(folder, unit, taken)
        _write_one(path, unit, files, date or datetime.date.today())
        done.append(Feedback(unit, path, len(files), sum(len(r.findings) for r in files)))
    return done


def feedback_name(unit: str, n: int = 1) -> str:
    """The feedback file's name for a 单位 a submitter typed (:func:`file_name`): ``<单位>-自评检查反馈.xlsx``,
    the ``n``-th ``…（n）.xlsx``."""
    return file_name(unit, f"{FEEDBACK_TAIL}.xlsx" if n == 1 else f"{FEEDBACK_TAIL}（{n}）.xlsx", NO_UNIT)


def _free_path(folder: Path, unit: str, taken: set[str]) -> Path:
    """``<单位>-自评检查反馈.xlsx``, or ``…（2）.xlsx`` when a file of that name is not ours to replace or
    another 单位 of this run has it (case aside, as Windows sees names)."""
    n = 1
    while True:
        path = folder / feedback_name(unit, n)
        if path.name.casefold() not in taken and (not path.exists() or output_kind(path) == KIND):
            taken.add(path.name.casefold())
            return path
        n += 1


def _position_key(f: Finding) -> tuple:
    match = _REF.match(f.cell or "")
    row, col = (int(match.group(2)), (len(match.group(1)), match.group(1))) if match else (0, (0, ""))
    return f.severity is not Severity.ERROR, f.sheet, row, col


class _Writer:
    def __init__(self, unit: str, date: datetime.date):
        from openpyxl import Workbook
        from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

        self.wb = Workbook()
        self.unit, self.date = unit, date
        thin = Side(style="thin", color="BFBFBF")
        self.border = Border(left=thin, right=thin, top=thin, bottom=thin)
        self.header_font, self.header_fill = Font(bold=True, color="FFFFFF"), PatternFill("solid", fgColor="1F4E79")
        self.title_font, self.note_font = Font(size=16, bold=True, color="1F4E79"), Font(size=10, color="404040")
        self.link_font = Font(color="0563C1", underline="single")
        self.wrap = Alignment(vertical="top", wrap_text=True)
        self.center = Alignment(horizontal="center", vertical="top", wrap_text=True)
        self.fills = {k: PatternFill("solid", fgColor=v) for k, v in FILLS.items()}

    @property
    def title(self) -> str:
        return f"预算绩效自评检查反馈：{self.unit}"

    def sheet(self, name: str, note: str, headers: tuple[str, ...], widths: tuple[int, ...]):
        from openpyxl.utils import get_column_letter

        ws = self.wb.create_sheet(name) if self.wb.worksheets[0].title != "Sheet" else self.wb.worksheets[0]
        ws.title = name
        write_openpyxl(ws["A1"], self.title)              # the 单位 name, as a submitter typed it
        write_openpyxl(ws["A2"], note)
        ws["A1"].font, ws["A2"].font, ws["A2"].alignment = self.title_font, self.note_font, self.wrap
        ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=len(headers))
        ws.row_dimensions[2].height = 30
        for i, (header, width) in enumerate(zip(headers, widths), start=1):
            cell = ws.cell(HEADER_ROW, i, header)
            cell.font, cell.fill, cell.alignment, cell.border = self.header_font, self.header_fill, self.center, \
                self.border
            ws.column_dimensions[get_column_letter(i)].width = width
        ws.freeze_panes = ws.cell(HEADER_ROW + 1, 1)
        setup_print(ws, self.title, landscape=True, header_rows=f"{HEADER_ROW}:{HEADER_ROW}", date=self.date)
        return ws

    def row(self, ws, at: int, values: Iterable[Any], widths: tuple[int, ...], fill: Severity | None = None,
            fill_column: int | None = None) -> None:
        """Write a row; wrapped text makes the row taller (LibreOffice does not size rows it opens)."""
        lines = 1
        for i, value in enumerate(values, start=1):
            if isinstance(value, tuple):                     # (link formula, label) from _link
                cell = ws.cell(at, i, value[0])
                cell.font = self.link_font
            else:
                cell = ws.cell(at, i)
                write_openpyxl(cell, value)
                if isinstance(value, str):
                    lines = max(lines, lines_needed(value, widths[i - 1] - 1))
            cell.border = self.border
            cell.alignment = self.wrap if isinstance(value, str) and len(value) > 6 else self.center
        if fill is not None and fill_column:
            ws.cell(at, fill_column).fill = self.fills[fill]
        if lines > 1:
            ws.row_dimensions[at].height = 15 * min(lines, 10)


def _link(f: Finding) -> Any:
    """A link to the finding's cell in the department's own workbook (beside the feedback), or the
    place as text: a paragraph of a report, where no link can open."""
    if not has_cells(f.file):
        return place(f.sheet, f.cell) if f.sheet or f.cell else "—"
    position = f"{quote_sheet(f.sheet)}!{f.cell}" if f.sheet and f.cell else quote_sheet(f.sheet) if f.sheet else ""
    if not position:
        return "—"
    formula = hyperlink_formula(f"{Path(f.file).name}#{position}", position)
    return (formula, position) if formula else position


def _write_one(path: Path, unit: str, files: list[FileReport], date: datetime.date) -> None:
    w = _Writer(unit, date)
    findings = [f for r in files for f in sorted(r.findings, key=_position_key)]
    errors = sum(f.severity is Severity.ERROR for f in findings)
    to_fix = sum(1 for r in files if r.findings)
    note = (f"检查日期 {date.isoformat()}。共 {len(files)} 个文件，{to_fix} 个需要修改（错误 {errors} 个、警告 "
            f"{len(findings) - errors} 个）。请按“怎么改”逐条修改后重新提交；错误必须改正，警告请核实。"
            "把本表与自评表放在同一文件夹，点击“位置”可直接跳到该单元格（报告中的问题按段落列出）。")
    ws = w.sheet(ISSUES, note, ISSUE_HEADERS, ISSUE_WIDTHS)
    at = HEADER_ROW + 1
    for n, f in enumerate(findings, start=1):
        expected, found = shown_values(f)
        w.row(ws, at, (n, Path(f.file).name, _link(f), SEVERITY_NAMES[f.severity], f.message, expected, found,
                       doc_of(f.code).fix), ISSUE_WIDTHS, f.severity, 4)
        at += 1
    if not findings:
        ws.cell(at, 1, "未发现问题，无需修改。")
    ws.auto_filter.ref = f"A{HEADER_ROW}:H{max(at - 1, HEADER_ROW)}"
    files_ws = w.sheet(FILES, f"本单位提交的 {len(files)} 个文件及检查结果（总分为按规则重算的得分）。",
                       FILE_HEADERS, FILE_WIDTHS)
    for n, r in enumerate(files, start=1):
        state = status(r)
        severity = Severity.ERROR if r.errors else Severity.WARNING if r.warnings else None
        w.row(files_ws, HEADER_ROW + n, (n, Path(r.path).name, r.name or "—", KIND_NAMES.get(r.kind, "—"), state,
                                        r.errors, r.warnings, r.stated_total, r.total, r.grade or "—"),
              FILE_WIDTHS, severity, 5)
    w.wb.properties.creator = "selfeval-xl"
    w.wb.properties.title = clean_text(w.title)
    mark_openpyxl(w.wb, KIND)
    with replacing(path) as temporary:                 # whole or not at all, the old file's mode kept
        w.wb.save(temporary)
