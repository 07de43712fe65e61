"""A data folder that cannot be written (a full disk, a read-only folder, no permission) said in Chinese,
at start and on any request, instead of a traceback or a bare 500.

Why: the bureau's office PC runs out of disk, or ``--data`` sits on a share mounted read-only; the
person at the browser must learn what to do (free space, choose another folder), and the server must
refuse to start rather than fail on the first upload.
"""
from __future__ import annotations

import errno
import os
import sqlite3
import tempfile
from pathlib import Path

FULL = "服务器的数据文件夹所在磁盘已满，无法保存。请联系管理员清理磁盘空间后重试 / the data folder's disk is full"
READ_ONLY = "服务器的数据文件夹不可写（只读或无权限），无法保存。请联系管理员 / the data folder cannot be written"
_FULL_ERRNOS = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC), errno.EFBIG}
_READ_ONLY_ERRNOS = {errno.EROFS, errno.EACCES, errno.EPERM}


def storage_problem(exc: BaseException) -> str | None:
    """The Chinese message for an exception that says the data folder cannot take more; None for any
    other exception (a bug stays a bug)."""
    if isinstance(exc, OSError) and exc.errno in _FULL_ERRNOS:
        return FULL
    if isinstance(exc, OSError) and exc.errno in _READ_ONLY_ERRNOS:
        return READ_ONLY
    if isinstance(exc, sqlite3.OperationalError):
        text = str(exc).lower()
        if "full" in text:
            return FULL
        if "readonly" in text or "read-only" in text or "unable to open" in text:
            return READ_ONLY
    return None


def writable_problem(folder: Path) -> str | None:
    """Why ``folder`` cannot be the data folder (it cannot be made, or a file cannot be written in it),
    or None: asked at start, so that the server refuses clearly instead of failing on the first upload."""
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        handle, name = tempfile.mkstemp(dir=folder, prefix=".probe-")
        try:
            os.write(handle, b"\0" * 4096)
            os.fsync(handle)
        finally:
            os.close(handle)
            os.unlink(name)
    except OSError as exc:
        return f"{storage_problem(exc) or '数据文件夹无法使用 / the data folder cannot be used'}：{folder}（{exc.strerror or exc}）"
    return None
