"""The workbook interface over a workbook open in Excel, through xlwings (the 计算得分 button).

Thin on purpose: each method is one or two xlwings calls, because this runs only where Excel runs
(Windows, macOS) and cannot be exercised on the build machine. Excel recalculates formulas itself, so
:meth:`store_result` has nothing to do, and the caller decides whether to save.
"""
from __future__ import annotations

from typing import Any, Sequence

from ..read.grid import Grid
from ..core.sanitize import typed_value
from . import CellContent, Link, plain_value


class XlwingsBook:
    def __init__(self, book: Any):
        self.book = book                    # an xlwings.Book

    def _range(self, sheet: str, ref: str) -> Any:
        return self.book.sheets[sheet].range(ref)

    def sheet_names(self) -> list[str]:
        return [s.name for s in self.book.sheets]

    def read(self, sheet: str, ref: str) -> CellContent:
        rng = self._range(sheet, ref)
        formula = rng.formula
        return CellContent(rng.value, formula if isinstance(formula, str) and formula.startswith("=") else None)

    def write(self, sheet: str, ref: str, value: Any) -> None:
        self._range(sheet, ref).value = plain_value(value)

    def store_result(self, sheet: str, ref: str, value: Any) -> None:
        """Nothing to do: Excel computes the formula's value itself."""

    def defined_names(self) -> dict[str, str]:
        return {n.name: n.refers_to.lstrip("=") for n in self.book.names if "!" not in n.name}

    def comment(self, sheet: str, ref: str) -> str:
        note = self._range(sheet, ref).note
        return note.text if note is not None else ""

    def set_comment(self, sheet: str, ref: str, text: str) -> None:
        rng = self._range(sheet, ref)
        if rng.note is not None:
            rng.note.delete()
        if text:
            rng.add_note(text)

    def fill(self, sheet: str, ref: str) -> str | None:
        color = self._range(sheet, ref).color
        return "" if color is None else "%02X%02X%02X" % tuple(color)

    def set_fill(self, sheet: str, ref: str, color: str) -> None:
        self._range(sheet, ref).color = f"#{color}" if color else None

    def put_sheet(self, name: str, rows: Sequence[Sequence[Any]], links: dict[tuple[int, int], Link],
                  widths: Sequence[float] = ()) -> None:
        from ..core.model import quote_sheet

        sheets = self.book.sheets
        names = self.sheet_names()
        at = names.index(name) if name in names else len(names)
        if name in names:
            sheets[name].delete()
        rest = list(sheets)
        sheet = sheets.add(name, before=rest[at]) if at < len(rest) else sheets.add(name, after=rest[-1])
        width = max((len(r) for r in rows), default=0)
        if width:
            sheet.range("A1").value = [[typed_value(v) for v in r] + [None] * (width - len(r)) for r in rows]
            sheet.range((1, 1), (1, width)).font.bold = True
        for (r, c), link in links.items():
            cell = sheet.range((r + 1, c + 1))
            cell.add_hyperlink(f"#{quote_sheet(link.sheet)}!{link.ref}", str(cell.value or link.ref))
        for c, w in enumerate(widths, start=1):
            sheet.range((1, c)).column_width = w

    def grids(self) -> list[Grid]:
        return [_grid(sheet) for sheet in self.book.sheets]


def _grid(sheet: Any) -> Grid:
    """One worksheet read in two calls (values and formulas of the used range), padded to start at A1;
    then, cell by cell where there is a value, its merged area and (for a number) its number format, so
    a rate stored as 2.53 and shown as 253% reads as the file's reader reads it."""
    used = sheet.used_range
    top, left = used.row - 1, used.column - 1
    values = used.options(ndim=2).value
    formulas = used.formula
    formulas = [[formulas]] if isinstance(formulas, str) else [list(r) for r in formulas]
    rows: list[list[Any]] = [[] for _ in range(top)]
    found: dict[tuple[int, int], str] = {}
    formats: dict[tuple[int, int], str] = {}
    merged = []
    for r, line in enumerate(values):
        rows.append([None] * left + list(line))
        for c, value in enumerate(line):
            text = formulas[r][c] if r < len(formulas) and c < len(formulas[r]) else None
            if isinstance(text, str) and text.startswith("="):
                found[(top + r, left + c)] = text
            if value is not None:
                cell = sheet.range((top + r + 1, left + c + 1))
                if cell.merge_cells:
                    area = cell.merge_area
                    merged.append((area.row - 1, area.column - 1, area.last_cell.row - 1, area.last_cell.column - 1))
                if isinstance(value, (int, float)) and not isinstance(value, bool):
                    code = cell.number_format              # Excel's NumberFormat: the English codes
                    if isinstance(code, str) and code and code != "General":
                        formats[(top + r, left + c)] = code
    return Grid(sheet.name, rows, found, merged, hidden=not sheet.visible, formats=formats)
