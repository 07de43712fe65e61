"""Text from a stranger's workbook written into our report must stay text, never a live formula."""
from __future__ import annotations

from decimal import Decimal
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell_value(value: Any) -> Any:
    """A value safe for a report cell: numbers stay numbers (Decimal → float), text that a spreadsheet
    would read as a formula gets a leading apostrophe (``=HYPERLINK(…)`` → ``'=HYPERLINK(…)``)."""
    if value is None or isinstance(value, (bool, int, float)):
        return value
    if isinstance(value, Decimal):
        return float(value)
    text = str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


MAX_FORMULA_STRING = 255       # Excel's limit for a string literal inside a formula


def hyperlink_formula(target: str, label: str) -> str | None:
    """``=HYPERLINK("target","label")`` with every quote doubled, so neither a file name nor a sheet
    name from a submitter can end the string and add formula text; None if Excel would refuse it."""
    if len(target) > MAX_FORMULA_STRING or len(label) > MAX_FORMULA_STRING:
        return None
    quoted = target.replace('"', '""'), label.replace('"', '""')
    return f'=HYPERLINK("{quoted[0]}","{quoted[1]}")'
