"""Metamorphic tests on the real published tables: a table written another way that a reader takes to
say the same thing must get the same verdicts. Each rewrite is one a department's accountant or their
software makes (numbers typed as text, a Chinese IME's full-width digits, labels with a trailing line
break, ``>=`` for ``≥``, a column or rows added around the table, thousands separators, the file saved
again by LibreOffice as .xlsx or as .xls). What changes is the file; what must not change is which
problems are found, how many of each, and that nothing new is.
"""
from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from typing import Callable

import openpyxl
import pytest

from selfeval_xl.checks import check_workbook
from selfeval_xl.cli import main
from selfeval_xl.engines.libreoffice import _convert, recalculate
from selfeval_xl.read import read_workbook

REAL = Path(__file__).parent / "data" / "realworld"
TABLES = sorted(REAL.glob("*.xlsx"))
FULL_WIDTH = str.maketrans("0123456789.%", "０１２３４５６７８９．％")
FIGURE = re.compile(r"[\d.]+%?")


def _cells(ws):
    return (c for row in ws.iter_rows() for c in row if type(c).__name__ != "MergedCell")


def _number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _text(c, text: str) -> None:
    """A text rewritten in its cell, still a text: openpyxl would take ``=8个`` (typed ``'=8个`` in Excel, as
    the 棠溪镇 tables hold their targets) for a formula."""
    c.value = text
    if text.startswith("="):
        c.data_type = "s"


def numbers_as_text(ws) -> None:
    """Every number typed as text, as it shows (a percentage cell's 0.98 as ``98%``)."""
    for c in _cells(ws):
        if _number(c.value):
            c.value = f"{c.value * 100:g}%" if "%" in (c.number_format or "") else f"{c.value:g}"
            c.number_format = "@"


def full_width_figures(ws) -> None:
    """Those texts in full-width digits, point and percent (``４３．２``, ``９８％``)."""
    numbers_as_text(ws)
    for c in _cells(ws):
        if isinstance(c.value, str) and FIGURE.fullmatch(c.value):
            _text(c, c.value.translate(FULL_WIDTH))


def spaces_around_figures(ws) -> None:
    numbers_as_text(ws)
    for c in _cells(ws):
        if isinstance(c.value, str) and FIGURE.fullmatch(c.value):
            c.value = f" {c.value} "


def labels_with_line_breaks(ws) -> None:
    """Every short text without a digit (the labels) followed by a space and a line break."""
    for c in _cells(ws):
        if isinstance(c.value, str) and len(c.value) <= 12 and not re.search(r"\d", c.value):
            _text(c, c.value + " \n")


def ascii_operators(ws) -> None:
    for c in _cells(ws):
        if isinstance(c.value, str):
            _text(c, c.value.replace("≥", ">=").replace("≤", "<="))


def operators_in_words(ws) -> None:
    for c in _cells(ws):
        if isinstance(c.value, str):
            _text(c, c.value.replace("≥", "不低于").replace("≤", "不高于"))


def thousands_separators(ws) -> None:
    for c in _cells(ws):
        if _number(c.value) and abs(c.value) >= 1000:
            c.value = f"{c.value:,.2f}"


def _moved(ws, rows: int, cols: int) -> None:
    """The table moved down and right, its merged cells with it (openpyxl's insert leaves them)."""
    merged = [(m.min_row, m.min_col, m.max_row, m.max_col) for m in ws.merged_cells.ranges]
    for m in list(ws.merged_cells.ranges):
        ws.unmerge_cells(str(m))
    if rows:
        ws.insert_rows(1, rows)
    if cols:
        ws.insert_cols(1, cols)
    for r1, c1, r2, c2 in merged:
        ws.merge_cells(start_row=r1 + rows, start_column=c1 + cols, end_row=r2 + rows, end_column=c2 + cols)


def a_column_before(ws) -> None:
    _moved(ws, 0, 1)


def two_rows_above(ws) -> None:
    _moved(ws, 2, 0)


def merges_undone(ws) -> None:
    """Every merged range undone (its value stays in its first cell), as many exports write a table."""
    for m in list(ws.merged_cells.ranges):
        ws.unmerge_cells(str(m))


def brackets_swapped(ws) -> None:
    """Full-width brackets and colons half-width, and the other way round."""
    swap = str.maketrans({"（": "(", "）": ")", "(": "（", ")": "）", "：": ":", ":": "："})
    for c in _cells(ws):
        if isinstance(c.value, str):
            _text(c, c.value.translate(swap))


def a_sheet_before(ws) -> None:
    """A 填表说明 sheet before the table, and the table's sheet named Sheet1."""
    notes = ws.parent.create_sheet("填表说明", 0)
    notes["A1"], notes["A2"] = "填表说明", "1. 年度指标值按批复的绩效目标填写；2. 得分保留两位小数。"
    ws.title = "Sheet1"


REWRITES: dict[str, Callable] = {f.__name__: f for f in (
    numbers_as_text, full_width_figures, spaces_around_figures, labels_with_line_breaks, ascii_operators,
    operators_in_words, thousands_separators, a_column_before, two_rows_above, merges_undone, brackets_swapped,
    a_sheet_before)}


def _verdict(path: Path) -> Counter:
    return Counter(f.code for f in check_workbook(read_workbook(path)).findings)


@pytest.fixture(scope="module")
def verdicts() -> dict[str, Counter]:
    return {p.name: _verdict(p) for p in TABLES}


@pytest.mark.parametrize("rewrite", sorted(REWRITES))
def test_a_table_written_another_way_gets_the_same_verdicts(rewrite, verdicts, tmp_path):
    changed = {}
    for table in TABLES:
        wb = openpyxl.load_workbook(table)
        REWRITES[rewrite](max(wb.worksheets, key=lambda ws: ws.max_row))
        wb.save(tmp_path / table.name)
        got = _verdict(tmp_path / table.name)
        if got != verdicts[table.name]:
            changed[table.name] = {"new": dict(got - verdicts[table.name]), "gone": dict(verdicts[table.name] - got)}
    assert not changed


def test_the_rewrites_change_the_files():
    """Each rewrite touches each kind of cell it names in some real table (else it tests nothing)."""
    for name, rewrite in REWRITES.items():
        touched = 0
        for table in TABLES:
            wb = openpyxl.load_workbook(table)
            ws = max(wb.worksheets, key=lambda w: w.max_row)
            before = _shape(ws)
            rewrite(ws)
            touched += before != _shape(ws)
        assert touched >= 3, name


def _shape(ws) -> tuple:
    return ws.title, len(ws.parent.worksheets), len(ws.merged_cells.ranges), [[c.value for c in row] for row in ws.iter_rows()]


def _json(args: list[str], out: Path) -> dict[str, Counter]:
    assert main(["check", *args, "--json", str(out), "-q", "-j", "2"]) in (0, 1)
    return {Path(f["path"]).stem: Counter(x["code"] for x in f["findings"])
            for f in json.loads(out.read_text(encoding="utf-8"))["files"]}


@pytest.mark.libreoffice
def test_a_table_saved_again_by_libreoffice_gets_the_same_verdicts(tmp_path):
    """As .xlsx (every formula recalculated, styles rewritten) and as .xls (the old format a bureau's
    export or an old Excel still writes): the same problems, found at a batch's one LibreOffice call."""
    base = _json([str(REAL)], tmp_path / "base.json")
    recalculate(TABLES, tmp_path / "xlsx")
    _convert(TABLES, tmp_path / "xls", "xls:MS Excel 97", ".xls")
    for kind in ("xlsx", "xls"):
        assert _json([str(tmp_path / kind)], tmp_path / f"{kind}.json") == base, kind
