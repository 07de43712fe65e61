"""Reading: real .xls exports, our templates, hand-typed copies, grids from elsewhere, and bad files."""
from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from check_workbooks import build_department, build_project
from selfeval_xl.checks import check_workbook
from selfeval_xl.read import Grid, read_grids, read_workbook

from conftest import SAMPLES

needs_samples = pytest.mark.samples   # skipped without the samples locally, failed in CI (conftest)


@needs_samples
def test_blank_export_is_read_and_reported_cell_by_cell():
    data = read_workbook(SAMPLES / "项目库导出_空白自评表.xls")
    assert data.problems == [] and data.format == "xls"
    [table] = data.tables
    assert table.kind == "project" and table.sheet == "项目支出绩效自评表" and table.year == 2019
    assert table.field_text("project_name") == "2019年210青少年校园足球扶持资金"
    assert table.total.ref == "I10" and table.total.value == "0"
    report = check_workbook(data)
    assert not any(f.code == "unreadable" for f in report.findings)
    cells = {(f.code, f.cell) for f in report.findings}
    assert ("required-blank", "F6") in cells and ("required-blank", "G6") in cells   # no 年度资金总额 row
    assert {f.code for f in report.findings if f.code == "level-missing"} == {"level-missing"}


@needs_samples
def test_filled_export_reports_each_missing_cell():
    data = read_workbook(SAMPLES / "项目库导出_已填指标.xls")
    [table] = data.tables
    rows = table.rows()
    assert [r.level3 for r in rows] == ["成本节约率", "在校园普及足球运动技术", "媒体播出满意度"]
    assert rows[0].value("weight") == "0.0"
    report = check_workbook(data)
    cells = {(f.code, f.cell) for f in report.findings}
    for ref in ("G11", "G12", "G13"):
        assert ("required-blank", ref) in cells                 # 实际完成值 blank
    assert ("total-weight-not-100", "H14") in cells
    assert ("unknown-level", "C13") in cells                    # 校园用户满意度
    assert all(f.sheet == "项目支出绩效自评表" and f.cell for f in report.findings)


def test_own_copy_shifted_merged_text_numbers(tmp_path):
    built = build_project(tmp_path / "own.xlsx", top=7, left=3, text_numbers=True, blank_rows=True)
    [table] = read_workbook(built.path).tables
    assert table.funds["total"].get("budget").value == "1,014.40"
    assert table.funds["total"].get("rate").value == "99.76%"
    rows = table.rows()
    assert len(rows) == 7 and rows[1].level1 == "产出指标" and rows[1].level2 == "数量指标"  # filled down
    assert rows[0].get("score").ref == built.ref(("ind", 0, "score"))
    assert table.total.ref == built.ref("total") and table.grade.ref == built.ref("grade")


def test_amounts_in_yuan_are_recognised(tmp_path):
    built = build_project(tmp_path / "yuan.xlsx", unit_label="项目资金（元）")
    [table] = read_workbook(built.path).tables
    assert table.amount_unit == "元"


def test_several_tables_and_other_sheets(tmp_path):
    from openpyxl import load_workbook

    project = build_project(tmp_path / "p.xlsx", extra_sheets=3)
    dept = build_department(tmp_path / "d.xlsx")
    wb = load_workbook(project.path)
    other = load_workbook(dept.path).active
    copy = wb.create_sheet("部门表")
    for row in other.iter_rows():
        for cell in row:
            copy[cell.coordinate] = cell.value
    wb.save(tmp_path / "both.xlsx")
    data = read_workbook(tmp_path / "both.xlsx")
    assert [(t.kind, t.sheet) for t in data.tables] == [("project", "自评表"), ("department", "部门表")]


def test_template_workbooks_are_found_and_marked(tmp_path):
    from selfeval_xl.template.writer import build_template, save_workbook

    for kind in ("project", "department"):
        path = save_workbook(build_template(kind, year=2021), tmp_path / f"{kind}.xlsx")
        data = read_workbook(path)
        [table] = data.tables
        assert table.kind == kind and table.from_template and table.year == 2021
        assert data.meta["kind"] == kind and data.defined_names
        assert table.total is not None and table.total.formula      # formulas read from the XML
        assert table.grade is not None


def test_read_grids_from_elsewhere():
    rows = [["项目支出绩效自评表（2021年度）"], ["项目名称", None, "测试项目"], ["主管部门", None, "某局"],
            ["项目资金（万元）", None, "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"],
            ["年度资金总额", None, 100, 100, 90, 10, 0.9, 9],
            ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施"],
            ["产出指标", "数量指标", "培训人次", "≥100人次", "100人次", 90, 90, None],
            ["总分", None, None, None, None, 100, 99]]
    grid = Grid("Sheet1", rows, formulas={(6, 6): "=SE_IND_SCORE(D7,E7,F7,\"≥\")"}, merged=[(0, 0, 0, 7)])
    data = read_grids([grid], "live.xlsx", {"SE_TOTAL": "'Sheet1'!$G$8"})
    [table] = data.tables
    assert table.rows()[0].get("score").formula.startswith("=SE_IND_SCORE")
    assert table.total.ref == "G8" and table.total.value == 99
    assert data.path == "live.xlsx"


def _bad_files(folder: Path) -> dict[str, Path]:
    folder.mkdir()
    files = {}
    files["corrupt"] = folder / "损坏.xlsx"
    files["corrupt"].write_bytes(b"PK\x03\x04" + b"\x00garbage" * 50)
    files["text"] = folder / "不是表格.xlsx"
    files["text"].write_text("这不是工作簿", encoding="utf-8")
    files["html"] = folder / "网页.xls"
    files["html"].write_text("<html><body><table><tr><td>1</td></tr></table></body></html>")
    files["broken_xls"] = folder / "坏的.xls"
    files["broken_xls"].write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    files["wps"] = folder / "wps.et"
    files["wps"].write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x01" * 1000)
    files["encrypted"] = folder / "加密.xlsx"
    files["encrypted"].write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100
                                   + "EncryptionInfo".encode("utf-16-le") + b"\x00" * 400)
    files["empty_file"] = folder / "空文件.xlsx"
    files["empty_file"].write_bytes(b"")
    from openpyxl import Workbook
    files["empty_book"] = folder / "空工作簿.xlsx"
    Workbook().save(files["empty_book"])
    files["bomb"] = folder / "炸弹.xlsx"
    _xml_bomb(files["empty_book"], files["bomb"])
    files["not_a_book_zip"] = folder / "压缩包.xlsx"
    with zipfile.ZipFile(files["not_a_book_zip"], "w") as z:
        z.writestr("readme.txt", "hello")
    return files


def _xml_bomb(source: Path, target: Path) -> None:
    lol = "".join(f'<!ENTITY l{i} "{"".join(f"&l{i - 1};" for _ in range(10))}">' for i in range(1, 10))
    bomb = ('<?xml version="1.0"?><!DOCTYPE w [<!ENTITY l0 "lol">' + lol + ']>'
            '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
            '<row r="1"><c r="A1" t="inlineStr"><is><t>&l9;</t></is></c></row></sheetData></worksheet>')
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w") as zout:
        for name in zin.namelist():
            zout.writestr(name, bomb if name.endswith("sheet1.xml") else zin.read(name))


def test_bad_files_are_unreadable_not_crashes(tmp_path):
    files = _bad_files(tmp_path / "bad")
    for name, path in files.items():
        before = path.read_bytes()
        data = read_workbook(path)
        assert [p[0] for p in data.problems] == ["unreadable"], (name, data.problems)
        assert data.problems[0][1], name
        assert path.read_bytes() == before                      # never modified
    assert "密码" in read_workbook(files["encrypted"]).problems[0][1]
    assert "空" in read_workbook(files["empty_book"]).problems[0][1]


def test_million_row_sheet_is_capped_and_said(tmp_path):
    path = tmp_path / "huge.xlsx"
    build_project(path)
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    sheet = next(n for n in parts if n.startswith("xl/worksheets/sheet"))
    xml = parts[sheet].decode()
    extra = "".join(f'<row r="{r}"><c r="A{r}"><v>{r}</v></c></row>' for r in range(100, 1_000_001))
    parts[sheet] = xml.replace("</sheetData>", extra + "</sheetData>").encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, blob in parts.items():
            z.writestr(name, blob)
    report = check_workbook(read_workbook(path))
    codes = [f.code for f in report.findings]
    assert codes == ["sheet-truncated"], codes                  # the table above is still read and checked


def test_shared_formulas_are_seen_in_every_cell(tmp_path):
    """Excel writes a column of like formulas as one shared formula: every follower counts."""
    built = build_project(tmp_path / "shared.xlsx")
    rows = [built.cells[("ind", i, "score")] for i in range(7)]
    refs = [built.ref(("ind", i, "score")) for i in range(7)]
    with zipfile.ZipFile(built.path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    sheet = next(n for n in parts if n.startswith("xl/worksheets/sheet"))
    xml = parts[sheet].decode()
    for i, ref in enumerate(refs):
        f = (f'<f t="shared" ref="{refs[0]}:{refs[-1]}" si="0">ROUND(F{rows[0][0]}*1,2)</f>' if i == 0
             else '<f t="shared" si="0"/>')
        xml = xml.replace(f'<c r="{ref}" t="n"><v>', f'<c r="{ref}" t="n">{f}<v>')
    parts[sheet] = xml.encode()
    with zipfile.ZipFile(built.path, "w") as z:
        for name, blob in parts.items():
            z.writestr(name, blob)
    [table] = read_workbook(built.path).tables
    assert all(r.get("score").formula == f"=ROUND(F{rows[0][0]}*1,2)" for r in table.rows())


def test_a_really_encrypted_workbook_says_password(tmp_path):
    ooxml = pytest.importorskip("msoffcrypto.format.ooxml")
    built = build_project(tmp_path / "plain.xlsx")
    with built.path.open("rb") as plain, (tmp_path / "加密.xlsx").open("wb") as out:
        ooxml.OOXMLFile(plain).encrypt("secret", out)
    [(code, message, _)] = read_workbook(tmp_path / "加密.xlsx").problems
    assert code == "unreadable" and "密码" in message


def test_any_grid_is_read_and_checked_without_raising():
    """Labels, numbers, words and blanks in any arrangement: tables or not, never an exception."""
    from hypothesis import given, settings, strategies as st

    from selfeval_xl.read.locate import labels_for

    words = sorted({w for kind in ("project", "department") for w in (
        *labels_for(kind).indicator_columns, *labels_for(kind).funds_columns, *labels_for(kind).funds_rows,
        *labels_for(kind).fields, *labels_for(kind).total, *labels_for(kind).grade)})
    words += ["项目支出绩效自评表（2021年度）", "部门整体支出绩效自评表", "产出指标", "管理效能小计", "加减分项",
              "达成年度指标", "≥150天", "1,011.98", "95%", "—", "=SUM(A1)", "小计"]
    value = st.one_of(st.none(), st.sampled_from(words), st.integers(-5, 200), st.floats(allow_nan=True),
                      st.text(max_size=5))
    grid = st.lists(st.lists(value, max_size=10), max_size=25)

    @settings(max_examples=150, deadline=None)
    @given(grid, st.lists(st.tuples(st.integers(0, 24), st.integers(0, 9), st.integers(0, 24),
                                    st.integers(0, 9)), max_size=3))
    def run(rows, merged):
        data = read_grids([Grid("表", rows, merged=merged)], "x.xlsx")
        report = check_workbook(data)
        assert not any(f.code == "check-failed" for f in report.findings), report.findings
    run()


@pytest.mark.parametrize("sheet, ref", [("自评表", "H14"), ("My 'x' sheet", "$H$14"), ("a!b", "A1"), ("S", "")])
def test_split_address_reads_back_a_quoted_address(sheet, ref):
    from selfeval_xl.core.model import quote_sheet, split_address

    assert split_address(quote_sheet(sheet) + (f"!{ref}" if ref else "")) == (sheet, ref)


def test_split_address_unquoted_and_blank():
    from selfeval_xl.core.model import split_address

    assert split_address("自评表!H14") == ("自评表", "H14")
    assert split_address("") == ("", "")


def test_defined_name_with_quoted_sheet_points_at_its_cell():
    grid = Grid("项目支出绩效自评表's", [["项目支出绩效自评表（2024年度）"], ["项目名称", "甲"], ["主管部门", "乙"]])
    data = read_grids([grid], defined_names={"SE_PROJECT_NAME": "'项目支出绩效自评表''s'!$B$3"})
    assert data.tables and data.tables[0].fields["project_name"].ref == "B3"


@needs_samples
def test_an_xls_renamed_xlsx_is_read_by_its_bytes(tmp_path):
    """An .xls saved or renamed with an .xlsx name (exports do this) reads as the .xls it is."""
    import shutil

    renamed = tmp_path / "导出.xlsx"
    shutil.copy(SAMPLES / "项目库导出_已填指标.xls", renamed)
    data, original = read_workbook(renamed), read_workbook(SAMPLES / "项目库导出_已填指标.xls")
    assert data.problems == [] and len(data.tables) == len(original.tables) == 1
    assert [r.level3 for r in data.tables[0].rows()] == [r.level3 for r in original.tables[0].rows()]


def _project_rows(name: str = "测试项目", reason: str | None = None) -> list[list]:
    return [["项目支出绩效自评表（2021年度）"], ["项目名称", None, name], ["主管部门", None, "某局"],
            ["项目资金（万元）", None, "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"],
            ["年度资金总额", None, 100, 100, 90, 10, 0.9, 9],
            ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施"],
            ["产出指标", "数量指标", "培训人次", "≥100人次", "100人次", 90, 90, reason],
            ["总分", None, None, None, None, 100, 99, 98],
            ["等级", None, None, None, None, None, "优", "良"]]


def test_our_templates_named_total_and_grade_cells_win_over_the_labels():
    """A named cell (SE_TOTAL, SE_GRADE) on the table's sheet is the 总分/等级 even where the label
    points elsewhere; a name on another sheet or over a range is not."""
    grid = Grid("Sheet1", _project_rows())
    [table] = read_grids([grid], defined_names={"SE_TOTAL": "'Sheet1'!$H$8", "SE_GRADE": "Sheet1!$H$9"}).tables
    assert (table.total.ref, table.total.value, table.grade.ref, table.grade.value) == ("H8", 98, "H9", "良")
    [table] = read_grids([grid], defined_names={"SE_TOTAL": "其他!$H$8", "SE_GRADE": "Sheet1!$H$9:$H$10"}).tables
    assert (table.total.ref, table.grade.ref) == ("G8", "G9")


def test_the_forms_instruction_text_in_a_field_is_read_as_blank_and_kept_for_the_message():
    grid = Grid("Sheet1", _project_rows(name="请填写项目全称", reason="说明偏差原因（100字以内）"))
    [table] = read_grids([grid]).tables
    assert table.fields["project_name"].value is None
    assert table.rows()[0].get("reason").value is None
    assert table.instructions == {"'Sheet1'!C2": "请填写项目全称", "'Sheet1'!H7": "说明偏差原因（100字以内）"}
    [table] = read_grids([Grid("Sheet1", _project_rows(name="请假管理系统建设"))]).tables
    assert table.fields["project_name"].value == "请假管理系统建设" and table.instructions == {}


def test_a_fresh_process_checks_a_file_without_a_table():
    """``check_workbook`` called first thing (a script of a user's own) reports the reader's codes: they
    are declared by the checks package itself, not by whichever check happened to load before."""
    import subprocess
    import sys

    code = ("from selfeval_xl.core.model import WorkbookData; from selfeval_xl.checks import check_workbook; "
            "data = WorkbookData('x.xlsx', 'xlsx', problems=[('sheet-truncated', '只检查了前 5000 行', '表!')]); "
            "print(sorted(f.code for f in check_workbook(data).findings))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.stdout.strip() == "['no-table', 'sheet-truncated']", out.stderr[-500:]
