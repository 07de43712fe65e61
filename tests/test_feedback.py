"""The feedback workbook with a stranger's text in it: a 单位 name or a message that looks like a formula,
a path or carries control characters (house rule: every writer sanitises text it did not compute)."""
from __future__ import annotations

import openpyxl

import selfeval_xl.checks  # noqa: F401  (declares the codes)
from selfeval_xl.findings import FileReport, finding
from selfeval_xl.report.feedback import HEADER_ROW, write_feedback


def test_hostile_unit_names_and_messages_stay_text_inside_the_folder(tmp_path):
    unit = "=cmd|'/C calc'!A0 &P \x01 ../../etc"
    report = FileReport(str(tmp_path / "a.xlsx"), unit=unit, kind="project", findings=[
        finding("total-mismatch", "=1+1\x02", file=str(tmp_path / "a.xlsx"), sheet='S"heet', cell="A1",
                expected=1, found=2)])
    out = tmp_path / "out"
    [written] = write_feedback([report], out)
    assert written.path.parent == out and "/" not in written.path.name[len(str(out)):]
    ws = openpyxl.load_workbook(written.path).worksheets[0]
    assert "\x01" not in ws["A1"].value and not ws["A1"].value.startswith("=")
    assert "&&P" in ws.oddHeader.left.text                       # not a page-number code
    row = [c.value for c in ws[HEADER_ROW + 1]]
    assert row[4] == "'=1+1"                                       # a message is never a formula
    assert row[2] == '=HYPERLINK("a.xlsx#\'S""heet\'!A1","\'S""heet\'!A1")'   # our link, quotes doubled
