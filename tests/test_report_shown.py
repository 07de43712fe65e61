"""应为 / 实为 shown as the table shows them (issue 13)."""
from __future__ import annotations

from decimal import Decimal

import selfeval_xl.checks.registry  # noqa: F401  (declares the codes)
from selfeval_xl.core.findings import finding
from selfeval_xl.report.shown import shown_values


def test_a_fraction_beside_a_percentage_is_shown_as_one():
    f = finding("figure-inconsistent", "x", expected="89.40%", found=0.9976)
    assert shown_values(f) == ("89.40%", "99.76%")
    assert shown_values(finding("figure-inconsistent", "x", expected=0.5, found="45.5%")) == ("50.0%", "45.5%")


def test_rate_codes_show_both_sides_as_percentages():
    f = finding("exec-rate-mismatch", "x", expected=Decimal("0.9976"), found=0.95)
    assert shown_values(f) == ("99.76%", "95.00%")


def test_other_values_are_left_alone():
    assert shown_values(finding("total-mismatch", "x", expected=Decimal("99.14"), found=95.95)) == \
        (Decimal("99.14"), 95.95)
    assert shown_values(finding("level-missing", "x", expected="满意度指标")) == ("满意度指标", None)
