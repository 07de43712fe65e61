"""An .xlsm with cell comments, scored: every part named once, each sheet's comment drawing its own.

The defect: openpyxl (``keep_vba``) kept the old ``commentsDrawing1.vml`` of one sheet and wrote a new
``commentsDrawing1.vml`` for another sheet's new comments — two zip entries of one name, a package Excel
calls damaged. These tests read the saved zip itself, so they fail on that whatever the warning filters.
"""
import posixpath
import warnings
import zipfile
from collections import Counter
from pathlib import Path

import openpyxl
import pytest
from defusedxml import ElementTree
from openpyxl.utils import coordinate_to_tuple

from selfeval_xl.book.comment_drawings import EXCEL, only_comments
from selfeval_xl.book.openpyxl_book import OpenpyxlBook
from selfeval_xl.book.package import DuplicatePartError, check_unique_parts
from selfeval_xl.cli import main as cli_main
from selfeval_xl.engines.libreoffice import recalculate
from test_addin import PROJECT
from test_cli_score import macro_workbook

REL = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
CT = "{http://schemas.openxmlformats.org/package/2006/content-types}"
VML_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/vmlDrawing"
NOTE_SHAPES = """<xml xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office"
 xmlns:x="urn:schemas-microsoft-com:office:excel"><o:shapelayout v:ext="edit"><o:idmap v:ext="edit" data="1"/>
 </o:shapelayout><v:shapetype id="_x0000_t202" coordsize="21600,21600" o:spt="202"/>{shapes}</xml>"""
NOTE = '<v:shape type="#_x0000_t202"><x:ClientData ObjectType="Note"><x:Row>3</x:Row></x:ClientData></v:shape>'
BUTTON = '<v:shape type="#_x0000_t201"><x:ClientData ObjectType="Button"><x:FmlaMacro>[0]!Hello</x:FmlaMacro>' \
         '</x:ClientData></v:shape>'


def scored(tmp_path: Path) -> tuple[Path, Path]:
    source = macro_workbook(tmp_path / "城市档案.xlsm")
    cli_main(["score", str(source), "-o", str(tmp_path / "out")])
    return source, tmp_path / "out" / source.name


def duplicates(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as z:
        return [name for name, count in Counter(z.namelist()).items() if count > 1]


def relationships(z: zipfile.ZipFile) -> dict[str, list]:
    """Part → its relationships (type, absolute target), for every internal relationship of the package."""
    result = {}
    for rels in (n for n in z.namelist() if n.endswith(".rels")):
        folder = posixpath.dirname(posixpath.dirname(rels))
        source = posixpath.join(folder, posixpath.basename(rels)[:-len(".rels")])
        result[source] = [
            (r.get("Type"), r.get("Target").lstrip("/") if r.get("Target").startswith("/")
             else posixpath.normpath(posixpath.join(folder, r.get("Target"))))
            for r in ElementTree.fromstring(z.read(rels)).iter(REL) if r.get("TargetMode") != "External"]
    return result


def assert_consistent(path: Path) -> None:
    """Each relationship points at a part that is there; each part has a content type; no stale override."""
    with zipfile.ZipFile(path) as z:
        names = set(z.namelist())
        for source, rels in relationships(z).items():
            for kind, target in rels:
                assert target in names, (source, kind, target)
        types = ElementTree.fromstring(z.read("[Content_Types].xml"))
    defaults = {d.get("Extension").lower() for d in types.iter(f"{CT}Default")}
    overrides = {o.get("PartName").lstrip("/") for o in types.iter(f"{CT}Override")}
    assert overrides <= names
    for name in names - {"[Content_Types].xml"}:
        assert name in overrides or name.rsplit(".", 1)[-1].lower() in defaults, name


def note_cells(path: Path) -> dict[str, set]:
    """Sheet part → the (row, column) of each comment box its own VML drawing shows (0-based)."""
    with zipfile.ZipFile(path) as z:
        result = {}
        for source, rels in relationships(z).items():
            drawings = [target for kind, target in rels if kind == VML_REL]
            if source.startswith("xl/worksheets/") and drawings:
                assert len(drawings) == 1, source
                root = ElementTree.fromstring(z.read(drawings[0]))
                result[source] = {(int(d.findtext(f"{{{EXCEL}}}Row")), int(d.findtext(f"{{{EXCEL}}}Column")))
                                  for d in root.iter(f"{{{EXCEL}}}ClientData") if d.get("ObjectType") == "Note"}
        return result


def comment_cells(path: Path) -> dict[str, set]:
    """Sheet part → the (row, column) of each comment openpyxl reads back (0-based)."""
    wb = openpyxl.load_workbook(path, keep_vba=True)
    result = {}
    for index, ws in enumerate(wb.worksheets, start=1):
        cells = {tuple(n - 1 for n in coordinate_to_tuple(c.coordinate))
                 for row in ws.iter_rows() for c in row if c.comment is not None}
        if cells:
            result[f"xl/worksheets/sheet{index}.xml"] = cells
    return result


def test_scored_xlsm_names_each_part_once_and_draws_each_sheets_comments(tmp_path):
    source, target = scored(tmp_path)
    assert duplicates(target) == []
    assert_consistent(target)
    wb = openpyxl.load_workbook(target, keep_vba=True)
    assert wb["附件说明"]["A4"].comment.text == "会计的批注"              # the accountant's own note
    assert wb["附件说明"]["A4"].comment.author == "会计"
    marks = [c for row in wb[PROJECT.sheet].iter_rows() for c in row if c.comment is not None]
    assert marks                                                       # the planted problems are marked
    drawn = note_cells(target)
    assert len(drawn) == 2 and drawn == comment_cells(target)          # each sheet: its own boxes, no other's
    with zipfile.ZipFile(source) as a, zipfile.ZipFile(target) as b:
        assert a.read("xl/vbaProject.bin") == b.read("xl/vbaProject.bin")


def test_scoring_a_scored_xlsm_again(tmp_path):
    _, first = scored(tmp_path)
    cli_main(["score", str(first), "-o", str(tmp_path / "again")])
    second = tmp_path / "again" / first.name
    assert duplicates(second) == []
    assert_consistent(second)
    assert note_cells(second) == comment_cells(second) == comment_cells(first)


def test_a_sheet_whose_comments_are_all_removed_keeps_no_dangling_drawing(tmp_path):
    _, first = scored(tmp_path)
    book = OpenpyxlBook.open(first)
    ws = book.wb[PROJECT.sheet]
    for cell in [c for row in ws.iter_rows() for c in row if c.comment is not None]:
        book.set_comment(PROJECT.sheet, cell.coordinate, "")
    book.save(tmp_path / "cleared.xlsm")
    assert duplicates(tmp_path / "cleared.xlsm") == []
    assert_consistent(tmp_path / "cleared.xlsm")
    assert note_cells(tmp_path / "cleared.xlsm") == comment_cells(tmp_path / "cleared.xlsm")
    assert set(comment_cells(tmp_path / "cleared.xlsm")) == {"xl/worksheets/sheet4.xml"}   # 附件说明 only


def test_only_a_drawing_of_nothing_but_comment_boxes_is_redrawn():
    assert only_comments(NOTE_SHAPES.format(shapes=NOTE * 2).encode())
    assert only_comments(NOTE_SHAPES.format(shapes="").encode())
    assert not only_comments(NOTE_SHAPES.format(shapes=NOTE + BUTTON).encode())   # a macro button: kept
    assert not only_comments(b"<xml><v:shape></xml")                              # unreadable: kept as it is


def test_a_package_with_a_name_twice_is_refused(tmp_path):
    path = tmp_path / "twice.zip"
    with warnings.catch_warnings(), zipfile.ZipFile(path, "w") as z:
        warnings.simplefilter("ignore")                     # zipfile warns, then writes the entry anyway
        z.writestr("xl/drawings/commentsDrawing1.vml", "a")
        z.writestr("xl/drawings/commentsDrawing1.vml", "b")
    with pytest.raises(DuplicatePartError, match="commentsDrawing1.vml"):
        check_unique_parts(path)


@pytest.mark.libreoffice
def test_libreoffice_opens_the_scored_xlsm(tmp_path):
    _, target = scored(tmp_path)
    [converted] = recalculate([target], tmp_path / "lo")
    assert converted.is_file() and converted.stat().st_size > 0
    wb = openpyxl.load_workbook(converted)
    assert wb["附件说明"]["A4"].comment.text.strip() == "会计的批注"
