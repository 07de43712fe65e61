"""Every scoring rule of the 绩效自评, in pure Python.

Why floats inside and Decimal outside: Excel and LibreOffice compute each formula in IEEE doubles and
then ``ROUND`` takes the double to 15 significant digits before rounding half away from zero. To give
the very numbers a spreadsheet shows, each rule performs the same double operations in the same order
as its native formula (see ``excel_rules``) and rounds with :func:`xl_round`. Results are ``Decimal``
with two places, so totals add exactly.

This module knows no workbook, no file format and nothing of ours: it is the single source of truth
that the UDFs, the native formulas, the checker and the add-in mirror or call.
"""
from __future__ import annotations

import unicodedata

import math
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from enum import Enum
from typing import Sequence, Union

Number = Union[int, float, Decimal, str]



class RuleError(ValueError):
    """Bad input to a rule: a clear Chinese message, and a short ``#…`` form for a cell."""

    def __init__(self, message: str, short: str | None = None):
        super().__init__(message)
        self.message = message
        self.short = short or ("#" + message.split("（")[0].split("，")[0])


def xl_round(value: Number, digits: int = 2) -> Decimal:
    """``ROUND(value, digits)`` as Excel and LibreOffice compute it.

    The double is first taken to 15 significant digits (what the spreadsheet stores and shows), then
    rounded half away from zero: ``xl_round(114/200*2.5)`` is 1.43, although the double is
    1.4249999999999998.
    """
    if isinstance(value, Decimal):
        dec = value
    else:
        number = float(value)
        if not math.isfinite(number):
            raise RuleError("数值无效（无穷大或非数字）", "#数值无效")
        dec = Decimal(format(number, ".15g"))
    return dec.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP) + 0  # +0 drops -0.00


def to_float(value: Number | None, what: str) -> float:
    """Read a number that a rule needs; text like ``"1,011.98"`` or ``"99.76%"`` is accepted."""
    if value is None or (isinstance(value, str) and not value.strip()):
        raise RuleError(f"{what}为空", f"#{what}为空")
    if isinstance(value, bool):
        raise RuleError(f"{what}不是数字：{value}", f"#{what}不是数字")
    if isinstance(value, (int, float, Decimal)):
        number = float(value)
    else:
        text = str(value).strip().replace(",", "").replace("，", "")
        scale = 1.0
        if text.endswith(("%", "％")):
            text, scale = text[:-1], 0.01
        try:
            number = float(Decimal(text)) * scale
        except (InvalidOperation, ValueError):
            raise RuleError(f"{what}不是数字：{value}", f"#{what}不是数字") from None
    if not math.isfinite(number):
        raise RuleError(f"{what}不是有效数字：{value}", f"#{what}无效")
    return number


def _non_negative(value: Number | None, what: str) -> float:
    number = to_float(value, what)
    if number < 0:
        raise RuleError(f"{what}不能为负数：{value}", f"#{what}为负")
    return number


def _weight(weight: Number | None) -> float:
    return _non_negative(weight, "分值")


# --------------------------------------------------------------------------- budget execution

def exec_rate(budget: Number | None, spent: Number | None) -> float:
    """执行率 = 全年执行数 / 全年预算数, unrounded (a budget of 0 or blank is an input error)."""
    b = _non_negative(budget, "全年预算数")
    if b == 0:
        raise RuleError("全年预算数为0，无法计算执行率", "#全年预算数为0")
    return _non_negative(spent, "全年执行数") / b


def exec_score(budget: Number | None, spent: Number | None, weight: Number = 10) -> Decimal:
    """预算执行得分 = ROUND(MIN(执行率, 1) × 分值, 2): over-spending earns no extra point."""
    w = _weight(weight)
    return xl_round(min(exec_rate(budget, spent), 1.0) * w)


# --------------------------------------------------------------------------- directions

class Direction(str, Enum):
    """指标性质: how an actual value is compared with its target."""

    GE = "≥"
    GT = ">"
    LE = "≤"
    LT = "<"
    EQ = "="
    RANGE = "区间"
    QUAL = "定性"

    @property
    def positive(self) -> bool:
        return self in (Direction.GE, Direction.GT)

    @property
    def reverse(self) -> bool:
        return self in (Direction.LE, Direction.LT)


_DIRECTION_WORDS = {
    "≥": Direction.GE, ">=": Direction.GE, "＞=": Direction.GE, "正向": Direction.GE, ">": Direction.GT,
    "＞": Direction.GT, "≤": Direction.LE, "<=": Direction.LE, "反向": Direction.LE, "<": Direction.LT,
    "＜": Direction.LT, "=": Direction.EQ, "＝": Direction.EQ, "等于": Direction.EQ, "区间": Direction.RANGE,
    "定性": Direction.QUAL,
    # as published tables write them (issue 19): ≧ ≦ ═ ≮ (not less: ≥) ≯ (not more: ≤), 不低于 …
    "≧": Direction.GE, "⩾": Direction.GE, "≮": Direction.GE, "=>": Direction.GE, "≥=": Direction.GE,
    "≦": Direction.LE, "⩽": Direction.LE, "≯": Direction.LE, "=<": Direction.LE, "≤=": Direction.LE,
    "═": Direction.EQ, "不低于": Direction.GE, "不少于": Direction.GE, "不高于": Direction.LE, "不超过": Direction.LE,
}

DIRECTION_CHOICES = ("≥", "≤", "=", "区间", "定性")
"""The 指标性质 a form offers (``>``/``<`` are accepted and scored as ``≥``/``≤``)."""


def parse_direction(text: object) -> Direction:
    """``"≥"``, ``">="``, ``"正向"`` … → :class:`Direction`; anything else is a :class:`RuleError`."""
    if isinstance(text, Direction):
        return text
    key = str(text if text is not None else "").strip()
    try:
        return _DIRECTION_WORDS.get(key) or _DIRECTION_WORDS[unicodedata.normalize("NFKC", key).replace(" ", "")]
    except KeyError:
        raise RuleError(f"未知的指标性质：{key or '空'}（应为 ≥ ≤ = 区间 定性 或 正向 反向 等于）",
                        "#未知指标性质") from None


class ReverseFormula(str, Enum):
    """How a 反向 indicator that missed its target is scored: a setting of the indicator system."""

    RATIO = "ratio"    # target / actual × 分值 (default)
    LINEAR = "linear"  # (1 − (actual − target) / target) × 分值, floored at 0


# --------------------------------------------------------------------------- settings

@dataclass(frozen=True)
class Tier:
    """A 定性 tier: its official phrase, short aliases, and the band of 分值 it may earn.

    财预〔2020〕10号 第十七条 gives the bands as "100-80%（含）、80-60%（含）、60-0%": each band holds its
    lower bound and not its upper one, except the top band, which holds 100%. So 80% is 达成 and 60%
    is 部分达成. ``default`` (no score typed) lies inside the band."""

    key: str
    phrase: str
    aliases: tuple[str, ...]
    low: float
    high: float
    default: float
    source: str = field(default="", compare=False)

    @property
    def names(self) -> tuple[str, ...]:
        return (self.phrase, *self.aliases)

    @property
    def closed(self) -> bool:
        """Does the band hold its upper bound? Only the band reaching 100% does."""
        return self.high >= 1.0

    def holds(self, fraction: float) -> bool:
        """Is ``fraction`` of 分值 inside the band (lower bound included, upper bound only when closed)?"""
        return self.low <= fraction and (fraction < self.high or (self.closed and fraction <= self.high))

    @property
    def band_words(self) -> str:
        """The band as a reviewer reads it: ``80%（含）–100%``, ``60%（含）–80%（不含）``."""
        upper = f"{self.high:.0%}" + ("" if self.closed else "（不含）")
        return f"{self.low:.0%}（含）–{upper}"


DEFAULT_TIERS = (
    Tier("achieved", "达成年度指标", ("达成", "全部达成", "完成", "达成预期指标"), 0.8, 1.0, 1.0),
    Tier("partial", "部分达成年度指标并具有一定效果", ("部分达成", "部分完成", "部分达成预期指标"), 0.6, 0.8, 0.7),
    Tier("failed", "未达成年度指标且效果较差", ("未达成", "未完成", "未达成预期指标"), 0.0, 0.6, 0.3),
)
"""财预〔2020〕10号 第十七条: the bands 100–80%（含）, 80–60%（含）, 60–0%; the defaults are 100% and the
middle of the two lower bands (a system may set others inside each band)."""

DEFAULT_GRADES = ((90.0, "优"), (80.0, "良"), (60.0, "中"), (0.0, "差"))
DEFAULT_GRADE_WORDS = (("优秀", "优"), ("良好", "良"), ("中等", "中"), ("较差", "差"))
"""Other words a table writes for a grade (``优秀`` for ``优``): the same grade, not a mismatch. A word
counts only where its grade is one of the system's."""


@dataclass(frozen=True)
class Band:
    """One step of a banded rate score: values up to ``upto`` (inclusive) earn ``fraction`` × 分值."""

    upto: float
    fraction: float


@dataclass(frozen=True)
class Settings:
    """Local practice that an indicator system may change; defaults are the national text."""

    reverse_formula: ReverseFormula = ReverseFormula.RATIO
    overachievement_ratio: float = 1.2      # 正向 actual ≥ ratio × target, 反向 actual ≤ target / ratio
    exec_rate_explain_below: float = 0.9
    exec_rate_explain_words: tuple[str, ...] = ("执行", "尾款", "结余", "未支付", "未付")   # 实际完成情况 text naming these explains a low rate
    tiers: tuple[Tier, ...] = DEFAULT_TIERS
    grades: tuple[tuple[float, str], ...] = DEFAULT_GRADES
    grade_words: tuple[tuple[str, str], ...] = DEFAULT_GRADE_WORDS   # (word, the grade it means)
    bonus_min: float = -5.0
    bonus_max: float = 5.0
    score_tolerance: float = 0.0   # a stated score may differ from the recomputed by at most this
    compare_as_shown: bool = True  # a stated figure equal to the computed one at the decimals its cell shows
    #                                (86% in a 0% cell for 86.2%) is right; False holds it to full precision
    cost_levels: tuple[str, ...] = ("成本指标",)   # 二级指标 whose indicators are costs (反向, ≤)
    cost_positive_words: tuple[str, ...] = ("节约", "节省", "降低", "下降", "减少")  # 成本节约率 ≥ is fine


DEFAULT_SETTINGS = Settings()


# --------------------------------------------------------------------------- quantitative scores

def _fraction(direction: Direction, target: float, actual: float, settings: Settings) -> float:
    """The share of 分值 earned, computed with the same double operations as the native formula."""
    if direction.positive:
        if actual >= target:
            return 1.0
        return max(actual / target, 0.0)
    if direction.reverse:
        if actual <= target:
            return 1.0
        if settings.reverse_formula is ReverseFormula.LINEAR:
            return 0.0 if target == 0 else max(1 - (actual - target) / target, 0.0)
        return target / actual
    # Direction.EQ: indicator_score has refused 区间 and 定性 already
    if actual == target:
        return 1.0
    return min(actual, target) / max(actual, target)


def indicator_score(target: Number | None, actual: Number | None, weight: Number | None,
                    direction: object, settings: Settings = DEFAULT_SETTINGS) -> Decimal:
    """定量 score: full 分值 when the target is met, else the share the direction's rule gives."""
    d = parse_direction(direction)
    if d is Direction.RANGE:
        raise RuleError("区间指标需给出上下限，请用区间评分", "#区间需上下限")
    if d is Direction.QUAL:
        raise RuleError("定性指标按档次评分", "#定性按档次")
    t = _non_negative(target, "年度指标值")
    a = _non_negative(actual, "实际完成值")
    w = _weight(weight)
    return xl_round(_fraction(d, t, a, settings) * w)


def range_score(low: Number | None, high: Number | None, actual: Number | None,
                weight: Number | None) -> Decimal:
    """区间 [lo, hi]: inside → full; below → actual / lo × 分值; above → hi / actual × 分值."""
    lo = _non_negative(low, "区间下限")
    hi = _non_negative(high, "区间上限")
    a = _non_negative(actual, "实际完成值")
    w = _weight(weight)
    if lo > hi:
        raise RuleError(f"区间下限{lo:g}大于上限{hi:g}", "#区间下限大于上限")
    if a < lo:
        return xl_round(a / lo * w)
    if a > hi:
        return xl_round(hi / a * w)
    return xl_round(w)


def band_score(value: Number | None, bands: Sequence[Band], weight: Number | None) -> Decimal:
    """A rate scored by bands (e.g. 预算调整率 0 → full): the first band whose ``upto`` ≥ value."""
    v = to_float(value, "指标值")
    w = _weight(weight)
    for band in sorted(bands, key=lambda b: b.upto):
        if v <= band.upto:
            return xl_round(band.fraction * w)
    return Decimal("0.00")


def describe_bands(bands: Sequence[Band]) -> str:
    """Bands in words (the share of 分值 each earns), for a form's 评分标准 and a finding:
    ``≤0%得100%；≤5%得80%；≤10%得60%；超过10%得0``."""
    steps = sorted(bands, key=lambda b: b.upto)
    words = [f"≤{b.upto * 100:.4g}%得{b.fraction * 100:.4g}%" for b in steps]
    return "；".join(words + ([f"超过{steps[-1].upto * 100:.4g}%得0"] if steps else []))


def is_overachieved(target: Number, actual: Number, direction: object,
                    settings: Settings = DEFAULT_SETTINGS) -> bool:
    """超额完成, which asks for the reason (财预〔2020〕10号: a target set too low should cost points): a 正向
    actual ≥ ratio × target, or a 反向 (cost, time) actual ≤ target / ratio. The ratio is a setting."""
    d = parse_direction(direction)
    t, a = to_float(target, "年度指标值"), to_float(actual, "实际完成值")
    if d.positive:
        return t > 0 and a >= settings.overachievement_ratio * t
    if d.reverse:
        return t > 0 and a * settings.overachievement_ratio <= t
    return False


# --------------------------------------------------------------------------- qualitative

TIER_NAME_ENDS = "，,。.；;、：:（(！!　 "
"""What may follow a tier's name in a cell (``达成年度指标，效果良好``): a punctuation mark or a space."""


def find_tier(text: object, settings: Settings = DEFAULT_SETTINGS) -> Tier | None:
    """The 定性 tier a phrase names: the text is one of a tier's names, or starts with one followed by a
    punctuation mark (the longest name wins, so 未达成 is never read as 达成). Anything else — 基本达成,
    效果明显, 较好 — names no tier: a reviewer must say which tier is meant, nothing is guessed."""
    key = str(text or "").strip()
    candidates = [(len(name), tier) for tier in settings.tiers for name in tier.names
                  if key == name or (key.startswith(name) and key[len(name)] in TIER_NAME_ENDS)]
    return max(candidates, key=lambda c: c[0])[1] if candidates else None


def tier_of(text: object, settings: Settings = DEFAULT_SETTINGS) -> Tier:
    """Like :func:`find_tier` but an unknown phrase is a :class:`RuleError`."""
    tier = find_tier(text, settings)
    if tier is None:
        names = " / ".join(t.aliases[0] for t in settings.tiers)
        raise RuleError(f"未知的定性档次：{text or '空'}（应为 {names} 或官方档次表述）", "#未知定性档次")
    return tier


def qual_score(tier: object, weight: Number | None, settings: Settings = DEFAULT_SETTINGS) -> Decimal:
    """A 定性 tier's default score, inside its band (nationally 100%, 70%, 30% of 分值)."""
    t = tier if isinstance(tier, Tier) else tier_of(tier, settings)
    return xl_round(t.default * _weight(weight))


def qual_band(tier: Tier, weight: Number) -> tuple[Decimal, Decimal]:
    """The scores bounding a tier's band: its low and high share of 分值 (the high one belongs to the
    band only when :attr:`Tier.closed`)."""
    w = _weight(weight)
    return xl_round(tier.low * w), xl_round(tier.high * w)


def qual_score_in_band(tier: Tier, weight: Number, score: Number) -> bool:
    """Is a typed score inside its tier's band? 8 of 10 is 达成's, not 部分达成's (财预〔2020〕10号)."""
    low, high = qual_band(tier, weight)
    value = xl_round(to_float(score, "得分"))
    return low <= value and (value < high or (tier.closed and value <= high))


def qual_score_kept(tier: Tier, weight: Number, stated: Number | None, settings: Settings = DEFAULT_SETTINGS
                    ) -> Decimal:
    """A 定性 row's score where a score was already given (a 自评得分 the review keeps): the given score,
    rounded, when it lies inside its tier's band (第十七条 leaves the score within the band to the 单位),
    else the tier's default. A 复核 that names the same tier leaves an in-band 自评 alone."""
    if stated is not None and stated != "" and qual_score_in_band(tier, weight, stated):
        return xl_round(to_float(stated, "得分"))
    return qual_score(tier, weight, settings)


# --------------------------------------------------------------------------- totals and grade

def total_score(scores: Sequence[Number | None]) -> Decimal:
    """总分 = ROUND(SUM(scores), 2); blank scores add nothing."""
    return xl_round(math.fsum(to_float(s, "得分") for s in scores if s is not None and s != ""))


def grade(total: Number | None, settings: Settings = DEFAULT_SETTINGS) -> str:
    """等级: 90 (含) 优, 80 (含) 良, 60 (含) 中, below 60 差 (the bands are a setting)."""
    value = to_float(total, "总分")
    if value < 0 or value > 100:
        raise RuleError(f"总分应在0–100之间：{total}", "#总分超出0-100")
    for floor, name in sorted(settings.grades, key=lambda g: -g[0]):
        if value >= floor:
            return name
    raise RuleError(f"等级表没有覆盖总分 {value:g}（最低一档的下限应为 0）", "#等级表缺0分档")


def grade_named(text: object, settings: Settings = DEFAULT_SETTINGS) -> str | None:
    """The grade a 等级 cell's text names: one of ``settings.grades`` or a word for one of them
    (``settings.grade_words``: 优秀 is 优), spaces ignored; None for any other text."""
    squeezed = "".join(str(text or "").split())
    names = {name for _, name in settings.grades}
    if squeezed in names:
        return squeezed
    meant = dict(settings.grade_words).get(squeezed)
    return meant if meant in names else None


def grade_legend(value: object, others: Sequence[object], settings: Settings = DEFAULT_SETTINGS) -> bool:
    """Whether the cells beside an 等级 label are a legend of the grades, not the table's own: two or more
    grades in cells of their own (``value`` and the ``others`` after it in its row), or three or more
    named in the words of ``value`` itself (``90分以上为优，80-90分为良，60-80分为中，以下为差``). One
    grade, or words naming fewer, is a stated 等级 (its mismatch, or that it is not understood, is said)."""
    if len({named for t in (value, *others) if (named := grade_named(t, settings))}) > 1:
        return True
    names = {name for _, name in settings.grades}
    words = [(name, name) for name in names] + [(w, name) for w, name in settings.grade_words if name in names]
    text = str(value or "")
    return len({name for word, name in words if word in text}) > 2


def grade_list_problems(grades: Sequence[tuple[float, str]]) -> list[str]:
    """Why a grade list cannot grade every total 0–100: floors must run from high to low, each once,
    within 0–100, the last being 0 (``[[60, 合格], [90, 优秀]]`` would grade 30 as 优秀)."""
    floors = [floor for floor, _ in grades]
    problems = []
    if not floors:
        return ["等级表为空 / the grade list is empty"]
    if floors != sorted(floors, reverse=True) or len(set(floors)) != len(floors):
        problems.append(f"等级下限应从高到低排列且不重复，如 [[90, 优], [80, 良], [60, 中], [0, 差]]：{floors} / "
                        "grade floors must run from high to low, each once")
    if any(not 0 <= f <= 100 for f in floors):
        problems.append(f"等级下限应在 0–100 之间：{floors} / grade floors must be within 0–100")
    if min(floors) != 0:
        problems.append(f"等级表须有下限为 0 的一档（否则低于 {min(floors):g} 分的总分无等级）：{floors} / "
                        "the grade list needs a floor of 0")
    return problems


def clamp_total(total: Number) -> Decimal:
    """The department total stays within 0–100 whatever the 加减分."""
    return min(max(xl_round(to_float(total, "总分")), Decimal("0.00")), Decimal("100.00"))


# --------------------------------------------------------------------------- the bureau's review (抽查复核)

def review_score(base: Number, keep: Number = 1, deduct: Number = 0) -> Decimal:
    """复核得分 under a 口径: the rule's score ``base`` (recomputed from the 复核完成值) times the share a
    口径 keeps (0: 无佐证 → 0; 0.7: a 30% cut; 1: no effect) less the points it deducts, never below 0:
    ``ROUND(MAX(base × keep − deduct, 0), 2)``. The 口径 themselves are the bureau's data, not rules."""
    b, k, d = to_float(base, "复核基础得分"), to_float(keep, "保留比例"), to_float(deduct, "扣减分")
    return xl_round(max(b * k - d, 0.0))


def deviation(self_score: Number, review: Number, weight: Number) -> float:
    """偏离度 = (自评得分 − 复核得分) / 分值, unrounded: positive where the 单位 scored itself higher than
    the review, as a share of the indicator's 分值 (so a 2-point gap on a 4-point indicator is 50%)."""
    w = _weight(weight)
    if w == 0:
        raise RuleError("分值为0，无法计算偏离度", "#分值为0")
    return (to_float(self_score, "自评得分") - to_float(review, "复核得分")) / w
