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
* A file name made from such text (a 项目名称, a 单位) is one name, never a path, never too long,
  and two texts never share one (:func:`file_name`).
"""
from __future__ import annotations

import hashlib
import math
import re
import unicodedata
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
_XLSX_ESCAPED = re.compile(r"_x005F_(?=x[0-9A-Fa-f]{4}_)", re.IGNORECASE)


def _visible(match: re.Match) -> str:
    char = match.group(0)
    if char[0] == "\r":
        return "\n"
    return " " if char == "\t" else REPLACEMENT


_LOOKALIKES = str.maketrans({"<": "＜", ">": "＞", ":": "：", '"': "＂", "/": "／", "\\": "＼", "|": "｜",
                             "?": "？", "*": "＊", "#": "＃"})
_INVISIBLE = frozenset({"Cc", "Cf", "Cs"})
"""Unicode categories dropped from a name: controls, format characters (the bidi overrides such as
U+202E, which show ``报告‮xslx.exe`` as ``报告exe.xlsx``; zero-width characters) and lone surrogates."""
_RESERVED = re.compile(r"(CON|PRN|AUX|NUL|CONIN\$|CONOUT\$|COM[0-9¹²³]|LPT[0-9¹²³])", re.IGNORECASE)
MAX_NAME_BYTES = 200
"""UTF-8 bytes of a whole file name: file systems allow 255 (a Chinese character takes 3), and a
``.bak``, a ``（2）`` or a temporary's prefix still fit beside it."""
HASH_MARK = "~"
ELLIPSIS = "…"
HASH_LENGTH = 8
_MARKED = re.compile(re.escape(HASH_MARK) + f"[0-9a-f]{{{HASH_LENGTH}}}$")


def _cut(name: str, room: int) -> str:
    """``name`` in at most ``room`` UTF-8 bytes: its start, ``…`` and its last third, so that the end of
    ``<单位>-<项目名称>`` (which project it is) survives a long 单位."""
    data = name.encode("utf-8")
    if len(data) <= room:
        return name
    room -= len(ELLIPSIS.encode("utf-8"))
    end = data[len(data) - room // 3:].decode("utf-8", "ignore")
    start = data[:room - len(end.encode("utf-8"))].decode("utf-8", "ignore")
    return start + ELLIPSIS + end


def file_name(text: str, tail: str = "", empty: str = "未命名", most: int = MAX_NAME_BYTES) -> str:
    """The one file name for a name made from text we did not compute (a 项目名称, a 单位, an uploaded
    file's name): ``text`` made safe, then ``tail`` (ours: ``.xlsx``, ``-自评检查反馈.xlsx``) unchanged.

    Safe everywhere: one name, never a path; legal on Windows, macOS and Linux; never hidden; never
    empty (``empty`` instead); at most ``most`` UTF-8 bytes in all. Readable: the characters Windows
    forbids become their full-width look-alikes (``A/B包`` → ``A／B包``, and ``../x`` is a name, not a
    way out of the folder); ``#`` too, as Office cannot link to a file named with it. Invisible
    characters (controls, bidi overrides, zero-width) are dropped; leading and trailing blanks and the
    trailing dots Windows drops go; a leading dot (a hidden file) becomes ``．``; a reserved device name
    (CON, NUL, COM1 …) or a leading ``-`` (read as an option by ``selfeval check *.xlsx``) gets a ``_``.
    A text too long is cut in the middle (``…``), keeping its start and its end.
    Distinct texts never share a name: a text changed by any of this, or cut to fit, ends in
    ``~`` and 8 hex digits of its SHA-256 (as does a text that already ends so), so it cannot meet an
    unchanged one, nor another changed one. (Case and Unicode normalisation are left to the caller's
    folder: NFC is kept, names differing in case only are the caller's to tell apart.)"""
    raw = str(text)
    name = unicodedata.normalize("NFC", raw).translate(_LOOKALIKES)
    name = "".join(ch for ch in name if unicodedata.category(ch) not in _INVISIBLE).strip().rstrip(". ")
    dots = len(name) - len(name.lstrip("."))
    name = "．" * dots + name[dots:]
    name = name or empty
    first = (name + tail).split(".")[0].rstrip(" ")
    if _RESERVED.fullmatch(first) or name.startswith("-"):
        name = "_" + name
    changed = name != raw or bool(_MARKED.search(name))
    room = most - len(tail.encode("utf-8"))
    if len(name.encode("utf-8")) > room - (len(HASH_MARK) + HASH_LENGTH if changed else 0):
        changed = True
    if changed:
        room -= len(HASH_MARK) + HASH_LENGTH
        name = _cut(name, room)
        digest = hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()[:HASH_LENGTH]
        name += HASH_MARK + digest
    return name + tail


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


def openpyxl_text(text: str) -> str:
    """A string :func:`xlsx_text` stored, as read back through openpyxl, which decodes no ``_xHHHH_``
    escape (Excel, LibreOffice and calamine do): ``_x005F_x0000_`` is the ``_x0000_`` that was written."""
    return _XLSX_ESCAPED.sub("_", text)


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
