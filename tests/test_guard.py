"""The size guard reads a sheet's extent from its XML: what counts and what does not."""
from __future__ import annotations

import zipfile

import pytest

from selfeval_xl.limits import Limits
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


def test_a_reference_cut_by_a_chunk_is_seen(tmp_path):
    filler = '<row r="1"><c r="A1"><v>1</v></c></row>' * 30000      # past the 1 MB chunk
    extent = _extent(tmp_path, filler + '<row r="2"><c r="ZZ2"><v>1</v></c></row>')
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
