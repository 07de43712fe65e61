"""Writing an output file: complete or not at all, and never over a file we did not write.

Why one module: ``check -r`` once overwrote whatever path it was given (a submitted workbook included),
and a disk-full or a kill while saving left a 0-byte report where the last good one was. Every report,
summary, JSON, template and scored workbook is now written to a temporary file in the target folder and
renamed over the target in one step (:func:`replacing`), after :func:`check_output` has refused a
target that is one of the inputs (by path, link or inode) or an existing file that is not one of ours
(:mod:`.ownfiles`: our workbooks carry a document property; our JSON is known by its shape) — unless
the user said ``--force``. An input is never an output, ``--force`` or not: no input byte ever changes.
The new file keeps the mode and owner of the one it replaces (colleagues on a shared folder can still
open a workbook scored in place); a new file gets the mode the umask gives, not a temporary's 0600.
"""
from __future__ import annotations

import os
import re
import shutil
import stat
import tempfile
import weakref
from contextlib import contextmanager
from pathlib import Path
from typing import Iterable, Iterator

from .ownfiles import TEMP_PREFIX, output_kind

JSON_KEYS = tuple(re.compile(rf'"{key}"\s*:'.encode()) for key in ("files", "valid", "errors", "warnings"))
"""findings.json as :class:`~selfeval_xl.report.JsonReport` (files first, totals last) and
``Report.to_json`` (totals first, files last) write it: all four keys within its first and last bytes."""
PEEK = 256


class OutputError(ValueError):
    """An output that must not be written; the message (Chinese / English) says why. A usage error."""


def same_file(a: str | Path, b: str | Path) -> bool:
    """One file under two names: the same resolved path, or the same inode (a hard or symbolic link)."""
    return file_identity(a) == file_identity(b)


def file_identity(path: str | Path) -> tuple:
    """What two names of one file share: the device and inode of what the name leads to (a hard or a
    symbolic link is the file itself), or, where nothing is there, the resolved path. A key, so a run
    of many files compares each with the others through a set, not pair by pair."""
    path = Path(path)
    try:
        info = os.stat(path)
    except (OSError, ValueError):
        return ("path", str(path.resolve()))
    return ("inode", info.st_dev, info.st_ino)


def _json_kind(path: Path) -> str | None:
    try:
        with path.open("rb") as handle:
            head = handle.read(PEEK)
            handle.seek(max(0, path.stat().st_size - PEEK))
            tail = handle.read(PEEK)
    except OSError:
        return None
    ends = head + tail
    return "JSON 检查结果" if head.lstrip().startswith(b"{") and all(k.search(ends) for k in JSON_KEYS) else None


def our_output(path: str | Path) -> str | None:
    """What output of ours ``path`` is (检查报告, 汇总表, JSON 检查结果), or None for anything else.
    Only a regular file is opened (never a FIFO or a device)."""
    path = Path(path)
    if path.is_symlink() or not path.is_file():
        return None
    if path.suffix.lower() == ".json":
        return _json_kind(path)
    return output_kind(path)


def is_input(path: str | Path, inputs: Iterable[str | Path]) -> bool:
    """Is ``path`` one of ``inputs``: one of the files, or a workbook (not ours) under one of the folders?"""
    return path in Inputs(inputs)


class Inputs:
    """The inputs of a run, looked at once: ``path in inputs`` is :func:`is_input` without a system call
    per input for each path asked about (``score`` of 1,000 files asks 1,000 times)."""

    def __init__(self, inputs: Iterable[str | Path]):
        paths = [Path(p) for p in inputs]
        self.files = {file_identity(p) for p in paths}
        self.folders = [p.resolve() for p in paths if p.is_dir()]

    def __contains__(self, path: object) -> bool:
        from .discovery import SUFFIXES

        path = Path(path)  # type: ignore[arg-type]
        if file_identity(path) in self.files:
            return True
        if not self.folders or path.suffix.lower() not in SUFFIXES or not path.exists() \
                or our_output(path) is not None:
            return False
        where = path.resolve()
        return any(where.is_relative_to(folder) for folder in self.folders)


def check_output(path: str | Path, inputs: Iterable[str | Path] = (), force: bool = False,
                 replaceable: bool = True) -> Path:
    """``path`` if an output may be written there; else :class:`OutputError`. Refused: one of ``inputs``
    (files, or workbooks under folders; always), a folder, a folder that is missing or read-only, and an
    existing file that is not an output of ours (``replaceable`` False: any existing file) unless
    ``force``."""
    path = Path(path)
    if is_input(path, inputs):
        raise OutputError(f"输出文件是输入文件之一，未写入：{path} / the output is one of the inputs: not written")
    if path.is_dir():
        raise OutputError(f"输出路径是文件夹：{path} / the output is a folder")
    folder = path.absolute().parent
    if not folder.is_dir() or not os.access(folder, os.W_OK):
        raise OutputError(f"无法写入（文件夹不存在或不可写）：{path} / cannot write: the folder is missing or read-only")
    if (path.exists() or path.is_symlink()) and not force:
        if not replaceable:
            raise OutputError(f"文件已存在，未覆盖（加 --force 覆盖）：{path} / file exists, not overwritten "
                              "(use --force)")
        if our_output(path) is None:
            raise OutputError(f"文件已存在且不是本工具生成的报告，未覆盖（加 --force 覆盖）：{path} / "
                              "file exists and is not an output of selfeval: not overwritten (use --force)")
    return path


def check_outputs(paths: Iterable[str | Path], inputs: Iterable[str | Path] = (), force: bool = False) -> None:
    """:func:`check_output` for each, and two outputs of one command never on one file."""
    paths, inputs = [Path(p) for p in paths], list(inputs)
    for i, path in enumerate(paths):
        check_output(path, inputs, force)
        if any(same_file(path, other) for other in paths[:i]):
            raise OutputError(f"两个输出是同一个文件：{path} / two outputs name one file")


def _umask() -> int:
    """The process's umask. Read from ``/proc`` where the system tells it: :func:`os.umask` can only
    read it by setting it, and a thread creating a file in that instant would get the value set (the
    web page writes in threads); elsewhere it is set for that instant to the stricter 077, never 0."""
    try:
        for line in Path("/proc/self/status").read_text(encoding="ascii", errors="replace").splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    mask = os.umask(0o077)
    os.umask(mask)
    return mask


def _take_mode(temporary: Path, target: Path) -> None:
    """Give ``temporary`` the mode and owner of the file it will replace, so a scored workbook on a
    shared folder stays as readable as it was (mkstemp makes 0600); a new file gets the mode the umask
    gives an ordinary new file. The owner is kept where allowed (root; a group we belong to)."""
    try:
        old = os.stat(target)
    except OSError:                                   # nothing there yet (or a dangling link)
        os.chmod(temporary, 0o666 & ~_umask())
        return
    if hasattr(os, "chown"):
        for uid, gid in ((old.st_uid, old.st_gid), (-1, old.st_gid)):
            try:
                os.chown(temporary, uid, gid)
                break
            except OSError:
                continue
    os.chmod(temporary, stat.S_IMODE(old.st_mode))    # after chown, which may clear set-id bits


class Replacement:
    """A temporary file in the target's folder that replaces the target in one rename on :meth:`commit`
    (after an fsync), or goes on :meth:`discard`: the target is never half written. It takes the
    replaced file's mode and owner, or a new file's mode (:func:`_take_mode`); ``backup``: the old file
    is copied there first (``score --in-place``)."""

    def __init__(self, path: str | Path, backup: str | Path | None = None):
        self.path = Path(path)
        self.backup = Path(backup) if backup is not None else None
        handle, temporary = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=self.path.suffix,
                                             dir=self.path.absolute().parent)
        os.close(handle)
        self.temporary = Path(temporary)
        # a run that dies before commit (an error, Ctrl-C) leaves no temporary file behind
        self._orphan = weakref.finalize(self, self.temporary.unlink, missing_ok=True)

    def commit(self) -> Path:
        try:
            _take_mode(self.temporary, self.path)
            with open(self.temporary, "rb+") as written:
                os.fsync(written.fileno())
            if self.backup is not None and self.path.exists():
                shutil.copy2(self.path, self.backup)
                _take_mode(self.backup, self.path)          # the backup as readable as the original
            os.replace(self.temporary, self.path)
            self._orphan.detach()
        except BaseException:
            self.discard()
            raise
        return self.path

    def discard(self) -> None:
        self.temporary.unlink(missing_ok=True)


@contextmanager
def replacing(path: str | Path, backup: str | Path | None = None) -> Iterator[Path]:
    """Yield a temporary path to write; when the block ends without an error it replaces ``path`` (the
    old file copied to ``backup`` first, if given); on any error it is removed and ``path`` is as it was."""
    replacement = Replacement(path, backup)
    try:
        yield replacement.temporary
    except BaseException:
        replacement.discard()
        raise
    replacement.commit()


def write_text(path: str | Path, text: str) -> Path:
    """Write a text file through :func:`replacing`."""
    with replacing(path) as temporary:
        temporary.write_text(text, encoding="utf-8")
    return Path(path)
