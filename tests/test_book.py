"""The file implementations of the workbook interface (openpyxl, and patching the package): cells, names,
marks, sheets, grids, and a save that keeps what openpyxl alone would lose (cached values of formulas,
the VBA project). Each test runs on both (the ``Book`` fixture)."""
import zipfile
from pathlib import Path

import openpyxl
import pytest
import xlwings
from openpyxl.comments import Comment
from openpyxl.styles import PatternFill
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from python_calamine import CalamineWorkbook

from selfeval_xl.book import Link, plain_value
from selfeval_xl.book.cached import from_python, read_cached, to_python

QUICKSTART_XLSM = Path(xlwings.__file__).parent / "quickstart.xlsm"


def small_book(path: Path, vba: bool = False) -> Path:
    """Two sheets, a formula with a cached value (as Excel leaves it), a merge, a comment, validation."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "自评表"
    ws["A1"], ws["B1"], ws["B2"], ws["B3"] = "项目", 4, "=B1*2", '="x"&B1'
    ws.merge_cells("C1:D2")
    ws["C1"] = "合并"
    ws["A3"].comment = Comment("用户的批注", "会计")
    ws["A4"].fill = PatternFill(fill_type="solid", fgColor="FF00B0F0")
    dv = DataValidation(type="list", formula1='"是,否"')
    ws.add_data_validation(dv)
    dv.add("E1")
    wb.defined_names["SE_X"] = DefinedName("SE_X", attr_text="'自评表'!$B$2")
    other = wb.create_sheet("其他")
    other["A1"], other["A2"] = "=自评表!B2+1", "说明"
    if vba:
        wb.vba_archive = zipfile.ZipFile(QUICKSTART_XLSM)
    wb.save(path)
    _give_cached_values(path, {"自评表": {"B2": "8", "B3": "x4"}, "其他": {"A1": "9"}})
    return path


def _give_cached_values(path: Path, values: dict) -> None:
    """What Excel does on save and openpyxl does not: store each formula's result."""
    from selfeval_xl.book.cached import write_cached

    write_cached(path, {s: {r: (None if v.isdigit() else "str", v) for r, v in cells.items()}
                        for s, cells in values.items()})


def calamine_values(path: Path, sheet: str) -> list[list]:
    return CalamineWorkbook.from_path(str(path)).get_sheet_by_name(sheet).to_python(skip_empty_area=False)


def test_read_gives_value_and_formula(tmp_path, Book):
    book = Book.open(small_book(tmp_path / "a.xlsx"))
    assert book.sheet_names() == ["自评表", "其他"]
    assert book.read("自评表", "B2").formula == "=B1*2"
    assert book.read("自评表", "B2").value == 8
    assert book.read("自评表", "B3").value == "x4"
    assert book.read("自评表", "B1").formula is None and book.read("自评表", "B1").value == 4


def test_defined_names(tmp_path, Book):
    book = Book.open(small_book(tmp_path / "a.xlsx"))
    assert book.defined_names() == {"SE_X": "'自评表'!$B$2"}


def test_save_keeps_cached_values_that_openpyxl_drops(tmp_path, Book):
    source = small_book(tmp_path / "a.xlsx")
    book = Book.open(source)
    book.write("自评表", "B1", 5)
    book.store_result("自评表", "B2", 10)
    book.save(tmp_path / "b.xlsx")
    rows = calamine_values(tmp_path / "b.xlsx", "自评表")
    assert rows[0][1] == 5 and rows[1][1] == 10           # the recorded result, not a blank
    assert rows[2][1] == "x4"                              # an untouched formula keeps its old cached value
    assert calamine_values(tmp_path / "b.xlsx", "其他")[0][0] == 9
    again = openpyxl.load_workbook(tmp_path / "b.xlsx")
    assert again["自评表"]["B2"].value == "=B1*2"          # the formula itself is kept
    assert again.calculation.fullCalcOnLoad                # Excel recomputes on open


def test_without_the_patch_openpyxl_would_lose_them(tmp_path):
    """The reason for book.cached: a plain openpyxl save leaves formula cells blank to a values reader."""
    source = small_book(tmp_path / "a.xlsx")
    openpyxl.load_workbook(source).save(tmp_path / "plain.xlsx")
    seen = [v for row in calamine_values(tmp_path / "plain.xlsx", "自评表") for v in row]
    assert 8 not in seen and "x4" not in seen


def test_xlsm_keeps_its_vba_project_byte_for_byte(tmp_path, Book):
    source = small_book(tmp_path / "a.xlsm", vba=True)
    book = Book.open(source)
    book.store_result("自评表", "B2", 8)
    book.set_fill("自评表", "B2", "FFC7CE")
    book.save(tmp_path / "b.xlsm")
    with zipfile.ZipFile(source) as a, zipfile.ZipFile(tmp_path / "b.xlsm") as b:
        assert a.read("xl/vbaProject.bin") == b.read("xl/vbaProject.bin")
        assert b"macroEnabled" in b.read("[Content_Types].xml")


def test_marks_comments_and_fills(tmp_path, Book):
    book = Book.open(small_book(tmp_path / "a.xlsx"))
    assert book.comment("自评表", "A3") == "用户的批注"
    assert book.comment("自评表", "A1") == ""
    assert book.fill("自评表", "A4") == "00B0F0"
    assert book.fill("自评表", "A1") == ""
    book.set_comment("自评表", "A1", "执行率应为 99.76%")
    book.set_fill("自评表", "A1", "FFC7CE")
    book.set_comment("自评表", "A3", "")
    book.save(tmp_path / "b.xlsx")
    again = Book.open(tmp_path / "b.xlsx")
    assert again.comment("自评表", "A1") == "执行率应为 99.76%"
    assert again.fill("自评表", "A1") == "FFC7CE"
    assert again.comment("自评表", "A3") == ""
    book.set_fill("自评表", "A1", "")
    assert book.fill("自评表", "A1") == ""


def test_a_cell_inside_a_merge_is_marked_on_its_first_cell(tmp_path, Book):
    book = Book.open(small_book(tmp_path / "a.xlsx"))
    book.set_fill("自评表", "D2", "FFEB9C")
    assert book.fill("自评表", "C1") == "FFEB9C"


def test_put_sheet_replaces_in_place_with_links(tmp_path, Book):
    book = Book.open(small_book(tmp_path / "a.xlsx"))
    book.put_sheet("结果", [["单元格", "隐藏"], ["'自评表'!B2", "x"]], {(1, 0): Link("自评表", "B2")}, (20, 0))
    book.put_sheet("结果", [["单元格", "隐藏"], ["'自评表'!B1", "y"]], {(1, 0): Link("自评表", "B1")}, (20, 0))
    book.save(tmp_path / "b.xlsx")
    wb = openpyxl.load_workbook(tmp_path / "b.xlsx")
    assert wb.sheetnames == ["自评表", "其他", "结果"]
    ws = wb["结果"]
    assert ws["A2"].value == "'自评表'!B1"
    assert ws["A2"].hyperlink.location == "'自评表'!B1"
    assert ws["A1"].font.bold
    assert ws.column_dimensions["B"].hidden


def test_a_put_sheet_is_read_as_written_once(tmp_path, Book):
    """After ``put_sheet`` (twice, as a second run replaces 检查结果), ``grids()`` holds the sheet once,
    in its place, with the rows last written."""
    book = Book.open(small_book(tmp_path / "a.xlsx"))
    book.put_sheet("结果", [["序号"], [1]], {})
    assert [g.name for g in book.grids()] == ["自评表", "其他", "结果"] and book.grids()[2].value(1, 0) == 1
    book.put_sheet("结果", [["序号"], [2]], {})
    assert [g.name for g in book.grids()] == ["自评表", "其他", "结果"]
    assert book.grids()[2].value(1, 0) == 2 and book.sheet_names() == ["自评表", "其他", "结果"]


def test_an_engine_decimal_is_read_back_as_the_number_the_file_holds(tmp_path, Book):
    """The engine computes in Decimal; a cell holds a double. Read after writing, the value is that
    double (9.98 the float), as a check of the saved file will read it: Decimal("9.98") != 9.98."""
    from decimal import Decimal

    book = Book.open(small_book(tmp_path / "a.xlsx"))
    book.write("自评表", "B1", Decimal("9.98"))
    book.store_result("自评表", "B2", Decimal("19.96"))
    got = [book.read("自评表", ref).value for ref in ("B1", "B2")]
    assert got == [9.98, 19.96] and all(type(v) is float for v in got)
    assert book.read("自评表", "B2").formula == "=B1*2"


def test_grids_carry_values_formulas_and_merges(tmp_path, Book):
    book = Book.open(small_book(tmp_path / "a.xlsx"))
    grid = book.grids()[0]
    assert grid.name == "自评表"
    assert grid.value(1, 1) == 8 and grid.formula(1, 1) == "=B1*2"
    assert grid.value(0, 0) == "项目" and grid.formula(0, 0) is None
    assert (0, 2, 1, 3) in grid.merged


@pytest.mark.parametrize("value", [9.98, 0.997614353312303, 10, "优", "#全年预算数为0", "#DIV/0!", True])
def test_cached_value_round_trip(value):
    assert to_python(from_python(value)) == value


def test_cached_error_and_text_types():
    assert from_python("#DIV/0!")[0] == "e"
    assert from_python("优")[0] == "str"
    assert from_python(None) is None
    from decimal import Decimal
    assert from_python(Decimal("9.98")) == (None, "9.98")
    assert plain_value(Decimal("9.98")) == 9.98


def test_read_cached_only_lists_formula_cells(tmp_path):
    cached = read_cached(small_book(tmp_path / "a.xlsx"))
    assert set(cached["自评表"]) == {"B2", "B3"}
    assert cached["其他"] == {"A1": (None, "9")}


def test_a_palette_fill_is_given_back_exactly(tmp_path, Book):
    from openpyxl.styles import Color

    path = small_book(tmp_path / "a.xlsx")
    wb = openpyxl.load_workbook(path)
    wb["自评表"]["A5"].fill = PatternFill(fill_type="solid", fgColor=Color(theme=4, tint=0.6))
    wb.save(path)
    book = Book.open(path)
    own = book.fill("自评表", "A5")
    assert own == "theme:4:0.6"
    book.set_fill("自评表", "A5", "FFC7CE")
    book.set_fill("自评表", "A5", own)
    book.save(tmp_path / "b.xlsx")
    color = openpyxl.load_workbook(tmp_path / "b.xlsx")["自评表"]["A5"].fill.fgColor
    assert (color.type, color.theme, color.tint) == ("theme", 4, 0.6)


def test_an_xlsm_keeps_its_own_office_2010_ribbon(tmp_path, Book):
    """openpyxl keeps customUI14.xml but drops its relationship; the save puts it back."""
    source = small_book(tmp_path / "a.xlsm", vba=True)
    rel = ('<Relationship Id="rIdRibbon" Type="http://schemas.microsoft.com/office/2007/relationships/ui/'
           'extensibility" Target="customUI/customUI14.xml"/>')
    ribbon = b'<customUI xmlns="http://schemas.microsoft.com/office/2009/07/customui"><ribbon/></customUI>'
    with zipfile.ZipFile(source) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    parts["_rels/.rels"] = parts["_rels/.rels"].replace(b"</Relationships>", rel.encode() + b"</Relationships>")
    parts["customUI/customUI14.xml"] = ribbon
    with zipfile.ZipFile(source, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)

    openpyxl.load_workbook(source, keep_vba=True).save(tmp_path / "plain.xlsm")
    with zipfile.ZipFile(tmp_path / "plain.xlsm") as z:
        assert b"customUI14.xml" not in z.read("_rels/.rels")          # what openpyxl alone does

    Book.open(source).save(tmp_path / "b.xlsm")
    with zipfile.ZipFile(tmp_path / "b.xlsm") as z:
        rels = z.read("_rels/.rels").decode()
        assert z.read("customUI/customUI14.xml") == ribbon
    assert rels.count("customUI14.xml") == 1 and "2007/relationships/ui/extensibility" in rels
    Book.open(tmp_path / "b.xlsm").save(tmp_path / "c.xlsm")      # and again: not doubled
    with zipfile.ZipFile(tmp_path / "c.xlsm") as z:
        assert z.read("_rels/.rels").decode().count("customUI14.xml") == 1
