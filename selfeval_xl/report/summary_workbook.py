"""summary.xlsx: the picture across 单位 that a finance bureau looks at before it reads anything.

(Not ``report/summary.py``: that name would shadow the console ``summary`` function the package exports.)

Sheets: 概览 (key figures and three native charts), 汇总 (one row per workbook), 按单位 (totals per 单位),
等级分布, 执行率排序 (the projects by 执行率, the chart's data), 上年对比 (with ``--previous``: one row
per year-over-year finding), then one sheet per 单位. Every figure is
a value computed here (totals with the engine's rules), so the file reads the same in Excel, WPS,
LibreOffice and value-only readers; every cell, titles and sheet names included, goes through
:mod:`selfeval_xl.core.sanitize` (a 单位 named ``=HYPERLINK(…)`` is text, not a link).
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable

from ..core.findings import CATALOGUE, FileReport, Severity
from ..core.model import quote_sheet
from ..checks.quality.yoy import YEAR_OVER_YEAR
from ..core.rules import DEFAULT_SETTINGS, RuleError, exec_rate, xl_round
from ..files.outputs import replacing
from ..files.ownfiles import mark_openpyxl
from ..core.sanitize import clean_text, url_text, write_openpyxl
from ..core.textwidth import lines_needed
from .shown import NUMBER_FORMATS
from .xlsx import KIND_NAMES, status

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

OVERVIEW, ROWS, UNITS, GRADES, RATES, YEARS = "概览", "汇总", "按单位", "等级分布", "执行率排序", "上年对比"
FIXED_SHEETS = (OVERVIEW, ROWS, UNITS, GRADES, RATES)
OUR_SHEETS = (*FIXED_SHEETS, YEARS)
"""Every sheet name of ours (上年对比 only with ``--previous``): a 单位's own sheet takes another name."""
SUMMARY_KIND = "汇总表"
NO_UNIT = "（未填单位）"
TONES = ("优", "良", "中", "差")
"""Colour tones from best to worst; a grade takes the tone of its place in its own system's list."""
GRADE_COLORS = {"优": "C6EFCE", "良": "DDEBF7", "中": "FFEB9C", "差": "FFC7CE"}
GRADE_FONTS = {"优": "006100", "良": "1F4E79", "中": "9C5700", "差": "9C0006"}
CHART_GRADE_COLORS = {"优": "70AD47", "良": "5B9BD5", "中": "FFC000", "差": "E0474C"}
HEADER_FILL, TITLE_COLOR, LOW_RATE_FILL = "1F4E79", "1F4E79", "FCE4D6"
MAX_CHART_PROJECTS = 40
"""The 执行率 chart shows at most this many projects (the lowest rates first: those need a look)."""
PROBLEMS_SHOWN = 3

ROW_HEADERS = ("序号", "单位", "表类型", "项目 / 部门", "全年预算数（万元）", "全年执行数（万元）", "执行率", "总分",
               "填报总分", "等级", "错误", "警告", "未复核指标", "主要问题", "文件")
ROW_WIDTHS = (5, 18, 9, 24, 12, 12, 9, 8, 8, 6, 6, 6, 7, 38, 28)
UNIT_HEADERS = ("单位", "项目数", "项目预算合计（万元）", "项目执行合计（万元）", "执行率", "项目平均分",
                "部门整体得分", "部门整体等级")     # then one column per grade, then the problem counts
UNIT_WIDTHS = (26, 8, 16, 16, 10, 11, 12, 12)
YEAR_HEADERS = ("序号", "单位", "项目 / 部门", "指标", "变化", "上年", "今年", "说明", "单元格", "文件")
YEAR_WIDTHS = (5, 16, 20, 16, 14, 16, 16, 48, 16, 28)


@dataclass(frozen=True)
class GradeStep:
    """One grade as the summary shows it: its name, score band and colour tone (from its system)."""

    name: str
    floor: float
    upper: float
    tone: str


def _formula_text(text: str) -> str:
    """A grade name as a string constant in a conditional-format formula."""
    return '"' + text.replace('"', '""') + '"'


def grade_scale(lists: Iterable[tuple]) -> tuple[GradeStep, ...]:
    """Every grade of the systems the tables were graded by, best first: each system's list gives its
    own bands and tones (its best grade green, its worst red), so a 合格 / 不合格 system is coloured by
    its own order, not by the national 优良中差. A name two systems share keeps its first meaning."""
    steps: dict[str, tuple[float, GradeStep]] = {}
    for grades in lists:
        ordered = sorted(grades or DEFAULT_SETTINGS.grades, key=lambda g: -g[0])
        upper = 100.0
        for i, (floor, name) in enumerate(ordered):
            place = i / (len(ordered) - 1) if len(ordered) > 1 else 0.0
            tone = TONES[round(place * (len(TONES) - 1))]
            steps.setdefault(name, (place, GradeStep(name, float(floor), upper, tone)))
            upper = float(floor)
    return tuple(step for _, step in sorted(steps.values(), key=lambda p: p[0]))


# --------------------------------------------------------------------------- the numbers

@dataclass(frozen=True)
class SummaryRow:
    """One workbook as the summary shows it (amounts in 万元, rate a fraction, total recomputed)."""

    unit: str
    kind: str
    name: str
    budget: Decimal | None
    spent: Decimal | None
    rate: float | None
    total: Decimal | None
    stated_total: Any
    grade: str
    errors: int
    warnings: int
    problems: str
    unreviewed: int
    file: str
    status: str
    duplicate: bool = False      # a second copy of a project another file gave: listed, summed once
    grades: tuple = ()

    @classmethod
    def of(cls, report: FileReport) -> "SummaryRow":
        unit = report.unit or (NO_UNIT if report.kind else "")     # no table read: not a 单位 at all
        return cls(unit, report.kind, report.name or Path(report.path).stem, report.budget,
                   report.spent, _rate(report.budget, report.spent), report.total, report.stated_total,
                   report.grade, report.errors, report.warnings, _problems(report), report.unreviewed,
                   report.path, status(report),
                   any(f.code == "duplicate-submission" for f in report.findings),
                   tuple(report.grades))

    @property
    def stated_differs(self) -> bool:
        try:
            return self.stated_total is not None and self.total is not None and \
                xl_round(float(self.stated_total)) != self.total
        except (TypeError, ValueError, RuleError):
            return True


def _rate(budget: Decimal | None, spent: Decimal | None) -> float | None:
    try:
        return exec_rate(budget, spent)
    except RuleError:
        return None


def _problems(report: FileReport) -> str:
    """The first few messages, errors first, without repeats: what a reviewer reads in one line."""
    ordered = sorted(report.findings, key=lambda f: f.severity is not Severity.ERROR)
    messages = list(dict.fromkeys(f.message for f in ordered))
    text = "；".join(messages[:PROBLEMS_SHOWN])
    return text + (f"；等共 {len(messages)} 项" if len(messages) > PROBLEMS_SHOWN else "")


def _mean(values: list[Decimal]) -> Decimal | None:
    return xl_round(sum(values, Decimal(0)) / len(values)) if values else None


@dataclass
class UnitTotals:
    unit: str
    rows: list[SummaryRow] = field(default_factory=list)

    @property
    def projects(self) -> list[SummaryRow]:
        return [r for r in self.rows if r.kind == "project" and not r.duplicate]

    @property
    def department(self) -> SummaryRow | None:
        return next((r for r in self.rows if r.kind == "department"), None)

    def _sum(self, key: str) -> Decimal | None:
        values = [getattr(r, key) for r in self.projects if getattr(r, key) is not None]
        return sum(values, Decimal(0)) if values else None

    @property
    def budget(self) -> Decimal | None:
        return self._sum("budget")

    @property
    def spent(self) -> Decimal | None:
        return self._sum("spent")

    @property
    def rate(self) -> float | None:
        return _rate(self.budget, self.spent)

    @property
    def mean_score(self) -> Decimal | None:
        return _mean([r.total for r in self.projects if r.total is not None])

    @property
    def grades(self) -> Counter:
        return Counter(r.grade for r in self.projects if r.grade)


@dataclass
class Summary:
    """Everything the workbook shows, computed once from the reports."""

    rows: list[SummaryRow]
    units: list[UnitTotals]

    @classmethod
    def of(cls, reports: Iterable[FileReport]) -> "Summary":
        rows = sorted((SummaryRow.of(r) for r in reports),
                      key=lambda r: (r.unit == NO_UNIT, r.unit, r.kind != "project", r.name))
        units: dict[str, UnitTotals] = {}
        for row in (r for r in rows if r.kind):                # unreadable or not a 自评表: listed, no 单位
            units.setdefault(row.unit, UnitTotals(row.unit)).rows.append(row)
        return cls(rows, list(units.values()))

    @property
    def projects(self) -> list[SummaryRow]:
        return [r for r in self.rows if r.kind == "project" and not r.duplicate]

    def grade_counts(self, kind: str) -> Counter:
        return Counter(r.grade for r in self.rows if r.kind == kind and r.grade and not r.duplicate)

    @property
    def scale(self) -> tuple[GradeStep, ...]:
        """The grades to count and colour: those of every system a table was graded by."""
        return grade_scale([r.grades for r in self.rows] or [DEFAULT_SETTINGS.grades])


# --------------------------------------------------------------------------- sheet names

_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")


def safe_sheet_name(name: str, taken: set[str]) -> str:
    """A worksheet name Excel accepts: no ``[]:*?/\\``, ≤31 characters, no leading or trailing
    apostrophe, not ``History``, unique among ``taken`` (compared case-insensitively, as Excel does)."""
    base = _SHEET_BAD.sub("_", clean_text(name)).strip().strip("'") or "Sheet"
    if base.casefold() == "history":
        base += "_"
    candidate, n = base[:31], 1
    while candidate.casefold() in {t.casefold() for t in taken}:
        n += 1
        suffix = f"({n})"
        candidate = base[:31 - len(suffix)] + suffix
    taken.add(candidate)
    return candidate


# --------------------------------------------------------------------------- writing

class _Styles:
    def __init__(self, scale: tuple[GradeStep, ...] = ()) -> None:
        from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

        thin = Side(style="thin", color="BFBFBF")
        self.border = Border(left=thin, right=thin, top=thin, bottom=thin)
        self.header_font = Font(bold=True, color="FFFFFF")
        self.header_fill = PatternFill("solid", fgColor=HEADER_FILL)
        self.title_font = Font(size=18, bold=True, color=TITLE_COLOR)
        self.subtitle_font = Font(size=11, color="595959")
        self.bold = Font(bold=True)
        self.total_fill = PatternFill("solid", fgColor="F2F2F2")
        self.center = Alignment(horizontal="center", vertical="center", wrap_text=True)
        self.wrap = Alignment(vertical="center", wrap_text=True)
        self.left = Alignment(vertical="center")
        self.shrink = Alignment(vertical="center", shrink_to_fit=True)
        self.fills = {k: PatternFill("solid", fgColor=v) for k, v in GRADE_COLORS.items()}
        self.scale = scale or grade_scale([DEFAULT_SETTINGS.grades])
        self.low_rate = PatternFill("solid", fgColor=LOW_RATE_FILL)


TITLE_SCALE = 11 / 18
"""Column widths are in characters of the 11-point body font; the title is 18-point."""


class _Sheet:
    """A table sheet: title, header row, rows with formats, widths, frozen header, filter."""

    def __init__(self, ws: "Worksheet", st: _Styles, title: str, headers: tuple[str, ...],
                 widths: tuple[int, ...], formats: dict[int, str], nowrap: tuple[int, ...] = (),
                 max_lines: int = 6):
        from openpyxl.utils import get_column_letter

        self.ws, self.st, self.headers, self.formats, self.nowrap = ws, st, headers, formats, nowrap
        self.max_lines = max_lines          # a row grows to show this many lines of its longest text
        write_openpyxl(ws["A1"], title)           # a 单位's own sheet: its name, from a workbook
        ws["A1"].font, ws["A1"].alignment = st.title_font, st.wrap
        # the title wraps within the table's width: a long 单位 name must not widen the printed page
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headers))
        ws.row_dimensions[1].height = 30 * min(lines_needed(title, int(sum(widths) * TITLE_SCALE)), 6)
        for i, (header, width) in enumerate(zip(headers, widths), start=1):
            cell = ws.cell(3, i, header)
            cell.font, cell.fill, cell.alignment, cell.border = st.header_font, st.header_fill, st.center, st.border
            ws.column_dimensions[get_column_letter(i)].width = width
        ws.row_dimensions[3].height = 32
        ws.freeze_panes = "A4"
        self.next_row = 4

    def add(self, values: Iterable[Any], total: bool = False) -> int:
        """Append a row; long text wraps and the row grows to show it (LibreOffice does not size it)."""
        from openpyxl.utils import get_column_letter

        row, lines = self.next_row, 1
        for i, value in enumerate(values, start=1):
            cell = self.ws.cell(row, i)
            write_openpyxl(cell, value)
            cell.border = self.st.border
            wrap = isinstance(value, str) and len(value) > 12 and i not in self.nowrap
            cell.alignment = self.st.wrap if wrap else self.st.left if i in self.nowrap else self.st.center
            if wrap:
                width = self.ws.column_dimensions[get_column_letter(i)].width or 10
                lines = max(lines, -(-len(value) * 2 // int(width)))
            if i in self.formats:
                cell.number_format = NUMBER_FORMATS[self.formats[i]]
            if total:
                cell.font, cell.fill = self.st.bold, self.st.total_fill
        if lines > 1:
            self.ws.row_dimensions[row].height = 14 * min(lines, self.max_lines)
        self.next_row += 1
        return row

    def finish(self, grade_column: int | None = None, rate_column: int | None = None) -> None:
        """Filter on the header, colour grades and low rates (conditional, so they follow edits)."""
        from openpyxl.formatting.rule import CellIsRule, FormulaRule
        from openpyxl.styles import Font
        from openpyxl.utils import get_column_letter

        last = max(self.next_row - 1, 4)
        self.ws.auto_filter.ref = f"A3:{get_column_letter(len(self.headers))}{last}"
        if grade_column:
            letter = get_column_letter(grade_column)
            for step in self.st.scale:
                self.ws.conditional_formatting.add(
                    f"{letter}4:{letter}{last}",
                    CellIsRule(operator="equal", formula=[_formula_text(step.name)], fill=self.st.fills[step.tone],
                               font=Font(bold=True, color=GRADE_FONTS[step.tone])))
        if rate_column:
            letter = get_column_letter(rate_column)
            threshold = DEFAULT_SETTINGS.exec_rate_explain_below
            self.ws.conditional_formatting.add(
                f"{letter}4:{letter}{last}",
                FormulaRule(formula=[f'AND(ISNUMBER({letter}4),{letter}4<{threshold})'], fill=self.st.low_rate))
        _print_table(self.ws)


SUMMARY_TITLE = "预算绩效自评汇总"


def _print_table(ws: "Worksheet") -> None:
    """A4 landscape, one page wide and as long as needed, the header row (row 3) on every page, the
    sheet's title (row 1) and the date in the page header."""
    from .printing import setup_print

    setup_print(ws, f"{SUMMARY_TITLE}：{ws['A1'].value}", landscape=True, header_rows="3:3")


def _print_overview(ws: "Worksheet") -> None:
    """The 概览 (figures and charts) stays on one A4 landscape page."""
    from .printing import setup_print

    setup_print(ws, SUMMARY_TITLE, landscape=True, one_page=True)


def _f(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _row_values(i: int, r: SummaryRow) -> tuple:
    stated = r.stated_total if r.stated_differs else None
    return (i, r.unit, KIND_NAMES.get(r.kind, r.kind or "—"), r.name, _f(r.budget), _f(r.spent), r.rate,
            _f(r.total), stated, r.grade or "—", r.errors, r.warnings, r.unreviewed, r.problems or "无",
            Path(r.file).name)


ROW_FORMATS = {5: "amount", 6: "amount", 7: "rate", 8: "score", 9: "score"}


def _relative(file: str, base: Path) -> str:
    """A link from the summary to a workbook that still works when the folder is moved or mailed."""
    import os

    try:
        return url_text(Path(os.path.relpath(Path(file).resolve(), base)).as_posix())
    except ValueError:          # another drive on Windows
        return Path(file).resolve().as_uri()


def _rows_sheet(wb, st: _Styles, title: str, name: str, rows: list[SummaryRow], totals: UnitTotals | None,
                base: Path):
    sheet = _Sheet(wb.create_sheet(name), st, title, ROW_HEADERS, ROW_WIDTHS, ROW_FORMATS)
    sheet.ws["A2"] = ("总分为按规则重算的得分；“填报总分”仅在与重算不一致时列出；"
                      f"执行率低于{DEFAULT_SETTINGS.exec_rate_explain_below:.0%}标浅红")
    sheet.ws["A2"].font = st.subtitle_font
    for i, r in enumerate(rows, start=1):
        at = sheet.add(_row_values(i, r))
        link = sheet.ws.cell(at, len(ROW_HEADERS))
        link.hyperlink = _relative(r.file, base)
        link.alignment = st.shrink                       # LibreOffice does not wrap a link: it shrinks
        if r.errors:
            sheet.ws.cell(at, 11).fill = st.fills["差"]
        if r.stated_differs:
            sheet.ws.cell(at, 9).fill = st.fills["差"]
    if totals is not None:
        sheet.add(("", "合计", f"{len(totals.projects)} 个项目", "项目支出合计 / 平均分", _f(totals.budget),
                   _f(totals.spent), totals.rate, _f(totals.mean_score), None, "", sum(r.errors for r in rows),
                   sum(r.warnings for r in rows), sum(r.unreviewed for r in rows), "", ""), total=True)
    sheet.finish(grade_column=10, rate_column=7)
    return sheet


def _year_rows(reports: list[FileReport]) -> list[tuple]:
    """One row per year-over-year finding, by 单位 and project: what changed, where, and its wording
    (a finding made elsewhere than :mod:`..quality.yoy` names no indicator or figures: blank)."""
    rows = []
    for r in reports:
        for f in r.findings:
            if f.code in YEAR_OVER_YEAR:
                title = CATALOGUE[f.code].title.split("：", 1)[-1]
                rows.append((r.unit or NO_UNIT, r.name or Path(r.path).stem, getattr(f, "indicator", ""), title,
                             getattr(f, "last_year", ""), getattr(f, "this_year", ""), f.message, f))
    return sorted(rows, key=lambda row: row[:4])


def _years_sheet(wb, st: _Styles, reports: list[FileReport], base: Path) -> _Sheet:
    """上年对比: each year-over-year finding with both years' figures and a link to its cell."""
    from openpyxl.worksheet.hyperlink import Hyperlink

    rows = _year_rows(reports)
    sheet = _Sheet(wb.create_sheet(YEARS), st, "与上年自评表对比", YEAR_HEADERS, YEAR_WIDTHS, {}, max_lines=12)
    sheet.ws["A2"] = (f"与上年的自评表（--previous）逐项目、逐指标比较：调低的指标值、删去的失分指标、调低的分值、"
                      f"连续远超的完成值；共 {len(rows)} 条")
    sheet.ws["A2"].font = st.subtitle_font
    for i, (*values, f) in enumerate(rows, start=1):
        position = f"{quote_sheet(f.sheet)}!{f.cell}" if f.sheet and f.cell else ""
        at = sheet.add((i, *values, position, Path(f.file).name))
        link = sheet.ws.cell(at, len(YEAR_HEADERS))           # opens the workbook at the cell
        link.hyperlink = Hyperlink(ref=link.coordinate, target=_relative(f.file, base),
                                   location=url_text(position) if position else None)
        link.alignment = st.shrink                             # LibreOffice does not wrap a link: it shrinks
    if not rows:
        sheet.add(("", "未发现指标值调低、删去失分指标、调低分值或完成值连续远超指标值的情况",
                   *("",) * (len(YEAR_HEADERS) - 2)))
        sheet.ws.merge_cells(start_row=4, start_column=2, end_row=4, end_column=len(YEAR_HEADERS))
    sheet.finish()
    return sheet


def _units_sheet(wb, st: _Styles, summary: Summary) -> _Sheet:
    names = [step.name for step in summary.scale]
    sheet = _Sheet(wb.create_sheet(UNITS), st, "各单位汇总", (*UNIT_HEADERS, *names, "有错误的工作簿", "错误", "警告"),
                   (*UNIT_WIDTHS, *(6,) * len(names), 14, 8, 8),
                   {3: "amount", 4: "amount", 5: "rate", 6: "score", 7: "score"})
    sheet.ws["A2"] = "预算、执行与平均分按项目支出表计；部门整体得分取部门整体支出绩效自评表"
    sheet.ws["A2"].font = st.subtitle_font
    for u in summary.units:
        dept = u.department
        grades = u.grades
        sheet.add((u.unit, len(u.projects), _f(u.budget), _f(u.spent), u.rate, _f(u.mean_score),
                   _f(dept.total) if dept else None, dept.grade if dept and dept.grade else "—",
                   *(grades.get(g, 0) for g in names), sum(1 for r in u.rows if r.errors),
                   sum(r.errors for r in u.rows), sum(r.warnings for r in u.rows)))
    every = UnitTotals("合计", summary.rows)
    grades = every.grades
    sheet.add(("合计", len(every.projects), _f(every.budget), _f(every.spent), every.rate, _f(every.mean_score),
               _f(_mean([d.total for u in summary.units if (d := u.department) and d.total is not None])), "",
               *(grades.get(g, 0) for g in names), sum(1 for r in summary.rows if r.errors),
               sum(r.errors for r in summary.rows), sum(r.warnings for r in summary.rows)), total=True)
    sheet.finish(grade_column=8, rate_column=5)
    return sheet


def _grades_sheet(wb, st: _Styles, summary: Summary) -> _Sheet:
    sheet = _Sheet(wb.create_sheet(GRADES), st, "等级分布", ("等级", "分数段", "项目支出", "部门整体", "合计"),
                   (8, 16, 10, 10, 10), {})
    projects, departments = summary.grade_counts("project"), summary.grade_counts("department")
    for step in summary.scale:         # each grade with the band of the system it comes from
        grade = step.name
        sheet.add((grade, f"{step.floor:g}（含）–{step.upper:g}", projects.get(grade, 0), departments.get(grade, 0),
                   projects.get(grade, 0) + departments.get(grade, 0)))
    sheet.add(("合计", "", sum(projects.values()), sum(departments.values()),
               sum(projects.values()) + sum(departments.values())), total=True)
    sheet.finish(grade_column=1)
    return sheet


def _rates_sheet(wb, st: _Styles, summary: Summary) -> tuple[_Sheet, int]:
    """Projects by 执行率, lowest first; returns the sheet and how many rows the chart shows."""
    sheet = _Sheet(wb.create_sheet(RATES), st, "项目执行率（由低到高）", ("项目", "单位", "执行率", "总分", "等级"),
                   (34, 24, 10, 9, 7), {3: "rate", 4: "score"})
    rated = sorted((r for r in summary.projects if r.rate is not None), key=lambda r: (r.rate, r.name))
    for r in rated:
        sheet.add((r.name, r.unit, r.rate, _f(r.total), r.grade or "—"))
    sheet.finish(grade_column=5, rate_column=3)
    return sheet, min(len(rated), MAX_CHART_PROJECTS)


def _bar(title: str, y_title: str, horizontal: bool = False):
    from openpyxl.chart import BarChart

    chart = BarChart()
    chart.type = "bar" if horizontal else "col"
    chart.title, chart.y_axis.title = title, y_title
    chart.style = 10
    chart.x_axis.delete = chart.y_axis.delete = False            # openpyxl ≥3.1 hides axes by default
    return chart


def _labels(**shown: bool):
    """Data labels showing only what is asked (LibreOffice shows every part left unset)."""
    from openpyxl.chart.label import DataLabelList

    parts = ("showLegendKey", "showVal", "showCatName", "showSerName", "showPercent", "showBubbleSize")
    return DataLabelList(**{p: shown.get(p, False) for p in parts})


def _charts(ws: "Worksheet", units: _Sheet, grades: _Sheet, rates: _Sheet, shown: int, summary: Summary) -> None:
    from openpyxl.chart import PieChart, Reference
    from openpyxl.chart.series import DataPoint
    from openpyxl.utils import get_column_letter

    n_units = len(summary.units)
    scores = _bar("各单位得分", "分")
    data = Reference(units.ws, min_col=6, max_col=7, min_row=3, max_row=3 + n_units)
    scores.add_data(data, titles_from_data=True)
    scores.set_categories(Reference(units.ws, min_col=1, min_row=4, max_row=3 + n_units))
    values = [float(v) for u in summary.units for v in (u.mean_score, u.department.total if u.department else None)
              if v is not None]
    scores.y_axis.scaling.min = max(0, (int(min(values, default=0)) // 10 - 1) * 10)
    scores.y_axis.scaling.max = 100
    scores.y_axis.majorUnit = 10
    scores.y_axis.number_format = "0"
    scores.dataLabels = _labels(showVal=True)
    scores.width, scores.height = max(16, 1.6 * n_units), 8.5
    scores.gapWidth = 80
    ws.add_chart(scores, "A8")

    pie = PieChart()
    pie.title = "等级分布（工作簿数）"
    scale = summary.scale
    pie.add_data(Reference(grades.ws, min_col=5, min_row=3, max_row=3 + len(scale)), titles_from_data=True)
    pie.set_categories(Reference(grades.ws, min_col=1, min_row=4, max_row=3 + len(scale)))
    for i, step in enumerate(scale):
        point = DataPoint(idx=i)
        point.graphicalProperties.solidFill = CHART_GRADE_COLORS[step.tone]
        pie.series[0].dPt.append(point)
    pie.dataLabels = _labels(showVal=True, showCatName=True)
    pie.width, pie.height = 11, 8.5
    ws.add_chart(pie, f"{get_column_letter(max(9, 2 + int(scores.width / 1.85)))}8")   # right of the bars

    if shown:
        rates_chart = _bar(f"项目执行率（最低的 {shown} 个）" if shown < len(summary.projects) else
                           "项目执行率（由低到高）", "执行率", horizontal=True)
        rates_chart.add_data(Reference(rates.ws, min_col=3, min_row=3, max_row=3 + shown), titles_from_data=True)
        rates_chart.set_categories(Reference(rates.ws, min_col=1, min_row=4, max_row=3 + shown))
        rates_chart.y_axis.number_format = "0%"
        rates_chart.y_axis.scaling.min = 0
        rates_chart.y_axis.scaling.max = 1.0
        rates_chart.x_axis.scaling.orientation = "maxMin"      # lowest at the top
        rates_chart.legend = None
        series = rates_chart.series[0]
        series.graphicalProperties.solidFill = "5B9BD5"
        low = DEFAULT_SETTINGS.exec_rate_explain_below
        for i in range(shown):                      # below the threshold: a red bar
            if (rates.ws.cell(4 + i, 3).value or 0) < low:
                point = DataPoint(idx=i)
                point.graphicalProperties.solidFill = CHART_GRADE_COLORS["差"]
                series.dPt.append(point)
        rates_chart.gapWidth = 40
        rates_chart.width, rates_chart.height = 27, max(7.5, 0.5 * shown + 2)
        ws.add_chart(rates_chart, "A26")


def _overview(ws: "Worksheet", st: _Styles, summary: Summary) -> None:
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    every = UnitTotals("合计", summary.rows)
    kinds = Counter(r.kind for r in summary.rows)     # a file with no table read has no kind: counted apart
    others = len(summary.rows) - kinds["project"] - kinds["department"]
    with_errors = sum(1 for r in summary.rows if r.errors)
    ws["A1"] = "预算绩效自评汇总"
    ws["A1"].font = st.title_font
    ws["A2"] = (f"共 {len(summary.rows)} 个工作簿（项目支出 {kinds['project']}，部门整体 {kinds['department']}"
                f"{f'，未读到自评表 {others}' if others else ''}），"
                f"{len(summary.units)} 个单位；有错误的工作簿 {with_errors} 个，详见“{ROWS}”与各单位工作表")
    ws["A2"].font = st.subtitle_font
    tiles = (("项目预算合计（万元）", _f(every.budget), "#,##0.00"), ("项目执行合计（万元）", _f(every.spent), "#,##0.00"),
             ("总体执行率", every.rate, "0.00%"), ("项目平均分", _f(every.mean_score), "0.00"),
             ("有错误的工作簿", with_errors, "0"))
    for i, (label, value, fmt) in enumerate(tiles):
        col = 1 + i * 3
        ws.merge_cells(start_row=4, start_column=col, end_row=4, end_column=col + 1)
        ws.merge_cells(start_row=5, start_column=col, end_row=6, end_column=col + 1)
        head, body = ws.cell(4, col, label), ws.cell(5, col, value)
        red = label == "有错误的工作簿" and with_errors
        fill = PatternFill("solid", fgColor="FFC7CE" if red else "DDEBF7")
        head.font, head.fill, head.alignment = Font(size=10, color="404040"), fill, st.center
        body.font = Font(size=20, bold=True, color="9C0006" if red else TITLE_COLOR)
        body.fill, body.alignment, body.number_format = fill, st.center, fmt
        for c in range(col, col + 2):
            for r in (4, 5, 6):
                ws.cell(r, c).fill = fill
    for c in range(1, 16):
        ws.column_dimensions[get_column_letter(c)].width = 9.5
    ws.sheet_view.showGridLines = False
    _print_overview(ws)


@dataclass(frozen=True)
class SummaryInfo:
    path: Path
    sheets: tuple[str, ...]
    workbooks: int
    units: int


def write_summary(reports: Iterable[FileReport], path: str | Path, year_over_year: bool = False) -> SummaryInfo:
    """Write summary.xlsx from the checked workbooks' reports; ``year_over_year`` (they were checked
    against last year's, ``--previous``) adds the 上年对比 sheet."""
    from openpyxl import Workbook

    reports = list(reports)
    summary = Summary.of(reports)
    path = Path(path)
    base = path.resolve().parent
    st = _Styles(summary.scale)
    wb = Workbook()
    overview = wb.active
    overview.title = OVERVIEW
    _overview(overview, st, summary)
    _rows_sheet(wb, st, f"全部工作簿（{len(summary.rows)} 个）", ROWS, summary.rows, None, base)
    units = _units_sheet(wb, st, summary)
    grades = _grades_sheet(wb, st, summary)
    rates, shown = _rates_sheet(wb, st, summary)
    _charts(overview, units, grades, rates, shown, summary)
    if year_over_year:
        _years_sheet(wb, st, reports, base)
    taken = set(OUR_SHEETS)
    for u in summary.units:
        _rows_sheet(wb, st, u.unit, safe_sheet_name(u.unit, taken), u.rows, u, base)
    wb.properties.creator = "selfeval-xl"
    wb.properties.title = "预算绩效自评汇总"
    mark_openpyxl(wb, SUMMARY_KIND)
    with replacing(path) as temporary:
        wb.save(temporary)
    return SummaryInfo(path, tuple(wb.sheetnames), len(summary.rows), len(summary.units))
