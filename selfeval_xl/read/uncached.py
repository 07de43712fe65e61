"""Formula cells a file stored no result for, computed with ``formulas`` before the checks read them.

Why: a workbook written by a program that does not calculate (openpyxl, a script filling our
template) holds formulas without results, so 执行率, the scores and 总分 read blank; Excel computes them
on opening, and the verdict must be the one Excel would show. Why with care: the file is a stranger's.
This runs in the file's worker under its limits, only for sheets that have such cells (a file whose
results are all stored never imports ``formulas``), refuses work beyond ``Limits.formula_cells`` and
``Limits.formula_inputs`` before loading anything, never follows a link to another file, and trusts
no value ``formulas`` could not compute: such a cell stays blank and says why.
"""
from __future__ import annotations

import re
import signal
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Iterable, Iterator

from ..core.limits import Limits
from .grid import ref

Cells = dict[tuple[int, int], str]
MAX_AREA_COLUMNS = 16_384
MAX_AREA_ROWS = 1_048_576
NOT_COMPUTED = "未按公式计算"


@dataclass
class Outcome:
    """What became of a sheet's formula cells without stored results, by 0-based ``(row, col)``."""

    values: dict[tuple[int, int], Any] = field(default_factory=dict)   # computed: the value Excel shows
    refused: dict[tuple[int, int], str] = field(default_factory=dict)  # not computed: why, in Chinese


@dataclass(frozen=True)
class Book:
    """What the refusal rules read of the whole workbook: every sheet's formulas, the defined names,
    how many cells the sheets hold, and why a sheet could not be read whole ("" when all were)."""

    formulas: dict[str, Cells]
    defined_names: dict[str, str]
    cells: int
    incomplete: str = ""


_STRING = re.compile(r'"(?:[^"]|"")*"')
_CELL_AREA = re.compile(r"\$?([A-Za-z]{1,3})\$?([0-9]{1,7})\s*:\s*\$?([A-Za-z]{1,3})\$?([0-9]{1,7})")
_COLUMN_AREA = re.compile(r"(?<![A-Za-z0-9_.])\$?([A-Za-z]{1,3})\s*:\s*\$?([A-Za-z]{1,3})(?![A-Za-z0-9_.(])")
_ROW_AREA = re.compile(r"(?<![A-Za-z0-9_.$])\$?([0-9]{1,7})\s*:\s*\$?([0-9]{1,7})(?![0-9])")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.]*")
_FUNCTION = re.compile(r"([A-Za-z_][A-Za-z0-9_.]*)\s*\(")
DYNAMIC = ("INDIRECT", "OFFSET")
"""Functions whose reference is made while computing: no area can be counted before, so not computed."""


def _column(letters: str) -> int:
    number = 0
    for ch in letters.upper():
        number = number * 26 + ord(ch) - 64
    return number


def area(text: str) -> int:
    """How many cells the ranges of one formula (string literals left out) name, as written:
    ``SUM(A1:B10)`` 20, ``SUM(I:I)`` a whole column (1,048,576), a single cell nothing extra."""
    total = 0
    for match in _CELL_AREA.finditer(text):
        c1, r1, c2, r2 = match.groups()
        total += (abs(int(r2) - int(r1)) + 1) * (abs(_column(c2) - _column(c1)) + 1)
    for match in _COLUMN_AREA.finditer(text):
        total += MAX_AREA_ROWS * (abs(_column(match.group(2)) - _column(match.group(1))) + 1)
    for match in _ROW_AREA.finditer(text):
        total += MAX_AREA_COLUMNS * (abs(int(match.group(2)) - int(match.group(1))) + 1)
    return total


def _plain(formula: str) -> str:
    """The formula without its string literals (``"[1]"`` in a text is not a link)."""
    return _STRING.sub('""', formula) if '"' in formula else formula


def refusal(book: Book, limits: Limits) -> str:
    """Why this workbook's formulas are not computed at all ("" when they may be): counted from the
    formula texts, before ``formulas`` is imported or anything is loaded."""
    if book.incomplete:
        return f"{book.incomplete}，{NOT_COMPUTED}"
    texts = [_plain(f) for cells in book.formulas.values() for f in cells.values()]
    if len(texts) > limits.formula_cells:
        return f"工作簿有 {len(texts)} 个公式，超过限制项 formula_cells（{limits.formula_cells}），{NOT_COMPUTED}"
    used = {name.upper(): target for name, target in book.defined_names.items()}
    named = [_plain(used[word.upper()]) for text in texts for word in _NAME.findall(text)
             if word.upper() in used]
    for text in (*texts, *named):
        if "[" in text:
            return f"公式引用了其他工作簿或表格区域（{text[:40]}），{NOT_COMPUTED}"
        dynamic = [name for name in _FUNCTION.findall(text) if name.upper() in DYNAMIC]
        if dynamic:
            return f"公式使用了动态引用 {dynamic[0].upper()}，{NOT_COMPUTED}"
    inputs = book.cells + sum(area(text) for text in (*texts, *named))
    if inputs > limits.formula_inputs:
        return (f"公式涉及约 {inputs} 个单元格，超过限制项 formula_inputs（{limits.formula_inputs}），"
                f"{NOT_COMPUTED}")
    return ""


def compute_sheet(blob: bytes, sheet: str, wanted: Iterable[tuple[int, int]], book: Book, limits: Limits
                  ) -> Outcome:
    """The values of ``wanted`` (a sheet's formula cells without stored results) as Excel would show
    them, or why each could not be computed. Never raises: any failure refuses every cell with its reason."""
    wanted = sorted(wanted)
    outcome = Outcome()
    why = refusal(book, limits)
    if not why:
        late = f"按公式计算超过 {limits.seconds / 2:g} 秒（限制项 seconds 的一半），已停止"
        clock = _Clock()
        try:
            with _deadline(limits.seconds / 2, clock):
                computed = _compute(blob, sheet, wanted)
            if clock.expired:       # the signal's exception was caught inside a library: nothing it gave is trusted
                raise _OutOfTime
            return _judged(computed, wanted, book)
        except _OutOfTime:
            why = late
        except ImportError as exc:
            why = _unloadable(exc)
        except (Exception, MemoryError, RecursionError) as exc:  # noqa: BLE001 - a stranger's formulas
            # a library may turn the signal's exception into one of its own (openpyxl: a TypeError)
            why = late if clock.expired else f"按公式计算出错（{type(exc).__name__}: {exc}）"[:200]
    outcome.refused = {cell: why for cell in wanted}
    return outcome


def _unloadable(exc: ImportError) -> str:
    """Why ``formulas`` could not be used: not installed, or installed and failing to load (a worker at
    its memory cap cannot map a library: "not installed" would send the user to reinstall it). The
    exception's own text is left out: numpy's runs to pages."""
    from importlib.util import find_spec

    try:
        installed = find_spec("formulas") is not None
    except (ImportError, ValueError, MemoryError):
        installed = True
    if not installed:
        return f"未安装 formulas，{NOT_COMPUTED}"
    module = f" {exc.name}" if exc.name and exc.name != "formulas" else ""
    return f"formulas 已安装但无法载入{module}（工作进程可能已到内存上限，限制项 memory_mb），{NOT_COMPUTED}"


def _compute(blob: bytes, sheet: str, wanted: list[tuple[int, int]]) -> dict[tuple[int, int], Any]:
    from ..engines.formulas_bridge import compute

    found = compute(blob, [(sheet, ref(r, c)) for r, c in wanted])
    return {cell: found[(sheet, ref(*cell))] for cell in wanted if (sheet, ref(*cell)) in found}


def _judged(computed: dict[tuple[int, int], Any], wanted: list[tuple[int, int]], book: Book) -> Outcome:
    """Values ``formulas`` computed are kept; an error value (``#NAME?`` for a function it lacks,
    ``#DIV/0!``) or a cell it did not reach (a circular reference) is refused, saying which."""
    from ..engines.formulas_bridge import CellError

    outcome = Outcome()
    for cell in wanted:
        if cell not in computed:
            outcome.refused[cell] = f"循环引用或无法求值，{NOT_COMPUTED}"
            continue
        value = computed[cell]
        if isinstance(value, CellError):
            unknown = unknown_functions(book) if value.text == "#NAME?" else []
            named = f"：不支持的函数 {'、'.join(unknown)}" if unknown else ""
            outcome.refused[cell] = f"按公式计算得到 {value.text}{named}，不采用"
        else:
            outcome.values[cell] = value
    return outcome


def unknown_functions(book: Book) -> list[str]:
    """The functions the workbook's formulas call that ``formulas`` (with our SE_* and ROUND) lacks."""
    import formulas

    from ..engines.formulas_bridge import register

    register()
    known = {name.upper() for name in formulas.get_functions()}
    called = {name.upper() for cells in book.formulas.values() for f in cells.values()
              for name in _FUNCTION.findall(_plain(f))}
    return sorted(name for name in called if name.removeprefix("_XLFN.").removeprefix("_XLWS.") not in known
                  and name not in known)


class _OutOfTime(Exception):
    """The computation overran its share of the file's seconds."""


@dataclass
class _Clock:
    """Whether the deadline passed: the code the signal interrupts may catch :class:`_OutOfTime` and raise
    something else, or nothing."""

    expired: bool = False


@contextmanager
def _deadline(seconds: float, clock: _Clock) -> Iterator[None]:
    """Stop the block after ``seconds`` with :class:`_OutOfTime` (and mark ``clock``), where a timer signal
    can be had (the main thread of a POSIX process: a batch worker); elsewhere the worker's own time limit
    holds."""
    if not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expired(signum, frame):
        clock.expired = True
        raise _OutOfTime

    before = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, before)


def shown(value: Any) -> str:
    """A computed value as the explain listing prints it."""
    if isinstance(value, float):
        return f"{value:.15g}"
    return "空" if value is None or value == "" else str(value)

