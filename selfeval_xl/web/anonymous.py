"""A department's page without a link: check workbooks, see the result by its token, and the JSON API.

Nothing here belongs to a collection: a result is found only by its unguessable token, and the API
keeps no byte of what it checked.
"""
from __future__ import annotations

import time

from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from . import processing
from .pages import feedback_download, original_download, page, scored_download, submission_context
from .state import app_state, form_of
from .store import Submission
from .uploads import receive, save_upload, uploads_in
from .workers import watched


async def api_check(request: Request) -> Response:
    """The check of one file, kept nowhere: its bytes are deleted once it is answered."""
    from ..core.findings import Report

    state = app_state(request)
    form = await form_of(request)
    upload = form.get("file")
    if not isinstance(upload, UploadFile):
        return JSONResponse({"error": "请用 multipart 字段 file 上传一个文件 / send one file in field 'file'"},
                            status_code=400)
    started = time.perf_counter()
    path = await receive(state.store, upload, state.limit)
    try:
        report = await watched(request.is_disconnected, state.processor.check, path,
                               processing.display_name(upload.filename, path.suffix))
    finally:
        path.unlink(missing_ok=True)
    answer = JSONResponse(Report([report]).to_dict())
    answer.headers["server-timing"] = f"check;dur={(time.perf_counter() - started) * 1000:.1f}"
    return answer


def home(request: Request) -> Response:
    return page(request, "home.html")


async def home_check(request: Request) -> Response:
    state = app_state(request)
    form = await form_of(request)
    tokens = []
    for upload in uploads_in(form):
        blob, suffix = await save_upload(state.store, upload, state.limit)
        name = processing.display_name(upload.filename, suffix)
        sub = await watched(request.is_disconnected, state.processor.submit, None, blob, suffix, name, None)
        tokens.append(sub.token)
    if not tokens:
        return RedirectResponse("/", status_code=303)
    return RedirectResponse("/r/" + "/".join(tokens[:1]) + "?" + "&".join(f"more={t}" for t in tokens[1:]),
                            status_code=303)


def anonymous(request: Request) -> Submission:
    """The anonymous result the path's token names (a 单位's submission is never found this way)."""
    sub = app_state(request).store.submission_by_token(request.path_params["token"])
    if sub is None or sub.unit_id is not None:
        raise HTTPException(404, "没有这个结果 / no such result")
    return sub


def result(request: Request) -> Response:
    state = app_state(request)
    subs = [anonymous(request)]
    more = request.query_params.getlist("more")[:state.limits.form_files]     # the rest of one form, no more
    subs += [s for t in more if (s := state.store.submission_by_token(t)) and s.unit_id is None]
    return page(request, "results.html", results=[submission_context(s) for s in subs],
                base=lambda s: f"/r/{s.token}")


def result_scored(request: Request) -> Response:
    return scored_download(app_state(request).store, anonymous(request))


def result_feedback(request: Request) -> Response:
    return feedback_download(app_state(request).store, anonymous(request))


def result_original(request: Request) -> Response:
    return original_download(app_state(request).store, anonymous(request))


ROUTES = [Route("/", home), Route("/check", home_check, methods=["POST"]),
          Route("/api/check", api_check, methods=["POST"]),
          Route("/r/{token}", result), Route("/r/{token}/scored", result_scored),
          Route("/r/{token}/feedback", result_feedback), Route("/r/{token}/original", result_original)]
