"""The xlwings implementation cannot run here (no Excel), so check it against the installed xlwings:
every property and method it calls exists with the parameters it passes, and it fulfils the interface."""
import ast
import inspect
from pathlib import Path

import xlwings

from selfeval_xl.book import Book
from selfeval_xl.book.openpyxl_book import OpenpyxlBook
from selfeval_xl.book.xlwings_book import XlwingsBook

USED = {
    xlwings.Range: ["value", "formula", "color", "note", "add_note", "add_hyperlink", "merge_cells", "merge_area",
                    "options", "column_width", "font", "last_cell", "row", "column", "sheet", "address"],
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
