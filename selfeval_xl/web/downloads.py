"""The bureau's downloads of a collection: report.xlsx and summary.xlsx of the latest versions, one
单位's 检查结果, the list of links, a submission's original, scored and feedback files, and the zip of
everything built in the background (:mod:`.exports`)."""
from __future__ import annotations

from pathlib import Path

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, RedirectResponse, Response
from starlette.routing import Route

from . import exports, views
from . import round as rounds
from ..core.findings import FileReport
from ..core.sanitize import file_name
from .pages import (feedback_download, original_download, report_download, scored_download, scratch_file,
                    xlsx_response)
from .round_pages import bureau, collection_of, submission_in, unit_in
from .state import app_state
from .store import Collection


def latest_reports(request: Request, collection: Collection, states: list[views.UnitState]) -> list[FileReport]:
    """The latest versions of these 单位 checked together, as ``selfeval check`` over a folder would."""
    return app_state(request).processor.latest_reports([s for st in states for s in st.latest],
                                                       collection.system or None)


def collection_report(request: Request) -> Response:
    collection, states = collection_of(request)
    return report_download(app_state(request).store, latest_reports(request, collection, states),
                           file_name(collection.title, "_report.xlsx"))


def unit_report(request: Request) -> Response:
    collection, states = collection_of(request)
    state = unit_in(request, states)
    return report_download(app_state(request).store, latest_reports(request, collection, [state]),
                           f"{collection.year}_{state.unit.name}_检查结果.xlsx")


def collection_summary(request: Request) -> Response:
    from ..report.summary_workbook import write_summary

    collection, states = collection_of(request)
    path = scratch_file(app_state(request).store)
    write_summary(latest_reports(request, collection, states), path)
    return xlsx_response(path, file_name(collection.title, "_summary.xlsx"))


def link_list(request: Request) -> Response:
    web = app_state(request)
    store = web.store
    collection, states = collection_of(request)
    deadline = store.round_state(collection.id).deadline
    rows = [(st.unit.name, f"{web.origin(request)}/u/{st.unit.token}" if st.unit.token else "（已收回）",
             rounds.status_of(store, st.unit).status, deadline) for st in states]
    path = scratch_file(store)
    exports.write_links(path, collection.title, rows)
    return xlsx_response(path, file_name(collection.title, "_提交链接.xlsx"))


def admin_original(request: Request) -> Response:
    return original_download(app_state(request).store, submission_in(request)[2])


def admin_scored(request: Request) -> Response:
    return scored_download(app_state(request).store, submission_in(request)[2])


def admin_feedback(request: Request) -> Response:
    return feedback_download(app_state(request).store, submission_in(request)[2])


def start_zip(request: Request) -> Response:
    web = app_state(request)
    store = web.store
    collection, states = collection_of(request)
    members = []
    for st in states:
        folder = exports.Folder(st.unit.name)
        for sub in st.latest:
            members.append(folder.member(sub.filename, "", sub.suffix, store.file_path(sub.blob, sub.suffix)))
            if sub.scored:
                digest, suffix = sub.scored[:64], sub.scored[64:]
                members.append(folder.member(sub.filename, exports.SCORED_TAG, suffix,
                                             store.file_path(digest, suffix)))
    web.zips.start(collection.id, members)
    store.log(collection.id, None, bureau(request), "打包下载", f"{len(members)} 个文件")
    return RedirectResponse(f"/admin/c/{collection.id}#zip", status_code=303)


def get_zip(request: Request) -> Response:
    collection, _ = collection_of(request)
    build = app_state(request).zips.get(collection.id)
    if build is None or build.path is None:
        raise HTTPException(404, "压缩包尚未生成 / the zip is not ready")
    return FileResponse(build.path, filename=file_name(collection.title, ".zip"), media_type="application/zip")


def script(request: Request) -> Response:
    return FileResponse(Path(__file__).with_name("static") / "round.js", media_type="text/javascript")


ROUTES = [Route("/admin/c/{cid:int}/report.xlsx", collection_report),
          Route("/admin/c/{cid:int}/summary.xlsx", collection_summary),
          Route("/admin/c/{cid:int}/u/{uid:int}/report.xlsx", unit_report),
          Route("/admin/c/{cid:int}/links.xlsx", link_list),
          Route("/admin/c/{cid:int}/zip", start_zip, methods=["POST"]),
          Route("/admin/c/{cid:int}/zip", get_zip),
          Route("/admin/c/{cid:int}/u/{uid:int}/s/{sub}/original", admin_original),
          Route("/admin/c/{cid:int}/u/{uid:int}/s/{sub}/scored", admin_scored),
          Route("/admin/c/{cid:int}/u/{uid:int}/s/{sub}/feedback", admin_feedback),
          Route("/static/round.js", script)]
