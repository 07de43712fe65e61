"""A template built once as a package, and one table's values written into a copy of it.

Why: building and styling a new openpyxl workbook per project, then saving it, took ≈173 ms per
workbook; the template is the same for every project of a system, formula mode and year. So ``fill``
builds it once (:meth:`TemplatePackage.build`) and for each project patches the table sheet's XML
(:class:`~selfeval_xl.book.sheet_xml.SheetXml`: values; :class:`~selfeval_xl.book.merge_cells.MergeCells`:
the 二级 merges; :class:`~selfeval_xl.book.styles_xml.StylesXml`: number formats and the quote prefix),
copying every other member of the package byte for byte. Text goes in inline (the shared strings are
never touched), each value through :mod:`selfeval_xl.core.sanitize` as ``write_openpyxl`` would write it.
What the formulas compute is cached in the same patch: the engine reads the copy from the template's
grid with our writes and merges applied (:meth:`FilledBook.read`), so nothing is saved twice or read back.
"""
from __future__ import annotations

import io
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..book.cached import sheet_parts
from ..book.merge_cells import MergeCells, bounds
from ..book.package_book import PackageBook, write_patched
from ..book.sheet_xml import SheetXml, parse_ref
from ..book.styles_xml import StylesXml
from ..core.layout import Layout
from ..core.model import WorkbookData
from ..read import read_grids
from ..read.grid import Grid, column_letter
from ..core.sanitize import cell_value, formula_like
from ..core.system import IndicatorSystem
from ..template.plan import TemplateMap

STYLES_PART = "xl/styles.xml"          # where openpyxl, which builds our templates, puts it


@dataclass(frozen=True)
class TemplatePackage:
    """A template built by :func:`~selfeval_xl.template.writer.build_template`, as the bytes of its file."""

    plan: TemplateMap
    data: bytes
    sheet_part: str
    sheet: SheetXml                    # the table sheet, every row cut into cells (copied per workbook)
    styles_text: str
    filled: frozenset[str]             # the table sheet's cells that hold something (a value, a formula)
    formulas: frozenset[str]           # … and those that hold a formula
    grids: tuple[Grid, ...]            # every sheet as a reader sees the template (values, formulas, merges)
    names: dict[str, str]              # the defined names
    merges: MergeCells                 # the table sheet's merged ranges (copied for each workbook)

    @classmethod
    def build(cls, kind: str, system: IndicatorSystem, formulas: str = "native",
              year: int | None = None, layout: Layout | None = None) -> "TemplatePackage":
        from ..template.writer import build_template, save_workbook
        from ..template.plan import template_map

        with tempfile.TemporaryDirectory() as folder:
            path = save_workbook(build_template(kind, system, formulas, year, layout), Path(folder) / "t.xlsx")
            data, read = path.read_bytes(), PackageBook(path)
        plan = template_map(kind, system, layout)
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            part = sheet_parts(z)[plan.sheet]
            sheet, styles = z.read(part).decode("utf-8"), z.read(STYLES_PART).decode("utf-8")
        parsed = SheetXml(sheet)
        cells = [(f"{column_letter(c.col)}{row.number}", c) for row in parsed.rows.values() for c in row.cells]
        return cls(plan, data, part, parsed, styles, frozenset(ref for ref, c in cells if c.body is not None),
                   frozenset(ref for ref, c in cells if c.has_formula), tuple(read.grids()), read.defined_names(),
                   MergeCells(sheet))


@dataclass
class FilledBook:
    """One copy of a template being filled: ``put`` values, re-merge rows, then ``save``."""

    template: TemplatePackage
    sheet: SheetXml = field(init=False)
    styles: StylesXml = field(init=False)
    merges: MergeCells = field(init=False)

    def __post_init__(self) -> None:
        self.sheet = self.template.sheet.copy()
        self.styles = StylesXml(self.template.styles_text)
        self.merges = self.template.merges.copy()
        self._written: set[str] = set()
        self._formats: dict[tuple[int, str | None, bool], int] = {}
        table = next(g for g in self.template.grids if g.name == self.template.plan.sheet)
        self.grid = Grid(table.name, [list(row) for row in table.rows], table.formulas, list(table.merged))

    def put(self, ref: str, value: Any, number_format: str | None = None) -> None:
        """Write an input cell; a cell the template computes (a formula) is never overwritten. Text is
        a string cell, with the quote prefix when a spreadsheet would take it for a formula."""
        if ref in self.template.formulas or value is None and number_format is None \
                and ref not in self.template.filled and ref not in self._written:
            return                                      # a formula stays; a blank stays as it is
        self._written.add(ref)
        value = cell_value(value)
        if isinstance(value, float):        # 16 significant digits, as openpyxl writes numbers: 133.2/100
            value = float(f"{value:.16g}")  # is stored as 1.332, what a user typing 133.2% gets
        quote = isinstance(value, str) and formula_like(value)
        self.sheet.set_value(ref, value)
        self._show(ref, value)
        if number_format or quote:
            self.sheet.set_style(ref, self._format(self.sheet.style(ref), number_format, quote))

    def _format(self, xf: int, number_format: str | None, quote: bool) -> int:
        key = (xf, number_format, quote)
        if key not in self._formats:
            self._formats[key] = self.styles.with_format(xf, number_format, quote)
        return self._formats[key]

    def _show(self, ref: str, value: Any) -> None:
        """The grid shows ``value`` at ``ref`` as a reader of the saved file would (a number as a float)."""
        r, c = parse_ref(ref)
        rows = self.grid.rows
        while len(rows) <= r:
            rows.append([])
        rows[r].extend([None] * (c + 1 - len(rows[r])))
        rows[r][c] = float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else value

    def read(self) -> WorkbookData:
        """The tables of this copy as the reader finds them in the saved file, without saving it."""
        grids = [self.grid if g.name == self.grid.name else g for g in self.template.grids]
        return read_grids(grids, "", self.template.names, "xlsx")

    def unmerge(self, column: str, rows: tuple[int, ...]) -> None:
        """Take apart the merges of ``column`` over ``rows``; the freed cells look like the first."""
        index = parse_ref(f"{column}1")[1]
        for ref, (r0, c0, r1, c1) in self.merges.ranges():
            if c0 == c1 == index and rows[0] <= r0 + 1 and r1 + 1 <= rows[-1]:
                style = self.sheet.style(f"{column}{r0 + 1}")
                self.merges.remove(ref)
                self.grid.merged.remove((r0, c0, r1, c1))
                for row in range(r0 + 2, r1 + 2):
                    self.sheet.set_style(f"{column}{row}", style)

    def merge(self, ref: str) -> None:
        """Merge ``ref``: its first cell holds the value, the others are emptied (as a spreadsheet does)."""
        r0, c0, r1, c1 = bounds(ref)
        for r in range(r0, r1 + 1):
            for c in range(c0, c1 + 1):
                if (r, c) != (r0, c0):
                    self.put(f"{column_letter(c)}{r + 1}", None)
        self.merges.add(ref)
        self.grid.merged.append((r0, c0, r1, c1))

    def store_results(self, values: dict[str, Any]) -> None:
        """What each formula computes (cell ref → value) as its cached value; the formulas stay."""
        for ref, value in values.items():
            self.sheet.set_result(ref, value)

    def save(self, path: str | Path) -> None:
        parts = {}
        if self.sheet.changed or self.merges.changed:
            parts[self.template.sheet_part] = self.merges.apply(self.sheet.text()).encode("utf-8")
        if self.styles.changed:
            parts[STYLES_PART] = self.styles.text().encode("utf-8")
        write_patched(self.template.data, path, parts)
