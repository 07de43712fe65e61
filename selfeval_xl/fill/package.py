"""A template built once as a package, and one table's values written into a copy of it.

Why: building and styling a new openpyxl workbook per project, then saving it, took ≈173 ms per
workbook; the template is the same for every project of a system, formula mode and year. So ``fill``
builds it once (:meth:`TemplatePackage.build`) and for each project patches the table sheet's XML
(:class:`~selfeval_xl.book.sheet_xml.SheetXml`: values; :class:`~selfeval_xl.book.merge_cells.MergeCells`:
the 二级 merges; :class:`~selfeval_xl.book.styles_xml.StylesXml`: number formats and the quote prefix),
copying every other member of the package byte for byte. Text goes in inline (the shared strings are
never touched), each value through :mod:`selfeval_xl.sanitize` as ``write_openpyxl`` would write it.
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
from ..book.package_book import write_patched
from ..book.sheet_xml import SheetXml
from ..book.styles_xml import StylesXml
from ..read.grid import column_letter, parse_ref
from ..sanitize import cell_value, formula_like
from ..system import IndicatorSystem
from ..template import TemplateMap

STYLES_PART = "xl/styles.xml"          # where openpyxl, which builds our templates, puts it


@dataclass(frozen=True)
class TemplatePackage:
    """A template built by :func:`~selfeval_xl.template.build_template`, as the bytes of its file."""

    plan: TemplateMap
    data: bytes
    sheet_part: str
    sheet_text: str
    styles_text: str

    @classmethod
    def build(cls, kind: str, system: IndicatorSystem, formulas: str = "native",
              year: int | None = None) -> "TemplatePackage":
        from ..template import build_template, save_workbook, template_map

        with tempfile.TemporaryDirectory() as folder:
            data = save_workbook(build_template(kind, system, formulas, year), Path(folder) / "t.xlsx").read_bytes()
        plan = template_map(kind, system)
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            part = sheet_parts(z)[plan.sheet]
            return cls(plan, data, part, z.read(part).decode("utf-8"), z.read(STYLES_PART).decode("utf-8"))


@dataclass
class FilledBook:
    """One copy of a template being filled: ``put`` values, re-merge rows, then ``save``."""

    template: TemplatePackage
    sheet: SheetXml = field(init=False)
    styles: StylesXml = field(init=False)
    merges: MergeCells = field(init=False)

    def __post_init__(self) -> None:
        self.sheet = SheetXml(self.template.sheet_text)
        self.styles = StylesXml(self.template.styles_text)
        self.merges = MergeCells(self.template.sheet_text)

    def put(self, ref: str, value: Any, number_format: str | None = None) -> None:
        """Write an input cell; a cell the template computes (a formula) is never overwritten. Text is
        a string cell, with the quote prefix when a spreadsheet would take it for a formula."""
        cell = self.sheet.cell(ref)
        if cell is not None and cell.has_formula:
            return
        value = cell_value(value)
        if isinstance(value, float):        # 16 significant digits, as openpyxl writes numbers: 133.2/100
            value = float(f"{value:.16g}")  # is stored as 1.332, what a user typing 133.2% gets
        quote = isinstance(value, str) and formula_like(value)
        self.sheet.set_value(ref, value)
        if number_format or quote:
            self.sheet.set_style(ref, self.styles.with_format(self.sheet.style(ref), number_format, quote))

    def unmerge(self, column: str, rows: tuple[int, ...]) -> None:
        """Take apart the merges of ``column`` over ``rows``; the freed cells look like the first."""
        index = parse_ref(f"{column}1")[1]
        for ref, (r0, c0, r1, c1) in self.merges.ranges():
            if c0 == c1 == index and rows[0] <= r0 + 1 and r1 + 1 <= rows[-1]:
                style = self.sheet.style(f"{column}{r0 + 1}")
                self.merges.remove(ref)
                for row in range(r0 + 2, r1 + 2):
                    self.sheet.set_style(f"{column}{row}", style)

    def merge(self, ref: str) -> None:
        """Merge ``ref``: its first cell holds the value, the others are emptied (as a spreadsheet does)."""
        r0, c0, r1, c1 = bounds(ref)
        for r in range(r0, r1 + 1):
            for c in range(c0, c1 + 1):
                if (r, c) != (r0, c0):
                    self.sheet.set_value(f"{column_letter(c)}{r + 1}", None)
        self.merges.add(ref)

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
