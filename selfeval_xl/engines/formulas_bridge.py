"""Register the SE_* functions with the ``formulas`` package, to recompute workbooks without Excel."""
from __future__ import annotations

import contextlib
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..core.cellfuncs import FUNCTIONS


def excel_round(value: Any, digits: Any = 0) -> float:
    """``ROUND`` as Excel and LibreOffice compute it (15 significant digits, then half away from zero).

    formulas 1.3 rounds the bare double, so ``ROUND(114/200*2.5, 2)`` gave 1.42 where Excel shows 1.43;
    :func:`register` puts this one in its place, so native-formula templates recompute like Excel.

    Written apart from :func:`rules.xl_round` on purpose (integers, no ``decimal``): the ``formulas``
    package is the tests' second judge of the native formulas, and a judge that called the engine's
    rounding would pass any bug in it. tests/test_formulas_bridge.py holds it to Excel's known outputs.
    """
    number, places = float(value), int(digits)
    mantissa_text, exponent_text = f"{abs(number):.14e}".split("e")      # 15 significant digits
    mantissa = int(mantissa_text.replace(".", ""))                       # d.dddddddddddddd → 15-digit int
    shift = int(exponent_text) - 14 + places                             # value × 10^places = mantissa × 10^shift
    if shift >= 0:
        scaled = mantissa * 10 ** shift
    else:
        scaled, rest = divmod(mantissa, 10 ** -shift)
        scaled += 2 * rest >= 10 ** -shift                               # half away from zero
    result = scaled / 10 ** places if places >= 0 else scaled * 10 ** -places
    return -result if number < 0 and result else float(result)


def _plain(value: Any) -> Any:
    """A ``formulas`` cell value → what the cell functions take (blank → None, numpy → Python)."""
    item = getattr(value, "item", None)
    if callable(item):
        value = item()
    from schedula.utils.cst import EMPTY  # formulas' blank-cell token (schedula comes with formulas)

    if value is None or value is EMPTY or (isinstance(value, str) and value == ""):
        return None
    return value


def register() -> None:
    """Make ``=SE_EXEC_SCORE(…)`` and its siblings computable by ``formulas.ExcelModel``."""
    import formulas
    from formulas.functions import wrap_ufunc

    registry = formulas.get_functions()
    for name, fn in FUNCTIONS.items():
        registry[name] = wrap_ufunc(fn, input_parser=lambda *a: [_plain(x) for x in a],
                                    args_parser=lambda *a: a, check_error=lambda *a: None)
    registry["ROUND"] = wrap_ufunc(excel_round)


def calculate(path: str | Path) -> dict[str, Any]:
    """Compute every formula of a workbook with ``formulas``: ``{"'[book]SHEET'!A1": value}``."""
    import formulas

    register()
    model = formulas.ExcelModel().loads(str(path)).finish()
    solution = model.calculate()
    return {key: _plain(getattr(value, "value", value)[0, 0] if hasattr(value, "value") else value)
            for key, value in solution.items()}


@dataclass(frozen=True)
class CellError:
    """A formula that computed to an Excel error (``#NAME?`` for a function ``formulas`` lacks)."""

    text: str


_BOOK = "BOOK.XLSX"
"""The one workbook's name in the model: the file is given as bytes, never as a path to load others by."""


def compute(blob: bytes, cells: list[tuple[str, str]]) -> dict[tuple[str, str], Any]:
    """The values of ``cells`` (sheet, ``"J16"``) of the .xlsx in ``blob``, computed from the cells they
    refer to, and only those (not the whole book): a number, text, bool, None for an empty text result,
    or :class:`CellError`; a cell left out was not computed (a circular reference). The file's external links are dropped and the model has no folder to look in,
    so a formula naming another workbook computes to ``#REF!`` instead of opening a file on this machine.
    A formula that evaluates to an empty cell shows 0, as in Excel."""
    import formulas
    from formulas.excel import BOOK
    from formulas.excel.xlreader import load_workbook
    from formulas.tokens.operand import XlError
    from schedula.utils.cst import EMPTY

    register()
    book = load_workbook(io.BytesIO(blob), data_only=False)
    book._external_links = []
    model = formulas.ExcelModel()
    model.basedir = "/nonexistent-selfeval-xl"      # nothing else is ever loaded from disk
    model.books = {_BOOK: {BOOK: book}}
    model.add_book(_BOOK)
    keys = {f"'[{_BOOK}]{sheet.upper()}'!{ref}": (sheet, ref) for sheet, ref in cells}
    with contextlib.redirect_stderr(io.StringIO()):          # formulas draws a progress bar there
        model.complete(list(keys)).finish(complete=False)
    solution = model.calculate(outputs=list(keys))
    values: dict[tuple[str, str], Any] = {}
    for key, cell in keys.items():
        if key not in solution:
            continue                         # not reached: a circular reference
        found = solution[key]
        value = found.value[0, 0] if hasattr(found, "value") else found
        if isinstance(value, XlError):
            values[cell] = CellError(str(value))
        elif value is EMPTY:
            values[cell] = 0
        else:
            values[cell] = _plain(value)
    return values
