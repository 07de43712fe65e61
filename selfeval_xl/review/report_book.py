"""复核报告.xlsx: the 复核结论 per 单位 and per project, the 复核问题清单, 自评质量, and the 底稿's own
problems — printable on A4 landscape, one page wide, in the styles of the other reports.

Text from the tables and the reviewer (names, 意见) goes through
:func:`~selfeval_xl.core.sanitize.write_openpyxl`: nothing becomes a formula.
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, Iterable

from ..files.outputs import replacing
from ..files.ownfiles import mark_openpyxl
from ..core.sanitize import write_openpyxl
from ..core.textwidth import lines_needed
from .config import LEVELS, ReviewRules
from .judge import Conclusion, Issue
from .readback import Problem
from .style import Style

KIND = "复核报告"
CONCLUSIONS, ISSUES, QUALITY, PROBLEMS = "复核结论", "复核问题清单", "自评质量", "底稿检查"


@dataclass(frozen=True)
class Table:
    headers: tuple[str, ...]
    widths: tuple[float, ...]
    formats: tuple[str | None, ...]


UNIT_TABLE = Table(("单位", "抽查项目", "自评平均分", "复核平均分", "差", "等级变化", "调整指标", "调整占比", "自评质量", "复核结论"),
                   (20, 7, 8, 8, 7, 7, 8, 7, 7, 62),
                   (None, "0", "0.00", "0.00", "0.00", "0", None, "0%", None, None))
PROJECT_TABLE = Table(("单位", "项目", "自评总分", "自评等级", "复核总分", "复核等级", "自评 − 复核", "调整指标", "底稿工作表"),
                      (20, 30, 8, 7, 8, 7, 9, 8, 26), (None, None, "0.00", None, "0.00", None, "0.00", None, None))
ISSUE_TABLE = Table(("序号", "等级", "复核维度", "对象", "位置", "复核发现", "事实及判定", "处理建议", "依据"),
                    (5, 5, 8, 24, 20, 28, 34, 22, 28), ("0",) + (None,) * 8)
QUALITY_TABLE = Table(("单位", "复核指标数", "平均绝对偏离（分）", "满分指标占比", "无佐证占比", "自评质量"),
                      (24, 9, 12, 11, 10, 9), (None, "0", "0.00", "0%", "0%", None))
PROBLEM_TABLE = Table(("序号", "位置", "问题"), (5, 30, 90), ("0", None, None))


class _Writer:
    def __init__(self, title: str, date: datetime.date):
        from openpyxl import Workbook

        self.wb = Workbook()
        self.title, self.date = title, date
        self.style = Style()

    def sheet(self, name: str, notes: Iterable[str], table: Table):
        from ..report.printing import setup_print

        ws = self.wb.active if self.wb.active.title == "Sheet" else self.wb.create_sheet(name)
        ws.title = name
        write_openpyxl(ws["A1"], f"{self.title}：{name}")
        ws["A1"].font = self.style.title
        row = 2
        for note in notes:
            write_openpyxl(ws.cell(row, 1), note)
            ws.cell(row, 1).font, ws.cell(row, 1).alignment = self.style.note, self.style.left
            ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=len(table.headers))
            ws.row_dimensions[row].height = 13 * lines_needed(note, int(sum(table.widths)) - 2)
            row += 1
        header = row + 1
        self.headers(ws, header, table)
        setup_print(ws, f"{self.title}：{name}", landscape=True, header_rows=f"{header}:{header}", date=self.date)
        ws.freeze_panes = ws.cell(header + 1, 1)
        return ws, header + 1

    def headers(self, ws, at: int, table: Table) -> None:
        from openpyxl.utils import get_column_letter

        for i, (header, width) in enumerate(zip(table.headers, table.widths), start=1):
            cell = ws.cell(at, i, header)
            st = self.style
            cell.font, cell.fill, cell.alignment, cell.border = st.head_font, st.fills["head"], st.center, st.border
            letter = get_column_letter(i)
            ws.column_dimensions[letter].width = max(ws.column_dimensions[letter].width or 0, width)

    def row(self, ws, at: int, values: Iterable[Any], table: Table, fill: str | None = None) -> None:
        lines = 1
        for i, value in enumerate(values, start=1):
            cell = ws.cell(at, i)
            write_openpyxl(cell, value)
            cell.border, cell.font = self.style.border, self.style.font
            fmt = table.formats[i - 1]
            if fmt and isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
                cell.number_format = fmt
                cell.alignment = self.style.right
            else:
                cell.alignment = self.style.left if isinstance(value, str) and len(value) > 4 else self.style.center
            if isinstance(value, str):
                lines = max(lines, lines_needed(value, int(table.widths[i - 1]) - 1))
        if fill in LEVELS:
            ws.cell(at, 2).fill = self.style.fills[fill]
        if lines > 1:
            ws.row_dimensions[at].height = 13.5 * min(lines, 12)


def write_report(conclusions: list[Conclusion], issues: list[Issue], problems: list[Problem], rules: ReviewRules,
                 path: str | Path, source: str, date: datetime.date | None = None) -> Path:
    """Write 复核报告.xlsx (whole or not at all)."""
    w = _Writer("抽查复核报告", date or datetime.date.today())
    counts = {lv: sum(i.level == lv for i in issues) for lv in LEVELS}
    ws, at = w.sheet(CONCLUSIONS, (f"复核底稿：{source}；口径：{rules.title}（{rules.source}）；报告日期 {w.date.isoformat()}。",
                                   f"问题 {len(issues)} 条：P0 {counts['P0']} 条、P1 {counts['P1']} 条、P2 {counts['P2']} 条"
                                   f"（见“{ISSUES}”）；底稿检查发现 {len(problems)} 处需核实（见“{PROBLEMS}”）。"),
                     UNIT_TABLE)
    for c in conclusions:
        self_mean, review_mean = c.mean("self_total"), c.mean("review_total")
        w.row(ws, at, (c.unit, len(c.projects), self_mean, review_mean,
                       self_mean - review_mean if self_mean is not None and review_mean is not None else None,
                       c.grades_changed, f"{c.changed}/{c.rows}", c.changed_share, c.quality.grade if c.quality else "",
                       c.text), UNIT_TABLE)
        at += 1
    at += 1
    w.headers(ws, at, PROJECT_TABLE)
    at += 1
    for c in conclusions:
        for p in c.projects:
            w.row(ws, at, (c.unit, p.project.name, p.self_total, p.self_grade, p.review_total, p.review_grade, p.gap,
                           f"{sum(r.changed for r in p.project.rows)}/{len(p.project.rows)}", p.project.sheet),
                  PROJECT_TABLE, "P1" if p.grade_changed else None)
            at += 1
    ws, at = w.sheet(ISSUES, ("等级：P0 最严重。偏离度 =（自评得分 − 复核得分）÷ 权重；等级按偏离度分档（" +
                              "、".join(f"{lv} ≥ {start:.0%}" for lv, start in rules.levels) +
                              "），口径规定的等级更严重时取口径的；复核后等级变化的项目至少为 " + rules.grade_change + "。",),
                     ISSUE_TABLE)
    for n, i in enumerate(issues, start=1):
        w.row(ws, at, (n, i.level, i.dimension, i.subject, i.place, i.finding, i.facts, i.advice, i.source), ISSUE_TABLE,
              i.level)
        at += 1
    if not issues:
        ws.cell(at, 1, "复核未发现问题。")
    bands = "；".join(f"{g.name}：平均绝对偏离 ≤ {g.mean_abs_deviation:g} 分、满分指标占比 ≤ {g.full_score_share:.0%}、"
                     f"无佐证占比 ≤ {g.no_evidence_share:.0%}" for g in rules.quality)
    ws, at = w.sheet(QUALITY, (f"自评质量分档（从上到下取第一个全部满足的档，否则为{rules.quality_last}）：{bands}。",),
                     QUALITY_TABLE)
    for c in conclusions:
        q = c.quality
        w.row(ws, at, (c.unit, c.rows, q.mean_abs_deviation, q.full_score_share, q.no_evidence_share, q.grade),
              QUALITY_TABLE)
        at += 1
    ws, at = w.sheet(PROBLEMS, ("复核底稿本身需要核实之处：改写了复核得分却未选口径、得分与口径效果不符、须人工复核而未评分、"
                                "合计被改写等。改正底稿后重新生成本报告。",), PROBLEM_TABLE)
    for n, p in enumerate(problems, start=1):
        w.row(ws, at, (n, p.place, p.message), PROBLEM_TABLE)
        at += 1
    if not problems:
        ws.cell(at, 1, "底稿检查未发现问题。")
    w.wb.properties.creator = "selfeval-xl"
    w.wb.properties.title = "抽查复核报告"
    mark_openpyxl(w.wb, KIND)
    with replacing(path) as temporary:
        w.wb.save(temporary)
    return Path(path)
