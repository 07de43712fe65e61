"""selfeval fill: the data layout, wrong rows reported with their Excel row numbers, the rest filled
through the template map, engine values cached so a values-only check reads them."""
from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from selfeval_xl.book.cached import read_cached
from selfeval_xl.checks import check_workbook
from selfeval_xl.cli import main
from selfeval_xl.fill import fill, load_systems
from selfeval_xl.fill.data import DataError, RowProblem
from selfeval_xl.core.data_tables import DEPARTMENT_INDICATORS, INDICATORS, PROJECTS, TABLES, UNITS
from selfeval_xl.read import read_workbook
from selfeval_xl.template.plan import template_map

PROJECT_HEADERS = [c.name for c in PROJECTS.columns]
INDICATOR_HEADERS = [c.name for c in INDICATORS.columns]


def project(name, unit="广州市档案发展中心", budget=100, spent=98, **extra):
    row = {"单位": unit, "项目名称": name, "主管部门": "广州市档案局", "全年预算数": budget, "全年执行数": spent,
           "当年财政拨款": budget, "上年结转资金": 0, "其他资金": 0, "预期目标": "完成年度任务",
           "实际完成情况": "按计划完成"}
    row.update(extra)
    return row


def indicator(project_name, level1, level2, level3, direction, target, actual, weight, **extra):
    row = {"项目": project_name, "一级指标": level1, "二级指标": level2, "三级指标": level3, "指标性质": direction,
           "年度指标值": target, "实际完成值": actual, "分值": weight}
    row.update(extra)
    return row


def full_set(name, unit="广州市档案发展中心"):
    """A project's indicators that score 90 of 90 (产出 50, 效益 30, 满意度 10)."""
    return [
        indicator(name, "产出指标", "数量指标", "展厅正常开放天数", "", "≥150天", "162天", 20),
        indicator(name, "产出指标", "数量指标", "参观人数", "", "1.5万人次", "46845人次", 10,
                  偏差原因="新展开幕带动参观人数增长"),
        indicator(name, "产出指标", "质量指标", "库房温度", "区间", 14, 20, 10, 区间上限=24, 度量单位="℃"),
        indicator(name, "产出指标", "成本指标", "单页加工成本", "≤", 0.45, 0.43, 10, 度量单位="元/页"),
        indicator(name, "效益指标", "社会效益指标", "档案利用水平", "定性", "有效提升", "达成年度指标", 30),
        indicator(name, "满意度指标", "服务对象满意度指标", "观众满意度", "≥", "90%", "99.5%", 10),
    ]


def write_data(path: Path, projects, indicators, units=None, dept=None) -> Path:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for spec, rows in ((PROJECTS, projects), (INDICATORS, indicators), (UNITS, units),
                       (DEPARTMENT_INDICATORS, dept)):
        if rows is None:
            continue
        ws = wb.create_sheet(spec.name)
        headers = [c.name for c in spec.columns]
        ws.append(headers)
        for row in rows:
            ws.append([row.get(h) for h in headers] if row else [])
    wb.save(path)
    return path


@pytest.fixture(scope="module")
def systems():
    return load_systems()


# --------------------------------------------------------------------------- good data

def test_filled_project_reads_back_as_the_data(tmp_path, systems):
    data = write_data(tmp_path / "data.xlsx", [project("档案展厅运营项目")], full_set("档案展厅运营项目"))
    result = fill(data, tmp_path / "out", systems, year=2021)
    assert result.ok and result.problems == []
    [written] = result.written
    assert written.path.name == "广州市档案发展中心-档案展厅运营项目.xlsx"
    table = read_workbook(written.path).tables[0]
    assert table.name == "档案展厅运营项目" and table.year == 2021
    assert table.field_text("department") == "广州市档案局"
    assert table.field_text("implementer") == "广州市档案发展中心"      # blank 实施单位 → the 单位
    rows = {r.level3: r for r in table.rows()}
    # ≥150天 → direction ≥, 150 and the unit apart; 1.5万人次 against 46845人次 → one unit
    assert (rows["展厅正常开放天数"].value("direction"), rows["展厅正常开放天数"].value("target"),
            rows["展厅正常开放天数"].value("unit")) == ("≥", 150, "天")
    assert (rows["参观人数"].value("target"), rows["参观人数"].value("actual")) == (15000, 46845)
    assert rows["库房温度"].value("target_high") == 24
    assert rows["观众满意度"].value("target") == pytest.approx(0.9)       # a percentage as its fraction
    assert rows["观众满意度"].value("actual") == pytest.approx(0.995)
    assert [r.level1 for r in table.rows()] == ["产出指标"] * 4 + ["效益指标", "满意度指标"]
    report = check_workbook(read_workbook(written.path))
    assert report.errors == 0, [f.message for f in report.findings]
    assert report.total == Decimal("99.80") and report.grade == "优"    # 9.8 + 90 (98% executed)


def test_fill_caches_what_the_formulas_compute(tmp_path, systems):
    data = write_data(tmp_path / "data.xlsx", [project("p")], full_set("p"))
    [written] = fill(data, tmp_path / "out", systems).written
    plan = template_map("project", systems["project"])
    cached = read_cached(written.path)[plan.sheet]
    assert cached[plan.total] == (None, "99.8")
    assert cached[plan.grade] == ("str", "优")
    assert cached[plan.funds["total", "score"]] == (None, "9.8")
    scores = [cached.get(plan.cell(r, "score")) for r in plan.indicator_rows]
    assert sum(1 for s in scores if s is not None) == 6


def test_department_workbook_per_unit(tmp_path, systems):
    unit = "广州市档案发展中心"
    units = [{"单位": unit, "基本支出预算数": 339.86, "基本支出决算数": 337.44, "项目支出预算数": 674.54,
              "项目支出决算数": 674.54}]
    dept = [{"单位": unit, "一级指标": "管理效能", "二级指标": "资金管理", "三级指标": "预算完成率", "指标性质": "≥",
             "度量单位": "%", "年度指标值": 100, "实际完成值": 99.76, "分值": 45, "扣分原因": "尾款未付"},
            {"单位": unit, "一级指标": "履职效能", "二级指标": "产出数量", "三级指标": "展厅正常开放", "指标性质": "≥",
             "度量单位": "天", "年度指标值": 150, "实际完成值": 162, "分值": 50},
            {"单位": unit, "一级指标": "加减分项", "二级指标": "加减分项", "三级指标": "获市级表彰", "分值": 5, "得分": 1}]
    data = write_data(tmp_path / "data.xlsx", [project("p")], full_set("p"), units, dept)
    result = fill(data, tmp_path / "out", systems)
    assert result.ok
    department = next(w for w in result.written if w.kind == "department")
    assert department.path.name == f"{unit}-部门整体支出绩效自评表.xlsx"
    table = read_workbook(department.path).tables[0]
    assert table.kind == "department" and table.unit == unit
    assert table.funds["total"].get("budget").value == pytest.approx(1014.4)
    # the department layout has no 度量单位 column: the unit goes with the name
    assert [r.level3 for r in table.rows()] == ["预算完成率", "展厅正常开放（天）"]
    assert [r.value("score") for r in table.rows("bonus")] == [1]
    report = check_workbook(read_workbook(department.path))
    assert report.total == Decimal("95.89")          # 44.89 + 50 + 1


def test_csv_folder_in_utf8_and_gbk(tmp_path, systems):
    rows = {PROJECTS.name: [project("档案数字化项目")], INDICATORS.name: full_set("档案数字化项目")}
    for encoding, folder in (("utf-8-sig", tmp_path / "utf8"), ("gb18030", tmp_path / "gbk")):
        folder.mkdir()
        for spec in (PROJECTS, INDICATORS):
            headers = [c.name for c in spec.columns]
            with open(folder / f"{spec.name}.csv", "w", encoding=encoding, newline="") as handle:
                writer = csv.writer(handle)
                writer.writerow(headers)
                writer.writerows([[r.get(h, "") for h in headers] for r in rows[spec.name]])
        result = fill(folder / "项目.csv", tmp_path / f"out-{encoding}", systems)
        assert result.ok, result.problems
        table = read_workbook(result.written[0].path).tables[0]
        assert {r.level3: r.value("target") for r in table.rows()}["参观人数"] == 15000


# --------------------------------------------------------------------------- wrong rows

def test_numbers_no_cell_can_hold_are_errors_not_blanks(tmp_path, systems):
    """``1e400`` parses, but a cell stores a float: it was written as a blank cell with exit 0."""
    rows = {PROJECTS.name: [project("巨额项目", budget="1e400", 当年财政拨款="1e400"), project("好项目")],
            INDICATORS.name: full_set("巨额项目") + full_set("好项目")}
    rows[INDICATORS.name][0]["分值"] = "1e400"
    folder = tmp_path / "csv"
    folder.mkdir()
    for spec in (PROJECTS, INDICATORS):
        headers = [c.name for c in spec.columns]
        with open(folder / f"{spec.name}.csv", "w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(headers)
            writer.writerows([[r.get(h, "") for h in headers] for r in rows[spec.name]])
    assert main(["fill", str(folder), "-o", str(tmp_path / "out")]) == 1
    result = fill(folder, tmp_path / "again", systems)
    shown = [str(p) for p in result.problems]
    assert any("第2行【全年预算数】" in p and "1e400" in p for p in shown), shown
    assert any("第2行【分值】" in p and "1e400" in p for p in shown), shown
    assert [w.name for w in result.written] == ["好项目"]


def test_wrong_rows_reported_with_excel_row_numbers_and_the_rest_filled(tmp_path, systems):
    projects = [
        project("好项目"),                                   # row 2: fine
        project("无指标项目"),                               # row 3: no indicator rows
        project("重复项目"),                                 # row 4 and 6: duplicates
        project("预算不是数字", budget="一百万", 当年财政拨款=None),  # row 5
        project("重复项目"),                                 # row 6
        None,                                                # row 7: blank, skipped
        project("坏指标项目"),                               # row 8: its indicator is wrong
    ]
    indicators = full_set("好项目") + [                       # rows 2–7
        indicator("坏指标项目", "产出指标", "数量指标", "x", "大约", 10, 10, 50),           # row 8
        indicator("坏指标项目", "效益指标", "社会效益指标", "y", "定性", "提升", "较好", 30),  # row 9
        indicator("不存在的项目", "产出指标", "数量指标", "z", "≥", 1, 1, 10),              # row 10
        indicator("重复项目", "产出指标", "数量指标", "z", "≥", 1, 1, 10),                  # row 11
        indicator("预算不是数字", "产出指标", "数量指标", "z", "≥", 1, 1, 10),              # row 12
        indicator("坏指标项目", "满意度指标", "服务对象满意度指标", "s", "≥", "很多", 95, "十"),  # row 13
    ]
    data = write_data(tmp_path / "data.xlsx", projects, indicators)
    result = fill(data, tmp_path / "out", systems)
    found = {(p.table, p.row, p.column) for p in result.problems}
    assert found == {
        ("项目", 3, ""), ("项目", 4, ""), ("项目", 6, ""), ("项目", 5, "全年预算数"), ("项目", 8, ""),
        ("指标", 8, "指标性质"), ("指标", 9, "实际完成值"), ("指标", 10, "项目"),
        ("指标", 13, "分值"), ("指标", 13, "年度指标值"),
    }
    messages = {(p.table, p.row): p.message for p in result.problems}
    assert "没有指标行" in messages["项目", 3]
    assert "重复" in messages["项目", 4] and "第6行" in messages["项目", 4]
    assert "第8、9、13行" in messages["项目", 8]
    assert "不是数字" in messages["项目", 5]
    assert [w.name for w in result.written] == ["好项目"]
    assert not result.ok
    assert str(RowProblem("指标", 9, "x", "实际完成值")) == "“指标”第9行【实际完成值】：x"


def test_more_indicators_than_template_rows_is_reported(tmp_path, systems):
    capacity = len(template_map("project", systems["project"]).level1_rows["满意度指标"])
    extra = [indicator("p", "满意度指标", "服务对象满意度指标", f"满意度{i}", "≥", 90, 95, 1) for i in range(capacity + 1)]
    data = write_data(tmp_path / "data.xlsx", [project("p"), project("q")], full_set("q") + full_set("p")[:-1] + extra)
    result = fill(data, tmp_path / "out", systems)
    [problem] = result.problems
    first_extra = 1 + len(full_set("q")) + len(full_set("p")) - 1 + capacity + 1
    assert (problem.table, problem.row) == ("指标", first_extra)
    assert "超过模板行数" in problem.message
    assert f"满意度指标 {capacity} 行" in problem.message and "{" not in problem.message
    assert [w.name for w in result.written] == ["q"]


def test_missing_table_or_column_stops_with_every_reason(tmp_path, systems):
    wb = openpyxl.Workbook()
    wb.active.title = "项目"
    wb.active.append(["单位", "项目名称"])
    wb.save(tmp_path / "bad.xlsx")
    with pytest.raises(DataError) as caught:
        fill(tmp_path / "bad.xlsx", tmp_path / "out", systems)
    text = str(caught.value)
    assert "主管部门" in text and "全年预算数" in text and "缺少表“指标”" in text


# --------------------------------------------------------------------------- file names

def test_names_are_safe_unique_and_never_overwrite(tmp_path, systems):
    from selfeval_xl.core.sanitize import HASH_MARK, MAX_NAME_BYTES, file_name

    names = ["办公设备购置（A/B包）", 'a<b>c:d"e|f?g*h\\i', "CON", "x" * 300, "Dup", "dup"]
    projects = [project(n, unit="单位") for n in names]
    indicators = [row for n in names for row in full_set(n)]
    for row in indicators:
        row["单位"] = "单位"
    out = tmp_path / "out"
    out.mkdir()
    existing = out / file_name("单位-办公设备购置（A/B包）", ".xlsx")
    existing.write_bytes(b"not ours")
    data = write_data(tmp_path / "data.xlsx", projects, indicators)
    result = fill(data, out, systems)
    files = [w.path.name for w in result.written]
    assert existing.name.startswith("单位-办公设备购置（A／B包）" + HASH_MARK)
    assert files[0] == file_name("单位-办公设备购置（A/B包）", "（2）.xlsx") and result.written[0].renamed
    assert files[0].startswith("单位-办公设备购置（A／B包）" + HASH_MARK) and files[0].endswith("（2）.xlsx")
    assert files[1].startswith("单位-a＜b＞c：d＂e｜f？g＊h＼i" + HASH_MARK)
    assert files[2] == "单位-CON.xlsx"                     # CON only as a whole name is a device
    assert files[3].startswith("单位-xxx") and len(files[3].encode()) == MAX_NAME_BYTES
    assert {files[4].casefold(), files[5].casefold()} == {"单位-dup.xlsx", "单位-dup（2）.xlsx"}
    assert existing.read_bytes() == b"not ours"
    assert any("已存在" in n for n in result.notes)
    forced = fill(data, out, systems, overwrite=True)
    assert forced.written[0].path == existing and existing.read_bytes() != b"not ours"


# --------------------------------------------------------------------------- the command

def test_cli_exit_status_and_messages(tmp_path, capsys):
    good = write_data(tmp_path / "good.xlsx", [project("p")], full_set("p"))
    bad = write_data(tmp_path / "bad.xlsx", [project("p"), project("q")], full_set("p"))
    assert main(["fill", str(good), "-o", str(tmp_path / "a"), "--year", "2021"]) == 0
    assert "已生成 1 个工作簿" in capsys.readouterr().out
    assert main(["fill", str(bad), "-o", str(tmp_path / "b")]) == 1
    assert "“项目”第3行：该项目没有指标行，未生成" in capsys.readouterr().err
    assert (tmp_path / "b" / "广州市档案发展中心-p.xlsx").exists()
    assert main(["fill", str(tmp_path / "missing.xlsx"), "-o", str(tmp_path / "c")]) == 2


def test_schema_is_documented_in_examples_and_the_examples_fill(tmp_path, systems):
    from selfeval_xl.core.data_tables import markdown

    readme = (Path(__file__).parent.parent / "examples" / "README.md").read_text(encoding="utf-8")
    assert markdown() in readme
    example = Path(__file__).parent.parent / "examples" / "fill-example.xlsx"
    assert {t.name for t in TABLES} <= set(openpyxl.load_workbook(example, read_only=True).sheetnames)
    for data in (example, example.parent / "csv"):
        result = fill(data, tmp_path / data.name, systems, year=2021)
        assert result.ok and len(result.written) == 4, result.problems
        assert all(check_workbook(read_workbook(w.path)).errors == 0 for w in result.written)


def test_an_existing_name_that_differs_only_in_case_is_not_reused(tmp_path):
    from selfeval_xl.fill.names import NamePicker

    (tmp_path / "ABC.xlsx").write_bytes(b"")
    picker = NamePicker(tmp_path)
    assert picker.pick("abc").name == "abc（2）.xlsx"      # Windows would see one file
    assert picker.existed("abc")
    assert NamePicker(tmp_path, overwrite=True).pick("abc").name == "abc.xlsx"


# --------------------------------------------------------------------------- a province's own form

def _output_rows(owner: str, key: str, levels: list[tuple[str, str, int]]) -> list[dict]:
    """One indicator row per (一级, 二级, 分值), all achieved: the table scores its full 分值 (a cost kept
    under its ceiling, anything else above its floor)."""
    def row(l1: str, l2: str, weight: int) -> dict:
        cost = "成本" in l2
        return {key: owner, "一级指标": l1, "二级指标": l2, "三级指标": f"{l2}完成情况", "指标性质": "≤" if cost else "≥",
                "度量单位": "万元" if cost else "%", "年度指标值": 120 if cost else 95,
                "实际完成值": 116 if cost else 98, "分值": weight}
    return [row(*level) for level in levels]


PROVINCE_FORMS = {
    "sichuan-project": [("产出指标", "数量指标", 20), ("产出指标", "质量指标", 20), ("产出指标", "成本指标", 20),
                        ("效益指标", "社会效益指标", 30)],
    "national-2021-project": [("成本指标", "经济成本指标", 10), ("产出指标", "数量指标", 20),
                              ("产出指标", "质量指标", 20), ("效益指标", "社会效益指标", 30),
                              ("满意度指标", "服务对象满意度指标", 10)],
    "department-output": [("产出指标", "数量指标", 25), ("产出指标", "质量指标", 25), ("效益指标", "社会效益指标", 30),
                          ("满意度指标", "服务对象满意度指标", 10)],
}
PROVINCE_FORMS["department-output-ab"] = PROVINCE_FORMS["department-output"]


@pytest.mark.parametrize("form", sorted(PROVINCE_FORMS))
def test_fill_writes_a_provinces_own_form_that_reads_back_clean(tmp_path, form):
    """``fill --layout``: each table in the province's form, read back with that layout and its system,
    scored in full and without a finding (the data are right)."""
    from selfeval_xl.cli import main

    unit = "某县综合行政执法局"
    kind = "department" if form.startswith("department") else "project"
    if kind == "project":
        data = write_data(tmp_path / "data.xlsx", [project("执法装备购置", unit=unit, spent=100)],
                          _output_rows("执法装备购置", "项目", PROVINCE_FORMS[form]))
    else:
        units = [{"单位": unit, "基本支出预算数": 300, "基本支出决算数": 300, "项目支出预算数": 200,
                  "项目支出决算数": 200}]
        data = write_data(tmp_path / "data.xlsx", [project("执法装备购置", unit=unit)],
                          _output_rows("执法装备购置", "项目", PROVINCE_FORMS["national-2021-project"][1:]
                                       + [("产出指标", "时效指标", 10)]), units,
                          _output_rows(unit, "单位", PROVINCE_FORMS[form]))
    assert main(["fill", str(data), "-o", str(tmp_path / "out"), "--layout", form, "--year", "2025"]) == 0
    [written] = [p for p in (tmp_path / "out").glob("*.xlsx") if (kind == "department") == ("部门整体" in p.name)]
    data_read = read_workbook(written)
    [table] = data_read.tables
    assert (table.kind, table.layout, table.unit) == (kind, form, unit)
    report = check_workbook(data_read)
    assert report.findings == [] and report.total == Decimal(100)


def test_fill_takes_one_layout_per_kind(tmp_path, capsys):
    from selfeval_xl.cli import main

    data = write_data(tmp_path / "data.xlsx", [project("p")], full_set("p"))
    assert main(["fill", str(data), "-o", str(tmp_path / "out"), "--layout", "sichuan-project",
                 "--layout", "national-2021-project"]) == 2
    assert "两个同类表格" in capsys.readouterr().err and not (tmp_path / "out").exists()
