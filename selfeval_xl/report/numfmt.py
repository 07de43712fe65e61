"""A value as Excel shows it in a cell of a given number format: 0.98 in ``0%`` is 98%, 1 in ``0.00%``
is 100.00%, 0.858 in ``0.00`` is 0.86, 1132.005 in ``#,##0.00`` is 1,132.01.

Why: the web page draws a submitted table from the values its cells hold, and a reader compares what
it shows with the table open in Excel or WPS; a finding's 应为 / 实为 on the page must read as the same
figures report.xlsx shows through its cells' formats (:data:`.shown.NUMBER_FORMATS`). The common
parts of a format code are honoured — sections (positive;negative;zero;text), literal text (``"元"``,
``\\%``, ``[$¥-804]``), ``0 # ?`` placeholders, the thousands separator and scaling comma, ``%`` and
``E+00``; a date or fraction format, or a code this does not understand, shows the value in General.
Rounding is half away from zero on the decimal the cell holds, as Excel's display rounds.
"""
from __future__ import annotations

import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

_TOKEN = re.compile(r'"(?P<quoted>[^"]*)"?|\\(?P<escaped>.)|_(?P<space>.)|\*(?P<fill>.)'
                    r'|\[\$(?P<currency>[^\]\-]*)[^\]]*\]|\[(?P<bracket>[^\]]*)\]'
                    r'|(?P<number>[0#?][0#?,.]*(?:[eE][+-][0#?]+)?|\.[0#?][0#?,]*)|(?P<percent>%)|(?P<text>@)'
                    r'|(?P<date>[yYmMdDhHsS]|AM/PM|上午/下午)|(?P<other>.)', re.S)
GENERAL_DIGITS = 10
"""Significant digits a General cell of standard width shows (0.1 + 0.2 shows 0.3)."""


def _sections(code: str) -> list[str]:
    """The code's sections, split at the semicolons outside quotes and escapes."""
    parts, current, quoted, escaped = [], "", False, False
    for ch in code:
        if escaped:
            current, escaped = current + ch, False
        elif ch == "\\":
            current, escaped = current + ch, True
        elif ch == '"':
            current, quoted = current + ch, not quoted
        elif ch == ";" and not quoted:
            parts.append(current)
            current = ""
        else:
            current += ch
    return [*parts, current]


def general(value: float | int | Decimal) -> str:
    """A number as a General cell shows it: at most :data:`GENERAL_DIGITS` significant digits, no
    trailing zeros, an exponent only for very large or very small numbers."""
    number = Decimal(str(value))
    if number == 0:
        return "0"
    if not (Decimal("1e-9") <= abs(number) < Decimal("1e11")):
        return _exponent(number)
    text = f"{float(number):.{GENERAL_DIGITS}g}"
    if "e" in text:                      # .g chose an exponent where General does not
        text = f"{Decimal(text):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _exponent(number: Decimal) -> str:
    mantissa, _, power = f"{float(number):.5E}".partition("E")
    mantissa = mantissa.rstrip("0").rstrip(".")
    return f"{mantissa}E{power[0]}{int(power[1:]):02d}"


def _digits(number: Decimal, pattern: str) -> str:
    """``number`` (not negative) through one digit pattern: ``#,##0.00``, ``0.0##``, ``0.00E+00``."""
    mantissa_pattern, exponent_pattern = re.split(r"[eE]", pattern, maxsplit=1) if re.search(r"[eE]", pattern) \
        else (pattern, "")
    whole_pattern, point, fraction_pattern = mantissa_pattern.partition(".")
    scaling = len(whole_pattern) - len(whole_pattern.rstrip(","))
    whole_pattern = whole_pattern.rstrip(",")
    number /= Decimal(1000) ** scaling
    places = sum(ch in "0#?" for ch in fraction_pattern)
    power = 0
    if exponent_pattern:
        if number:
            power = number.adjusted() - max(sum(ch in "0#?" for ch in whole_pattern) - 1, 0)
            number = number.scaleb(-power)
            if number.quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP) >= Decimal(10) ** max(
                    sum(ch in "0#?" for ch in whole_pattern), 1):
                number, power = number.scaleb(-1), power + 1
    rounded = number.quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)
    whole, _, fraction = f"{rounded:f}".partition(".")
    required = sum(ch == "0" for ch in whole_pattern)
    whole = whole.lstrip("0").rjust(required, "0")
    if "," in whole_pattern:
        whole = f"{int(whole):,}" if whole else whole
    fraction = fraction.ljust(places, "0")
    keep = len(fraction_pattern.rstrip("#?").replace(",", ""))
    optional = fraction_pattern.replace(",", "")
    while len(fraction) > keep and fraction.endswith("0"):
        fraction = fraction[:-1]
    fraction += "".join(" " for ch in optional[len(fraction):] if ch == "?")
    text = whole + (point + fraction if point else "")
    if exponent_pattern:
        sign = "-" if power < 0 else ("+" if exponent_pattern[0] == "+" else "")
        text += f"E{sign}{str(abs(power)).rjust(sum(ch == '0' for ch in exponent_pattern[1:]), '0')}"
    return text


def _render(number: Decimal, section: str) -> str | None:
    """The text of ``number`` (its sign already dealt with) through one section; None when the section
    is one this does not render (a date, a fraction, General)."""
    tokens = list(_TOKEN.finditer(section))
    if any(t.lastgroup == "date" for t in tokens):
        return _serial_date(number)
    if "/" in section:
        return None
    if not any(t.lastgroup == "number" for t in tokens) and "general" in section.lower():
        return None
    number *= Decimal(100) ** sum(t.lastgroup == "percent" for t in tokens)
    out, drawn = [], False
    for t in tokens:
        kind = t.lastgroup
        if kind == "number":
            out.append(t.group() if drawn else _digits(number, t.group()))
            drawn = True
        elif kind == "percent":
            out.append("%")
        elif kind in ("quoted", "escaped", "currency"):
            out.append(t.group(kind))
        elif kind == "space":
            out.append(" ")
        elif kind == "other":
            out.append(t.group())
        elif kind == "text":
            out.append(general(number))
    text = "".join(out)
    if "general" in text.lower():        # ``"¥"General``: the number in General, the literal kept
        text = re.sub(r"(?i)general", general(number), text)
    return text


EPOCH = dt.datetime(1899, 12, 30)
"""Day 0 of Excel's 1900 date system, as every serial after 1900-03-01 counts from it."""


def _serial_date(number: Decimal) -> str | None:
    """A date serial (45000 → 2023-03-15) as ISO text, the time when it has one; None past year 9999."""
    try:
        moment = EPOCH + dt.timedelta(days=float(number))
    except OverflowError:
        return None
    return excel_text(moment)


def excel_text(value: Any, number_format: str | None = None) -> str:
    """``value`` as a cell of ``number_format`` (None or ``General``: General) shows it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S" if value.time() != dt.time() else "%Y-%m-%d")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if not isinstance(value, (int, float, Decimal)):
        return str(value)
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    if not number.is_finite():
        return str(value)
    sections = _sections(number_format or "General")
    if number < 0 and len(sections) > 1:
        section, number, sign = sections[1], -number, ""
    elif number == 0 and len(sections) > 2:
        section, sign = sections[2], ""
    else:
        section, sign = sections[0], "-" if number < 0 else ""
        number = abs(number)
    shown = _render(number, section)
    if shown is None:
        return sign + general(number)
    return sign + shown
