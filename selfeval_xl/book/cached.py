"""The cached values of formula cells, read from and written into a saved .xlsx/.xlsm.

Why: openpyxl writes every formula with an empty ``<v/>``, so after an openpyxl save a values-only
reader (python-calamine, a bureau's batch checker, Excel's preview) sees blanks where the scores are.
We read each formula cell's cached value from the original file and, after the save, put it back
into the new file's sheet XML — with the recomputed value for the score cells we rewrote. Only ``<v>``
and the cell's ``t`` attribute change; every other byte of the part is kept.
"""
from __future__ import annotations

import re
import zipfile
from decimal import Decimal
from pathlib import Path, PurePosixPath
from typing import Any
from xml.sax.saxutils import escape

from defusedxml import ElementTree

from . import ERROR_VALUES
from .package import rewrite_parts

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
DOC_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

Cached = tuple[str | None, str]
"""A cached value as the XML holds it: the cell's ``t`` attribute (None for a number) and ``<v>`` text."""


def sheet_parts(z: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name → its part inside the package (``xl/worksheets/sheet1.xml``)."""
    book_part = "xl/workbook.xml"
    rels_part = "xl/_rels/workbook.xml.rels"
    rels = {r.get("Id"): r.get("Target")
            for r in ElementTree.fromstring(z.read(rels_part)).iter(f"{{{REL_NS}}}Relationship")}
    parts = {}
    for sheet in ElementTree.fromstring(z.read(book_part)).iter(f"{{{MAIN_NS}}}sheet"):
        target = rels.get(sheet.get(f"{{{DOC_REL_NS}}}id"), "")
        if target.startswith("/"):
            parts[sheet.get("name")] = target.lstrip("/")
        elif target:
            parts[sheet.get("name")] = str(PurePosixPath("xl") / target)
    return {name: part for name, part in parts.items() if part in z.namelist()}


def read_cached(path: str | Path) -> dict[str, dict[str, Cached]]:
    """Sheet name → cell ref → cached value, for every formula cell of the file."""
    result: dict[str, dict[str, Cached]] = {}
    with zipfile.ZipFile(path) as z:
        for name, part in sheet_parts(z).items():
            cells: dict[str, Cached] = {}
            with z.open(part) as stream:
                for _, element in ElementTree.iterparse(stream):
                    if element.tag != f"{{{MAIN_NS}}}c":
                        continue
                    if element.find(f"{{{MAIN_NS}}}f") is not None:
                        v = element.find(f"{{{MAIN_NS}}}v")
                        if v is not None and v.text is not None:
                            cells[element.get("r")] = (element.get("t"), v.text)
                    element.clear()
            result[name] = cells
    return result


def to_python(cached: Cached) -> Any:
    kind, text = cached
    if kind == "b":
        return text == "1"
    if kind in ("str", "e", "inlineStr"):
        return text
    number = float(text)
    return int(number) if number.is_integer() and "." not in text and "E" not in text.upper() else number


def from_python(value: Any) -> Cached | None:
    """The XML form of a value a formula computed; None for a blank (no cached value is written)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "b", "1" if value else "0"
    if isinstance(value, (int, float, Decimal)):
        number = float(value)
        return None, str(int(number)) if number.is_integer() else repr(number)
    text = str(value)
    return ("e" if text in ERROR_VALUES else "str"), text


_CELL = re.compile(r"<c\b([^>]*?)(?:/>|>(.*?)</c>)", re.S)
_REF = re.compile(r'\br="([A-Z]+[0-9]+)"')
_TYPE = re.compile(r'\s+t="[^"]*"')
_VALUE = re.compile(r"<v\s*/>|<v>.*?</v>", re.S)


def _patch_sheet(xml: str, cached: dict[str, Cached]) -> str:
    def patch(match: re.Match) -> str:
        attrs, body = match.group(1), match.group(2)
        ref = _REF.search(attrs)
        if body is None or "<f" not in body or ref is None or ref.group(1) not in cached:
            return match.group(0)
        kind, text = cached[ref.group(1)]
        attrs = _TYPE.sub("", attrs) + (f' t="{kind}"' if kind else "")
        value = f"<v>{escape(text)}</v>"
        body = _VALUE.sub(lambda _: value, body, count=1) if _VALUE.search(body) else body + value
        return f"<c{attrs}>{body}</c>"

    return _CELL.sub(patch, xml)


def write_cached(path: str | Path, cached: dict[str, dict[str, Cached]]) -> None:
    """Put cached values into the formula cells of a saved file (rewritten in place, same folder)."""
    with zipfile.ZipFile(path) as z:
        parts = {part: name for name, part in sheet_parts(z).items()}

    def change(part: str, data: bytes) -> bytes:
        sheet = parts.get(part)
        if sheet is None or not cached.get(sheet):
            return data
        return _patch_sheet(data.decode("utf-8"), cached[sheet]).encode("utf-8")

    rewrite_parts(path, change)
