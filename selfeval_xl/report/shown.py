"""A finding's 应为 / 实为 as the table shows them: a rate as a percentage beside a percentage, a score
or an amount at the two decimals its cell has in the official table.

Why: a check compares numbers (0.9976) while the table shows 99.76%; a reviewer reading 应为 "89.40%"
beside 实为 0.9976 cannot compare them, nor 1014.4 beside 1132.01. Only the showing changes;
findings.json keeps the numbers.
"""
from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from ..core.findings import Finding

NUMBER_FORMATS = {"amount": "#,##0.00", "rate": "0.00%", "score": "0.00", "count": "0"}
"""Each kind of figure as the templates format it (分值 and 得分 alike two decimals, amounts in 万元 with
separators): report.xlsx and summary.xlsx show numbers so."""
FIGURES = {
    **dict.fromkeys(("exec-score-mismatch", "score-mismatch", "qual-score-out-of-band", "score-over-weight",
                     "subtotal-mismatch", "bonus-out-of-range", "total-mismatch", "total-weight-not-100",
                     "weight-split-differs", "level-weights-mismatch", "report-score-over-weight"), "score"),
    **dict.fromkeys(("funds-total-mismatch", "dept-funds-sum-mismatch", "negative-amount",
                     "figure-inconsistent"), "amount"),
    "report-placeholder": "count",
}
"""The kind of figure a code's 应为 and 实为 are, where every finding of the code compares one kind; the
others (a value typed over any formula, a report's figure that may be either) keep their own digits."""
RATE_CODES = ("exec-rate-mismatch", "dept-rate-mismatch")
"""Codes whose 应为 and 实为 are rates (fractions): both shown as percentages."""
PERCENT = re.compile(r"^\s*-?\d+(?:\.(\d+))?\s*%\s*$")


def _number(value: Any) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def _percent(value: Decimal, places: int) -> str:
    return f"{value * 100:.{places}f}%"


def shown_values(f: Finding) -> tuple[Any, Any]:
    """(应为, 实为) of ``f`` as the table shows them: numbers stay numbers except where the other
    side, or the code, says they are percentages."""
    expected, found = f.expected, f.found
    if f.code in RATE_CODES:
        return tuple(_percent(n, 2) if (n := _number(v)) is not None else v for v in (expected, found))
    pair = [expected, found]
    for i in (0, 1):
        text, number = pair[i], _number(pair[1 - i])
        match = PERCENT.match(text) if isinstance(text, str) else None
        if match and number is not None:
            pair[1 - i] = _percent(number, len(match.group(1) or ""))
            break
    return pair[0], pair[1]


def shown_texts(f: Finding) -> tuple[str | None, str | None]:
    """(应为, 实为) of ``f`` as text, as report.xlsx shows them through its cells' formats
    (:data:`NUMBER_FORMATS` of the code's kind of figure, General otherwise): the web page's findings."""
    from .numfmt import excel_text

    kind = FIGURES.get(f.code)
    code = NUMBER_FORMATS[kind] if kind else None
    return tuple(None if v is None else excel_text(v, code if _number(v) is not None else None)
                 for v in shown_values(f))
