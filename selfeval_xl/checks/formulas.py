"""Formulas in computed cells: replaced by typed numbers, or stored results that are stale."""
from __future__ import annotations

from typing import Iterator

from ..core.findings import Finding
from ..core.recompute import Expected, number
from .base import Context, check, differs, show


def _with_formula_peers(ctx: Context) -> set[str]:
    """The kinds of computed cell of which at least one carries a formula in this table."""
    return {e.what for e in ctx.re.cells.values() if e.cell.formula}


def _expected_here(e: Expected):
    """What the cell's formula computes from the cells as they stand: sums over the stated parts, rates
    and 预算执行得分 from the stated amounts (``from_stated``; for a score, its recomputed value)."""
    return e.from_stated


@check("formula-replaced", "warning", "公式被手工数字替换")
def formula_replaced(ctx: Context) -> Iterator[Finding]:
    """A computed cell (得分, 执行率, 小计, 总分 …) holds a typed value where the template, or the other
    cells of its kind in the table, hold a formula: it will not follow changes to its inputs.

    Bad: 得分 cell ``8`` where its neighbours read ``=SE_IND_SCORE(…)``. Fix: restore the formula
    (copy it from the cell above) or recompute with ``selfeval score``.
    """
    if not ctx.formulas_known:
        return
    peers = _with_formula_peers(ctx)
    for e in ctx.re.cells.values():
        if e.cell.formula or e.cell.blank:
            continue
        if e.what in peers:
            yield ctx.find("formula-replaced", e.cell, f"此单元格应为公式，现为手工填写的 {show(e.cell.value)}",
                           "公式", e.cell.value)


@check("stale-cached-value", "error", "公式单元格的存储值与应得值不一致")
def stale_cached_value(ctx: Context) -> Iterator[Finding]:
    """A formula cell whose stored (cached) value is not what its formula computes from the table's
    inputs: the file was saved by a tool that did not recalculate, or the formula was altered.

    Bad: ``=SUM(I10:I20)`` stored as ``90`` while the scores add to 94.43. Fix: open the file in Excel
    or WPS, recalculate (F9), check the formula, and save.
    """
    for e in ctx.re.cells.values():
        expected = _expected_here(e)
        if not e.cell.formula or e.cell.blank or expected is None:
            continue
        if e.what == "grade":
            if e.cell.text != expected:
                yield ctx.find("stale-cached-value", e.cell, f"公式存储值为“{e.cell.text}”，应为“{expected}”",
                               expected, e.cell.value)
            continue
        if number(e.cell) is None:
            continue
        if differs(ctx, e, use_stated=True, formula_cells=True):
            yield ctx.find("stale-cached-value", e.cell, f"公式存储值为 {show(e.cell.value)}，按公式应为 "
                           f"{show(expected)}（文件保存时未重算）", expected, e.cell.value)


@check("formula-not-calculated", "warning", "公式没有存储计算结果")
def formula_not_calculated(ctx: Context) -> Iterator[Finding]:
    """A formula cell with no stored result (the file was written by a program and never opened in a
    spreadsheet): the checks use the recomputed value instead.

    Fix: open and save the file in Excel, WPS or LibreOffice before submitting.
    """
    for e in ctx.re.cells.values():
        if e.cell.formula and e.cell.blank:
            yield ctx.find("formula-not-calculated", e.cell, f"公式没有计算结果，应为 {show(_expected_here(e))}",
                           _expected_here(e), None)


@check("formula-broken", "error", "公式引用了已删除的单元格")
def formula_broken(ctx: Context) -> Iterator[Finding]:
    """A computed cell whose formula refers to cells that no longer exist (``#REF!``): rows were
    deleted after the formula was written, so Excel shows ``#REF!`` whatever is typed.

    Bad: 总分 ``=I11+#REF!+#REF!+I12`` (seen in 项目库 exports after indicator rows were removed).
    Fix: rewrite the formula over the rows that are there (``=SUM(I11:I13)+I5``) or use our template.
    """
    for e in ctx.re.cells.values():
        if e.cell.formula and "#REF!" in e.cell.formula.upper():
            yield ctx.find("formula-broken", e.cell, f"公式引用了已删除的单元格（#REF!）：{e.cell.formula}",
                           _expected_here(e), e.cell.formula)
