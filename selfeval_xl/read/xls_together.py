"""The .xls files of a batch converted by LibreOffice together, in one soffice run per chunk, before the
workers read them.

Why: an .xls is read as LibreOffice recalculates it (its cached text results are not what a reader
shows, see :func:`workbook._recalculated_xls`), and each one started a soffice of its own inside its
worker — about 2.5 s of start-up per file, most of a batch of .xls. Started once for up to
:data:`CHUNK` files, the start-up is paid once.

Isolated and limited as before: soffice is a child process with its own profile and a time limit (one
file's share, ``limits.seconds / 2``, per chunk); the .xls bytes are only read by soffice, never by
this process (it reads their first 8 bytes to tell an .xls by its content). Each worker still reads the
converted file under its own limits. A converted file is used only for the very file it was made from
(same path, size and modification time); what a run did not write (a file soffice refused, a chunk
that timed out) is converted alone in that file's worker, as before.
"""
from __future__ import annotations

import os
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterable, Iterator

from ..core.limits import Limits

CHUNK = 20
"""Files per soffice run: one hostile file that stalls soffice costs its chunk the shared run (those
files are converted alone afterwards), not the whole batch."""

_READY: dict[tuple[str, int, int], Path] = {}
"""(real path, size, mtime_ns) of an .xls → its conversion, for the workers this process forks."""

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
"""The first bytes of an OLE file: an .xls (or an encrypted .xlsx), whatever its name says."""


def _key(path: Path) -> tuple[str, int, int] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return os.path.realpath(path), stat.st_size, stat.st_mtime_ns


def converted(path: Path) -> Path | None:
    """The conversion made for this very file in the shared run, or None (convert it alone)."""
    key = _key(path)
    ready = _READY.get(key) if key else None
    return ready if ready is not None and ready.is_file() else None


def _is_xls(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            return handle.read(len(OLE_MAGIC)) == OLE_MAGIC
    except OSError:
        return False


def _chunks(paths: list[Path]) -> Iterator[list[Path]]:
    """Up to :data:`CHUNK` files each, no two of one chunk with the same name (their outputs would
    collide in one folder)."""
    chunk: list[Path] = []
    stems: set[str] = set()
    waiting: list[Path] = []
    for path in paths:
        if len(chunk) == CHUNK:
            yield chunk
            chunk, stems = [], set()
        if path.stem in stems:
            waiting.append(path)
            continue
        chunk.append(path)
        stems.add(path.stem)
    if chunk:
        yield chunk
    if waiting:
        yield from _chunks(waiting)


def _convert(chunk: list[Path], outdir: Path, limits: Limits) -> dict[tuple[str, int, int], Path]:
    from ..engines.libreoffice import LibreOfficeError, LibreOfficeTimeout, recalculate

    keys = [_key(p) for p in chunk]
    try:
        outputs = recalculate(chunk, outdir, timeout=limits.seconds / 2)
    except LibreOfficeTimeout:
        return {}                   # a run cut short: nothing it wrote is trusted
    except LibreOfficeError:
        outputs = [outdir / f"{p.stem}.xlsx" for p in chunk]    # it finished: what it wrote is whole
    return {key: out for key, out in zip(keys, outputs) if key is not None and out.is_file()}


@contextmanager
def converted_together(paths: Iterable[Path], limits: Limits) -> Iterator[int]:
    """Convert the .xls among ``paths`` (two or more) in shared soffice runs; inside the block, workers
    forked from this process find them through :func:`converted`. Yields how many were converted."""
    from ..engines.libreoffice import soffice_available

    sources = [p for p in paths if _is_xls(p)]
    if len(sources) < 2 or not soffice_available():
        yield 0
        return
    with tempfile.TemporaryDirectory(prefix="xls-together-") as tmp:
        made: dict[tuple[str, int, int], Path] = {}
        for i, chunk in enumerate(_chunks(sources)):
            made.update(_convert(chunk, Path(tmp) / str(i), limits))
        _READY.update(made)
        try:
            yield len(made)
        finally:
            for key in made:
                _READY.pop(key, None)
