"""Links in our reports are formulas of ours: a file or sheet name from a submitter must stay inside
their strings. (Text cells go through :mod:`selfeval_xl.sanitize`.)"""
from __future__ import annotations

from ..sanitize import url_text

MAX_FORMULA_STRING = 255       # Excel's limit for a string literal inside a formula


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
