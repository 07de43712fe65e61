"""Links in our reports are formulas of ours: a file or sheet name from a submitter must stay inside
their strings. (Text cells go through :mod:`selfeval_xl.sanitize`.)"""
from __future__ import annotations

from ..sanitize import url_text

MAX_FORMULA_STRING = 255       # Excel's limit for a string literal inside a formula


def hyperlink_formula(target: str, label: str) -> str | None:
    """``=HYPERLINK("target","label")`` with every quote doubled, so neither a file name nor a sheet
    name from a submitter can end the string and add formula text (control characters in the target
    percent-encoded); None if Excel would refuse it."""
    target = url_text(target)
    if len(target) > MAX_FORMULA_STRING or len(label) > MAX_FORMULA_STRING:
        return None
    quoted = target.replace('"', '""'), label.replace('"', '""')
    return f'=HYPERLINK("{quoted[0]}","{quoted[1]}")'
