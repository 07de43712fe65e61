"""What python-calamine does not give: defined names, sheet paths and formulas, from the .xlsx XML.

Why by hand: openpyxl takes ~14 ms to open a small workbook; the small workbook part is parsed with
defusedxml (no entity expansion, no external entities), and the formulas of the one sheet we need are
picked out by a linear scan. Only sheets that hold a 自评表 are scanned for formulas.
"""
from __future__ import annotations

import html
import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from typing import Iterator

from xml.etree import ElementTree

from defusedxml.ElementTree import fromstring

from .grid import parse_ref

_ENCODING = re.compile(rb'(?:\xef\xbb\xbf)?\s*<\?xml[^>]*?\bencoding\s*=\s*["\']([^"\']*)["\']')


def plain_xml(data: bytes) -> str | None:
    """A small XML part as text, when the standard library's parser may read it as it stands: UTF-8
    without a document type declaration, the only place an entity (a billion laughs, a file on this
    machine) can be declared, and declaring no other encoding. None otherwise: then defusedxml reads it,
    refusing what it refuses."""
    if b"<!DOCTYPE" in data or b"\x00" in data:
        return None
    declared = _ENCODING.match(data)
    if declared and declared.group(1).lower() not in (b"utf-8", b"utf8"):
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"


def _unescape(text: str) -> str:
    """XML's five entities, ``&amp;`` last (what ``saxutils.unescape`` does, without its loop over a dict)."""
    return (text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&apos;", "'")
            .replace("&amp;", "&"))


@dataclass
class WorkbookXml:
    """The workbook part: each sheet's name → its part path in the zip, and the defined names."""

    sheet_paths: dict[str, str] = field(default_factory=dict)
    defined_names: dict[str, str] = field(default_factory=dict)


def read_workbook_xml(zf: zipfile.ZipFile) -> WorkbookXml:
    """Parse ``xl/workbook.xml`` and its relationships (both small)."""
    result = WorkbookXml()
    root = _parse(zf.read("xl/workbook.xml"))
    try:
        rels_root = _parse(zf.read("xl/_rels/workbook.xml.rels"))
        targets = {rel.get("Id"): rel.get("Target", "") for rel in rels_root.iter(f"{_PKG_REL}Relationship")}
    except KeyError:
        targets = {}
    for sheet in root.iter(f"{_MAIN}sheet"):
        target = targets.get(sheet.get(f"{_REL}id"), "")
        if target:
            path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
            result.sheet_paths[sheet.get("name", "")] = path
    for name in root.iter(f"{_MAIN}definedName"):
        if name.get("localSheetId") is None and name.text:
            result.defined_names[name.get("name", "")] = name.text.strip()
    return result


def _parse(data: bytes) -> ElementTree.Element:
    """A small part's tree: by the standard library's parser where :func:`plain_xml` vetted the
    bytes (no declaration of any entity; a third of defusedxml's cost), else by defusedxml."""
    text = plain_xml(data)
    if text is not None:
        try:
            return ElementTree.fromstring(text)
        except ElementTree.ParseError:
            pass                    # defusedxml says what is wrong, as before
    return fromstring(data)


_FORMULA = re.compile(rb"<(?:[\w\x80-\xff]+:)?f\b([^>]*?)(?:/>|>([^<]*)</(?:[\w\x80-\xff]+:)?f>)")
_CELL_BEFORE = re.compile(rb"<(?:[\w\x80-\xff]+:)?c\b([^>]*?)(?<!/)>\s*")
"""A formula cell is ``<c r="J12" …>`` then (spaces allowed) ``<f …>text</f>``: each ``<f>`` is found,
then the cell tag that opens just before it (the nearest ``<``), not every cell tested for a formula.
Scanned as bytes (``<`` and ``>`` are never inside a UTF-8 sequence; a namespace prefix may be, hence
``\x80-\xff``): only the formulas' own text is decoded, not the whole sheet."""
_REF = re.compile(rb'\br="([A-Za-z]{1,3}[0-9]{1,7})"')
_SHARED_INDEX = re.compile(rb'\bsi="([0-9]+)"')
_STYLED_CELL = re.compile(rb'<(?:[\w\x80-\xff]+:)?c\b([^>]*?\bs="([0-9]+)"[^>]*)>')

Cells = dict[tuple[int, int], str]


@dataclass
class SheetScan:
    """What one pass over a sheet part finds: formulas and number formats by 0-based ``(row, col)``, and
    the formula cells that carry no stored result (no ``<v>``: written by a program that does not
    calculate), which :mod:`selfeval_xl.read.uncached` computes."""

    formulas: Cells
    formats: Cells | None
    uncached: set[tuple[int, int]] = field(default_factory=set)


def scan_sheet(xml: bytes, styles: list[str] | None, max_rows: int) -> tuple[Cells, Cells | None]:
    """One sheet part's formulas and number formats (:func:`scan_sheet_cells` without the uncached)."""
    scan = scan_sheet_cells(xml, styles, max_rows)
    return scan.formulas, scan.formats


def scan_sheet_cells(xml: bytes, styles: list[str] | None, max_rows: int) -> SheetScan:
    """One sheet part's formulas, number formats and uncached formula cells, rows beyond ``max_rows``
    ignored; formats ``None`` when ``styles`` is (unknown), empty when no style of the workbook has a
    format other than General (then the cells need no scan at all).

    A linear scan with regular expressions rather than an XML parser (3× faster on our templates): a
    formula cell is ``<c r="J12" …><f …>text</f>``, and formula text never holds ``<``. Nothing is
    expanded, so no entity trick applies. A shared formula's followers get their master's text
    (unshifted): enough to know a formula is there."""
    scan = SheetScan({}, None if styles is None else _formats(xml, styles, max_rows))
    _formulas(xml, max_rows, scan)
    return scan


_VALUE_NEXT = re.compile(rb"\s*<(?:[\w\x80-\xff]+:)?v\b")
_EMPTY_VALUE = re.compile(rb"\s*<(?:[\w\x80-\xff]+:)?v\s*(?:/>|></(?:[\w\x80-\xff]+:)?v>)")
_TEXT_RESULT = re.compile(rb'\bt="str"')


def _formulas(xml: bytes, max_rows: int, scan: SheetScan) -> None:
    """The formulas into ``scan``, and which have no stored result: those with no ``<v>``, and those
    with an empty untyped ``<v/>`` where no formula of the sheet has a result (what openpyxl writes for
    every formula). Where others have results, an empty ``<v/>`` is a stored empty result (our own
    writers store "" so; Excel writes ``t="str"`` ``<v></v>``)."""
    formulas, uncached = scan.formulas, scan.uncached
    shared: dict[bytes, str] = {}
    if b"<f" not in xml and b":f" not in xml:
        return
    empty: set[tuple[int, int]] = set()
    results = False
    for cell_attrs, f_attrs, body, end in _formula_cells_ending(xml):
        where = _REF.search(cell_attrs)
        if where is None:
            continue
        row, col = parse_ref(where.group(1).decode("ascii"))
        if row >= max_rows:
            break
        text = _text(body)
        if b't="shared"' in f_attrs:
            index = _SHARED_INDEX.search(f_attrs)
            key = index.group(1) if index else b""
            if text:
                shared[key] = text
            text = text or shared.get(key, "")
        formulas[(row, col)] = "=" + text
        if _VALUE_NEXT.match(xml, end) is None:
            uncached.add((row, col))
        elif _EMPTY_VALUE.match(xml, end) is None or _TEXT_RESULT.search(cell_attrs):
            results = True
        else:
            empty.add((row, col))
    if not results:
        uncached |= empty


def _text(body: bytes | None) -> str:
    """A formula's text as the sheet's XML holds it, decoded (a broken byte shown as U+FFFD) and unescaped."""
    if not body:
        return ""
    text = body.decode("utf-8", errors="replace")
    return _unescape(text) if "&" in text else text


def formula_cells(xml: bytes) -> Iterator[tuple[str, str, str | None]]:
    """(the cell's attributes, the formula's attributes, its text) of each formula cell, in order,
    decoded as they stand (the test seam of the scan)."""
    for cell_attrs, f_attrs, body, _ in _formula_cells_ending(xml):
        yield (cell_attrs.decode("utf-8", errors="replace"), f_attrs.decode("utf-8", errors="replace"),
               None if body is None else body.decode("utf-8", errors="replace"))


def _formula_cells_ending(xml: bytes) -> Iterator[tuple[bytes, bytes, bytes | None, int]]:
    """:func:`formula_cells`, each with where its formula ends (what follows may be its stored result)."""
    for match in _FORMULA.finditer(xml):
        opened = xml.rfind(b"<", 0, match.start())
        cell = _CELL_BEFORE.fullmatch(xml, opened, match.start()) if opened >= 0 else None
        if cell is not None:
            yield cell.group(1), match.group(1), match.group(2), match.end()


def _formats(xml: bytes, styles: list[str], max_rows: int) -> Cells:
    """The number format of every cell whose style is not General: what tells a rate stored as 2.53
    and shown as 253% from a 2.53 typed in a General cell."""
    formats: Cells = {}
    wanted = {str(i).encode() for i, code in enumerate(styles) if code != "General"}
    if not wanted:
        return formats
    for match in _STYLED_CELL.finditer(xml):
        if match.group(2) not in wanted:
            continue
        where = _REF.search(match.group(1))
        if where is None:
            continue
        row, col = parse_ref(where.group(1).decode("ascii"))
        if row >= max_rows:
            break
        formats[(row, col)] = styles[int(match.group(2))]
    return formats


BUILTIN_FORMATS = {1: "0", 2: "0.00", 3: "#,##0", 4: "#,##0.00", 9: "0%", 10: "0.00%", 11: "0.00E+00",
                   12: "# ?/?", 13: "# ??/??", 14: "mm-dd-yy", 15: "d-mmm-yy", 16: "d-mmm", 17: "mmm-yy",
                   18: "h:mm AM/PM", 19: "h:mm:ss AM/PM", 20: "h:mm", 21: "h:mm:ss", 22: "m/d/yy h:mm", 49: "@"}
"""The number formats every spreadsheet knows by id, with no ``<numFmt>`` in the file (ECMA-376 §18.8.30):
a score cell of openpyxl's ``0.00`` is stored as id 2 — its two decimals are what Excel shows."""
_NUM_FMT = re.compile(rb'<(?:\w+:)?numFmt\b([^>]*)>')
_CELL_XFS = re.compile(rb'<(?:\w+:)?cellXfs\b[^>]*?(?:/>|>(.*?)</(?:\w+:)?cellXfs>)', re.S)
_XF = re.compile(rb'<(?:\w+:)?xf\b([^>]*)>')
_NUM_FMT_ID = re.compile(rb'\bnumFmtId="([0-9]{1,9})"')
_FORMAT_CODE = re.compile(rb'\bformatCode="([^"]*)"')


def style_number_formats(zf: zipfile.ZipFile) -> list[str]:
    """Each cell style's number format code, by its index in ``cellXfs`` (``"General"`` where none);
    empty when the workbook has no styles part. Scanned, not parsed (a styles part is mostly fonts,
    fills and colours: an XML tree of it cost more than the rest of the sheet's reading)."""
    try:
        xml = zf.read("xl/styles.xml")
    except KeyError:
        return []
    codes = {}
    for match in _NUM_FMT.finditer(xml):
        number, code = _NUM_FMT_ID.search(match.group(1)), _FORMAT_CODE.search(match.group(1))
        if number and code:
            codes[int(number.group(1))] = html.unescape(code.group(1).decode("utf-8", errors="replace"))
    xfs = _CELL_XFS.search(xml)
    ids = [int(n.group(1)) if (n := _NUM_FMT_ID.search(xf)) else 0
           for xf in _XF.findall(xfs.group(1) or b"")] if xfs else []
    return [codes.get(n) or BUILTIN_FORMATS.get(n, "General") for n in ids]
