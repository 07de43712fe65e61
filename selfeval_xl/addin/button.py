"""The 计算得分 button of the Excel add-in: ``RunPython "import selfeval_xl;selfeval_xl.main()"``.

:func:`main` only finds the workbook and shows the result; the work is :func:`run`, which is
:func:`selfeval_xl.score.writeback.score_book` — the very function ``selfeval score`` runs on files — over
the workbook interface (here its xlwings implementation).
"""
from __future__ import annotations

import os
import sys
from typing import Any, Callable, Sequence

from ..book import Book
from ..core.limits import DEFAULT_LIMITS, Limits
from ..score.writeback import Summary, score_book

TITLE = "绩效自评 · 计算得分"


def main() -> None:
    """Score the workbook the button was clicked in and show 总分, 等级 and the number of problems."""
    import xlwings as xw

    from ..book.xlwings_book import XlwingsBook

    workbook = caller_book(xw, sys.argv)
    app = workbook.app

    def alert(text: str, mode: str) -> None:
        app.alert(text, title=TITLE, mode=mode)

    run(XlwingsBook(workbook), alert, workbook.fullname)


def run(book: Book, alert: Callable[[str, str], None], path: str = "",
        limits: Limits = DEFAULT_LIMITS) -> Summary | None:
    """Score ``book`` and tell the user how it went (``alert(text, "info" | "critical")``). When the
    book is saved at ``path``, that file is measured against ``limits`` first: a sheet reaching
    XFD1048576 would have Excel hand over billions of cells, so it is refused with the reason."""
    from ..read.guard import file_problem

    refused = file_problem(path, limits) if path and os.path.isfile(path) else None
    if refused:
        alert(f"工作簿超过读取限制，未评分：\n{refused}", "critical")
        return None
    try:
        summary = score_book(book, path=path)
    except Exception as exc:  # noqa: BLE001 - the accountant sees a message box, not a traceback
        alert(f"计算得分时出错，工作簿未完成评分：\n{type(exc).__name__}: {exc}", "critical")
        return None
    alert(summary.message(), "info" if summary.tables else "critical")
    return summary


def caller_book(xw: Any, argv: Sequence[str]) -> Any:
    """The workbook the button was clicked in, found without its file name.

    ``xw.Book.caller()`` looks the workbook up by the name VBA puts on the command line, which Chinese
    file names garble (xlwings issue #2004). The button always acts on the active workbook of the
    Excel that called (``--hwnd``), so that is what we take. A mock caller set for debugging
    (``xw.Book("表.xlsx").set_mock_caller()``) still wins.
    """
    if hasattr(xw.Book, "_mock_caller"):
        return xw.Book.caller()
    hwnd = next((a.split("=", 1)[1].strip('"') for a in argv if a.startswith("--hwnd=")), "")
    if hwnd and sys.platform.startswith("win"):
        import xlwings._xlwindows as xlwindows

        return xw.App(impl=xlwindows.App(xl=int(hwnd))).books.active
    return xw.apps.active.books.active
