"""Drawing a page and answering a download: the templates, a submission's context, the files sent back.

Why here: every area draws pages through one :func:`page` (the limits shown on every form) and sends
files through the same writers, each written in a handler's thread into scratch and deleted once sent.
"""
from __future__ import annotations

import os
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

from starlette.background import BackgroundTask
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.templating import Jinja2Templates

from . import exports, processing, views
from ..core.findings import FileReport
from .store import Store, Submission

TEMPLATES = Jinja2Templates(directory=str(Path(__file__).with_name("templates")))
TEMPLATES.env.filters["column"] = views.column_letters
TEMPLATES.env.filters["when"] = lambda stamp: time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(stamp))
TEMPLATES.env.filters["shown"] = views.shown_pair
TEMPLATES.env.filters["system_title"] = lambda name: views.system_titles().get(name, name)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def page(request: Request, name: str, status: int = 200, **context: Any) -> Response:
    limits = request.app.state.web.limits
    return TEMPLATES.TemplateResponse(request, name, {"kinds": views.KIND_NAMES, "status": status,
                                                      "limit_mb": limits.file_bytes // (1024 * 1024),
                                                      "form_files": limits.form_files, **context},
                                      status_code=status)


def submission_context(sub: Submission) -> dict[str, Any]:
    report = sub.result["report"]
    return {"sub": sub, "report": report, "findings": report["findings"], "tables": sub.result["tables"],
            "note": sub.result.get("note", ""),
            "sheets": [(s["sheet"], views.sheet_view(s, report["findings"])) for s in sub.result["sheets"]]}


def download_name(sub: Submission, tag: str, suffix: str) -> str:
    """The name a download is saved under: the upload's, tagged (one safe name, :func:`file_name`)."""
    return exports.tagged_name(sub.filename, f"_{tag}", suffix)


def scratch_file(store: Store, suffix: str = ".xlsx") -> Path:
    """A fresh file in scratch for a report written on request (deleted once sent)."""
    handle, name = tempfile.mkstemp(dir=store.scratch(), suffix=suffix)
    os.close(handle)
    return Path(name)


def xlsx_response(path: Path, name: str) -> FileResponse:
    """A workbook written into scratch for this request, deleted once sent."""
    return FileResponse(path, filename=name, background=BackgroundTask(path.unlink, missing_ok=True),
                        media_type=XLSX)


def report_download(store: Store, reports: list[FileReport], name: str) -> FileResponse:
    """report.xlsx (汇总 + 问题清单) of these reports, written by the report's own writer (in a handler's
    thread, as every download is: nothing a stranger sent is read in the event loop)."""
    from ..report import write_report

    path = scratch_file(store)
    write_report(path, reports)
    return xlsx_response(path, name)


def feedback_download(store: Store, sub: Submission) -> FileResponse:
    """The feedback workbook of ``check --feedback`` (问题与改法: each finding, what to type instead, a
    link to its cell) for one submission's report, written by the feedback's own writer."""
    from ..report.feedback import write_feedback

    folder = Path(tempfile.mkdtemp(dir=store.scratch()))
    written = write_feedback([processing.report_from_dict(sub.result["report"])], folder)
    path = scratch_file(store)
    os.replace(written[0].path, path)
    shutil.rmtree(folder, ignore_errors=True)
    return xlsx_response(path, download_name(sub, "反馈表", ".xlsx"))


def scored_download(store: Store, sub: Submission) -> FileResponse:
    if not sub.scored:
        raise HTTPException(404, "这个文件没有评分后的版本 / no scored workbook")
    digest, suffix = sub.scored[:64], sub.scored[64:]         # an .xls is scored as .xlsx
    return FileResponse(store.file_path(digest, suffix), filename=download_name(sub, "已评分", suffix),
                        media_type="application/octet-stream")


def original_download(store: Store, sub: Submission) -> FileResponse:
    """The file as it was uploaded, byte for byte, under its upload's name."""
    return FileResponse(store.file_path(sub.blob, sub.suffix),
                        filename=exports.tagged_name(sub.filename, "", sub.suffix),
                        media_type="application/octet-stream")
