"""The xlwings implementation cannot run here (no Excel), so check it against the installed xlwings:
every property and method it calls exists with the parameters it passes, and it fulfils the interface."""
import ast
import inspect
import re
from pathlib import Path

import openpyxl
import pytest
import xlwings
from openpyxl.utils import column_index_from_string, get_column_letter

from selfeval_xl.book import Book
from selfeval_xl.book.openpyxl_book import OpenpyxlBook
from selfeval_xl.book.xlwings_book import XlwingsBook
from selfeval_xl.score.writeback import ERROR_FILL, MARKER, RESULTS_SHEET, score_book

USED = {
    xlwings.Range: ["value", "formula", "color", "note", "add_note", "add_hyperlink", "merge_cells", "merge_area",
                    "options", "column_width", "font", "last_cell", "row", "column", "sheet", "address",
                    "number_format"],
    xlwings.Sheet: ["range", "used_range", "name", "visible", "delete"],
    xlwings.main.Sheets: ["add"],
    xlwings.main.Names: ["contains"],
    xlwings.main.Name: ["name", "refers_to", "refers_to_range"],
    xlwings.main.Note: ["text", "delete"],
    xlwings.Book: ["sheets", "names", "app", "fullname", "caller"],
    xlwings.App: ["alert", "books"],
}


def test_every_xlwings_member_used_exists():
    for cls, names in USED.items():
        for name in names:
            assert hasattr(cls, name), f"{cls.__name__}.{name}"


def test_call_signatures_match():
    assert {"name", "before", "after"} <= set(inspect.signature(xlwings.main.Sheets.add).parameters)
    assert {"prompt", "title", "mode"} <= set(inspect.signature(xlwings.App.alert).parameters)
    assert {"address", "text_to_display"} <= set(inspect.signature(xlwings.Range.add_hyperlink).parameters)


def test_both_books_implement_the_whole_interface():
    wanted = {name for name, member in vars(Book).items() if callable(member) and not name.startswith("_")}
    for impl in (XlwingsBook, OpenpyxlBook):
        missing = wanted - {n for n in dir(impl) if not n.startswith("_")}
        assert not missing, (impl.__name__, missing)
        for name in wanted:
            ours = list(inspect.signature(getattr(Book, name)).parameters)
            theirs = list(inspect.signature(getattr(impl, name)).parameters)
            assert theirs == ours, (impl.__name__, name)


def test_xlwings_book_imports_xlwings_only_where_it_runs():
    """Importing the module must not need Excel (xlwings is imported by the caller, addin.main)."""
    tree = ast.parse(Path(inspect.getfile(XlwingsBook)).read_text(encoding="utf-8"))
    imported = {a.name for node in ast.walk(tree) if isinstance(node, (ast.Import, ast.ImportFrom))
                for a in node.names}
    assert "xlwings" not in imported


# --------------------------------------------------------------------------- a stand-in for Excel
# Just enough of xlwings' object model (sheets, ranges, names, notes) over plain dicts to run
# XlwingsBook and score_book end to end. Excel would recalculate formulas; this stand-in does not,
# so the end-to-end test uses an official-layout copy whose computed cells are typed values.


def _rc(ref):
    col, row = re.fullmatch(r"\$?([A-Z]+)\$?(\d+)", ref).groups()
    return int(row), column_index_from_string(col)


class FakeNote:
    def __init__(self, cells, key):
        self.cells, self.key = cells, key

    @property
    def text(self):
        return self.cells.notes[self.key]

    def delete(self):
        del self.cells.notes[self.key]


class FakeRange:
    def __init__(self, sheet, first, last=None):
        self._sheet, self.first, self.last = sheet, first, last or first

    def _one(self):
        assert self.first == self.last, "a single cell was meant"
        return self.first

    sheet = property(lambda self: self._sheet)
    row = property(lambda self: self.first[0])
    column = property(lambda self: self.first[1])
    last_cell = property(lambda self: FakeRange(self._sheet, self.last))

    @property
    def address(self):
        a = f"${get_column_letter(self.first[1])}${self.first[0]}"
        b = f"${get_column_letter(self.last[1])}${self.last[0]}"
        return a if a == b else f"{a}:{b}"

    def _cells(self):
        return [[(r, c) for c in range(self.first[1], self.last[1] + 1)] for r in range(self.first[0], self.last[0] + 1)]

    @property
    def value(self):
        grid = [[self._sheet.values.get(k) for k in row] for row in self._cells()]
        return grid[0][0] if self.first == self.last else grid

    @value.setter
    def value(self, data):
        if isinstance(data, list):
            for r, row in enumerate(data):
                for c, v in enumerate(row):
                    self._sheet.put((self.first[0] + r, self.first[1] + c), v)
        else:
            self._sheet.put(self._one(), data)

    @property
    def formula(self):
        grid = [[self._sheet.formulas.get(k) or ("" if self._sheet.values.get(k) is None
                                                else str(self._sheet.values.get(k))) for k in row]
                for row in self._cells()]
        return grid[0][0] if self.first == self.last else tuple(tuple(r) for r in grid)

    def options(self, ndim=None):
        assert ndim == 2
        outer = self
        return type("Opt", (), {"value": property(lambda s: [[outer._sheet.values.get(k) for k in row]
                                                             for row in outer._cells()])})()

    @property
    def color(self):
        rgb = self._sheet.colors.get(self._one())
        return None if rgb is None else tuple(int(rgb[i:i + 2], 16) for i in (1, 3, 5))

    @color.setter
    def color(self, value):
        if value is None:
            self._sheet.colors.pop(self._one(), None)
        else:
            self._sheet.colors[self._one()] = value.upper()

    @property
    def note(self):
        return FakeNote(self._sheet, self._one()) if self._one() in self._sheet.notes else None

    def add_note(self, text):
        assert self._one() not in self._sheet.notes, "Excel refuses a second note"
        self._sheet.notes[self._one()] = text

    def add_hyperlink(self, address, text_to_display=None, screen_tip=None):
        self._sheet.links[self._one()] = address
        self._sheet.put(self._one(), text_to_display)

    @property
    def merge_cells(self):
        return any(r0 <= self.row <= r1 and c0 <= self.column <= c1 for r0, c0, r1, c1 in self._sheet.merges)

    @property
    def merge_area(self):
        r0, c0, r1, c1 = next(m for m in self._sheet.merges if m[0] <= self.row <= m[2] and m[1] <= self.column <= m[3])
        return FakeRange(self._sheet, (r0, c0), (r1, c1))

    @property
    def font(self):
        return type("Font", (), {"bold": None})()

    @property
    def number_format(self):
        return self._sheet.formats.get(self._one(), "General")

    column_width = None


class FakeSheet:
    def __init__(self, book, name, visible=True):
        self.book, self.name, self.visible = book, name, visible
        self.values, self.formulas, self.colors, self.notes, self.links, self.merges = {}, {}, {}, {}, {}, []
        self.formats = {}

    def put(self, key, value):
        """As Excel takes a value given through its object model: a leading apostrophe keeps a text
        text (and is not part of it); a text starting with ``=`` becomes a formula."""
        self.formulas.pop(key, None)
        if isinstance(value, str) and value.startswith("'"):
            self.values[key] = value[1:]
        elif isinstance(value, str) and value.startswith("=") and len(value) > 1:
            self.formulas[key] = value
            self.values.pop(key, None)
        elif value is None:
            self.values.pop(key, None)
        else:
            self.values[key] = value

    def range(self, a, b=None):
        first = _rc(a.split(":")[0]) if isinstance(a, str) else a
        last = (_rc(a.split(":")[1]) if isinstance(a, str) and ":" in a else (b or first))
        return FakeRange(self, first, last)

    @property
    def used_range(self):
        keys = set(self.values) | set(self.formulas) or {(1, 1)}
        rows, cols = [k[0] for k in keys], [k[1] for k in keys]
        return FakeRange(self, (min(rows), min(cols)), (max(rows), max(cols)))

    def delete(self):
        self.book.sheet_list.remove(self)


class FakeSheets:
    def __init__(self, book):
        self.book = book

    def __getitem__(self, key):
        return self.book.sheet_list[key] if isinstance(key, int) else \
            next(s for s in self.book.sheet_list if s.name == key)

    def __iter__(self):
        return iter(list(self.book.sheet_list))

    def __len__(self):
        return len(self.book.sheet_list)

    def add(self, name=None, before=None, after=None):
        sheet = FakeSheet(self.book, name)
        where = self.book.sheet_list.index(before) if before is not None else self.book.sheet_list.index(after) + 1
        self.book.sheet_list.insert(where, sheet)
        return sheet


class FakeNames:
    def __init__(self, book, names):
        self.book, self.names = book, names

    def __iter__(self):
        return iter(type("N", (), {"name": n, "refers_to": "=" + t})() for n, t in self.names.items())

    def contains(self, name):
        return name in self.names

    def __getitem__(self, name):
        sheet, ref = self.names[name].rsplit("!", 1)
        sheet = self.book.sheets[sheet.strip("'").replace("''", "'")]
        return type("N", (), {"refers_to_range": sheet.range(ref.replace("$", ""))})()


class FakeExcelBook:
    """An open workbook as xlwings shows it, loaded from a file's cells (values, formulas, merges, names)."""

    def __init__(self, path):

        self.fullname, self.sheet_list, self.app = str(path), [], None
        source = OpenpyxlBook.open(path)
        for grid in source.grids():
            sheet = FakeSheet(self, grid.name, visible=not grid.hidden)
            for r, c, v in grid.cells():
                sheet.values[(r + 1, c + 1)] = v
            for (r, c), f in (grid.formulas or {}).items():
                sheet.formulas[(r + 1, c + 1)] = f
            sheet.merges = [(r0 + 1, c0 + 1, r1 + 1, c1 + 1) for r0, c0, r1, c1 in grid.merged]
            sheet.formats = {(r + 1, c + 1): f for (r, c), f in (grid.formats or {}).items()}
            self.sheet_list.append(sheet)
        self.sheets = FakeSheets(self)
        self.names = FakeNames(self, source.defined_names())


def test_score_book_through_the_xlwings_book(tmp_path):
    from test_addin import PROJECT, project_workbook

    source, planted = project_workbook(tmp_path / "项目.xlsx")
    wb = openpyxl.load_workbook(source)                 # an official-layout copy: computed cells typed
    ws = wb[PROJECT.sheet]
    computed = [PROJECT.funds[("total", "rate")], PROJECT.funds[("total", "score")], PROJECT.total, PROJECT.grade,
                *(f"{PROJECT.columns['score']}{r}" for r in PROJECT.indicator_rows)]
    for ref in computed:
        ws[ref] = None
    wb.save(source)

    excel = FakeExcelBook(source)
    book = XlwingsBook(excel)
    summary = score_book(book, path=str(source))

    sheet = excel.sheets[PROJECT.sheet]
    assert sheet.range(PROJECT.funds[("total", "score")]).value == 9.98
    assert sheet.range(PROJECT.total).value == float(summary.tables[0].total)
    assert sheet.range(PROJECT.grade).value == summary.tables[0].grade
    assert sheet.range(planted["blank"]).color == tuple(int(ERROR_FILL[i:i + 2], 16) for i in (0, 2, 4))
    assert sheet.range(planted["blank"]).note.text.startswith(MARKER)
    results = excel.sheets[RESULTS_SHEET]
    assert [s.name for s in excel.sheets][-1] == RESULTS_SHEET
    assert f"#'{PROJECT.sheet}'!{planted['blank']}" in results.links.values()
    assert summary.problems == len(results.links) > 0

    again = score_book(book, path=str(source))                     # a second click: one 检查结果, same marks
    assert [s.name for s in excel.sheets].count(RESULTS_SHEET) == 1
    assert again.problems == summary.problems
    assert sheet.range(planted["blank"]).note.text.count(MARKER) == 1


def test_the_results_sheet_typed_into_excel_holds_text_not_formulas(tmp_path):
    from test_sanitize import PAYLOADS

    from selfeval_xl.book import Link
    from selfeval_xl.core.sanitize import clean_text

    source = tmp_path / "b.xlsx"
    openpyxl.Workbook().save(source)
    excel = FakeExcelBook(source)
    rows = [["问题", "实为"]] + [[f"项目“{p}”", p] for p in PAYLOADS] + [[3, -5.5]]
    XlwingsBook(excel).put_sheet(RESULTS_SHEET, rows, {(1, 0): Link("Sheet", "A1")})
    results = excel.sheets[RESULTS_SHEET]
    assert results.formulas == {}
    assert [results.values[(r + 2, 2)] for r in range(len(PAYLOADS))] == [clean_text(p) for p in PAYLOADS]
    assert results.values[(len(PAYLOADS) + 2, 1)] == 3 and results.values[(len(PAYLOADS) + 2, 2)] == -5.5


@pytest.mark.parametrize("value, number_format, codes", [
    (0.995, "0.00%", set()), (99.5, '0.0"%"', set()), (99.5, "General", {"percent-unclear"}),
    (0.5, "0%", {"score-mismatch"})])
def test_the_live_book_reads_a_value_as_its_cell_shows_it_like_the_file(tmp_path, value, number_format, codes):
    """The add-in's book gives each number its format: what the button finds is what ``check`` finds."""
    from check_workbooks import build_project
    from selfeval_xl.checks import check_workbook
    from selfeval_xl.read import read_grids, read_workbook

    built = build_project(tmp_path / "p.xlsx")
    wb = openpyxl.load_workbook(built.path)
    cell = wb[built.sheet][built.ref(("ind", 6, "actual"))]
    cell.value, cell.number_format = value, number_format
    wb.save(built.path)
    live = XlwingsBook(FakeExcelBook(built.path))
    from_excel = check_workbook(read_grids(live.grids(), str(built.path), live.defined_names()))
    from_file = check_workbook(read_workbook(built.path))
    assert {f.code for f in from_excel.findings} == {f.code for f in from_file.findings} == codes
