"""Values as Excel shows them in a cell of a number format (the web page's grid and findings, beside
report.xlsx's formatted cells): examples as Excel and LibreOffice show them, and properties over any
number — the text reads back as the value rounded half away from zero at the format's decimals."""
from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given, settings, strategies as st

from selfeval_xl.core.findings import Finding, Severity
from selfeval_xl.report.numfmt import excel_text
from selfeval_xl.report.shown import shown_texts


@pytest.mark.parametrize("value, code, shown", [
    (0.98, "0%", "98%"), (1, "0.00%", "100.00%"), (0.858, "0.00", "0.86"), (0.845, "0.00", "0.85"),
    (1132.005, "#,##0.00", "1,132.01"), (0.9976, None, "0.9976"), (0.1 + 0.2, "General", "0.3"),
    (15, "0.00", "15.00"), (-3.5, "0.00", "-3.50"), (-3.5, "0.00;(0.00)", "(3.50)"), (0, '0.00;-0.00;"-"', "-"),
    (98, '0"%"', "98%"), (98, "0\\%", "98%"), (1234.5, "[$¥-804]#,##0.00", "¥1,234.50"), (0.86, "[Red]0.00", "0.86"),
    (12345, "0.00E+00", "1.23E+04"), (0.5, "#.00", ".50"), (3, "0.0#", "3.0"), (3.14159, "0.0#", "3.14"),
    (1500000, "#,##0,", "1,500"), (15, '0.00"分"', "15.00分"), (100, "0.00_ ", "100.00 "), (7, "@", "7"),
    (45000, "yyyy-mm-dd", "2023-03-15"), (dt.date(2024, 3, 31), "yyyy-mm-dd", "2024-03-31"),
    (123456789012, None, "1.23457E+11"), (True, None, "TRUE"), ("≥90%", "0.00", "≥90%"), (None, "0.00", ""),
])
def test_a_value_reads_as_excel_shows_it(value, code, shown):
    assert excel_text(value, code) == shown


PLACES = st.integers(min_value=0, max_value=4)
NUMBERS = st.decimals(min_value=-10 ** 9, max_value=10 ** 9, places=6, allow_nan=False, allow_infinity=False)


def _rounded(number: Decimal, places: int) -> Decimal:
    return number.quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)


@settings(deadline=None, max_examples=300)
@given(NUMBERS, PLACES, st.booleans())
def test_fixed_decimals_read_back_as_the_value_rounded(number, places, grouped):
    code = ("#,##0" if grouped else "0") + ("." + "0" * places if places else "")
    text = excel_text(float(number), code)
    assert ("," in text) == (grouped and abs(_rounded(number, places)) >= 1000)
    assert Decimal(text.replace(",", "")) == _rounded(Decimal(str(float(number))), places)
    assert len(text.partition(".")[2]) == places


@settings(deadline=None, max_examples=300)
@given(NUMBERS, PLACES)
def test_percentages_read_back_as_the_value_times_100_rounded(number, places):
    code = "0" + ("." + "0" * places if places else "") + "%"
    text = excel_text(float(number) / 100, code)
    assert text.endswith("%")
    assert Decimal(text[:-1]) == _rounded(Decimal(str(float(number) / 100)) * 100, places)


@settings(deadline=None, max_examples=300)
@given(st.floats(min_value=-1e10, max_value=1e10, allow_nan=False))
def test_general_keeps_ten_significant_digits(value):
    text = excel_text(value)
    assert float(text) == pytest.approx(value, rel=1e-9, abs=1e-9)
    assert len(Decimal(text.split("E")[0]).normalize().as_tuple().digits) <= 10


def _finding(code, expected, found):
    return Finding(code, Severity.ERROR, "", "f.xlsx", "表", "A1", expected, found)


def test_findings_show_their_figures_as_report_xlsx_does():
    """应为 89.40% beside 实为 0.9976 reads 99.76%; a rate's pair in percent; a score with two decimals,
    an amount with separators — the formats report.xlsx gives the same cells."""
    assert shown_texts(_finding("figure-inconsistent", "89.40%", 0.9976)) == ("89.40%", "99.76%")
    assert shown_texts(_finding("exec-rate-mismatch", 0.9976, 0.5)) == ("99.76%", "50.00%")
    assert shown_texts(_finding("score-mismatch", 15, 3)) == ("15.00", "3.00")
    assert shown_texts(_finding("funds-total-mismatch", 1014.4, 1132.005)) == ("1,014.40", "1,132.01")
    assert shown_texts(_finding("formula-replaced", 0.123456, None)) == ("0.123456", None)
    assert shown_texts(_finding("required-blank", "项目名称", None)) == ("项目名称", None)
