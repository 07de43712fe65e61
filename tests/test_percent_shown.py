"""An indicator value is read as its cell shows it (issue 11, "No guessing").

The rule, in :func:`selfeval_xl.core.parse.percent_beside` / :func:`align_shown`: beside a side in % (``≥95%``)
- a number in a percent format (``0%``, ``0.00%``) is the fraction it stores, shown ×100: 0.98 is 98%;
- a number in a format that prints a literal % (``0"%"``) is the figure: 98 is 98%;
- text is read as typed: ``"98%"`` is 98%;
- zero is 0% either way;
- a number or text *shown* without a % sign (98 or 0.98 in a General cell) may be 98% or 0.98%: it is
  reported (``percent-unclear``), its score not recomputed;
- a number whose format is unknown (a UDF's argument, an .xls value) is read as stored, the fraction
  Excel stores for a typed percentage.
"""
from __future__ import annotations

from decimal import Decimal

import openpyxl
import pytest
from hypothesis import given, settings, strategies as st

from check_workbooks import build_project
from selfeval_xl.checks import check_workbook
from selfeval_xl.core.model import Cell
from selfeval_xl.core.parse import PERCENT_UNCLEAR, ParseError, percent_in_format, shown_quantity
from selfeval_xl.read import read_workbook
from selfeval_xl.core.recompute import rate_readings
from selfeval_xl.core.scoring import score_indicator

D = Decimal


@pytest.mark.parametrize("code, kind", [
    ("0%", "scaled"), ("0.00%", "scaled"), ("0.0%;[Red]-0.0%", "scaled"), ('0"%"', "literal"),
    ("0.00\\%", "literal"), ('#,##0.0" %"', "literal"), ("General", ""), ("0.00", ""), ("[Red]0.00", ""),
    ("@", ""), (None, ""), ("", ""),
])
def test_percent_in_format(code, kind):
    assert percent_in_format(code) == kind


def _score(actual, actual_format, target="≥95%", target_format=None, weight=10, direction=None):
    return score_indicator(target, actual, weight, direction,
                           formats={"target": target_format, "actual": actual_format}).score


def test_a_fraction_in_a_percent_format_is_met():
    assert _score(0.98, "0%") == D("10.00")
    assert _score(0.90, "0.00%") == D("9.47")          # 90 / 95


def test_text_with_a_percent_sign_is_read_as_typed():
    assert _score("98%", "General") == D("10.00")
    assert _score("90%", None) == D("9.47")


def test_a_literal_percent_in_the_format_shows_the_figure():
    assert _score(98, '0"%"') == D("10.00")
    assert _score(0.98, '0.00"%"') == D("0.10")        # shown as 0.98%: 0.98 / 95


@pytest.mark.parametrize("actual", [98, 0.98, 98.0, "98", "0.98"])
def test_a_value_shown_without_percent_beside_a_percent_is_reported(actual):
    with pytest.raises(ParseError) as err:
        _score(actual, "General")
    assert err.value.short == PERCENT_UNCLEAR
    assert "98" in err.value.message and "%" in err.value.message


def test_the_target_side_is_read_the_same_way():
    assert _score("98%", "General", target=0.95, target_format="0%", direction="≥") == D("10.00")
    assert _score(0.90, "0%", target=0.95, target_format="0%", direction="≥") == D("9.47")
    with pytest.raises(ParseError) as err:
        _score("98%", "General", target=95, target_format="General", direction="≥")
    assert err.value.short == PERCENT_UNCLEAR and "年度指标值" in err.value.message


def test_zero_is_zero_percent_either_way():
    assert _score(0, "General", target="≤5%") == D("10.00")


def test_an_unknown_format_reads_the_number_as_stored():
    """UDF arguments and .xls values carry no format: the number is what Excel stores, the fraction."""
    assert _score(0.98, None) == D("10.00")
    assert score_indicator("≥98%", 0.95, 10).score == D("9.69")


def test_a_range_reads_each_bound_by_its_own_format():
    formats = {"target": "0%", "target_high": "0%", "actual": "General"}
    assert score_indicator(0.9, "120%", 5, "区间", high=1.1, formats=formats).score == D("4.58")
    with pytest.raises(ParseError):
        score_indicator(0.9, "120%", 5, "区间", high=110, formats={**formats, "target_high": "General"})


def test_a_rate_cell_with_a_literal_percent_is_the_figure():
    assert rate_readings(Cell("s", "A1", 99.76, None, '0.00"%"')) == (D("0.9976"),)
    assert rate_readings(Cell("s", "A1", 0.9976, None, "0.00%")) == (D("0.9976"),)
    assert rate_readings(Cell("s", "A1", 99.76, None, "General")) == (D("99.76"), D("0.9976"))


_FIGURES = st.decimals(min_value=0, max_value=500, places=2, allow_nan=False, allow_infinity=False)


@settings(deadline=None, max_examples=200)
@given(figure=_FIGURES, target=st.sampled_from(["≥95%", "≤5%", "=100%", "区间 90%–110%", "80%"]))
def test_the_reading_does_not_depend_on_how_the_shown_text_is_stored(figure, target):
    """98% stored as the fraction 0.98 in a percent format, as the figure 98 in a ``0"%"`` format, or
    typed as the text "98%": one reading, one score."""
    text = f"{figure}%"
    as_fraction = float(figure / 100)
    assert shown_quantity(as_fraction, "0.00%") == shown_quantity(text) == shown_quantity(float(figure), '0.00"%"')
    scores = {_score(as_fraction, "0.00%", target), _score(text, "General", target),
              _score(float(figure), '0.00"%"', target)}
    assert len(scores) == 1


# --------------------------------------------------------------------------- end to end, on real files

def _checked(tmp_path, value, number_format):
    """The sample project with 观众满意度 (≥90%) completed as ``value`` in a cell of ``number_format``."""
    built = build_project(tmp_path / "p.xlsx")
    wb = openpyxl.load_workbook(built.path)
    cell = wb[built.sheet][built.ref(("ind", 6, "actual"))]
    cell.value, cell.number_format = value, number_format
    wb.save(built.path)
    return built, check_workbook(read_workbook(built.path)).findings


@pytest.mark.parametrize("value, number_format", [(0.995, "0.00%"), (99.5, '0.0"%"'), ("99.5%", "General")])
def test_a_file_whose_cell_shows_the_percentage_checks_clean(tmp_path, value, number_format):
    assert _checked(tmp_path, value, number_format)[1] == []


@pytest.mark.parametrize("value", [99.5, 0.995])
def test_a_file_whose_cell_shows_a_bare_number_is_reported_at_that_cell(tmp_path, value):
    built, findings = _checked(tmp_path, value, "General")
    assert [(f.code, f.severity, f.cell) for f in findings] == \
        [("percent-unclear", "warning", built.ref(("ind", 6, "actual")))]


def test_a_percent_format_of_a_low_fraction_is_scored_low(tmp_path):
    """0.5 shown as 50% against ≥90%: the stated 10 points are wrong (5.56 expected)."""
    built, findings = _checked(tmp_path, 0.5, "0%")
    assert {f.code for f in findings} >= {"score-mismatch"}
    [mismatch] = [f for f in findings if f.code == "score-mismatch"]
    assert "5.56" in str(mismatch.expected)


def test_our_native_template_scores_as_its_formula_and_still_reports_an_unclear_value(tmp_path):
    """In our native template the score formula compares the numbers as stored (98 ≥ 0.95: full marks),
    so the recomputation does too (no stale claim on its cached 总分), and the warning still names the cell."""
    from selfeval_xl.core.recompute import recompute
    from selfeval_xl.core.system import load_system
    from selfeval_xl.template.writer import build_template, save_workbook
    from selfeval_xl.template.plan import template_map

    path = save_workbook(build_template("project", formulas="native"), tmp_path / "t.xlsx")
    plan = template_map("project")
    row = plan.indicator_rows[0]
    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    ws[plan.cell(row, "level3")] = "设备完好率"
    ws[plan.cell(row, "direction")] = "≥"
    ws[plan.cell(row, "target")], ws[plan.cell(row, "target")].number_format = 0.95, "0%"
    ws[plan.cell(row, "actual")] = 98
    wb.save(path)
    [table] = read_workbook(path).tables
    [out] = [o for o in recompute(table, load_system(None, "project")).rows if o.row.level3 == "设备完好率"]
    assert out.error is None and out.expected == out.weight
    assert out.unclear is not None and out.unclear.short == PERCENT_UNCLEAR
    assert out.error_cell.ref == plan.cell(row, "actual")
    findings = check_workbook(read_workbook(path)).findings
    assert [f.cell for f in findings if f.code == "percent-unclear"] == [plan.cell(row, "actual")]


def test_a_banded_rate_with_a_literal_percent_is_the_figure():
    from selfeval_xl.core.rules import Band
    bands = (Band(0.0, 1.0), Band(0.05, 0.8), Band(0.1, 0.6))
    assert score_indicator(None, 3, 2, bands=bands, formats={"actual": '0"%"'}).score == D("1.60")
    assert score_indicator(None, 0.03, 2, bands=bands, formats={"actual": "0%"}).score == D("1.60")
    assert score_indicator(None, 0.03, 2, bands=bands).score == D("1.60")


@settings(deadline=None, max_examples=300)
@given(code=st.text(max_size=40), value=st.one_of(st.floats(allow_nan=False, allow_infinity=False), st.integers()))
def test_any_format_code_a_file_carries_is_read_without_error(code, value):
    """A stranger's file may carry any format text: it is classified, and a number under it still read."""
    assert percent_in_format(code) in ("scaled", "literal", "")
    assert shown_quantity(value, code).unit in ("", "%")
