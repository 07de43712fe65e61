"""Every example of SPEC.md's "How the cells are filled in practice" is read as a person reads it."""
from decimal import Decimal

import pytest

from selfeval_xl.core.parse import ParseError, Quantity, align, parse_number, parse_quantity, parse_value
from selfeval_xl.core.rules import Direction

D = Decimal


@pytest.mark.parametrize("text, direction, number, unit", [
    ("≥150天", Direction.GE, "150", "天"),
    ("≤30万元", Direction.LE, "30", "万元"),
    ("=100%", Direction.EQ, "100", "%"),
    ("100%", Direction.GE, "100", "%"),          # a bare number is 正向
    ("≥98%", Direction.GE, "98", "%"),
    ("21集", Direction.GE, "21", "集"),
    ("1.5万人次", Direction.GE, "1.5", "万人次"),
    ("150天以上", Direction.GE, "150", "天"),
    ("30万元以内", Direction.LE, "30", "万元"),
    ("30万元以下", Direction.LE, "30", "万元"),
    ("162天", Direction.GE, "162", "天"),
    ("46845人次", Direction.GE, "46845", "人次"),
    ("99.5%", Direction.GE, "99.5", "%"),
    (">=90%", Direction.GE, "90", "%"),
    ("<=5", Direction.LE, "5", ""),
    ("＞80%", Direction.GT, "80", "%"),
    ("不低于95%", Direction.GE, "95", "%"),
    ("不超过 12 个月", Direction.LE, "12", "个月"),
    ("≥0", Direction.GE, "0", ""),
    ("1,011.98", Direction.GE, "1011.98", ""),
    (21, Direction.GE, "21", ""),
])
def test_quantitative_values(text, direction, number, unit):
    value = parse_value(text)
    assert value.direction is direction
    assert value.quantity == Quantity(D(number), unit)


@pytest.mark.parametrize("text, lo, hi, unit", [
    ("区间 90%–110%", "90", "110", "%"), ("90%-110%", "90", "110", "%"),
    ("区间90~110", "90", "110", ""), ("3至5天", "3", "5", "天"), ("[90,110]", "90", "110", ""),
])
def test_ranges(text, lo, hi, unit):
    value = parse_value(text)
    assert value.direction is Direction.RANGE
    assert value.quantity == Quantity(D(lo), unit) and value.high == Quantity(D(hi), unit)


def test_range_with_bounds_reversed_is_reported():
    with pytest.raises(ParseError, match="下限大于上限"):
        parse_value("区间 110–90")


@pytest.mark.parametrize("text, tier", [
    ("达成年度指标", "achieved"), ("部分达成年度指标并具有一定效果", "partial"),
    ("未达成年度指标且效果较差", "failed"), ("未达成", "failed"),
    ("较好", None), ("有效提升", None), ("作用明显", None), ("很满意", None),
])
def test_qualitative_words(text, tier):
    value = parse_value(text)
    assert value.direction is Direction.QUAL
    assert (value.tier.key if value.tier else None) == tier


@pytest.mark.parametrize("text, expected", [
    ("1,011.98", "1011.98"), ("99.76%", "0.9976"), (" 12 ", "12"), (1011.98, "1011.98"), (3, "3"),
    ("１２", "12"),   # full-width digits, as some input methods type them
    ("12元", None),
])
def test_parse_number(text, expected):
    if expected is None:
        with pytest.raises(ParseError):
            parse_number(text)
    else:
        assert parse_number(text) == D(expected)


@pytest.mark.parametrize("text", ["", None, "十二", "12元", True, "1.2.3"])
def test_parse_number_says_what_it_cannot_read(text):
    with pytest.raises(ParseError) as info:
        parse_number(text, "全年预算数")
    assert "全年预算数" in info.value.message


@pytest.mark.parametrize("text", ["", "   ", None])
def test_blank_value_is_reported(text):
    with pytest.raises(ParseError, match="为空"):
        parse_value(text)


def test_unparseable_quantity_is_reported_not_guessed():
    with pytest.raises(ParseError, match="无法识别"):
        parse_quantity("约150天左右≥")


def test_wan_aligns_units_that_differ():
    target, actual = parse_quantity("1.5万人次"), parse_quantity("46845人次")
    assert align(target, actual) == (D("15000.0"), D("46845"))
    assert align(parse_quantity("30万元"), parse_quantity("28万元")) == (D("30"), D("28"))
    assert align(parse_quantity("20"), parse_quantity("21集")) == (D("20"), D("21"))
    assert align(parse_quantity("15000人次"), parse_quantity("1.5万人次")) == (D("15000"), D("15000.0"))


def test_units_that_cannot_be_aligned_are_reported():
    with pytest.raises(ParseError, match="单位"):
        align(parse_quantity("150天"), parse_quantity("12个月"))


@pytest.mark.parametrize("text, weight, understood", [
    ("执行率*该指标分值,最高不得超过分值上限。", None, True),            # 绥阳, 学院路
    ("执行率=B/A，得分=执行率×分值，执行率超过100%的按100%计", None, True),
    ("20分*执行率", D("20"), True), ("执行率×20.5分，最高不超过20.5分", D("20.5"), True),
    ("得分=10×B/A+1", None, False), ("每低于1%扣0.5分", None, False),
    ("执行率×分值，20分*执行率", None, False),                                # two formulas: which?
])
def test_a_tables_own_exec_rule(text, weight, understood):
    from selfeval_xl.core.parse import parse_exec_rule
    rule = parse_exec_rule(text)
    assert (rule.weight, rule.understood) == (weight, understood)


def test_text_that_states_no_rule_is_none():
    from selfeval_xl.core.parse import parse_exec_rule
    assert [parse_exec_rule(t) for t in ("资金拨付及时", "", None, 3)] == [None] * 4


def test_a_float_is_read_as_the_15_digits_excel_shows():
    assert parse_number(0.1 + 0.2) == D("0.3")             # the double is 0.30000000000000004
    assert str(parse_number(-0.0)) == str(parse_number(0.0)) == "0"   # never "-0" in a message
    assert parse_value(0.1 + 0.2).quantity == Quantity(D("0.3"))
    assert parse_value(1e-05).quantity == Quantity(D("0.00001"))      # str() would give 1e-05


@pytest.mark.parametrize("value, short", [
    ("", "#全年预算数为空"), ("  ", "#全年预算数为空"), (None, "#全年预算数为空"),
    ("十二", "#全年预算数不是数字"), (True, "#全年预算数不是数字"),
    ("Infinity", "#全年预算数无效"), ("NaN%", "#全年预算数无效"),
    (float("nan"), "#全年预算数无效"), (float("-inf"), "#全年预算数无效"), (D("Infinity"), "#全年预算数无效"),
])
def test_a_number_no_rule_can_use_says_why(value, short):
    with pytest.raises(ParseError) as info:
        parse_number(value, "全年预算数")
    assert info.value.short == short


def test_exact_numbers_are_kept_as_they_are():
    assert parse_number(D("1.50")) == D("1.50") and parse_number(10**20) == D(10**20)


@pytest.mark.parametrize("text, bare", [
    ("100%", True), ("2200篇", True), (0.03, True), (21, True), (D("1.5"), True),
    ("≥95%", False), ("95%以上", False), ("≤5", False),       # a comparison spelled before or after
    ("达成年度指标", False), ("90%-110%", False),             # a tier, a range: no figure alone
    ("", False), (True, False),
])
def test_a_bare_figure_names_no_comparison_of_its_own(text, bare):
    from selfeval_xl.core.parse import bare_figure
    assert bare_figure(text) is bare


@pytest.mark.parametrize("text, direction, number, unit", [
    ("≥95%以上", Direction.GE, "95", "%"), (">95%以上", Direction.GT, "95", "%"),
    ("≤5天以内", Direction.LE, "5", "天"), ("<5天及以下", Direction.LT, "5", "天"),
    ("95%（含）以上", Direction.GE, "95", "%"),
])
def test_an_operator_and_a_word_that_agree_say_it_once(text, direction, number, unit):
    value = parse_value(text)
    assert (value.direction, value.quantity) == (direction, Quantity(D(number), unit))


@pytest.mark.parametrize("text, direction, unit", [
    ("≥95%以下", Direction.GE, "%以下"), ("≤5天以上", Direction.LE, "天以上"), (">3个以内", Direction.GT, "个以内")])
def test_an_operator_and_a_word_that_contradict_are_not_guessed(text, direction, unit):
    """Neither side wins: the word stays on the unit, which then matches no 实际完成值's unit (#单位不一致)."""
    value = parse_value(text)
    assert (value.direction, value.quantity.unit) == (direction, unit)
    with pytest.raises(ParseError) as info:
        align(value.quantity, parse_quantity(f"90{unit[:-2]}"))
    assert info.value.short == "#单位不一致"


def test_a_day_without_a_year_counts_in_a_year_without_29_february():
    from selfeval_xl.core.parse import Day
    assert Day(2).number() == 59 and Day(12, 31).number() == 365          # 2月底, 年底: no table year known
    assert Day(2).number(2024) == 60 and Day(2, year=2024).number() == 60  # the table's year decides
    assert Day(2, 30).number(2023) == 59                                    # a day past the month's end is its end


def test_the_parse_cache_stays_bounded_and_an_error_is_raised_anew(monkeypatch):
    from selfeval_xl.core import parse
    monkeypatch.setattr(parse, "PARSE_CACHE_SIZE", 4)
    parse.parse_quantity.cache.clear()
    assert [parse.parse_quantity(f"{n}天").number for n in range(10)] == [D(n) for n in range(10)]
    assert 0 < len(parse.parse_quantity.cache) <= 4
    for _ in range(2):
        with pytest.raises(ParseError) as info:
            parse.parse_quantity("约150天左右≥", "实际完成值")
        assert info.value.short == "#无法识别实际完成值"


def test_a_date_cell_is_its_day_and_a_number_names_none():
    import datetime
    from selfeval_xl.core.parse import Day, parse_day
    assert parse_day(datetime.datetime(2023, 7, 15, 9, 30)) == Day(7, 15, 2023)
    assert parse_day(datetime.date(2023, 7, 15)) == Day(7, 15, 2023)
    assert parse_day(45122) is None and parse_day(None) is None


def test_a_true_cell_is_not_the_number_one():
    assert parse_value(1).direction is Direction.GE
    assert parse_value(True).qualitative            # TRUE == 1 in a dict: never read from the cache of 1


def test_a_rule_with_a_clause_not_understood_is_not_understood():
    """One formula among clauses we cannot read (a local deduction) is not the rule: which wins is unknown."""
    from selfeval_xl.core.parse import parse_exec_rule
    assert parse_exec_rule("执行率×分值") .understood
    assert not parse_exec_rule("执行率×分值，每低于1%扣0.5分").understood
    assert not parse_exec_rule("每低于1%扣0.5分，执行率×分值").understood


def test_a_range_whose_bounds_are_equal_is_read():
    value = parse_value("90%~90%")
    assert value.direction is Direction.RANGE and value.quantity.number == value.high.number == D(90)


@pytest.mark.parametrize("text", ["≥≤95%", "≤>=95%", "95%之内以内"])
def test_a_doubled_comparison_is_not_read_as_the_second_one(text):
    """Two operators (or two words after the figure) in a row are a slip: the second is never taken as
    the comparison, the value is left unread or its unit keeps the stray word."""
    try:
        value = parse_value(text)
    except ParseError:
        return
    assert value.quantity.unit != "%"


def test_fullwidth_digits_fold_and_nothing_past_nine():
    from selfeval_xl.core.parse import fold_text
    assert fold_text("备注：１２．５％") == "备注：12.5%"        # the full-width colon (U+FF1A, after ９) stays


def test_an_empty_quantity_says_empty_and_a_wrong_one_shows_itself():
    with pytest.raises(ParseError, match="无法识别实际完成值：空"):
        parse_quantity("", "实际完成值")
    with pytest.raises(ParseError, match="无法识别实际完成值：约百天"):
        parse_quantity("约百天", "实际完成值")


def test_a_percent_without_its_sign_names_both_readings():
    from selfeval_xl.core.parse import percent_beside
    with pytest.raises(ParseError, match="是 98% 还是 9800%"):
        percent_beside(Quantity(D("98")), "98", "General", "实际完成值")


@pytest.mark.parametrize("text, day", [("7月1日", 1), ("7月31日", 31), ("7月32日", None), ("7月0日", None)])
def test_a_day_of_the_month_is_1_to_31(text, day):
    from selfeval_xl.core.parse import parse_day
    found = parse_day(text)
    assert (found.day if found else None) == day


def test_equal_labels_share_one_cache_entry_and_each_is_said():
    """The label (``what``) is text, keyed by its value: a label built at run time (a layout's column
    name) finds the entry an equal one made, and an error says the label it was asked with."""
    from selfeval_xl.core import parse
    parse.parse_value.cache.clear()
    for how in ("positional", "keyword"):
        for n in range(3):
            label = "".join(["实际", "完成值"])                # equal, not the same object
            with pytest.raises(ParseError) as info:
                parse_value("", label) if how == "positional" else parse_value("", what=label)
            assert info.value.message == "实际完成值为空"
        assert len(parse.parse_value.cache) == (1 if how == "positional" else 2)
