"""A small workbook interface: what the writeback and the 计算得分 button need, nothing more.

Two implementations share it: :class:`~selfeval_xl.book.openpyxl_book.OpenpyxlBook` (files, for the
batch ``score`` command and tests) and :class:`~selfeval_xl.book.xlwings_book.XlwingsBook` (a workbook
open in Excel, for the add-in). Everything above this interface — reading, checking, writing back —
is shared, so what the tests prove on files holds for the button.

Cells are addressed as (sheet name, ``"H14"``). Colours are ``"RRGGBB"`` text, ``""`` for no fill; what
:meth:`Book.fill` returns, :meth:`Book.set_fill` takes back (openpyxl also gives ``theme:4:0.6`` for a
palette colour, so a cell's own fill can be restored exactly).
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Protocol, Sequence

from ..read.grid import Grid


@dataclass(frozen=True)
class CellContent:
    """What a cell holds: its value (for a formula, the last computed one) and its formula text."""

    value: Any = None
    formula: str | None = None          # "=ROUND(…)", or None for a constant / blank


@dataclass(frozen=True)
class Link:
    """A cell of a written sheet that links to a cell elsewhere in the workbook."""

    sheet: str
    ref: str


class Book(Protocol):
    """The workbook operations the writeback and the add-in use."""

    def sheet_names(self) -> list[str]:
        """Names of the worksheets, in order."""

    def read(self, sheet: str, ref: str) -> CellContent:
        """The value and formula of one cell."""

    def write(self, sheet: str, ref: str, value: Any) -> None:
        """Put a constant into a cell (whatever it held before is replaced)."""

    def store_result(self, sheet: str, ref: str, value: Any) -> None:
        """Record the value a formula cell computes, keeping its formula (files keep it as the cached
        value; Excel computes its own)."""

    def defined_names(self) -> dict[str, str]:
        """Workbook-level defined names → what they refer to (``'表'!$C$3``)."""

    def comment(self, sheet: str, ref: str) -> str:
        """The text of a cell's comment (note), ``""`` when it has none."""

    def set_comment(self, sheet: str, ref: str, text: str) -> None:
        """Replace a cell's comment; ``""`` removes it."""

    def fill(self, sheet: str, ref: str) -> str | None:
        """A cell's solid fill (``RRGGBB`` or the implementation's own form), ``""`` for none, None for a
        fill that cannot be given back (a pattern)."""

    def set_fill(self, sheet: str, ref: str, color: str) -> None:
        """Fill a cell with a solid colour as :meth:`fill` gives it; ``""`` removes the fill."""

    def put_sheet(self, name: str, rows: Sequence[Sequence[Any]], links: dict[tuple[int, int], Link],
                  widths: Sequence[float] = ()) -> None:
        """Add a sheet (replacing one of that name) with ``rows``; ``links`` maps 0-based (row, col) to
        the cell it points at. The first row is a bold header."""

    def grids(self) -> list[Grid]:
        """Every worksheet as a :class:`Grid`, so the add-in reads through the batch reader's locator."""


class BookRefused(OSError):
    """A file beyond the limits, refused before any reader allocates for it; the message says which."""


def refuse_beyond(path, limits) -> None:
    """Raise :class:`BookRefused` when ``path`` is beyond ``limits`` (:mod:`selfeval_xl.read.guard`): a
    far cell makes python-calamine abort the process and openpyxl allocate for hours."""
    from ..read.guard import file_problem

    refused = file_problem(path, limits)
    if refused:
        raise BookRefused(refused)


ERROR_VALUES = frozenset({"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA",
                          "#SPILL!", "#CALC!"})
"""Excel's error values: a formula's cached value that is one of these is an error, not text."""


def plain_value(value: Any) -> Any:
    """What a cell can hold: the engine's Decimal becomes a float, everything else stays as it is."""
    return float(value) if isinstance(value, Decimal) else value
