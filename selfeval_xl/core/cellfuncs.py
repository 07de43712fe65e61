"""The SE_* worksheet functions as plain Python: cell values in, a number or a ``#…`` message out.

``udfs.py`` decorates these for xlwings and ``formulas_bridge`` registers them with the ``formulas``
package; both read the argument docs from :data:`ARG_DOCS`, which is also what tests check (xlwings'
decorators carry no metadata off Windows). A bad input gives a short text starting with ``#`` so a cell
shows ``#全年预算数为0`` and never a traceback.
"""
from __future__ import annotations

import functools
from typing import Callable

from . import rules
from .scoring import score_indicator

ARG_DOCS: dict[str, dict[str, str]] = {
    "SE_EXEC_RATE": {"budget": "全年预算数（万元），不能为0或空", "spent": "全年执行数（万元）"},
    "SE_EXEC_SCORE": {"budget": "全年预算数（万元），不能为0或空", "spent": "全年执行数（万元）",
                      "weight": "预算执行率分值，默认10"},
    "SE_IND_SCORE": {"target": "年度指标值（数字，或如“≥150天”“1.5万人次”的文字）",
                     "actual": "实际完成值（数字或文字，单位与指标值一致或差“万”）",
                     "weight": "该指标分值",
                     "direction": "指标性质：≥ > ≤ < = >= <= 正向 反向 等于"},
    "SE_RANGE_SCORE": {"lo": "区间下限", "hi": "区间上限", "actual": "实际完成值", "weight": "该指标分值"},
    "SE_QUAL_SCORE": {"tier": "定性档次：达成 / 部分达成 / 未达成，或官方档次表述", "weight": "该指标分值"},
    "SE_GRADE": {"total": "总分（0–100）"},
}

DESCRIPTIONS: dict[str, str] = {
    "SE_EXEC_RATE": "执行率 = 全年执行数 / 全年预算数（不四舍五入）",
    "SE_EXEC_SCORE": "预算执行得分 = ROUND(MIN(执行率,1)×分值, 2)",
    "SE_IND_SCORE": "定量指标得分：达到指标值得满分，否则按比例（正向、反向、等于）",
    "SE_RANGE_SCORE": "区间指标得分：区间内满分，低于下限按实际/下限，高于上限按上限/实际",
    "SE_QUAL_SCORE": "定性指标得分：返回该档默认得分（达成100%、部分达成70%、未达成30%×分值，均在本档区间内）",
    "SE_GRADE": "等级：90（含）以上优，80（含）–90良，60（含）–80中，60以下差",
}


def _cell(fn: Callable) -> Callable:
    """Turn a rule into a cell function: Decimal → float, RuleError → its short ``#…`` text."""
    @functools.wraps(fn)
    def call(*args):
        try:
            result = fn(*args)
        except rules.RuleError as exc:
            return exc.short
        return float(result) if not isinstance(result, str) else result
    return call


@_cell
def SE_EXEC_RATE(budget, spent):
    return rules.exec_rate(budget, spent)


@_cell
def SE_EXEC_SCORE(budget, spent, weight=10):
    return rules.exec_score(budget, spent, 10 if weight is None else weight)


@_cell
def SE_IND_SCORE(target, actual, weight, direction):
    if direction in (None, ""):
        raise rules.RuleError("指标性质为空", "#指标性质为空")
    return score_indicator(target, actual, weight, direction).score


@_cell
def SE_RANGE_SCORE(lo, hi, actual, weight):
    return rules.range_score(lo, hi, actual, weight)


@_cell
def SE_QUAL_SCORE(tier, weight):
    return rules.qual_score(tier, weight)


@_cell
def SE_GRADE(total):
    return rules.grade(total)


FUNCTIONS: dict[str, Callable] = {name: globals()[name] for name in ARG_DOCS}
