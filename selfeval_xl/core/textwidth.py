"""How wide text is in a console or a spreadsheet cell: a CJK character takes two columns.

Why one place: the console aligns its tables by it, and every workbook we write sizes wrapped rows by
it (a row too short for its text overlaps the next one on paper).
"""
from __future__ import annotations

WIDE_FROM = 0x2E7F          # CJK radicals, punctuation and ideographs, fullwidth forms lie above


def display_width(text: str) -> int:
    """Columns ``text`` takes: two for a CJK character, one for anything else."""
    return sum(2 if ord(ch) > WIDE_FROM else 1 for ch in text)


def lines_needed(text: str, columns: int) -> int:
    """Lines ``text`` wraps onto in a cell ``columns`` wide (at least one)."""
    return max(1, -(-display_width(text) // max(columns, 1)))
