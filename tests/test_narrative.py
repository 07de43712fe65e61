"""The 绩效自评报告: drafted from the demo's tables, re-checked clean against them, and edited the ways
people err (a figure changed in one place, a breakdown that no longer sums, a rate from another year),
each found at its paragraph — in the .docx, in a .pdf LibreOffice renders from it, and in a .txt."""
from __future__ import annotations

import os
import re
import shutil
import zipfile
from pathlib import Path

from decimal import Decimal

import pytest

from selfeval_xl.cli import main
from selfeval_xl.demo.data import REAL_UNIT, generate, write_xlsx
from selfeval_xl.narrative import check_reports, draft, find_reports
from selfeval_xl.narrative.report import check_report
from selfeval_xl.narrative.text import read_report, squeeze
from selfeval_xl.narrative.units import load_units, unit_key
from selfeval_xl.read import read_workbook


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """The demo's workbooks (filled, no hand edits) and one drafted report per 单位."""
    from selfeval_xl.fill import fill

    root = tmp_path_factory.mktemp("narrative")
    write_xlsx(generate(), root / "data.xlsx")
    filled = fill(root / "data.xlsx", root / "workbooks", year=2021)
    assert filled.ok
    drafted = draft(sorted((root / "workbooks").glob("*.xlsx")), root / "reports")
    units = load_units(sorted((root / "workbooks").glob("*.xlsx")))[0]
    return root, drafted, units


def _report(corpus, unit: str) -> Path:
    return next(p for u, p in corpus[1].written if u.name == unit)


def _errors(report):
    return [f for f in report.findings if f.severity.value == "error"]


def edit(source: Path, target: Path, needle: str, old: str, new: str) -> int:
    """Replace ``old`` by ``new`` after ``needle`` in the first paragraph holding both (as a person edits
    one run of text in Word); its number as the reader counts paragraphs (non-empty ones, from 1)."""
    with zipfile.ZipFile(source) as zf:
        parts = {name: zf.read(name) for name in zf.namelist()}
    xml = parts["word/document.xml"].decode("utf-8")
    body = xml[:xml.index("<w:tbl>")]                 # the 附件 tables come last
    number = 0
    for match in re.finditer(r"<w:p>.*?</w:p>", body):
        texts = re.findall(r"<w:t[^>]*>([^<]*)</w:t>", match.group(0))
        if not squeeze("".join(texts)):
            continue
        number += 1
        run = next((t for t in texts if needle in t and old in t[t.index(needle):]), None)
        if run is not None:
            start = run.index(needle)
            changed = match.group(0).replace(run, run[:start] + run[start:].replace(old, new, 1), 1)
            parts["word/document.xml"] = (xml[:match.start()] + changed + xml[match.end():]).encode("utf-8")
            with zipfile.ZipFile(target, "w") as zf:
                for name, data in parts.items():
                    zf.writestr(name, data)
            return number
    raise AssertionError(f"no paragraph holds {needle!r} and {old!r}")


def test_one_unit_grouped_under_its_names():
    assert unit_key("广州市档案发展中心（广州市音像资料馆）") == unit_key("广州市档案发展中心") == "广州市档案发展中心"
    assert unit_key(" 广州市文化馆 ") == "广州市文化馆" and unit_key("（甲）") == "（甲）"


def test_drafts_one_report_per_unit_every_figure_from_the_tables(corpus):
    root, drafted, units = corpus
    assert len(drafted.written) == 4 and all(p.exists() for _, p in drafted.written)
    text = "\n".join(p.text for p in read_report(_report(corpus, REAL_UNIT)))
    chapters = ["一、基本情况", "（一）部门概况", "（二）年度总体工作和重点工作任务", "（三）部门整体收支情况", "（四）绩效管理情况",
                "二、绩效自评工作开展情况", "三、综合评价分析", "（一）自评结论综述", "（二）部门整体绩效分析", "（三）各项目绩效情况",
                "（四）主要工作成效", "四、存在的主要问题", "五、下一步改进措施", "六、自评结果应用", "七、其他需要说明的问题",
                "附件：1.部门整体支出绩效自评表；2.", "附件1：部门整体支出绩效自评表"]
    places = [text.index(c) for c in chapters]
    assert places == sorted(places)                                     # the outline in use, in its order
    assert "支出预算1014.40万元，支出决算1011.98万元，预算执行差额2.42万元，预算完成率99.76%" in text
    assert "部门整体支出绩效自评总分94.43分" in text and "管理效能评价分析：分值45分，自评44.43分" in text
    assert "参观人数（人次）：年度指标值为≥15000，分值4分；实际完成值为46845，自评4分" in text
    assert "【待填写：部门概况" not in text and "【待填写：部门职能" in text        # a placeholder, no prose
    assert not re.search(r"\d [\u4e00-\u9fff]|[\u4e00-\u9fff] \d", text[text.index("一、基本情况"):])  # 分值3分
    front = text[:text.index("一、基本情况")]                      # the tables' findings, before the draft
    assert "表格检查发现" in front and "level-missing" in front and "档案数字化加工服务项目" in front
    with zipfile.ZipFile(_report(corpus, REAL_UNIT)) as zf:
        xml, footer = zf.read("word/document.xml").decode(), zf.read("word/footer1.xml").decode()
    assert xml.count("<w:tbl>") == 2 * 8                                       # each table in its 附件
    assert xml.count("<w:pageBreakBefore/>") == 8                              # each 附件 on a page of its own
    assert '<w:jc w:val="right"/></w:pPr><w:r><w:rPr><w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" ' \
           'w:eastAsia="仿宋"/><w:sz w:val="18"/><w:szCs w:val="18"/></w:rPr><w:t xml:space="preserve">1014.40' in xml
    assert '<w:pgSz w:w="11906" w:h="16838"/>' in xml                            # A4 in twips
    assert "PAGE" in footer and 'w:eastAsia="黑体"' in xml and 'w:eastAsia="仿宋"' in xml
    highlighted = re.findall(r'<w:highlight w:val="yellow"/>.*?<w:t[^>]*>([^<]*)</w:t>', xml)
    assert highlighted and all(t.startswith("【待填写：") for t in highlighted)


def test_each_drafted_report_checks_clean_against_its_tables(corpus):
    root, drafted, units = corpus
    for unit, path in drafted.written:
        report = check_report(path, units)
        assert report.unit == unit.name
        assert _errors(report) == [], path.name
        assert [f.code for f in report.findings] == ["report-placeholder"]


def test_several_units_into_one_file_is_refused(corpus, capsys):
    root = corpus[0]
    assert main(["draft", str(root / "workbooks"), "-o", str(root / "one.docx")]) == 2
    assert "4 个单位" in capsys.readouterr().err
    assert not (root / "one.docx").exists()


def test_names_taken_as_one_are_said(corpus, tmp_path):
    from openpyxl import load_workbook

    root = corpus[0]
    for path in (root / "workbooks").glob(f"{REAL_UNIT}*.xlsx"):
        shutil.copy(path, tmp_path)
    dept = next(tmp_path.glob("*部门整体*.xlsx"))
    table, = [t for t in read_workbook(dept).tables if t.kind == "department"]
    cell = table.fields["unit_name"]
    book = load_workbook(dept)
    book[cell.sheet][cell.ref] = f"{REAL_UNIT}（广州市音像资料馆）"
    book.save(dept)
    result = draft(sorted(tmp_path.glob("*.xlsx")), tmp_path / "报告.docx")
    (unit, path), = result.written
    assert set(unit.names) == {REAL_UNIT, f"{REAL_UNIT}（广州市音像资料馆）"} and len(unit.projects) == 7
    text = "".join(p.text for p in read_report(path))
    assert "以下名称视为同一单位：" in text and "广州市音像资料馆" in text


# --------------------------------------------------------------------------- planted narrative errors

EDITS = {
    # name: (needle, old, new, codes with tables, codes without)
    "figure-changed": ("管理效能评价分析", "自评44.43分", "自评44.34分", {"report-table-mismatch"}, set()),
    "breakdown-no-sum": ("分值100分，其中预算执行", "效益指标30分", "效益指标40分",
                         {"report-parts-sum", "report-table-mismatch"}, {"report-parts-sum"}),
    "rate-other-year": ("支出决算", "预算完成率99.76%", "预算完成率97.50%",
                        {"report-rate", "report-table-mismatch"},     # the table says which rate is right
                        {"report-rate", "report-figure-twice"}),      # alone: the 综述 restates the rate
    "effect-40-of-30": ("；自评", "效益指标30分，满意度", "效益指标40分，满意度",
                        {"report-score-over-weight", "report-parts-sum", "report-table-mismatch"},
                        {"report-score-over-weight", "report-parts-sum"}),
}


@pytest.fixture(scope="module")
def edited(corpus):
    """Each edit applied to the real unit's drafted report: (path, paragraph) by edit name."""
    root = corpus[0]
    folder = root / "edited"
    folder.mkdir()
    source = _report(corpus, REAL_UNIT)
    out = {}
    for name, (needle, old, new, _, _) in EDITS.items():
        target = folder / f"{name}.docx"
        out[name] = (target, edit(source, target, needle, old, new))
    return out


@pytest.mark.parametrize("name", sorted(EDITS))
def test_planted_error_found_at_its_paragraph(corpus, edited, name):
    units = corpus[2]
    path, paragraph = edited[name]
    with_tables, without = EDITS[name][3], EDITS[name][4]
    found = _errors(check_report(path, units))
    assert {f.code for f in found} == with_tables             # the table says which is right: said once
    at = f"第{paragraph}段"      # stated twice: found at the later place, naming the edited one
    assert all(f.cell == at or (f.code == "report-figure-twice" and at in f.message) for f in found), found
    assert EDITS[name][2] in found[0].message                    # the sentence is quoted
    alone = {f.code for f in _errors(check_report(path))}
    assert alone == without


def test_a_table_mismatch_names_the_table_and_its_figure(corpus, edited):
    path, _ = edited["figure-changed"]
    [found] = [f for f in check_report(path, corpus[2]).findings if f.code == "report-table-mismatch"]
    assert "自评 报告为 44.34，部门整体支出绩效自评表为 44.43" in found.message, found.message

def test_txt_report_reads_as_the_docx(corpus, tmp_path):
    units = corpus[2]
    paragraphs = read_report(_report(corpus, REAL_UNIT))
    txt = tmp_path / "report.txt"
    txt.write_text("\n\n".join(p.text for p in paragraphs), encoding="gb18030")
    assert [p.text for p in read_report(txt)] == [p.text for p in paragraphs]
    assert _errors(check_report(txt, units)) == []


def test_unreadable_report_is_a_finding(tmp_path):
    bad = tmp_path / "报告.docx"
    bad.write_bytes(b"not a zip")
    (report,) = list(check_reports([bad], []))
    assert [f.code for f in report.findings] == ["unreadable"]


def test_check_command_reads_reports_beside_the_tables(corpus, edited, tmp_path):
    root = corpus[0]
    folder = tmp_path / "in"
    folder.mkdir()
    for path in (root / "workbooks").glob("广州市文化馆*.xlsx"):      # tables with warnings only
        shutil.copy(path, folder)
    shutil.copy(_report(corpus, "广州市文化馆"), folder)
    assert find_reports([folder]) == [folder / _report(corpus, "广州市文化馆").name]
    json_path = tmp_path / "f.json"
    assert main(["check", str(folder), "-j", "1", "-q", "--json", str(json_path)]) == 0
    assert "report-placeholder" in json_path.read_text(encoding="utf-8")
    assert main(["check", str(edited["rate-other-year"][0]), "-q"]) == 1     # a report alone: internal checks
    assert main(["check", "--list-checks"]) == 0


# --------------------------------------------------------------------------- PDF through LibreOffice

@pytest.fixture(scope="module")
def pdfs(corpus, edited):
    """The real unit's report and its edited copies as PDF, in one LibreOffice run."""
    from selfeval_xl.engines.libreoffice import soffice_available, to_pdf

    if not soffice_available():
        if os.environ.get("CI") == "true":
            pytest.fail("soffice missing in CI")
        pytest.skip("LibreOffice not installed")
    root = corpus[0]
    sources = [_report(corpus, REAL_UNIT)] + [path for path, _ in edited.values()]
    made = to_pdf(sources, root / "pdf")
    return dict(zip(["drafted", *edited], made))


@pytest.mark.libreoffice
def test_pdf_rejoined_and_clean(corpus, pdfs):
    units = corpus[2]
    paragraphs = read_report(pdfs["drafted"])
    text = [p.text for p in paragraphs]
    assert "支出预算1014.40万元，支出决算1011.98万元，预算执行差额2.42万元，预算完成率99.76%。" in "".join(text)
    body = text[:next(n for n, t in enumerate(text) if t.startswith("五、"))]   # the 附件 tables hold bare numbers
    assert len(body) > 50 and not any(t.strip("—- ").isdigit() for t in body)  # page numbers dropped
    assert max(p.page for p in paragraphs) > 3
    assert _errors(check_report(pdfs["drafted"], units)) == []
    docx_statements = len(read_report(_report(corpus, REAL_UNIT)))
    assert docx_statements > 0


@pytest.mark.libreoffice
@pytest.mark.parametrize("name", sorted(EDITS))
def test_pdf_planted_error_found_on_its_page(corpus, pdfs, name):
    found = _errors(check_report(pdfs[name], corpus[2]))
    assert {f.code for f in found} >= EDITS[name][3]
    assert all(f.sheet.startswith("第") and f.sheet.endswith("页") for f in found)
    assert EDITS[name][2] in found[0].message


# --------------------------------------------------------------------------- the real case (SPEC.md)

REAL_CASE = """广州市档案发展中心2021年度部门整体支出绩效自评报告

一、基本情况

（三）部门整体收支情况

2021年度支出预算1132.01万元，支出决算1011.98万元，预算执行差额120.03万元。

二、综合评价分析

项目总分100分，管理效能45分，履职效能50分，加减分项5分。

产出数量指标评价分析：分值32分，自评32分。

1.人物专辑 年度指标为：21集，分值4分。

实际完成21集，自评4分。

（一）自评结论综述

项目自评总分94.43分。涉及21个管理效能指标，12个履职效能指标。实际完成指标33个，指标完成率100%。

总分94.43分，其中管理效能44.43分，履职效能50分，加减分0分。支出预算1014.4万元，支出决算1011.98
万元，预算完成率99.76%。

（二）各项工作任务

1.声像档案专辑制作项目

分值100分，其中预算执行10分，占比10%，产出指标50分，占比50%，效益指标30分，占比30%，满意度指标10分，占比10%。自评95.95分，其中预算执行9.55分，产出指标46.4分，效益指标40分。

2.档案展厅运营项目

分值100分，其中预算执行10分，产出指标50分，效益指标40分。自评100分，其中预算执行10分，产出指标50分，效益指标40分。
"""


def test_the_real_case_in_its_own_words(tmp_path):
    """The 2021 report's errors, as SPEC.md tells them, written the way that report words them: found
    without its tables; its consistent statements (94.43 = 44.43 + 50 + 0, 33 of 21 + 12 indicators at
    100%, a bare "自评 4 分" of nothing named) raise nothing. 99.76% is 1011.98 / 1014.4, the budget of its
    own sentence: the error is the budget stated twice, said once, not again as a wrong rate."""
    path = tmp_path / "2021年度报告.txt"
    path.write_text(REAL_CASE, encoding="utf-8")
    paragraphs = read_report(path)
    found = {(f.code, f.cell) for f in check_report(path).findings}
    def at(start: str) -> str:
        return next(f"第{p.number}段" for p in paragraphs if p.text.startswith(start))

    assert found == {
        ("report-figure-twice", at("总分94.43分")),           # 支出预算 1132.01 and 1014.4
        ("report-score-over-weight", at("分值100分，其中预算执行10分，占比")),   # 效益 40 against its 30
        ("report-part-missing", at("分值100分，其中预算执行10分，占比")),       # no 满意度 among the scores
    }



def test_the_real_case_with_one_indicator_less_done_has_a_wrong_indicator_rate(tmp_path):
    """33 indicators (21 + 12), 32 done: its 指标完成率 100% is said to be 96.97%, at its paragraph; the
    other findings stay as they were."""
    path = tmp_path / "2021年度报告.txt"
    path.write_text(REAL_CASE.replace("实际完成指标33个", "实际完成指标32个"), encoding="utf-8")
    paragraph = next(f"第{p.number}段" for p in read_report(path) if p.text.startswith("项目自评总分94.43分"))
    rates = [f for f in check_report(path).findings if f.code == "report-rate"]
    assert [(f.cell, f.expected) for f in rates] == [(paragraph, Decimal("96.97"))]
    assert "实际完成指标 32 个 / 指标 33 个 = 96.97%" in rates[0].message

@pytest.mark.libreoffice
def test_text_extracted_from_a_pdf_reads_as_the_pdf(corpus, pdfs, tmp_path):
    """A .txt of a PDF's extracted text (pages apart by form feeds, lines broken, page numbers in):
    rejoined like the PDF itself, and the planted error found on the same page."""
    from pypdf import PdfReader

    txt = tmp_path / "rate.txt"
    txt.write_text("\f".join(p.extract_text() for p in PdfReader(pdfs["rate-other-year"]).pages), encoding="utf-8")
    assert [(p.page, p.number, p.text) for p in read_report(txt)] == \
        [(p.page, p.number, p.text) for p in read_report(pdfs["rate-other-year"])]
    found = {(f.code, f.sheet, f.cell) for f in _errors(check_report(txt, corpus[2]))}
    assert found == {(f.code, f.sheet, f.cell) for f in _errors(check_report(pdfs["rate-other-year"], corpus[2]))}
    assert "report-rate" in {code for code, _, _ in found}


def test_a_heading_of_items_ends_with_its_chapter():
    """``满意度指标分析：`` heads the items below it (``1.满意度指标：`` is then an indicator of that name), up
    to the next chapter: there the same words are the level again."""
    from selfeval_xl.narrative.facts import names_of
    from selfeval_xl.narrative.statements import extract
    from selfeval_xl.narrative.text import Paragraph

    texts = ["一、部门概况", "本单位负责档案工作。", "二、绩效自评情况", "满意度指标分析：服务对象满意度较高。",
             "1.满意度指标：分值10分，自评9分。", "三、项目自评情况", "1.满意度指标：分值10分，自评9分。"]
    found = extract([Paragraph(n, t) for n, t in enumerate(texts, 1)], names_of([])).statements
    assert [(s.paragraph.number, s.key[1]) for s in found] == [(5, "indicator"), (5, "indicator"), (7, "level"), (7, "level")]

    projects = ["一、部门概况", "本单位负责档案工作。", "三、项目自评情况", "1.档案数字化项目", "满意度指标分析：服务对象满意度较高。",
                "2.档案修复项目：项目分值100分。", "（1）满意度指标：分值10分，自评9分。"]     # nor into the next project
    found = extract([Paragraph(n, t) for n, t in enumerate(projects, 1)], names_of([])).statements
    assert [s.key[1] for s in found if s.paragraph.number == 7] == ["level"] * 2
