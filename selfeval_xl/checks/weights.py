"""Weights (分值): each level sums to its parent, the whole to 100, every first-level indicator present."""
from __future__ import annotations

from decimal import Decimal
from typing import Iterator

from ..core.findings import Finding
from ..core.layout import normalize_label
from ..core.model import Cell
from ..core.recompute import RowResult, match_level, number
from .base import Context, check, show

ZERO = Decimal(0)


def _weights_by_level(ctx: Context) -> dict[str, list[RowResult]]:
    groups: dict[str, list[RowResult]] = {}
    for out in ctx.re.rows:
        if out.level is not None:
            groups.setdefault(out.level.name, []).append(out)
    return groups


def _sum(outs: list[RowResult]) -> Decimal:
    return sum((o.weight for o in outs if o.weight is not None), ZERO)


def weight_sum(ctx: Context) -> Decimal:
    """All 分值 of the table: 预算执行 (when the funds block scores it), indicator rows, 加减分项 rows (or the system's bonus weight)."""
    total = _sum(ctx.re.rows) + (ctx.re.exec_weight or ZERO if ctx.table.budget_scored else ZERO)
    bonus_rows = ctx.table.rows("bonus")
    if bonus_rows:
        total += sum((number(r.get("weight")) or ZERO for r in bonus_rows), ZERO)
    elif ctx.system.bonus_level is not None:
        total += ctx.system.bonus_level.weight or ZERO
    return total


@check("total-weight-not-100", "error", "分值合计不等于总分")
def total_weight_not_100(ctx: Context) -> Iterator[Finding]:
    """The 分值 of the whole table do not add up to the system's total (100).

    Bad: 预算执行 10 + 产出 50 + 效益 30 and no 满意度 rows: 90. Fix: weights summing to 100.
    """
    if not ctx.re.rows or "indicators.weight" not in ctx.table.headers:
        return          # no 分值 column (the 20 + 80 form): no weight was read to add; table-partly-read says so
    total = weight_sum(ctx)
    if ends_early(ctx) and total <= ctx.system.total:
        return          # a table that may go on elsewhere: table-incomplete says so; past 100 it can only grow
    if total != ctx.system.total:
        cell = ctx.table.total_weight or ctx.table.headers.get("indicators.weight")
        yield ctx.find("total-weight-not-100", cell, f"分值合计为 {show(total)}，应为 {show(ctx.system.total)}",
                       ctx.system.total, total)


@check("weight-split-differs", "warning", "一级指标权重与指标体系不同（合计仍为100）")
def weight_split_differs(ctx: Context) -> Iterator[Finding]:
    """A first-level indicator's weight differs from the system's while the table still sums to 100
    ("原则上…如有特殊情况，一级指标权重可做适当调整"): allowed, but worth a look.

    Bad: 产出 50, 效益 40, no 满意度. Fix: 效益 30 and 满意度 10, or explain the adjustment.
    """
    if not ctx.re.rows or weight_sum(ctx) != ctx.system.total:
        return
    for name, outs in _weights_by_level(ctx).items():
        level = ctx.system.level(name)
        if level is None or level.weight is None or level.bonus:
            continue
        total = _sum(outs)
        if total != level.weight:
            yield ctx.find("weight-split-differs", outs[0].row.get("weight"),
                           f"{name}分值合计为 {show(total)}，指标体系为 {show(level.weight)}", level.weight, total)


@check("level-weights-mismatch", "error", "下级指标分值之和不等于上级")
def level_weights_mismatch(ctx: Context) -> Iterator[Finding]:
    """The weights of a level do not sum to their parent: a stated 小计's 分值 against its rows, or a
    second-level indicator against the weight the system gives it (资金管理 16 …).

    Bad: 管理效能小计 分值 45 over rows summing to 43. Fix: correct the rows' 分值 or the 小计.
    """
    groups = _weights_by_level(ctx)
    for row in ctx.table.rows("subtotal"):
        level = match_level(ctx.system.levels, row.level1)
        stated = number(row.get("weight"))
        if level is None or stated is None or level.name not in groups:
            continue
        total = _sum(groups[level.name])
        if total != stated:
            yield ctx.find("level-weights-mismatch", row.get("weight"),
                           f"{level.name}小计分值为 {show(stated)}，各行分值之和为 {show(total)}", total, row.value("weight"))
    for name, outs in groups.items():
        level = ctx.system.level(name)
        children = level.children if level else ()
        if all(child.weight is None for child in children):
            continue
        placed = [(match_level(children, o.row.level2), o) for o in outs]     # each row's 二级, once
        for child in children:
            if child.weight is None:
                continue
            rows = [o for under, o in placed if under is child]
            if rows and _sum(rows) != child.weight:
                yield ctx.find("level-weights-mismatch", rows[0].row.get("weight"),
                               f"{name} › {child.name} 各行分值之和为 {show(_sum(rows))}，指标体系为 {show(child.weight)}",
                               child.weight, _sum(rows))


def ends_early(ctx: Context) -> bool:
    """The table has no 总分 row, 分值 合计 or 等级: it may stop where a page was cut, so what is not there
    cannot be called missing (``table-incomplete`` says so instead of two errors)."""
    table = ctx.table
    return table.total is None and table.total_weight is None and table.grade is None


@check("table-incomplete", "warning", "表格未见总分行，可能不完整")
def table_incomplete(ctx: Context) -> Iterator[Finding]:
    """The table ends without a 总分 row (nor a 分值 合计 or 等级), and its weights do not reach the system's
    total or a first-level indicator has no rows: the table may be cut off (a page missing, a copy that
    stops early). Whether 分值 add to 100 and every 一级指标 is there is then not checked — said once here,
    not reported as errors of a table that may simply continue elsewhere.

    Bad: a table whose last rows are 产出指标 and that has no 总分 row. Fix: submit the whole table, with
    its 满意度指标 rows and the 总分 row.
    """
    if not ends_early(ctx) or "indicators.weight" not in ctx.table.headers:
        return              # no indicator header at all: layout-missing says so
    present = {o.level.name for o in ctx.re.rows if o.level is not None}
    missing = [lv.name for lv in ctx.system.scored_levels if lv.name not in present]
    total = weight_sum(ctx)
    if missing or total != ctx.system.total:
        rows = ctx.re.rows
        last = (rows[-1].row.get("level3") if rows else ctx.table.headers.get("indicators.level1")) or ctx.table.anchor
        lacking = f"；未见{'、'.join(missing)}" if missing else ""
        yield ctx.find("table-incomplete", last, f"表格在第 {last.row} 行后结束，未见总分行：分值合计 "
                       f"{show(total)}（应为 {show(ctx.system.total)}）{lacking}。分值合计与一级指标是否齐全未检查，"
                       "请提交完整的表格", ctx.system.total, total)


@check("level-missing", "error", "缺少一级指标")
def level_missing(ctx: Context) -> Iterator[Finding]:
    """A first-level indicator of the system has no rows at all (no 满意度指标 rows, say).

    Bad: a project table with 产出 and 效益 rows only. Fix: add the 满意度指标 rows with their 分值.
    """
    if ends_early(ctx):
        return
    present = {o.level.name for o in ctx.re.rows if o.level is not None}
    present |= {lv.name for r in ctx.table.rows("subtotal") if (lv := match_level(ctx.system.levels, r.level1))}
    anchor: Cell | None = ctx.table.headers.get("indicators.level1") or ctx.table.anchor
    for level in ctx.system.scored_levels:
        if level.name not in present:
            yield ctx.find("level-missing", anchor, f"缺少一级指标“{level.name}”（分值 {show(level.weight)}）",
                           level.name, None)


@check("unknown-level", "warning", "指标名称不在指标体系中")
def unknown_level(ctx: Context) -> Iterator[Finding]:
    """A row's 一级 or 二级 indicator is not one of the system's, so its weight cannot be checked.

    Bad: 二级指标 ``校园用户满意度`` under 满意度指标. Fix: use the system's name, ``服务对象满意度指标``.
    """
    for out in ctx.re.rows:
        row = out.row
        if out.level is None:
            if row.level1 and row.get("level1") is not None and not row.cells["level1"].blank:
                yield ctx.find("unknown-level", row.get("level1"), f"一级指标“{row.level1}”不在指标体系中",
                               " / ".join(lv.name for lv in ctx.system.levels), row.level1)
            continue
        if out.level.children and row.level2 and match_level(out.level.children, row.level2) is None:
            cell = row.get("level2")
            if cell is not None and normalize_label(cell.text) == normalize_label(row.level2):
                yield ctx.find("unknown-level", cell, f"二级指标“{row.level2}”不在“{out.level.name}”之下",
                               " / ".join(c.name for c in out.level.children), row.level2)
