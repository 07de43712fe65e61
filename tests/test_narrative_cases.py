"""Every report check raised by its failing case, at the paragraph the case names, saying what it says, and silent on its
passing case — neither it nor an error (tests/data/narrative_cases.yaml): a check whose case breaks fails here by name."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from selfeval_xl.findings import CATALOGUE, Severity
from selfeval_xl.narrative.checks import NARRATIVE_CHECKS
from selfeval_xl.narrative.report import check_report
from selfeval_xl.narrative.text import read_report

CASES = yaml.safe_load((Path(__file__).parent / "data" / "narrative_cases.yaml").read_text(encoding="utf-8"))
TITLE = "2023年度部门整体支出绩效自评报告\n一、自评结果\n"


def _report(tmp_path: Path, body: str):
    path = tmp_path / "report.txt"
    path.write_text(TITLE + body + "\n", encoding="utf-8")
    texts = {p.where: p.text for p in read_report(path)}
    return [(f.code, texts.get((f.sheet, f.cell), ""), f.message) for f in check_report(path).findings]


@pytest.mark.parametrize("case", [c for c in CASES if "fail" in c], ids=lambda c: f"{c['code']}: {c['name']}")
def test_failing_case_raises_its_code_at_its_paragraph(tmp_path, case):
    found = _report(tmp_path, case["fail"]["body"])
    fail = case["fail"]
    assert any(code == case["code"] and fail["at"] in text and fail["says"] in message
               for code, text, message in found), found


@pytest.mark.parametrize("case", [c for c in CASES if "pass" in c], ids=lambda c: f"{c['code']}: {c['name']}")
def test_passing_case_draws_neither_its_code_nor_an_error(tmp_path, case):
    found = _report(tmp_path, case["pass"])
    assert [f for f in found if f[0] == case["code"] or CATALOGUE[f[0]].severity is Severity.ERROR] == []


def test_every_report_check_has_both_cases():
    codes = {item.code for item in NARRATIVE_CHECKS} | {"report-nothing-checked"}
    for code in codes - {"report-table-mismatch"}:     # needs the 单位's tables: tests/test_report_realworld.py
        kinds = {k for c in CASES if c["code"] == code for k in ("fail", "pass") if k in c}
        assert kinds == {"fail", "pass"}, code
