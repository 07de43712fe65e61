"""指标质量 (issue 24): each rule fires on its case and not on the case written right, end to end on real
.xlsx filled from data; across 单位 over a folder; year over year on two demo years; a bureau's own pack
changing a threshold, a severity, or turning a rule off, without code.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from selfeval_xl.cli import main
from selfeval_xl.demo.data import PLANTED, DemoData, generate, previous_year, write_xlsx
from selfeval_xl.fill import fill
from selfeval_xl.checks.quality.across import Across
from selfeval_xl.checks.registry import ACROSS
from selfeval_xl.checks.quality.digest import IndicatorDigest, TableDigest
from selfeval_xl.checks.quality.pack import default_pack, load_pack
from selfeval_xl.checks.quality.store import stored
from selfeval_xl.checks.quality.yoy import YEAR_OVER_YEAR

OUT, EFFECT, SAT = "产出指标", "效益指标", "满意度指标"
GOAL = "完成全市档案数字化加工任务，提升档案利用服务水平"
SURVEYED = "全面完成年度任务；经问卷调查，服务对象总体满意"


def _row(level1, level2, name, direction, unit, target, actual, weight, reason=None):
    return {"一级指标": level1, "二级指标": level2, "三级指标": name, "指标性质": direction, "度量单位": unit,
            "年度指标值": target, "区间上限": None, "实际完成值": actual, "分值": weight, "偏差原因": reason}


BAD = {   # rule → the indicator row that breaks it (the name its finding names)
    "vague-target": _row(OUT, "数量指标", "培训覆盖面", "定性", "", "有效提升", "达成年度指标", 10),
    "cost-with-floor": _row(OUT, "数量指标", "人均培训成本", "≥", "元", 400, 410, 10),
    "time-without-date": _row(OUT, "时效指标", "资金拨付及时性", "定性", "", "及时", "达成年度指标", 10),
    "quantity-without-unit": _row(OUT, "质量指标", "培训人员", "≥", "", 500, 520, 5),
    "far-over-target": _row(OUT, "数量指标", "参观人数", "≥", "人次", 1000, 2000, 5, "新展开幕，参观人数大幅增长"),
    "benefit-restates-output": _row(EFFECT, "社会效益指标", "举办培训班次", "≥", "期", 10, 11, 10),
    "indicator-copies-goal": _row(EFFECT, "社会效益指标", "提升档案利用服务水平", "定性", "", "有效提升", "达成年度指标", 10),
    "routine-management": _row(EFFECT, "社会效益指标", "资金使用合规性", "定性", "", "合规", "达成年度指标", 10),
    "satisfaction-without-survey": _row(SAT, "服务对象满意度指标", "服务对象满意度", "≥", "%", 90, 95, 10),
}
GOOD = {  # the same rows written as a reviewer wants them
    "vague-target": _row(OUT, "数量指标", "培训覆盖人次", "≥", "人次", 800, 850, 10),
    "cost-with-floor": _row(OUT, "数量指标", "人均培训成本", "≤", "元", 400, 380, 10),
    "time-without-date": _row(OUT, "时效指标", "资金拨付时限", "≤", "工作日", 30, 25, 10),
    "quantity-without-unit": _row(OUT, "质量指标", "培训人员", "≥", "人", 500, 520, 5),
    "far-over-target": _row(OUT, "数量指标", "参观人数", "≥", "人次", 1000, 1200, 5),
    "benefit-restates-output": _row(EFFECT, "社会效益指标", "参训人员考核合格率", "≥", "%", 90, 95, 10),
    "indicator-copies-goal": _row(EFFECT, "社会效益指标", "档案在线查阅量", "≥", "万人次", 5, 5.5, 10),
    "routine-management": _row(EFFECT, "社会效益指标", "群众档案意识", "定性", "", "明显增强", "达成年度指标", 10),
    "satisfaction-without-survey": _row(SAT, "服务对象满意度指标", "服务对象满意度", "≥", "%", 90, 95, 10),
}
OUTPUT = _row(OUT, "数量指标", "举办培训班", "≥", "期", 10, 11, 10)       # the 产出 the bad 效益 restates
COST_LEVEL = _row(OUT, "成本指标", "设备采购成本", "≥", "万元", 17.4, 18, 0)   # the system's own cost level
PER_TABLE = sorted(BAD)


def _project(unit: str, name: str, rows: list[dict], achieved: str, budget: float = 100.0) -> tuple[dict, list]:
    project = {"单位": unit, "项目名称": name, "主管部门": "某某局", "实施单位": unit, "年初预算数": budget,
               "全年预算数": budget, "全年执行数": budget, "当年财政拨款": budget, "上年结转资金": 0, "其他资金": 0,
               "预期目标": GOAL, "实际完成情况": achieved}
    return project, [{**r, "项目": name, "单位": unit} for r in rows]


def _filled(tmp_path: Path, projects: list[tuple[dict, list]], name: str = "data") -> Path:
    data = DemoData({"项目": [p for p, _ in projects], "指标": [r for _, rows in projects for r in rows],
                     "单位": [], "部门指标": []})
    source = tmp_path / f"{name}.xlsx"
    write_xlsx(data, source)
    result = fill(source, tmp_path / name, year=2021)
    assert not result.problems, result.problems
    return tmp_path / name


def _check(tmp_path: Path, *args: str) -> list[dict]:
    out = tmp_path / "found.json"
    if out.exists():
        out.unlink()
    assert main(["check", *args, "--json", str(out), "-j", "1", "-q"]) in (0, 1)
    return [dict(x, file=Path(f["path"]).name) for f in json.loads(out.read_text(encoding="utf-8"))["files"]
            for x in f["findings"]]


@pytest.fixture(scope="module")
def tables(tmp_path_factory):
    """One project with every per-table quality problem, one with each written right."""
    tmp = tmp_path_factory.mktemp("quality")
    bad = [OUTPUT, COST_LEVEL] + [BAD[code] for code in PER_TABLE]
    good = [OUTPUT] + [GOOD[code] for code in PER_TABLE]
    folder = _filled(tmp, [_project("甲单位", "问题项目", bad, "全面完成年度任务"),
                           _project("乙单位", "规范项目", good, SURVEYED)])
    return tmp, folder


ON = "rules:\n  satisfaction-without-survey: {severity: warning}\n"
"""The rules packaged off (a review firm's 口径, not a rule of the forms) turned on, as a bureau would."""


@pytest.fixture(scope="module")
def found(tables):
    tmp, folder = tables
    (tmp / "on.yaml").write_text(ON, encoding="utf-8")
    return _check(tmp, str(folder), "--quality", str(tmp / "on.yaml"))


def test_satisfaction_without_survey_is_off_unless_a_bureau_turns_it_on(tables, tmp_path, monkeypatch):
    """Most correct tables have no cell for the survey: packaged off, so a default check is silent."""
    tmp, folder = tables
    assert default_pack().rule("satisfaction-without-survey").severity == "off"
    assert "satisfaction-without-survey" not in {f["code"] for f in _check(tmp_path, str(folder))}
    bare = tmp_path / "bare.yaml"                     # YAML reads a bare off as false: still off
    bare.write_text("rules:\n  vague-target: {severity: off}\n", encoding="utf-8")
    assert "vague-target" not in {f["code"] for f in _check(tmp_path, str(folder), "--quality", str(bare))}


@pytest.mark.parametrize("code", PER_TABLE)
def test_each_rule_fires_on_its_case_at_its_cell_citing_its_source(found, code):
    name = BAD[code]["三级指标"]
    hits = [f for f in found if f["code"] == code and "问题项目" in f["file"]]
    assert len(hits) == 1, (code, hits)
    f = hits[0]
    assert f["severity"] == "warning" and f["cell"] and f["sheet"]
    assert f"“{name}”" in f["message"] and "（依据：" in f["message"]
    assert default_pack().rule(code).source in f["message"]


@pytest.mark.parametrize("code", PER_TABLE)
def test_no_rule_fires_on_the_table_written_right(found, code):
    assert not [f for f in found if f["code"] == code and "规范项目" in f["file"]]


def test_a_cost_level_written_as_a_floor_is_reported_once_by_the_systems_own_check(found):
    """Under a 二级 the indicator system names a cost level, ``cost-direction`` reports the ≥; the
    quality rule covers the costs it cannot see (a 成本 named under 数量, a 不低于 in the text)."""
    at_cost_level = [f for f in found if "问题项目" in f["file"] and "设备采购成本" in f["message"]]
    assert [f["code"] for f in at_cost_level] == ["cost-direction"]


def test_the_quality_findings_point_at_the_rows_they_name(found, tables):
    from openpyxl import load_workbook

    tmp, folder = tables
    path = next(folder.glob("*问题项目*.xlsx"))
    ws = load_workbook(path, read_only=False)[next(f["sheet"] for f in found if "问题项目" in f["file"])]
    for f in found:
        if f["code"] in BAD and "问题项目" in f["file"]:
            row = int("".join(ch for ch in f["cell"] if ch.isdigit()))
            texts = [str(c.value) for c in ws[row] if c.value is not None]
            assert any(BAD[f["code"]]["三级指标"] in t for t in texts), (f["code"], f["cell"], texts)


def test_a_bureaus_own_pack_changes_a_threshold_a_severity_and_turns_a_rule_off(tables, tmp_path, monkeypatch):
    _, folder = tables
    own = tmp_path / "本局规则.yaml"
    own.write_text("rules:\n"
                   "  far-over-target: {params: {ratio: 2.5}, source: '地方做法：本局口径 250%'}\n"
                   "  cost-with-floor: {severity: error}\n"
                   "  routine-management: {severity: 'off'}\n", encoding="utf-8")
    found = _check(tmp_path, str(folder), "--quality", str(own))
    codes = {f["code"]: f for f in found if "问题项目" in f["file"]}
    assert "far-over-target" not in codes           # 200% is below the bureau's 250%
    assert "routine-management" not in codes
    assert codes["cost-with-floor"]["severity"] == "error"
    assert "vague-target" in codes                  # what the file does not restate stays as packaged
    lower = tmp_path / "低阈值.yaml"
    lower.write_text("rules:\n  far-over-target: {params: {ratio: 1.1}}\n", encoding="utf-8")
    again = _check(tmp_path, str(folder), "--quality", str(lower))
    assert [f for f in again if f["code"] == "far-over-target" and "规范项目" in f["file"]]   # 120% ≥ 110%


@pytest.mark.parametrize("text, problem", [
    ("rules:\n  no-such-rule: {severity: warning}\n", "no-such-rule"),
    ("rules:\n  far-over-target: {params: {ratoi: 2}}\n", "ratoi"),
    ("rules:\n  far-over-target: {params: {ratio: '高'}}\n", "ratio"),
    ("rules:\n  far-over-target: {severity: fatal}\n", "fatal"),
])
def test_a_wrong_pack_is_a_usage_error_naming_the_problem(tables, tmp_path, text, problem, monkeypatch, capsys):
    own = tmp_path / "wrong.yaml"
    own.write_text(text, encoding="utf-8")
    assert main(["check", str(tables[1]), "--quality", str(own), "-j", "1"]) == 2
    assert problem in capsys.readouterr().err


def test_every_rule_of_the_pack_is_a_documented_check_with_a_source():
    from selfeval_xl.catalogue import UNITS
    from selfeval_xl.checks.registry import ACROSS, TABLE

    registered = {c.code for c in TABLE + ACROSS}
    documented = {u.code for u in UNITS if u.text.get("explain")}
    for code, rule in default_pack().rules.items():
        assert code in registered and code in documented, code
        assert rule.source and rule.title and "{" in rule.wording
    assert load_pack() is default_pack()


# --------------------------------------------------------------------------- across 单位


SHARED = _row(OUT, "数量指标", "完成市委市政府交办的档案专项任务", "≥", "项", 3, 3, 10)
COPIED = "经问卷调查，服务对象满意度达96%，群众对项目实施效果普遍认可"


def _full(name: str, extra: list[dict] = ()) -> list[dict]:
    rows = [_row(OUT, "数量指标", f"{name}完成量", "≥", "件", 100, 105, 25),
            _row(OUT, "质量指标", "验收合格率", "≥", "%", 95, 98, 25), *extra,
            _row(EFFECT, "社会效益指标", f"{name}服务人次", "≥", "人次", 1000, 1100, 30),
            _row(SAT, "服务对象满意度指标", "服务对象满意度", "≥", "%", 90, 96, 10)]
    return rows


def test_across_units_over_a_folder(tmp_path):
    """甲 and 乙 share one long indicator word for word and one 满意度 text; 甲's three projects are all
    self-scored full; 丙 shares only short, common names; 乙 has a project that lost points."""
    satisfied = _row(SAT, "服务对象满意度指标", "服务对象满意度", "≥", "%", 90, 96, 10, COPIED)

    def rows(name, shared=False, copied=False, missed=False):
        out = _full(name)
        if shared:
            out[0] = {**SHARED, "分值": 25}
        if copied:
            out[-1] = satisfied
        if missed:
            out[1] = _row(OUT, "质量指标", "验收合格率", "≥", "%", 95, 90, 25, "个别批次返工")
        return out

    folder = _filled(tmp_path, [
        _project("甲单位", "甲项目一", rows("甲一", shared=True, copied=True), SURVEYED),
        _project("甲单位", "甲项目二", rows("甲二"), SURVEYED),
        _project("甲单位", "甲项目三", rows("甲三"), SURVEYED),
        _project("乙单位", "乙项目一", rows("乙一", shared=True, copied=True), SURVEYED),
        _project("乙单位", "乙项目二", rows("乙二", missed=True), SURVEYED),
        _project("乙单位", "乙项目三", rows("乙三"), SURVEYED),
        _project("丙单位", "丙项目一", rows("丙一"), SURVEYED),
    ])
    found = _check(tmp_path, str(folder))
    by = {}
    for f in found:
        by.setdefault(f["code"], set()).add(f["file"])
    assert by.get("wording-shared-across-units") == {"甲单位-甲项目一.xlsx", "乙单位-乙项目一.xlsx"}
    assert by.get("satisfaction-copied-across-units") == {"甲单位-甲项目一.xlsx", "乙单位-乙项目一.xlsx"}
    assert by.get("all-full-score") == {"甲单位-甲项目一.xlsx", "甲单位-甲项目二.xlsx", "甲单位-甲项目三.xlsx"}
    shared = next(f for f in found if f["code"] == "wording-shared-across-units" and "甲" in f["file"])
    assert "乙单位" in shared["message"] and "乙单位-乙项目一.xlsx" in shared["message"]
    full = next(f for f in found if f["code"] == "all-full-score")
    assert "3 个项目（共 3 个）" in full["message"] and full["cell"]


def test_one_project_sent_three_times_is_one_project_not_a_unit_all_full(tmp_path):
    """A copy or a resubmission of one full-score project is not three projects (min_projects 3)."""
    import shutil

    folder = _filled(tmp_path, [_project("甲单位", "甲项目一", _full("甲一"), SURVEYED)])
    [one] = folder.glob("*.xlsx")
    for n in (2, 3):
        shutil.copyfile(one, folder / f"{one.stem}（{n}）.xlsx")
    assert "all-full-score" not in {f["code"] for f in _check(tmp_path, str(folder))}


# --------------------------------------------------------------------------- year over year


@pytest.fixture(scope="module")
def two_years(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("years")
    data = generate()
    folders = {}
    for year, tables in ((2021, data), (2020, previous_year(data))):
        write_xlsx(tables, tmp / f"{year}.xlsx")
        fill(tmp / f"{year}.xlsx", tmp / str(year), year=year)
        folders[year] = tmp / str(year)
    return tmp, folders


YOY = YEAR_OVER_YEAR


def test_previous_finds_each_planted_lowered_target_and_nothing_else(two_years):
    tmp, folders = two_years
    without = _check(tmp, str(folders[2021]))
    found = _check(tmp, str(folders[2021]), "--previous", str(folders[2020]))
    yoy = [f for f in found if f["code"] in YOY]
    lowered = [p for p in PLANTED if p.against_previous]       # the demo's plants, as data
    assert len(lowered) == 2
    assert sorted((f["code"], f["file"]) for f in yoy) == sorted(
        (code, f"{p.unit}-{p.project}.xlsx") for p in lowered for code in p.expect)
    for p in lowered:
        indicator, last_target = p.value
        hit = next(f for f in yoy if f["file"] == f"{p.unit}-{p.project}.xlsx")
        assert f"“{indicator}”" in hit["message"] and f"{last_target:g}" in hit["message"]
    assert all("（依据：" in f["message"] and "上年" in f["message"] for f in yoy)
    assert {(f["file"], f["cell"], f["code"]) for f in found} - {(f["file"], f["cell"], f["code"]) for f in yoy} \
        == {(f["file"], f["cell"], f["code"]) for f in without}          # without --previous, nothing changes
    assert not [f for f in without if f["code"] in YOY]


def _years_sheet(path: Path) -> list[dict] | None:
    """summary.xlsx's 上年对比 rows as {header: value}, with each row's link; None without the sheet."""
    import openpyxl

    from selfeval_xl.report.summary_workbook import YEARS

    wb = openpyxl.load_workbook(path)
    if YEARS not in wb.sheetnames:
        return None
    ws = wb[YEARS]
    header = [c.value for c in ws[3]]
    rows = []
    for row in ws.iter_rows(min_row=4):
        rows.append({**{h: c.value for h, c in zip(header, row)}, "link": row[-1].hyperlink})
    assert ws.page_setup.paperSize == 9 and ws.page_setup.orientation == "landscape"
    return rows


def test_summary_with_previous_lists_the_planted_lowered_targets_and_without_it_has_no_such_sheet(two_years):
    tmp, folders = two_years
    assert main(["summary", str(folders[2021]), "-o", str(tmp / "plain.xlsx"), "-j", "1"]) == 1
    assert _years_sheet(tmp / "plain.xlsx") is None
    assert main(["summary", str(folders[2021]), "-o", str(tmp / "years.xlsx"), "-j", "1",
                 "--previous", str(folders[2020])]) == 1
    rows = _years_sheet(tmp / "years.xlsx")
    lowered = [p for p in PLANTED if p.against_previous]
    assert sorted((r["单位"], r["项目 / 部门"], r["指标"]) for r in rows) == sorted(
        (p.unit, p.project, p.value[0]) for p in lowered)
    now = {(r["单位"], r["项目"], r["三级指标"]): r["年度指标值"] for r in generate().tables["指标"]}
    for r in rows:
        p = next(p for p in lowered if p.project == r["项目 / 部门"])
        assert r["变化"] == "指标值比上年调低" and "调低" in r["说明"] and "（依据：" in r["说明"]
        assert (r["上年"], r["今年"]) == (f"{p.value[1]}", f"{now[p.unit, p.project, p.value[0]]}")
        assert r["文件"] == f"{p.unit}-{p.project}.xlsx" and r["单元格"].endswith("!F12")
        assert r["link"].target.endswith(f"2021/{r['文件']}") and r["link"].location == r["单元格"]


def test_the_years_sheet_gives_each_kind_of_change_both_years_figures(two_years, tmp_path):
    """Last year's 档案展厅运营项目 missed 展厅正常开放天数 at a higher 分值 and had a missed 举办专题展览 it
    dropped; the 部门整体 参观人数 ran far above the same target both years: each row says what it was
    and what it is."""
    tmp, folders = two_years
    last = previous_year(generate())
    rows = last.tables["指标"]
    hall = next(r for r in rows if r["项目"] == "档案展厅运营项目" and r["三级指标"] == "展厅正常开放天数")
    hall.update({"分值": 26, "实际完成值": 120, "偏差原因": "展厅改造闭馆一个月"})
    rows.insert(rows.index(hall) + 1, {**hall, "三级指标": "举办专题展览", "度量单位": "个", "年度指标值": 6,
                                       "实际完成值": 4, "分值": 4, "偏差原因": "策展人员不足"})
    next(r for r in last.tables["部门指标"] if r["三级指标"] == "参观人数")["实际完成值"] = 41200
    write_xlsx(last, tmp_path / "2020.xlsx")
    assert not fill(tmp_path / "2020.xlsx", tmp_path / "2020", year=2020).problems
    assert main(["summary", str(folders[2021]), "-o", str(tmp_path / "years.xlsx"), "-j", "1",
                 "--previous", str(tmp_path / "2020")]) == 1
    got = {(r["指标"], r["变化"]): (r["上年"], r["今年"]) for r in _years_sheet(tmp_path / "years.xlsx")}
    assert got[("展厅正常开放天数", "上年失分指标的分值被调低")] == ("分值 26，得分 {:g}".format(26 * 120 / 150), "分值 20")
    assert got[("举办专题展览", "上年未完成的指标今年不再设置")] == ("指标值 6，完成 4（67%）", "（已删去）")
    assert got[("参观人数（人次）", "指标值未调整，完成值连续远超")] == ("指标值 15000，完成 41200（275%）",
                                                                "指标值 15000，完成 46845（312%）")
    assert len([k for k in got if k[1] == "指标值比上年调低"]) == 2


def _indicator(name, target, actual, weight, score, family="产出", direction="≥", unit="件"):
    return IndicatorDigest(f"{family}指标", "数量指标", name, "D10", "F10", "H10", "I10", f"{direction}{target}", unit,
                           direction, target, actual, weight, score, "")


def _table(file, indicators, name="档案征集项目", budget=100.0):
    return stored(TableDigest(file, "自评表", "project", "甲单位", name, budget, "J20", tuple(indicators)))


@pytest.mark.parametrize("previous, current, code", [
    # lost points last year and gone this year
    ([_indicator("征集档案资料", 1200, 1020, 10, 8.5)], [_indicator("举办展览", 5, 5, 10, 10)], "indicator-dropped"),
    # lost points last year, weight lowered this year
    ([_indicator("征集档案资料", 1200, 1020, 10, 8.5)], [_indicator("征集档案资料", 1200, 1250, 4, 4)], "weight-moved"),
    # the same target, far above it both years
    ([_indicator("参观人数", 15000, 41200, 10, 10)], [_indicator("参观人数", 15000, 46845, 10, 10)], "far-over-again"),
    # a 反向 target raised (a cost allowed to grow)
    ([_indicator("单页加工成本", 0.45, 0.4, 10, 10, direction="≤")],
     [_indicator("单页加工成本", 0.6, 0.5, 10, 10, direction="≤")], "target-lowered"),
])
def test_each_year_over_year_rule_fires_on_its_case_only(previous, current, code):
    with Across(ACROSS) as across:
        across.add([_table("今年.xlsx", current, "档案征集服务项目", 105.0)])     # a name drifted between years
        across.add_previous([_table("上年.xlsx", previous)])
        found = [f for f in across.findings() if f.code in YOY]
    assert [f.code for f in found] == [code] and found[0].file == "今年.xlsx"


@pytest.mark.parametrize("previous, current", [
    ([_indicator("征集档案资料", 1200, 1250, 10, 10)], [_indicator("举办展览", 5, 5, 10, 10)]),     # dropped, but met
    ([_indicator("征集档案资料", 1200, 1250, 10, 10)], [_indicator("征集档案资料", 1200, 1250, 4, 4)]),  # moved, but met
    ([_indicator("参观人数", 15000, 15800, 10, 10)], [_indicator("参观人数", 15000, 46845, 10, 10)]),   # far only now
    ([_indicator("参观人数", 15000, 41200, 10, 10)], [_indicator("参观人数", 45000, 46845, 10, 10)]),   # target raised
    ([_indicator("征集档案资料", 1200, 1020, 10, 8.5, unit="件")],
     [_indicator("征集档案资料", 1000, 1020, 10, 10, unit="卷")]),                                  # another unit
])
def test_no_year_over_year_rule_fires_where_nothing_went_backwards(previous, current):
    with Across(ACROSS) as across:
        across.add([_table("今年.xlsx", current)])
        across.add_previous([_table("上年.xlsx", previous)])
        assert not [f for f in across.findings() if f.code in YOY]


def test_projects_of_other_units_or_other_names_are_not_matched():
    with Across(ACROSS) as across:
        across.add([_table("今年.xlsx", [_indicator("征集档案资料", 1000, 1020, 10, 10)], "城市道路保洁项目")])
        across.add_previous([_table("上年.xlsx", [_indicator("征集档案资料", 1200, 1250, 10, 10)])])
        assert not [f for f in across.findings() if f.code in YOY]


@pytest.mark.parametrize("target, has", [
    ("43.2", False), ("４３．２", False), ("＞＝５００", False), ("1，200", False),   # figures, in either width
    ("≥９５％", True), ("５００人", True), ("≥95%", True), ("500册", True),
])
def test_a_full_width_figure_states_no_unit(target, has):
    """An accountant's IME types ４３．２: the full-width point is no unit (it hid quantity-without-unit)."""
    from selfeval_xl.checks.quality.indicators import _has_unit
    from selfeval_xl.core.model import Cell

    assert _has_unit(Cell("自评表", "E14", target)) is has
