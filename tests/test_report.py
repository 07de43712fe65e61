"""Report pieces: the console summary, link formulas, the JSON stream (cells: test_sanitize.py)."""
from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings, strategies as st

import selfeval_xl.checks.registry  # noqa: F401  (declares the codes)
from selfeval_xl.core.findings import FileReport, Report, finding
from selfeval_xl.report import summary
from selfeval_xl.report.safe import hyperlink_formula


def test_console_summary_counts_and_lists():
    bad = FileReport("/x/坏.xlsx", total=Decimal("90.00"), stated_total=95.95,
                     findings=[finding("total-mismatch", file="/x/坏.xlsx", sheet="自评表", cell="H30")])
    good = FileReport("/x/好.xlsx")
    text = summary(Report([bad, good]))
    assert "检查了 2 个文件：通过 1" in text and "有错误 1" in text
    assert "total-mismatch" in text and "坏.xlsx" in text and "95.95/90.00" in text
    assert "坏.xlsx '自评表'!H30 [错误] total-mismatch" in text          # few findings: each one listed


def test_hyperlink_formula_keeps_names_inside_the_string():
    evil = 'a",CMD("calc"),"b.xlsx'
    assert hyperlink_formula(evil, "打开") == '=HYPERLINK("a"",CMD"&"(""calc""),""b.xlsx","打开")'
    assert hyperlink_formula("x" * 300, "打开") is None


def test_json_stream_has_the_shape_of_report_to_json(tmp_path):
    import json

    from selfeval_xl.report import JsonReport

    bad = FileReport("/x/坏.xlsx", findings=[finding("total-mismatch", file="/x/坏.xlsx", sheet="s", cell="H3",
                                                     expected=Decimal("1.50"), found="2")])
    reports = [bad, FileReport("/x/好.xlsx")]
    out = JsonReport(tmp_path / "f.json")
    for r in reports:
        out.add(r)
    out.close()
    assert json.loads((tmp_path / "f.json").read_text(encoding="utf-8")) == json.loads(Report(reports).to_json())


def test_a_finding_as_json_has_every_field_and_its_position():
    from dataclasses import fields

    from selfeval_xl.core.findings import Finding

    f = finding("required-blank", "空", file="a.xlsx", sheet="自评'表", cell="H14", expected=Decimal("9.50"),
                found=Decimal("10"))
    data = f.to_dict()
    assert set(data) == {x.name for x in fields(Finding)} | {"position"}
    assert data["severity"] == "error" and data["position"] == "'自评''表'!H14"
    assert (data["expected"], data["found"]) == (9.5, 10) and isinstance(data["found"], int)


def test_a_file_named_like_a_function_call_keeps_a_plain_link(tmp_path):
    """XlsxWriter rewrites ``FILTER(`` and ``SORT(`` anywhere in a formula's text (strings included) and
    makes the cell an array formula: the link must give it no such text, and still lead to the file."""
    import re
    import shutil
    import zipfile

    from check_workbooks import build_project
    from selfeval_xl.cli import main

    folder = tmp_path / "收到"
    folder.mkdir()
    shutil.copy(build_project(tmp_path / "p.xlsx").path, folder / "SORT(1)FILTER(x).xlsx")
    assert main(["check", str(folder), "-q", "-r", str(tmp_path / "report.xlsx")]) in (0, 1)
    with zipfile.ZipFile(tmp_path / "report.xlsx") as z:
        summary = z.read("xl/worksheets/sheet1.xml").decode("utf-8")
    [formula] = re.findall(r"<f[^>]*>([^<]*)</f>", summary)
    assert "_xlfn" not in formula and 't="array"' not in summary
    target = formula.removeprefix("HYPERLINK(").split(",")[0]
    assert "".join(re.findall(r'"((?:[^"]|"")*)"', target)) == "收到/SORT(1)FILTER(x).xlsx"


def test_findings_past_a_sheets_last_row_go_on_in_a_second_sheet(tmp_path, monkeypatch):
    """Excel holds 1,048,576 rows a sheet: past it, 问题清单 goes on in 问题清单（2）, every finding kept."""
    from python_calamine import CalamineWorkbook

    import selfeval_xl.report.xlsx as xlsx

    monkeypatch.setattr(xlsx, "MAX_ROWS", 4)                 # a header and three findings a sheet
    reports = []
    for n in range(3):
        report = FileReport(str(tmp_path / f"{n}.xlsx"), unit="甲局")
        report.findings = [finding("required-blank", f"第{n}-{i}项", file=report.path, sheet="表", cell=f"A{i + 1}")
                           for i in range(3)]
        reports.append(report)
    out = xlsx.XlsxReport(tmp_path / "report.xlsx")
    for report in reports:
        out.add(report)
    out.close(reports)
    book = CalamineWorkbook.from_path(str(tmp_path / "report.xlsx"))
    listed = {name: book.get_sheet_by_name(name).to_python() for name in book.sheet_names}
    assert [n for n in listed if n.startswith("问题清单")] == ["问题清单", "问题清单（2）", "问题清单（3）"]
    message = xlsx.FINDING_HEADERS.index("问题说明")
    messages = [row[message] for name, rows in listed.items() if name.startswith("问题清单") for row in rows[1:]]
    assert messages == [f"第{n}-{i}项" for n in range(3) for i in range(3)]
    assert all(rows[0][0] == "文件" for name, rows in listed.items() if name.startswith("问题清单"))
    assert [n for n in listed if n.startswith("汇总")] == ["汇总"] and len(listed["汇总"]) == 4


@settings(deadline=None, max_examples=300)
@given(st.text(st.characters(codec=None, exclude_categories=()), max_size=40)
       | st.text(st.sampled_from("a1 ~\x00\u2e7e\u2e7f\u2e80\u2e81自评表（）\ud800\udfff\uffff\U00010000\U0010ffff"),
                 max_size=40))
def test_display_width_is_two_columns_a_wide_character_and_one_any_other(text):
    """The width counted in C (report.xlsx sizes every row by it) is the rule said per character."""
    from selfeval_xl.core.textwidth import WIDE_FROM, display_width, lines_needed

    assert display_width(text) == sum(2 if ord(ch) > WIDE_FROM else 1 for ch in text)
    assert lines_needed(text, 10) == max(1, -(-display_width(text) // 10))


NAMES_XLSXWRITER_REWRITES = ["SORT(", "FILTER(", "XLOOKUP(", "SINGLE(", "LAMBDA(", "MAP(", "UNIQUE(", "SEQUENCE("]


@settings(deadline=None, max_examples=300)
@given(st.lists(st.sampled_from(NAMES_XLSXWRITER_REWRITES) | st.text(max_size=6), max_size=6).map("".join),
       st.sampled_from(["打开", "open SORT(1)", ""]))
def test_a_link_is_prepared_as_xlsxwriter_would_without_its_rewrites(target, label):
    """report.xlsx's sheets skip XlsxWriter's 29 rewrites of a formula: for every link we make (whatever
    the names in it) XlsxWriter's own preparation gives the same text."""
    from xlsxwriter.worksheet import Worksheet

    from selfeval_xl.report.linked_sheet import LinkedSheet

    formula = hyperlink_formula(target, label)
    assert "_prepare_formula" in vars(Worksheet)          # the step we skip is still XlsxWriter's
    if formula is not None:
        assert LinkedSheet()._prepare_formula(formula) == Worksheet()._prepare_formula(formula)
