"""An upload's bytes into a scratch file or the store, by the limit of each file: nothing held in memory.

Why one place: every area of the site that takes a file (the anonymous check, a 单位's link, the bureau's
单位 list and its 复核底稿) must count the bytes as they arrive and refuse past the limit the same way.
"""
from __future__ import annotations

import tempfile
from pathlib import Path

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException

from .store import Store

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls")
REPORT_SUFFIXES = (".docx", ".pdf", ".txt")      # a 绩效自评报告, checked against its 单位's tables
CHUNK = 1 << 20


def suffix_of(filename: str | None) -> str:
    """The suffix a file is kept under: one we read, else ``.bin`` (never a name the client chose)."""
    suffix = Path(filename or "").suffix.lower()
    return suffix if suffix in WORKBOOK_SUFFIXES + REPORT_SUFFIXES + (".zip",) else ".bin"


async def receive(store: Store, upload: UploadFile, limit: int) -> Path:
    """Copy an upload into a scratch file (413 past ``limit``, the limit of each file)."""
    handle = tempfile.NamedTemporaryFile(dir=store.scratch(), delete=False, suffix=suffix_of(upload.filename))
    size = 0
    with handle:
        while block := await upload.read(CHUNK):
            size += len(block)
            if size > limit:
                handle.close()
                Path(handle.name).unlink()
                raise HTTPException(413, f"文件过大：每个文件不超过 {limit // (1024 * 1024)} MB / file too large")
            handle.write(block)
    return Path(handle.name)


async def save_upload(store: Store, upload: UploadFile, limit: int) -> tuple[str, str]:
    """Copy an upload into the store (by content hash); returns (hash, suffix)."""
    suffix = suffix_of(upload.filename)
    return await run_in_threadpool(store.put_file, await receive(store, upload, limit), suffix), suffix


def uploads_in(form, field: str = "file") -> list[UploadFile]:
    """The files of a form's field that carry a name (an empty file input sends none)."""
    return [f for f in form.getlist(field) if isinstance(f, UploadFile) and f.filename]
