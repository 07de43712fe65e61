"""The short cuts of issue 26 give what the long way gave: the parse cache (bounded, errors raised anew),
workbook.xml by the standard parser only where no entity can be declared, the formula scan that starts
from each ``<f>``, one recomputation per table in a batch, one inflation of each part when scoring."""
from __future__ import annotations

import re
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest
from defusedxml.ElementTree import fromstring as defused_fromstring
from hypothesis import example, given, settings, strategies as st

from check_workbooks import build_department, build_project
from selfeval_xl.core import parse
from selfeval_xl.core.parse import ParseError, parse_quantity, parse_value
from selfeval_xl.read import guard, xlsx_xml
from selfeval_xl.core.rules import DEFAULT_SETTINGS, Settings


# --------------------------------------------------------------------------- parse cache

def test_the_parse_cache_stays_within_its_bound():
    cache = parse_value.cache
    for n in range(parse.PARSE_CACHE_SIZE + 50):
        parse_value(f"≥{n}个")
    assert len(cache) <= parse.PARSE_CACHE_SIZE


def test_the_number_format_caches_are_bounded():
    """A stranger's file may bring thousands of odd format codes: each reading of one is remembered
    within a bound."""
    for read in (parse.percent_in_format, parse._format_places):
        assert read.cache_info().maxsize == parse.FORMAT_CACHE_SIZE
    for n in range(parse.FORMAT_CACHE_SIZE + 50):
        parse.shown_places(0.5, f'0.{"0" * (n % 7)}"x{n}"%')
    assert parse._format_places.cache_info().currsize <= parse.FORMAT_CACHE_SIZE


def test_a_number_cell_text_is_read_once_and_a_long_one_never_kept():
    """``—`` stands in every funds block: read once (a failed reading costs an exception); a text longer
    than NUMBER_TEXT_CACHED (words, or a hostile file's) is read each time and never kept."""
    from decimal import Decimal
    from selfeval_xl.core.model import Cell

    parse._number_in_text.cache_clear()
    assert parse._number_in_text.cache_info().maxsize == parse.PARSE_CACHE_SIZE
    assert parse.number(Cell("s", "A1", "—")) is None
    assert parse.number(Cell("s", "A2", "1,011.98")) == Decimal("1011.98")
    assert parse.number(Cell("s", "A3", "1" * parse.NUMBER_TEXT_CACHED)) == Decimal("1" * 64)
    assert parse._number_in_text.cache_info().currsize == 3
    assert parse.number(Cell("s", "A4", "1" * (parse.NUMBER_TEXT_CACHED + 1))) == Decimal("1" * 65)
    assert parse.number(Cell("s", "A5", "—")) is None
    assert parse._number_in_text.cache_info().currsize == 3


def test_a_cached_error_is_raised_anew_with_its_message():
    first = second = None
    for _ in range(2):
        with pytest.raises(ParseError) as caught:
            parse_quantity("约12（天）左右", "实际完成值")
        first, second = second, caught.value
    assert first is not second and (first.message, first.short) == (second.message, second.short)
    assert "实际完成值" in second.message


def test_settings_are_part_of_the_key():
    """The same text under a system whose 定性 tiers differ is read under that system's tiers."""
    mine = Settings(tiers=tuple(t for t in DEFAULT_SETTINGS.tiers if "达成年度指标" not in t.names))
    assert len(mine.tiers) == len(DEFAULT_SETTINGS.tiers) - 1
    assert parse_value("达成年度指标").tier is not None
    assert parse_value("达成年度指标", "年度指标值", mine).tier is None


@given(st.one_of(st.text(max_size=12), st.integers(), st.floats(allow_nan=False)))
def test_cached_reading_is_the_reading(text):
    """A mirror: every text read through the cache, twice, as the function itself reads it."""
    def plain(value):
        try:
            return parse_value.__wrapped__(value)
        except ParseError as exc:
            return exc.message
    for _ in range(2):
        try:
            got = parse_value(text)
        except ParseError as exc:
            got = exc.message
        assert got == plain(text)


# --------------------------------------------------------------------------- workbook.xml

BOMB = ('<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;">]>'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets>'
        '<sheet name="&b;" sheetId="1"/></sheets></workbook>')


def test_a_document_type_declaration_goes_to_defusedxml():
    assert xlsx_xml.plain_xml(BOMB.encode()) is None
    with pytest.raises(Exception) as caught:
        xlsx_xml._parse(BOMB.encode())
    assert "Entit" in type(caught.value).__name__


def test_utf16_goes_to_defusedxml_and_reads_as_before():
    doc = '<?xml version="1.0" encoding="UTF-16"?><workbook><sheets><sheet name="表"/></sheets></workbook>'
    data = doc.encode("utf-16")
    assert xlsx_xml.plain_xml(data) is None
    assert xlsx_xml._parse(data).find("sheets/sheet").get("name") == "表"


def test_another_declared_encoding_goes_to_defusedxml():
    doc = '<?xml version="1.0" encoding="ISO-8859-1"?><w a="é"/>'.encode("latin-1")
    assert xlsx_xml.plain_xml(doc) is None and xlsx_xml._parse(doc).get("a") == "é"
    mojibake = '<?xml version="1.0" encoding="ISO-8859-1"?><w a="Ã©"/>'.encode("latin-1")   # valid UTF-8 too
    assert xlsx_xml.plain_xml(mojibake) is None and xlsx_xml._parse(mojibake).get("a") == "Ã©"
    assert xlsx_xml.plain_xml(b'\xef\xbb\xbf<?xml version="1.0" encoding="UTF-8"?><w/>') is not None


def _shape(element: ElementTree.Element) -> list:
    return [(e.tag, sorted(e.attrib.items()), e.text) for e in element.iter()]


@given(st.binary(max_size=80), st.sampled_from([
    b'<workbook><sheets><sheet name="A" r:id="x"/></sheets></workbook>',
    b'<?xml version="1.0" encoding="UTF-8"?><w a="&amp;&#20013;">t</w>',
    '<?xml version="1.0" encoding="ISO-8859-1"?><w a="Ã©"/>'.encode("latin-1"),
    BOMB.encode(), b"<a><!-- c --><![CDATA[<b>]]></a>"]))
def test_the_parse_is_defusedxml_s_where_it_parses(noise, doc):
    """Hostile bytes: whatever the standard parser reads, defusedxml reads the same; whatever defusedxml
    refuses, the short way refuses too."""
    for data in (doc, noise + doc, doc[: len(noise)] + noise, noise):
        try:
            expected = _shape(defused_fromstring(data))
        except Exception:  # noqa: BLE001 - refused: must be refused here too
            expected = None
        try:
            got = _shape(xlsx_xml._parse(data))
        except Exception:  # noqa: BLE001
            got = None
        assert got == expected


# --------------------------------------------------------------------------- formula scan

_OLD_FORMULA_CELL = re.compile(
    r"<(?:\w+:)?c\b([^>]*?)(?<!/)>\s*<(?:\w+:)?f\b([^>]*?)(?:/>|>([^<]*)</(?:\w+:)?f>)")
"""The scan before issue 26 (every cell tested for a formula), kept here as the mirror."""


def _old_cells(text: str) -> list:
    return [m.groups() for m in _OLD_FORMULA_CELL.finditer(text)]


_PIECES = st.sampled_from([
    '<c r="A1"><f>SUM(B1:B2)</f><v>3</v></c>', '<c r="B2" s="3"><v>1</v></c>', '<c r="C3" t="str"> <f>"&quot;"&amp;A1</f></c>',
    '<x:c r="D4"><x:f t="shared" si="0">A1*2</x:f></x:c>', '<c r="D5"><f t="shared" si="0"/></c>', '<c r="E6"/>',
    '<f>ORPHAN()</f>', '<c r="F7" t="inlineStr"><is><t>f&lt;x</t></is></c>', '<c><f>NOREF()</f></c>',
    '<row r="9">', '</row>', '<c r="G9000"><f>FAR()</f></c>', '<c r="H8" ><f ca="1">NOW()</f></c>', "<", ">",
    '<c r="I9" t="inlineStr"><is><t>项目&amp;资金</t></is></c>', '<c r="J9"><f>IF(A1="达成",1,0)</f><v>1</v></c>',
    '<前缀:c r="K9"><前缀:f>IF(B1="是",1,0)</前缀:f></前缀:c>'])
"""The scan reads bytes (only the formulas' text is decoded): the Chinese pieces hold that the decoded
attributes and texts are those of the old scan over the decoded sheet, a namespace prefix of any letters too."""


@settings(max_examples=400)
@given(st.lists(_PIECES, max_size=25))
@example(['<c r="E6"/>', "<f>ORPHAN()</f>"])             # a closed cell is not the formula's cell
@example(['<c r="A1">', "<", "<f>X()</f>"])               # nor a cell a stray < stands after
@example(['<c r="G9000"><f>FAR()</f></c>', '<c r="A1"><f>SUM(B1:B2)</f><v>3</v></c>'])   # far, then near: each, in order
def test_the_formula_scan_finds_what_the_old_scan_found(pieces):
    text = "<sheetData>" + "".join(pieces) + "</sheetData>"
    assert list(xlsx_xml.formula_cells(text.encode())) == _old_cells(text)


def test_the_formula_scan_on_real_tables():
    """Every sheet of the real tables (tests/data/realworld) and of a built workbook, as before."""
    folder = Path(__file__).parent / "data" / "realworld"
    sheets = 0
    for path in sorted(folder.glob("*.xlsx")):
        with zipfile.ZipFile(path) as z:
            for name in z.namelist():
                if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                    xml = z.read(name)
                    text = xml.decode("utf-8", errors="replace")
                    assert list(xlsx_xml.formula_cells(xml)) == _old_cells(text), (path.name, name)
                    sheets += 1
    assert sheets >= 12


# --------------------------------------------------------------------------- a batch recomputes once

def test_check_file_recomputes_each_table_once(tmp_path, monkeypatch):
    import pickle

    import selfeval_xl.checks as checks
    from selfeval_xl.batch import worker as batch
    from selfeval_xl.core import recompute

    calls = []
    real = recompute.recompute

    def counted(table, system):
        calls.append(table)
        return real(table, system)

    monkeypatch.setattr(checks, "recompute", counted)
    path = build_project(tmp_path / "p.xlsx").path
    result = batch.check_file(path)
    indicators = pickle.loads(result.digests[0].digest).indicators if result.digests else ()
    assert len(calls) == 1 and indicators and len(indicators) == result.report.reviewed + result.report.unreviewed


# --------------------------------------------------------------------------- score reads each part once

def test_scoring_inflates_each_sheet_once(tmp_path, monkeypatch):
    from selfeval_xl.book.package_book import PackageBook
    from selfeval_xl.score.writeback import score_book

    source = build_department(tmp_path / "d.xlsx").path
    with zipfile.ZipFile(source) as z:
        sheets = [n for n in z.namelist() if n.startswith("xl/worksheets/")]
    reads: list[str] = []
    opened: list[object] = []
    real_read, real_init = zipfile.ZipFile.read, zipfile.ZipFile.__init__

    def read(self, name, pwd=None):
        reads.append(name if isinstance(name, str) else name.filename)
        return real_read(self, name, pwd)

    def init(self, *args, **kwargs):
        opened.append(args[0])
        real_init(self, *args, **kwargs)

    monkeypatch.setattr(zipfile.ZipFile, "read", read)
    monkeypatch.setattr(zipfile.ZipFile, "__init__", init)
    book = PackageBook.open(source)
    score_book(book, None, str(source))
    book.save(tmp_path / "scored.xlsx")
    assert sheets and all(reads.count(name) <= 1 for name in sheets), reads
    assert len(opened) == 2                       # the source once, the output once


# --------------------------------------------------------------------------- score plans a batch in linear time

def test_planning_a_batch_looks_at_each_file_a_few_times_not_at_every_pair(tmp_path, monkeypatch):
    """1,000 files once took 89 s to plan (each file's name compared with every other's, by system calls)."""
    from selfeval_xl.files import outputs
    from selfeval_xl.cli import score

    sources = []
    for n in range(300):
        sources.append(tmp_path / "in" / f"{n:03d}.xlsx")
        sources[-1].parent.mkdir(exist_ok=True)
        sources[-1].write_bytes(b"PK")
    (tmp_path / "in" / "link.xlsx").symlink_to(sources[0])
    calls = []
    real = outputs.file_identity
    monkeypatch.setattr(outputs, "file_identity", lambda p: calls.append(p) or real(p))
    monkeypatch.setattr(score, "file_identity", outputs.file_identity)
    jobs = score.plan([*sources, tmp_path / "in" / "link.xlsx", sources[1]], tmp_path / "out")
    assert [j.source for j in jobs] == sources           # a link to a file and a file given twice: once each
    assert len(calls) <= 10 * len(sources)


# --------------------------------------------------------------------------- the parent's memory over a long run

def test_digests_arrive_slotted_with_their_shared_texts_kept_once():
    import pickle

    from selfeval_xl.checks.quality.digest import IndicatorDigest, TableDigest

    row = IndicatorDigest("产出指标", "数量指标", "征集档案资料", "D10", "F10", "H10", "I10", "≥1200", "件", "≥",
                          1200.0, 1250.0, 10.0, 10.0, "")
    table = TableDigest("a.xlsx", "自评表", "project", "甲单位", "档案征集项目", 100.0, "J20", (row,))
    first, second = (pickle.loads(pickle.dumps(table)) for _ in range(2))
    assert first == table and hash(first) == hash(table) and first.full == table.full
    assert first.indicators[0].name_cell is second.indicators[0].name_cell
    assert first.unit is second.unit and not hasattr(first.indicators[0], "__dict__")


@pytest.mark.parametrize("block", [1, 2, 3, 1000])
def test_copied_satisfaction_texts_are_found_whatever_the_block(block):
    """The 满意度 texts compared a block of rows at a time find what the whole matrix found."""
    from selfeval_xl.checks.quality import across
    from selfeval_xl.checks.quality.digest import IndicatorDigest, TableDigest
    from selfeval_xl.checks.quality.pack import default_pack
    from selfeval_xl.checks.quality.store import DigestStore, stored

    said = ["经问卷调查，服务对象满意度达96%，群众对项目实施效果普遍认可", "经问卷调查，服务对象满意度达95%，群众对项目实施效果普遍认可",
            "本年度共发放问卷200份，回收186份，满意率92%，主要意见为开放时间", "经问卷调查，服务对象满意度达96%，群众对项目实施效果普遍认可"]
    tables = [TableDigest(f"{n}.xlsx", "自评表", "project", unit, "项目", 10.0, "J20", (
        IndicatorDigest("满意度指标", "服务对象满意度指标", "群众满意度", "D20", "F20", "H20", "I20", "≥90%", "%", "≥",
                        90.0, 95.0, 10.0, 10.0, text),)) for n, (unit, text) in enumerate(zip("甲乙丙甲", said))]
    pack = default_pack()
    rule = pack.rule("satisfaction-copied-across-units")
    with DigestStore() as store:
        store.add(map(stored, tables))
        whole = list(across.satisfaction_copied_across_units(store, rule, pack))
    with DigestStore() as store:
        store.add(map(stored, tables))
        store.block = block
        assert [(f.file, f.message) for f in across.satisfaction_copied_across_units(store, rule, pack)] \
            == [(f.file, f.message) for f in whole]
    assert {f.file for f in whole} == {"0.xlsx", "1.xlsx", "3.xlsx"}


# --------------------------------------------------------------------------- a cell made by hand

def test_a_cell_s_own_init_takes_its_fields_in_order_with_their_defaults():
    """Cell sets its fields itself (a frozen dataclass's own __init__ costs twice as much): its signature is
    the fields', in order, with the same defaults, and it stays frozen, equal and hashable by value."""
    import dataclasses
    import inspect

    from selfeval_xl.core.model import Cell

    params = list(inspect.signature(Cell.__init__).parameters.values())[1:]
    fields = dataclasses.fields(Cell)
    assert [p.name for p in params] == [f.name for f in fields]
    assert [p.default for p in params] == [inspect.Parameter.empty if f.default is dataclasses.MISSING else f.default
                                          for f in fields]
    cell = Cell("表", "H14", 9.5, "=ROUND(1,2)", "0.00")
    assert [getattr(cell, f.name) for f in fields] == ["表", "H14", 9.5, "=ROUND(1,2)", "0.00"]
    assert cell == Cell("表", "H14", 9.5, "=ROUND(1,2)", "0.00") and hash(cell) == hash(Cell(*dataclasses.astuple(cell)))
    assert dataclasses.replace(cell, value=None) == Cell("表", "H14", None, "=ROUND(1,2)", "0.00")
    with pytest.raises(dataclasses.FrozenInstanceError):
        cell.value = 1


# --------------------------------------------------------------------------- a sheet's <sheetData>

_OLD_SHEET_DATA = re.compile(r"<(?:\w+:)?sheetData\b[^>]*?(?:/>|>(.*?)</(?:\w+:)?sheetData>)", re.S)
"""How a sheet's <sheetData> was found before (one lazy pattern), kept as the mirror."""

_SHEET_PIECES = st.sampled_from([
    "<sheetData>", "</sheetData>", "<sheetData/>", "<sheetData />", '<sheetData a="/">', "<x:sheetData>",
    "</x:sheetData>", "<sheetDataX>", "<row r=\"1\"><c r=\"A1\"><v>1</v></c></row>", "<", ">", "/", "\n",
    "<sheetData", "sheetData>", "中文", '<sheetData a="b"/>'])


_OLD_ROW = re.compile(r"<(?:\w+:)?row\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?row>)", re.S)
_ROW_PIECES = st.sampled_from(['<row r="1">', "</row>", "<row/>", '<row r="2"/>', '<row a="/">', "<x:row>", "</x:row>",
                               "<rows>", '<c r="A1"><v>1</v></c>', "<", ">", "/", "\n", "<row", "row>", "中文"])


def _found(pattern: re.Pattern[str], text: str) -> list:
    return [(m.span(), m.group(1), None if m.group(m.re.groups) is None else m.span(m.re.groups))
            for m in pattern.finditer(text)]


def _mine(text: str, tags) -> list:
    from selfeval_xl.book.sheet_xml import elements

    return [((start, end), attrs, inside) for start, end, attrs, inside in elements(text, tags)]


@settings(max_examples=500)
@given(st.lists(_ROW_PIECES, max_size=14))
@example(['<row r="1">', "<c/>", '<row r="2">', "</row>"])      # the first closing tag ends the first row
@example(['<row r="1">', "<c/>", "<row/>"])                        # never closed, then an empty one
def test_the_rows_are_those_the_old_pattern_found(pieces):
    from selfeval_xl.book.sheet_xml import _ROW

    text = "".join(pieces)
    assert _mine(text, _ROW) == _found(_OLD_ROW, text)


_OLD_CELL = re.compile(r"<(?:\w+:)?c\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)", re.S)
_CELL_PIECES = st.sampled_from(['<c r="A1">', "</c>", "<c/>", '<c r="B1" s="2"/>', '<c a="/">', "<x:c>", "</x:c>",
                                "<cols>", "<v>1</v>", '<f>SUM(A1:B1)</f>', "<", ">", "/", "<c", "c>", "中文"])


@settings(max_examples=500)
@given(st.lists(_CELL_PIECES, max_size=14))
@example(['<c r="A1">', "<v>1</v>", '<c r="B1">', "</c>"])      # the first closing tag ends the first cell
def test_the_cells_are_those_the_old_pattern_found(pieces):
    from selfeval_xl.book.sheet_xml import _CELL

    text = "".join(pieces)
    assert _mine(text, _CELL) == _found(_OLD_CELL, text)


@settings(max_examples=500)
@given(st.lists(_SHEET_PIECES, max_size=12))
@example(["<sheetData>", "<row/>", "<sheetData/>"])          # never closed, then an empty one: the empty one
@example(["<sheetData>", "<sheetData>", "</sheetData>"])      # the first that closes is the first opened
def test_the_sheet_data_is_where_the_old_pattern_found_it(pieces):
    from selfeval_xl.book.sheet_xml import _SHEET_DATA

    text = "<worksheet>" + "".join(pieces) + "</worksheet>"
    old = _OLD_SHEET_DATA.search(text)
    expected = None if old is None else (old.span(), None if old.group(1) is None else old.span(1))
    mine = _mine(text, _SHEET_DATA)
    assert ((mine[0][0], mine[0][2]) if mine else None) == expected
