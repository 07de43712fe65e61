"""A 单位's link: its page, its uploads (workbooks, reports, a zip), its own submissions and downloads,
and the 复核结论 the bureau published to it (:mod:`.review_publish`).

A 单位 is known only by its link's token and sees only its own submissions; what it may upload is the
round's to say (:mod:`.round`).
"""
from __future__ import annotations

import threading

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from . import processing, views
from . import round as rounds
from .pages import feedback_download, original_download, page, scored_download, submission_context
from .state import app_state, form_of
from .store import Submission, Unit
from .uploads import REPORT_SUFFIXES, save_upload, suffix_of, uploads_in
from .workers import watched


def unit_of(request: Request) -> Unit:
    unit = app_state(request).store.unit_by_token(request.path_params["token"])
    if unit is None:
        raise HTTPException(404, "链接无效或已收回 / this link is not valid")
    return unit


def own(request: Request, unit: Unit) -> Submission:
    """The submission the path names, if it is this 单位's."""
    sub = app_state(request).store.submission_by_token(request.path_params["sub"])
    if sub is None or sub.unit_id != unit.id:
        raise HTTPException(404, "没有这个文件 / no such file")
    return sub


def unit_page(request: Request, refused: str | None = None) -> Response:
    state = app_state(request)
    store = state.store
    unit = unit_of(request)
    collection = store.collection(unit.collection_id)
    subs = store.submissions(unit.id)
    latest, _ = views.latest_versions(subs)
    jobs = store.jobs(unit.id)
    new = set(request.query_params.getlist("new"))
    deadline = store.round_state(unit.collection_id).deadline
    running = any(j.state == "running" for j in jobs)      # the joint check waits for the zip's last file
    verdict = None if running else views.verdict(state.processor.latest_reports, latest,
                                                 collection.system or None, state.limits)
    return page(request, "unit.html", 409 if refused else 200, unit=unit, collection=collection,
                subs=list(reversed(subs)), latest={s.id for s in latest}, jobs=jobs[:5], running=running,
                results=[submission_context(s) for s in subs if s.token in new],
                base=lambda s: f"/u/{unit.token}/s/{s.token}", round=rounds.status_of(store, unit, deadline),
                deadline=deadline, refusal=refused or rounds.upload_refusal(store, unit), verdict=verdict,
                review=store.publication(unit.id))


async def unit_upload(request: Request) -> Response:
    state = app_state(request)
    store, processor = state.store, state.processor
    unit = unit_of(request)
    if refusal := await run_in_threadpool(rounds.start_upload, store, unit):
        return await run_in_threadpool(unit_page, request, refusal)
    collection = store.collection(unit.collection_id)
    system = collection.system or None if collection else None
    form = await form_of(request)
    actor = rounds.who(unit.name, request.client.host if request.client else None)
    new, kept = [], []
    try:
        # reports last: a 绩效自评报告 sent in one form with its workbooks is checked against them
        for upload in sorted(uploads_in(form), key=lambda u: suffix_of(u.filename) in REPORT_SUFFIXES):
            blob, suffix = await save_upload(store, upload, state.limit)
            name = processing.display_name(upload.filename, suffix)
            if suffix == ".zip":
                job = store.start_job(unit.id, 0)
                threading.Thread(target=processor.unzip, args=(unit, blob, system, job.id), daemon=True).start()
            else:
                step = processor.submit_report if suffix in REPORT_SUFFIXES else processor.submit
                new.append((await watched(request.is_disconnected, step, unit, blob, suffix, name, system)).token)
            kept.append(name)
    finally:                   # what was kept moves the 单位 along, even when its client has gone
        refusal = rounds.record_upload(store, unit, actor, kept)
    if refusal:                # closed or accepted since the page was drawn
        return await run_in_threadpool(unit_page, request, refusal)
    return RedirectResponse(f"/u/{unit.token}?" + "&".join(f"new={t}" for t in new), status_code=303)


def unit_submission(request: Request) -> Response:
    unit = unit_of(request)
    sub = own(request, unit)
    return page(request, "results.html", results=[submission_context(sub)], unit=unit,
                base=lambda s: f"/u/{unit.token}/s/{s.token}")


def unit_scored(request: Request) -> Response:
    return scored_download(app_state(request).store, own(request, unit_of(request)))


def unit_feedback(request: Request) -> Response:
    return feedback_download(app_state(request).store, own(request, unit_of(request)))


def unit_original(request: Request) -> Response:
    return original_download(app_state(request).store, own(request, unit_of(request)))


ROUTES = [Route("/u/{token}", unit_page), Route("/u/{token}/upload", unit_upload, methods=["POST"]),
          Route("/u/{token}/s/{sub}", unit_submission), Route("/u/{token}/s/{sub}/scored", unit_scored),
          Route("/u/{token}/s/{sub}/feedback", unit_feedback), Route("/u/{token}/s/{sub}/original", unit_original)]
