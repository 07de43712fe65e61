"""report.xlsx: a 汇总 sheet (one row per file) and a 问题清单 sheet (one row per finding), streamed.

Why XlsxWriter in constant-memory mode: hundreds of files and thousands of findings are written row by
row to disk as results arrive, so memory does not grow with the number of rows, and a row costs the
parent a fraction of what openpyxl's write-only mode does (the parent writing serially was what kept
``--jobs 2`` from scaling), without importing openpyxl and numpy. Every cell from a workbook is written
through :func:`~selfeval_xl.core.sanitize.write_xlsxwriter` (text as a string cell, control characters
replaced, the quote prefix on formula-like text), so nothing from a workbook becomes a formula.
Links are ``HYPERLINK`` formulas of ours (quotes doubled, see :func:`safe.hyperlink_formula`).
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Iterable

from ..core.findings import CATALOGUE, FileReport, Finding, Severity
from ..core.model import quote_sheet
from ..files.outputs import Replacement
from ..files.ownfiles import mark_xlsxwriter
from ..core.sanitize import write_xlsxwriter
from ..core.textwidth import lines_needed
from .safe import has_cells, hyperlink_formula
from .shown import FIGURES, NUMBER_FORMATS, PERCENT, shown_values

SUMMARY_SHEET, FINDINGS_SHEET = "汇总", "问题清单"
REPORT_KIND = "检查报告"
SUMMARY_HEADERS = ("文件", "单位", "项目 / 部门", "表类型", "填报总分", "重算总分", "等级", "错误数", "警告数",
                   "状态", "已复核指标", "未复核指标", "全年预算数（万元）", "全年执行数（万元）", "打开文件")
FINDING_HEADERS = ("文件", "工作表", "单元格", "级别", "类别", "代码", "问题说明", "应为", "实为", "位置链接")
SUMMARY_WIDTHS = (28, 20, 24, 9, 10, 10, 6, 7, 7, 8, 9, 9, 11, 11, 8)
FINDING_WIDTHS = (26, 14, 8, 6, 16, 20, 42, 12, 12, 7)
SUMMARY_STYLES = ("text", "text", "text", "center", "score", "score", "center", "count", "count", "center",
                  "count", "count", "amount", "amount")
FINDING_STYLES = ("text", "text", "text", "center", "text", "code", "text", "figure", "figure")
"""How each column's cells look: text (left, padded, wrapped in its column), centred, the code (small,
grey: the 类别 beside it says it in Chinese), a number kind (:data:`~.shown.NUMBER_FORMATS`), or a
figure whose kind its finding's code says (:data:`~.shown.FIGURES`)."""
WRAPPED = frozenset(("text", "code", "center"))
"""The styles whose text wraps in its column (a row is as tall as its longest such text needs)."""
PADDING = "_)"
"""After a number format: a blank the width of ``)`` on the right, as accountants pad figures (text
cells are indented one character on the left)."""
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
    return "有警告" if report.warnings or report.unreviewed else "通过"


class XlsxReport:
    """Stream into report.xlsx: :meth:`add` a file's findings (问题清单), :meth:`add_summary` its 汇总
    row, :meth:`close` to save (or pass every report to :meth:`close` to write the 汇总 at the end).
    The file appears whole at :meth:`close` (a temporary file replaces it), or not at all."""

    def __init__(self, path: str | Path, skipped: Iterable[str] = ()):
        from xlsxwriter import Workbook

        from .. import catalogue  # noqa: F401  (declares every code, named in Chinese in the 类别 column)

        self.path = Path(path)
        self.skipped = tuple(skipped)            # codes skipped in this run (check --skip): said in 检查说明
        self.base = os.path.dirname(os.path.abspath(self.path))
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._replacement = Replacement(self.path)
        self._wb = Workbook(str(self._replacement.temporary), {"constant_memory": True})
        self._formats: dict[tuple, Any] = {}
        self._pairs: dict[tuple[str, str | None], tuple[Any, Any]] = {}
        self._plans: dict[tuple[str, str | None], tuple[tuple[int, ...], tuple[str, ...]]] = {}
        self._summary = _Stream(SUMMARY_SHEET, SUMMARY_HEADERS, SUMMARY_WIDTHS)
        self._findings = _Stream(FINDINGS_SHEET, FINDING_HEADERS, FINDING_WIDTHS)
        for stream in (self._summary, self._findings):
            self._open(stream)
        self._last = ("", "")                   # (path, its link) of the last file linked

    def _format(self, style: str = "text", fill: str | None = None, quoted: bool = False, link: bool = False,
                header: bool = False, bold: bool = False) -> Any:
        """One cell format per combination, made once (a workbook holds few). ``style``: ``text`` (left,
        indented, wrapped), ``center``, ``code``, ``general`` or a kind of :data:`NUMBER_FORMATS` (a
        number, right, padded)."""
        key = (style, fill, quoted, link, header, bold)
        made = self._formats.get(key)
        if made is None:
            props: dict[str, Any] = {"valign": "vcenter", "align": "center", "bold": True, "text_wrap": True} \
                if header else {"valign": "top"}
            if not header and not link:
                if style in ("text", "code"):
                    props.update(text_wrap=True, indent=1)
                elif style == "right":                        # a figure shown as text (89.40%)
                    props.update(align="right", indent=1, text_wrap=True)
                elif style == "center":
                    props.update(align="center", text_wrap=True)
                else:
                    props["num_format"] = NUMBER_FORMATS.get(style, "General") + PADDING
                if style == "code":
                    props.update(font_color="#595959", font_size=9)
            if fill:
                props.update(pattern=1, bg_color="#" + FILLS[fill])
            if quoted:
                props["quote_prefix"] = True
            if link:
                props.update(font_color="#0563C1", underline=1, align="center")
            if bold:
                props["bold"] = True
            made = self._formats[key] = self._wb.add_format(props)
        return made

    def _sheet(self, title: str, headers: tuple[str, ...], widths: tuple[int, ...]):
        from .linked_sheet import LinkedSheet

        ws = self._wb.add_worksheet(title, LinkedSheet)
        ws.freeze_panes(1, 0)
        _print_setup(ws, title)
        for i, width in enumerate(widths):
            ws.set_column(i, i, width)
        ws.set_row(0, 30)                                # headers wrap onto two lines, not over each other
        header = self._format(header=True)
        for col, text in enumerate(headers):
            ws.write_string(0, col, text, header)
        return ws

    def _open(self, stream: "_Stream") -> None:
        n = len(stream.sheets) + 1
        title = stream.name if n == 1 else f"{stream.name}（{n}）"
        stream.sheets.append([self._sheet(title, stream.headers, stream.widths), 1])

    def _next_row(self, stream: "_Stream") -> tuple[Any, int]:
        """The worksheet and row for the next line of ``stream``: a sheet that is full (Excel's 1,048,576
        rows) goes on in ``问题清单（2）`` … with the same headers, never dropping a line."""
        if stream.sheets[-1][1] >= MAX_ROWS:
            self._open(stream)
        ws, row = stream.sheets[-1]
        stream.sheets[-1][1] += 1
        return ws, row

    def _row(self, ws, row: int, sheet: str, values: list, fills: dict[int, str], link: tuple[str, str] | None,
             figure: str | None = None) -> None:
        """One row: each value sanitised and styled by its column (:data:`FINDING_STYLES`; a figure by
        ``figure``, its code's kind), text wrapped in its own column and the row tall enough to show it
        (LibreOffice keeps the stored height of a row it opens); the last column the link, if any."""
        widths, styles = self._columns(sheet, figure)
        lines = max((lines_needed(value, widths[c] - 2) for c, value in enumerate(values)
                     if styles[c] in WRAPPED and isinstance(value, str)), default=1)
        ws.set_row(row, 15 * min(lines, 8) + 4)                 # a little air above and below the text
        for col, value in enumerate(values):
            style = styles[col]
            if style not in WRAPPED and not _is_number(value):
                style = "right" if isinstance(value, str) and PERCENT.match(value) else "text"
            write_xlsxwriter(ws, row, col, value, *self._plain_and_quoted(style, fills.get(col)))
        col = len(values)
        formula = hyperlink_formula(*link) if link else None
        if formula is not None:
            ws.write_formula(row, col, formula, self._format(link=True), link[1])
        else:
            write_xlsxwriter(ws, row, col, link[0] if link else None, *self._plain_and_quoted("center", None))
        _forget_row(ws, row - 1)

    def _columns(self, sheet: str, figure: str | None) -> tuple[tuple[int, ...], tuple[str, ...]]:
        """The widths and styles of a row of ``sheet`` whose figures are of the kind ``figure``, made
        once per kind (a report's rows share a handful; each file's 汇总 row asked for them anew)."""
        made = self._plans.get((sheet, figure))
        if made is None:
            widths, styles = (SUMMARY_WIDTHS, SUMMARY_STYLES) if sheet == SUMMARY_SHEET else \
                (FINDING_WIDTHS, FINDING_STYLES)
            made = self._plans[sheet, figure] = \
                (widths, tuple((figure or "general") if style == "figure" else style for style in styles))
        return made

    def _plain_and_quoted(self, style: str, fill: str | None) -> tuple[Any, Any]:
        """The formats of a cell of ``style`` and ``fill``, without and with the quote prefix (for text
        that looks like a formula): the pair :func:`write_xlsxwriter` takes, looked up once a cell."""
        made = self._pairs.get((style, fill))
        if made is None:
            made = self._pairs[style, fill] = (self._format(style, fill), self._format(style, fill, quoted=True))
        return made

    def _link(self, path: str, sheet: str = "", ref: str = "") -> str:
        """The link from the report to a file (and a cell of it), relative to the report's folder; made
        from the paths as given (no system call per file: a file's findings share the answer)."""
        target = self._relative(path)
        if sheet:
            target += "#" + quote_sheet(sheet) + (f"!{ref}" if ref else "")
        return target

    def _relative(self, path: str) -> str:
        """The report folder's way to ``path``; the last file's answer kept (its findings come together)."""
        if self._last[0] != path:
            absolute = os.path.abspath(path)
            try:
                target = os.path.relpath(absolute, self.base)
            except ValueError:         # another drive on Windows
                target = absolute
            self._last = (path, target.replace(os.sep, "/"))
        return self._last[1]

    def add(self, report: FileReport | None, findings: Iterable[Finding] | None = None) -> None:
        """Append one file's findings (or the ``findings`` given) to 问题清单 (its 汇总 row:
        :meth:`add_summary`, or :meth:`close`)."""
        for f in report.findings if findings is None else findings:
            category = CATALOGUE[f.code].title if f.code in CATALOGUE else f.code
            values = [os.path.basename(f.file), f.sheet, f.cell, SEVERITY_NAMES[f.severity], category, f.code, f.message,
                      *shown_values(f)]
            # a workbook opens at the cell; a report's paragraph is no place a link can open: the file
            link = ((self._link(f.file, f.sheet, f.cell) if has_cells(f.file) else self._link(f.file)), "打开") \
                if f.file and f.sheet else None
            self._row(*self._next_row(self._findings), FINDINGS_SHEET, values, {3: f.severity.value}, link,
                      FIGURES.get(f.code))

    def add_summary(self, report: FileReport) -> None:
        """Append the 汇总 row of one file."""
        state = status(report)
        fill = {"通过": "ok", "有警告": "warning", "已跳过": None}.get(state, "error")
        values = [os.path.basename(report.path), report.unit, report.name, KIND_NAMES.get(report.kind, report.kind),
                  report.stated_total, report.total, report.grade, report.errors, report.warnings, state,
                  report.reviewed, report.unreviewed, report.budget, report.spent]
        ws, row = self._next_row(self._summary)
        self._row(ws, row, SUMMARY_SHEET, values, {9: fill} if fill else {}, (self._link(report.path), "打开"))

    def close(self, reports: Iterable[FileReport] = ()) -> Path:
        """Write the 汇总 rows of ``reports`` (if not added one by one), the filters, and save."""
        try:
            for report in reports:
                self.add_summary(report)
            self._explain_checks()
            for stream in (self._summary, self._findings):
                for ws, rows in stream.sheets:
                    ws.autofilter(0, 0, rows - 1, len(stream.headers) - 1)
            mark_xlsxwriter(self._wb, REPORT_KIND)        # a later run may replace it; a scan skips it
            self._wb.close()
        except BaseException:
            self._replacement.discard()
            raise
        return self._replacement.commit()            # the last good report stays until this one is whole

    def _explain_checks(self) -> None:
        """The 检查说明 sheet: every code of the run explained in Chinese (English beside it), so a reader
        of the report needs no other document; the codes skipped in this run said first, not explained."""
        from ..catalogue import UNITS
        from ..checks.catalogue import entries

        ws = self._wb.add_worksheet(CHECKS_SHEET)
        ws.freeze_panes(1, 0)
        _print_setup(ws, CHECKS_SHEET)
        for i, width in enumerate(CHECKS_WIDTHS):
            ws.set_column(i, i, width)
        ws.set_row(0, 20)
        header = self._format(header=True)
        for col, text in enumerate(CHECKS_HEADERS):
            ws.write_string(0, col, text, header)
        plain, bold = self._format("text"), self._format("text", bold=True)
        row = 1
        if self.skipped:
            note = (f"本次检查跳过了以下检查项（--skip），其问题未列入本报告 / skipped in this run, their findings not "
                    f"reported: {'、'.join(self.skipped)}")
            ws.set_row(row, 15 * min(lines_needed(note, sum(CHECKS_WIDTHS) - 2), 12) + 4)
            ws.merge_range(row, 0, row, len(CHECKS_HEADERS) - 1, note, bold)    # validated codes: our text
            row += 1
        for row, e in enumerate(entries(UNITS, self.skipped), start=row):
            values = [str(v or "") for v in (e.code, e.severity, e.title, e.explain, e.bad, e.fix,
                                             f"{e.title_en}. {e.english}")]
            lines = max(lines_needed(v, w - 2) for v, w in zip(values, CHECKS_WIDTHS))
            ws.set_row(row, 15 * min(lines, 12) + 4)
            for col, value in enumerate(values):
                ws.write_string(row, col, value, bold if col == 2 else plain)


MAX_ROWS = 1_048_576
"""Rows of a worksheet (Excel's limit): a report of more findings goes on in a second 问题清单 sheet."""


@dataclass
class _Stream:
    """One list of the report (汇总, 问题清单): its headers, and each worksheet it fills with the next
    free row of that sheet (more than one only past :data:`MAX_ROWS`)."""

    name: str
    headers: tuple[str, ...]
    widths: tuple[int, ...]
    sheets: list[list[Any]] = field(default_factory=list)      # [worksheet, next free 0-based row]


REPORT_TITLE = "预算绩效自评检查报告"


def _print_setup(ws, title: str) -> None:
    """A4 landscape, the header row on every page, the report's title and the date in the page header;
    one page wide, as many long as needed (issue 13: no paper size printed on US Letter at 4 pt)."""
    from .printing import setup_print_xlsxwriter

    setup_print_xlsxwriter(ws, f"{REPORT_TITLE}：{title}", landscape=True, header_rows=(0, 0))


CHECKS_SHEET = "检查说明"
CHECKS_HEADERS = ("代码", "级别", "检查项", "说明", "错误示例", "改法", "English")
CHECKS_WIDTHS = (22, 6, 22, 40, 30, 30, 40)


def write_report(path: str | Path, reports: list[FileReport]) -> Path:
    """The whole report at once (for callers that already hold every FileReport)."""
    out = XlsxReport(path)
    for r in reports:
        out.add(r)
    return out.close(reports)


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float, Decimal)) and not isinstance(value, bool)


def _forget_row(ws, row: int) -> None:
    """Drop what XlsxWriter keeps of a row's height once the row is on disk (in constant-memory mode a
    row is written when the next one starts): its dictionaries by row are the one thing of a streamed
    sheet that grows with the number of files."""
    for kept in (getattr(ws, "row_info", None), getattr(ws, "row_sizes", None)):
        if isinstance(kept, dict):
            kept.pop(row, None)
