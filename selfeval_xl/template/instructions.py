"""The 填表说明 sheet of a template: how to enter each value, and the rules its cells compute.

Apart from the writer because it is prose made from data (the layout's words, the system's settings):
what a reviewer reads to check that the form says what the rules do.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from ..core.layout import Layout
from ..core.rules import describe_bands
from ..core.sanitize import write_openpyxl
from ..core.system import IndicatorSystem
from ..core.textwidth import lines_needed
from .plan import TEMPLATE_VERSION

if TYPE_CHECKING:
    from openpyxl import Workbook

INSTRUCTIONS_SHEET = "填表说明"
INSTRUCTION_LINE = 90
"""Character columns one line of 填表说明 holds (column width 100 at 11 pt, less a margin)."""


def add_instructions(wb: "Workbook", layout: Layout, system: IndicatorSystem, mode: str) -> None:
    """The 填表说明 sheet: how to enter each value, and the rules the cells compute, in the layout's words."""
    from openpyxl.styles import Alignment, Font

    s, col = system.settings, {c.key: c.label for c in layout.indicators.columns}
    fund = {c.key: c.label for c in layout.funds.columns}
    tiers = "；".join(f"“{t.phrase}”默认得{t.default:.0%}分值（自评可在{t.band_words}之间）" for t in s.tiers)
    grades = "，".join(f"{floor:g}分（含）以上为{name}" for floor, name in sorted(s.grades, key=lambda g: -g[0]))
    reverse = (f"{col['target']}÷{col['actual']}×{col['weight']}" if s.reverse_formula.value == "ratio"
               else f"（1−({col['actual']}−{col['target']})÷{col['target']}）×{col['weight']}，最低为0")
    weights = " + ".join(f"{lv.name}{lv.weight:g}" for lv in system.levels)
    if system.budget_execution_weight:
        weights = f"预算执行{system.budget_execution_weight:g} + {weights}"
    unit = f"，计量单位写在“{col['unit']}”列" if "unit" in col else ""
    rate = fund.get("rate", "执行率")
    capped = "，超过100%按100%计分" if "score" in fund else ""
    lines = [
        f"{layout.title} 填表说明",
        f"指标体系：{system.title}（{system.name}，版本 {system.version}）；分值构成：{weights} = {system.total:g}。",
        "浅黄色单元格为填写项；灰色单元格自动计算；工作表已保护（无密码，可在“审阅—撤销工作表保护”解除）。",
        f"金额单位为万元，保留两位小数；{rate} = {fund['spent']} ÷ {fund['budget']}{capped}。",
        f"{col['direction']}从下拉列表选择：≥（正向，越大越好）、≤（反向，越小越好）、=（等于）、区间、定性。",
        f"{col['target']}、{col['actual']}填数字{unit}；百分比连同%输入（如 98%），两列口径须一致。",
        (f"区间指标：{col['target']}填下限，{col['target_high']}填上限" if "target_high" in col
         else f"区间指标：在{col['target']}中写明上下限（如 90%–110%）") +
        f"；在区间内得满分，低于下限按 实际÷下限×{col['weight']}，高于上限按 上限÷实际×{col['weight']}。",
        f"正向指标未达到按 {col['actual']}÷{col['target']}×{col['weight']}；反向指标超出按 {reverse}；"
        f"等于指标按 较小值÷较大值×{col['weight']}。得分四舍五入保留两位小数。",
        f"定性指标的{col['actual']}从下拉列表选择档次：{tiers}。",
        f"“{col['score']}”列（浅绿）已预置公式；定性指标需自评其他分数时，可直接在该单元格填写分数，定量指标请勿改动。",
        f"{col['actual']}为空的指标不计分、不计入总分；得分低于分值的指标须填写“{col['reason']}”。",
        f"预置{col['weight']}按指标体系权重平均分配，可按实际调整，同一级指标的{col['weight']}合计应保持不变。"
        "需要更多指标行时，在指标中间插入整行并复制上一行。",
        f"{layout.total.label}为各项得分之和；{layout.grade.label}：{grades}。",
    ]
    for name, bands in system.banded.items():
        lines.append(f"“{name}”按分档计分（{col['level3']}须为“{name}”），得分 = {col['weight']} × 档次比例："
                     f"{describe_bands(bands)}；{col['actual']}填比率（如 3%），不看{col['direction']}与{col['target']}"
                     f"{'（该行为原生公式，无需加载项）' if mode == 'udf' else ''}。")
    if system.bonus_level is not None:
        lines.append(f"{system.bonus_level.name}在“{col['score']}”列直接填写 {s.bonus_min:g} 至 {s.bonus_max:g} 分；"
                     f"{layout.total.label} = 各一级指标{layout.subtotal_suffix} + 加减分，最低0分、最高100分。")
    lines = lines[:2] + [f"{i}. {line}" for i, line in enumerate(lines[2:], start=1)]
    lines.append(f"模板版本 {TEMPLATE_VERSION}；得分公式："
                 f"{'Excel 原生公式（Excel、WPS、LibreOffice 通用）' if mode == 'native' else 'SE_* 函数（需安装 selfeval 加载项）'}。")
    ws = wb.create_sheet(INSTRUCTIONS_SHEET)
    ws.column_dimensions["A"].width = 100
    for i, line in enumerate(lines, start=1):
        cell = ws.cell(i, 1)
        write_openpyxl(cell, line)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        cell.font = Font(name="宋体", size=14 if i == 1 else 11, bold=i == 1)
        # a row shorter than its wrapped text overlaps the next line on paper (line 10 did)
        ws.row_dimensions[i].height = 30 if i == 1 else 16 * lines_needed(line, INSTRUCTION_LINE) + 2
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = ws.page_setup.fitToHeight = 1
    ws.sheet_properties.pageSetUpPr.fitToPage = True
