"""Cell text → what it means: operator, number, unit, or 定性 tier.

Departments type what they see on paper: ``≥150天``, ``≤30万元``, ``150天以上``, ``1.5万人次``,
``"1,011.98"``, ``"99.76%"``, ``区间 90%–110%``, ``达成年度指标``. This module reads all of these and,
where it cannot, says so in a :class:`ParseError` rather than guessing.
"""
from __future__ import annotations

import calendar
import datetime
import re
from functools import lru_cache, wraps
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Callable, TypeVar

from .rules import DEFAULT_SETTINGS, Direction, RuleError, Settings, Tier, find_tier

if TYPE_CHECKING:
    from .model import Cell


class ParseError(RuleError):
    """Text that cannot be read as the value a cell needs."""


@dataclass(frozen=True)
class Quantity:
    """A number with the unit typed beside it. ``%`` values keep their percent figure (98 for 98%)."""

    number: Decimal
    unit: str = ""


@dataclass(frozen=True)
class Value:
    """A parsed indicator value: a comparison with a quantity, a range, or a 定性 phrase."""

    text: str
    direction: Direction
    quantity: Quantity | None = None
    high: Quantity | None = None          # the upper bound of a 区间
    tier: Tier | None = None              # the 定性 tier named, if any

    @property
    def qualitative(self) -> bool:
        return self.direction is Direction.QUAL


_NUM = r"[-+]?\d[\d,，]*(?:\.\d+)?|[-+]?\.\d+"
_OPERATORS = (
    ("≥=", Direction.GE), ("≥", Direction.GE), (">=", Direction.GE), ("=>", Direction.GE), ("≧", Direction.GE),
    ("⩾", Direction.GE), ("≮", Direction.GE),
    ("≤=", Direction.LE), ("≤", Direction.LE), ("<=", Direction.LE), ("=<", Direction.LE), ("≦", Direction.LE),
    ("⩽", Direction.LE), ("≯", Direction.LE),
    (">", Direction.GT), ("<", Direction.LT), ("=", Direction.EQ), ("═", Direction.EQ),
)
"""Every comparison as typed, after :func:`fold_text` (＞＝ → >=): ≮ "not less than" is ≥, ≯ is ≤."""
_PREFIX_WORDS = (
    ("不低于", Direction.GE), ("不少于", Direction.GE), ("不小于", Direction.GE), ("大于等于", Direction.GE),
    ("大于或等于", Direction.GE), ("至少", Direction.GE), ("达到", Direction.GE), ("达", Direction.GE),
    ("不高于", Direction.LE), ("不超过", Direction.LE), ("不多于", Direction.LE), ("不大于", Direction.LE),
    ("小于等于", Direction.LE), ("小于或等于", Direction.LE), ("最多", Direction.LE), ("最高不超过", Direction.LE),
    ("控制在", Direction.LE), ("大于", Direction.GT), ("高于", Direction.GT), ("多于", Direction.GT),
    ("小于", Direction.LT), ("低于", Direction.LT), ("少于", Direction.LT), ("等于", Direction.EQ),
)
_SUFFIX_WORDS = (
    ("以上", Direction.GE), ("及以上", Direction.GE), ("以内", Direction.LE), ("以下", Direction.LE),
    ("及以下", Direction.LE), ("之内", Direction.LE),
)
_INCLUSIVE = re.compile(r"[(（]含[)）]")        # "95%（含）以上": the bound is included, as ≥ says anyway
_FOLD = str.maketrans({**{chr(0xFF10 + i): str(i) for i in range(10)}, "．": ".", "％": "%", "，": ",",
                       "＋": "+", "－": "-", "＜": "<", "＞": ">", "＝": "=", "～": "~", "〜": "~"})


def fold_text(text: str) -> str:
    """Full-width digits, point, sign, % and comparison marks to their ASCII forms (``≧９５％`` → ``≧95%``),
    nothing else: a unit such as ㎡ keeps its own spelling."""
    return text.translate(_FOLD)
_QUANTITY = re.compile(rf"^\s*({_NUM})\s*([^\d\s]*?)\s*$")
_RANGE_NUM = r"\d+(?:\.\d+)?"
_RANGE = re.compile(rf"^[\[［(（]?({_RANGE_NUM})([^\d~～至到–—,，\-]*?)(?:[~～至到–—]|--?)"
                    rf"({_RANGE_NUM})([^\d\]］)）]*?)[\]］)）]?$")
_UNIT_OK = re.compile(r"^[^\d<>=≥≤＜＞＝]*$")


PARSE_CACHE_SIZE = 8192
"""Distinct texts whose reading each cached parser keeps (a batch repeats its texts: the same ``≥100%``
stands in thousands of files); when full the cache starts again, so a worker's memory stays bounded."""
_T = TypeVar("_T")


def _by_text(parse: Callable[..., _T]) -> Callable[..., _T]:
    """``parse`` run once per distinct text and arguments: its result (frozen, shared), or its
    ParseError's message, raised anew each time (a raised exception would carry its traceback along).
    Arguments that are not text (a system's Settings) are keyed by identity and kept with the entry,
    so an identity is never reused while its entry lives. Anything but text is parsed every time."""
    cache: dict[tuple, tuple] = {}

    @wraps(parse)
    def cached(text: object, *args, **kwargs) -> _T:
        if type(text) is not str:
            return parse(text, *args, **kwargs)
        key = (text, *(a if type(a) is str else id(a) for a in args),
               *((k, v if type(v) is str else id(v)) for k, v in kwargs.items()))
        hit = cache.get(key)
        if hit is None:
            try:
                hit = (parse(text, *args, **kwargs), None, args, kwargs)
            except ParseError as exc:
                hit = (None, (exc.message, exc.short), args, kwargs)
            if len(cache) >= PARSE_CACHE_SIZE:
                cache.clear()
            cache[key] = hit
        if hit[1] is not None:
            raise ParseError(*hit[1])
        return hit[0]

    cached.cache = cache      # type: ignore[attr-defined]  (tests look at its bound)
    return cached


def parse_number(value: object, what: str = "数值") -> Decimal:
    """An amount or rate as typed: ``1011.98``, ``"1,011.98"``, ``"99.76%"`` (→ 0.9976), ``"12万元"``?

    Only a bare number or a percentage is accepted; a unit or words make a :class:`ParseError`.
    """
    if isinstance(value, bool):
        raise ParseError(f"{what}不是数字：{value}", f"#{what}不是数字")
    percent = False
    if isinstance(value, float):
        number = _float_decimal(value)
    elif isinstance(value, (int, Decimal)):
        number = Decimal(value)
    else:
        text = fold_text(str(value if value is not None else "")).strip().replace(",", "")
        if not text:
            raise ParseError(f"{what}为空", f"#{what}为空")
        percent = text.endswith(("%", "％"))
        try:
            number = Decimal(text[:-1] if percent else text)
        except InvalidOperation:
            raise ParseError(f"{what}不是数字：{value}", f"#{what}不是数字") from None
    if not number.is_finite():      # a NaN or an infinity, typed or held: no rule can use it
        raise ParseError(f"{what}不是有效数字：{value}", f"#{what}无效")
    return number / 100 if percent else number


@lru_cache(maxsize=4096)
def number(cell: "Cell | None") -> Decimal | None:
    """A cell's value as a number (``"1,011.98"`` and ``"95%"`` accepted); None if blank or not a number.
    Shared by the reader and the recompute, so a figure is read one way wherever it is read."""
    if cell is None or cell.blank:
        return None
    if type(cell.value) is str and len(cell.value) <= NUMBER_TEXT_CACHED:
        return _number_in_text(cell.value)
    return _number_of(cell.value)


def _number_of(value: object) -> Decimal | None:
    """:func:`parse_number`'s reading of a value, None where it finds no number."""
    try:
        return parse_number(value)
    except ParseError:
        return None


NUMBER_TEXT_CACHED = 64
"""Texts up to this length are read as a number once per distinct text (a form's ``—`` in every file's
funds block, where a failed reading costs an exception each time); a longer one is words, read each time."""

_number_in_text = lru_cache(maxsize=PARSE_CACHE_SIZE)(_number_of)


def _float_decimal(value: float) -> Decimal:
    """A float as the Decimal of its 15 significant digits (what Excel shows); once per value, as a
    table's numbers are read by several checks. -0.0 is 0 (as Excel shows it, and as the cache keys it)."""
    return Decimal(format(value, ".15g")) + 0


@_by_text
def parse_quantity(text: object, what: str = "数值") -> Quantity:
    """``162天`` → (162, 天); ``1.5万人次`` → (1.5, 万人次); ``99.5%`` → (99.5, %)."""
    if isinstance(text, (int, float, Decimal)) and not isinstance(text, bool):
        return Quantity(parse_number(text, what))
    raw = fold_text(str(text if text is not None else "")).strip()
    match = _QUANTITY.match(raw)
    if not match or not _UNIT_OK.match(match.group(2)):
        raise ParseError(f"无法识别{what}：{raw or '空'}", f"#无法识别{what}")
    unit = match.group(2).replace("％", "%")
    return Quantity(parse_number(match.group(1), what), unit)


@_by_text
def parse_value(text: object, what: str = "年度指标值",
                settings: Settings = DEFAULT_SETTINGS) -> Value:
    """Read an indicator value as typed. A bare number is 正向 (≥); words make it 定性."""
    if isinstance(text, (int, float, Decimal)) and not isinstance(text, bool):
        return Value(str(text), Direction.GE, Quantity(parse_number(text, what)))
    raw = str(text if text is not None else "").strip()
    if not raw:
        raise ParseError(f"{what}为空", f"#{what}为空")
    body = fold_text(raw.replace(" ", "").replace("\u3000", ""))
    candidate = body.removeprefix("区间")
    if candidate[:1] in "[［(（":   # "[90,110]": a comma separates bounds only inside brackets
        candidate = re.sub("[,，]", "~", candidate, count=1)
    range_match = _RANGE.match(candidate)
    if range_match:
        lo_unit, hi_unit = range_match.group(2), range_match.group(4)
        low = Quantity(parse_number(range_match.group(1), what), (lo_unit or hi_unit).replace("％", "%"))
        high = Quantity(parse_number(range_match.group(3), what), (hi_unit or lo_unit).replace("％", "%"))
        if low.number > high.number:
            raise ParseError(f"区间下限大于上限：{raw}", "#区间下限大于上限")
        return Value(raw, Direction.RANGE, low, high)
    direction, rest = _comparison(_INCLUSIVE.sub("", body))
    if not re.search(r"\d", rest):
        return Value(raw, Direction.QUAL, tier=find_tier(body, settings))
    return Value(raw, direction, parse_quantity(rest, what))


def bare_figure(text: object) -> bool:
    """A 年度指标值 that is a figure alone (``100%``, ``2200篇``, 0.03): it names no comparison of its own, so
    it is read as ≥ unless the indicator's kind says otherwise (a 控制率 is held from above)."""
    try:
        value = parse_value(text)
    except ParseError:
        return False
    if value.direction is not Direction.GE or value.quantity is None:
        return False
    body = _INCLUSIVE.sub("", fold_text(str(text).replace(" ", "").replace("\u3000", "")))
    return _comparison(body)[1] == body


def _comparison(body: str) -> tuple[Direction, str]:
    """The comparison a value states and the quantity left: an operator or a word before it (``≥``,
    ``不低于``), a word after it (``以上``), or both when they agree (``≥95%以上``). A bare number is 正向.
    Words that contradict the operator (``≥95%以下``) are left on the quantity, which then cannot be read."""
    direction, rest, stated = Direction.GE, body, None
    for symbol, found in (*_OPERATORS, *_PREFIX_WORDS):
        if rest.startswith(symbol):
            stated, rest = found, rest[len(symbol):]
            break
    for word, found in sorted(_SUFFIX_WORDS, key=lambda w: -len(w[0])):
        if rest.endswith(word) and (stated is None or _same_side(stated, found)):
            stated, rest = stated or found, rest[: -len(word)]
            break
    return stated or direction, rest


def _same_side(a: Direction, b: Direction) -> bool:
    """Both bound from below (≥ >), or both from above (≤ <)."""
    below, above = (Direction.GE, Direction.GT), (Direction.LE, Direction.LT)
    return (a in below and b in below) or (a in above and b in above)


def align(target: Quantity, actual: Quantity, what: str = "实际完成值") -> tuple[Decimal, Decimal]:
    """Bring a target and an actual to one unit: ``1.5万人次`` against ``46845人次`` → 15000, 46845.

    A blank unit on one side takes the other's. Units that differ otherwise are a :class:`ParseError`.
    """
    t_unit, a_unit = target.unit, actual.unit
    if t_unit == a_unit or not t_unit or not a_unit:
        return target.number, actual.number
    if t_unit == "万" + a_unit:
        return target.number * 10000, actual.number
    if a_unit == "万" + t_unit:
        return target.number, actual.number * 10000
    raise ParseError(f"{what}单位（{a_unit}）与年度指标值单位（{t_unit}）不一致", "#单位不一致")


# --------------------------------------------------------------------------- what a number cell shows

_FORMAT_TEXT = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]')
"""The parts of a number format code that are printed as they stand: ``"…"``, ``\\%``, ``[Red]``."""


FORMAT_CACHE_SIZE = 1024
"""Distinct number format codes whose reading is remembered: a workbook uses a handful, a batch a few
dozen; a stranger's thousands of odd codes only make the least used ones be read again."""


@lru_cache(maxsize=FORMAT_CACHE_SIZE)
def percent_in_format(number_format: str | None) -> str:
    """How a number format shows a number with a % sign: ``"scaled"`` when the % scales it (``0%``,
    ``0.00%``: the cell stores the fraction, 0.98 for 98%), ``"literal"`` when the % is text printed after
    the number as stored (``0"%"``, ``0\\%``: 98 for 98%), ``""`` when it shows no % (General, ``0.00``).
    Read once per format code (every number cell of a table asks)."""
    if not number_format:
        return ""
    if "%" in _FORMAT_TEXT.sub("", number_format):
        return "scaled"
    return "literal" if "%" in number_format else ""


_DECIMALS = re.compile(r"[0#?]\.([0#?]+)")


def shown_places(value: object, number_format: str | None) -> int | None:
    """The decimals of the fraction a cell *shows*, where its display rounds what it holds: a number in a
    format with fixed decimals (``0%`` → 2, ``0.00%`` → 4, ``0.0`` → 1, ``0`` → 0), a percentage typed as
    text (``"86%"`` → 2). None where the cell shows what it holds (General, a number typed as text)."""
    if isinstance(value, str):
        text = fold_text(value).strip()
        if not text.endswith("%"):
            return None
        whole, _, decimals = text[:-1].partition(".")
        return len(decimals) + 2 if whole.lstrip("+-").replace(",", "").isdigit() else None
    if not is_plain_number(value) or not number_format or number_format == "General":
        return None
    return _format_places(number_format)


@lru_cache(maxsize=FORMAT_CACHE_SIZE)
def _format_places(number_format: str) -> int | None:
    """The decimals of the fraction a number shows in ``number_format`` (:func:`shown_places`), read
    once per format code."""
    section = _FORMAT_TEXT.sub("", number_format.split(";")[0])
    if not re.search(r"[0#?]", section) or re.search(r"[eE][+-]|/", section):
        return None
    match = _DECIMALS.search(section)
    places = len(match.group(1)) if match else 0
    return places + 2 if percent_in_format(number_format) == "scaled" else places


def is_plain_number(value: object) -> bool:
    """A number as a cell holds it (int, float, Decimal), not a bool."""
    return isinstance(value, (int, float, Decimal)) and not isinstance(value, bool)


def shown_quantity(value: object, number_format: str | None = None, what: str = "数值") -> Quantity:
    """A cell's value read as it shows: a number in a percent format is its percent figure (0.98 in
    ``0%`` → 98 %; 98 in ``0"%"`` → 98 %); text as typed (``"98%"`` → 98 %, ``"162天"`` → 162 天)."""
    quantity = parse_quantity(value, what)
    kind = percent_in_format(number_format) if is_plain_number(value) else ""
    if kind == "scaled":
        return Quantity(quantity.number * 100, "%")
    return Quantity(quantity.number, "%") if kind == "literal" else quantity


PERCENT_UNCLEAR = "#百分数不明"


def percent_beside(quantity: Quantity, value: object, number_format: str | None, what: str) -> Quantity:
    """A value shown without a unit on a row whose other side is in %: which percentage it is.

    Zero is 0% either way. A number whose format is unknown (a UDF's argument, an .xls value) is read as
    stored, and Excel stores a typed percentage as the fraction (98% → 0.98). A number or text *shown*
    without a % sign (``98`` or ``0.98`` in a General cell) may be 98% or 0.98%: a :class:`ParseError`
    asks for the % rather than guessing from the size."""
    if quantity.number == 0:
        return Quantity(quantity.number, "%")
    if number_format is None and is_plain_number(value):
        return Quantity(quantity.number * 100, "%")
    n = quantity.number.normalize()
    shown = value if isinstance(value, str) else f"{n:f}"
    raise ParseError(f"{what}“{shown}”未显示百分号，而同一指标另一侧为百分数：是 {n:f}% 还是 {(n * 100).normalize():f}%？"
                     "请填写带 % 的值，或把单元格设为百分比格式 / shown without %: type the % sign", PERCENT_UNCLEAR)


def align_shown(target: Quantity, target_value: object, target_format: str | None,
                actual_value: object, actual_format: str | None) -> tuple[Decimal, Decimal]:
    """A target and an actual in one unit, each read as its cell shows it (:func:`shown_quantity`); a
    side shown without a unit beside a side in % is read by :func:`percent_beside`. ``target`` is the
    quantity parsed from the target's text (``≥95%`` → 95 %); a number target is read by its format."""
    if is_plain_number(target_value):
        target = shown_quantity(target_value, target_format, "年度指标值")
    actual = shown_quantity(actual_value, actual_format, "实际完成值")
    if target.unit == "%" and not actual.unit:
        actual = percent_beside(actual, actual_value, actual_format, "实际完成值")
    elif actual.unit == "%" and not target.unit:
        target = percent_beside(target, target_value, target_format, "年度指标值")
    return align(target, actual)


# --------------------------------------------------------------------------- time targets (时效)

@dataclass(frozen=True)
class Day:
    """A day a 时效 indicator names: ``9月前`` (the end of September), ``12月31日``, ``2023年7月``.
    ``day`` None is the end of the month; ``year`` None is the year of the table."""

    month: int
    day: int | None = None
    year: int | None = None

    def number(self, base_year: int | None = None) -> int:
        """Days from 1 January of ``base_year`` (or this day's own year) to this day, 1 for 1 January."""
        year = self.year or base_year or _ANY_YEAR
        last = calendar.monthrange(year, self.month)[1]
        day = datetime.date(year, self.month, min(self.day or last, last))
        return (day - datetime.date(base_year or year, 1, 1)).days + 1


_ANY_YEAR = 2001                     # a year without 29 February, for a month named without a year
_DATE = r"(?:(?P<year>(?:19|20)\d{2})[年.\-/])?(?P<month>\d{1,2})(?:月|(?=[.\-/]|$))(?:[.\-/]?(?P<day>\d{1,2})[日号]?)?"
_DEADLINE = re.compile(rf"^{_DATE}(?:底|末|中旬|上旬|下旬)?(?:前|之前|以前|前完成)$")
_WHEN = re.compile(rf"^(?:于|在)?{_DATE}(?:底|末|初|中旬|上旬|下旬)?(?:前)?(?:完成|已完成|全部完成|竣工|验收)?$")
_YEAR_END_TARGETS = ("年底前", "年末前", "年底", "年末", "年内", "年度内", "当年内", "年底前完成", "年内完成")
_YEAR_END_ACTUALS = ("年底", "年末", "年底完成", "年底前完成", "年内完成", "年末完成")


def _day(match: re.Match[str]) -> Day | None:
    month, day = int(match.group("month")), match.group("day")
    year = match.group("year")
    if not 1 <= month <= 12 or (day is not None and not 1 <= int(day) <= 31):
        return None
    return Day(month, int(day) if day else None, int(year) if year else None)


@_by_text
def parse_deadline(text: object) -> Day | None:
    """A 时效 target as a deadline: ``9月前``, ``2023年9月底前``, ``12月31日前``, ``年底前`` (31 December).
    None when the text names no day (``按期``, ``及时``): such a target is left to 定性. Read once per
    distinct text (a row's target is asked by its score, its note and the 指标质量 rules)."""
    if not isinstance(text, str):
        return None
    body = re.sub(r"\s+", "", text).removeprefix("≤").removeprefix("<=")
    if body in _YEAR_END_TARGETS:
        return Day(12, 31)
    match = _DEADLINE.match(body)
    return _day(match) if match else None


def parse_day(value: object) -> Day | None:
    """The day an actual names: ``7月``, ``7月15日``, ``2023年7月完成``, ``2023-07-15``, ``年底``, or a date
    cell; None when it names none (``按期完成``)."""
    if isinstance(value, datetime.date):             # a datetime too (a subclass): its day
        return Day(value.month, value.day, value.year)
    if not isinstance(value, str):
        return None
    body = re.sub(r"\s+", "", value)
    if body in _YEAR_END_ACTUALS:
        return Day(12, 31)
    match = _WHEN.match(body)
    return _day(match) if match else None


# --------------------------------------------------------------------------- a table's own scoring rule

@dataclass(frozen=True)
class ExecRule:
    """The 预算执行 rule a table states in words (its 得分计算方法): ``weight`` is the 分值 it names (None:
    the row's own 分值), ``understood`` False when the text speaks of a rule that is not one of the
    common forms: the score is then not reviewed rather than guessed."""

    text: str
    weight: Decimal | None = None
    understood: bool = True


_RULE_CLAUSES = (   # each clause of a 得分计算方法 as tables write it; one formula clause among them
    ("rate", re.compile(r"^(?:预算)?执行率=(?:B/A|全年执行数/(?:全年|年初)?预算数|(?:预算)?执行数/(?:预算数|预算))(?:\*100%|×100%)?$")),
    ("standard", re.compile(r"^(?:得分=)?(?:(?:预算)?执行率[*×xX]?(?:该指标|本项|该项)?分值|分值[*×xX](?:预算)?执行率)$")),
    ("points", re.compile(r"^(?:得分=)?(?:(\d+(?:\.\d+)?)分?[*×xX](?:预算)?执行率|(?:预算)?执行率[*×xX](\d+(?:\.\d+)?)分?)$")),
    ("cap", re.compile(r"^(?:最高|最多)?(?:不得|不能|不)?(?:超过|高于)(?:该指标|本项)?(?:分值|\d+(?:\.\d+)?分?)(?:上限)?"
                       r"|^(?:预算)?执行率(?:超过|高于|大于)100%的?按100%计(?:算|分)?$|^超过分值(?:上限)?的?按分值计(?:算|分)?$")),
)
_RULE_WORDS = ("执行率", "得分", "分值", "计分", "扣")


def parse_exec_rule(text: object) -> ExecRule | None:
    """A 得分计算方法 as tables write it: ``执行率*该指标分值,最高不得超过分值上限`` (the national rule on the
    row's 分值), ``20分*执行率`` (the national rule on 20). None where the text states no rule at all (a
    reason, blank); ``understood=False`` for a rule in other words (每低1%扣0.5分 …)."""
    if not isinstance(text, str) or not text.strip():
        return None
    body = fold_text(re.sub(r"\s+", "", text)).replace("（", "(").replace("）", ")")
    if not any(word in body for word in _RULE_WORDS):
        return None
    formulas: list[Decimal | None] = []
    for clause in filter(None, re.split(r"[,;；。、]", body)):
        kind, match = next(((k, m) for k, pattern in _RULE_CLAUSES if (m := pattern.match(clause))), (None, None))
        if kind is None:
            return ExecRule(text.strip(), understood=False)
        if kind in ("standard", "points"):
            formulas.append(Decimal(match.group(1) or match.group(2)) if kind == "points" else None)
    if len(formulas) != 1:
        return ExecRule(text.strip(), understood=False)
    return ExecRule(text.strip(), formulas[0])

