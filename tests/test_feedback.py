"""The feedback workbook with a stranger's text in it: a 单位 name or a message that looks like a formula,
a path or carries control characters (house rule: every writer sanitises text it did not compute)."""
from __future__ import annotations

import openpyxl

import selfeval_xl.checks.registry  # noqa: F401  (declares the codes)
from selfeval_xl.core.findings import FileReport, finding
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
    a1 = ws["A1"]                         # the name as typed, kept as text (sanitize's rule), never a formula
    assert "\x01" not in a1.value and a1.data_type == "s" and "\ufffd" in a1.value
    assert "&&P" in ws.oddHeader.left.text                       # not a page-number code
    cells = list(ws[HEADER_ROW + 1])
    row = [c.value for c in cells]
    assert row[4] == "=1+1\ufffd" and cells[4].data_type == "s" and cells[4].quotePrefix   # never a formula
    assert row[2] == '=HYPERLINK("a.xlsx#\'S""heet\'!A1","\'S""heet\'!A1")'   # our link, quotes doubled
