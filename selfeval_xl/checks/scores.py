"""Stated scores and rates against what the engine computes from the same inputs."""
from __future__ import annotations

import re
from typing import Iterator

from ..core.findings import Finding
from ..core.recompute import number, rate_number
from ..core.rules import qual_band
from .base import Context, check, mismatches, percent, show


@check("exec-rate-mismatch", "error", "执行率与重算值不符")
def exec_rate_mismatch(ctx: Context) -> Iterator[Finding]:
    """执行率 is not 全年执行数 / 全年预算数 (compared at the precision it was typed with).

    Bad: 全年预算数 1014.4, 全年执行数 1011.98, 执行率 ``95%``. Fix: 1011.98 / 1014.4 = ``99.76%``.
    """
    yield from mismatches(ctx, "exec-rate-mismatch", "exec_rate", lambda e, x: f"执行率应为 {percent(x)}（{e.note}），"
                          f"表中为 {percent(rate_number(e.cell, x)) if rate_number(e.cell) is not None else '空'}",
                          use_stated=True)


@check("exec-score-mismatch", "error", "预算执行得分与重算值不符")
def exec_score_mismatch(ctx: Context) -> Iterator[Finding]:
    """预算执行得分 is not ROUND(MIN(执行率, 1) × 分值, 2). Over-spending earns no extra point.

    Bad: 执行率 99.76%, 分值 10, 得分 ``10``. Fix: ``9.98``.
    """
    yield from mismatches(ctx, "exec-score-mismatch", "exec_score",
                          lambda e, x: f"预算执行得分应为 {show(x)}（{e.note}），表中为 {show(e.cell.value)}",
                          use_stated=True)


@check("exec-rule-unknown", "warning", "未能识别表中写明的预算执行得分计算方法，预算执行得分未复核")
def exec_rule_unknown(ctx: Context) -> Iterator[Finding]:
    """The funds block states its own 得分计算方法 in words that are not one of the common forms
    (``执行率*该指标分值，最高不得超过分值上限``, ``20分*执行率``): the 预算执行 score is then not recomputed
    by the national rule — that would be a guess — and this says so.

    Bad: 得分计算方法 ``预算执行率未达到90%的，每低1个百分点扣1分``. Fix: nothing in the table; a bureau whose
    rule this is declares it in its system, or reviews the score by hand.
    """
    rule, cell = ctx.re.exec_rule, ctx.re.exec_rule_cell
    if rule is not None and not rule.understood:
        yield ctx.find("exec-rule-unknown", cell, f"未能识别得分计算方法“{rule.text[:60]}”，预算执行得分未复核",
                       None, rule.text)


@check("score-mismatch", "error", "指标得分与重算值不符")
def score_mismatch(ctx: Context) -> Iterator[Finding]:
    """An indicator's 得分 is not what its 年度指标值, 实际完成值 and 分值 give under the scoring rules.

    Bad: ``≥150天``, actual ``120天``, 分值 10, 得分 ``10``. Fix: 120 / 150 × 10 = ``8``.
    """
    by_row = {id(o.row): o for o in ctx.re.rows}

    def other_check_says_it(e) -> bool:       # out of band, or above its 分值: reported once, there
        out = by_row[id(e.row)]
        return out.out_of_band or (out.stated is not None and out.weight is not None and out.stated > out.weight)
    yield from mismatches(ctx, "score-mismatch", "score", lambda e, x: f"“{e.row.level3}”得分应为 {show(x)}"
                          f"（{e.note}），表中为 {show(e.cell.value)}", skip=other_check_says_it)


@check("qual-score-out-of-band", "error", "定性指标得分超出所评档次的分数区间")
def qual_score_out_of_band(ctx: Context) -> Iterator[Finding]:
    """A 定性 score outside its tier's band. 财预〔2020〕10号 第十七条: 达成 100–80%（含80%）, 部分达成 80–60%
    （含60%）, 未达成 60–0% of 分值; so 8 of 10 is 达成's score, not 部分达成's. The bands and each tier's
    default (nationally 100%, 70%, 30%) are settings of the system.

    Bad: 部分达成年度指标, 分值 10, 得分 ``8``. Fix: a score from 6 up to (not including) 8, or 达成.
    """
    for out in ctx.re.rows:
        if not out.out_of_band:
            continue
        if out.weight is not None and out.stated is not None and out.stated > out.weight:
            continue
        low, high = qual_band(out.tier, out.weight)
        band = f"{show(low)}–{show(high)}" + ("" if out.tier.closed else f"（不含{show(high)}）")
        yield ctx.find("qual-score-out-of-band", out.row.get("score"),
                       f"“{out.row.level3}”评为“{out.tier.phrase}”，得分应在 {band} 之间（{out.tier.band_words}），"
                       f"表中为 {show(out.stated)}", band, out.row.value("score"))


@check("qual-tier-unknown", "warning", "定性指标的实际完成值未写明档次")
def qual_tier_unknown(ctx: Context) -> Iterator[Finding]:
    """A 定性 indicator whose 实际完成值 names none of the system's tiers (达成年度指标 / 部分达成年度指标并
    具有一定效果 / 未达成年度指标且效果较差, or a synonym the system declares). Words such as 效果明显,
    较好, 基本达成 are not read as any tier: the score is then checked against 分值 only.

    Bad: 实际完成值 ``基本达成``. Fix: write the tier meant, e.g. ``部分达成年度指标并具有一定效果``.
    """
    names = " / ".join(t.phrase for t in ctx.settings.tiers)
    for out in ctx.re.rows:
        actual = out.row.get("actual")
        if not out.qualitative or out.tier is not None or actual is None or actual.blank:
            continue
        if re.search(r"\d", actual.text):      # a figure, not a tier word: target-not-numeric's case
            continue
        yield ctx.find("qual-tier-unknown", actual, f"“{out.row.level3}”的实际完成值“{actual.text}”不是定性档次，"
                       f"请写明所评档次（{names}）；得分暂只按分值检查", names, actual.value)


@check("score-over-weight", "error", "得分超过分值")
def score_over_weight(ctx: Context) -> Iterator[Finding]:
    """A score above its 分值: an indicator row, a 小计 row, or 预算执行得分 above its weight.

    Bad: 分值 10, 得分 ``12``. Fix: no score exceeds its 分值; over-achievement earns full marks only.
    """
    t = ctx.table
    rows = [(r, number(r.get("weight"))) for r in t.indicators if r.kind in ("indicator", "subtotal")]
    for row, weight in rows:
        score = number(row.get("score"))
        if weight is not None and score is not None and score > weight:
            yield ctx.find("score-over-weight", row.get("score"), f"“{row.level3 or row.level1}”得分 {show(score)} "
                           f"超过分值 {show(weight)}", weight, row.value("score"))
    funds = t.funds.get("total")
    if t.budget_scored and funds is not None and ctx.re.exec_weight is not None:
        score = number(funds.get("score"))
        if score is not None and score > ctx.re.exec_weight:
            yield ctx.find("score-over-weight", funds.get("score"), f"预算执行得分 {show(score)} 超过分值 "
                           f"{show(ctx.re.exec_weight)}", ctx.re.exec_weight, funds.get("score").value)

