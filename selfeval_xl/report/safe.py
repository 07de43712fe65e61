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
