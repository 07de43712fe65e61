"""How the report writes a figure, and how the checker reads one back: one place for both.

The drafter writes scores as the table states them (44.43, 50, 9.5), amounts with two decimals
(1014.40), rates as percentages with two decimals (99.76%); the checker compares a stated figure with
the table's at the precision it was written with, so 44.4 stated for 44.43 is no error.
"""
from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from ..core.rules import xl_round

NUMBER = r"-?\d[\d,]*(?:\.\d+)?"
FIGURE = re.compile(r"^[-+]?\d[\d,]*(?:\.\d+)?%?$")       # a cell or a word that is a figure and nothing else
HUNDRED = Decimal(100)


def score_text(value: Decimal | None) -> str:
    """A score as a person writes it: 44.43, 50, 9.5."""
    if value is None:
        return "—"
    return format(xl_round(value, 2).normalize(), "f")


def amount_text(value: Decimal | None) -> str:
    """An amount in 万元 with two decimals: 1014.40."""
    return "—" if value is None else format(xl_round(value, 2), "f")


def rate_text(rate: Decimal | None) -> str:
    """A rate (a fraction) as a percentage with two decimals: 0.9976 → 99.76%."""
    return "—" if rate is None else f"{format(xl_round(rate * HUNDRED, 2), 'f')}%"


def percent_text(rate: Decimal) -> str:
    """A rate as the table shows it, without trailing zeros: 0.98 → 98%, 0.995 → 99.5%."""
    return f"{format(xl_round(rate * HUNDRED, 2).normalize(), 'f')}%"


def read_number(text: str) -> Decimal | None:
    """``"1,011.98"`` → Decimal('1011.98'); None when it is no number."""
    try:
        return Decimal(text.replace(",", ""))
    except InvalidOperation:
        return None


def places(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    return max(-exponent, 0) if isinstance(exponent, int) else 0


def agrees(stated: Decimal, expected: Decimal) -> bool:
    """Does ``stated`` say ``expected`` at the precision it was written with (44.4 for 44.43)?"""
    return xl_round(expected, places(stated)) == stated


def same_quantity(a: Decimal, b: Decimal) -> bool:
    """Two statements of one quantity agree at the coarser of their precisions."""
    digits = min(places(a), places(b))
    return xl_round(a, digits) == xl_round(b, digits)
