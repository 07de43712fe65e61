"""Sizes a stranger's file declares, measured before any reader allocates for them.

Why before: python-calamine builds each sheet as one dense block from A1-ish to its last cell; a 15 KB
file with one cell at ``XFD1048576`` asks for 17 billion cells and aborts the process (no exception to
catch). So the path is looked at with ``stat`` (a FIFO is never opened, a device never read), the zip
directory gives the inflated size, and each sheet's XML is scanned, streamed and bounded, for the last
row and column that hold a cell. The ``<dimension ref>`` a file declares is not trusted either way:
calamine sizes a sheet by its cells, not by that element (measured), and a hostile file may lie in it.
"""
from __future__ import annotations

import os
import re
import stat
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from ..core.limits import Limits
from .grid import column_letter
from .xlsx_xml import read_workbook_xml

_CHUNK = 1024 * 1024
_OVERLAP = 64                                   # a reference cut at a chunk's end is seen whole next time
_CELL = re.compile(rb'r="([A-Z]{1,3})([0-9]{1,7})"')     # <c r="XFD12">: a literal start is 5× faster to
#   find than a whitespace class before it; what else it meets (an attribute ending in r, text) can only
#   make an extent larger, never hide a cell
_ODD_CELL = re.compile(rb'<c(?:>| (?!r="))')          # a cell whose first attribute is not its reference
_PREFIXED_CELL = re.compile(rb':c[ >]')                # <x:c …>: a namespace prefix, looked at the slow way
_ROW = re.compile(rb'<(?:\w+:)?row\b[^>]*?\br="([0-9]{1,7})"[^>]*?(?<!/)>')   # <row r="12">, not <row …/>
_COLUMN_LETTERS = 3
KEEP_PART_BYTES = 8 * 1024 * 1024      # a sheet's XML up to this size is inflated once and kept while read


def path_problem(path: str | Path, limits: Limits) -> str | None:
    """Why ``path`` is not a file to read (in Chinese, with the numbers), or None. Only ``stat`` is
    called: a FIFO, a socket, a device, a directory or a dangling link is refused without opening it."""
    path = Path(path)
    try:
        info = path.lstat()
    except OSError as exc:
        return f"文件不存在或无法访问（{exc.strerror or exc}）"
    if stat.S_ISLNK(info.st_mode):
        try:
            info = path.stat()
        except OSError:
            return f"符号链接指向的文件不存在（{os.readlink(path)}）"
    mode = info.st_mode
    if stat.S_ISDIR(mode):
        return "这是文件夹，不是工作簿文件（名称以工作簿扩展名结尾）"
    if stat.S_ISFIFO(mode):
        return "这是命名管道（FIFO），不是普通文件，未读取"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "这是设备文件，不是普通文件，未读取"
    if not stat.S_ISREG(mode):
        return "不是普通文件（套接字或其他特殊文件），未读取"
    if info.st_size > limits.file_bytes:
        return (f"文件大小 {info.st_size:,} 字节，超过上限 {limits.file_bytes:,} 字节"
                f"（限制项 file_bytes），未读取")
    return None


def zip_problem(zf: zipfile.ZipFile, limits: Limits) -> str | None:
    """Why an .xlsx is refused whole from its zip directory alone (a zip bomb), or None."""
    inflated = sum(i.file_size for i in zf.infolist())
    if inflated > limits.uncompressed_bytes:
        return (f"文件解压后共 {inflated:,} 字节，超过上限 {limits.uncompressed_bytes:,} 字节"
                f"（限制项 uncompressed_bytes，疑似压缩炸弹），已拒绝读取")
    return None


def sheet_count_problem(count: int, limits: Limits) -> str | None:
    if count > limits.sheets:
        return f"工作簿有 {count:,} 个工作表，超过上限 {limits.sheets:,} 个（限制项 sheets），已拒绝读取"
    return None


@dataclass(frozen=True)
class Extent:
    """The last row and column (1-based) named by a cell, or by a row element that holds cells
    (cells without a reference take their row from it)."""

    rows: int = 0
    columns: int = 0

    @property
    def cells(self) -> int:
        return self.rows * self.columns

    @property
    def last_cell(self) -> str:
        return f"{column_letter(self.columns - 1)}{self.rows}" if self.rows and self.columns else ""


def sheet_extent(zf: zipfile.ZipFile, part: str, limits: Limits) -> Extent:
    """Scan one sheet part, streamed, for the largest row and column a reference names (empty
    ``<row …/>`` elements do not count: no reader makes cells of them).
    Reads at most ``limits.uncompressed_bytes`` inflated bytes (the zip check bounds it already)."""
    with zf.open(part) as stream:
        return _extent(iter(lambda: stream.read(_CHUNK), b""), limits.uncompressed_bytes)


INFLATE_ERRORS = (KeyError, zipfile.BadZipFile, OSError, EOFError, RuntimeError, NotImplementedError, zlib.error)
"""What reading a damaged (or missing) part of a zip raises."""


def measure_sheet(zf: zipfile.ZipFile, part: str, limits: Limits, kept: dict[str, bytes] | None = None) -> Extent:
    """The extent of one sheet part; with ``kept``, a part up to :data:`KEEP_PART_BYTES` is inflated once,
    measured from memory and kept there (part → XML) for the reader, a larger one streamed."""
    if kept is not None and zf.getinfo(part).file_size <= KEEP_PART_BYTES:
        kept[part] = zf.read(part)
        return extent_of(kept[part])
    return sheet_extent(zf, part, limits)


def extent_of(data: bytes) -> Extent:
    """:func:`sheet_extent` of a sheet part already inflated (its size bounded by the zip check)."""
    return _extent((data[i:i + _CHUNK] for i in range(0, len(data), _CHUNK)), len(data))


def _extent(chunks, most: int) -> Extent:
    rows = columns = 0
    tail = b""
    read = 0
    for chunk in chunks:
        read += len(chunk)
        text = tail + chunk if tail else chunk
        cells = _CELL.findall(text)
        if cells:
            letters = max({c[0] for c in cells}, key=lambda a: (len(a), a))
            columns = max(columns, _column_number(letters))
            rows = max(rows, max(map(int, {c[1] for c in cells})))
        if _ODD_CELL.search(text) or _PREFIXED_CELL.search(text):
            rows = max([rows, *map(int, _ROW.findall(text))])    # a cell that may lack a reference
        tail = text[-_OVERLAP:]
        if read >= most:
            break
    return Extent(rows, columns)


def sheet_problem(name: str, extent: Extent, limits: Limits) -> str | None:
    """Why one sheet is skipped (which limit, the value and the last cell), or None."""
    where = f"工作表“{name}”的最后一个单元格在 {extent.last_cell or f'第 {extent.rows} 行'}"
    if extent.rows > limits.rows:
        return f"{where}：{extent.rows:,} 行，超过上限 {limits.rows:,} 行（限制项 rows），该表未读取"
    if extent.columns > limits.columns:
        return f"{where}：{extent.columns:,} 列，超过上限 {limits.columns:,} 列（限制项 columns），该表未读取"
    if extent.cells > limits.cells:
        return (f"{where}：{extent.rows:,} 行 × {extent.columns:,} 列 = {extent.cells:,} 个单元格，"
                f"超过上限 {limits.cells:,} 个（限制项 cells），该表未读取")
    return None


def _column_number(letters: bytes) -> int:
    n = 0
    for byte in letters[:_COLUMN_LETTERS]:
        n = n * 26 + byte - 64
    return n


def file_problem(path: str | Path, limits: Limits) -> str | None:
    """Why a whole file is refused before a reader that cannot skip a sheet opens it (``score``
    writes the workbook back, so it takes all sheets or none): the path, the zip, then every sheet's
    extent. None for a file within the limits, and for a non-zip file (the reader says what it is)."""
    refused = path_problem(path, limits)
    if refused:
        return refused
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError):
        return None
    with zf:
        return package_problem(zf, limits)


def package_problem(zf: zipfile.ZipFile, limits: Limits, kept: dict[str, bytes] | None = None,
                    parts: dict[str, str] | None = None) -> str | None:
    """:func:`file_problem` of a zip already open (the file read once by its reader). ``parts``: sheet
    name → part, when the caller has read the workbook part already. With ``kept``, each sheet part
    small enough is inflated once into it (part → XML) and measured from memory: the reader patches
    those bytes, never inflating them again."""
    refused = zip_problem(zf, limits)
    if refused:
        return refused
    parts = _sheet_parts(zf) if parts is None else parts
    refused = sheet_count_problem(len(parts), limits)
    if refused:
        return refused
    for name, part in parts.items():
        try:
            extent = measure_sheet(zf, part, limits, kept)
        except INFLATE_ERRORS as exc:
            return f"文件已损坏：工作表“{name}”的数据无法解压（{type(exc).__name__}）"
        why = sheet_problem(name, extent, limits)
        if why:
            return why
    return None


def _sheet_parts(zf: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name → part, from the workbook XML; the part names themselves when it cannot be parsed."""
    try:
        return read_workbook_xml(zf).sheet_paths
    except Exception:  # noqa: BLE001 - malformed or hostile XML: measure every worksheet part instead
        return {n.rsplit("/", 1)[-1]: n for n in zf.namelist()
                if n.startswith("xl/worksheets/") and n.endswith(".xml")}
