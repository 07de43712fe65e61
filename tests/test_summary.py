"""summary.xlsx: its sheets, rows, totals per 单位, grade distribution and native charts; it opens in
LibreOffice headless and the charts render."""
from __future__ import annotations

import struct
import zlib
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

import selfeval_xl.checks.registry  # noqa: F401  (declares the finding codes used below)
from selfeval_xl.core.findings import FileReport, finding
from selfeval_xl.report.summary_workbook import FIXED_SHEETS, GRADES, OVERVIEW, RATES, ROWS, UNITS, safe_sheet_name, \
    write_summary

D = Decimal
ODD_UNIT = "广州市[档案]:局*?/\\直属单位——名称非常非常非常长的一个单位"


def report(unit, name, kind="project", budget="100", spent="95", total="95.5", grade="优", stated=None,
           errors=0, warnings=0, path=None):
    r = FileReport(path or f"/data/{unit}/{name}.xlsx", unit, name, kind, stated if stated is not None else total,
                   D(total) if total is not None else None, grade, D(budget) if budget else None,
                   D(spent) if spent else None)
    r.findings += [finding("total-mismatch", f"总分错误{i}", file=r.path) for i in range(errors)]
    r.findings += [finding("figure-inconsistent", f"数字不一致{i}", file=r.path) for i in range(warnings)]
    return r


REPORTS = [
    report("甲单位", "项目一", budget="100", spent="80", total="72.5", grade="中", errors=1),
    report("甲单位", "项目二", budget="300", spent="300", total="91", grade="优", stated="95.95"),
    report("甲单位", "甲单位", kind="department", budget="1000", spent="990", total="94.43", grade="优", warnings=1),
    report("乙单位", "项目三", budget="50", spent="49.5", total="85", grade="良"),
    report(ODD_UNIT, "项目四", budget="10", spent="5", total="55", grade="差", errors=5),
    report("", "无单位项目", budget=None, spent=None, total=None, grade=""),
]


@pytest.fixture(scope="module")
def summary_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("summary") / "summary.xlsx"
    info = write_summary(REPORTS, path)
    assert info.workbooks == 6 and info.units == 4
    return path


def values(ws, min_row=4):
    return [tuple(row) for row in ws.iter_rows(min_row=min_row, values_only=True) if any(row)]


def test_sheets_fixed_then_one_per_unit_with_safe_names(summary_file):
    wb = openpyxl.load_workbook(summary_file)
    names = wb.sheetnames
    assert names[:5] == list(FIXED_SHEETS)
    per_unit = names[5:]
    assert len(per_unit) == 4 and {"甲单位", "乙单位", "（未填单位）"} <= set(per_unit)
    odd = next(n for n in per_unit if n.startswith("广州市"))
    assert len(odd) <= 31 and not set(odd) & set("[]:*?/\\")


def test_one_row_per_workbook_with_figures(summary_file):
    ws = openpyxl.load_workbook(summary_file)[ROWS]
    rows = values(ws)
    assert len(rows) == 6
    header = [c.value for c in ws[3]]
    by_name = {r[header.index("项目 / 部门")]: dict(zip(header, r)) for r in rows}
    one = by_name["项目一"]
    assert (one["全年预算数（万元）"], one["全年执行数（万元）"], one["执行率"], one["总分"], one["等级"]) == \
        (100, 80, 0.8, 72.5, "中")
    assert one["错误"] == 1 and "总分错误0" in one["主要问题"]
    assert by_name["项目二"]["填报总分"] == "95.95"          # shown only where it differs from the recomputed
    assert by_name["项目三"]["填报总分"] is None
    assert "等共 5 项" in by_name["项目四"]["主要问题"]
    assert by_name["甲单位"]["表类型"] == "部门整体"
    assert ws.freeze_panes == "A4" and ws.auto_filter.ref.startswith("A3:")
    assert ws.cell(4, header.index("执行率") + 1).number_format == "0.00%"
    link = ws.cell(4, len(header)).hyperlink
    assert link is not None and link.target.endswith(".xlsx")


def test_totals_per_unit_count_projects_only(summary_file):
    ws = openpyxl.load_workbook(summary_file)[UNITS]
    header = [c.value for c in ws[3]]
    rows = {r[0]: dict(zip(header, r)) for r in values(ws)}
    a = rows["甲单位"]
    assert (a["项目数"], a["项目预算合计（万元）"], a["项目执行合计（万元）"]) == (2, 400, 380)
    assert a["执行率"] == pytest.approx(0.95)
    assert a["项目平均分"] == pytest.approx(81.75) and a["部门整体得分"] == pytest.approx(94.43)
    assert (a["优"], a["中"], a["有错误的工作簿"], a["错误"], a["警告"]) == (1, 1, 1, 1, 1)
    total = rows["合计"]
    assert total["项目数"] == 5 and total["项目预算合计（万元）"] == 460 and total["错误"] == 6
    per_unit = openpyxl.load_workbook(summary_file)["甲单位"]
    last = values(per_unit)[-1]
    assert last[1] == "合计" and last[4] == 400 and last[6] == pytest.approx(0.95)


def test_grade_distribution(summary_file):
    ws = openpyxl.load_workbook(summary_file)[GRADES]
    rows = {r[0]: r for r in values(ws)}
    assert [rows[g][2:] for g in ("优", "良", "中", "差")] == [(1, 1, 2), (1, 0, 1), (1, 0, 1), (1, 0, 1)]
    assert rows["合计"][2:] == (4, 1, 5)


def test_native_charts_on_the_overview(summary_file):
    wb = openpyxl.load_workbook(summary_file)
    from zipfile import ZipFile

    with ZipFile(summary_file) as z:
        charts = sorted(n for n in z.namelist() if n.startswith("xl/charts/chart"))
        xml = [z.read(n).decode() for n in charts]
    assert len(charts) == 3
    kinds = sorted("pieChart" if "<pieChart" in x else "barChart" for x in xml if "<pieChart" in x or "<barChart" in x)
    assert kinds == ["barChart", "barChart", "pieChart"]
    assert any("各单位得分" in x for x in xml) and any("项目执行率" in x for x in xml)
    assert any(f"'{RATES}'!" in x for x in xml) and any(f"'{UNITS}'!" in x for x in xml)
    ws = wb[OVERVIEW]
    assert ws["A1"].value == "预算绩效自评汇总"
    assert wb[RATES].cell(4, 3).value == pytest.approx(0.5)      # lowest 执行率 first (项目四)
    rules = wb[ROWS].conditional_formatting
    assert any("优" in str(r.formula) for cf in rules for r in cf.rules)


def test_safe_sheet_name():
    taken = {"汇总"}
    assert safe_sheet_name("汇总", taken) == "汇总(2)"
    assert safe_sheet_name("History", taken) == "History_"
    assert safe_sheet_name("'a[b]c'", taken) == "a_b_c"
    long = safe_sheet_name("长" * 40, taken)
    assert len(long) == 31 and safe_sheet_name("长" * 40, taken) == "长" * 28 + "(2)"
    assert safe_sheet_name("ABC", {"abc"}) == "ABC(2)"


def _png_ink(path: Path) -> float:
    """The share of non-white pixels of an 8-bit PNG (RGB/RGBA/grey), rows unfiltered as the PNG spec says."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    chunks, at, header = [], 8, None
    while at < len(data):
        length, kind = struct.unpack(">I4s", data[at:at + 8])
        body = data[at + 8:at + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBB", body[:10])
        elif kind == b"IDAT":
            chunks.append(body)
        at += 12 + length
    width, height, depth, color = header
    assert depth == 8
    bpp = {0: 1, 2: 3, 4: 2, 6: 4}[color]
    raw, stride = zlib.decompress(b"".join(chunks)), width * bpp
    previous, ink = bytearray(stride), 0
    for y in range(height):
        kind, row = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            left = row[i - bpp] if i >= bpp else 0
            up, corner = previous[i], previous[i - bpp] if i >= bpp else 0
            if kind == 1:
                row[i] = (row[i] + left) & 255
            elif kind == 2:
                row[i] = (row[i] + up) & 255
            elif kind == 3:
                row[i] = (row[i] + (left + up) // 2) & 255
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                row[i] = (row[i] + (left if pa <= pb and pa <= pc else up if pb <= pc else corner)) & 255
        ink += sum(1 for x in range(0, stride, bpp) if min(row[x:x + min(bpp, 3)]) < 200)
        previous = row
    return ink / (width * height)


@pytest.mark.libreoffice
def test_summary_opens_in_libreoffice_and_the_charts_render(summary_file, tmp_path):
    from selfeval_xl.engines.libreoffice import pdf_to_png, recalculate, to_pdf

    [again] = recalculate([summary_file], tmp_path / "roundtrip")        # opens and saves: a valid workbook
    assert openpyxl.load_workbook(again).sheetnames[:5] == list(FIXED_SHEETS)
    [pdf] = to_pdf([summary_file], tmp_path)
    pages = pdf_to_png(pdf, tmp_path / "png", dpi=60)
    assert len(pages) >= 5
    # the overview page carries three charts (bars and a pie): far more ink than a page of a table
    overview, table = _png_ink(pages[0]), _png_ink(pages[-1])
    assert overview > 0.08 and overview > 2 * table, (overview, table)


def test_cli_checks_then_summarizes(tmp_path, capsys):
    from selfeval_xl.cli import main
    from selfeval_xl.fill import fill

    examples = Path(__file__).parent.parent / "examples" / "fill-example.xlsx"
    assert fill(examples, tmp_path / "books", year=2021).ok
    out = tmp_path / "汇总.xlsx"
    assert main(["summary", str(tmp_path / "books"), "-o", str(out), "--jobs", "1"]) == 0
    assert "4 个工作簿，1 个单位" in capsys.readouterr().out
    rows = openpyxl.load_workbook(out)[ROWS]
    assert rows.max_row == 3 + 4
    assert main(["summary", str(tmp_path / "books"), "-o", str(out), "--jobs", "1"]) == 0   # ours: replaced
    other = tmp_path / "别人的.xlsx"
    openpyxl.Workbook().save(other)
    assert main(["summary", str(tmp_path / "books"), "-o", str(other)]) == 2      # not ours: never silently
    assert main(["summary", str(tmp_path / "books"), "-o", str(other), "--force", "--jobs", "1"]) == 0


def test_each_table_is_graded_and_coloured_by_its_own_system(tmp_path):
    """A system grading 合格 (60+) / 不合格: its grades are counted with their own bands and coloured by
    their place in their own list (合格 its best: green; 不合格 its worst: red), beside the national 优良中差."""
    from selfeval_xl.report.summary_workbook import GRADE_COLORS, grade_scale

    own = ((60.0, "合格"), (0.0, "不合格"))
    reports = [report("甲单位", "项目一", total="91", grade="优"),
               report("乙单位", "项目二", total="72", grade="合格"), report("乙单位", "项目三", total="30", grade="不合格")]
    for r in reports[1:]:
        r.grades = own
    scale = {s.name: s for s in grade_scale([(), own])}
    assert (scale["合格"].tone, scale["不合格"].tone) == ("优", "差")
    assert (scale["合格"].floor, scale["合格"].upper, scale["不合格"].upper) == (60.0, 100.0, 60.0)
    path = tmp_path / "summary.xlsx"
    write_summary(reports, path)
    wb = openpyxl.load_workbook(path)
    grades = {row[0]: row for row in values(wb[GRADES]) if row[0] != "合计"}
    assert grades["合格"][1:] == ("60（含）–100", 1, 0, 1) and grades["不合格"][1:] == ("0（含）–60", 1, 0, 1)
    assert grades["优"][1:] == ("90（含）–100", 1, 0, 1)
    headers = [c.value for c in wb[UNITS][3]]
    assert {"合格", "不合格", "优"} <= set(headers)
    rules = [(r.formula[0], r.dxf.fill.fgColor.rgb) for rng in wb[ROWS].conditional_formatting for r in rng.rules
             if r.formula and r.dxf and r.dxf.fill is not None and r.formula[0].startswith('"')]
    colours = dict(rules)
    assert colours['"合格"'].endswith(GRADE_COLORS["优"]) and colours['"不合格"'].endswith(GRADE_COLORS["差"])


def test_the_overview_counts_each_kind_and_a_file_without_a_table_apart(tmp_path):
    """A file where no table was read (kind "") is neither 项目支出 nor 部门整体; a second copy of a
    project is still a 项目支出 workbook."""
    reports = [report("甲单位", "项目一"), report("甲单位", "项目一", path="/data/甲单位/项目一（2）.xlsx"),
               report("甲单位", "甲单位", kind="department"),
               report("", "说明", kind="", budget=None, spent=None, total=None, grade="", errors=1)]
    reports[1].findings.append(finding("duplicate-submission", "重复提交", file=reports[1].path))
    path = tmp_path / "summary.xlsx"
    write_summary(reports, path)
    line = openpyxl.load_workbook(path)[OVERVIEW]["A2"].value
    assert line.startswith("共 4 个工作簿（项目支出 2，部门整体 1，未读到自评表 1），1 个单位")


def test_a_units_title_wraps_within_its_table_not_across_the_page(tmp_path):
    """A 单位's sheet title is merged over the table's columns and wraps (the row grows): a long name
    from a workbook must not widen what prints (LibreOffice fits the page to the overflowing text)."""
    long_unit = "很长的单位名称" * 30
    path = write_summary([report(long_unit, "项目"), report("甲单位", "项目")], tmp_path / "s.xlsx").path
    wb = openpyxl.load_workbook(path)
    long_sheet, short_sheet = wb[wb.sheetnames[5]], wb[wb.sheetnames[6]]
    if long_sheet["A1"].value != long_unit:
        long_sheet, short_sheet = short_sheet, long_sheet
    for ws in (long_sheet, short_sheet):
        [title] = [m for m in ws.merged_cells.ranges if m.min_row == m.max_row == 1]
        assert (title.min_col, title.max_col) == (1, ws.max_column) and ws["A1"].alignment.wrap_text
    assert short_sheet.row_dimensions[1].height == 30 < long_sheet.row_dimensions[1].height
