"""The Excel formula text of every scoring rule, written next to the rule it mirrors.

Why: a template must compute in WPS and LibreOffice, where no add-in runs, and give exactly the number
:mod:`selfeval_xl.core.rules` gives. Each mirror performs the same double operations in the same order as
its rule (``MIN(spent/budget,1)*weight`` …) and rounds with ``ROUND(…, 2)``, which the spreadsheet
computes like :func:`rules.xl_round`. Functions take cell references (``"F12"``) and return formula
text without the leading ``=``, so they compose. Local practice (反向 formula, 定性 tiers, grade bands)
is read from :class:`rules.Settings`, never written here.

Two formula sets share one interface (:class:`NativeFormulas`, :class:`UdfFormulas`): the template
asks ``formula_set(mode, settings, banded)`` and never knows which it got. Bad input shows the same short
``#…`` text a UDF shows (``#全年预算数为0``), which ``SUM`` skips.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping, Sequence

from . import rules
from .rules import Band, Direction, ReverseFormula, Settings

FORMULA_MODES = ("native", "udf")


def number_text(value: float) -> str:
    """A float as formula text that parses back to the very same double (``0.8``, ``1``)."""
    text = repr(float(value))
    return text[:-2] if text.endswith(".0") else text


def _text(value: str) -> str:
    return '"' + value.replace('"', '""') + '"'


def _is(ref: str, *directions: Direction) -> str:
    tests = [f"{ref}={_text(d.value)}" for d in directions]
    return tests[0] if len(tests) == 1 else f"OR({','.join(tests)})"


# --------------------------------------------------------------------------- one mirror per rule

def exec_rate(budget: str, spent: str) -> str:
    """Mirrors :func:`rules.exec_rate`: 全年执行数 / 全年预算数, unrounded."""
    return f"{spent}/{budget}"


def exec_score(budget: str, spent: str, weight: str) -> str:
    """Mirrors :func:`rules.exec_score`: ``ROUND(MIN(执行率,1)*分值,2)``."""
    return f"ROUND(MIN({spent}/{budget},1)*{weight},2)"


def positive_score(target: str, actual: str, weight: str) -> str:
    """Mirrors the 正向 branch of :func:`rules.indicator_score`: met → full; else actual/target."""
    return f"ROUND(IF({actual}>={target},1,MAX({actual}/{target},0))*{weight},2)"


def reverse_score(target: str, actual: str, weight: str, settings: Settings) -> str:
    """Mirrors the 反向 branch: met → full; else target/actual (ratio) or 1−(a−t)/t floored (linear)."""
    if settings.reverse_formula is ReverseFormula.LINEAR:
        missed = f"IF({target}=0,0,MAX(1-({actual}-{target})/{target},0))"
    else:
        missed = f"{target}/{actual}"
    return f"ROUND(IF({actual}<={target},1,{missed})*{weight},2)"


def equal_score(target: str, actual: str, weight: str) -> str:
    """Mirrors the 等于 branch: equal → full; else MIN(a,t)/MAX(a,t)."""
    return f"ROUND(IF({actual}={target},1,MIN({actual},{target})/MAX({actual},{target}))*{weight},2)"


def range_score(low: str, high: str, actual: str, weight: str) -> str:
    """Mirrors :func:`rules.range_score`: inside → full; below → a/lo; above → hi/a."""
    return (f'IF({low}>{high},"#区间下限大于上限",'
            f"ROUND(IF({actual}<{low},{actual}/{low},IF({actual}>{high},{high}/{actual},1))*{weight},2))")


def band_score(actual: str, bands: Sequence[Band], weight: str) -> str:
    """Mirrors :func:`rules.band_score`: the first band (lowest ``upto`` first) the rate is within earns
    ``ROUND(fraction*分值,2)``; above every band, 0."""
    formula = "0"
    for band in reversed(sorted(bands, key=lambda b: b.upto)):
        formula = f"IF({actual}<={number_text(band.upto)},ROUND({number_text(band.fraction)}*{weight},2),{formula})"
    return formula


def names_tier(text: str, name: str) -> str:
    """Mirrors the test of :func:`rules.find_tier`: the trimmed text is ``name``, or starts with it
    followed by one of :data:`rules.TIER_NAME_ENDS` (so 基本达成 does not name 达成)."""
    trimmed, n = f"TRIM({text})", len(name)
    return (f"OR({trimmed}={_text(name)},AND(LEFT({trimmed},{n})={_text(name)},"
            f"ISNUMBER(FIND(MID({trimmed},{n + 1},1),{_text(rules.TIER_NAME_ENDS)}))))")


def qual_score(text: str, weight: str, settings: Settings) -> str:
    """Mirrors :func:`rules.find_tier` + :func:`rules.qual_score`: the tier named in the text scores
    its default share of 分值 (inside its band). Names are tried longest first, as ``find_tier`` prefers
    the longest; a text naming no tier shows ``#未知定性档次``."""
    names = sorted(((name, tier) for tier in settings.tiers for name in tier.names), key=lambda p: -len(p[0]))
    formula = '"#未知定性档次"'
    for name, tier in reversed(names):
        formula = f"IF({names_tier(text, name)},ROUND({number_text(tier.default)}*{weight},2),{formula})"
    return formula


def total(refs: str) -> str:
    """Mirrors :func:`rules.total_score`: ``ROUND(SUM(…),2)``; blanks and ``#…`` texts add nothing."""
    return f"ROUND(SUM({refs}),2)"


def clamped_total(refs: str) -> str:
    """Mirrors :func:`rules.clamp_total` of :func:`rules.total_score`: the department total in 0–100."""
    return f"MIN(MAX({total(refs)},0),100)"


def grade(total_ref: str, settings: Settings) -> str:
    """Mirrors :func:`rules.grade`: the first band (highest floor first) the total reaches."""
    formula = _text(settings.grades[-1][1])
    for floor, name in sorted(settings.grades, key=lambda g: g[0]):
        formula = f"IF({total_ref}>={number_text(floor)},{_text(name)},{formula})"
    return f'IF(OR({total_ref}<0,{total_ref}>100),"#总分超出0-100",{formula})'


# --------------------------------------------------------------------------- the cells of a form

def blank_unless(refs: tuple[str, ...], formula: str) -> str:
    """An empty cell until every input is given: a half-filled form never shows points not earned."""
    test = refs[0] + '=""' if len(refs) == 1 else "OR(" + ",".join(f'{r}=""' for r in refs) + ")"
    return f'IF({test},"",{formula})'


def blank_if_none(refs: str, formula: str) -> str:
    """An empty total while no score is there to add up."""
    return f'IF(COUNT({refs})=0,"",{formula})'


@dataclass(frozen=True)
class IndicatorCells:
    """The cells one indicator row's score reads."""

    direction: str
    target: str
    high: str
    actual: str
    weight: str
    level3: str = '""'
    stated: str = ""     # a score a 定性 row keeps while inside its tier's band (the 复核底稿's 自评得分)


Banded = tuple[tuple[str, tuple[Band, ...]], ...]
"""The system's banded indicators as (name, bands) pairs (``IndicatorSystem.banded``), hashable."""


def banded_or(c: IndicatorCells, banded: Banded, formula: str) -> str:
    """Mirrors the engine's lookup (``IndicatorSystem.bands_for``): a row whose 三级指标 (``TRIM``-ed)
    names a banded indicator is scored by its bands on 实际完成值; any other row by ``formula``. The band
    formula is native in both formula sets: the SE_* functions know no bands."""
    for name, bands in reversed(banded):
        formula = (f"IF(TRIM({c.level3})={_text(name)},IF(NOT(ISNUMBER({c.actual})),{_text(ACTUAL_NOT_NUMBER)},"
                   f"{band_score(c.actual, bands, c.weight)}),{formula})")
    return formula


TARGET_NOT_NUMBER = "#年度指标值不是数字"
ACTUAL_NOT_NUMBER = "#实际完成值不是数字"
RANGE_NEEDS_BOUNDS = "#区间需上下限"
DIRECTION_BLANK = "#指标性质为空"
DIRECTION_UNKNOWN = "#未知指标性质"
"""What a native score cell shows when an input it computes with is not a number, or 指标性质 is not
one of the drop-down list's."""
BUDGET_ZERO = "#全年预算数为0"
"""What the native 执行率 and 预算执行得分 cells show for a budget of 0 (as :func:`rules.exec_rate` says)."""
_COMPUTED = tuple(d.value for d in (Direction.GE, Direction.GT, Direction.LE, Direction.LT, Direction.EQ))


def is_number(value: object) -> bool:
    """Excel's ``ISNUMBER`` of a cell holding ``value``: numbers and dates; never text, blanks, TRUE/FALSE."""
    import datetime
    from decimal import Decimal

    return not isinstance(value, bool) and isinstance(value, (int, float, Decimal, datetime.date,
                                                              datetime.time, datetime.timedelta))


def native_blocked_inputs(direction: object, target: object, high: object, actual: object,
                          weight: object, banded: bool = False) -> list[tuple[str, str]]:
    """Mirrors the input guards of :meth:`NativeFormulas.indicator`: every input the native score
    formula needs as a number and does not get (``target``, ``target_high``, ``actual``), and a
    ``direction`` it does not know, each with the ``#…`` text the cell shows while that input is the
    first one wrong. Empty when the formula computes, stays blank (实际完成值 or 分值 empty) or scores a
    定性 tier. ``banded``: the row names a banded indicator, whose formula reads 实际完成值 only."""
    if actual in (None, "") or weight in (None, ""):
        return []
    if banded:
        return [] if is_number(actual) else [("actual", ACTUAL_NOT_NUMBER)]
    if direction == Direction.QUAL.value:
        return []
    if direction == Direction.RANGE.value:
        needs = [("target", target, RANGE_NEEDS_BOUNDS), ("target_high", high, RANGE_NEEDS_BOUNDS)]
    else:
        needs = [("target", target, TARGET_NOT_NUMBER)]
    needs.append(("actual", actual, ACTUAL_NOT_NUMBER))
    blocked = [(key, shown) for key, value, shown in needs if not is_number(value)]
    if direction != Direction.RANGE.value and direction not in _COMPUTED:
        blocked.append(("direction", DIRECTION_BLANK if direction in (None, "") else DIRECTION_UNKNOWN))
    return blocked


@dataclass(frozen=True)
class NativeFormulas:
    """Plain Excel formulas: the form computes in Excel, WPS and LibreOffice with no add-in."""

    settings: Settings = rules.DEFAULT_SETTINGS
    banded: Banded = ()

    def exec_rate(self, budget: str, spent: str) -> str:
        return blank_unless((budget, spent), f"IF({budget}=0,{_text(BUDGET_ZERO)},{exec_rate(budget, spent)})")

    def exec_score(self, budget: str, spent: str, weight: str) -> str:
        return blank_unless((budget, spent, weight),
                            f"IF({budget}=0,{_text(BUDGET_ZERO)},{exec_score(budget, spent, weight)})")

    def indicator(self, c: IndicatorCells) -> str:
        t, a, w, d = c.target, c.actual, c.weight, c.direction
        quantitative = (
            f"IF(NOT(ISNUMBER({t})),{_text(TARGET_NOT_NUMBER)},IF(NOT(ISNUMBER({a})),{_text(ACTUAL_NOT_NUMBER)},"
            f"IF({_is(d, Direction.GE, Direction.GT)},{positive_score(t, a, w)},"
            f"IF({_is(d, Direction.LE, Direction.LT)},{reverse_score(t, a, w, self.settings)},"
            f"IF({_is(d, Direction.EQ)},{equal_score(t, a, w)},"
            f'IF({d}="",{_text(DIRECTION_BLANK)},{_text(DIRECTION_UNKNOWN)}))))))')
        ranged = (f"IF(OR(NOT(ISNUMBER({t})),NOT(ISNUMBER({c.high}))),{_text(RANGE_NEEDS_BOUNDS)},"
                  f"IF(NOT(ISNUMBER({a})),{_text(ACTUAL_NOT_NUMBER)},{range_score(t, c.high, a, w)}))")
        qualitative = (qual_score_kept(a, w, c.stated, self.settings) if c.stated
                       else qual_score(a, w, self.settings))
        return blank_unless((a, w), banded_or(c, self.banded,
                                              f"IF({_is(d, Direction.QUAL)},{qualitative},"
                                              f"IF({_is(d, Direction.RANGE)},{ranged},{quantitative}))"))

    def grade(self, total_ref: str) -> str:
        return blank_unless((total_ref,), grade(total_ref, self.settings))


@dataclass(frozen=True)
class UdfFormulas:
    """Cells calling the SE_* functions of ``udfs.py`` (Excel with the add-in, or ``formulas``).

    The UDFs score with the national defaults, so a system whose settings differ cannot use them.
    Banded indicators (``banded``) get the native band formula, which needs no add-in.
    """

    settings: Settings = rules.DEFAULT_SETTINGS
    banded: Banded = ()

    def __post_init__(self) -> None:
        ours, default = self.settings, rules.DEFAULT_SETTINGS
        if (ours.reverse_formula, ours.tiers, ours.grades) != (default.reverse_formula, default.tiers,
                                                               default.grades):
            raise ValueError("该指标体系的反向公式、定性档次或等级与 SE_* 函数的默认值不同，请使用 native 公式 / "
                             "this system's reverse formula, tiers or grades differ from the SE_* defaults: "
                             "use --formulas native")

    def exec_rate(self, budget: str, spent: str) -> str:
        return blank_unless((budget, spent), f"SE_EXEC_RATE({budget},{spent})")

    def exec_score(self, budget: str, spent: str, weight: str) -> str:
        return blank_unless((budget, spent, weight), f"SE_EXEC_SCORE({budget},{spent},{weight})")

    def indicator(self, c: IndicatorCells) -> str:
        t, a, w, d = c.target, c.actual, c.weight, c.direction
        return blank_unless((a, w), banded_or(c, self.banded,
                                              f"IF({_is(d, Direction.QUAL)},SE_QUAL_SCORE({a},{w}),"
                                              f"IF({_is(d, Direction.RANGE)},SE_RANGE_SCORE({t},{c.high},{a},{w}),"
                                              f"SE_IND_SCORE({t},{a},{w},{d})))"))

    def grade(self, total_ref: str) -> str:
        return blank_unless((total_ref,), f"SE_GRADE({total_ref})")


def formula_set(mode: str, settings: Settings, banded: Mapping[str, tuple[Band, ...]] | None = None
                ) -> NativeFormulas | UdfFormulas:
    """``native`` or ``udf``: the formulas a template's computed cells hold; ``banded`` is the system's
    banded indicators by name (``IndicatorSystem.banded``)."""
    pairs = tuple((banded or {}).items())
    if mode == "native":
        return NativeFormulas(settings, pairs)
    if mode == "udf":
        return UdfFormulas(settings, pairs)
    raise ValueError(f"公式方式应为 native 或 udf / formulas must be native or udf: {mode!r}")


# --------------------------------------------------------------------------- the bureau's review (抽查复核)

def qual_score_kept(text: str, weight: str, stated: str, settings: Settings) -> str:
    """Mirrors :func:`rules.qual_score_kept`: the tier named in ``text`` (longest name first, as
    :func:`qual_score`); ``stated`` kept, rounded, when a number inside that tier's band
    (:func:`rules.qual_score_in_band`: low included, high only for the top band), else the tier's default
    (``AND`` would evaluate ``ROUND`` of a text: the number test is an ``IF`` of its own); no tier:
    ``#未知定性档次``."""
    names = sorted(((name, tier) for tier in settings.tiers for name in tier.names), key=lambda p: -len(p[0]))
    formula = '"#未知定性档次"'
    value = f"ROUND({stated},2)"
    for name, tier in reversed(names):
        low = f"ROUND({number_text(tier.low)}*{weight},2)"
        high = f"ROUND({number_text(tier.high)}*{weight},2)"
        below = f"{value}<={high}" if tier.closed else f"{value}<{high}"
        default = f"ROUND({number_text(tier.default)}*{weight},2)"
        kept = f"IF(ISNUMBER({stated}),IF(AND({value}>={low},{below}),{value},{default}),{default})"
        formula = f"IF({names_tier(text, name)},{kept},{formula})"
    return formula


def review_score(base: str, keep: str, deduct: str) -> str:
    """Mirrors :func:`rules.review_score`: ``ROUND(MAX(base*keep-deduct,0),2)``."""
    return f"ROUND(MAX({base}*{keep}-{deduct},0),2)"


def deviation(self_score: str, review: str, weight: str) -> str:
    """Mirrors :func:`rules.deviation`: ``(自评得分-复核得分)/分值``, unrounded."""
    return f"({self_score}-{review})/{weight}"
