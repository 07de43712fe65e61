"""How wide text is in a console or a spreadsheet cell: a CJK character takes two columns.

Why one place: the console aligns its tables by it, and every workbook we write sizes wrapped rows by
it (a row too short for its text overlaps the next one on paper).
"""
from __future__ import annotations

import re

WIDE_FROM = 0x2E7F          # CJK radicals, punctuation and ideographs, fullwidth forms lie above
_NARROW = re.compile(f"[\\x00-{chr(WIDE_FROM)}]+")


def display_width(text: str) -> int:
    """Columns ``text`` takes: two for a CJK character, one for anything else. (Counted in C: the
    characters left once the runs of narrow ones are taken out are the wide ones, for a report.xlsx
    row sized for each of a batch's files.)"""
    return len(text) if text.isascii() else len(text) + len(_NARROW.sub("", text))


def lines_needed(text: str, columns: int) -> int:
    """Lines ``text`` wraps onto in a cell ``columns`` wide (at least one)."""
    return max(1, -(-display_width(text) // max(columns, 1)))
