"""Text we did not compute, made safe for every output we write: no control characters, no formula.

Why one module, low in the core: report.xlsx, summary.xlsx, the 检查结果 sheet and comments of ``score``
and the add-in, filled workbooks, templates and the console all write text that came from a stranger's
workbook, a data table or a user's YAML. One rule for all of them, tested once against a list of
payloads, instead of a variant per writer.

The rule:

* Control characters (C0 but the line break, DEL, C1), lone surrogates and the non-characters
  U+FFFE/U+FFFF (none of which XML may hold, or a terminal should get) are replaced *visibly*, by
  ``�``, so a reader sees that something was there. (Not by the control pictures ``␇``: no font on
  a stock LibreOffice machine has them, they render as an empty box; ``�`` renders everywhere.) A
  line break stays a line break (``\\r\\n`` and a lone ``\\r`` become ``\\n``); a tab becomes a space.
* Text is never changed to defuse a formula. In a workbook it is written as a string cell (never a
  formula, whatever it starts with) with Excel's quote prefix when a spreadsheet would read it as a
  formula on entry (``=``, ``+``, ``-``, ``@``, their full-width forms, after leading blanks), so the
  cell shows the text as it was and stays text when a user edits it (:func:`write_openpyxl`). Where
  text is *typed* into Excel (xlwings), it gets the apostrophe Excel reads as that prefix
  (:func:`typed_value`).
* Numbers stay numbers (a negative number is not a formula); a non-finite number, which no spreadsheet
  can hold, becomes its text.
* A file name made from such text (a 项目名称, a 单位) is one name, never a path (:func:`file_stem`).
"""
from __future__ import annotations

import math
import re
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

FORMULA_STARTS = frozenset("=+-@＝＋－＠﹦﹢﹣")
"""First characters a spreadsheet (Excel with a CJK input method included) takes as a formula's start."""
LEADING_BLANKS = " \t\r\n\u3000\u00a0"
REPLACEMENT = "\ufffd"
MAX_CELL_TEXT = 32767
"""Characters a cell holds (Excel's limit); longer text is cut, ending in an ellipsis."""

_SPECIAL = re.compile("\r\n?|[\x00-\x09\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_XLSX_ESCAPE = re.compile(r"_(?=x[0-9A-Fa-f]{4}_)")


def _visible(match: re.Match) -> str:
    char = match.group(0)
    if char[0] == "\r":
        return "\n"
    return " " if char == "\t" else REPLACEMENT


_LOOKALIKES = str.maketrans({"<": "＜", ">": "＞", ":": "：", '"': "＂", "/": "／", "\\": "＼", "|": "｜",
                             "?": "？", "*": "＊", "#": "＃"})
_NAME_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}
MAX_STEM = 120
"""Characters of a name before its suffix: room for a folder in Windows' 260-character paths."""


def file_stem(name: str, empty: str = "未命名", most: int = MAX_STEM) -> str:
    """A file name stem from text we did not compute (a 项目名称 or 单位 from a workbook or a data table):
    one name, never a path, legal on Windows, macOS and Linux, never empty (``empty`` instead).

    Why full-width look-alikes: ``办公设备购置（A/B包）`` stays readable, its ``/`` becomes ``／`` rather
    than a folder (and ``..／..／x`` is one name, not a way out of the output folder). ``#`` becomes ``＃``:
    Windows allows it, but Office cannot link to such a file (it reads ``#`` as a place inside it), so
    report links would fail. Names Windows reserves (CON, NUL, COM1 …) get a leading ``_``, as does a
    name starting with ``-``, which ``selfeval check *.xlsx`` would read as an option."""
    stem = _NAME_CONTROL.sub("", str(name).translate(_LOOKALIKES))
    stem = re.sub(r"\s+", " ", stem).strip().rstrip(". ")[:most].rstrip(". ")
    if stem.split(".")[0].upper() in _RESERVED or stem.startswith("-"):
        stem = "_" + stem
    return stem or empty


def clean_text(text: str) -> str:
    """``text`` with every control character replaced visibly (line breaks kept as ``\\n``)."""
    return _SPECIAL.sub(_visible, text)


def formula_like(text: str) -> bool:
    """Would a spreadsheet read ``text``, typed or pasted into a cell, as a formula? (A lone ``=`` or
    ``-``, as in the 指标性质 list, is not one.)"""
    stripped = text.lstrip(LEADING_BLANKS)
    return len(stripped) > 1 and stripped[0] in FORMULA_STARTS


def cell_value(value: Any) -> Any:
    """A value fit for a cell: numbers stay numbers (Decimal → float; inf/NaN → their text), dates stay
    dates, anything else becomes text cleaned of control characters (:func:`clean_text`) and cut to
    what a cell holds."""
    if value is None or isinstance(value, (bool, int)):
        return value
    if isinstance(value, Decimal):
        number = float(value) if value.is_finite() else math.nan
        return number if math.isfinite(number) else str(value)       # 1E+400 overflows a float
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if isinstance(value, (date, datetime, time)):
        return value
    text = clean_text(str(value))
    return text if len(text) <= MAX_CELL_TEXT else text[:MAX_CELL_TEXT - 1] + "…"


def xlsx_text(text: str) -> str:
    """``text`` as an .xlsx string must be stored: a literal ``_x0007_`` would be decoded by Excel,
    LibreOffice and calamine as the escape of a control character, so its ``_`` is escaped
    (``_x005F_``), as the standard says."""
    return _XLSX_ESCAPE.sub("_x005F_", text)


def write_openpyxl(cell: Any, value: Any) -> None:
    """Put ``value`` into an openpyxl cell (also a write-only one) safely: text as a string cell (openpyxl
    would make a text starting with ``=`` a formula), with the quote prefix when it looks like one."""
    value = cell_value(value)
    if not isinstance(value, str):
        cell.value = value
        return
    cell.value = xlsx_text(value)
    cell.data_type = "s"
    if formula_like(value):
        cell.quotePrefix = True


def write_xlsxwriter(ws: Any, row: int, col: int, value: Any, fmt: Any = None, quoted: Any = None) -> None:
    """Put ``value`` into an XlsxWriter worksheet safely: text always through ``write_string`` (never
    parsed as a formula, number or link), with ``quoted`` (``fmt`` plus the quote prefix) when it looks
    like a formula; numbers, booleans and dates as themselves. (XlsxWriter escapes a literal ``_x0007_``
    itself: :func:`xlsx_text` would escape it twice.)"""
    value = cell_value(value)
    if value is None:
        ws.write_blank(row, col, None, fmt)
    elif isinstance(value, bool):
        ws.write_boolean(row, col, value, fmt)
    elif isinstance(value, (int, float)):
        ws.write_number(row, col, value, fmt)
    elif isinstance(value, str):
        ws.write_string(row, col, value, quoted if quoted is not None and formula_like(value) else fmt)
    else:
        ws.write_datetime(row, col, value, fmt)


def typed_value(value: Any) -> Any:
    """``value`` as Excel must be given it through its object model (xlwings), where a string is parsed
    as if typed: every text gets the leading apostrophe that keeps it text (Excel does not show it)."""
    value = cell_value(value)
    return "'" + value if isinstance(value, str) else value


def url_text(target: str) -> str:
    """A link target (a file path) with control characters percent-encoded, as a URI may hold them."""
    return _SPECIAL.sub(lambda m: "".join(f"%{b:02X}" for b in m.group(0).encode("utf-8", "surrogatepass")),
                        target)
