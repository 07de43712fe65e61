"""A worksheet part patched as text: the cells we change are rewritten, every other byte is kept.

Why text and not an XML tree: a tree round trip renames namespace prefixes (``x14ac`` named in
``mc:Ignorable`` must stay declared by that name, or Excel calls the file damaged) and re-serialises
cells we never touched. Here ``<sheetData>`` is cut into rows and cells with regular expressions (a
cell never nests, and Excel, WPS, LibreOffice and openpyxl all write it flat); a row we do not change
is copied as it was, a cell we do not change likewise. A missing cell is inserted in column order, a
missing row in row order; ``spans`` and ``<dimension>`` grow to cover what we add.
"""
from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Iterator

from ..read.grid import column_letter
from ..read.grid import parse_ref as _parse_ref
from .cached import from_python

_ROOT = re.compile(r"<(\w+:)?worksheet\b")
_SHEET_DATA = (re.compile(r"<(?:\w+:)?sheetData\b([^>]*?)(/)?>"), re.compile(r"</(?:\w+:)?sheetData>"))
_ROW = (re.compile(r"<(?:\w+:)?row\b([^>]*?)(/)?>"), re.compile(r"</(?:\w+:)?row>"))
_CELL = (re.compile(r"<(?:\w+:)?c\b([^>]*?)(/)?>"), re.compile(r"</(?:\w+:)?c>"))
_ATTR = re.compile(r"""([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_FORMULA = re.compile(r"<(?:\w+:)?f\b[^>]*?(?:/>|>.*?</(?:\w+:)?f>)", re.S)
_DIMENSION = re.compile(r'(<(?:\w+:)?dimension\b[^>]*?\bref=")([^"]*)(")')
_COLS = re.compile(r"<(?:\w+:)?col\b([^>]*?)/?>")
_OOXML_ESCAPE = re.compile(r"_(x[0-9A-Fa-f]{4}_)")
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@lru_cache(maxsize=1 << 16)
def parse_ref(ref: str) -> tuple[int, int]:
    """:func:`~selfeval_xl.read.grid.parse_ref`, remembered: every cell written looks its ref up several
    times, and ``fill`` writes the same refs in every copy of a template."""
    return _parse_ref(ref)


def xml_text(text: str) -> str:
    """Text for element content: ``&<>`` escaped, a control character as Excel's ``_x000B_`` form (XML
    1.0 cannot hold it), and a literal ``_x0041_`` protected so that readers do not decode it."""
    text = _OOXML_ESCAPE.sub(r"_x005F_\1", text)
    text = _ILLEGAL.sub(lambda m: f"_x{ord(m.group(0)):04X}_", text)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def xml_attr(text: str) -> str:
    return xml_text(text).replace('"', "&quot;").replace("\n", "&#10;")


def attrs_of(text: str) -> dict[str, str]:
    """An element's attributes, in their order, as written (entities left as they are); a value written
    in single quotes comes back ready for double ones."""
    return {name: single.replace('"', "&quot;") if single else double for name, double, single in _ATTR.findall(text)}


def attrs_text(attrs: dict[str, str]) -> str:
    return "".join(f' {k}="{v}"' for k, v in attrs.items())


def value_xml(value: Any, p: str = "") -> tuple[str | None, str | None]:
    """A constant as a cell's ``t`` attribute and inner XML (None, None for a blank). Text goes inline,
    so the shared string table is never touched."""
    if value is None:
        return None, None
    if isinstance(value, str):
        space = ' xml:space="preserve"' if value != value.strip() or "\n" in value else ""
        return "inlineStr", f"<{p}is><{p}t{space}>{xml_text(value)}</{p}t></{p}is>"
    kind, text = from_python(value)
    return kind, f"<{p}v>{xml_text(text)}</{p}v>"


@dataclass
class Cell:
    """One ``<c>``: its position, its attributes and inner XML as found (``body`` None: ``<c …/>``)."""

    col: int
    attrs: dict[str, str]
    body: str | None
    raw: str
    changed: bool = False

    @property
    def has_formula(self) -> bool:
        return self.body is not None and _FORMULA.search(self.body) is not None

    @property
    def shared_master(self) -> bool:
        """The first cell of a shared formula: the one whose text its followers borrow."""
        match = _FORMULA.search(self.body or "")
        return bool(match) and 't="shared"' in match.group(0) and 'ref="' in match.group(0)


@dataclass
class Row:
    number: int                               # 1-based
    attrs: dict[str, str]
    raw: str                                  # "" for a row we add
    body: str = ""                            # the cells' XML, cut into cells when first needed
    changed: bool = False
    _cells: list[Cell] | None = None

    @property
    def cells(self) -> list[Cell]:
        if self._cells is None:
            self._cells, col = [], -1
            body = self.body
            for start, end, attributes, inside in elements(body, _CELL):
                attrs = attrs_of(attributes)
                col = parse_ref(attrs["r"])[1] if "r" in attrs else col + 1
                self._cells.append(Cell(col, attrs, body[inside[0]:inside[1]] if inside else None, body[start:end]))
        return self._cells

    @cells.setter
    def cells(self, cells: list[Cell]) -> None:
        self._cells = cells


Element = tuple[int, int, str, tuple[int, int] | None]
"""Where an element starts and ends, its opening tag's attribute text, and the span of its content (None
for an empty ``<x/>``)."""


def elements(text: str, tags: tuple[re.Pattern[str], re.Pattern[str]]) -> Iterator[Element]:
    """Each element of ``tags`` (its opening tag's pattern, its closing tag's), in order, as one lazy
    pattern ``<x …>(.*?)</x>`` found them: an opening tag, then the first closing tag after it. That
    pattern, tried at every character of a 40 KB sheet, cost ten times as much. An opening tag never
    closed is passed over, as it was; past it, no later one can close."""
    opening, closing = tags
    pos, unclosed = 0, False
    while (opened := opening.search(text, pos)) is not None:
        if opened.group(2):
            yield opened.start(), opened.end(), opened.group(1), None
            pos = opened.end()
            continue
        closed = None if unclosed else closing.search(text, opened.end())
        if closed is None:
            pos, unclosed = opened.start() + 1, True
            continue
        yield opened.start(), closed.end(), opened.group(1), (opened.end(), closed.start())
        pos = closed.end()


class SheetXml:
    """One worksheet part: read a cell's style, set values and styles, then :meth:`text` for the part."""

    def __init__(self, text: str):
        self.source = text
        root = _ROOT.search(text)
        self.prefix = (root.group(1) or "") if root else ""
        found = next(elements(text, _SHEET_DATA), None)
        if found is None:
            raise ValueError("worksheet without <sheetData>")
        start, end, _, inside = found
        self._span = (start, end)
        self._open = text[self._span[0]:inside[0]] if inside else f"<{self.prefix}sheetData>"
        self.rows: dict[int, Row] = {}
        self.formulas_removed = False         # a formula cell became a constant (calcChain names it)
        self._order: list[int] = []
        self._parse(text[inside[0]:inside[1]] if inside else "")
        self._col_styles = _column_styles(text[:self._span[0]])

    def _parse(self, data: str) -> None:
        number = 0
        for start, end, attributes, inside in elements(data, _ROW):
            attrs = attrs_of(attributes)
            number = int(attrs["r"]) if attrs.get("r", "").isdigit() else number + 1
            self.rows[number] = Row(number, attrs, data[start:end], data[inside[0]:inside[1]] if inside else "")
            self._order.append(number)

    def copy(self) -> "SheetXml":
        """An editor of its own over the same part: the rows and cells already cut are copied, not cut
        again (``fill`` patches one copy of a template's sheet per workbook)."""
        other = copy.copy(self)
        other._order = list(self._order)
        other.rows = {n: Row(row.number, dict(row.attrs), row.raw, row.body, row.changed,
                             None if row._cells is None else
                             [Cell(c.col, dict(c.attrs), c.body, c.raw, c.changed) for c in row._cells])
                      for n, row in self.rows.items()}
        return other

    # -- reading ------------------------------------------------------------------------------------
    def cell(self, ref: str) -> Cell | None:
        r, c = parse_ref(ref)
        row = self.rows.get(r + 1)
        return next((cell for cell in row.cells if cell.col == c), None) if row else None

    def style(self, ref: str) -> int:
        """The cell's ``cellXfs`` index; for a cell not written, its row's or column's style."""
        cell = self.cell(ref)
        if cell is not None:
            return int(cell.attrs.get("s", "0") or 0)
        r, c = parse_ref(ref)
        row = self.rows.get(r + 1)
        if row is not None and row.attrs.get("customFormat") in ("1", "true") and "s" in row.attrs:
            return int(row.attrs["s"])
        return next((s for first, last, s in self._col_styles if first <= c + 1 <= last), 0)

    # -- writing ------------------------------------------------------------------------------------
    def _touch(self, ref: str) -> Cell:
        """The cell at ``ref``, created (with its row's or column's style) when the XML lacks it."""
        r, c = parse_ref(ref)
        style = self.style(ref)
        row = self.rows.get(r + 1)
        if row is None:
            row = self.rows[r + 1] = Row(r + 1, {"r": str(r + 1)}, "")
            self._order = sorted([*self._order, r + 1])
        row.changed = True
        cell = next((cell for cell in row.cells if cell.col == c), None)
        if cell is None:
            cell = Cell(c, {"r": f"{column_letter(c)}{r + 1}", **({"s": str(style)} if style else {})}, None, "")
            row.cells = sorted([*row.cells, cell], key=lambda x: x.col)
        cell.changed = True
        return cell

    def set_value(self, ref: str, value: Any) -> None:
        """A constant: whatever the cell held (formula, value) is replaced."""
        found = self.cell(ref)
        if found is not None and found.shared_master:
            raise ValueError(f"{ref} starts a shared formula; it keeps its formula")
        cell = self._touch(ref)
        self.formulas_removed = self.formulas_removed or cell.has_formula
        for key in ("t", "cm", "vm"):
            cell.attrs.pop(key, None)
        kind, cell.body = value_xml(value, self.prefix)
        if kind:
            cell.attrs["t"] = kind

    def set_result(self, ref: str, value: Any) -> None:
        """A formula cell's cached value: its ``<f>`` stays, its ``<v>`` and type change."""
        cell = self._touch(ref)
        formula = _FORMULA.search(cell.body or "")
        cell.attrs.pop("t", None)
        cached = from_python(value)
        if cached and cached[0]:
            cell.attrs["t"] = cached[0]
        text = formula.group(0) if formula else ""
        cell.body = text + (f"<{self.prefix}v>{xml_text(cached[1])}</{self.prefix}v>" if cached else "")

    def set_style(self, ref: str, style: int) -> None:
        cell = self._touch(ref)
        if style:
            cell.attrs["s"] = str(style)
        else:
            cell.attrs.pop("s", None)

    @property
    def changed(self) -> bool:
        return any(row.changed for row in self.rows.values())

    # -- the part -----------------------------------------------------------------------------------
    def text(self) -> str:
        """The part with our changes; the source itself when nothing changed."""
        if not self.changed:
            return self.source
        p = self.prefix
        body = "".join(self._row_text(self.rows[n]) for n in self._order)
        head = self.source[:self._span[0]]
        tail = self.source[self._span[1]:]
        text = f"{head}{self._open}{body}</{p}sheetData>{tail}"
        return _grow_dimension(text, self.rows)

    def _row_text(self, row: Row) -> str:
        if not row.changed:
            return row.raw
        p = self.prefix
        attrs = dict(row.attrs)
        attrs["r"] = str(row.number)
        if row.cells and "spans" in attrs:
            first, last = row.cells[0].col + 1, row.cells[-1].col + 1
            low, _, high = attrs["spans"].partition(":")
            if low.isdigit() and high.isdigit():
                attrs["spans"] = f"{min(first, int(low))}:{max(last, int(high))}"
        cells = "".join(_cell_text(cell, row.number, p) for cell in row.cells)
        return f"<{p}row{attrs_text(attrs)}>{cells}</{p}row>" if cells else f"<{p}row{attrs_text(attrs)}/>"


def _cell_text(cell: Cell, row: int, p: str) -> str:
    if not cell.changed and cell.raw:
        return cell.raw
    attrs = {"r": f"{column_letter(cell.col)}{row}", **{k: v for k, v in cell.attrs.items() if k != "r"}}
    return f"<{p}c{attrs_text(attrs)}/>" if cell.body is None else f"<{p}c{attrs_text(attrs)}>{cell.body}</{p}c>"


def _column_styles(head: str) -> list[tuple[int, int, int]]:
    """(first, last, style) of each ``<col>`` that gives its columns a style."""
    result = []
    for match in _COLS.finditer(head):
        attrs = attrs_of(match.group(1))
        if attrs.get("min", "").isdigit() and attrs.get("max", "").isdigit() and attrs.get("style", "").isdigit():
            result.append((int(attrs["min"]), int(attrs["max"]), int(attrs["style"])))
    return result


def _grow_dimension(text: str, rows: dict[int, Row]) -> str:
    """``<dimension ref>`` widened to every cell of the rows we wrote (it is a hint readers trust for
    their range; the rows we did not touch are inside it already)."""
    match = _DIMENSION.search(text)
    cells = [(n, c.col) for n, row in rows.items() if row.changed for c in row.cells]
    if match is None or not cells:
        return text
    try:
        parts = [parse_ref(x) for x in match.group(2).split(":")]
    except ValueError:
        return text
    top = min([parts[0][0] + 1] + [n for n, _ in cells])
    left = min([parts[0][1]] + [c for _, c in cells])
    bottom = max([parts[-1][0] + 1] + [n for n, _ in cells])
    right = max([parts[-1][1]] + [c for _, c in cells])
    ref = f"{column_letter(left)}{top}:{column_letter(right)}{bottom}"
    return text[:match.start(2)] + ref + text[match.end(2):]
