"""Register the SE_* functions with the ``formulas`` package, to recompute workbooks without Excel."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from . import rules
from .cellfuncs import FUNCTIONS


def excel_round(value: Any, digits: Any = 0) -> float:
    """``ROUND`` as Excel and LibreOffice compute it (15 significant digits, then half away from zero).

    formulas 1.3 rounds the bare double, so ``ROUND(114/200*2.5, 2)`` gave 1.42 where Excel shows 1.43;
    :func:`register` puts this one in its place, so native-formula templates recompute like Excel.
    """
    return float(rules.xl_round(value, int(digits)))


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
