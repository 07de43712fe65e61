"""The size guard reads a sheet's extent from its XML: what counts and what does not."""
from __future__ import annotations

import zipfile

import pytest

from selfeval_xl.core.limits import Limits
from selfeval_xl.read.guard import Extent, path_problem, sheet_extent, sheet_problem


def _extent(tmp_path, rows_xml: str) -> Extent:
    path = tmp_path / "s.zip"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("s.xml", f'<worksheet><sheetData>{rows_xml}</sheetData></worksheet>')
    with zipfile.ZipFile(path) as z:
        return sheet_extent(z, "s.xml", Limits())


@pytest.mark.parametrize("rows_xml, expected", [
    ('<row r="1"><c r="B1"><v>1</v></c></row><row r="7"><c r="AA7"><v>1</v></c></row>', (7, 27)),
    ('<row r="1"><c r="XFD1048576"><v>1</v></c></row>', (1048576, 16384)),      # a cell's own ref wins
    ('<row r="3"><c r="C3"/></row><row r="1048576"/>', (3, 3)),                  # an empty row makes no cell
    ('<row r="1048576"><c><v>1</v></c></row>', (1048576, 0)),                    # a cell placed by its row
    ('<x:row r="9"><x:c r="D9"><x:v>1</x:v></x:c></x:row>', (9, 4)),
    ('<row r="2"><c s="1" t="n" r="XFD7"><v>1</v></c></row>', (7, 16384)),     # the reference not first
    ('<row r="1">\n<c\tr="B1"><v>1</v></c><c r="C1"/></row><row r="70000">\n<c t="n"><v>1</v></c></row>',
     (70000, 3)),                                                               # odd blanks, a cell with none
])
def test_extent_is_the_last_cell(tmp_path, rows_xml, expected):
    extent = _extent(tmp_path, rows_xml)
    assert (extent.rows, extent.columns) == expected


@pytest.mark.parametrize("shift", (-2, 0, 3))
def test_a_reference_cut_by_a_streamed_chunk_is_seen(tmp_path, shift):
    """The sheet read from the zip a chunk at a time: the chunk edge falls inside ``r="ZZ2"``."""
    from selfeval_xl.read.guard import _CHUNK

    head = '<worksheet><sheetData><row r="1"><c r="A1"><v>1</v></c></row>'
    cell = '<row r="2"><c r="ZZ2">'
    filler = "<!--" + "x" * (_CHUNK - len(head) - 7 - cell.index('r="ZZ2"') - 4 + shift) + "-->"
    xml = head + filler + cell + "<v>1</v></c></row></sheetData></worksheet>"
    edge = _CHUNK - len(head) - len(filler)
    assert 0 < edge - cell.index('r="ZZ2"') < len('r="ZZ2"')              # the edge is inside the reference
    path = tmp_path / "s.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("s.xml", xml)
    with zipfile.ZipFile(path) as z:
        extent = sheet_extent(z, "s.xml", Limits())
    assert (extent.rows, extent.columns) == (2, 702)


def test_sheet_problem_names_the_limit_and_the_value():
    why = sheet_problem("自评表", Extent(4999, 16384), Limits())
    assert "XFD4999" in why and "81,903,616" in why and "cells" in why
    assert sheet_problem("自评表", Extent(200, 10), Limits()) is None
    assert "rows" in sheet_problem("表", Extent(11, 1), Limits(rows=10))


def test_path_problem_never_opens_what_is_not_a_file(tmp_path):
    import os

    os.mkfifo(tmp_path / "p.xlsx")
    os.symlink("/dev/zero", tmp_path / "z.xlsx")
    (tmp_path / "big.xlsx").write_bytes(b"x" * 11)
    assert "FIFO" in path_problem(tmp_path / "p.xlsx", Limits())
    assert "设备" in path_problem(tmp_path / "z.xlsx", Limits())
    assert "file_bytes" in path_problem(tmp_path / "big.xlsx", Limits(file_bytes=10))
    assert path_problem(tmp_path / "big.xlsx", Limits()) is None


def test_a_sheet_the_guard_cannot_inflate_is_never_handed_to_the_reader(tmp_path):
    """A bad checksum in the sheet part: the file is unreadable with the reason (calamine, which does
    not check it, never sees a part the guard could not measure)."""
    from check_workbooks import build_project
    from selfeval_xl.read import read_workbook

    ok = build_project(tmp_path / "ok.xlsx").path
    stored = tmp_path / "stored.xlsx"
    with zipfile.ZipFile(ok) as src, zipfile.ZipFile(stored, "w", zipfile.ZIP_STORED) as out:
        for info in src.infolist():
            out.writestr(info.filename, src.read(info))
    blob = bytearray(stored.read_bytes())
    at = blob.index(b"<sheetData>") + 20
    blob[at] ^= 0x01
    stored.write_bytes(bytes(blob))
    [(code, message, _)] = read_workbook(stored).problems
    assert code == "unreadable" and "无法解压" in message


# ---------------------------------------------------------------- each limit at its boundary, each refusal's reason

def _book(path, sheets: dict[str, str], workbook_xml: str | None = None):
    """A minimal .xlsx-shaped zip: workbook.xml with its rels naming each sheet part."""
    names = list(sheets)
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("xl/workbook.xml", workbook_xml if workbook_xml is not None else (
            '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
            + "".join(f'<sheet name="{n}" sheetId="{i + 1}" r:id="rId{i + 1}"/>' for i, n in enumerate(names))
            + "</sheets></workbook>"))
        z.writestr("xl/_rels/workbook.xml.rels",
                   '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                   + "".join(f'<Relationship Id="rId{i + 1}" Target="worksheets/sheet{i + 1}.xml" Type="'
                             'http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"/>'
                             for i in range(len(names))) + "</Relationships>")
        for i, rows in enumerate(sheets.values()):
            z.writestr(f"xl/worksheets/sheet{i + 1}.xml", f"<worksheet><sheetData>{rows}</sheetData></worksheet>")
    return path


def test_a_file_at_a_limit_is_read_and_one_past_it_refused(tmp_path):
    from selfeval_xl.read.guard import file_problem

    book = _book(tmp_path / "b.xlsx", {"表1": '<row r="3"><c r="D3"><v>1</v></c></row>', "表2": ""})
    size = book.stat().st_size
    inflated = sum(i.file_size for i in zipfile.ZipFile(book).infolist())
    at = Limits(file_bytes=size, uncompressed_bytes=inflated, sheets=2, rows=3, columns=4, cells=12)
    assert file_problem(book, at) is None
    for past, words in ((dict(file_bytes=size - 1), "file_bytes"), (dict(uncompressed_bytes=inflated - 1),
                        "uncompressed_bytes"), (dict(sheets=1), "sheets"), (dict(rows=2), "rows"),
                        (dict(columns=3), "columns"), (dict(cells=11), "cells")):
        why = file_problem(book, Limits(**{**at.__dict__, **past}))
        assert why is not None and words in why, (past, why)
    assert "“表1”" in file_problem(book, Limits(rows=2)) and "D3" in file_problem(book, Limits(rows=2))


def test_a_workbook_xml_that_cannot_be_parsed_still_has_every_sheet_measured(tmp_path):
    from selfeval_xl.read.guard import file_problem

    book = _book(tmp_path / "b.xlsx", {"a": "", "b": '<row r="1"><c r="XFD1"><v>1</v></c></row>'},
                 workbook_xml="<workbook><sheets><sheet name=")
    assert "columns" in file_problem(book, Limits(columns=100))
    assert "sheet2.xml" in file_problem(book, Limits(columns=100))
    assert file_problem(book, Limits()) is None


def test_what_is_not_a_zip_is_left_to_the_reader_and_a_broken_sheet_is_said(tmp_path):
    from selfeval_xl.read.guard import file_problem

    (tmp_path / "t.xlsx").write_bytes(b"not a zip at all")
    assert file_problem(tmp_path / "t.xlsx", Limits()) is None
    book = _book(tmp_path / "b.xlsx", {"表": '<row r="1"><c r="A1"><v>1</v></c></row>'})
    blob = bytearray(book.read_bytes())
    with zipfile.ZipFile(book) as z:
        info = z.getinfo("xl/worksheets/sheet1.xml")
    blob[info.header_offset + 30 + len(info.filename) + 2] ^= 0xFF       # inside the deflated sheet
    book.write_bytes(bytes(blob))
    assert "文件已损坏" in file_problem(book, Limits()) and "“表”" in file_problem(book, Limits())


def test_a_missing_file_and_a_dangling_link_say_so(tmp_path):
    import os

    assert "不存在" in path_problem(tmp_path / "none.xlsx", Limits())
    os.symlink(tmp_path / "gone.xlsx", tmp_path / "link.xlsx")
    assert "符号链接" in path_problem(tmp_path / "link.xlsx", Limits())
    (tmp_path / "real.xlsx").write_bytes(b"x")
    os.symlink(tmp_path / "real.xlsx", tmp_path / "ok.xlsx")
    assert path_problem(tmp_path / "ok.xlsx", Limits()) is None
    assert "文件夹" in path_problem(tmp_path, Limits())


@pytest.mark.parametrize("shift", range(-8, 9))
def test_a_reference_straddling_the_chunk_edge_is_seen_whole(tmp_path, shift):
    from selfeval_xl.read.guard import _CHUNK, extent_of

    head = "<worksheet><sheetData>"
    cell = '<c r="ZZ99">'
    pad = _CHUNK - len(head) - len(cell) // 2 + shift                    # the reference cut near the edge
    xml = (head + "<!--" + "x" * (pad - 7) + "-->" + cell + "<v>1</v></c></sheetData></worksheet>").encode()
    assert extent_of(xml) == Extent(99, 702)


def test_reading_stops_at_the_inflated_bytes_it_may_read():
    from selfeval_xl.read.guard import _CHUNK, _extent

    chunks = [b'<c r="A1">' + b" " * (_CHUNK - 10), b'<c r="ZZ9">']
    assert _extent(iter(chunks), _CHUNK) == Extent(1, 1)
    assert _extent(iter(chunks), _CHUNK + 1) == Extent(9, 702)


def test_rows_are_taken_from_row_elements_only_where_a_cell_may_lack_its_reference(tmp_path):
    assert (_extent(tmp_path, '<row r="9"><c r="A1"><v>1</v></c></row>').rows) == 1
    assert (_extent(tmp_path, '<x:row r="9"><x:c><x:v>1</x:v></x:c></x:row>').rows) == 9
    assert (_extent(tmp_path, '<row r="9"><c><v>1</v></c></row>').rows) == 9


def test_the_last_cell_is_named_only_when_both_are_known():
    assert Extent(7, 27).last_cell == "AA7"
    assert Extent(0, 5).last_cell == "" and Extent(5, 0).last_cell == ""
    assert Extent(3, 4).cells == 12


def test_a_socket_is_refused_and_the_os_reason_given(tmp_path):
    import socket

    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(tmp_path / "s.xlsx"))
        assert "套接字" in path_problem(tmp_path / "s.xlsx", Limits())
    assert "No such file" in path_problem(tmp_path / "none.xlsx", Limits())


def test_an_inflated_part_is_measured_from_its_first_byte():
    from selfeval_xl.read.guard import extent_of

    assert extent_of(b'r="B2"><v>1</v></c>') == Extent(2, 2)          # a reference at byte 0
    assert Extent() == Extent(0, 0)


@pytest.mark.parametrize("data, plain", [
    (b'<?xml version="1.0" encoding="UTF-8"?><a>\xe8\xa1\xa8</a>', True),
    (b"<?xml version='1.0' encoding='utf8'?><a/>", True),
    (b"<a>no declaration</a>", True),
    (b'<?xml version="1.0" encoding="GBK"?><a/>', False),                # another encoding: defusedxml decides
    (b'<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>', False),   # where entities are declared
    (b"<a>\x00</a>", False),
    (b"<a>\xff\xfe</a>", False),                                            # not UTF-8 at all
])
def test_only_plain_utf8_xml_without_a_doctype_goes_to_the_standard_parser(data, plain):
    from selfeval_xl.read.xlsx_xml import plain_xml

    assert plain_xml(data) == (data.decode("utf-8") if plain else None)


def test_a_small_sheet_is_inflated_once_and_kept_a_large_one_streamed(tmp_path):
    from selfeval_xl.read.guard import KEEP_PART_BYTES, measure_sheet

    small = b'<worksheet><sheetData><row r="4"><c r="C4"><v>1</v></c></row></sheetData></worksheet>'
    at_limit = small[:-len(b"</worksheet>")] + b" " * (KEEP_PART_BYTES - len(small)) + b"</worksheet>"
    large = at_limit + b" "
    path = tmp_path / "b.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in (("small.xml", small), ("at.xml", at_limit), ("large.xml", large)):
            z.writestr(name, data)
    kept: dict[str, bytes] = {}
    with zipfile.ZipFile(path) as z:
        extents = [measure_sheet(z, name, Limits(), kept) for name in ("small.xml", "at.xml", "large.xml")]
        assert measure_sheet(z, "large.xml", Limits()) == Extent(4, 3)      # nothing kept without a dict
    assert extents == [Extent(4, 3)] * 3
    assert kept == {"small.xml": small, "at.xml": at_limit}


def test_a_broken_workbook_xml_counts_only_worksheet_parts_as_sheets(tmp_path):
    from selfeval_xl.read.guard import file_problem

    book = _book(tmp_path / "b.xlsx", {"a": '<row r="1"><c r="XFD1"><v>1</v></c></row>', "b": ""},
                 workbook_xml="<workbook><sheets><sheet name=")
    with zipfile.ZipFile(book, "a") as z:
        z.writestr("xl/worksheets/_rels/sheet1.xml.rels", "<Relationships/>")
    assert file_problem(book, Limits(sheets=2)) is None
    assert "sheet1.xml" in file_problem(book, Limits(sheets=2, columns=100))
    assert "sheets" in file_problem(book, Limits(sheets=1))


def test_a_missing_file_gives_the_os_reason_alone(tmp_path):
    assert path_problem(tmp_path / "none.xlsx", Limits()) == "文件不存在或无法访问（No such file or directory）"


def test_a_path_given_as_text_is_looked_at_as_a_path(tmp_path):
    (tmp_path / "big.xlsx").write_bytes(b"x" * 11)
    assert "file_bytes" in path_problem(str(tmp_path / "big.xlsx"), Limits(file_bytes=10))
