"""Read a workbook file (or grids given by someone else) into :class:`~selfeval_xl.core.model.WorkbookData`.

Why it never raises: a batch of hundreds of files from strangers holds corrupt zips, password-protected
files, WPS .et files, empty books and XML bombs; each becomes an ``unreadable`` problem with its reason
and the run goes on. Files are opened read-only and nothing in them is executed (no macros, no
external links, no XML entities).
"""
from __future__ import annotations

import io
import os
import zipfile
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Iterator

from ..core.data_tables import is_data_table
from ..core.layout import META_SHEET
from ..core.limits import DEFAULT_LIMITS, Limits
from ..core.model import Cell, Table, WorkbookData, quote_sheet
from ..files.ownfiles import not_a_submission, output_reason
from . import guard
from .grid import Grid, parse_ref
from .locate import layout_bonus_names, locate_tables, near_miss
from .xls_together import OLE_MAGIC
from .uncached import MAX_AREA_ROWS, Book, Outcome, compute_sheet, shown

MAX_ROWS = 5000                        # rows scanned per sheet; a 自评表 has well under 200
MAX_COLUMNS = 200
MAX_OLE_SCAN = 64 * 1024 * 1024        # bytes of an OLE file searched for the encryption streams
DATA_TABLE_SKIPPED = "fill 用的数据表（项目、指标……），不是自评表 / a fill data table, not a 自评表"
_ZIP = b"PK\x03\x04"


def legacy_xls(path: Path) -> bool:
    """An .xls by its name, or by its bytes (an .xls exported or renamed as .xlsx): what a writer that
    patches .xlsx packages cannot open, and LibreOffice converts. ``path`` must be a regular file
    (checked by the caller: a FIFO is never opened)."""
    if path.suffix.lower() == ".xls":
        return True
    with path.open("rb") as handle:
        return handle.read(len(OLE_MAGIC)) == OLE_MAGIC


class Unreadable(Exception):
    """Why a file cannot be read, in Chinese, for the ``unreadable`` finding."""


class OurOutput(Exception):
    """The workbook is one of our outputs (why, in Chinese): not a submission."""


def read_workbook(path: str | Path, max_rows: int = MAX_ROWS, limits: Limits = DEFAULT_LIMITS,
                  skip_ours: bool = False, own: tuple[str, ...] = ()) -> WorkbookData:
    """Read every 自评表 of an .xlsx / .xlsm / .xls file. Never raises for bad input: problems are
    recorded in ``WorkbookData.problems`` (``unreadable`` with the reason, ``sheet-truncated``,
    ``sheet-too-large`` for a sheet beyond ``limits`` …). ``skip_ours``: a workbook that carries our
    output mark (a report found in a folder of submissions) is not read but ``skipped``. ``own``: a
    bureau's own layout files, recognised beside the packaged layouts."""
    path = Path(path)
    data = WorkbookData(str(path), path.suffix.lower().lstrip("."))
    try:
        grids, names, formula_source = _load(path, max_rows, limits, data.problems, skip_ours)
    except OurOutput as exc:
        data.skipped = not_a_submission(str(exc))
        return data
    except Unreadable as exc:
        data.problems.append(("unreadable", str(exc), ""))
        return data
    except Exception as exc:  # noqa: BLE001 - a reader library failing on a stranger's file
        data.problems.append(("unreadable", f"文件无法读取：{type(exc).__name__}: {exc}"[:300], ""))
        return data
    except BaseException as exc:  # a Rust panic in calamine is a BaseException (pyo3's PanicException)
        if type(exc).__name__ != "PanicException":
            raise
        data.problems.append(("unreadable", f"读取库无法处理该文件（{exc}）"[:300], ""))
        return data
    return _locate(data, grids, names, formula_source, max_rows, own)


def _locate(data: WorkbookData, grids: list[Grid], names: dict[str, str], formula_source, max_rows: int,
            own: tuple[str, ...]) -> WorkbookData:
    """Find the tables; a crash of ours becomes a ``check-failed`` problem, never an exception."""
    try:
        return _locate_tables(data, grids, names, formula_source, max_rows, own)
    except Exception as exc:  # noqa: BLE001 - one odd sheet must not stop a batch
        data.tables = []
        data.problems.append(("check-failed", f"查找自评表时出错：{type(exc).__name__}: {exc}"[:300], ""))
        return data


def read_grids(grids: Iterable[Grid], path: str = "", defined_names: dict[str, str] | None = None,
               fmt: str = "grid", own: tuple[str, ...] = ()) -> WorkbookData:
    """The same locator over grids built elsewhere (the Excel add-in builds them from a live book).

    ``defined_names`` maps a workbook-level name to its target, ``"'Sheet'!$H$14"``. A grid named
    :data:`selfeval_xl.core.layout.META_SHEET` is read as our template's key/value sheet.
    """
    data = WorkbookData(path, fmt)
    return _locate(data, list(grids), defined_names or {}, None, MAX_ROWS, own)


def _locate_tables(data: WorkbookData, grids: list[Grid], names: dict[str, str], formula_source,
                   max_rows: int, own: tuple[str, ...]) -> WorkbookData:
    data.defined_names = dict(names)
    skipped = any(code == "sheet-too-large" for code, _, _ in data.problems)
    if not skipped and not any(True for g in grids for _ in g.cells()):
        data.problems.append(("unreadable", "工作簿是空的，没有任何内容", ""))
        return data
    if is_data_table((g.name, g.rows[0] if g.rows else ()) for g in grids):
        data.skipped = DATA_TABLE_SKIPPED
        return data
    for grid in grids:
        if grid.name == META_SHEET:
            data.meta = {str(r[0]).strip(): str(r[1]).strip() for r in grid.rows if len(r) > 1 and r[0]}
    for grid in grids:
        if grid.name == META_SHEET:
            continue
        if grid.truncated:
            data.problems.append(("sheet-truncated", f"工作表“{grid.name}”超过 {max_rows} 行，只检查了前"
                                  f" {max_rows} 行", quote_sheet(grid.name)))
        tables = locate_tables(grid, names, _bonus_names(own), formula_source, own)
        data.has_formulas = data.has_formulas or bool(grid.formulas)
        for table in tables:
            if grid.computed or grid.not_computed:
                _mark_uncached(table, grid)
            if data.meta.get("kind") == table.kind:
                table.from_template = True
                table.system_name = data.meta.get("system") or None
                table.formulas = data.meta.get("formulas") or None
        data.tables.extend(tables)
    if not data.tables and (miss := near_miss([g for g in grids if g.name != META_SHEET], own)) is not None:
        data.problems.append(("no-table", miss.message(), quote_sheet(miss.sheet)))
    return data


def _mark_uncached(table: Table, grid: Grid) -> None:
    """Which of the table's cells were computed (and which could not be), for the checks' messages and
    the ``--explain`` listing."""
    for cell in _cells_of(table):
        at = parse_ref(cell.ref)
        if at in grid.computed:
            table.computed.add(cell.address)
            table.reading.append((cell.ref, f"公式无存储值，按公式计算为 {shown(cell.value)}"))
        elif at in grid.not_computed:
            why = table.not_computed[cell.address] = grid.not_computed[at]
            table.reading.append((cell.ref, f"公式无存储值：{why}"))


def _cells_of(table: Table) -> Iterator[Cell]:
    """Every cell a table was read from (its fields, funds, goal, indicators, 总分 and 等级)."""
    yield from table.fields.values()
    yield from table.goal.values()
    for row in (*table.funds.values(), *table.indicators):
        yield from row.cells.values()
    yield from (cell for cell in (table.total, table.grade, table.total_weight) if cell is not None)


def preload() -> None:
    """Load the layouts, the systems and the reader library now (a batch does this once before it
    forks its workers, so each starts with them in memory)."""
    import python_calamine  # noqa: F401

    from .locate import KINDS, labels_for

    for kind in KINDS:
        labels_for(kind)
    _bonus_names()


@lru_cache(maxsize=4)
def _bonus_names(own: tuple[str, ...] = ()) -> tuple[str, ...]:
    """The 一级 names that mark 加减分 rows: the bonus levels of the packaged systems and the layouts'
    (the packaged and ``own``)."""
    from ..core.system import DEFAULT_SYSTEMS, load_system

    names = {lv.name for kind in DEFAULT_SYSTEMS for lv in load_system(None, kind).levels if lv.bonus}
    return tuple(sorted(names | set(layout_bonus_names(own))))


def _load(path: Path, max_rows: int, limits: Limits, problems: list, skip_ours: bool = False):
    """(grids, defined names, a function sheet name → formulas or None); sheets skipped for a limit
    are added to ``problems``."""
    refused = guard.path_problem(path, limits)
    if refused:
        raise Unreadable(refused)
    with path.open("rb") as handle:
        head = handle.read(8)
    if head.startswith(_ZIP):
        return _load_zip(path, max_rows, limits, problems, skip_ours)
    if head == OLE_MAGIC:
        _refuse_encrypted(path)
        # by its bytes, not its name: an .xls renamed .xlsx (or exported so) is still an .xls
        grids = _load_calamine(path, max_rows, limits, blob=path.read_bytes())   # unreadable stays so
        return _recalculated_xls(path, max_rows, limits, problems, skip_ours) or (grids, {}, None)
    raise Unreadable(_head_problem(head))


def _head_problem(head: bytes) -> str:
    """Why a file whose first bytes are ``head`` (neither a zip nor an OLE file) is no workbook."""
    if not head:
        return "文件是空的（0 字节）"
    return "不是 Excel 工作簿（文件内容既不是 .xlsx 也不是 .xls 格式，可能是改了扩展名的网页或文本）"


def _broken_zip(exc: Exception) -> str:
    return f"文件已损坏（zip 结构错误：{exc}）"


def why_unopenable(path: Path, exc: Exception) -> str:
    """What to tell a user whose file could not be opened for writing (``selfeval score``) with ``exc``:
    the reason ``check`` gives for it where its bytes tell (empty, not a workbook, a broken zip)."""
    try:
        with Path(path).open("rb") as handle:
            head = handle.read(8)
    except OSError as error:
        return f"文件无法打开：{error}"
    if not head.startswith(_ZIP) and head != OLE_MAGIC:
        return _head_problem(head)
    if isinstance(exc, zipfile.BadZipFile):
        return _broken_zip(exc)
    return f"文件无法打开：{type(exc).__name__}: {exc}"[:300]


def _load_zip(path: Path, max_rows: int, limits: Limits, problems: list, skip_ours: bool):
    """The file is read once into memory (its size is bounded by ``limits.file_bytes``): the guard,
    the workbook part, calamine and the formula scan all read that one copy, never reopening the file."""
    from .xlsx_xml import read_workbook_xml, scan_sheet_cells, style_number_formats

    with path.open("rb") as handle:          # read(n) would allocate n bytes up front: ask for the size
        size = os.fstat(handle.fileno()).st_size
        if size > limits.file_bytes:
            raise Unreadable(guard.path_problem(path, limits) or "文件超过大小上限（限制项 file_bytes）")
        blob = handle.read(size + 1)
    try:
        zf = zipfile.ZipFile(io.BytesIO(blob))
    except (zipfile.BadZipFile, OSError) as exc:
        raise Unreadable(_broken_zip(exc)) from None
    bomb = guard.zip_problem(zf, limits)
    if bomb:
        raise Unreadable(bomb)
    ours = output_reason(zf) if skip_ours else None
    if ours:
        raise OurOutput(ours)
    names = set(zf.namelist())
    if "xl/workbook.xml" not in names:
        if "content.xml" in names:
            raise Unreadable("这是 OpenDocument（.ods）或 WPS 文件，请另存为 .xlsx 后重新提交")
        if "xl/workbook.bin" in names:
            raise Unreadable("这是 Excel 二进制工作簿（.xlsb），请在 Excel 中另存为 .xlsx 后重新提交")
        raise Unreadable("不是 Excel 工作簿（zip 文件中没有 xl/workbook.xml）")
    try:
        book = read_workbook_xml(zf)
    except zipfile.BadZipFile as exc:
        raise Unreadable(f"文件已损坏：{exc}") from None
    except Exception as exc:  # noqa: BLE001 - defusedxml refusals, malformed XML
        raise Unreadable(f"工作簿 XML 无法解析（{type(exc).__name__}），可能已损坏或含有不安全内容") from None
    parts: dict[str, bytes] = {}
    skipped = _oversized_sheets(zf, book.sheet_paths, limits, parts)
    problems.extend(("sheet-too-large", why, quote_sheet(name)) for name, why in skipped.items())
    grids = _load_calamine(path, max_rows, limits, set(skipped), blob)

    by_name = {grid.name: grid for grid in grids}
    styles: list[list[str] | None] = []

    def formulas(sheet: str) -> dict[tuple[int, int], str] | None:
        """The sheet's formulas; its number formats go onto its grid in the same pass over its XML, and
        its formula cells without stored results are computed into it (:mod:`.uncached`)."""
        part = book.sheet_paths.get(sheet)
        if not part:
            return None
        try:
            if not styles:
                styles.append(style_number_formats(zf))
            scan = scan_sheet_cells(parts.get(part) or zf.read(part), styles[0], max_rows)
        except Exception:  # noqa: BLE001 - values are still good without formulas and formats
            return None
        grid = by_name.get(sheet)
        if grid is not None:
            grid.formats = scan.formats
            if scan.uncached:
                _computed_into(grid, compute_sheet(blob, sheet, scan.uncached, _whole_book(), limits))
        return scan.formulas

    def _whole_book() -> Book:
        """Every sheet's formulas (read only now: a file whose results are stored never needs them)."""
        if skipped or any(g.truncated for g in grids):
            return Book({}, {}, 0, "有工作表超出读取限制")
        found, incomplete = {}, ""
        for name, part in book.sheet_paths.items():
            try:
                found[name] = scan_sheet_cells(parts.get(part) or zf.read(part), None, MAX_AREA_ROWS).formulas
            except Exception:  # noqa: BLE001 - a chart sheet, a missing part: what it refers to is unknown
                incomplete = incomplete or f"工作表“{name}”的公式无法读取"
        return Book(found, book.defined_names, sum(1 for g in grids for _ in g.cells()), incomplete)

    return grids, book.defined_names, formulas


def _computed_into(grid: Grid, outcome: Outcome) -> None:
    """The computed values into the grid (as if the file had stored them); the refused stay blank."""
    for (row, col), value in outcome.values.items():
        grid.put(row, col, value)
        grid.computed.add((row, col))
    grid.not_computed.update(outcome.refused)


def _oversized_sheets(zf: zipfile.ZipFile, parts: dict[str, str], limits: Limits, kept: dict[str, bytes]
                      ) -> dict[str, str]:
    """Sheet name → why it is skipped, for the sheets whose cells reach beyond the limits. A sheet part
    that cannot be inflated (a bad checksum, a missing part) makes the file unreadable: what the guard
    could not measure is never handed to calamine. Parts up to :data:`guard.KEEP_PART_BYTES` are inflated
    once, measured from memory and kept in ``kept`` (part → XML) for the formula scan."""
    refused = guard.sheet_count_problem(len(parts), limits)
    if refused:
        raise Unreadable(refused)
    skipped = {}
    for name, part in parts.items():
        try:
            extent = guard.measure_sheet(zf, part, limits, kept)
        except guard.INFLATE_ERRORS as exc:
            raise Unreadable(f"文件已损坏：工作表“{name}”的数据无法解压（{type(exc).__name__}: {exc}）"[:300]) from None
        why = guard.sheet_problem(name, extent, limits)
        if why:
            skipped[name] = why
            kept.pop(part, None)
    return skipped


def _refuse_encrypted(path: Path) -> None:
    """An encrypted .xlsx is an OLE file holding an ``EncryptionInfo`` stream; say so plainly."""
    with path.open("rb") as handle:
        blob = handle.read(MAX_OLE_SCAN)          # the directory naming the streams may sit anywhere
    if "EncryptionInfo".encode("utf-16-le") in blob or "EncryptedPackage".encode("utf-16-le") in blob:
        raise Unreadable("文件有密码保护（已加密），请去掉密码后重新提交")


def _load_calamine(path: Path, max_rows: int, limits: Limits, skip: set[str] = frozenset(),
                   blob: bytes | None = None) -> list[Grid]:
    """Every worksheet but those in ``skip`` (already refused by the guard), as grids; from ``blob``, the
    file's bytes already read, when given."""
    from python_calamine import CalamineWorkbook, SheetTypeEnum, SheetVisibleEnum

    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(blob)) if blob is not None \
            else CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # noqa: BLE001 - calamine's errors name the format problem
        message = str(exc)
        if "password" in message.lower() or "encrypt" in message.lower():
            raise Unreadable("文件有密码保护（已加密），请去掉密码后重新提交") from None
        if path.suffix.lower() == ".et":
            raise Unreadable(f"WPS 表格（.et）文件无法读取，请在 WPS 中另存为 .xlsx：{message}"[:300]) from None
        raise Unreadable(f"文件已损坏或格式不受支持：{message}"[:300]) from None
    grids = []
    try:
        refused = guard.sheet_count_problem(len(book.sheets_metadata), limits)
        if refused:
            raise Unreadable(refused)
        for meta in book.sheets_metadata:
            if meta.typ != SheetTypeEnum.WorkSheet or meta.name in skip:
                continue
            sheet = book.get_sheet_by_name(meta.name)
            rows = sheet.to_python(skip_empty_area=False, nrows=max_rows)
            if rows and len(rows[0]) > MAX_COLUMNS:
                rows = [r[:MAX_COLUMNS] for r in rows]
            merged = [(a[0], a[1], b[0], b[1]) for a, b in (sheet.merged_cell_ranges or [])]
            last_row = sheet.end[0] + 1 if sheet.end else 0
            grids.append(Grid(meta.name, rows, None, merged, meta.visible != SheetVisibleEnum.Visible,
                              last_row > max_rows))
    except Unreadable:
        raise
    except Exception as exc:  # noqa: BLE001
        raise Unreadable(f"工作表无法读取：{type(exc).__name__}: {exc}"[:300]) from None
    finally:
        book.close()
    return grids


def _recalculated_xls(path: Path, max_rows: int, limits: Limits, problems: list, skip_ours: bool):
    """An .xls read as LibreOffice recalculates it (as ``selfeval score`` converts it), or None when
    LibreOffice is missing or fails. Why: LibreOffice writes a formula's text result ("" or "优") as the
    number 0 into .xls when the cell is number-formatted (XclExpFormulaCell writes by format type), so
    the file's cached values are not what Excel, WPS or LibreOffice show on opening it."""
    import tempfile

    from ..engines.libreoffice import LibreOfficeError, recalculate, soffice_available
    from .xls_together import converted as converted_before

    ready = converted_before(path)          # converted with the rest of its batch (one soffice run)
    if ready is None and not soffice_available():
        return None
    with tempfile.TemporaryDirectory(prefix="xls-") as tmp:
        try:
            converted = ready or recalculate([path], tmp, timeout=limits.seconds / 2)[0]   # inside its own time
            kept = len(problems)
            try:
                return _load_zip(converted, max_rows, limits, problems, skip_ours)   # read into memory
            except Unreadable:
                del problems[kept:]            # what LibreOffice wrote is too big or odd: read the .xls itself
                return None
        except (LibreOfficeError, OSError):
            return None
