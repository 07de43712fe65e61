"""Every scoring rule of SPEC.md, its edge cases, and properties that must hold for any input."""
from decimal import Decimal

import pytest
from hypothesis import given, settings as hsettings, strategies as st

from selfeval_xl.core import rules
from selfeval_xl.core.rules import ReverseFormula, RuleError, Settings

D = Decimal


# --------------------------------------------------------------------------- rounding
@pytest.mark.parametrize("value, expected", [
    (0.125, "0.13"), (0.135, "0.14"), (2.675, "2.68"), (1.005, "1.01"), (-0.125, "-0.13"),
    (114 / 200 * 2.5, "1.43"),        # the double is 1.4249999999999998
    (58 / 480 * 6, "0.73"),           # 28-digit Decimal division would give 0.72
    (0.0, "0.00"), (-0.001, "0.00"), (99.995, "100.00"), (1e-20, "0.00"),
])
def test_xl_round_matches_excel(value, expected):
    assert rules.xl_round(value) == D(expected)


def test_plain_round_would_be_wrong_on_the_spec_examples():
    # The reason xl_round exists: Python's round() disagrees with Excel here.
    assert round(114 / 200 * 2.5, 2) == 1.42
    assert rules.xl_round(114 / 200 * 2.5) == D("1.43")


def test_xl_round_rejects_infinity():
    with pytest.raises(RuleError):
        rules.xl_round(float("inf"))


# --------------------------------------------------------------------------- execution
def test_guangzhou_archive_execution_rate_and_score():
    # SPEC: 1011.98 / 1014.4 万元 → 执行率 99.76%, 得分 9.98
    rate = rules.exec_rate(1014.4, 1011.98)
    assert rules.xl_round(rate * 100) == D("99.76")
    assert rules.exec_score(1014.4, 1011.98) == D("9.98")
    # against the other stated 支出预算 the rate would not be 99.76%
    assert rules.xl_round(rules.exec_rate(1132.01, 1011.98) * 100) == D("89.40")


def test_exec_rate_is_unrounded():
    assert rules.exec_rate(3, 1) == 1 / 3


def test_overspending_earns_no_extra_point():
    assert rules.exec_score(100, 130) == D("10.00")
    assert rules.exec_score(100, 130, 8) == D("8.00")


@pytest.mark.parametrize("budget", [0, 0.0, None, "", "  "])
def test_zero_or_blank_budget_is_an_input_error(budget):
    with pytest.raises(RuleError) as info:
        rules.exec_score(budget, 50)
    assert "全年预算数" in info.value.message
    assert info.value.short.startswith("#")


def test_text_amounts_are_read_and_words_rejected():
    assert rules.exec_score("1,014.40", "1011.98") == D("9.98")
    with pytest.raises(RuleError, match="不是数字"):
        rules.exec_score("一千", 5)


def test_negative_amounts_are_errors():
    with pytest.raises(RuleError, match="负"):
        rules.exec_score(100, -1)


# --------------------------------------------------------------------------- quantitative
@pytest.mark.parametrize("target, actual, weight, direction, expected", [
    (150, 162, 5, "≥", "5.00"),           # 展厅正常开放 162 天 (≥150)
    (15000, 46845, 5, "≥", "5.00"),
    (100, 80, 10, "≥", "8.00"),
    (200, 114, 2.5, ">=", "1.43"),
    (480, 58, 6, "正向", "0.73"),
    (30, 28, 5, "≤", "5.00"),
    (30, 40, 5, "≤", "3.75"),             # ratio: 30/40×5
    (30, 40, 5, "反向", "3.75"),
    (100, 100, 4, "=", "4.00"),
    (100, 80, 4, "=", "3.20"),
    (100, 125, 4, "等于", "3.20"),
    (0, 0, 4, "≥", "4.00"),               # target 0 met
    (0, 5, 4, "≤", "0.00"),               # target 0 missed: 0/5
    (0, 0, 4, "=", "4.00"),
    (98, 100, 3, "≥", "3.00"),
    (90, 99.5, 3, ">", "3.00"),
    (10, 5, 3, "<", "3.00"),
])
def test_indicator_scores(target, actual, weight, direction, expected):
    assert rules.indicator_score(target, actual, weight, direction) == D(expected)


def test_reverse_linear_is_a_setting():
    linear = Settings(reverse_formula=ReverseFormula.LINEAR)
    assert rules.indicator_score(30, 40, 5, "≤", linear) == D("3.33")   # (1 − 10/30) × 5
    assert rules.indicator_score(30, 90, 5, "≤", linear) == D("0.00")   # floored at 0
    assert rules.indicator_score(0, 5, 5, "≤", linear) == D("0.00")


@pytest.mark.parametrize("direction", ["?", "", None, "大约"])
def test_unknown_direction_is_an_error(direction):
    with pytest.raises(RuleError, match="指标性质"):
        rules.indicator_score(1, 1, 1, direction)


def test_range_and_qual_need_their_own_rules():
    with pytest.raises(RuleError, match="区间指标需给出上下限，请用区间评分"):
        rules.indicator_score(1, 1, 1, "区间")
    with pytest.raises(RuleError, match="定性指标按档次评分"):
        rules.indicator_score(1, 1, 1, "定性")


@pytest.mark.parametrize("lo, hi, actual, expected", [
    (90, 110, 100, "5.00"), (90, 110, 90, "5.00"), (90, 110, 110, "5.00"),
    (90, 110, 45, "2.50"), (90, 110, 120, "4.58"), (0, 10, 0, "5.00"),
])
def test_range_scores(lo, hi, actual, expected):
    assert rules.range_score(lo, hi, actual, 5) == D(expected)


def test_range_bounds_must_be_ordered():
    with pytest.raises(RuleError, match="下限"):
        rules.range_score(110, 90, 100, 5)


def test_band_score():
    bands = [rules.Band(0, 1.0), rules.Band(0.05, 0.8), rules.Band(0.1, 0.6)]
    assert rules.band_score(0, bands, 4) == D("4.00")
    assert rules.band_score(0.03, bands, 4) == D("3.20")
    assert rules.band_score(0.1, bands, 4) == D("2.40")
    assert rules.band_score(0.2, bands, 4) == D("0.00")


def test_overachievement_flag():
    assert rules.is_overachieved(100, 120, "≥")
    assert not rules.is_overachieved(100, 119.9, "≥")
    assert not rules.is_overachieved(100, 200, "≤")
    assert rules.is_overachieved(100, 111, "≥", Settings(overachievement_ratio=1.1))


# --------------------------------------------------------------------------- qualitative
@pytest.mark.parametrize("tier, expected", [
    ("达成年度指标", "10.00"), ("达成", "10.00"),
    ("部分达成年度指标并具有一定效果", "7.00"), ("部分达成", "7.00"),
    ("未达成年度指标且效果较差", "3.00"), ("未达成", "3.00"),
])
def test_qual_default_lies_inside_its_own_band(tier, expected):
    """财预〔2020〕10号 第十七条: 100–80%（含）, 80–60%（含）, 60–0%; the defaults 100%, 70%, 30% (SPEC)."""
    assert rules.qual_score(tier, 10) == D(expected)
    assert rules.qual_score_in_band(rules.tier_of(tier), 10, D(expected))


def test_unknown_tier_is_an_error():
    with pytest.raises(RuleError, match="定性档次"):
        rules.qual_score("还行", 10)


def test_tier_lookup_never_reads_weidacheng_as_dacheng():
    assert rules.tier_of("未达成").key == "failed"
    assert rules.tier_of("部分达成").key == "partial"


@pytest.mark.parametrize("tier, score, ok", [
    ("达成", 8, True), ("达成", 10, True), ("达成", 7.99, False),
    ("部分达成", 6, True), ("部分达成", 7.99, True), ("部分达成", 8, False), ("部分达成", 5.99, False),
    ("未达成", 0, True), ("未达成", 5.99, True), ("未达成", 6, False),
])
def test_qual_bands_hold_their_lower_bound_only(tier, score, ok):
    """“100-80%（含）、80-60%（含）、60-0%”: 80% belongs to 达成, 60% to 部分达成."""
    assert rules.qual_score_in_band(rules.tier_of(tier), 10, score) is ok


def test_tier_fractions_are_settings():
    custom = Settings(tiers=(rules.Tier("a", "达成年度指标", ("达成",), 0.9, 1.0, 0.95),))
    assert rules.qual_score("达成", 10, custom) == D("9.50")


# --------------------------------------------------------------------------- totals, grades
def test_total_and_grade_of_the_department_case():
    total = rules.total_score([D("44.43"), D("50"), D("0")])
    assert total == D("94.43")
    assert rules.grade(total) == "优"


def test_total_ignores_blank_scores():
    assert rules.total_score([1.5, None, "", "2.25"]) == D("3.75")


@pytest.mark.parametrize("total, expected", [
    (100, "优"), (90, "优"), (89.99, "良"), (80, "良"), (79.99, "中"), (60, "中"), (59.99, "差"), (0, "差"),
])
def test_grade_bounds(total, expected):
    assert rules.grade(total) == expected


@pytest.mark.parametrize("total", [-0.01, 100.01])
def test_grade_outside_0_100_is_an_error(total):
    with pytest.raises(RuleError):
        rules.grade(total)


def test_clamp_total():
    assert rules.clamp_total(103) == D("100.00")
    assert rules.clamp_total(-2) == D("0.00")


# --------------------------------------------------------------------------- properties
amounts = st.floats(min_value=0, max_value=1e7, allow_nan=False, allow_infinity=False)
positive = st.floats(min_value=0.01, max_value=1e7, allow_nan=False, allow_infinity=False)
weights = st.floats(min_value=0, max_value=100, allow_nan=False, allow_infinity=False)
quant = st.sampled_from(["≥", ">", "≤", "<", "="])


@hsettings(max_examples=2000, deadline=None)
@given(target=amounts, actual=amounts, weight=weights, direction=quant)
def test_score_never_exceeds_weight_nor_goes_negative(target, actual, weight, direction):
    score = rules.indicator_score(target, actual, weight, direction)
    assert D(0) <= score <= rules.xl_round(weight)


@hsettings(max_examples=1000, deadline=None)
@given(target=positive, a1=amounts, a2=amounts, weight=weights)
def test_positive_scores_are_monotone_in_the_actual(target, a1, a2, weight):
    lo, hi = sorted((a1, a2))
    assert rules.indicator_score(target, lo, weight, "≥") <= rules.indicator_score(target, hi, weight, "≥")


@hsettings(max_examples=1000, deadline=None)
@given(target=positive, a1=amounts, a2=amounts, weight=weights,
       formula=st.sampled_from(list(ReverseFormula)))
def test_reverse_scores_never_rise_with_the_actual(target, a1, a2, weight, formula):
    lo, hi = sorted((a1, a2))
    s = Settings(reverse_formula=formula)
    assert rules.indicator_score(target, hi, weight, "≤", s) <= rules.indicator_score(target, lo, weight, "≤", s)


@hsettings(max_examples=1000, deadline=None)
@given(budget=positive, s1=amounts, s2=amounts, weight=weights)
def test_exec_score_bounded_and_monotone(budget, s1, s2, weight):
    lo, hi = sorted((s1, s2))
    a, b = rules.exec_score(budget, lo, weight), rules.exec_score(budget, hi, weight)
    assert D(0) <= a <= b <= rules.xl_round(weight)


@hsettings(max_examples=1000, deadline=None)
@given(lo=amounts, width=amounts, actual=amounts, weight=weights)
def test_range_score_bounded(lo, width, actual, weight):
    score = rules.range_score(lo, lo + width, actual, weight)
    assert D(0) <= score <= rules.xl_round(weight)


@hsettings(max_examples=500, deadline=None)
@given(x=st.floats(min_value=-1e9, max_value=1e9, allow_nan=False))
def test_xl_round_is_the_nearest_cent_to_the_15_digit_form(x):
    # ROUND(x, 2) never moves a value by more than half a cent beyond its 15-digit form.
    r = rules.xl_round(x)
    shown = D(format(x, ".15g"))
    assert abs(r - shown) <= D("0.005")
    assert r == r.quantize(D("0.01"))


@hsettings(max_examples=500, deadline=None)
@given(cents=st.integers(min_value=0, max_value=10**9), negative=st.booleans())
def test_xl_round_takes_a_half_cent_away_from_zero(cents, negative):
    """x.xx5 as the spreadsheet shows it goes up in size whatever its sign and its double (2.675 is
    2.67499… as a double): not to even (Python's round), not towards +∞ (floor(x + 0.005))."""
    sign = "-" if negative else ""
    x = float(f"{sign}{cents // 100}.{cents % 100:02d}5")
    away = D(f"{sign}{cents + 1}").scaleb(-2)
    assert rules.xl_round(x) == away
    assert rules.xl_round(D(f"{sign}{cents // 100}.{cents % 100:02d}5")) == away


@pytest.mark.parametrize("value, says", [
    (None, "#实际值为空"), ("  ", "#实际值为空"), (True, "#实际值不是数字"), ("十", "#实际值不是数字"),
    (float("inf"), "#实际值无效"), ("NaN", "#实际值无效"), (D("Infinity"), "#实际值无效"),
])
def test_a_value_a_rule_cannot_read_says_why(value, says):
    with pytest.raises(RuleError) as error:
        rules.to_float(value, "实际值")
    assert error.value.short == says


@pytest.mark.parametrize("value, number", [("1,011.98", 1011.98), ("99.76%", 0.9976), ("50％", 0.5), (3, 3.0)])
def test_text_a_rule_reads_as_a_number(value, number):
    assert rules.to_float(value, "实际值") == pytest.approx(number)


# --------------------------------------------------------------------------- what a user reads of a rule
def test_a_message_without_a_short_form_gets_its_first_clause():
    assert RuleError("总分为空，请填写").short == "#总分为空"
    assert RuleError("区间下限大于上限（90 > 80）").short == "#区间下限大于上限"
    assert RuleError("分值为0，无法计算", "#分值为0").short == "#分值为0"
    assert str(RuleError("分值为0，无法计算", "#分值为0")) == "分值为0，无法计算"   # a log shows the message, not a tuple


def test_a_full_width_comma_in_an_amount_is_a_thousands_separator():
    assert rules.to_float("1，011.98", "全年执行数") == 1011.98


def test_a_percent_in_text_is_a_hundredth():
    assert rules.to_float("12.5%", "执行率") == 0.125
    assert rules.to_float("1,250", "执行数") == 1250.0


@pytest.mark.parametrize("typed", [rules.Direction.LE, " ≤ ", "＜＝", "< =", "≦"])
def test_a_direction_is_read_however_it_is_spelled(typed):
    assert rules.parse_direction(typed) in (rules.Direction.LE, rules.Direction.LT)
    assert rules.parse_direction(typed).reverse and not rules.parse_direction(typed).positive


def test_an_unknown_direction_is_quoted_back():
    with pytest.raises(RuleError) as info:
        rules.parse_direction(" 大约 ")
    assert info.value.message.startswith("未知的指标性质：大约（应为 ≥ ≤ = 区间 定性")
    with pytest.raises(RuleError) as info:
        rules.parse_direction(None)
    assert info.value.message.startswith("未知的指标性质：空（")
    assert info.value.short == "#未知指标性质"


def test_range_bounds_out_of_order_are_quoted():
    with pytest.raises(RuleError) as info:
        rules.range_score(110, 90.5, 100, 5)
    assert info.value.message == "区间下限110大于上限90.5"


@pytest.mark.parametrize("bands", [[rules.Band(0.1, 0.6), rules.Band(0, 1.0), rules.Band(0.05, 0.8)]])
def test_bands_are_read_in_order_of_their_bounds_however_listed(bands):
    assert rules.band_score(-0.01, bands, 5) == D("5.00")      # a rate below the first bound: the first band
    assert rules.band_score(0.05, bands, 5) == D("4.00")       # a bound belongs to its own band
    assert rules.band_score(0.0501, bands, 5) == D("3.00")
    assert rules.band_score(0.1001, bands, 5) == D("0.00")     # beyond the last band: nothing
    assert rules.describe_bands(bands) == "≤0%得100%；≤5%得80%；≤10%得60%；超过10%得0"


def test_bands_in_words_keep_a_fraction_of_a_percent():
    assert rules.describe_bands([rules.Band(0.125, 0.5)]) == "≤12.5%得50%；超过12.5%得0"
    assert rules.describe_bands([]) == ""


@pytest.mark.parametrize("target, actual, direction, flagged", [
    (100, 83, "≤", True),            # 83 × 1.2 = 99.6 ≤ 100
    (120, 100, "≤", True),           # 100 × 1.2 = 120: the bound is 超额
    (100, 84, "≤", False),
    (0.5, 0.6, "≥", True), (1, 0.8, "≤", True),   # a rate typed as a fraction: 60% against 50% is 超额
    (0, 5, "≥", False), (0, 0, "≤", False),   # a target of 0 cannot be exceeded by a share
    (100, 200, "=", False), (100, 200, "区间", False),
])
def test_overachievement_both_ways(target, actual, direction, flagged):
    assert rules.is_overachieved(target, actual, direction) is flagged


@pytest.mark.parametrize("text, key", [
    ("达成年度指标，效果良好", "achieved"), ("未达成。", "failed"), ("部分达成 ", "partial"),
    ("达成年度指标效果良好", None),   # no mark after the name: it names no tier
    ("基本达成", None), ("", None), (None, None),
])
def test_a_tier_is_named_alone_or_before_a_mark(text, key):
    tier = rules.find_tier(text)
    assert (tier.key if tier else None) == key


def test_an_unknown_tier_lists_the_tiers():
    with pytest.raises(RuleError) as info:
        rules.tier_of("还行")
    assert info.value.message == "未知的定性档次：还行（应为 达成 / 部分达成 / 未达成 或官方档次表述）"
    with pytest.raises(RuleError, match="未知的定性档次：空"):
        rules.tier_of("")


@pytest.mark.parametrize("key, fraction, inside", [
    ("achieved", 1.0, True), ("achieved", 0.8, True), ("achieved", 0.7999, False), ("achieved", 1.01, False),
    ("partial", 0.8, False), ("partial", 0.6, True), ("partial", 0.5999, False),
    ("failed", 0.0, True), ("failed", 0.6, False),
])
def test_a_tier_holds_its_lower_bound_and_only_the_top_one_its_upper(key, fraction, inside):
    tier = {t.key: t for t in rules.DEFAULT_TIERS}[key]
    assert tier.holds(fraction) is inside


def test_a_tier_band_in_words():
    achieved, partial, failed = rules.DEFAULT_TIERS
    assert achieved.closed and not partial.closed and not failed.closed
    assert achieved.band_words == "80%（含）–100%"
    assert partial.band_words == "60%（含）–80%（不含）"
    assert failed.band_words == "0%（含）–60%（不含）"
    assert rules.qual_band(partial, 10) == (D("6.00"), D("8.00"))


@pytest.mark.parametrize("stated, kept", [
    (7.456, "7.46"), ("6", "6.00"),                 # inside the band: the 单位's score, rounded
    (8, "7.00"), (5.99, "7.00"),                    # outside: the tier's default
    (None, "7.00"), ("", "7.00"),                   # none given: the default
])
def test_a_score_inside_its_tier_band_is_kept(stated, kept):
    partial = rules.DEFAULT_TIERS[1]
    assert rules.qual_score_kept(partial, 10, stated) == D(kept)


def test_grades_are_tried_from_the_highest_floor_whatever_their_order():
    listed = Settings(grades=((60.0, "合格"), (90.0, "优秀"), (0.0, "不合格")))
    assert rules.grade(95, listed) == "优秀"
    assert rules.grade(60, listed) == "合格"
    assert rules.grade(59.99, listed) == "不合格"


def test_a_total_no_grade_covers_is_an_error_naming_it():
    with pytest.raises(RuleError) as info:
        rules.grade(30.5, Settings(grades=((60.0, "合格"),)))
    assert info.value.message == "等级表没有覆盖总分 30.5（最低一档的下限应为 0）"
    assert info.value.short == "#等级表缺0分档"
    with pytest.raises(RuleError) as info:
        rules.grade(101)
    assert info.value.message == "总分应在0–100之间：101"


@pytest.mark.parametrize("grades, says", [
    (rules.DEFAULT_GRADES, []),
    (((100, "满分"), (0, "其他")), []),                                  # 0 and 100 are floors a list may use
    ((), ["等级表为空"]),
    (((60, "合格"), (90, "优秀"), (0, "差")), ["从高到低"]),          # would grade 95 as 合格
    (((90, "优"), (90, "良"), (0, "差")), ["不重复"]),
    (((110, "优"), (0, "差")), ["0–100 之间"]),
    (((100.5, "优"), (0, "差")), ["0–100 之间"]),
    (((90, "优"), (-5, "差")), ["0–100 之间", "低于 -5 分"]),
    (((90, "优"), (60.5, "中")), ["下限为 0 的一档（否则低于 60.5 分的总分无等级）"]),
])
def test_a_grade_list_that_cannot_grade_every_total_says_why(grades, says):
    problems = rules.grade_list_problems(grades)
    assert len(problems) == len(says)
    for words in says:
        assert any(words in p for p in problems), (words, problems)


def test_the_total_is_clamped_after_rounding():
    assert rules.clamp_total(99.995) == D("100.00")
    assert rules.clamp_total("50.555") == D("50.56")
    assert rules.clamp_total(0) == D("0.00")


# --------------------------------------------------------------------------- the bureau's review
@pytest.mark.parametrize("args, expected", [
    ((7.5,), "7.50"),                    # no 口径: the rule's score
    ((10, 0.7), "7.00"),                 # a 30% cut
    ((10, 0), "0.00"),                   # 无佐证材料
    ((10, 1, 2), "8.00"),                # 2 points deducted
    ((10, 0.7, 2), "5.00"),              # the share first, then the points
    ((3, 1, 5), "0.00"),                 # never below 0
    ((1.425, 1, 0), "1.43"),             # ROUND half away from zero on the 15-digit double
])
def test_review_score(args, expected):
    assert rules.review_score(*args) == D(expected)


def test_a_review_share_that_is_not_a_number_says_so():
    with pytest.raises(RuleError) as info:
        rules.review_score(5, "七成")
    assert info.value.short == "#保留比例不是数字"


def test_deviation_is_the_gap_as_a_share_of_the_weight():
    assert rules.deviation(4, 2, 4) == 0.5          # scored 2 points too high on a 4-point indicator
    assert rules.deviation(2, 4, 4) == -0.5
    assert rules.deviation("3", 3, 5) == 0.0
    with pytest.raises(RuleError) as info:
        rules.deviation(1, 0, 0)
    assert info.value.short == "#分值为0"
    with pytest.raises(RuleError, match="分值不能为负数"):
        rules.deviation(1, 0, -2)


def test_the_default_settings_are_spec_and_the_national_text():
    """SPEC.md's scoring rules: 执行率 below 90% is explained, 超额 from 120%, 加减分项 ±5, 反向 by ratio, the
    grades 90/80/60/0; a 成本指标 is 反向 unless it names a saving (成本节约率 ≥ 5%)."""
    s = rules.DEFAULT_SETTINGS
    assert (s.exec_rate_explain_below, s.overachievement_ratio, s.bonus_min, s.bonus_max) == (0.9, 1.2, -5.0, 5.0)
    assert s.reverse_formula is ReverseFormula.RATIO and (s.score_tolerance, s.compare_as_shown) == (0.0, True)
    assert [floor for floor, _ in s.grades] == [90.0, 80.0, 60.0, 0.0]
    assert s.cost_levels == ("成本指标",) and "节约" in s.cost_positive_words
    assert [(t.low, t.high, t.default) for t in s.tiers] == [(0.8, 1.0, 1.0), (0.6, 0.8, 0.7), (0.0, 0.6, 0.3)]


def test_the_longest_tier_name_wins():
    """A system whose tier name is another's followed by a bracket: ``达成（部分）`` is that tier, not 达成."""
    whole = rules.Tier("whole", "达成", (), 0.8, 1.0, 1.0)
    part = rules.Tier("part", "达成（部分）", (), 0.6, 0.8, 0.7)
    assert rules.find_tier("达成（部分）", Settings(tiers=(whole, part))).key == "part"
    assert rules.find_tier("达成（部分）", Settings(tiers=(part, whole))).key == "part"
