"""The one label normaliser, layouts as data (extends, validation), and 时效 targets read as days."""
from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings, strategies as st

from selfeval_xl.core.datafiles import DataFileError
from selfeval_xl.core.layout import available_layouts, load_layout, normalize_label
from selfeval_xl.core.parse import Day, parse_day, parse_deadline
from selfeval_xl.core.scoring import score_indicator


@pytest.mark.parametrize("typed, official", [
    ("年度资金总额:", "年度资金总额"), ("其中:本年财政拨款", "本年财政拨款"), ("其中：当年财政拨款", "当年财政拨款"),
    ("预算执行情况(10分)", "预算执行情况"), ("实施单位（盖章）", "实施单位"), ("年度预算数(万元)", "年度预算数"),
    ("年初预算数(A)", "年初预算数"), ("预算完成率(B/A)", "预算完成率"), ("偏差原因分析\n及改进措施", "偏差原因分析及改进措施"),
    ("年度　指标值", "年度指标值"), ("部门(单位)名称", "部门（单位）名称"),
])
def test_labels_as_typed_meet_the_official_label(typed, official):
    assert normalize_label(typed) == normalize_label(official)


def test_a_bracket_that_names_is_kept():
    assert normalize_label("部门（单位）名称") != normalize_label("部门名称")
    assert normalize_label("资金（财政专户）") != normalize_label("资金")


@settings(deadline=None)
@given(st.text(max_size=30))
def test_normalising_is_idempotent(text):
    once = normalize_label(text)
    assert normalize_label(once) == once


def test_every_packaged_layout_loads_and_names_a_system():
    from selfeval_xl.core.system import load_system

    for name in available_layouts():
        layout = load_layout(name)
        assert layout.name == name and load_system(layout.system).kind == layout.kind


def test_a_layout_extends_another_and_is_validated(tmp_path):
    own = tmp_path / "my-province.yaml"
    own.write_text("extends: project\nsystem: national-project\nrecognise: {codes: [\"990000_01\"]}\n"
                   "placeholders: ['[']\n", encoding="utf-8")
    with pytest.raises(DataFileError, match="placeholders"):
        load_layout(own)
    own.write_text("extends: project\nsystem: national-project\nrecognise: {codes: [\"990000_01\"]}\n", encoding="utf-8")
    layout = load_layout(own)
    assert layout.name == "my-province" and layout.recognise.codes == ("990000_01",)
    assert layout.funds == load_layout("project").funds          # what it does not restate is the parent's


@pytest.mark.parametrize("text, day", [
    ("9月前", Day(9)), ("年底前", Day(12, 31)), ("12月31日前", Day(12, 31)), ("2023年9月底前", Day(9, None, 2023)),
    ("按期", None), ("及时", None), ("150天", None), ("≥90%", None), (9, None),
])
def test_deadlines(text, day):
    assert parse_deadline(text) == day


@pytest.mark.parametrize("text, day", [
    ("7月", Day(7)), ("7月15日", Day(7, 15)), ("2023年7月完成", Day(7, None, 2023)), ("2023-07-15", Day(7, 15, 2023)),
    ("年底", Day(12, 31)), ("按期完成", None), ("162天", None), ("13月", None),
])
def test_actual_days(text, day):
    assert parse_day(text) == day


@pytest.mark.parametrize("target, actual, score", [
    ("9月前", "7月", "10.00"), ("9月前", "9月", "10.00"), ("9月前", "9月30日", "10.00"), ("9月前", "10月", "8.98"),
    ("年底前", "11月", "10.00"), ("12月31日前", "2024年1月15日", "9.61"),
])
def test_a_time_target_is_met_when_the_actual_is_not_later(target, actual, score):
    assert score_indicator(target, actual, 10, year=2023).score == Decimal(score)


def test_a_time_target_without_a_day_is_left_to_its_words():
    assert score_indicator("9月前", "按期完成", 10).direction.value == "定性"
    assert score_indicator("按期", "按期完成", 10).direction.value == "定性"
