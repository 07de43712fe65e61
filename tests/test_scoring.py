"""Scoring a row from what its cells hold, as the checker, writeback and UDFs do."""
from decimal import Decimal

import pytest

from selfeval_xl.core.parse import ParseError
from selfeval_xl.core.rules import Direction, RuleError
from selfeval_xl.core.scoring import score_indicator

D = Decimal


@pytest.mark.parametrize("target, actual, weight, expected", [
    # 履职效能 indicators of the 2021 广州市档案发展中心 report: all met
    ("21集", "21集", 4, "4.00"), ("20集", "20集", 4, "4.00"), ("≥150天", "162天", 4, "4.00"),
    ("≥15000人次", "46845人次", 4, "4.00"), ("≥100000画幅", "100659画幅", 4, "4.00"),
    ("≥10000张", "10232张", 4, "4.00"), ("≥98%", "100%", 4, "4.00"), ("≥90%", "100%", 4, "4.00"),
    ("≥90%", "99.5%", 4, "4.00"), ("≥80%", "100%", 4, "4.00"),
])
def test_real_case_indicators_score_full(target, actual, weight, expected):
    assert score_indicator(target, actual, weight).score == D(expected)


def test_direction_column_overrides_text():
    assert score_indicator(30, 40, 5, "≤").score == D("3.75")
    assert score_indicator("30万元以内", "40万元", 5).score == D("3.75")


def test_wan_units_are_aligned():
    scored = score_indicator("1.5万人次", "12000人次", 10)
    assert (scored.target, scored.actual, scored.score) == (15000, 12000, D("8.00"))


def test_percent_cell_against_percent_text():
    # an Excel cell formatted as % holds 0.995 while the target reads "≥98%"
    assert score_indicator("≥98%", 0.95, 10).score == D("9.69")


def test_range_from_text_and_from_two_cells():
    assert score_indicator("区间 90%–110%", "120%", 5).score == D("4.58")
    assert score_indicator(90, 120, 5, "区间", high=110).score == D("4.58")
    with pytest.raises(ParseError, match="上下限"):
        score_indicator(90, 120, 5, "区间")


def test_qualitative_rows():
    scored = score_indicator("有效提升", "部分达成年度指标并具有一定效果", 10)
    assert scored.direction is Direction.QUAL and scored.score == D("7.00")   # 部分达成 defaults to 70%
    # 定性 without a tier phrase: no score to recompute, only the band can be checked later
    assert score_indicator("作用明显", "较好", 10).score is None
    assert score_indicator("达成年度指标", "达成年度指标", 6, "定性").score == D("6.00")


def test_quantitative_with_words_in_target_is_reported():
    with pytest.raises(RuleError):
        score_indicator("较好", "100", 5, "≥")


def test_unit_mismatch_is_reported():
    with pytest.raises(ParseError, match="单位"):
        score_indicator("≥150天", "5个月", 5)
