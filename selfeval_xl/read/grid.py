"""A sheet as plain data: the one shape every reader produces and the locator reads.

Why a grid of our own: the same locator must serve python-calamine (.xlsx/.xls files), the XML of a
workbook (formulas) and the Excel add-in (a live xlwings book). Each source fills a :class:`Grid`;
nothing downstream knows where the values came from.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Iterator

Merged = tuple[int, int, int, int]
"""A merged range, 0-based and inclusive: (first_row, first_col, last_row, last_col)."""


@dataclass
class Grid:
    """One worksheet's cells as values.

    - ``rows[r][c]`` is the value of Excel row ``r + 1``, column ``c + 1`` (``rows[0][0]`` is A1); rows
      may have different lengths and missing cells read as blank. Values are what a cell shows as
      data: ``None`` or ``""`` for blank, ``str``, ``int``/``float``, ``bool`` or a date; for a formula
      cell, its cached (last computed) value, ``None``/``""`` if none was stored.
    - ``formulas`` maps 0-based ``(row, col)`` to the formula text starting with ``=``; ``None`` when the
      source gives no formulas (.xls, a values-only read), so "no formula here" is unknown.
    - ``merged``: merged ranges as 0-based inclusive ``(r0, c0, r1, c1)``; the value sits in the top-left.
    - ``truncated``: True when the source had more rows than were read (``rows`` holds the first ones).
    - ``formats``: number formats (``"0.00%"``) by 0-based ``(row, col)`` for cells not in the General
      format; ``None`` when the source gives none (.xls values, a live book), so a format is unknown.
    - ``computed``: formula cells the file stored no result for, whose value in ``rows`` was computed
      (:mod:`selfeval_xl.read.uncached`); ``not_computed``: those left blank, with why.
    """

    name: str
    rows: list[list[Any]]
    formulas: dict[tuple[int, int], str] | None = None
    merged: list[Merged] = field(default_factory=list)
    hidden: bool = False
    truncated: bool = False
    formats: dict[tuple[int, int], str] | None = None
    computed: set[tuple[int, int]] = field(default_factory=set)
    not_computed: dict[tuple[int, int], str] = field(default_factory=dict)

    def put(self, row: int, col: int, value: Any) -> None:
        """Set the value at 0-based (row, col), growing the rows to reach it."""
        while len(self.rows) <= row:
            self.rows.append([])
        line = self.rows[row]
        if len(line) <= col:
            line.extend([None] * (col + 1 - len(line)))
        line[col] = value

    @property
    def height(self) -> int:
        return len(self.rows)

    @property
    def width(self) -> int:
        return max((len(r) for r in self.rows), default=0)

    def value(self, row: int, col: int) -> Any:
        """The value at 0-based (row, col); blank text is returned as None."""
        if 0 <= row < len(self.rows):
            line = self.rows[row]
            if 0 <= col < len(line):
                v = line[col]
                if isinstance(v, str) and not v.strip():
                    return None
                return v
        return None

    def formula(self, row: int, col: int) -> str | None:
        return None if self.formulas is None else self.formulas.get((row, col))

    def number_format(self, row: int, col: int) -> str | None:
        """The cell's number format; None when the source gave no formats."""
        return None if self.formats is None else self.formats.get((row, col), "General")

    def merge_end(self, row: int, col: int) -> int:
        """The last column of the merged range starting at (row, col), or ``col`` if none."""
        for r0, c0, r1, c1 in self.merged:
            if r0 == row and c0 == col:
                return c1
        return col

    def cells(self) -> Iterator[tuple[int, int, Any]]:
        """Every non-blank cell as (row, col, value), row by row."""
        for r, line in enumerate(self.rows):
            for c, v in enumerate(line):
                if v is not None and not (isinstance(v, str) and not v.strip()):
                    yield r, c, v


@lru_cache(maxsize=1024)
def column_letter(col: int) -> str:
    """0-based column index → Excel letters (0 → A, 27 → AB)."""
    letters = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def ref(row: int, col: int) -> str:
    """0-based (row, col) → ``"H14"``."""
    return f"{column_letter(col)}{row + 1}"


def parse_ref(text: str) -> tuple[int, int]:
    """``"$H$14"`` or ``"H14"`` → 0-based (row, col); ValueError if it is not a cell reference."""
    s = text.replace("$", "").strip().upper()
    letters = "".join(ch for ch in s if ch.isalpha())
    digits = s[len(letters):]
    if not letters or not digits.isdigit() or not s.startswith(letters):
        raise ValueError(f"not a cell reference: {text}")
    col = 0
    for ch in letters:
        col = col * 26 + ord(ch) - 64
    return int(digits) - 1, col - 1
