"""The frame every check runs in: the unit of a check, and the context a table check reads.

After sqlfluff and frictionless-py: a check is ONE unit (:class:`Check`) — a stable kebab-case code, a
severity, a Chinese title, the function that raises it (its docstring the English documentation) and,
in the YAML file beside its module (``totals.py`` → ``totals.yaml``), its English title, the Chinese
说明 / 错误示例 / 改法 and its CASES (a bad input that must raise it at a cell, a fixed one that must
not; run by tests/test_check_cases.py). :mod:`.registry` lists the units in the order they run. A table
check reads a :class:`Context` (the table, its recomputation, the indicator system) and yields
findings; it never raises — :func:`run_checks` turns a crash into ``check-failed``.
"""
from __future__ import annotations

import sys
import traceback
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from ..core.datafiles import safe_yaml
from ..core.findings import Finding, Severity, declare, finding
from ..core.layout import Layout, load_layout, normalize_label
from ..core.model import Cell, Table
from ..core.parse import shown_places
from ..core.recompute import RATE_KINDS, Expected, Recomputed, number, rate_number
from ..core.rules import Settings, xl_round
from ..core.system import IndicatorSystem
from .quality.pack import Pack, default_pack

DOC_FIELDS = ("title_en", "explain", "bad", "fix")
"""What the YAML beside a check module says of each of its codes (``english`` too, for a code no
function raises; ``cases`` for the case test)."""


@dataclass(frozen=True)
class Check:
    """One check of the registry: what it is (code, severity, Chinese title), what raises it (``run``;
    None for a code the reader, the batch or the report reader raises), and where its documentation
    and cases are (the YAML beside ``module``, read only when asked for: the check path never reads it)."""

    code: str
    severity: Severity
    title: str
    run: Callable[..., Iterable[Finding]] | None = None
    module: str = ""

    def __call__(self, *args: Any) -> Iterable[Finding]:
        assert self.run is not None, self.code
        return self.run(*args)

    @property
    def text(self) -> dict[str, Any]:
        """This code's entry in the YAML beside its module (title_en, explain, bad, fix, english, cases)."""
        return texts_of(self.module).get(self.code, {})

    @property
    def doc(self) -> str:
        """The English documentation: the function's docstring, else the YAML's ``english``."""
        return ((self.run.__doc__ if self.run is not None else None) or self.text.get("english") or "").strip()

    @property
    def cases(self) -> list[dict[str, Any]]:
        return list(self.text.get("cases") or [])


@lru_cache(maxsize=None)
def texts_of(module: str) -> dict[str, dict[str, Any]]:
    """The YAML file beside a module (``selfeval_xl/checks/totals.yaml``), by code; read once."""
    path = Path(sys.modules[module].__file__ or "").with_suffix(".yaml")
    if not path.exists():
        return {}
    return safe_yaml(path.read_text(encoding="utf-8")) or {}


def check(code: str, severity: Severity | str, title: str) -> Callable[[Callable[..., Iterable[Finding]]], Check]:
    """Make the decorated function the unit of ``code`` (declared in the finding catalogue once)."""
    entry = declare(code, severity, title)

    def unit(fn: Callable[..., Iterable[Finding]]) -> Check:
        return Check(code, entry.severity, title, fn, fn.__module__)
    return unit


def raised(code: str, severity: Severity | str, title: str, module: str) -> Check:
    """The unit of a code no check function raises (the reader's, the batch's): declared, documented
    and cased in the YAML beside ``module`` like any other."""
    entry = declare(code, severity, title)
    return Check(code, entry.severity, title, None, module)


@dataclass
class Context:
    """What a check reads: one table of one file, recomputed under its indicator system."""

    file: str
    table: Table
    system: IndicatorSystem
    re: Recomputed
    formulas_known: bool = False     # the source gave formulas (.xlsx), so a missing one means something
    quality: Pack = field(default_factory=default_pack)    # the run's 指标质量 pack (a bureau's, or ours)

    @property
    def settings(self) -> Settings:
        return self.system.settings

    @cached_property
    def tolerance(self) -> Decimal:
        """The system's score tolerance as a Decimal (made once per table: every compared score reads it)."""
        return Decimal(str(self.settings.score_tolerance))

    @cached_property
    def row_levels(self) -> tuple[str, ...]:
        """Each recomputed indicator row's 一级 and 二级 as one comparison key, in the order of ``re.rows``:
        several 指标质量 rules place a row by them (so each table's are normalised once)."""
        return tuple(normalize_label(o.row.level1) + normalize_label(o.row.level2) for o in self.re.rows)

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


def run_checks(ctx: Any, checks: Iterable[Check], failed: Callable[[str], Finding] | None = None
               ) -> Iterator[Finding]:
    """Run the checks on one table (or report); a check that crashes becomes one ``check-failed``
    finding, built by ``failed(message)`` (by default at the table's anchor)."""
    for item in checks:
        try:
            yield from list(item.run(ctx))
        except Exception as exc:  # noqa: BLE001 - a broken check must not stop the run
            where = traceback.extract_tb(exc.__traceback__)[-1]
            message = f"检查“{item.code}”出错：{type(exc).__name__}: {exc}（{where.name}:{where.lineno}）"
            yield failed(message) if failed else ctx.find("check-failed", None, message)


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
    return _gap(ctx, e, stated, expected) > (ctx.tolerance if e.places is None else 0)


def _gap(ctx: Context, e: Expected, stated: Decimal, expected: Any) -> Decimal:
    """How far the stated figure is from the expected one at the decimals compared (those of ``e``, or
    fewer where the cell shows fewer). Equal figures are equal at any decimals: nothing to round (most
    cells of a sound table)."""
    if stated == expected:
        return Decimal(0)
    places = e.places or 2
    shown = shown_places(e.cell.value, e.cell.number_format) if ctx.settings.compare_as_shown else None
    if shown is not None and shown < places:        # 86% shown for 86.2%: right at the decimals it shows
        places = shown
    return abs(xl_round(stated, places) - xl_round(Decimal(expected), places))


def mismatches(ctx: Context, code: str, what: str, describe: Callable[[Expected, Any], str],
               use_stated: bool = False, skip: Callable[[Expected], bool] | None = None) -> Iterator[Finding]:
    """A finding of ``code`` for every computed cell of kind ``what`` that states something else than
    expected; ``describe(e, expected)`` words the message (the expected and found values are added)."""
    for e in ctx.re.of_kind(what):
        if (skip is None or not skip(e)) and differs(ctx, e, use_stated):
            expected = e.from_stated if use_stated else e.value
            yield ctx.find(code, e.cell, describe(e, expected), expected, e.cell.value)
