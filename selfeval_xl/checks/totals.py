"""Sums the table states: 年度资金总额 and 合计 over their parts, 小计, 加减分, 总分 and 等级."""
from __future__ import annotations

from typing import Iterator

from ..core.findings import Finding
from ..core.recompute import rate_number
from ..core.rules import grade_named
from .base import Context, check, mismatches, percent, show


def _funds_sums(ctx: Context, code: str, kind: str) -> Iterator[Finding]:
    if ctx.table.kind != kind:
        return
    label = ctx.table.funds["total"].label.text if "total" in ctx.table.funds else ""
    yield from mismatches(ctx, code, "funds_total", lambda e, x: f"{label}应等于 {e.note} = {show(x)}，表中为 "
                          f"{show(e.cell.value)}", use_stated=True)


@check("funds-total-mismatch", "error", "年度资金总额不等于各项资金之和")
def funds_total_mismatch(ctx: Context) -> Iterator[Finding]:
    """年度资金总额 is not 当年财政拨款 + 上年结转资金 + 其他资金 (in each amount column).

    Bad: 总额 120, 财政拨款 100, 结转 10, 其他 0. Fix: 总额 110, or correct the part that is wrong.
    """
    yield from _funds_sums(ctx, "funds-total-mismatch", "project")


@check("dept-funds-sum-mismatch", "error", "合计不等于基本支出与项目支出之和")
def dept_funds_sum_mismatch(ctx: Context) -> Iterator[Finding]:
    """The 合计 row of the 部门整体 资金情况 block is not 基本支出 + 项目支出.

    Bad: 支出预算数 合计 1132.01, 基本 800, 项目 214.4. Fix: 合计 1014.4.
    """
    yield from _funds_sums(ctx, "dept-funds-sum-mismatch", "department")


@check("dept-rate-mismatch", "error", "预算完成率不等于支出决算数 / 支出预算数")
def dept_rate_mismatch(ctx: Context) -> Iterator[Finding]:
    """预算完成率 in the 资金情况 block is not 支出决算数 / 支出预算数 (at the precision typed).

    Bad: 支出预算 1132.01, 决算 1011.98, 完成率 ``99.76%`` (that is 1011.98 / 1014.4). Fix: 89.40%, or
    the 支出预算数 that was meant.
    """
    yield from mismatches(ctx, "dept-rate-mismatch", "dept_rate", lambda e, x: f"预算完成率应为 {percent(x)}"
                          f"（{e.note}），表中为 {percent(rate_number(e.cell, x)) if rate_number(e.cell) is not None else '空'}",
                          use_stated=True)


@check("subtotal-mismatch", "error", "小计不等于各行得分之和")
def subtotal_mismatch(ctx: Context) -> Iterator[Finding]:
    """A ``<一级指标>小计`` row's 自评得分 is not the sum of its rows' scores as stated.

    Bad: 管理效能小计 44.43 over rows summing to 43.93. Fix: correct the sum (or the row that is wrong).
    """
    yield from mismatches(ctx, "subtotal-mismatch", "subtotal", lambda e, x: f"{e.row.level1}小计应为 {show(x)}"
                          f"（{e.note}），表中为 {show(e.cell.value)}", use_stated=True)


@check("bonus-out-of-range", "error", "加减分超出范围")
def bonus_out_of_range(ctx: Context) -> Iterator[Finding]:
    """加减分项 adds up to more than its bound (±5 by default; a setting of the system).

    Bad: 加减分 ``+8``. Fix: at most +5 and at least −5.
    """
    rows = ctx.table.rows("bonus")
    total, (low, high) = ctx.re.bonus_stated, ctx.re.bonus_bounds
    if rows and not low <= total <= high:
        yield ctx.find("bonus-out-of-range", rows[0].get("score"), f"加减分合计 {show(total)} 超出 {show(low)}"
                       f"–{show(high)}", f"{show(low)}–{show(high)}", total)


@check("total-mismatch", "error", "总分不等于各项得分之和")
def total_mismatch(ctx: Context) -> Iterator[Finding]:
    """总分 is not the sum of the scores the table states (预算执行得分 and every indicator; for a
    department, the 一级 小计 and 加减分, kept within 0–100).

    Bad: 9.55 + 46.4 + 30 + 9 stated as ``95.95``. Fix: ``94.95``.
    """
    yield from mismatches(ctx, "total-mismatch", "total", lambda e, x: f"总分应为各项得分之和 {show(x)}，表中为 "
                          f"{show(e.cell.value)}", use_stated=True)


@check("grade-mismatch", "error", "等级与总分不符")
def grade_mismatch(ctx: Context) -> Iterator[Finding]:
    """等级 is not the grade of the 总分 (90 优, 80 良, 60 中, below 差; the bands are a setting).

    Bad: 总分 88.5, 等级 ``优``. Fix: ``良``.
    """
    for e in ctx.re.of_kind("grade"):
        if e.from_stated is None or e.cell.formula:
            continue
        named = grade_named(e.cell.text, ctx.settings)
        if (named is not None or e.cell.blank) and named != e.from_stated:
            yield ctx.find("grade-mismatch", e.cell, f"总分对应的等级为“{e.from_stated}”，表中为“{e.cell.text or '空'}”",
                           e.from_stated, e.cell.value)


@check("grade-not-understood", "warning", "等级不是评分体系中的等级，未核对")
def grade_not_understood(ctx: Context) -> Iterator[Finding]:
    """The 等级 cell holds words that are none of the system's grades (优、良、中、差, or a word for one of
    them such as 优秀; both are settings): it is not checked against the 总分 rather than guessed.

    Bad: 等级 ``合格`` under grades 优、良、中、差. Fix: the grade of the 总分 (see 应为); or, where the
    bureau grades in other words, its system's ``grades`` / ``grade_words``.
    """
    for e in ctx.re.of_kind("grade"):
        if e.from_stated is None or e.cell.formula or e.cell.blank:
            continue
        if grade_named(e.cell.text, ctx.settings) is None:
            names = "、".join(name for _, name in ctx.settings.grades)
            yield ctx.find("grade-not-understood", e.cell, f"等级“{e.cell.text}”不是本评分体系的等级（{names}），"
                           f"未与总分核对；按总分应为“{e.from_stated}”", e.from_stated, e.cell.value)
