"""What python-calamine does not give: defined names, sheet paths and formulas, from the .xlsx XML.

Why by hand: openpyxl takes ~14 ms to open a small workbook; the small workbook part is parsed with
defusedxml (no entity expansion, no external entities), and the formulas of the one sheet we need are
picked out by a linear scan. Only sheets that hold a 自评表 are scanned for formulas.
"""
from __future__ import annotations

import posixpath
import re
import zipfile
from xml.sax.saxutils import unescape
from dataclasses import dataclass, field

from defusedxml.ElementTree import fromstring

from .grid import parse_ref

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_ENTITIES = {"&quot;": '"', "&apos;": "'"}


@dataclass
class WorkbookXml:
    """The workbook part: each sheet's name → its part path in the zip, and the defined names."""

    sheet_paths: dict[str, str] = field(default_factory=dict)
    defined_names: dict[str, str] = field(default_factory=dict)


def read_workbook_xml(zf: zipfile.ZipFile) -> WorkbookXml:
    """Parse ``xl/workbook.xml`` and its relationships (both small)."""
    result = WorkbookXml()
    root = fromstring(zf.read("xl/workbook.xml"))
    try:
        rels_root = fromstring(zf.read("xl/_rels/workbook.xml.rels"))
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


_FORMULA_CELL = re.compile(
    r"<(?:\w+:)?c\b([^>]*?)(?<!/)>\s*<(?:\w+:)?f\b([^>]*?)(?:/>|>([^<]*)</(?:\w+:)?f>)")
_REF = re.compile(r'\br="([A-Za-z]{1,3}[0-9]{1,7})"')
_SHARED_INDEX = re.compile(r'\bsi="([0-9]+)"')


def sheet_formulas(zf: zipfile.ZipFile, part: str, max_rows: int) -> dict[tuple[int, int], str]:
    """Every formula of one sheet part as ``{(row, col): "=…"}`` (0-based), rows beyond ``max_rows``
    ignored. A shared formula's followers get their master's text (unshifted): enough to know a
    formula is there.

    A linear scan with a regular expression rather than an XML parser (3× faster on our templates):
    a formula cell is ``<c r="J12" …><f …>text</f>``, and formula text never holds ``<``. Nothing is
    expanded, so no entity trick applies."""
    text = zf.read(part).decode("utf-8", errors="replace")
    formulas: dict[tuple[int, int], str] = {}
    shared: dict[str, str] = {}
    for match in _FORMULA_CELL.finditer(text):
        cell_attrs, f_attrs, body = match.groups()
        where = _REF.search(cell_attrs)
        if where is None:
            continue
        row, col = parse_ref(where.group(1))
        if row >= max_rows:
            break
        body = unescape(body or "", _ENTITIES)
        if 't="shared"' in f_attrs:
            index = _SHARED_INDEX.search(f_attrs)
            key = index.group(1) if index else ""
            if body:
                shared[key] = body
            body = body or shared.get(key, "")
        formulas[(row, col)] = "=" + body
    return formulas


_BUILTIN_PERCENT = {9: "0%", 10: "0.00%"}
"""The built-in number formats that show a percentage (ECMA-376 §18.8.30); other built-ins matter not here."""
_STYLED_CELL = re.compile(r'<(?:\w+:)?c\b([^>]*?\bs="([0-9]+)"[^>]*)>')


def style_number_formats(zf: zipfile.ZipFile) -> list[str]:
    """Each cell style's number format code, by its index in ``cellXfs`` (``"General"`` where none);
    empty when the workbook has no styles part."""
    try:
        root = fromstring(zf.read("xl/styles.xml"))
    except KeyError:
        return []
    codes = {int(n.get("numFmtId", "0")): n.get("formatCode", "") for n in root.iter(f"{_MAIN}numFmt")}
    xfs = root.find(f"{_MAIN}cellXfs")
    return [codes.get(int(xf.get("numFmtId", "0"))) or _BUILTIN_PERCENT.get(int(xf.get("numFmtId", "0")), "General")
            for xf in (xfs if xfs is not None else [])]


def sheet_number_formats(zf: zipfile.ZipFile, part: str, styles: list[str], max_rows: int
                         ) -> dict[tuple[int, int], str]:
    """The number format of every cell of one sheet whose style is not General, by 0-based (row, col):
    what tells a rate stored as 2.53 and shown as 253% from a 2.53 typed in a General cell. The same
    linear scan as :func:`sheet_formulas`."""
    text = zf.read(part).decode("utf-8", errors="replace")
    formats: dict[tuple[int, int], str] = {}
    for match in _STYLED_CELL.finditer(text):
        index = int(match.group(2))
        code = styles[index] if index < len(styles) else "General"
        where = _REF.search(match.group(1))
        if code == "General" or where is None:
            continue
        row, col = parse_ref(where.group(1))
        if row >= max_rows:
            break
        formats[(row, col)] = code
    return formats
