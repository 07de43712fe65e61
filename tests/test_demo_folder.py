"""What a new user sees when they check the demo's folder: exactly the planted problems, the data table
skipped and named (issue 13)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from selfeval_xl.cli import main
from selfeval_xl.demo.run import DATA_FILE, PREVIOUS_DATA_FILE, WORKBOOKS_DIR, run_demo


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    folder = tmp_path_factory.mktemp("demo") / "demo"
    return run_demo(folder, recalc=False, jobs=1)


def test_check_of_the_demo_reports_exactly_the_planted_problems(demo, tmp_path, capsys):
    """The whole demo folder, as a new user checks it: the workbooks give exactly the planted findings
    of this year (a lowered target is found only against last year's tables, which are not in the
    folder: their data table is skipped like this year's); our own outputs (report.xlsx, summary.xlsx,
    by their document property) and the data tables are skipped and named; each drafted 绩效自评报告 has
    errors only where its own tables were planted wrong."""
    out = tmp_path / "found.json"
    assert main(["check", str(demo.folder), "--json", str(out), "-j", "1"]) == 1
    files = {Path(f["path"]).name: f for f in json.loads(out.read_text(encoding="utf-8"))["files"]}
    workbooks = {name for name in files if name.endswith(".xlsx")}
    planted = {p.path.name: set(p.planted.expect) for p in demo.planted if not p.planted.against_previous}
    found = {name: {x["code"] for x in files[name]["findings"]} for name in workbooks if files[name]["findings"]}
    assert found == planted
    assert any(p.planted.against_previous for p in demo.planted)
    skipped = {name for name, f in files.items() if f["skipped"]}
    assert skipped == {DATA_FILE, PREVIOUS_DATA_FILE, "report.xlsx", "summary.xlsx"}
    assert all(not files[name]["findings"] for name in skipped)
    wrong_units = {p.planted.unit for p in demo.planted}
    reports = {name: f for name, f in files.items() if name.endswith(".docx")}
    assert len(reports) == 4
    for name, f in reports.items():
        errors = [x for x in f["findings"] if x["severity"] == "error"]
        assert not errors or any(unit in name for unit in wrong_units), (name, errors)
    printed = capsys.readouterr().out
    assert "跳过 4 个" in printed and DATA_FILE in printed and PREVIOUS_DATA_FILE in printed


def test_a_data_table_is_recognised_by_its_headers_not_its_name(demo, tmp_path):
    from selfeval_xl.core.data_tables import is_data_table
    from selfeval_xl.read import read_workbook

    renamed = tmp_path / "项目支出绩效自评表.xlsx"
    renamed.write_bytes((demo.folder / DATA_FILE).read_bytes())
    assert read_workbook(renamed).skipped
    assert not read_workbook(demo.workbooks[0]).skipped
    # a 项目 sheet that lacks a required column (全年预算数) is not a data table
    assert is_data_table([("项目", ["单位", "项目名称", "主管部门", "全年预算数", "全年执行数"]),
                          ("指标", ["项目", "一级指标", "二级指标", "三级指标", "年度指标值", "分值"])])
    assert not is_data_table([("项目", ["单位", "项目名称", "主管部门", "全年执行数"]),
                              ("指标", ["项目", "一级指标", "二级指标", "三级指标", "年度指标值", "分值"])])
    assert not is_data_table([("项目", ["单位", "项目名称", "主管部门", "全年预算数", "全年执行数"])])


def test_feedback_gives_each_unit_its_own_findings_and_what_to_do(demo, tmp_path, capsys):
    import openpyxl

    from selfeval_xl.catalogue import doc_of
    from selfeval_xl.files.ownfiles import output_kind
    from selfeval_xl.report.feedback import FILES, HEADER_ROW, ISSUES, feedback_name

    out = tmp_path / "反馈"
    (out).mkdir()
    foreign = out / feedback_name('广州市文化馆')
    foreign.write_bytes(b"someone else's file")          # never overwritten: not ours
    assert main(["check", str(demo.folder / WORKBOOKS_DIR), "--feedback", str(out), "-j", "1", "-q"]) == 1
    assert foreign.read_bytes() == b"someone else's file"
    written = sorted(p for p in out.glob("*.xlsx") if p != foreign)
    assert len(written) == 4 and all(output_kind(p) == "反馈表" for p in written)
    planted = {p.path.name: p for p in demo.planted if not p.planted.against_previous}   # no --previous here
    for path in written:
        wb = openpyxl.load_workbook(path)
        unit = wb[ISSUES]["A1"].value.split("：", 1)[1]
        files = [r[1] for r in wb[FILES].iter_rows(min_row=HEADER_ROW + 1, values_only=True)]
        assert files and all(name.startswith(unit + "-") for name in files)
        issues = list(wb[ISSUES].iter_rows(min_row=HEADER_ROW + 1, values_only=True))
        mine = [p for name, p in planted.items() if name in files]
        assert sum(len(p.found) for p in mine) <= len(issues)
        for n, name, link, level, message, expected, found, fix in issues:
            assert name in files and level in ("错误", "警告") and message and fix
            assert link.startswith(f'=HYPERLINK("{name}#')      # beside the department's own file
        ws = wb[ISSUES]
        assert ws.page_setup.paperSize == 9 and ws.print_title_rows == f"${HEADER_ROW}:${HEADER_ROW}"
        assert ws.page_setup.fitToHeight == 0
    dept = openpyxl.load_workbook(next(p for p in written if "档案发展中心" in p.name))[ISSUES]
    rows = list(dept.iter_rows(min_row=HEADER_ROW + 1, values_only=True))
    figure = next(r for r in rows if "预算完成率" in r[4])
    assert figure[5:7] == ("89.40%", "99.76%")            # as the table shows them, not 0.9976
    assert figure[7] == doc_of("figure-inconsistent").fix
    # a second run replaces our own feedback
    assert main(["check", str(demo.folder / WORKBOOKS_DIR), "--feedback", str(out), "-j", "1", "-q"]) == 1
    assert len(list(out.glob("*.xlsx"))) == 5


def test_report_explains_every_check_and_shows_values_as_the_table_does(demo, tmp_path):
    import openpyxl

    from selfeval_xl.core.findings import CATALOGUE
    from selfeval_xl.report.xlsx import CHECKS_SHEET, FINDINGS_SHEET

    out = tmp_path / "r.xlsx"
    main(["check", str(demo.folder / WORKBOOKS_DIR), "-r", str(out), "-j", "1", "-q"])
    wb = openpyxl.load_workbook(out)
    explained = {r[0]: r for r in wb[CHECKS_SHEET].iter_rows(min_row=2, values_only=True)}
    assert set(explained) == set(CATALOGUE) and all(all(r) for r in explained.values())
    ws = wb[FINDINGS_SHEET]
    header = [c.value for c in ws[1]]
    code, message, values = header.index("代码"), header.index("问题说明"), header.index("应为")
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    figure = next(r for r in rows if r[code] == "figure-inconsistent" and "预算完成率" in r[message])
    assert figure[values:values + 2] == ("89.40%", "99.76%")     # was "89.40%" beside 0.9976
    total = next(r for r in rows if r[code] == "total-mismatch")
    assert total[values:values + 2] == (99.14, 95.95)             # plain numbers stay numbers


def test_report_xlsx_reads_as_the_tables_do(demo, tmp_path):
    """问题清单 names each finding's kind in Chinese with its code beside it, shows a score with the two
    decimals its table gives it and an amount in 万元 with separators, pads every cell and wraps long text
    in its own column (issue 21: English codes as the category, 100 / 99.91 / 45.3, text over the next
    column)."""
    import openpyxl

    from selfeval_xl.core.findings import CATALOGUE
    from selfeval_xl.report.xlsx import FINDINGS_SHEET, SUMMARY_SHEET

    out = tmp_path / "r.xlsx"
    main(["check", str(demo.folder / WORKBOOKS_DIR), "-r", str(out), "-j", "1", "-q"])
    ws = openpyxl.load_workbook(out)[FINDINGS_SHEET]
    header = [c.value for c in ws[1]]
    assert header[4:6] == ["类别", "代码"]
    rows = list(ws.iter_rows(min_row=2))
    assert rows and all(r[4].value == CATALOGUE[r[5].value].title for r in rows)
    by_code = {r[5].value: r for r in rows}
    expected, found = header.index("应为"), header.index("实为")
    for code, shown in (("total-mismatch", "0.00"), ("dept-funds-sum-mismatch", "#,##0.00"),
                        ("weight-split-differs", "0.00")):
        for cell in (by_code[code][expected], by_code[code][found]):
            assert cell.number_format.startswith(shown) and cell.number_format != shown, (code, cell.number_format)
    for row in rows:
        for cell in row[:-1]:
            if isinstance(cell.value, str) and header[cell.column - 1] not in ("级别",):
                assert cell.alignment.indent >= 1 and cell.alignment.wrap_text, (header[cell.column - 1], cell.value)
        assert ws.row_dimensions[row[0].row].height > 15                  # air around one line
    summary = openpyxl.load_workbook(out)[SUMMARY_SHEET]
    top = [c.value for c in summary[1]]
    first = next(summary.iter_rows(min_row=2))
    assert first[top.index("填报总分")].number_format.startswith("0.00")
    assert first[top.index("全年预算数（万元）")].number_format.startswith("#,##0.00")


def test_feedback_of_the_whole_demo_folder_is_for_the_units_tables_and_reports_only(demo, tmp_path):
    """Our own outputs and the data table are nobody's submission: no 未识别单位 feedback for them. The
    note names no folder of the bureau's; a report's paragraph is given as text, a table's cell as a link;
    report.xlsx links a report's finding to the report itself, never to a place Word cannot open."""
    import openpyxl

    from selfeval_xl.report.feedback import HEADER_ROW, ISSUES, NO_UNIT
    from selfeval_xl.report.xlsx import FINDINGS_SHEET

    out = tmp_path / "反馈"
    assert main(["check", str(demo.folder), "--feedback", str(out), "-r", str(tmp_path / "r.xlsx"), "-j", "1",
                 "-q"]) == 1
    written = sorted(out.glob("*.xlsx"))
    assert len(written) == 4 and not any(p.name.startswith(NO_UNIT) for p in written)
    paragraphs = links = 0
    for path in written:
        ws = openpyxl.load_workbook(path)[ISSUES]
        assert demo.folder.name not in ws["A2"].value and demo.folder.name not in ws.oddHeader.left.text
        for row in ws.iter_rows(min_row=HEADER_ROW + 1, values_only=True):
            if str(row[1]).endswith(".docx"):
                assert row[2].startswith("正文第") and row[2].endswith("段"), row      # text, no link
                paragraphs += 1
            elif row[1]:
                assert row[2].startswith(f'=HYPERLINK("{row[1]}#'), row
                links += 1
    assert paragraphs and links
    report = openpyxl.load_workbook(tmp_path / "r.xlsx")[FINDINGS_SHEET]
    header = [c.value for c in report[1]]
    for row in report.iter_rows(min_row=2, values_only=True):
        target = row[header.index("位置链接")]
        if str(row[0]).endswith(".docx"):
            assert target.startswith('=HYPERLINK("') and "#" not in target, target
