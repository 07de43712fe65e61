"""The VML drawings that show an .xlsm's cell comments: one part per sheet, no part name written twice.

Why: saving with ``keep_vba``, openpyxl rewrites a sheet's old VML drawing under its old name, but names
the drawing of a sheet that has comments and no old drawing ``commentsDrawing<n>.vml``, counting the
sheets with comments — a name the old package may already give another sheet (any .xlsm openpyxl saved
before has such names, our own scored copies among them). The zip then holds two entries of one name,
both sheets point at one of them, and Excel reports the file as damaged. openpyxl redraws every comment
box from the comments anyway, so an old drawing that holds nothing but comment boxes is let go and drawn
afresh under openpyxl's own clash-free numbering; a drawing with other shapes (a form button) is kept.
"""
from __future__ import annotations

from typing import Any

from defusedxml import ElementTree

VML = "urn:schemas-microsoft-com:vml"
OFFICE = "urn:schemas-microsoft-com:office:office"
EXCEL = "urn:schemas-microsoft-com:office:excel"
FRAME = frozenset({f"{{{OFFICE}}}shapelayout", f"{{{VML}}}shapetype"})   # layout and templates, not shapes


def redraw_comment_drawings(workbook: Any) -> None:
    """Before an openpyxl save that keeps VBA: drop each sheet's old drawing that holds only comment
    boxes (or is missing from the package), so openpyxl writes the sheet's comments a drawing of its own."""
    archive = workbook.vba_archive
    if archive is None:
        return
    names = set(archive.namelist())
    for ws in workbook.worksheets:
        drawing = ws.legacy_drawing
        if drawing and (drawing not in names or only_comments(archive.read(drawing))):
            ws.legacy_drawing = None


def only_comments(vml: bytes) -> bool:
    """True when a VML drawing holds no shape but comment boxes (notes); False for one we cannot read."""
    try:
        root = ElementTree.fromstring(vml)
    except (ElementTree.ParseError, ValueError):      # not well-formed, or a DTD defusedxml refuses
        return False
    return all(child.tag in FRAME or _is_note(child) for child in root)


def _is_note(shape: Any) -> bool:
    data = shape.find(f"{{{EXCEL}}}ClientData")
    return shape.tag == f"{{{VML}}}shape" and data is not None and data.get("ObjectType") == "Note"
