"""The four published shapes that are not the national table (issue 19): each read as its layout says,
and what its form does not let the checker review said in one warning (table-partly-read) — never a
silent pass, never an error on a cell it did not understand. The corpus test holds their faults; these
hold what reading them rests on."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st
from openpyxl import load_workbook

from selfeval_xl.checks import check_workbook
from selfeval_xl.core.findings import Severity
from selfeval_xl.core.parse import bare_figure
from selfeval_xl.read import read_workbook
from selfeval_xl.report.xlsx import status
from test_operator_spellings import EQ, GE, LE

HERE = Path(__file__).parent / "data" / "realworld"
HENGSHAN = HERE / "衡山县商务和粮食局_县级储备粮_2020_县级专项资金绩效目标自评表.xlsx"
CHANGSHA = HERE / "长沙市雨花区发展和改革局_部门整体_2022_部门整体支出绩效评价指标表.xlsx"
GUANGSHUI = HERE / "广水市交通运输局_乡村道路建设养护项目_2021_财政预算支出项目绩效目标自评表.xlsx"
CHONGQING = HERE / "西部重庆科学城融媒体中心_部门整体_2021_部门整体绩效自评表.xlsx"
LONGYANG = HERE / "隆阳区土壤肥料工作站_中央化肥减量增效示范县项目补助资金_2022_项目支出绩效自评表.xlsx"
CHANGNING = HERE / "昌宁县供销合作社联合社_昌龙鸿运牧业专业合作社生猪养殖场建设项目_2022_项目支出绩效自评表.xlsx"


def _check(path: Path):
    data = read_workbook(path)
    return data, check_workbook(data)


@pytest.mark.parametrize("path, layout, said", [
    (HENGSHAN, "hunan-county-project", "没有“分值”“得分”列"),
    (CHANGSHA, "hunan-department-rubric", "没有“年度指标值”“实际完成值”列"),
    (GUANGSHUI, "hubei-guangshui-project", "项目决策、项目管理两块"),
    (CHONGQING, "chongqing-department", "自评总分未与各项得分之和核对"),
    (LONGYANG, "project-20-80", "没有“分值”列；表尾的“偏差大或目标未完成原因分析”未读取"),
    (CHANGNING, "project-20-80", "没有“分值”列"),
], ids=["衡山", "长沙", "广水", "重庆", "隆阳", "昌宁"])
def test_a_form_the_checker_reads_in_part_says_what_it_did_not_review(path, layout, said):
    data, report = _check(path)
    assert [t.layout for t in data.tables] == [layout]
    partly = [f for f in report.findings if f.code == "table-partly-read" and said in f.message]
    assert len(partly) == 1 and partly[0].severity is Severity.WARNING
    assert report.unreviewed > 0 and status(report) != "通过"


def test_a_form_without_scores_reports_no_total():
    """衡山's form has no 分值: no 总分 or 等级 is recomputed for it (not 10 from its 执行率 alone)."""
    _, report = _check(HENGSHAN)
    assert report.total is None and not report.grade
    _, scored = _check(CHONGQING)
    assert scored.total is not None


def test_the_unscored_county_form_still_has_its_funds_checked(tmp_path):
    """衡山's 执行率 is read and held to 全年执行数 / 全年预算数: a wrong one is an error at its cell."""
    book = load_workbook(HENGSHAN)
    book.active["F5"] = 0.9                     # 194.9 / 194.9 is 100%
    wrong = tmp_path / HENGSHAN.name
    book.save(wrong)
    _, report = _check(wrong)
    assert [f.cell for f in report.findings if f.severity is Severity.ERROR] == ["F5"]


def test_the_rubric_takes_the_weight_after_its_third_level():
    """一级 | 分值 | 二级 | 分值 | 三级 | 分值: each indicator's weight is the 分值 beside its 三级指标."""
    data, _ = _check(CHANGSHA)
    rows = data.tables[0].indicators
    assert [(r.level3, r.value("weight")) for r in rows[:3]] == [
        ("在职人员控制率", 5), ("“三公经费”变动率", 8), ("预算完成率", 5)]


def test_the_flat_list_is_one_level_and_its_one_funds_row_the_total():
    data, report = _check(CHONGQING)
    table = data.tables[0]
    assert {r.level1 for r in table.indicators} == {"绩效指标"}
    assert table.funds["total"].get("rate").ref == "H5" and table.funds["total"].get("score").ref == "J5"
    assert not [f for f in report.findings if f.code in ("level-missing", "unknown-level")]
    incomplete = [f.message for f in report.findings if f.code == "table-incomplete"]
    assert incomplete and "未见" not in incomplete[0].split("）", 1)[1]     # no level claimed missing


def test_a_scrambled_header_is_read_and_said_a_right_one_silently(tmp_path):
    _, report = _check(CHONGQING)
    assert [f.cell for f in report.findings if "字序错乱" in f.message] == ["G8"]
    book = load_workbook(CHONGQING)
    book.active["G8"] = "全年完成值"
    right = tmp_path / "right.xlsx"
    book.save(right)
    _, fixed = _check(right)
    assert not [f for f in fixed.findings if "字序错乱" in f.message]
    assert {(f.code, f.cell) for f in fixed.findings if f.severity is Severity.ERROR} == {
        (f.code, f.cell) for f in report.findings if f.severity is Severity.ERROR}
    book.active["G8"] = "年成值全完值值值"        # more than one character beyond the label: not it
    far = tmp_path / "far.xlsx"
    book.save(far)
    _, unread = _check(far)
    assert any(f.code == "layout-missing" and "全年完成值" in f.message for f in unread.findings)


@pytest.mark.parametrize("name, target, actual, expected", [
    ("公用经费控制率", "100%", "97%", None),        # the system names it ≤: full marks, no error
    ("公用经费控制率", "≥100%", "97%", "1.94"),     # the table's own ≥ wins over the name
    ("播发稿件数量", "100%", "97%", "1.94"),        # a name the system does not know: a bare figure is ≥
])
def test_a_bare_target_takes_the_direction_the_system_names(tmp_path, name, target, actual, expected):
    book = load_workbook(CHONGQING)
    sheet = book.active
    sheet["B15"], sheet["E15"], sheet["G15"] = name, target, actual
    changed = tmp_path / "changed.xlsx"
    book.save(changed)
    _, report = _check(changed)
    found = [f for f in report.findings if f.code == "score-mismatch" and f.cell == "J15"]
    assert [str(f.expected) for f in found] == ([expected] if expected else [])


figures = st.decimals(min_value=Decimal("0"), max_value=Decimal("100000"), places=2)
units = st.sampled_from(["%", "篇", "万元", "人次", "", "％"])


@settings(deadline=None, max_examples=200)
@given(figure=figures, unit=units, pattern=st.sampled_from(GE + LE + EQ))
def test_a_figure_alone_is_bare_and_every_spelled_comparison_is_not(figure, unit, pattern):
    text = f"{figure.normalize():f}{unit}"
    assert bare_figure(text) and bare_figure(figure)
    assert not bare_figure(pattern.format(text))


def _completed_longyang(tmp_path: Path, total) -> Path:
    """隆阳's 20 + 80 table (cut where the stored page stopped) closed by a 总分 row: the 效益 row it ends on,
    then 总分 ``total``."""
    book = load_workbook(LONGYANG)
    ws = book.active
    for merged in [m for m in ws.merged_cells.ranges if m.max_row >= 24]:
        ws.unmerge_cells(str(merged))
    for col in "ABCDEFG":
        ws[f"{col}24"] = None
    ws["A25"], ws["G25"] = "总分", total
    path = tmp_path / LONGYANG.name
    book.save(path)
    return path


def test_the_20_80_form_scores_its_funds_on_20_and_sums_its_numbered_rows_once(tmp_path):
    """The 20 + 80 form: 预算执行 is 20 × 执行率 (30 / 278.4449 → 2.15, the table says 2.16); its 总分 is the
    funds' score and each indicator's once — 一、示范区建立 15 is the sum of its 1、2、3 (5 each), not 15 more
    (2.16 + 65 = 67.16) — and with no 分值 column no 分值 sum is called wrong."""
    data, report = _check(_completed_longyang(tmp_path, 67.16))
    codes = {(f.code, f.cell) for f in report.findings if f.severity is Severity.ERROR}
    assert ("exec-score-mismatch", "F8") in codes
    low = [f for f in report.findings if f.code == "exec-rate-unexplained"]     # its reasons stand at its foot,
    assert [(f.cell, f.severity) for f in low] == [("E8", Severity.WARNING)]    # which the reader does not read
    assert not {c for c in codes if c[0] in ("total-mismatch", "total-weight-not-100")}, codes
    assert [r.level3 for r in data.tables[0].indicators][:3] == ["1、水稻侧深施肥+缓控释肥", "2、玉米种肥同播+缓控释肥",
                                                                 "3、施用配方肥"]
    _, wrong = _check(_completed_longyang(tmp_path, 82.16))
    assert [f.cell for f in wrong.findings if f.code == "total-mismatch"] == ["G25"]


@pytest.mark.parametrize("whole, parts, grouped", [
    ((15, 15), [(5, 5), (5, 5), (5, 5)], True),
    ((None, 15), [(None, 5), (None, 5), (None, 5)], True),        # the 20 + 80 form: 得分 only
    ((15, 14), [(5, 5), (5, 5), (5, 5)], False),                  # 得分 not their sum: two things, both counted
    ((15, 15), [(5, 5), (5, 5), (None, 5)], False),               # a part without its 分值
    ((None, None), [(None, None), (None, None)], False),          # nothing says they belong together
], ids=["both", "scores only", "scores differ", "a weight missing", "no figures"])
def test_a_numbered_row_is_the_sum_of_the_rows_under_it_only_when_its_figures_say_so(whole, parts, grouped):
    from selfeval_xl.core.model import Cell, IndicatorRow, Table
    from selfeval_xl.read.locate import _numbered_parts

    def row(n, name, weight, score):
        cells = {"level3": Cell("S", f"C{n}", name)}
        for key, col, value in (("weight", "D", weight), ("score", "E", score)):
            if value is not None:
                cells[key] = Cell("S", f"{col}{n}", value)
        return IndicatorRow(n, "产出指标", "数量指标", cells)

    rows = [row(1, "一、示范区建立", *whole)] + [row(2 + i, f"{i + 1}、分项", *p) for i, p in enumerate(parts)]
    table = Table(kind="project", sheet="S", indicators=list(rows))
    _numbered_parts(table)
    assert table.indicators == (rows[1:] if grouped else rows)


def test_a_department_score_sheet_with_the_same_funds_headers_is_not_the_20_80_form():
    """The 2022 部门整体 评分表 (corpus_d2, a form no layout declares yet) heads its funds 预算数 | 执行数 as the
    20 + 80 form does; without that form's title it is not read as a 项目支出 table."""
    data = read_workbook(HERE / "未署名部门_部门整体_2022_部门整体绩效评价指标体系评分表.xlsx")
    assert [t.kind for t in data.tables] == ["department"]
