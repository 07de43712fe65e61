"""Every report check raised by its failing case, at the paragraph the case names, saying what it says, and silent on its
passing case — neither it nor an error (tests/data/narrative_cases.yaml): a check whose case breaks fails here by name."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from selfeval_xl.core.findings import CATALOGUE, Severity
from selfeval_xl.narrative.checks import REPORT_CHECKS
from selfeval_xl.narrative.report import check_report
from selfeval_xl.narrative.statements import Names, resolve
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
    codes = {item.code for item in REPORT_CHECKS} | {"report-nothing-checked"}
    for code in codes - {"report-table-mismatch"}:     # needs the 单位's tables: tests/test_report_realworld.py
        kinds = {k for c in CASES if c["code"] == code for k in ("fail", "pass") if k in c}
        assert kinds == {"fail", "pass"}, code


def test_text_before_the_first_chapter_is_the_cover_and_not_read(tmp_path):
    wrong = "自评得分97分，其中预算执行9.55分，产出指标46.4分，效益指标40分。"
    path = tmp_path / "cover.txt"
    path.write_text(f"2023年度绩效自评报告\n{wrong}\n一、自评结果\n自评得分95.95分，其中预算执行9.55分，产出指标46.4分，"
                    "效益指标40分。\n", encoding="utf-8")
    assert [f.code for f in check_report(path).findings] == []
    path.write_text(f"2023年度绩效自评报告\n{wrong}\n", encoding="utf-8")      # no chapter at all: all of it read
    assert [f.code for f in check_report(path).findings] == ["report-parts-sum"]


NAMES = Names(levels=("产出指标", "效益指标"), level2=("产出数量", "社会效益"),
              indicators={"": ("人物专辑", "社会效益")})


@pytest.mark.parametrize("subject, enumerated, expected", [
    ("人物专辑", True, ("indicator", "人物专辑")),        # an item named exactly as an indicator
    ("人物专辑", False, ("indicator", "人物专辑")),
    ("“人物专辑”年度指标为", False, ("indicator", "人物专辑")),   # quotes and the words before a target go
    ("产出数量评价分析", False, ("level2", "产出数量")),
    ("产出", True, ("level", "产出指标")),                # a level without its 指标
    ("产出数", False, ("level", "产出指标")),              # loosely, what it begins with …
    ("产出数", True, ("named", "产出数")),                 # … but an item is named exactly
    ("社会", False, ("level2", "社会效益")),
    ("社会效益", True, ("indicator", "社会效益")),         # an item named like its 二级 is the indicator
    ("社会效益", False, ("level2", "社会效益")),
    ("部门整体总分", False, ()),
    ("档案馆", False, ("named", "档案馆")),
])
def test_a_subject_resolves_to_what_it_names(subject, enumerated, expected):
    assert resolve(subject, "", NAMES, enumerated) == expected


def test_a_subject_that_is_the_scope_is_its_total():
    assert resolve("档案展厅运营项目", "档案展厅运营项目", NAMES) == ()


def test_a_check_that_crashes_is_a_check_failed_finding_and_the_others_still_run(tmp_path, monkeypatch):
    from selfeval_xl.narrative import checks

    class Broken:
        code = "report-broken"

        @staticmethod
        def run(ctx):
            raise ZeroDivisionError("planted")

    monkeypatch.setattr(checks, "REPORT_CHECKS", (Broken(), *checks.REPORT_CHECKS))
    found = _report(tmp_path, "自评得分97分，其中预算执行9.55分，产出指标46.4分，效益指标40分。")
    assert [code for code, _, _ in found][:2] == ["check-failed", "report-parts-sum"]
    assert "report-broken" in found[0][2] and "ZeroDivisionError: planted" in found[0][2]


def test_a_finding_carries_the_stated_figure_and_the_one_expected(tmp_path):
    from decimal import Decimal

    path = tmp_path / "report.txt"
    path.write_text(TITLE + "自评得分97分，其中预算执行9.55分，产出指标46.4分，效益指标40分。\n", encoding="utf-8")
    [found] = check_report(path).findings
    assert (found.code, found.found, found.expected) == ("report-parts-sum", Decimal("97"), Decimal("95.95"))
