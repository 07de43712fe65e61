"""Put recomputed values and problem marks into a workbook, through the :mod:`book` interface.

:func:`score_book` is the one function behind both the 计算得分 button and ``selfeval score``: read the
book through the batch reader's locator, recompute every computed cell, write the values, check the
table as it now stands, mark the problems and list them.

Values: a cell that holds a formula keeps it (the checker flags a formula replaced by a typed number);
only what it computes is recorded. Any other cell gets the recomputed value.

Marks: each finding's cell is filled (red for errors, yellow for warnings) and carries a comment with
the Chinese messages; a 检查结果 sheet lists every finding with a link to its cell. A second run first
takes its earlier marks away — the cells' own fill colours (kept in a hidden column of 检查结果) come
back and the comments lose the part we wrote — so a fixed problem does not stay red. A comment the
user wrote is kept: ours is appended below a marker line.

Text in marks and in 检查结果 quotes the workbook (a 项目名称, a typed value): it goes through
:mod:`.sanitize` here (control characters), and each book writes it as text, never as a formula.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Mapping

from ..book import Book, Link, plain_value
from ..core.findings import FileReport, Finding, Severity
from ..core.model import quote_sheet
from ..read.grid import Grid, parse_ref
from ..core.sanitize import cell_value, clean_text

if TYPE_CHECKING:
    from ..core.system import IndicatorSystem

RESULTS_SHEET = "检查结果"
ERROR_FILL = "FFC7CE"
WARNING_FILL = "FFEB9C"
MARK_FILLS = (ERROR_FILL, WARNING_FILL)
MARKER = "【绩效自评检查】"
NO_FILL, UNKNOWN_FILL = "无", "图案"           # 原底色 when the cell had no fill / a patterned one (cleared)
SEVERITY_TEXT = {Severity.ERROR: "错误", Severity.WARNING: "警告"}
CHANGED = "改写"                                  # 类别 of a typed value the recomputed one replaced
HEADER = ("序号", "类别", "工作表", "单元格", "问题", "应为", "实为", "代码", "原底色")
WIDTHS = (6, 6, 20, 28, 60, 12, 12, 26, 0)          # 原底色 is hidden (width 0)
LINK_COLUMN = HEADER.index("单元格")


@dataclass(frozen=True)
class Change:
    """A value a person typed that the recomputed one replaced (a typed 总分, a typed 得分): the user
    must learn what was there, so it is listed in 检查结果 and on the console."""

    sheet: str
    ref: str
    was: Any
    now: Any

    def __str__(self) -> str:
        return f"{quote_sheet(self.sheet)}!{self.ref}：{_shown(self.was)} → {_shown(self.now)}"


@dataclass(frozen=True)
class Written:
    """What :func:`write_values` did: constants written, formula cells whose result was recorded, and
    the typed values it replaced."""

    values: int
    formulas: int
    changes: tuple[Change, ...] = ()


def write_values(book: Book, values: Mapping[tuple[str, str], Any]) -> Written:
    """Write each recomputed value into its (sheet, ref); formula cells keep their formula."""
    constants = formulas = 0
    changes = []
    for (sheet, ref), value in values.items():
        cell = book.read(sheet, ref)
        if cell.formula:
            book.store_result(sheet, ref, value)
            formulas += 1
        else:
            if _replaces(cell.value, value):
                changes.append(Change(sheet, ref, cell.value, value))
            book.write(sheet, ref, value)
            constants += 1
    return Written(constants, formulas, tuple(changes))


def _replaces(was: Any, now: Any) -> bool:
    """True when writing ``now`` loses a different value someone typed (a blank is no loss)."""
    if was is None or (isinstance(was, str) and not was.strip()):
        return False
    try:
        return abs(Decimal(str(was)) - Decimal(str(now))) > Decimal("1e-9")
    except (ArithmeticError, ValueError):
        return str(was).strip() != str(now if now is not None else "").strip()


def _shown(value: Any) -> str:
    if value is None:
        return "空"
    if isinstance(value, (Decimal, float)):
        return f"{Decimal(str(value)).normalize():f}"
    return str(value)


def _markable(finding: Finding, sheets: set[str]) -> bool:
    return bool(finding.cell) and finding.sheet in sheets and finding.sheet != RESULTS_SHEET \
        and ":" not in finding.cell


def clear_marks(book: Book, previous: Grid | None) -> None:
    """Undo the marks an earlier run left, as listed in its 检查结果 sheet (``previous``)."""
    if previous is None or not previous.rows:
        return
    header = [str(v or "") for v in previous.rows[0]]
    if not all(h in header for h in ("工作表", "单元格", "原底色")):
        return
    at_sheet, at_cell, at_fill = header.index("工作表"), header.index("单元格"), header.index("原底色")
    sheets = set(book.sheet_names())
    done: set[tuple[str, str]] = set()
    for r in range(1, previous.height):
        sheet, cell = previous.value(r, at_sheet), previous.value(r, at_cell)
        if not sheet or not cell or str(sheet) not in sheets:
            continue
        sheet, ref = str(sheet), str(cell).rsplit("!", 1)[-1].replace("$", "")
        if (sheet, ref) in done:
            continue
        done.add((sheet, ref))
        if book.fill(sheet, ref) in MARK_FILLS:
            original = previous.value(r, at_fill)
            book.set_fill(sheet, ref, str(original) if original not in (None, NO_FILL, UNKNOWN_FILL) else "")
        text = book.comment(sheet, ref)
        if MARKER in text:
            book.set_comment(sheet, ref, text.split(MARKER)[0].rstrip())


def mark_findings(book: Book, findings: Iterable[Finding], previous: Grid | None = None,
                  changes: Iterable[Change] = ()) -> int:
    """Mark each finding's cell and write the 检查结果 sheet (with the typed values replaced, as
    ``changes``); returns how many cells were marked."""
    changes = list(changes)
    before = {(c.sheet, c.ref): c for c in changes}
    findings = [_with_before(f, before.get((f.sheet, f.cell))) for f in findings]
    clear_marks(book, previous)
    sheets = set(book.sheet_names())
    by_cell: dict[tuple[str, str], list[Finding]] = {}
    for f in findings:
        if _markable(f, sheets):
            by_cell.setdefault((f.sheet, f.cell), []).append(f)
    originals: dict[tuple[str, str], str] = {}
    for (sheet, ref), found in by_cell.items():
        original = book.fill(sheet, ref)
        originals[(sheet, ref)] = UNKNOWN_FILL if original is None else (original or NO_FILL)
        worst = ERROR_FILL if any(f.severity is Severity.ERROR for f in found) else WARNING_FILL
        book.set_fill(sheet, ref, worst)
        own = book.comment(sheet, ref).split(MARKER)[0].rstrip()
        ours = MARKER + "\n" + "\n".join(f"{SEVERITY_TEXT[f.severity]}：{clean_text(f.message)}" for f in found)
        book.set_comment(sheet, ref, f"{own}\n{ours}" if own else ours)
    _write_results(book, findings, originals, changes)
    return len(by_cell)


def _with_before(f: Finding, change: Change | None) -> Finding:
    """A finding at a cell whose typed value was just replaced says what was there: "现为手工填写的 7"
    alone would hide the 5 the user typed."""
    if change is None:
        return f
    return replace(f, message=f"{f.message}（评分前为手工填写的 {_shown(change.was)}，已改为重算值 "
                              f"{_shown(change.now)}）")


def _write_results(book: Book, findings: list[Finding], originals: dict[tuple[str, str], str],
                   changes: list[Change]) -> None:
    ordered = sorted(findings, key=lambda f: (f.severity is not Severity.ERROR, f.sheet, _row_of(f.cell), f.cell))
    rows: list[list[Any]] = [list(HEADER)]
    links: dict[tuple[int, int], Link] = {}
    for n, f in enumerate(ordered, start=1):
        position = f"{quote_sheet(f.sheet)}!{f.cell}" if f.sheet and f.cell else (f.sheet or "")
        plain = f.to_dict()                                # expected / found as numbers or text
        rows.append([cell_value(v) for v in (n, SEVERITY_TEXT[f.severity], f.sheet, position, f.message,
                                             plain["expected"], plain["found"], f.code,
                                             originals.get((f.sheet, f.cell), ""))])
        if (f.sheet, f.cell) in originals:
            links[(n, LINK_COLUMN)] = Link(f.sheet, f.cell)
    for n, change in enumerate(changes, start=len(rows)):
        rows.append([n, CHANGED, change.sheet, f"{quote_sheet(change.sheet)}!{change.ref}",
                     f"手工填写的 {_shown(change.was)} 已改为重算值 {_shown(change.now)} / typed value replaced by "
                     "the recomputed one", plain_value(change.now), plain_value(change.was), "value-replaced",
                     originals.get((change.sheet, change.ref), "")])
        links[(n, LINK_COLUMN)] = Link(change.sheet, change.ref)
    if not ordered and not changes:
        rows.append(["", "", "", "", "未发现问题", "", "", "", ""])
    book.put_sheet(RESULTS_SHEET, rows, links, WIDTHS)


def _row_of(ref: str) -> int:
    """The row a finding's cell (or the first cell of its range, ``H14:H20``) is on; 0 when none."""
    try:
        return parse_ref(ref.split(":")[0])[0] + 1
    except ValueError:
        return 0


# --------------------------------------------------------------------------- the whole job

@dataclass(frozen=True)
class TableScore:
    """One table's recomputed result, for the message box and the command's output."""

    name: str
    kind: str
    sheet: str
    total: Decimal | None
    grade: str | None
    system: str = ""             # the Chinese titles of the indicator system it was scored by
    layout: str = ""             # and of the layout it was read by (the web page shows them)


@dataclass
class Summary:
    """What :func:`score_book` did to one workbook."""

    tables: list[TableScore] = field(default_factory=list)
    report: FileReport | None = None
    written: Written = Written(0, 0)
    marked: int = 0

    @property
    def errors(self) -> int:
        return self.report.errors if self.report else 0

    @property
    def warnings(self) -> int:
        return self.report.warnings if self.report else 0

    @property
    def problems(self) -> int:
        return self.errors + self.warnings

    def message(self) -> str:
        """A few Chinese lines (the add-in's message box, score's console): each table's 总分 and 等级,
        then the problem count. Names quote the workbook: cleaned of control characters."""
        return clean_text(self._message())

    def _message(self) -> str:
        if not self.tables:
            reasons = "；".join(f.message for f in self.report.findings) if self.report else ""
            return "未找到绩效自评表，工作簿未作改动。" + (f"\n{reasons}" if reasons else "")
        lines = [f"{t.name or t.sheet}：总分 {_total_text(t.total)}，等级 {t.grade or '—'}" for t in self.tables]
        changes = self.written.changes
        if changes:
            lines.append(f"改写了 {len(changes)} 个手工填写的值（原值 → 重算值）：" + "；".join(map(str, changes)))
        if self.problems:
            lines.append(f"发现 {self.problems} 个问题（错误 {self.errors}，警告 {self.warnings}），"
                         f"已在单元格中标出，详见“{RESULTS_SHEET}”工作表。")
        elif not changes:
            lines.append("未发现问题。")
        else:
            lines.append(f"改写后未发现其他问题，原值见“{RESULTS_SHEET}”工作表。")
        return "\n".join(lines)


def _total_text(total: Decimal | None) -> str:
    return "—" if total is None else f"{total:.2f}"


def _layout_title(name: str) -> str:
    """A layout's Chinese title (项目支出绩效自评表); "" for one not found by name (a bureau's own file)."""
    from ..checks import layout_of
    from ..core.datafiles import DataFileError

    try:
        return layout_of(name).title
    except (DataFileError, OSError, ValueError):
        return ""


def score_book(book: Book, system: "IndicatorSystem | None" = None, path: str = "",
               own: tuple[str, ...] = ()) -> Summary:
    """Recompute and write every 执行率, score, 小计, 总分 and 等级 of the book's tables, check the
    result, mark the problems and write the 检查结果 sheet. ``system`` None: each table's own (the
    template records it) or the default for its kind; ``own``: a bureau's own layout files. The caller
    saves (or, in Excel, the user does)."""
    from ..checks import check_workbook, system_for
    from ..core.recompute import recompute

    grids = book.grids()
    previous = next((g for g in grids if g.name == RESULTS_SHEET), None)
    data = _read(book, grids, path, own)
    summary = Summary()
    values: dict[tuple[str, str], Any] = {}
    for table in data.tables:
        scored_by = system_for(table, system)
        result = recompute(table, scored_by)
        values.update({(sheet, ref): value for sheet, ref, value in result.writes()})
        summary.tables.append(TableScore(table.name, table.kind, table.sheet, result.total, result.grade,
                                         scored_by.title, _layout_title(table.layout or table.kind)))
    if not data.tables:                      # not a 自评表: leave the workbook as it is
        summary.report = check_workbook(data, system)
        return summary
    summary.written = write_values(book, values)
    summary.report = check_workbook(_read(book, book.grids(), path, own) if values else data, system)
    summary.marked = mark_findings(book, summary.report.findings, previous, summary.written.changes)
    return summary


def _read(book: Book, grids: list[Grid], path: str, own: tuple[str, ...]):
    from ..read import read_grids

    fmt = Path(path).suffix.lower().lstrip(".") or "grid"
    return read_grids([g for g in grids if g.name != RESULTS_SHEET], path, book.defined_names(), fmt, own)

