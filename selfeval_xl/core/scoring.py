"""Score one indicator from what its cells hold: text or numbers, with or without a 指标性质 column.

This joins :mod:`parse` and :mod:`rules` once, so the UDFs, the checker, the writeback and the add-in
score a row the same way: the direction comes from 指标性质 when given, otherwise from the text of
年度指标值 (``≥150天``, ``30万元以内`` …); units are aligned (``1.5万人次`` vs ``46845人次``).
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Mapping

from . import rules
from .parse import Day, ParseError, Quantity, Value, align_shown, is_plain_number, parse_day, parse_deadline, parse_number, parse_quantity, parse_value, percent_in_format
from .rules import DEFAULT_SETTINGS, Band, Direction, Settings, Tier


@dataclass(frozen=True)
class Scored:
    """The recomputed score of a row and what it was computed from (None: a 定性 row with no tier)."""

    score: Decimal | None
    direction: Direction
    target: float | None = None
    actual: float | None = None
    high: float | None = None
    tier: Tier | None = None
    bands: tuple[Band, ...] = ()


Formats = Mapping[str, str | None]
"""The number format of a row's cells by key (``target``, ``target_high``, ``actual``); a key not there,
or None, is a format not known (a UDF's arguments, .xls values)."""


def _aligned(target: Quantity, target_raw: object, actual_raw: object, formats: Formats,
             target_key: str = "target") -> tuple[float, float]:
    t, a = align_shown(target, target_raw, formats.get(target_key), actual_raw, formats.get("actual"))
    return float(t), float(a)


def band_rate(actual: object, number_format: str | None = None) -> float:
    """The rate a banded row is scored on, as the spreadsheet holds it: a number is the fraction itself
    (0.03, what a cell formatted as % stores for 3%) unless its format prints a literal % after the figure
    (3 in ``0"%"`` is 3%); text ``"3%"`` / ``"0.03"`` is read exactly as typed (``"57%"`` → the double
    nearest 0.57, as Excel stores a typed 57%)."""
    if is_plain_number(actual):
        return float(actual) / 100 if percent_in_format(number_format) == "literal" else float(actual)
    return float(parse_number(actual, "实际完成值"))


def score_indicator(target: object, actual: object, weight: object, direction: object = None,
                    high: object = None, settings: Settings = DEFAULT_SETTINGS,
                    bands: tuple[Band, ...] = (), year: int | None = None, formats: Formats | None = None
                    ) -> Scored:
    """Recompute a row's score. Raises :class:`rules.RuleError` (incl. ParseError) for bad input.

    ``bands``: the row names an indicator the system scores by bands (``IndicatorSystem.bands_for``);
    its 实际完成值 is then a rate scored by :func:`rules.band_score`, whatever its 指标性质 or target.
    ``year``: the table's year, the year of a deadline named without one (``12月31日前``).
    ``formats``: the number format of each value cell, so a value is read as the cell shows it (0.98 shown
    as 98%); a bare number beside a % that the cell shows without % is a :class:`ParseError`."""
    formats = formats or {}
    if bands:
        rate = band_rate(actual, formats.get("actual"))
        return Scored(rules.band_score(rate, bands, weight), Direction.LE, actual=rate, bands=tuple(bands))
    given = rules.parse_direction(direction) if direction not in (None, "") else None
    deadline = parse_deadline(target) if given not in (Direction.QUAL, Direction.RANGE) else None
    if deadline is not None:
        return _by_deadline(deadline, actual, weight, settings, year)
    if given is Direction.QUAL or (given is None and _qualitative(target, actual, settings)):
        tier = rules.find_tier(actual, settings)
        if tier is None and given is Direction.QUAL and rules.find_tier(target, settings) is None \
                and str(actual or "").strip() == "":
            raise ParseError("实际完成值为空", "#实际完成值为空")
        score = rules.qual_score(tier, weight, settings) if tier else None
        return Scored(score, Direction.QUAL, tier=tier)
    value: Value = parse_value(target, "年度指标值", settings)
    if given is Direction.RANGE or value.direction is Direction.RANGE:
        low_q = value.quantity
        high_q = value.high if value.high is not None else (parse_quantity(high, "区间上限") if high not in (None, "") else None)
        if low_q is None or high_q is None:
            raise ParseError("区间指标需给出上下限", "#区间需上下限")
        lo, a = _aligned(low_q, target, actual, formats)
        if high in (None, ""):
            hi, _ = _aligned(high_q, target, actual, formats)
        else:
            hi, _ = _aligned(high_q, high, actual, formats, "target_high")
        return Scored(rules.range_score(lo, hi, a, weight), Direction.RANGE, lo, a, hi)
    if value.direction is Direction.QUAL or value.quantity is None:
        raise ParseError(f"定量指标的年度指标值应为数字：{target}", "#指标值不是数字")
    d = given or value.direction
    t, a = _aligned(value.quantity, target, actual, formats)
    return Scored(rules.indicator_score(t, a, weight, d, settings), d, t, a)


def _by_deadline(deadline: Day, actual: object, weight: object, settings: Settings, year: int | None) -> Scored:
    """A 时效 target such as ``9月前``: met when the actual day is not later (full 分值), else scored as
    反向 on the days since 1 January; an actual that names no day (``按期完成``) is left to 定性."""
    done = parse_day(actual)
    if done is None:
        tier = rules.find_tier(actual, settings)
        return Scored(rules.qual_score(tier, weight, settings) if tier else None, Direction.QUAL, tier=tier)
    base = deadline.year or year or done.year
    t, a = deadline.number(base), done.number(base)
    return Scored(rules.indicator_score(t, a, weight, Direction.LE, settings), Direction.LE, t, a)


def _qualitative(target: object, actual: object, settings: Settings) -> bool:
    """A row is 定性 when its 年度指标值 is words, or its 实际完成值 names a tier."""
    if is_plain_number(target):
        return False
    try:
        return parse_value(target, settings=settings).qualitative
    except ParseError:
        return rules.find_tier(actual, settings) is not None
