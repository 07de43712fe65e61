"""One sanitiser for every writer: no control character and no formula from text we did not compute.

Each writer (report.xlsx, summary.xlsx, 检查结果 and comments, filled workbooks, templates) is fed the
same payloads; every output is opened with openpyxl (no cell carrying a payload is a formula) and read
with calamine (the text is there, readable, free of control characters), then once more after
LibreOffice has opened and saved it.
"""
from __future__ import annotations

import csv
import math
import re
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from python_calamine import CalamineWorkbook

import selfeval_xl.checks.registry  # noqa: F401  (declares the codes)
from selfeval_xl.book.openpyxl_book import OpenpyxlBook
from selfeval_xl.core.findings import FileReport, finding
from selfeval_xl.core.sanitize import cell_value, clean_text, formula_like, typed_value, openpyxl_text, url_text, write_openpyxl, xlsx_text

PAYLOADS = ["=1+1", "+1", "-1+2", "@SUM(A1)", "\t=1", "\r=1", "＝1+1", " =1", '=HYPERLINK("http://x","click")',
            "=cmd|' /C calc'!A0", "_x0007_", "\x00", "\x1b[31m", "a\x07b", "\x85", "\ud800", "-5"]
FORMULA_PAYLOADS = PAYLOADS[:10]
EVIDENCE = ("1+1", "http://x", "cmd|", "SUM(A1)", "-1+2")
"""What a formula built from a payload would contain; our own formulas never do."""
CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
ROOT = Path(__file__).resolve().parents[1]
SHOWN_FOR_CONTROL = {"\ufffd", " ", "\n"}


# --------------------------------------------------------------------------- the function

def test_control_characters_are_replaced_visibly():
    assert clean_text("a\x07b") == "a�b" and clean_text("\x00") == "�" and clean_text("\x1b[31m") == "�[31m"
    assert clean_text("\x7f") == "�" and clean_text("\x85") == "\ufffd" and clean_text("\ud800") == "\ufffd"
    assert clean_text("\uffff") == "\ufffd"
    assert clean_text("一\r\n二\r三\n四\t五") == "一\n二\n三\n四 五"
    assert clean_text("正常文字 ≥95%") == "正常文字 ≥95%"


def test_what_a_spreadsheet_takes_for_a_formula():
    for text in FORMULA_PAYLOADS + ["﹦1", "\u3000=1", "-x"]:
        assert formula_like(clean_text(text)), text
    for text in ("正常", "1+1", "a=b", "=", "-", "", "  ", "≥95%"):
        assert not formula_like(text), text


def test_cell_values_numbers_stay_numbers_text_keeps_its_words():
    assert cell_value(-5) == -5 and cell_value(Decimal("9.98")) == 9.98 and cell_value(None) is None
    assert cell_value(True) is True and cell_value("=1+1") == "=1+1" and cell_value("-5") == "-5"
    assert cell_value(math.inf) == "inf" and cell_value(Decimal("NaN")) == "NaN"
    assert cell_value(Decimal("1e400")) == "1E+400"
    assert len(cell_value("x" * 40000)) == 32767
    assert typed_value("=1+1") == "'=1+1" and typed_value("正常") == "'正常" and typed_value(3) == 3


def test_what_is_typed_into_excel_is_the_cell_value_kept_text():
    """Through xlwings a value is typed: it is made fit for a cell first (control characters shown,
    Decimal a number, infinity its text), then every text gets the apostrophe that keeps it text."""
    assert typed_value("响\x07铃") == "'响\ufffd铃" and typed_value("一\r\n二") == "'一\n二"
    assert typed_value(Decimal("9.98")) == 9.98 and typed_value(math.inf) == "'inf" and typed_value(None) is None


def test_xlsx_escapes_and_link_targets():
    assert xlsx_text("_x0007_") == "_x005F_x0007_"
    assert xlsx_text("_x005F_x0007_") == "_x005F_x005F_x005F_x0007_"
    assert xlsx_text("a_b x0007") == "a_b x0007"
    assert url_text("a\x07b.xlsx#'表'!A1") == "a%07b.xlsx#'表'!A1"


@settings(deadline=None, max_examples=400)
@given(st.text())
def test_any_text_comes_out_clean_and_idempotent(text):
    out = clean_text(text)
    assert not CONTROL.search(out)
    assert clean_text(out) == out
    out.encode("utf-8")                                  # no lone surrogate left
    one_per_char = text.replace("\r\n", "\n")             # every character becomes one, CRLF one line break
    assert len(out) == len(one_per_char)
    for before, after in zip(one_per_char, out):
        if CONTROL.match(before):
            assert after in SHOWN_FOR_CONTROL, (before, after)
        else:
            assert after == before


@settings(deadline=None, max_examples=40)
@given(st.lists(st.text(max_size=30), min_size=1, max_size=20))
def test_any_text_written_by_openpyxl_reads_back_as_text(tmp_path_factory, texts):
    path = tmp_path_factory.mktemp("prop") / "t.xlsx"
    wb = openpyxl.Workbook()
    for i, text in enumerate(texts, start=1):
        wb.active.cell(i, 1, "row")                      # calamine's range starts at the first cell used
        write_openpyxl(wb.active.cell(i, 2), text)
    wb.save(path)
    ws = openpyxl.load_workbook(path).active
    assert all(ws.cell(i, 2).data_type != "f" for i in range(1, len(texts) + 1))
    got = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
    for i, text in enumerate(texts):
        shown = (got[i] + [""])[1]                      # a trailing empty cell is not in the range
        expected = clean_text(text)
        if not expected.strip(" \t\r\n"):  # blank-only text goes without xml:space="preserve": read as ""
            # (only XML's own whitespace: a no-break space U+00A0 is a character and reads back)
            expected = ""
        assert shown == expected, (text, shown)


def _written_both_ways(tmp_path: Path, values: list) -> dict[str, list]:
    """``values`` down column A through :func:`write_openpyxl` and :func:`write_xlsxwriter` (with a
    quoted format; a date format for a date, as XlsxWriter's callers give), each read back by openpyxl:
    (value, its type, quote prefix) per cell."""
    from datetime import date
    import xlsxwriter

    from selfeval_xl.core.sanitize import write_xlsxwriter

    wb = openpyxl.Workbook()
    for r, value in enumerate(values, start=1):
        write_openpyxl(wb.active.cell(r, 1), value)
    wb.save(tmp_path / "openpyxl.xlsx")
    book = xlsxwriter.Workbook(tmp_path / "xlsxwriter.xlsx")
    sheet, quoted = book.add_worksheet(), book.add_format({"quote_prefix": True})
    day = book.add_format({"num_format": "yyyy-mm-dd hh:mm"})
    for r, value in enumerate(values):
        write_xlsxwriter(sheet, r, 0, value, day if isinstance(value, date) else None, quoted)
    book.close()
    result = {}
    for name in ("openpyxl", "xlsxwriter"):
        ws = openpyxl.load_workbook(tmp_path / f"{name}.xlsx").active
        result[name] = [(c.value, c.data_type, c.quotePrefix) for c in (ws.cell(r, 1) for r in range(1, len(values) + 1))]
    return result


def test_both_writers_keep_numbers_dates_and_blanks_and_quote_what_looks_like_a_formula(tmp_path):
    """What a user of the written file sees: a number a number, a date a date, a blank a blank, a
    formula-like text the same text, shown as text with the quote prefix (and still text on edit)."""
    from datetime import date, datetime

    values = [None, True, 3, -2.5, Decimal("9.98"), datetime(2026, 12, 6, 9, 30), date(2026, 12, 6), "=1+1",
              " -1+2", "正常", "a\x07b"]
    for name, cells in _written_both_ways(tmp_path, values).items():
        assert [v for v, _, _ in cells] == [None, True, 3, -2.5, 9.98, datetime(2026, 12, 6, 9, 30),
                                            datetime(2026, 12, 6), "=1+1", " -1+2", "正常", "a\ufffdb"], name
        assert [t for _, t, _ in cells] == ["n", "b", "n", "n", "n", "d", "d", "s", "s", "s", "s"], name
        assert [q for _, _, q in cells] == [False] * 7 + [True, True, False, False], name


def test_a_blank_written_by_xlsxwriter_keeps_its_format(tmp_path):
    """A blank cell of a bordered table (a finding without an expected value) still shows its border."""
    import xlsxwriter

    from selfeval_xl.core.sanitize import write_xlsxwriter

    book = xlsxwriter.Workbook(tmp_path / "blank.xlsx")
    sheet = book.add_worksheet()
    write_xlsxwriter(sheet, 0, 0, None, book.add_format({"border": 1}))
    book.close()
    assert openpyxl.load_workbook(tmp_path / "blank.xlsx").active["A1"].border.left.style == "thin"


# --------------------------------------------------------------------------- every writer

def assert_safe(path: Path) -> list[str]:
    """No formula carries a payload; every text is free of control characters. Returns the texts."""
    wb = openpyxl.load_workbook(path)
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    text = str(getattr(cell.value, "text", cell.value))
                    text = re.sub(r'"(?:[^"]|"")*"', '""', text)      # our links quote a file name
                    assert not any(e in text for e in EVIDENCE) and text not in ("=1", "=+1"), \
                        (path.name, ws.title, cell.coordinate, text)
    texts = []
    book = CalamineWorkbook.from_path(str(path))
    for name in book.sheet_names:
        for row in book.get_sheet_by_name(name).to_python():
            texts += [v for v in row if isinstance(v, str) and v]
    for text in texts:
        assert not CONTROL.search(text), (path.name, text)
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.comment is not None:
                    assert not CONTROL.search(cell.comment.text), (path.name, cell.coordinate)
    return texts


def assert_shown(texts: list[str], payloads=PAYLOADS) -> None:
    """Each payload is there as the text it was (control characters shown, line breaks kept)."""
    for payload in payloads:
        wanted = clean_text(payload).strip()
        assert any(wanted in t for t in texts), (payload, wanted)


def _reports() -> list[FileReport]:
    reports = []
    for i, p in enumerate(PAYLOADS):
        file = f"/x/{i}{p if p.isprintable() and '/' not in p else ''}.xlsx"
        reports.append(FileReport(file, unit=p, name=p, kind="project", total=Decimal("80"), grade="良",
                                  budget=Decimal("10"), spent=Decimal("9"), stated_total=p,
                                  findings=[finding("total-mismatch", f"说明：{p}", file=file, sheet=p, cell="H3",
                                                    expected=p, found=p)]))
    return reports


def write_report_xlsx(folder: Path) -> Path:
    from selfeval_xl.report import write_report
    return write_report(folder / "report.xlsx", _reports())


def write_summary_xlsx(folder: Path) -> Path:
    from selfeval_xl.report.summary_workbook import write_summary
    return write_summary(_reports(), folder / "summary.xlsx").path


def write_scored(folder: Path) -> Path:
    from selfeval_xl.score.writeback import mark_findings

    source = folder / "submitted.xlsx"
    wb = openpyxl.Workbook()
    wb.active.title = "表"
    for r in range(1, len(PAYLOADS) + 1):
        wb.active.cell(r, 1, r)
    wb.save(source)
    book = OpenpyxlBook.open(source)
    findings = [finding("total-mismatch", f"项目“{p}”", file=str(source), sheet="表", cell=f"A{i}", expected=p,
                        found=p) for i, p in enumerate(PAYLOADS, start=1)]
    findings.append(finding("total-mismatch", "范围", file=str(source), sheet=PAYLOADS[0], cell="B2"))
    mark_findings(book, findings)
    book.save(folder / "scored.xlsx")
    return folder / "scored.xlsx"


def write_filled(folder: Path) -> list[Path]:
    from selfeval_xl.fill import fill

    data = folder / "data"
    data.mkdir()
    rows = {"项目": [], "指标": []}
    for i, p in enumerate(p for p in PAYLOADS if p != "\ud800"):       # a CSV file cannot hold a surrogate
        name, required = f"项目{i}{p}", p if p.strip() else p + "x"      # required cells: not blank
        rows["项目"].append({"单位": f"单位{p}", "项目名称": name, "主管部门": required, "全年预算数": 100, "全年执行数": 98,
                           "当年财政拨款": 100, "上年结转资金": 0, "其他资金": 0, "预期目标": p, "实际完成情况": p})
        for level1, level2, weight in (("产出指标", "数量指标", 50), ("效益指标", "社会效益指标", 30),
                                       ("满意度指标", "服务对象满意度指标", 10)):
            rows["指标"].append({"单位": f"单位{p}", "项目": name, "一级指标": level1, "二级指标": level2,
                               "三级指标": required, "指标性质": "定性", "年度指标值": "有效提升", "实际完成值": "达成年度指标",
                               "分值": weight, "偏差原因": p, "评分标准": p})
    for table, records in rows.items():
        with open(data / f"{table}.csv", "w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(records[0]))
            writer.writeheader()
            writer.writerows(records)
    result = fill(data, folder / "filled", year=2021)
    assert not result.problems, result.problems
    return [w.path for w in result.written]


def write_template(folder: Path) -> Path:
    from selfeval_xl.template.writer import build_template, save_workbook

    source = (ROOT / "selfeval_xl/systems/national-project.yaml").read_text(encoding="utf-8")
    own = folder / "evil.yaml"
    own.write_text(source.replace("title: 项目支出绩效自评（财预〔2020〕10号）", "title: '=HYPERLINK(\"http://x\",\"click\")'")
                   .replace("- name: 数量指标", "- name: '=1+1'").replace("- name: 质量指标", "- name: '@SUM(A1)'")
                   .replace("name: national-project", "name: '-1+2'"), encoding="utf-8")
    return save_workbook(build_template("project", str(own)), folder / "template.xlsx")


@pytest.fixture(scope="module")
def outputs(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("writers")
    filled = write_filled(folder)
    return {"report": write_report_xlsx(folder), "summary": write_summary_xlsx(folder),
            "scored": write_scored(folder), "filled": filled[0], "filled-last": filled[-1],
            "template": write_template(folder)}


@pytest.mark.parametrize("kind", ["report", "summary", "scored"])
def test_reports_and_marks_show_payloads_as_text(outputs, kind):
    assert_shown(assert_safe(outputs[kind]))


def test_summary_names_each_units_sheet_in_text(outputs):
    wb = openpyxl.load_workbook(outputs["summary"])
    titles = [ws["A1"] for ws in wb.worksheets[5:]]
    assert len(titles) == len(PAYLOADS) and all(c.data_type == "s" for c in titles)
    assert sum(c.quotePrefix for c in titles) >= len(FORMULA_PAYLOADS)


def test_comments_of_score_are_clean(outputs):
    ws = openpyxl.load_workbook(outputs["scored"])["表"]
    comments = [ws.cell(r, 1).comment.text for r in range(1, len(PAYLOADS) + 1)]
    assert "项目“a�b”" in "\n".join(comments) and "项目“�”" in "\n".join(comments)


def test_filled_workbooks_hold_the_data_as_text(outputs):
    texts = []
    for key in ("filled", "filled-last"):
        texts += assert_safe(outputs[key])
    assert_shown(texts, [PAYLOADS[0], PAYLOADS[-1]])
    wb = openpyxl.load_workbook(outputs["filled"])
    formulas_of_payload = [c for ws in wb.worksheets for r in ws.iter_rows() for c in r
                           if c.value == "=1+1" and c.data_type == "s" and c.quotePrefix]
    assert len(formulas_of_payload) >= 4          # 预期目标, 实际完成情况, 三级指标, 偏差原因 … as text


def test_template_from_a_hostile_system_file(outputs):
    texts = assert_safe(outputs["template"])
    assert_shown(texts, ['=HYPERLINK("http://x","click")', "=1+1", "@SUM(A1)", "-1+2"])


@pytest.mark.libreoffice
def test_libreoffice_opens_every_output_with_the_text_intact(outputs, tmp_path):
    from selfeval_xl.engines.libreoffice import recalculate

    paths = list(outputs.values())
    for source, converted in zip(paths, recalculate(paths, tmp_path)):
        texts = assert_safe(converted)
        if source.name in ("report.xlsx", "summary.xlsx", "scored.xlsx"):
            assert_shown(texts)


def test_console_and_json_keep_the_text_honest(tmp_path):
    import json

    from selfeval_xl.report import JsonReport, summary

    reports = _reports()
    text = summary(reports)
    assert "\x1b" not in text and "�[31m" in text and not CONTROL.search(text)
    out = JsonReport(tmp_path / "f.json")
    for report in reports:
        out.add(report)
    out.close()
    data = json.loads((tmp_path / "f.json").read_text(encoding="utf-8"))
    assert [r["unit"] for r in data["files"]] == PAYLOADS          # JSON escapes them; nothing lost


def test_the_add_in_message_box_and_score_lines_are_clean():
    from selfeval_xl.score.writeback import Summary, TableScore

    summary = Summary(tables=[TableScore("\x1b[2J项目\x07", "project", "表", Decimal("90"), "优")],
                      report=FileReport("/x/a.xlsx"))
    assert summary.message().startswith("�[2J项目�：总分 90.00，等级 优")


@settings(deadline=None, max_examples=300)
@given(st.text(alphabet="_x005Fx0041_ab", max_size=30))
def test_openpyxl_reads_back_what_xlsx_text_stored(text):
    """openpyxl decodes no ``_xHHHH_`` escape: :func:`openpyxl_text` undoes the one we add."""
    assert openpyxl_text(xlsx_text(text)) == text
