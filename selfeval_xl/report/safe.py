"""Links in our reports are formulas of ours: a file or sheet name from a submitter must stay inside
their strings (text cells go through :mod:`selfeval_xl.core.sanitize`), and they point only where the file
can be opened at: a workbook's cell, never a 绩效自评报告's paragraph (Word knows no ``#第3段``)."""
from __future__ import annotations

from pathlib import Path

from ..files.discovery import SUFFIXES
from ..core.sanitize import url_text

MAX_FORMULA_STRING = 255       # Excel's limit for a string literal inside a formula


def has_cells(path: str) -> bool:
    """Is ``path`` a workbook, whose sheets and cells a link can open at (``file.xlsx#'表'!A1``)?"""
    return Path(path).suffix.lower() in SUFFIXES


def place(sheet: str, cell: str) -> str:
    """A finding's place in a document, as plain text: ``正文第12段``, ``第3页第2段``."""
    return f"{sheet}{cell}"


def hyperlink_formula(target: str, label: str) -> str | None:
    """``=HYPERLINK("target","label")`` with every quote doubled, so neither a file name nor a sheet
    name from a submitter can end the string and add formula text (control characters in the target
    percent-encoded, brackets in strings of their own: :func:`_literal`); None if Excel would refuse it."""
    target = url_text(target)
    if len(target) > MAX_FORMULA_STRING or len(label) > MAX_FORMULA_STRING:
        return None
    return f"=HYPERLINK({_literal(target)},{_literal(label)})"


def _literal(text: str) -> str:
    """``text`` as a formula's string: quotes doubled, and a new string joined on (``"…"&"(…"``) at
    every opening bracket, so that no name in it reads as a function call: XlsxWriter, which cannot tell
    a string from formula text, turned a file named ``SORT(1).xlsx`` into ``_xlfn._xlws.SORT(1)`` inside
    the link and the whole cell into an array formula."""
    return '"' + text.replace('"', '""').replace("(", '"&"(') + '"'
