"""Scoring by patching the package: only the scored sheet's parts, styles and the workbook index change;
every other member (charts, images, comments of other sheets, printer settings, VBA, shared strings,
docProps) is copied byte for byte, and the result opens in openpyxl, python-calamine and LibreOffice."""
import re
import struct
import zipfile
import zlib
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given, settings, strategies as st
from openpyxl.chart import BarChart, Reference
from openpyxl.comments import Comment
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from python_calamine import CalamineWorkbook

from department_style import department_style
from selfeval_xl.book import BookRefused
from selfeval_xl.book.package_book import PackageBook
from selfeval_xl.cli import main as cli_main
from selfeval_xl.score.writeback import RESULTS_SHEET, score_book
from test_addin import DEPARTMENT, PROJECT, department_workbook, project_workbook
from test_cli_score import macro_workbook

PRINTER = b"\x00printer settings as Windows leaves them\x01\x02"


def png() -> bytes:
    """A 1×1 red PNG (no imaging library needed)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00")) + chunk(b"IEND", b""))


def parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist()}


def compressions(path: Path) -> dict[str, int]:
    with zipfile.ZipFile(path) as z:
        return {i.filename: i.compress_type for i in z.infolist()}


def raw_members(path: Path) -> dict[str, bytes]:
    """Each member's compressed bytes as stored."""
    result = {}
    with zipfile.ZipFile(path) as z, path.open("rb") as handle:
        for info in z.infolist():
            handle.seek(info.header_offset + 26)
            name_len, extra_len = struct.unpack("<HH", handle.read(4))
            handle.seek(info.header_offset + 30 + name_len + extra_len)
            result[info.filename] = handle.read(info.compress_size)
    return result


def rewrite(path: Path, change: dict[str, bytes], level: int | None = None) -> None:
    old = parts(path)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as z:
        for name, data in {**old, **change}.items():
            z.writestr(name, data)


def busy_workbook(path: Path) -> Path:
    """A department's one-sheet 自评表 (with a comment of its own) beside sheets holding a chart, an
    image, comments, data validation, a defined name and Windows printer settings."""
    source, _ = department_workbook(path.with_name("template.xlsx"))
    department_style(source, path)
    wb = openpyxl.load_workbook(path)
    wb.worksheets[0]["A2"].comment = Comment("单位自己的批注", "会计")
    chart_sheet = wb.create_sheet("图表")
    for r, (name, value) in enumerate([("基本", 614.4), ("项目", 400)], start=1):
        chart_sheet.cell(r, 1, name), chart_sheet.cell(r, 2, value)
    chart = BarChart()
    chart.add_data(Reference(chart_sheet, min_col=2, min_row=1, max_row=2))
    chart_sheet.add_chart(chart, "D2")
    notes = wb.create_sheet("附件说明")
    notes["A1"], notes["A2"] = "说明", "=图表!B1*2"
    notes["A1"].comment = Comment("附件的批注", "会计")
    validation = DataValidation(type="list", formula1='"是,否"')
    notes.add_data_validation(validation)
    validation.add("B1")
    wb.defined_names["附件合计"] = DefinedName("附件合计", attr_text="'附件说明'!$A$2")
    notes.page_setup.orientation = "landscape"
    wb.save(path)
    old = parts(path)
    drawing = next(n for n in old if re.fullmatch(r"xl/drawings/drawing\d+\.xml", n))
    drawing_rels = drawing.replace("drawings/", "drawings/_rels/") + ".rels"
    picture = ('<xdr:oneCellAnchor><xdr:from><xdr:col>1</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>10</xdr:row>'
               '<xdr:rowOff>0</xdr:rowOff></xdr:from><xdr:ext cx="95250" cy="95250"/><xdr:pic><xdr:nvPicPr>'
               '<xdr:cNvPr id="9" name="图片 1"/><xdr:cNvPicPr/></xdr:nvPicPr><xdr:blipFill>'
               '<a:blip xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" r:embed="rIdImg"/>'
               '<a:stretch><a:fillRect/></a:stretch></xdr:blipFill><xdr:spPr><a:prstGeom prst="rect"><a:avLst/>'
               '</a:prstGeom></xdr:spPr></xdr:pic><xdr:clientData/></xdr:oneCellAnchor>')
    notes_part = "xl/worksheets/sheet3.xml"
    notes_rels = "xl/worksheets/_rels/sheet3.xml.rels"
    rel = ('<Relationship Id="rIdPrn" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
           'printerSettings" Target="../printerSettings/printerSettings1.bin"/>')
    rewrite(path, {
        "xl/media/image1.png": png(),
        drawing: old[drawing].replace(b"</xdr:wsDr>", picture.encode() + b"</xdr:wsDr>"),
        drawing_rels: old[drawing_rels].replace(b"</Relationships>", (
            '<Relationship Id="rIdImg" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            'image" Target="../media/image1.png"/></Relationships>').encode()),
        "xl/printerSettings/printerSettings1.bin": PRINTER,
        notes_rels: old[notes_rels].replace(b"</Relationships>", rel.encode() + b"</Relationships>"),
        notes_part: re.sub(rb"<pageSetup\b([^>]*?)/>", rb'<pageSetup\1 xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" r:id="rIdPrn"/>', old[notes_part]),
        "[Content_Types].xml": old["[Content_Types].xml"].replace(b"</Types>", (
            '<Default Extension="png" ContentType="image/png"/><Default Extension="bin" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.printerSettings"/></Types>').encode()),
    }, level=1)                           # another program's deflate: recompressing would change the bytes
    return path


def note_boxes(vml: bytes) -> list[tuple[int, int]]:
    """(row, col) of each comment box of a VML drawing; parsing it proves every prefix is declared."""
    from defusedxml import ElementTree

    excel = "{urn:schemas-microsoft-com:office:excel}"
    return sorted((int(data.find(f"{excel}Row").text), int(data.find(f"{excel}Column").text))
                  for data in ElementTree.fromstring(vml).iter(f"{excel}ClientData") if data.get("ObjectType") == "Note")


def comment_cells(path: Path, sheet: str) -> list[tuple[int, int]]:
    ws = openpyxl.load_workbook(path)[sheet]
    return sorted((c.row - 1, c.column - 1) for row in ws.iter_rows() for c in row if c.comment)


SCORED_SHEET_PARTS = {"xl/worksheets/sheet1.xml", "xl/worksheets/_rels/sheet1.xml.rels"}
INDEX_PARTS = {"xl/styles.xml", "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "[Content_Types].xml"}


def changed_members(before: Path, after: Path) -> tuple[set[str], set[str]]:
    """(members whose bytes or compression differ, members added); fails on a member removed."""
    old, new = parts(before), parts(after)
    assert set(old) <= set(new), set(old) - set(new)
    kinds_old, kinds_new = compressions(before), compressions(after)
    differ = {n for n in old if old[n] != new[n] or kinds_old[n] != kinds_new[n]}
    return differ, set(new) - set(old)


def test_score_changes_only_the_scored_sheet_styles_and_index(tmp_path):
    (tmp_path / "in").mkdir()
    source = busy_workbook(tmp_path / "in" / "部门.xlsx")
    with zipfile.ZipFile(source) as z:
        own_comments = {n for n in z.namelist() if "comments" in n.lower()}
    assert cli_main(["score", str(source), "-o", str(tmp_path / "out")]) == 1
    target = tmp_path / "out" / source.name
    differ, added = changed_members(source, target)
    scored_comments = {n for n in own_comments if b"\xe5\x8d\x95\xe4\xbd\x8d" in parts(source)[n]}   # "单位…"
    scored_drawing = {n for n in differ if n.endswith(".vml")}
    assert differ <= SCORED_SHEET_PARTS | INDEX_PARTS | scored_comments | scored_drawing, differ
    assert len(scored_comments) == 1 and len(scored_drawing) == 1     # the scored sheet's own, patched in place
    assert added == {"xl/worksheets/sheet4.xml"}                       # only 检查结果: its marks reuse the parts
    new = parts(target)
    for kept in ("xl/media/image1.png", "xl/printerSettings/printerSettings1.bin", "docProps/app.xml",
                 "xl/worksheets/sheet2.xml", "xl/worksheets/sheet3.xml"):
        assert kept in new and kept not in differ
    assert any(n.startswith("xl/charts/") for n in new)
    wb = openpyxl.load_workbook(target)
    assert wb.sheetnames == [DEPARTMENT.sheet, "图表", "附件说明", RESULTS_SHEET]
    assert wb["附件说明"]["A1"].comment.text == "附件的批注"
    assert wb[DEPARTMENT.sheet]["A2"].comment.text == "单位自己的批注"
    assert "附件合计" in wb.defined_names
    raw_old, raw_new = raw_members(source), raw_members(target)
    assert all(raw_new[n] == raw_old[n] for n in set(raw_old) - differ)     # the very compressed bytes
    with zipfile.ZipFile(target) as z:
        assert z.testzip() is None
    (drawing,) = scored_drawing
    boxes = note_boxes(new[drawing])
    assert boxes == comment_cells(target, DEPARTMENT.sheet) and (1, 0) in boxes and len(boxes) > 1


def test_a_sheet_without_comments_gets_parts_of_new_names(tmp_path):
    """The marks of a sheet with no comments go into new parts, never another sheet's comment1.xml."""
    source = busy_workbook(tmp_path / "部门.xlsx")
    wb = openpyxl.load_workbook(source)
    wb.worksheets[0]["A2"].comment = None
    wb.save(source)
    before = parts(source)
    book = PackageBook.open(source)
    score_book(book)
    book.save(tmp_path / "out.xlsx")
    after = parts(tmp_path / "out.xlsx")
    for name, data in before.items():
        if name.startswith(("xl/comments", "xl/drawings/vmlDrawing")):
            assert after[name] == data, name                                # 附件说明's own, untouched
    new_parts = set(after) - set(before)
    assert len([n for n in new_parts if "comment" in n]) == 1 and len([n for n in new_parts if n.endswith(".vml")]) == 1
    rels = after["xl/worksheets/_rels/sheet1.xml.rels"].decode()
    assert all(n.rsplit("/", 1)[1] in rels for n in new_parts if "comment" in n or n.endswith(".vml"))
    assert openpyxl.load_workbook(tmp_path / "out.xlsx")[DEPARTMENT.sheet]["A2"].comment is None
    (drawing,) = [n for n in new_parts if n.endswith(".vml")]
    assert note_boxes(after[drawing]) == comment_cells(tmp_path / "out.xlsx", DEPARTMENT.sheet)


def test_xlsm_members_other_than_ours_are_byte_equal(tmp_path):
    source = macro_workbook(tmp_path / "城市档案.xlsm")
    cli_main(["score", str(source), "-o", str(tmp_path / "out")])
    differ, added = changed_members(source, tmp_path / "out" / source.name)
    assert "xl/vbaProject.bin" not in differ
    assert not any(n.startswith(("xl/worksheets/sheet2", "xl/worksheets/sheet3")) for n in differ), differ
    assert differ - INDEX_PARTS <= {n for n in differ if "sheet1" in n or "omment" in n or n.endswith(".vml")}


def test_a_second_run_takes_its_marks_away_and_grows_nothing(tmp_path):
    source, _ = project_workbook(tmp_path / "项目.xlsx")
    cli_main(["score", str(source), "-o", str(tmp_path / "once")])
    once = tmp_path / "once" / source.name
    cli_main(["score", str(once), "-o", str(tmp_path / "twice")])
    twice = tmp_path / "twice" / source.name
    a, b = parts(once), parts(twice)
    assert set(a) == set(b)
    for name in ("xl/styles.xml", "xl/worksheets/sheet1.xml", *[n for n in a if "omment" in n or n.endswith(".vml")]):
        assert a[name] == b[name], name               # marks cleared to the cell's own format, then set again
    (drawing,) = [n for n in b if n.endswith(".vml")]
    assert note_boxes(b[drawing]) == comment_cells(twice, PROJECT.sheet)


def test_the_scored_file_has_no_findings_beyond_what_score_reported(tmp_path):
    from selfeval_xl.checks import check_workbook
    from selfeval_xl.read import read_workbook

    for make in (project_workbook, department_workbook):
        source, _ = make(tmp_path / f"{make.__name__}.xlsx")
        for path in (source, department_style(source, tmp_path / f"dept-{source.name}")):
            book = PackageBook.open(path)
            summary = score_book(book)
            book.save(tmp_path / "scored.xlsx")
            again = check_workbook(read_workbook(tmp_path / "scored.xlsx"))
            key = lambda f: (f.code, f.sheet, f.cell, f.message)     # noqa: E731
            assert {key(f) for f in again.findings} <= {key(f) for f in summary.report.findings}, path.name


# --------------------------------------------------------------------------- the sheet XML, edge by edge

def sheet_xml(path: Path) -> str:
    return parts(path)["xl/worksheets/sheet1.xml"].decode()


def simple(path: Path) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "表"
    ws["B2"], ws["C2"], ws["B4"] = 1, "文字", 3
    wb.save(path)
    return path


def test_missing_cells_and_rows_are_inserted_in_order_and_the_dimension_grows(tmp_path):
    path = simple(tmp_path / "a.xlsx")
    text = sheet_xml(path).replace('<row r="2"', '<row r="2" spans="2:3"')
    rewrite(path, {"xl/worksheets/sheet1.xml": text.encode()})
    book = PackageBook.open(path)
    for ref, value in (("A2", 0.5), ("E2", "右"), ("D3", True), ("F9", "末"), ("A1", 7)):
        book.write("表", ref, value)
    book.save(tmp_path / "b.xlsx")
    out = sheet_xml(tmp_path / "b.xlsx")
    assert re.findall(r'<row r="(\d+)"', out) == ["1", "2", "3", "4", "9"]
    assert re.findall(r'<c r="([A-Z]+2)"', out) == ["A2", "B2", "C2", "E2"]
    assert 'spans="1:5"' in out and re.search(r'<dimension ref="A1:F9"\s*/>', out)
    ws = openpyxl.load_workbook(tmp_path / "b.xlsx")["表"]
    assert [ws[r].value for r in ("A1", "A2", "B2", "C2", "E2", "D3", "B4", "F9")] == [7, 0.5, 1, "文字", "右", True, 3, "末"]


def test_single_quoted_attributes_are_read_as_well(tmp_path):
    path = simple(tmp_path / "a.xlsx")
    rewrite(path, {"xl/worksheets/sheet1.xml": re.sub(r'<c r="(\w+)"', r"<c r='\1'", sheet_xml(path)).encode()})
    book = PackageBook.open(path)
    book.write("表", "A2", 5)
    book.write("表", "D2", "x")
    book.save(tmp_path / "b.xlsx")
    assert re.findall(r"<c r=.([A-Z]+2)", sheet_xml(tmp_path / "b.xlsx")) == ["A2", "B2", "C2", "D2"]
    ws = openpyxl.load_workbook(tmp_path / "b.xlsx")["表"]
    assert [ws[r].value for r in ("A2", "B2", "C2", "D2")] == [5, 1, "文字", "x"]


def test_shared_formulas_keep_their_formula_and_get_values(tmp_path):
    path = simple(tmp_path / "a.xlsx")
    text = sheet_xml(path).replace(
        '<row r="4"', '<row r="3"><c r="B3"><f t="shared" ref="B3:C3" si="0">B2*2</f><v>2</v></c>'
                      '<c r="C3"><f t="shared" si="0"/><v>0</v></c></row><row r="4"')
    rewrite(path, {"xl/worksheets/sheet1.xml": text.encode()})
    book = PackageBook.open(path)
    assert book.read("表", "C3").formula == "=B2*2"                   # a follower shows its master's text
    book.store_result("表", "C3", 99)
    with pytest.raises(ValueError):                                  # a shared master keeps its formula
        book.write("表", "B3", 1)
    book.save(tmp_path / "b.xlsx")
    out = sheet_xml(tmp_path / "b.xlsx")
    assert '<c r="C3"><f t="shared" si="0"/><v>99</v></c>' in out
    assert '<f t="shared" ref="B3:C3" si="0">B2*2</f><v>2</v>' in out
    assert CalamineWorkbook.from_path(str(tmp_path / "b.xlsx")).get_sheet_by_name("表").to_python(skip_empty_area=False)[2][2] == 99


def test_calc_chain_goes_only_when_a_formula_cell_becomes_a_constant(tmp_path):
    path = simple(tmp_path / "a.xlsx")
    text = sheet_xml(path).replace('<c r="B4" t="n"><v>3</v></c>', '<c r="B4"><f>B2+2</f><v>3</v></c>')
    chain = b'<calcChain xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><c r="B4" i="1"/></calcChain>'
    old = parts(path)
    rewrite(path, {
        "xl/worksheets/sheet1.xml": text.encode(), "xl/calcChain.xml": chain,
        "xl/_rels/workbook.xml.rels": old["xl/_rels/workbook.xml.rels"].replace(b"</Relationships>", (
            b'<Relationship Id="rIdChain" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            b'calcChain" Target="calcChain.xml"/></Relationships>')),
        "[Content_Types].xml": old["[Content_Types].xml"].replace(b"</Types>", (
            b'<Override PartName="/xl/calcChain.xml" ContentType="application/vnd.openxmlformats-officedocument.'
            b'spreadsheetml.calcChain+xml"/></Types>'))})
    assert "<f>B2+2</f>" in sheet_xml(path)
    book = PackageBook.open(path)
    book.store_result("表", "B4", 3)
    book.save(tmp_path / "kept.xlsx")
    assert parts(tmp_path / "kept.xlsx")["xl/calcChain.xml"] == chain
    book = PackageBook.open(path)
    book.write("表", "B4", 5)
    book.save(tmp_path / "dropped.xlsx")
    after = parts(tmp_path / "dropped.xlsx")
    assert "xl/calcChain.xml" not in after
    assert b"calcChain" not in after["xl/_rels/workbook.xml.rels"] + after["[Content_Types].xml"]
    wb = openpyxl.load_workbook(tmp_path / "dropped.xlsx")
    assert wb["表"]["B4"].value == 5 and wb.calculation.fullCalcOnLoad


def test_a_new_comment_drawing_goes_before_the_sheets_own_extension_list(tmp_path):
    """A conditional format's rule carries an ``extLst`` of its own: the ``legacyDrawing`` must go after
    the whole format and before the sheet's top-level ``extLst``, not inside the rule."""
    path = simple(tmp_path / "a.xlsx")
    rule = ('<conditionalFormatting sqref="B2:B4"><cfRule type="dataBar" priority="1"><dataBar><cfvo type="min"/>'
            '<cfvo type="max"/><color rgb="FF638EC6"/></dataBar><extLst><ext uri="{B025F937-C7B1-47D3-B67F-'
            'A62EFF666E3E}" xmlns:x14="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main"><x14:id>'
            '{00000000-0000-0000-0000-000000000001}</x14:id></ext></extLst></cfRule></conditionalFormatting>')
    tail = '<extLst><ext uri="{05C60535-1F16-4fd2-B633-F4F36F0B64E0}"/></extLst></worksheet>'
    text = re.sub(r"(</sheetData>)", r"\1" + rule, sheet_xml(path)).replace("</worksheet>", tail)
    rewrite(path, {"xl/worksheets/sheet1.xml": text.encode()})
    book = PackageBook.open(path)
    book.set_comment("表", "B2", "批注")
    book.save(tmp_path / "b.xlsx")
    out = sheet_xml(tmp_path / "b.xlsx")
    assert out.index("</conditionalFormatting>") < out.index("<legacyDrawing") < out.rindex("<extLst>")
    assert openpyxl.load_workbook(tmp_path / "b.xlsx")["表"]["B2"].comment.text == "批注"


def test_a_package_that_cannot_be_patched_is_reported_and_left_alone(tmp_path, capsys):
    source, _ = project_workbook(tmp_path / "项目.xlsx")
    styles = parts(source)["xl/styles.xml"].decode()
    rewrite(source, {"xl/styles.xml": re.sub(r"<cellXfs\b.*?</cellXfs>", "", styles, flags=re.S).encode()})
    assert cli_main(["score", str(source), "-o", str(tmp_path / "out")]) == 1
    assert "无法打开" in capsys.readouterr().err and not (tmp_path / "out" / source.name).exists()


def test_a_hostile_range_is_refused_before_the_reader_sees_it(tmp_path):
    """One value at XFD1048576 makes python-calamine abort the process; score refuses the file first
    (run in a process of its own, so a regression shows as a failure, not a dead test session)."""
    import subprocess
    import sys

    good, _ = project_workbook(tmp_path / "好.xlsx")
    bad = simple(tmp_path / "坏.xlsx")
    rewrite(bad, {"xl/worksheets/sheet1.xml": sheet_xml(bad).replace(
        "</sheetData>", '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData>').encode()})
    done = subprocess.run([sys.executable, "-c", "import sys; from selfeval_xl.cli import main; sys.exit(main())",
                           "score", str(bad), str(good), "-o", str(tmp_path / "out")],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 1, done.stderr[-500:]
    assert "限制项 cells" in done.stderr and (tmp_path / "out" / "好.xlsx").is_file()
    assert not (tmp_path / "out" / "坏.xlsx").exists()
    with pytest.raises(BookRefused, match="XFD1048576"):        # the Book itself guards, not only score
        PackageBook.open(bad)


def prefixed(path: Path) -> Path:
    """The main namespace under an ``x:`` prefix in every part that uses it (as some generators write)."""
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    change = {}
    for name, data in parts(path).items():
        text = data.decode("utf-8", errors="replace")
        if name.endswith(".xml") and f'xmlns="{main}"' in text:
            text = text.replace(f'xmlns="{main}"', f'xmlns:x="{main}"')
            text = re.sub(r"<(/?)(?![?!])([A-Za-z]\w*)(?=[\s/>])", r"<\1x:\2", text)
            change[name] = text.encode()
    rewrite(path, change)
    return path


def test_a_prefixed_package_is_patched_in_its_own_prefix(tmp_path):
    path = prefixed(simple(tmp_path / "a.xlsx"))
    assert "<x:sheetData>" in sheet_xml(path)
    book = PackageBook.open(path)
    assert book.read("表", "B2").value == 1
    book.write("表", "D5", "新")
    book.set_fill("表", "B2", "FFC7CE")
    book.set_comment("表", "B2", "批注")
    book.put_sheet(RESULTS_SHEET, [["序号", "单元格"], [1, "'表'!B2"]], {})
    book.save(tmp_path / "b.xlsx")
    out = sheet_xml(tmp_path / "b.xlsx")
    assert '<x:c r="D5" t="inlineStr"><x:is><x:t>新</x:t></x:is></x:c>' in out
    assert re.search(r"<x:legacyDrawing r:id=", out) or re.search(r'<x:legacyDrawing xmlns:r=', out)
    wb = openpyxl.load_workbook(tmp_path / "b.xlsx")
    assert wb.sheetnames == ["表", RESULTS_SHEET]
    assert wb["表"]["D5"].value == "新" and wb["表"]["B2"].comment.text == "批注"
    assert wb["表"]["B2"].fill.fgColor.rgb == "FFFFC7CE"
    again = PackageBook.open(tmp_path / "b.xlsx")
    assert again.fill("表", "B2") == "FFC7CE" and again.read("表", "D5").value == "新"


def test_text_is_escaped_and_control_characters_kept_out_of_the_xml(tmp_path):
    path = simple(tmp_path / "a.xlsx")
    book = PackageBook.open(path)
    book.write("表", "A1", ' <a&b> "引号" ')
    book.write("表", "A2", "响铃\x07_x0041_")
    book.set_comment("表", "A1", "1 < 2 & 3")
    book.save(tmp_path / "b.xlsx")
    ws = openpyxl.load_workbook(tmp_path / "b.xlsx")["表"]
    assert ws["A1"].value == ' <a&b> "引号" '
    assert ws["A1"].comment.text == "1 < 2 & 3"
    assert "\x07" not in sheet_xml(tmp_path / "b.xlsx")
    assert CalamineWorkbook.from_path(str(tmp_path / "b.xlsx")).get_sheet_by_name("表").to_python()[1][0] \
        == "响铃\x07_x0041_"                    # the spec's escapes, decoded as Excel decodes them


ESCAPED = re.compile(r"_x[0-9A-Fa-f]{4}_")
_refs = st.tuples(st.integers(0, 12), st.integers(1, 40)).map(lambda t: f"{chr(65 + t[0])}{t[1]}")
_values = st.one_of(st.integers(-10**9, 10**9), st.floats(allow_nan=False, allow_infinity=False, width=64),
                    st.booleans(),
                    st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=20),
                    st.from_regex(r" ?=?_x[0-9A-F]{4}_ ?", fullmatch=True))     # text, never a formula


@settings(max_examples=40, deadline=None)
@given(writes=st.dictionaries(_refs, _values, min_size=1, max_size=25))
def test_any_cells_written_read_back_through_openpyxl(tmp_path_factory, writes):
    folder = tmp_path_factory.mktemp("prop")
    path = simple(folder / "a.xlsx")
    book = PackageBook.open(path)
    for ref, value in writes.items():
        book.write("表", ref, value)
    book.save(folder / "b.xlsx")
    ws = openpyxl.load_workbook(folder / "b.xlsx")["表"]
    rows = CalamineWorkbook.from_path(str(folder / "b.xlsx")).get_sheet_by_name("表").to_python(skip_empty_area=False)
    for ref, value in writes.items():
        got = ws[ref].value
        if isinstance(value, str) and ESCAPED.search(value):     # openpyxl does not decode _xHHHH_;
            r, c = int(ref[1:]) - 1, ord(ref[0]) - 65             # Excel and calamine do, as the spec says
            assert rows[r][c] == value, (ref, rows[r][c], value)
        elif isinstance(value, float):
            assert got == pytest.approx(value, rel=1e-15, abs=0), ref
        else:
            assert got == value and type(got) is type(value), (ref, got, value)
    untouched = {"B2": 1, "C2": "文字", "B4": 3}
    for ref, value in untouched.items():
        if ref not in writes:
            assert ws[ref].value == value


# --------------------------------------------------------------------------- LibreOffice opens it

@pytest.mark.libreoffice
def test_libreoffice_opens_the_result_and_sees_our_values(tmp_path):
    from selfeval_xl.engines.libreoffice import recalculate

    source = busy_workbook(tmp_path / "部门.xlsx")
    book = PackageBook.open(source)
    score_book(book)
    book.save(tmp_path / "scored.xlsx")
    (converted,) = recalculate([tmp_path / "scored.xlsx"], tmp_path / "lo")
    assert "xl/sharedStrings.xml" in parts(converted)
    ours = CalamineWorkbook.from_path(str(tmp_path / "scored.xlsx"))
    theirs = CalamineWorkbook.from_path(str(converted))
    assert theirs.sheet_names == ours.sheet_names
    for name in (DEPARTMENT.sheet, RESULTS_SHEET):
        a = ours.get_sheet_by_name(name).to_python()
        b = theirs.get_sheet_by_name(name).to_python()
        for r, row in enumerate(a):
            for c, value in enumerate(row):
                other = b[r][c] if r < len(b) and c < len(b[r]) else ""
                if value == "":                # a formula no one cached (not ours to compute): LO fills it
                    continue
                if isinstance(value, float) or isinstance(other, float):
                    assert value == pytest.approx(other, abs=1e-9), (name, r, c)
                else:
                    assert value == other, (name, r, c, value, other)


@pytest.mark.libreoffice
def test_a_package_written_by_another_program_keeps_its_shared_strings(tmp_path):
    """LibreOffice writes shared strings, a calcChain-free index and its own styles: scoring its output
    changes none of the members other than ours."""
    from selfeval_xl.engines.libreoffice import recalculate

    source, _ = project_workbook(tmp_path / "项目.xlsx")
    (converted,) = recalculate([source], tmp_path / "lo")
    assert cli_main(["score", str(converted), "-o", str(tmp_path / "out")]) == 1
    differ, added = changed_members(converted, tmp_path / "out" / converted.name)
    assert "xl/sharedStrings.xml" in parts(converted) and "xl/sharedStrings.xml" not in differ
    raw_old, raw_new = raw_members(converted), raw_members(tmp_path / "out" / converted.name)
    assert all(raw_new[n] == raw_old[n] for n in set(raw_old) - differ)     # LibreOffice's own deflate kept
    assert not any(n.startswith("docProps/") for n in differ)
    assert differ - INDEX_PARTS <= SCORED_SHEET_PARTS, differ
    assert RESULTS_SHEET in openpyxl.load_workbook(tmp_path / "out" / converted.name).sheetnames


# ------------------------------------------------------------------ what a reader of the saved file sees

def _vml_ids(path: Path) -> tuple[list[str], list[str]]:
    """Every drawing's shape-id blocks (``o:idmap data``) and every shape id, across the package."""
    blocks, shapes = [], []
    for name, data in parts(path).items():
        if name.endswith(".vml"):
            text = data.decode("utf-8")
            blocks += [b.strip() for m in re.findall(r'idmap\b[^>]*data="([\d,\s]+)"', text) for b in m.split(",")]
            shapes += re.findall(r'<[\w:]*shape\b[^>]*\bid="(_x0000_s\d+)"', text)
    return blocks, shapes


def test_new_comment_drawings_take_shape_ids_no_other_drawing_uses(tmp_path):
    """Excel calls a package with one shape id in two drawings damaged (and moves the boxes): a sheet's
    new drawing takes a block no drawing of the file (openpyxl's data="1") nor another new one uses."""
    source = tmp_path / "三表.xlsx"
    wb = openpyxl.Workbook()
    wb.active.title = "甲"
    wb.active["A1"].comment = Comment("已有批注", "会计")                 # openpyxl's drawing, block 1
    wb.create_sheet("乙")["A1"] = 1
    wb.create_sheet("丙")["A1"] = 1
    wb.save(source)
    book = PackageBook.open(source)
    book.set_comment("乙", "B2", "检查：缺少")
    book.set_comment("丙", "C3", "检查：缺少")
    book.save(tmp_path / "out.xlsx")
    blocks, shapes = _vml_ids(tmp_path / "out.xlsx")
    assert len(blocks) == 3 and len(set(blocks)) == 3, blocks
    assert len(shapes) == 3 and len(set(shapes)) == 3, shapes
    again = openpyxl.load_workbook(tmp_path / "out.xlsx")
    assert again["乙"]["B2"].comment.text == "检查：缺少" and again["甲"]["A1"].comment.text == "已有批注"


def test_the_results_sheet_prints_its_header_on_every_page(tmp_path):
    source = busy_workbook(tmp_path / "部门.xlsx")
    book = PackageBook.open(source)
    score_book(book)
    book.save(tmp_path / "out.xlsx")
    wb = openpyxl.load_workbook(tmp_path / "out.xlsx")
    assert wb[RESULTS_SHEET].print_title_rows == "$1:$1"
    assert all(ws.print_title_rows is None for ws in wb.worksheets if ws.title != RESULTS_SHEET)
    book = PackageBook.open(tmp_path / "out.xlsx")                  # a second run adds no second one
    score_book(book)
    book.save(tmp_path / "again.xlsx")
    workbook_xml = parts(tmp_path / "again.xlsx")["xl/workbook.xml"].decode()
    assert workbook_xml.count("_xlnm.Print_Titles") == 1


def test_a_value_written_over_a_formula_is_a_value_when_read_again(tmp_path):
    source = tmp_path / "f.xlsx"
    wb = openpyxl.Workbook()
    wb.active.title = "表"
    wb.active["A1"], wb.active["B1"], wb.active["C1"] = 2, "=A1*2", "=A1*3"
    wb.save(source)
    book = PackageBook.open(source)
    book.write("表", "B1", 5)
    assert (book.read("表", "B1").value, book.read("表", "B1").formula) == (5, None)
    assert book.read("表", "C1").formula == "=A1*3"                       # its neighbour keeps its own
    book.save(tmp_path / "out.xlsx")
    ws = openpyxl.load_workbook(tmp_path / "out.xlsx")["表"]
    assert (ws["B1"].value, ws["C1"].value) == (5, "=A1*3")


def test_a_hidden_sheet_is_read_as_hidden(tmp_path):
    source = tmp_path / "h.xlsx"
    wb = openpyxl.Workbook()
    wb.active.title = "表"
    wb.create_sheet("底稿").sheet_state = "hidden"
    wb.create_sheet("参数").sheet_state = "veryHidden"
    wb.save(source)
    grids = PackageBook.open(source).grids()
    assert {g.name: g.hidden for g in grids} == {"表": False, "底稿": True, "参数": True}


def test_the_results_sheet_shows_its_rows_links_and_widths(tmp_path):
    """What a reader of 检查结果 sees: every row's values, a bold header frozen above row 2, a link that
    jumps to the marked cell and shows that cell's text, a hidden column for width 0, landscape one
    page wide."""
    from selfeval_xl.book import Link

    book = PackageBook.open(simple(tmp_path / "a.xlsx"))
    book.put_sheet(RESULTS_SHEET, [["序号", "位置", "说明"], [1, "'表'!B2", "应为 2"], [2, None, True]],
                   {(1, 1): Link("表", "B2")}, (6, 0, 40))
    book.save(tmp_path / "b.xlsx")
    ws = openpyxl.load_workbook(tmp_path / "b.xlsx")[RESULTS_SHEET]
    assert [[c.value for c in row] for row in ws.iter_rows()] == \
        [["序号", "位置", "说明"], [1, "'表'!B2", "应为 2"], [2, None, True]]
    assert all(c.font.b for c in ws[1]) and not any(c.font.b for c in ws[2])
    assert ws["B2"].hyperlink.location == "'表'!B2" and ws["B2"].hyperlink.display == "'表'!B2"
    assert ws["B2"].style_id != 0 and ws["A2"].style_id == 0 and ws["C2"].hyperlink is None
    assert ws.freeze_panes == "A2" and ws.dimensions == "A1:C3"
    assert ws.column_dimensions["A"].width == 6 and not ws.column_dimensions["A"].hidden
    assert ws.column_dimensions["B"].hidden and ws.column_dimensions["C"].width == 40
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToWidth == 1
    assert ws.page_setup.fitToHeight == 0 and ws.sheet_properties.pageSetUpPr.fitToPage
    results = parts(tmp_path / "b.xlsx")["xl/worksheets/sheet2.xml"].decode()
    for number, row in re.findall(r'<row r="(\d+)">(.*?)</row>', results):      # each cell in its own row
        assert set(re.findall(r'<c r="[A-Z]+(\d+)"', row)) == {number}, (number, row)
    assert compressions(tmp_path / "b.xlsx")["xl/workbook.xml"] == zipfile.ZIP_DEFLATED        # rewritten, still deflated
    ids = re.findall(r'sheetId="(\d+)"', parts(tmp_path / "b.xlsx")["xl/workbook.xml"].decode())
    assert ids == ["1", "2"]                                   # a sheetId of its own (Excel repairs a twice-used one)


def test_an_empty_sheet_put_is_still_a_sheet(tmp_path):
    book = PackageBook.open(simple(tmp_path / "a.xlsx"))
    book.put_sheet("空", [], {})
    book.save(tmp_path / "b.xlsx")
    assert '<dimension ref="A1:A1"/>' in parts(tmp_path / "b.xlsx")["xl/worksheets/sheet2.xml"].decode()
    ws = openpyxl.load_workbook(tmp_path / "b.xlsx")["空"]
    assert ws.max_row == 1 and ws["A1"].value is None


def _calc_pr(path: Path) -> list[str]:
    return re.findall(r"<calcPr\b[^>]*>", parts(path)["xl/workbook.xml"].decode())


def test_excel_computes_on_open_whatever_calc_settings_the_file_had(tmp_path):
    """Our cached values are not Excel's: ``fullCalcOnLoad`` goes on the one ``calcPr`` (its other
    settings kept) or, where the file has none, into a new one in the schema's place (after
    ``definedNames``, else after ``sheets``)."""
    path = simple(tmp_path / "a.xlsx")
    workbook = parts(path)["xl/workbook.xml"].decode()
    excel = re.sub(r"<calcPr\b[^>]*/>", '<calcPr calcId="191029" iterate="1"/>', workbook)
    named = re.sub(r"<definedNames\s*/>", '<definedNames><definedName name="甲">\'表\'!$B$2</definedName>'
                                          "</definedNames>", re.sub(r"<calcPr\b[^>]*/>", "", workbook))
    empty = re.sub(r"<calcPr\b[^>]*/>", "", workbook)                   # openpyxl's <definedNames />, no calcPr
    bare = re.sub(r"<definedNames\s*/>", "", empty)
    for label, text in (("excel", excel), ("named", named), ("empty", empty), ("bare", bare)):
        source = tmp_path / f"{label}.xlsx"
        source.write_bytes(path.read_bytes())
        rewrite(source, {"xl/workbook.xml": text.encode()})
        book = PackageBook.open(source)
        book.write("表", "A1", 1)
        book.save(tmp_path / f"{label}-out.xlsx")
        out = tmp_path / f"{label}-out.xlsx"
        (calc,) = _calc_pr(out)
        assert 'fullCalcOnLoad="1"' in calc, label
        wb = openpyxl.load_workbook(out)
        assert wb.calculation.fullCalcOnLoad, label
        written = parts(out)["xl/workbook.xml"].decode()
        if label == "excel":
            assert 'calcId="191029"' in calc and 'iterate="1"' in calc
        elif label == "named":
            assert written.index("</definedNames>") < written.index("<calcPr") and "甲" in wb.defined_names
        elif label == "empty":
            assert re.search(r"<definedNames\s*/><calcPr", written)
        else:
            assert written.index("</sheets>") < written.index("<calcPr") < written.index("</workbook>")


def _flag_member(path: Path, member: str, bits: int = 0, signature: bytes | None = None) -> None:
    """Set general-purpose ``bits`` on ``member`` in its local header and its central directory entry
    (as another zip program would write them), or overwrite its local header's ``signature``."""
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as z:
        local, central = z.getinfo(member).header_offset, z.start_dir
    data[local + 6:local + 8] = struct.pack("<H", struct.unpack("<H", data[local + 6:local + 8])[0] | bits)
    if signature is not None:
        data[local:local + 4] = signature
    while data[central + 46:central + 46 + struct.unpack("<H", data[central + 28:central + 30])[0]] != member.encode():
        name_len, extra_len, comment_len = struct.unpack("<3H", data[central + 28:central + 34])
        central += 46 + name_len + extra_len + comment_len
    data[central + 8:central + 10] = struct.pack("<H", struct.unpack("<H", data[central + 8:central + 10])[0] | bits)
    path.write_bytes(bytes(data))


def _local_flags(path: Path, member: str) -> int:
    data = path.read_bytes()
    with zipfile.ZipFile(path) as z:
        local = z.getinfo(member).header_offset
    return struct.unpack("<H", data[local + 6:local + 8])[0]


def test_a_copied_member_keeps_its_header_flags(tmp_path):
    """A member we do not change keeps what its header says (here the deflate option bit another zip
    program sets), not only its compressed bytes."""
    path = simple(tmp_path / "a.xlsx")
    _flag_member(path, "docProps/app.xml", 0x02)
    book = PackageBook.open(path)
    book.write("表", "A1", 1)
    book.save(tmp_path / "b.xlsx")
    assert _local_flags(tmp_path / "b.xlsx", "docProps/app.xml") & 0x02
    with zipfile.ZipFile(tmp_path / "b.xlsx") as z:
        assert z.getinfo("docProps/app.xml").flag_bits & 0x02 and z.testzip() is None
        assert z.read("docProps/app.xml") == parts(path)["docProps/app.xml"]


@pytest.mark.parametrize("damage", ["encrypted", "no local header"])
def test_a_member_that_cannot_be_copied_refuses_the_save(tmp_path, damage):
    """An encrypted member (which a package may not hold) or one whose local header is not there is
    not copied blind: the save fails as a package that cannot be patched."""
    from selfeval_xl.book.package_book import PackageError

    path = simple(tmp_path / "a.xlsx")
    _flag_member(path, "docProps/app.xml", *((0x01,) if damage == "encrypted" else (0, b"XXXX")))
    book = PackageBook.open(path)
    book.write("表", "A1", 1)
    with pytest.raises(PackageError, match="文件包无法修改"):
        book.save(tmp_path / "b.xlsx")


def test_parts_named_from_the_package_root_are_found(tmp_path):
    """A relationship may name its target from the package root (``/xl/comments/comment1.xml``, as we
    and openpyxl write them): a second run reads the comment through it and replaces it in place."""
    path = simple(tmp_path / "a.xlsx")
    book = PackageBook.open(path)
    book.set_comment("表", "B2", "第一次")
    book.save(tmp_path / "once.xlsx")
    rels = parts(tmp_path / "once.xlsx")["xl/worksheets/_rels/sheet1.xml.rels"].decode()
    assert 'Target="/xl/comments/' in rels
    again = PackageBook.open(tmp_path / "once.xlsx")
    assert again.comment("表", "B2") == "第一次"
    again.set_comment("表", "C2", "第二次")
    again.save(tmp_path / "twice.xlsx")
    assert set(parts(tmp_path / "twice.xlsx")) == set(parts(tmp_path / "once.xlsx"))
    ws = openpyxl.load_workbook(tmp_path / "twice.xlsx")["表"]
    assert (ws["B2"].comment.text, ws["C2"].comment.text) == ("第一次", "第二次")


def test_a_new_relationship_takes_an_id_no_other_has(tmp_path):
    """Ids need not run 1, 2, 3 (a sheet deleted in Excel leaves a gap): 检查结果's relationship
    takes one that no relationship of the workbook has, so every sheet opens as itself."""
    path = simple(tmp_path / "a.xlsx")
    old = parts(path)
    rels = old["xl/_rels/workbook.xml.rels"].decode()
    assert 'Id="rId2"' in rels and 'Id="rId4"' not in rels
    rewrite(path, {"xl/_rels/workbook.xml.rels": rels.replace('Id="rId2"', 'Id="rId4"').encode()})
    book = PackageBook.open(path)
    book.put_sheet(RESULTS_SHEET, [["序号"], [1]], {})
    book.save(tmp_path / "b.xlsx")
    ids = re.findall(r'Id="(rId\d+)"', parts(tmp_path / "b.xlsx")["xl/_rels/workbook.xml.rels"].decode())
    assert len(ids) == 4 and len(set(ids)) == 4, ids
    wb = openpyxl.load_workbook(tmp_path / "b.xlsx")
    assert wb.sheetnames == ["表", RESULTS_SHEET] and wb[RESULTS_SHEET]["A2"].value == 1 and wb["表"]["B2"].value == 1


def test_a_file_beyond_its_size_limits_is_refused_before_it_is_read(tmp_path, monkeypatch):
    """Too many bytes on disk, or inflated (a zip bomb): refused from the file's size and the zip's
    directory alone, before any member is inflated."""
    from dataclasses import replace

    from selfeval_xl.core.limits import DEFAULT_LIMITS

    path = simple(tmp_path / "a.xlsx")
    with pytest.raises(BookRefused, match="file_bytes"):
        PackageBook.open(path, replace(DEFAULT_LIMITS, file_bytes=path.stat().st_size - 1))
    inflated = sum(i.file_size for i in zipfile.ZipFile(path).infolist())
    opened, real_open = [], zipfile.ZipFile.open
    monkeypatch.setattr(zipfile.ZipFile, "open", lambda z, name, *a, **k: opened.append(name) or real_open(z, name, *a, **k))
    with pytest.raises(BookRefused, match="uncompressed_bytes"):
        PackageBook.open(path, replace(DEFAULT_LIMITS, uncompressed_bytes=inflated - 1))
    assert opened == []
    monkeypatch.undo()
    assert PackageBook.open(path, replace(DEFAULT_LIMITS, file_bytes=path.stat().st_size,
                                          uncompressed_bytes=inflated)).read("表", "B2").value == 1


def test_a_package_of_our_own_is_written_with_only_the_given_parts_changed(tmp_path):
    """``write_patched`` (fill's template): the given parts replaced or added, every other member its
    very compressed bytes."""
    from selfeval_xl.book.package_book import write_patched

    path = simple(tmp_path / "a.xlsx")
    sheet = sheet_xml(path).replace("<v>3</v>", "<v>4</v>").encode()
    write_patched(path.read_bytes(), tmp_path / "b.xlsx", {"xl/worksheets/sheet1.xml": sheet, "customXml/x.xml": b"<x/>"})
    before, after = parts(path), parts(tmp_path / "b.xlsx")
    assert list(after) == [*before, "customXml/x.xml"]
    assert after["xl/worksheets/sheet1.xml"] == sheet and after["customXml/x.xml"] == b"<x/>"
    raw_old, raw_new = raw_members(path), raw_members(tmp_path / "b.xlsx")
    assert all(raw_new[n] == raw_old[n] for n in before if n != "xl/worksheets/sheet1.xml")
    assert openpyxl.load_workbook(tmp_path / "b.xlsx")["表"]["B4"].value == 4


def test_a_workbook_index_that_cannot_be_parsed_is_named_in_the_refusal(tmp_path):
    """A ``workbook.xml`` cut short: the guard measures every sheet part instead, then the open fails
    saying what is wrong with the index (not a crash of ours)."""
    path = simple(tmp_path / "a.xlsx")
    rewrite(path, {"xl/workbook.xml": parts(path)["xl/workbook.xml"][:-20]})
    with pytest.raises(SyntaxError, match="unclosed token"):
        PackageBook.open(path)


def test_a_workbook_without_a_styles_part_cannot_be_patched(tmp_path):
    """Our marks need ``styles.xml``: a package that names none is refused on open, as a package we
    cannot patch (the user's file is not written), not a crash of ours."""
    from selfeval_xl.book.package_book import PackageError

    path = simple(tmp_path / "a.xlsx")
    rels = parts(path)["xl/_rels/workbook.xml.rels"].decode()
    rewrite(path, {"xl/_rels/workbook.xml.rels": re.sub(r'<Relationship [^>]*/styles"[^>]*/>', "", rels).encode()})
    with pytest.raises(PackageError, match="styles"):
        PackageBook.open(path)


def test_print_titles_written_by_another_program_are_not_doubled(tmp_path):
    """openpyxl writes an empty ``<definedNames />``: 检查结果's ``Print_Titles`` goes into it (a second
    ``definedNames`` is a file Excel repairs). LibreOffice writes ``localSheetId`` before ``name``: a
    file it saved after our run, scored again, still has one ``Print_Titles``."""
    path = simple(tmp_path / "a.xlsx")
    assert re.search(r"<definedNames\s*/>", parts(path)["xl/workbook.xml"].decode())
    book = PackageBook.open(path)
    book.put_sheet(RESULTS_SHEET, [["序号"], [1]], {})
    book.save(tmp_path / "once.xlsx")
    workbook = parts(tmp_path / "once.xlsx")["xl/workbook.xml"].decode()
    assert workbook.count("<definedNames") == 1 and workbook.index("</sheets>") < workbook.index("<definedNames>")
    assert openpyxl.load_workbook(tmp_path / "once.xlsx")[RESULTS_SHEET].print_title_rows == "$1:$1"
    swapped = re.sub(r'<definedName name="_xlnm.Print_Titles" localSheetId="(\d+)">',
                     r'<definedName function="false" localSheetId="\1" name="_xlnm.Print_Titles">', workbook)
    assert swapped != workbook
    rewrite(tmp_path / "once.xlsx", {"xl/workbook.xml": swapped.encode()})
    again = PackageBook.open(tmp_path / "once.xlsx")
    again.put_sheet(RESULTS_SHEET, [["序号"], [2]], {})
    again.save(tmp_path / "twice.xlsx")
    assert parts(tmp_path / "twice.xlsx")["xl/workbook.xml"].decode().count("_xlnm.Print_Titles") == 1
    assert openpyxl.load_workbook(tmp_path / "twice.xlsx")[RESULTS_SHEET].print_title_rows == "$1:$1"


def test_a_workbook_with_a_chart_sheet_is_scored(tmp_path):
    """A chart sheet (a unit's 图表 on a tab of its own) has no cells: the worksheets are read and
    written, the chart sheet is copied as it is."""
    wb = openpyxl.Workbook()
    wb.active.title = "表"
    wb.active["A1"] = 1
    chart = BarChart()
    chart.add_data(Reference(wb.active, min_col=1, min_row=1, max_row=1))
    wb.create_chartsheet("图").add_chart(chart)
    wb.save(tmp_path / "a.xlsx")
    book = PackageBook.open(tmp_path / "a.xlsx")
    assert book.sheet_names() == ["表"]
    book.write("表", "B1", 2)
    book.put_sheet(RESULTS_SHEET, [["序号"]], {})
    book.save(tmp_path / "b.xlsx")
    assert parts(tmp_path / "b.xlsx")["xl/chartsheets/sheet1.xml"] == parts(tmp_path / "a.xlsx")["xl/chartsheets/sheet1.xml"]
    out = openpyxl.load_workbook(tmp_path / "b.xlsx")
    assert out.sheetnames == ["表", "图", RESULTS_SHEET] and out["表"]["B1"].value == 2
    assert out[RESULTS_SHEET].print_title_rows == "$1:$1"                # its index counts the chart sheet


def test_a_damaged_declaration_in_styles_leaves_the_values_readable(tmp_path):
    """A styles part the XML reader refuses (a document type declaration) gives no number formats;
    the values are read all the same."""
    path = simple(tmp_path / "a.xlsx")
    styles = parts(path)["xl/styles.xml"].decode()
    rewrite(path, {"xl/styles.xml": styles.replace("<styleSheet", "<!DOCTYPE styleSheet><styleSheet", 1).encode()})
    book = PackageBook.open(path)
    assert [book.read("表", ref).value for ref in ("B2", "C2", "B4")] == [1, "文字", 3]


def _content_types(path: Path) -> tuple[list[str], list[str]]:
    """(the extensions of the Default entries, the part names of the Override entries)."""
    types = parts(path)["[Content_Types].xml"].decode()
    return (re.findall(r'<Default\b[^>]*Extension="([^"]+)"', types),
            [p.lstrip("/") for p in re.findall(r'<Override\b[^>]*PartName="([^"]+)"', types)])


def test_every_new_part_has_one_content_type(tmp_path):
    """Excel refuses a package with a part of no content type, or an extension typed twice: our new
    comments, drawings and 检查结果 are typed, once, beside the drawing openpyxl typed already."""
    source = tmp_path / "a.xlsx"
    wb = openpyxl.Workbook()
    wb.active.title = "甲"
    wb.active["A1"].comment = Comment("已有批注", "会计")                 # its drawing types "vml" already
    wb.create_sheet("乙")["A1"] = 1
    wb.save(source)
    book = PackageBook.open(source)
    book.set_comment("乙", "B2", "检查：缺少")
    book.put_sheet(RESULTS_SHEET, [["序号"]], {})
    book.save(tmp_path / "out.xlsx")
    simple(tmp_path / "bare.xlsx")                                         # no drawing typed yet
    book = PackageBook.open(tmp_path / "bare.xlsx")
    book.set_comment("表", "B2", "检查：缺少")
    book.save(tmp_path / "bare-out.xlsx")
    for out in (tmp_path / "out.xlsx", tmp_path / "bare-out.xlsx"):
        defaults, overrides = _content_types(out)
        assert len(defaults) == len(set(defaults)) and len(overrides) == len(set(overrides)), (defaults, overrides)
        for name in parts(out):
            assert name in overrides or name.rsplit(".", 1)[-1] in defaults, name
        assert "vml" in defaults and all(n in overrides for n in parts(out) if n.startswith("xl/comments/"))


def test_a_drawing_the_sheet_does_not_show_is_not_where_its_comments_go(tmp_path):
    """A sheet whose relationships name a VML drawing its XML never shows (no ``legacyDrawing``, as a
    tool that removed the comments leaves it): the marks get a drawing the sheet shows."""
    path = simple(tmp_path / "a.xlsx")
    vml = ('<xml xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office">'
           '<o:shapelayout v:ext="edit"><o:idmap v:ext="edit" data="1"/></o:shapelayout></xml>')
    rels = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
            'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships/vmlDrawing" Target="/xl/drawings/old.vml"/></Relationships>')
    types = parts(path)["[Content_Types].xml"].decode().replace(
        "</Types>", '<Default Extension="vml" ContentType="application/vnd.openxmlformats-officedocument.vmlDrawing"/></Types>')
    rewrite(path, {"xl/drawings/old.vml": vml.encode(), "xl/worksheets/_rels/sheet1.xml.rels": rels.encode(),
                   "[Content_Types].xml": types.encode()})
    book = PackageBook.open(path)
    book.set_comment("表", "B2", "检查：缺少")
    book.save(tmp_path / "b.xlsx")
    out = parts(tmp_path / "b.xlsx")
    (rid,) = re.findall(r'<legacyDrawing\b[^>]*r:id="(\w+)"', out["xl/worksheets/sheet1.xml"].decode())
    target = re.search(rf'Id="{rid}"[^>]*Target="/?([^"]+)"|Target="/?([^"]+)"[^>]*Id="{rid}"',
                       out["xl/worksheets/_rels/sheet1.xml.rels"].decode())
    shown = next(g for g in target.groups() if g)
    assert note_boxes(out[shown]) == [(1, 1)]
    assert openpyxl.load_workbook(tmp_path / "b.xlsx")["表"]["B2"].comment.text == "检查：缺少"


def test_every_cell_of_a_merge_is_its_first_cell(tmp_path):
    """A 得分 merged over B2:C3: a value, a comment or a fill aimed at any of its cells (first row, first
    column, last corner) lands on B2, the cell Excel shows; a cell beside the merge stays itself."""
    path = simple(tmp_path / "a.xlsx")
    wb = openpyxl.load_workbook(path)
    wb["表"].merge_cells("B2:C3")
    wb.save(path)
    for ref in ("C2", "B3", "C3"):
        book = PackageBook.open(path)
        book.write("表", ref, 7)
        book.set_comment("表", ref, "检查")
        book.set_fill("表", ref, "FFC7CE")
        book.write("表", "D3", 8)
        book.save(tmp_path / "b.xlsx")
        ws = openpyxl.load_workbook(tmp_path / "b.xlsx")["表"]
        assert (ws["B2"].value, ws["B2"].comment.text, ws["B2"].fill.fgColor.rgb) == (7, "检查", "FFFFC7CE"), ref
        assert ws["D3"].value == 8 and ws["A2"].value is None and ws["B4"].value == 3, ref


def test_print_titles_in_a_workbook_without_names_and_a_sheet_with_its_own_prefix(tmp_path):
    """No ``definedNames`` at all: one is made after ``sheets``. A worksheet that declares the
    relationships namespace itself (as Excel writes it): the new ``legacyDrawing`` uses that prefix."""
    path = simple(tmp_path / "a.xlsx")
    workbook = re.sub(r"<definedNames\s*/>", "", parts(path)["xl/workbook.xml"].decode())
    sheet = sheet_xml(path).replace("<worksheet ", '<worksheet xmlns:rel="http://schemas.openxmlformats.org/'
                                    'officeDocument/2006/relationships" ', 1)
    rewrite(path, {"xl/workbook.xml": workbook.encode(), "xl/worksheets/sheet1.xml": sheet.encode()})
    book = PackageBook.open(path)
    book.put_sheet(RESULTS_SHEET, [["序号"], [1]], {})
    book.set_comment("表", "B2", "检查")
    book.save(tmp_path / "b.xlsx")
    written = parts(tmp_path / "b.xlsx")["xl/workbook.xml"].decode()
    assert written.index("</sheets><definedNames>") >= 0 and written.count("<definedNames>") == 1
    assert re.search(r'<legacyDrawing rel:id="rId\d+"/>', sheet_xml(tmp_path / "b.xlsx"))
    wb = openpyxl.load_workbook(tmp_path / "b.xlsx")
    assert wb[RESULTS_SHEET].print_title_rows == "$1:$1" and wb["表"]["B2"].comment.text == "检查"
