"""Inputs our native template's score formulas cannot compute: text where a number is needed, and a
指标性质 not from the drop-down list.

Why a check of its own: the engine reads ``≥150天`` or ``"100%"`` (text) and scores it, but the plain
Excel formulas of the template cannot; Excel, WPS and LibreOffice show ``#年度指标值不是数字`` in the
得分 cell and leave the row out of 小计 and 总分. Which inputs block the formula is decided once, in
the recomputation (:attr:`selfeval_xl.core.recompute.RowResult.blocked`), which then leaves the row unscored
as the spreadsheet does.
"""
from __future__ import annotations

from typing import Iterator

from ..core.findings import Finding
from ..core.model import Cell
from ..core.parse import ParseError, parse_value
from ..core.recompute import RowResult
from ..core.rules import DIRECTION_CHOICES
from .base import Context, check, show


def _typed_as(ctx: Context, cell: Cell) -> tuple[str, str]:
    """What to type instead (the number read from the text, % kept) and the advice: its unit in 度量单位."""
    unit_column = next((c.label for c in ctx.layout.indicators.columns if c.key == "unit"), None)
    unit_goes = f"写在“{unit_column}”列" if unit_column else "请在三级指标名称中注明"
    try:
        value = parse_value(cell.value, settings=ctx.settings)
    except ParseError:
        value = None
    quantity = value.quantity if value is not None else None
    if quantity is None:
        return "数字", f"请只填数字（单位{unit_goes}），百分比连同%输入为数字（如 95%）"

    def typed(q) -> str:
        return show(q.number) + ("%" if q.unit == "%" else "")
    if value.high is not None:
        advice = f"请在年度指标值填 {typed(quantity)}、区间上限填 {typed(value.high)}"
    else:
        advice = f"请只填数字 {typed(quantity)}"
    if quantity.unit not in ("", "%"):
        advice += f"，单位“{quantity.unit}”{unit_goes}"
    elif quantity.unit == "%":
        advice += "（连同%作为数字输入；单元格格式若为“文本”，先改为“常规”或“百分比”再输入）"
    return typed(quantity), advice


def _message(ctx: Context, out: RowResult, key: str, cell: Cell, advice: str) -> str:
    what = ctx.layout.indicators.column(key).label
    return (f"“{out.row.level3 or out.row.level2}”的{what}“{cell.text}”是文字，模板的得分公式不能用文字计算"
            f"（{_shown(out)}）：{advice}")


def _shown(out: RowResult) -> str:
    return f"得分单元格 {out.row.get('score').ref} 在 Excel/WPS 中显示“{out.shown}”，不计入总分"


@check("text-in-number-cell", "error", "模板中应填数字的指标值填了文字")
def text_in_number_cell(ctx: Context) -> Iterator[Finding]:
    """In a table made from our template with plain Excel formulas (``formulas: native``), the 年度指标值,
    区间上限 or 实际完成值 of a 定量 row (指标性质 not 定性) holds text. The engine reads it, but the
    得分 formula cannot: Excel, WPS and LibreOffice show ``#年度指标值不是数字`` (``#实际完成值不是数字``,
    ``#区间需上下限``) and 总分 leaves the row out. ``selfeval score`` then leaves the row unscored too.
    A department's own copy, or the SE_* template (``udf``), reads such text and is not affected.

    Bad: 年度指标值 ``≥150天``, or 实际完成值 ``"100%"`` stored as text. Fix: type the number ``150``
    (``天`` goes in 度量单位, ``≥`` in 指标性质); type a percentage as a number with % (``100%``).
    """
    for out in ctx.re.rows:
        for key in out.blocked:
            cell = out.row.get(key)
            if key == "direction" or cell is None or cell.blank:    # a blank input: required-blank's
                continue
            expected, advice = _typed_as(ctx, cell)
            yield ctx.find("text-in-number-cell", cell, _message(ctx, out, key, cell, advice), expected, cell.value)


@check("direction-not-in-list", "error", "模板中的指标性质不是下拉列表中的值")
def direction_not_in_list(ctx: Context) -> Iterator[Finding]:
    """In a table made from our template with plain Excel formulas, a 定量 row's 指标性质 is blank or
    not one of the drop-down list's (≥ ≤ = 区间 定性). The engine guesses it (from ``≥95%``, or reads
    ``正向``), but the 得分 formula cannot: it shows ``#指标性质为空`` / ``#未知指标性质``, and 总分
    leaves the row out.

    Bad: 指标性质 left blank, or typed ``正向``. Fix: choose ``≥`` (``≤``, ``=``, ``区间``, ``定性`` for
    a 定性 indicator) from the drop-down list.
    """
    choices = " ".join(DIRECTION_CHOICES)
    for out in ctx.re.rows:
        cell = out.row.get("direction")
        if "direction" not in out.blocked or cell is None:
            continue
        said = "为空" if cell.blank else f"“{cell.text}”不是下拉列表中的值"
        yield ctx.find("direction-not-in-list", cell,
                       f"“{out.row.level3 or out.row.level2}”的指标性质{said}，模板的得分公式无法计算"
                       f"（{_shown(out)}）：请从下拉列表选择 {choices}（定性指标选“定性”）", choices, cell.value)
