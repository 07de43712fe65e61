"""Formulas in computed cells: replaced by typed numbers, or stored results that are stale."""
from __future__ import annotations

import re
from dataclasses import replace
from typing import Iterable, Iterator

from ..core.findings import Finding
from ..core.model import Table
from ..core.recompute import Expected
from ..core.rules import grade_named
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
        if e.what == "grade":               # a word for the grade it should be (优秀 for 优) is that grade
            if (grade_named(e.cell.text, ctx.settings) or e.cell.text) != expected:
                yield ctx.find("stale-cached-value", e.cell, f"公式存储值为“{e.cell.text}”，应为“{expected}”",
                               expected, e.cell.value)
            continue
        if differs(ctx, e, use_stated=True, formula_cells=True):     # (words are not-a-number's)
            if e.cell.address in ctx.table.computed:
                yield ctx.find("stale-cached-value", e.cell, f"公式没有存储值，{COMPUTED}为 {show(e.cell.value)}，"
                               f"按表中数据应为 {show(expected)}（公式有误）", expected, e.cell.value)
                continue
            yield ctx.find("stale-cached-value", e.cell, f"公式存储值为 {show(e.cell.value)}，按公式应为 "
                           f"{show(expected)}（文件保存时未重算）", expected, e.cell.value)


@check("formula-not-calculated", "warning", "公式没有存储计算结果")
def formula_not_calculated(ctx: Context) -> Iterator[Finding]:
    """A formula cell with no stored result (the file was written by a program and never opened in a
    spreadsheet) that could not be computed as Excel would (a function the ``formulas`` package lacks,
    a reference to another workbook, a workbook beyond the ``formula_cells`` / ``formula_inputs``
    limits): the message says why, and the checks use the recomputed value instead. Such cells that
    could be computed are checked with their computed values, as if Excel had stored them.

    Fix: open and save the file in Excel, WPS or LibreOffice before submitting.
    """
    for e in ctx.re.cells.values():
        if e.cell.formula and e.cell.blank and e.cell.address not in ctx.table.computed:
            why = ctx.table.not_computed.get(e.cell.address)
            yield ctx.find("formula-not-calculated", e.cell, f"公式没有计算结果{f'（{why}）' if why else ''}，"
                           f"应为 {show(_expected_here(e))}", _expected_here(e), None)


COMPUTED = "按公式计算"
"""What a message says of a cell whose formula had no stored result and was computed by us."""


def computed_noted(findings: Iterable[Finding], table: Table) -> list[Finding]:
    """The findings, those at a cell computed for lack of a stored result saying so: the value they
    name is what Excel would show, not what the file holds."""
    if not table.computed:
        return list(findings)
    noted = []
    for f in findings:
        if COMPUTED not in f.message and f.cell and f.position in table.computed:
            f = replace(f, message=f"{f.message}（该单元格公式无存储值，{COMPUTED}）")
        noted.append(f)
    return noted


_REF = re.compile("#REF!", re.IGNORECASE)
"""Excel's error for a reference to deleted cells, in any case (a search, not an upper-cased copy of
a formula that may be thousands of characters long)."""


@check("formula-broken", "error", "公式引用了已删除的单元格")
def formula_broken(ctx: Context) -> Iterator[Finding]:
    """A computed cell whose formula refers to cells that no longer exist (``#REF!``): rows were
    deleted after the formula was written, so Excel shows ``#REF!`` whatever is typed.

    Bad: 总分 ``=I11+#REF!+#REF!+I12`` (seen in 项目库 exports after indicator rows were removed).
    Fix: rewrite the formula over the rows that are there (``=SUM(I11:I13)+I5``) or use our template.
    """
    for e in ctx.re.cells.values():
        if e.cell.formula and _REF.search(e.cell.formula):
            yield ctx.find("formula-broken", e.cell, f"公式引用了已删除的单元格（#REF!）：{e.cell.formula}",
                           _expected_here(e), e.cell.formula)
