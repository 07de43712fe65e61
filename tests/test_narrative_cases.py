"""The report checks beyond their cases (those are in narrative/checks.yaml beside the module, run by
tests/test_check_cases.py): every report check has a failing and a fixed case there, the cover is not read,
subjects resolve to what they name, a crashing check is a finding, and the figures a finding carries and
says — against the report itself and against the 单位's tables (built in memory: no workbook, milliseconds)."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from selfeval_xl.narrative.checks import REPORT_CODES
from selfeval_xl.narrative.report import check_report
from selfeval_xl.narrative.statements import Names, resolve
from selfeval_xl.narrative.text import read_report

TITLE = "2023年度部门整体支出绩效自评报告\n一、自评结果\n"


def _report(tmp_path: Path, body: str):
    path = tmp_path / "report.txt"
    path.write_text(TITLE + body + "\n", encoding="utf-8")
    texts = {p.where: p.text for p in read_report(path)}
    return [(f.code, texts.get((f.sheet, f.cell), ""), f.message) for f in check_report(path).findings]


def test_every_report_code_has_a_failing_and_a_fixed_case():
    for unit in REPORT_CODES:
        kinds = {"raises_at" in case for case in unit.cases}
        assert kinds == {True, False}, unit.code


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


# --------------------------------------------------------------------------- against the 单位's own tables, in memory

def _unit():
    """广州市档案发展中心's tables as the checker reads them (narrative/summary.py), small: the 部门整体 table
    (总分 94.43; 管理效能 44.43 of 45 over 2 indicators, one short; 履职效能 50 of 50 over 1; 支出预算 1014.4,
    决算 1011.98, so 预算完成率 99.761…%) and one project's (总分 95.95)."""
    from selfeval_xl.narrative.summary import Indicator, Part, Summary
    from selfeval_xl.narrative.units import Unit

    def ind(name: str, weight: str, score: str) -> Indicator:
        return Indicator(name, "", "", "", "", Decimal(weight), Decimal(score))

    unit_name = "广州市档案发展中心"
    department = Summary("department", unit_name, unit_name, 2021, "部门整体.xlsx", Decimal(100), Decimal("94.43"),
                         parts=[Part("管理效能", Decimal(45), Decimal("44.43"),
                                     indicators=[ind("预算编制", "20", "19.43"), ind("资金管理", "25", "25")]),
                                Part("履职效能", Decimal(50), Decimal(50), indicators=[ind("人物专辑", "50", "50")])],
                         funds={("budget", "total"): Decimal("1014.4"), ("spent", "total"): Decimal("1011.98"),
                                ("budget", "basic"): Decimal("969.83"), ("budget", "project"): Decimal("44.57")},
                         rate=Decimal("1011.98") / Decimal("1014.4"))
    project = Summary("project", "档案展厅运营项目", unit_name, 2021, "项目.xlsx", Decimal(100), Decimal("95.95"))
    return Unit(unit_name, [unit_name], department, [project])


def _against_tables(tmp_path: Path, body: str):
    path = tmp_path / "report.txt"
    path.write_text("广州市档案发展中心" + TITLE + body + "\n", encoding="utf-8")      # the 单位 named in the title
    texts = {p.where: p.text for p in read_report(path)}
    return [(f.code, texts.get((f.sheet, f.cell), ""), f.message, f.expected)
            for f in check_report(path, [_unit()]).findings]


@pytest.mark.parametrize("body, at, says, expected", [
    ("2021年支出预算1132.01万元，支出决算1011.98万元。", "支出预算1132.01万元",
     "部门整体 支出 预算 报告为 1132.01，部门整体支出绩效自评表为 1014.4", "1014.4"),
    # a rate is shown as a percentage, rounded to the places the report wrote (at least 2): 99.76, not 99.761…
    ("2021年支出预算1014.4万元，支出决算1011.98万元，预算完成率97.5%。", "预算完成率97.5%",
     "部门整体 预算完成率/执行率 报告为 97.5%，部门整体支出绩效自评表为 99.76%", "99.76"),
    ("2021年预算完成率99.123%。", "预算完成率99.123%", "报告为 99.123%，部门整体支出绩效自评表为 99.761%", "99.761"),
    ("项目自评总分94.34分。", "自评总分94.34分", "部门整体 总分 自评 报告为 94.34，部门整体支出绩效自评表为 94.43", "94.43"),
    ("管理效能评价分析：分值45分，自评44.34分。", "自评44.34分",
     "部门整体 “管理效能” 自评 报告为 44.34，部门整体支出绩效自评表为 44.43", "44.43"),
    ("（一）档案展厅运营项目\n档案展厅运营项目自评总分96.95分。", "自评总分96.95分",
     "档案展厅运营项目 总分 自评 报告为 96.95，“档案展厅运营项目”项目支出绩效自评表为 95.95", "95.95"),
    ("其中基本支出预算960万元，项目支出预算44.57万元。", "基本支出预算960万元",
     "部门整体 基本支出 预算 报告为 960，部门整体支出绩效自评表为 969.83", "969.83"),
    ("其中基本支出预算969.83万元，项目支出预算54.57万元。", "项目支出预算54.57万元",
     "部门整体 项目支出 预算 报告为 54.57，部门整体支出绩效自评表为 44.57", "44.57"),
    ("共涉及4个指标。", "共涉及4个指标", "部门整体 指标个数 报告为 4，部门整体支出绩效自评表为 3", "3"),
    ("涉及2个管理效能指标、1个履职效能指标，实际完成指标3个（均得满分），指标完成率100%。", "指标完成率100%",
     "部门整体 指标完成率 报告为 100%，部门整体支出绩效自评表为 66.67%", "66.67"),
    ("涉及3个管理效能指标、1个履职效能指标。", "涉及3个管理效能指标",
     "部门整体 管理效能指标个数 报告为 3，部门整体支出绩效自评表为 2", "2"),
    ("涉及2个管理效能指标、1个履职效能指标，实际完成指标3个（均得满分），指标完成率100%。", "实际完成指标3个",
     "部门整体 实际完成指标个数 报告为 3，部门整体支出绩效自评表为 2", "2"),
])
def test_a_figure_the_table_states_otherwise_is_a_table_mismatch_quoting_the_tables_figure(tmp_path, body, at, says,
                                                                                         expected):
    found = _against_tables(tmp_path, body)
    hits = [f for f in found if f[0] == "report-table-mismatch" and at in f[1] and says in f[2]]
    assert hits and all(f[3] == Decimal(expected) for f in hits), found


@pytest.mark.parametrize("body", [
    "2021年支出预算1014.4万元，支出决算1011.98万元，预算完成率99.76%。",
    "2021年预算完成率99.8%。",                              # stated at one place: 99.761… is 99.8
    "项目自评总分94.43分，其中管理效能44.43分，履职效能50分。涉及2个管理效能指标、1个履职效能指标。",
    # 实际完成 may mean 达成, not 得满分: the table's 2 full marks do not contradict 3 achieved
    "涉及2个管理效能指标、1个履职效能指标，实际完成指标3个，指标完成率100%。",
])
def test_a_figure_the_table_states_alike_is_no_mismatch(tmp_path, body):
    assert [f for f in _against_tables(tmp_path, body) if f[0] == "report-table-mismatch"] == []


def test_a_projects_item_breakdown_is_the_projects_own(tmp_path):
    """The reference report's project 2 (/work/shared/reports/README.md): an item ``1.<项目>，分值 100 分，其中…``
    names the project, so its breakdowns are the project's — 效益 40 over its 30, and 满意度 left out."""
    body = ("（二）各项工作任务绩效目标完成情况分析\n1.档案展厅运营项目，分值100分，其中预算执行10分，产出指标50分，效益指标30分，"
            "满意度指标10分；自评95.95分，其中预算执行9.55分，产出指标46.4分，效益指标40分。")
    found = [(code, message.split("：“")[0]) for code, _, message, _ in _against_tables(tmp_path, body)]
    assert found == [("report-score-over-weight", "档案展厅运营项目 “效益指标” 自评 40 分高于报告所述分值 30 分"),
                     ("report-part-missing", "档案展厅运营项目 总分 自评 的分项未列“满意度指标”（分值分项列了它）")]


def test_a_figure_stated_twice_against_the_table_is_one_mismatch_at_the_wrong_one(tmp_path):
    """The table says which of the two is right: a report-table-mismatch there, not a report-figure-twice."""
    body = "2021年支出预算1132.01万元，支出决算1011.98万元。\n二、其他情况\n2021年支出预算1014.4万元，支出决算1011.98万元。"
    found = [(code, text) for code, text, _, _ in _against_tables(tmp_path, body)]
    assert found == [("report-table-mismatch", "2021年支出预算1132.01万元，支出决算1011.98万元。")]


@pytest.mark.parametrize("key, words", [
    (("", "total", "score"), "部门整体 总分 自评"),
    (("", "level", "管理效能", "weight"), "部门整体 “管理效能” 分值"),
    (("", "level2", "产出数量", "score"), "部门整体 “产出数量” 自评"),
    (("档案展厅运营项目", "indicator", "人物专辑", "weight"), "档案展厅运营项目 “人物专辑” 分值"),
    (("", "named", "档案馆", "score"), "部门整体 “档案馆” 自评"),
    (("", "funds", "budget", "total"), "部门整体 支出 预算"),
    (("", "funds", "gap", "basic"), "部门整体 基本支出 预算执行差额"),
    (("", "funds", "spent", "project"), "部门整体 项目支出 决算"),
    (("", "funds", "initial", "part:人员经费"), "部门整体 人员经费 年初预算"),
    (("", "rate", "budget"), "部门整体 预算完成率/执行率"),
    (("", "rate", "full"), "部门整体 指标完成率"),
    (("", "count", "all"), "部门整体 指标个数"),
    (("", "count", "full"), "部门整体 实际完成指标个数"),
    (("", "count", "履职效能"), "部门整体 履职效能指标个数"),
])
def test_a_figure_is_named_in_a_message_as_the_report_names_it(key, words):
    """The words a finding opens with: which figure of which scope, in Chinese (no key word left in English)."""
    from selfeval_xl.narrative.checks import describe

    assert describe(key) == words


@pytest.mark.parametrize("body, expected", [
    ("2021年支出预算1132.01万元，支出决算1011.98万元，预算完成率99.76%。", "89.40"),          # 89.3967…
    ("涉及21个管理效能指标、12个履职效能指标，实际完成指标30个，指标完成率100%。", "90.91"),     # 90.9090…
])
def test_a_rate_finding_expects_the_rate_as_its_message_shows_it(tmp_path, body, expected):
    """The expected figure (JSON, the findings sheet) is the rate to 2 places, as the message says it."""
    path = tmp_path / "report.txt"
    path.write_text(TITLE + body + "\n", encoding="utf-8")
    [found] = check_report(path).findings
    assert (found.code, found.expected) == ("report-rate", Decimal(expected))
