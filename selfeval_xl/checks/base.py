"""The frame every check runs in: a registry of checks by stable code, and the context they read.

After frictionless-py and sqlfluff: a check is a small function registered under one kebab-case code
(declared once in :data:`selfeval_xl.core.findings.CATALOGUE`), its docstring the user's documentation (a
bad example and the fix). It reads a :class:`Context` (the table, its recomputation, the indicator
system) and yields findings; it never raises — :func:`run_checks` turns a crash into ``check-failed``.
"""
from __future__ import annotations

import traceback
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Any, Callable, Iterable, Iterator

from ..core.findings import Finding, Severity, declare, finding
from ..core.layout import Layout, load_layout
from ..core.model import Cell, Table
from ..core.parse import shown_places
from ..core.recompute import RATE_KINDS, Expected, Recomputed, number, rate_number
from ..core.rules import Settings, xl_round
from ..core.system import IndicatorSystem


@dataclass(frozen=True)
class Check:
    code: str
    severity: Severity
    title: str
    run: Callable[["Context"], Iterable[Finding]]

    @property
    def doc(self) -> str:
        return (self.run.__doc__ or "").strip()


CHECKS: list[Check] = []
"""Every registered check, in the order they run (the order of the modules in ``checks/__init__``)."""


def check(code: str, severity: Severity | str, title: str):
    """Register the decorated function as the check of ``code`` (declared in the catalogue)."""
    entry = declare(code, severity, title)

    def register(fn: Callable[["Context"], Iterable[Finding]]) -> Callable[["Context"], Iterable[Finding]]:
        CHECKS.append(Check(code, entry.severity, title, fn))
        return fn
    return register


@dataclass
class Context:
    """What a check reads: one table of one file, recomputed under its indicator system."""

    file: str
    table: Table
    system: IndicatorSystem
    re: Recomputed
    formulas_known: bool = False     # the source gave formulas (.xlsx), so a missing one means something

    @property
    def settings(self) -> Settings:
        return self.system.settings

    @property
    def layout(self) -> Layout:
        return layout_of(self.table.layout or self.table.kind)

    def find(self, code: str, cell: Cell | None, message: str, expected: Any = None, found: Any = None
             ) -> Finding:
        cell = cell or self.table.anchor
        return finding(code, message, file=self.file, sheet=cell.sheet if cell else self.table.sheet,
                       cell=cell.ref if cell else "", expected=expected, found=found)


@lru_cache(maxsize=None)
def layout_of(name: str) -> Layout:
    """A packaged layout by name (a table kind names its base layout), loaded once per process."""
    return load_layout(name)


def run_checks(ctx: Context, checks: Iterable[Check] | None = None) -> Iterator[Finding]:
    """Run every check on one table; a check that crashes becomes one ``check-failed`` finding."""
    for item in checks if checks is not None else CHECKS:
        try:
            yield from list(item.run(ctx))
        except Exception as exc:  # noqa: BLE001 - a broken check must not stop the run
            where = traceback.extract_tb(exc.__traceback__)[-1]
            yield ctx.find("check-failed", None, f"检查“{item.code}”出错：{type(exc).__name__}: {exc}"
                           f"（{where.name}:{where.lineno}）")


def show(value: Any) -> str:
    """A value as a reviewer reads it in a message: Decimal 9.50 → 9.5, blank → 空."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return "空"
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral_value() else format(value, "f")
    if isinstance(value, float):
        return format(value, ".15g")
    return str(value)


def percent(rate: Any) -> str:
    return "空" if rate is None else f"{Decimal(str(rate)) * 100:.2f}%"


def differs(ctx: Context, e: Expected, use_stated: bool = False, formula_cells: bool = False) -> bool:
    """Does the cell state something else than expected? Formula cells are left to the formula checks
    (unless ``formula_cells``), words to ``not-a-number``; a blank differs. ``use_stated`` compares with
    ``from_stated`` (the sums of what the table states)."""
    expected = e.from_stated if use_stated else e.value
    if expected is None or (e.cell.formula and not formula_cells):
        return False
    if e.cell.blank:
        return True
    stated = rate_number(e.cell, expected) if e.what in RATE_KINDS else number(e.cell)
    if stated is None:
        return False
    places = e.places or 2
    shown = shown_places(e.cell.value, e.cell.number_format) if ctx.settings.compare_as_shown else None
    if shown is not None and shown < places:        # 86% shown for 86.2%: right at the decimals it shows
        places = shown
    gap = abs(xl_round(stated, places) - xl_round(Decimal(expected), places))
    return gap > Decimal(str(ctx.settings.score_tolerance if e.places is None else 0))


def mismatches(ctx: Context, code: str, what: str, describe: Callable[[Expected, Any], str],
               use_stated: bool = False, skip: Callable[[Expected], bool] | None = None) -> Iterator[Finding]:
    """A finding of ``code`` for every computed cell of kind ``what`` that states something else than
    expected; ``describe(e, expected)`` words the message (the expected and found values are added)."""
    for e in ctx.re.of_kind(what):
        if (skip is None or not skip(e)) and differs(ctx, e, use_stated):
            expected = e.from_stated if use_stated else e.value
            yield ctx.find(code, e.cell, describe(e, expected), expected, e.cell.value)
