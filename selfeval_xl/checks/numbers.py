"""Cells that must hold numbers: amounts, 分值, 得分, rates; and indicator values the parser cannot read."""
from __future__ import annotations

import re
from typing import Iterator

from ..core.findings import Finding
from ..core.layout import normalize_label
from ..core.model import Cell, FundRow, IndicatorRow
from ..core.parse import PERCENT_UNCLEAR
from ..core.recompute import match_level, number
from ..core.rules import Direction
from .base import Context, check

_DASH = re.compile(r"^[—–\-－/／]+$")
_AMOUNTS = ("initial", "budget", "spent")
_DIGIT = re.compile(r"\d")


def _not_number(cell: Cell | None) -> bool:
    if cell is None or number(cell) is not None or cell.blank:
        return False
    return not _DASH.match(cell.text)       # a dash is read as blank where the table shows one


def _numeric_cells(ctx: Context) -> Iterator[tuple[Cell, FundRow | IndicatorRow | None, str]]:
    """Every cell that must hold a number, with its row (None: the 总分) and column key."""
    t = ctx.table
    for row in t.funds.values():
        for key, cell in row.cells.items():
            if key != "note":
                yield cell, row, key
    for row in t.indicators:
        for key in _INDICATOR_NUMBERS:
            if (cell := row.get(key)) is not None:
                yield cell, row, key
    if t.total is not None:
        yield t.total, None, "total"


_INDICATOR_NUMBERS = {"weight": "分值", "score": "得分"}


def _what(ctx: Context, row: FundRow | IndicatorRow | None, key: str) -> str:
    """How a message names a cell of :func:`_numeric_cells` (worded only for a cell reported)."""
    if isinstance(row, FundRow):
        return f"{row.label.text}的{ctx.layout.funds.column(key).label}"
    if isinstance(row, IndicatorRow):
        return f"“{row.level3 or row.level1}”的{_INDICATOR_NUMBERS[key]}"
    return "总分"


@check("not-a-number", "error", "应填数字的单元格不是数字")
def not_a_number(ctx: Context) -> Iterator[Finding]:
    """A cell that must hold a number holds words: an amount, a rate, a 分值 or a 得分.

    Bad: 全年执行数 typed as ``约1000万``. Fix: type the number (``1000``); text like ``"1,011.98"`` or
    ``"99.76%"`` is accepted, a dash ``—`` is read as blank where the table shows one.
    """
    explained = {out.row.cells["score"].address for out in ctx.re.rows if out.shown}   # text-in-number-cell's
    for cell, row, key in _numeric_cells(ctx):
        if _not_number(cell) and cell.address not in explained:
            yield ctx.find("not-a-number", cell, _not_number_message(ctx, cell, _what(ctx, row, key)), "数字",
                           cell.value)


def _not_number_message(ctx: Context, cell: Cell, what: str) -> str:
    """Our template's formulas say in a ``#…`` text why they computed nothing: point the user at it."""
    if cell.formula and ctx.table.from_template and cell.text.startswith("#"):
        return f"{what}的公式显示“{cell.text}”，没有算出数字：请按此提示更正本行所填的值，保存前重新计算"
    return f"{what}不是数字：{cell.text}"


@check("negative-amount", "error", "金额为负数")
def negative_amount(ctx: Context) -> Iterator[Finding]:
    """An amount of the funds block is negative.

    Bad: 全年执行数 ``-50``. Fix: amounts are never negative; correct the figure.
    """
    for row in ctx.table.funds.values():
        for key in _AMOUNTS:
            amount = number(cell := row.get(key))       # None: blank, a dash or words (not-a-number's)
            if amount is not None and amount < 0:
                yield ctx.find("negative-amount", cell, f"{row.label.text}的金额不能为负数：{cell.text}",
                               "≥0", cell.value)


def _spec_direction(ctx: Context, level1: str, level2: str, name: str) -> Direction | None:
    level = match_level(ctx.system.levels, level1)
    for lv in ([level] if level else list(ctx.system.levels)):
        for child in (lv.children or (lv,)):
            for spec in child.indicators:
                if spec.name == name:
                    return spec.direction
    return None


@check("target-not-numeric", "error", "定量指标的年度指标值不是数字")
def target_not_numeric(ctx: Context) -> Iterator[Finding]:
    """A 定量 indicator (its 指标性质 is ≥ ≤ = 区间, or the indicator system says so) whose 年度指标值 is
    words, so no score can be computed.

    Bad: 预算完成率 with 年度指标值 ``较好``. Fix: state the target as a number, e.g. ``≥95%``.
    """
    for out in ctx.re.rows:
        row, target = out.row, out.row.get("target")
        if target is None or target.blank or _DIGIT.search(target.text):
            continue
        if out.error is not None and out.error.short == "#指标值不是数字":
            yield ctx.find("target-not-numeric", target, f"“{row.level3}”是定量指标，年度指标值应为数字：{target.text}",
                           "数字", target.value)
            continue
        spec = _spec_direction(ctx, row.level1, row.level2, row.level3)
        if spec is not None and spec is not Direction.QUAL and out.qualitative:
            yield ctx.find("target-not-numeric", target,
                           f"指标体系中“{row.level3}”为定量指标（{spec.value}），年度指标值应为数字：{target.text}",
                           "数字", target.value)


@check("unparseable-value", "warning", "指标值未能识别，此行得分未复核")
def unparseable_value(ctx: Context) -> Iterator[Finding]:
    """The text of 年度指标值, 实际完成值 or 指标性质 cannot be read for certain, so the row's score is not
    recomputed: the row is *not reviewed*, and says so, rather than passing with its stated score.

    Bad: 年度指标值 ``≥1.5万人次`` with 实际完成值 ``4.6万元`` (units differ), ``约一百六十天``, or 指标性质 ``高``.
    Fix: use one unit on both sides (万 may differ), a number, and a 指标性质 of ≥ ≤ = 区间 定性.
    """
    for out in ctx.re.rows:
        err = out.error
        if err is None or err.short in ("#指标值不是数字", PERCENT_UNCLEAR) or "为空" in err.message:
            continue
        cell = out.error_cell
        if cell is not None and cell.blank:
            continue            # a blank input is required-blank's to report
        key = _key_of(out.row, cell)
        what = ctx.layout.indicators.column(key).label if key else "指标值"
        yield ctx.find("unparseable-value", cell, f"“{out.row.level3}”：未能识别{what}“{cell.text if cell else ''}”，"
                       f"此行得分未复核（{err.message}）", None, cell.value if cell else None)


def _key_of(row, cell) -> str:
    return next((key for key, c in row.cells.items() if cell is not None and c.ref == cell.ref), "")


@check("percent-unclear", "warning", "百分数指标的另一侧未显示百分号")
def percent_unclear(ctx: Context) -> Iterator[Finding]:
    """A 年度指标值 in % (``≥95%``) beside a 实际完成值 shown without a % sign (``98`` or ``0.98`` in a General
    cell), or the other way round: 98% or 0.98%? The score is not recomputed rather than guessed.

    Bad: 年度指标值 ``≥95%``, 实际完成值 the number ``98`` in a General cell. Fix: type ``98%`` (Excel then
    stores 0.98 in a percent format), or format the cell as a percentage.
    """
    for out in ctx.re.rows:
        err = out.unclear or out.error
        if err is not None and err.short == PERCENT_UNCLEAR and out.error_cell is not None:
            cell = out.error_cell
            yield ctx.find("percent-unclear", cell, f"“{out.row.level3}”：{err.message}", "带 % 的值", cell.value)


@check("cost-direction", "warning", "成本指标写成了正向（≥）")
def cost_direction(ctx: Context) -> Iterator[Finding]:
    """A 成本指标 (an indicator under a 二级指标 the system names in ``cost_levels``) scored as 正向 (≥, or
    a bare number): a cost is to be kept at or below its target, so more spending would earn more points.
    An indicator named as a saving (``cost_positive_words``: 成本节约率 ≥ 5%) is fine as 正向.

    Bad: 成本指标 ``设备采购成本`` with 年度指标值 ``≥50万元``. Fix: ``≤50万元`` (指标性质 ≤).
    """
    levels = tuple(normalize_label(w) for w in ctx.settings.cost_levels)
    for out in ctx.re.rows:
        s, row = out.scored, out.row
        if s is None or not s.direction.positive or s.bands:
            continue
        if not any(w and w in normalize_label(row.level2) for w in levels):
            continue
        if any(w in row.level3 for w in ctx.settings.cost_positive_words):
            continue
        cell = row.get("direction") or row.get("target")
        yield ctx.find("cost-direction", cell, f"“{row.level3}”是{row.level2}，通常应为反向（≤ 指标值）；"
                       f"现按正向（≥）评分，实际越高得分越高，请核对指标性质", "≤", cell.value if cell else None)
