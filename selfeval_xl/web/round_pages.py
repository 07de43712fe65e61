"""The bureau's collections and their round: the list, a new collection, the dashboard, a submission
seen by the bureau, and each change of the round (deadline, 单位, links, return/accept, close).

The rules of the round are :mod:`.round`'s; here they are read from forms and shown. Every page needs
the bureau's login (:func:`.session.need_admin`).
"""
from __future__ import annotations

import functools

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from . import unitlist, views
from . import round as rounds
from .pages import page, submission_context
from .session import need_admin
from .state import app_state, form_of
from .store import Collection, Submission
from .uploads import save_upload


def bureau(request: Request) -> str:
    """Who the audit log names for a bureau's step: the bureau, from its address."""
    return rounds.who(rounds.BUREAU, request.client.host if request.client else None)


def admin(request: Request) -> Response:
    from ..core.system import available_systems

    need_admin(request)
    return page(request, "admin.html", collections=app_state(request).store.collections(),
                systems=available_systems(), titles=views.system_titles())


async def create_collection(request: Request) -> Response:
    from ..core.system import available_systems

    need_admin(request)
    state = app_state(request)
    store = state.store
    form = await form_of(request)
    systems = available_systems()
    system = str(form.get("system", ""))
    names = unitlist.from_text(str(form.get("units", "")))
    upload = form.get("units_file")
    if isinstance(upload, UploadFile) and upload.filename:
        blob, suffix = await save_upload(store, upload, state.limit)
        names += await run_in_threadpool(unitlist.from_file, store.file_path(blob, suffix), store.scratch())
    try:
        year = int(str(form.get("year", "")).strip())
    except ValueError:
        year = 0
    if not names or not 2000 <= year <= 2100 or (system and system not in systems):
        return page(request, "admin.html", 400, collections=store.collections(), systems=systems,
                    titles=views.system_titles(),
                    error="请填写年度（如 2024）、至少一个单位，并从列表中选择指标体系 / "
                          "give a year, at least one 单位 and a listed indicator system")
    collection, _ = store.create_collection(year, system, str(form.get("title", "")).strip()[:100]
                                            or f"{year} 年度绩效自评", names)
    store.log(collection.id, None, bureau(request), "创建收集", f"{collection.title}（{len(names)} 个单位）")
    return RedirectResponse(f"/admin/c/{collection.id}", status_code=303)


def collection_of(request: Request) -> tuple[Collection, list[views.UnitState]]:
    """The collection the path names (after the login), with each active 单位's latest versions."""
    need_admin(request)
    store = app_state(request).store
    cid = request.path_params["cid"]
    collection = store.collection(cid) if 0 < cid < 2 ** 63 else None      # SQLite's integers
    if collection is None:
        raise HTTPException(404, "没有这个收集 / no such collection")
    return collection, [views.UnitState(u, *views.latest_versions(store.submissions(u.id)))
                        for u in rounds.active_units(store, collection.id)]


def unit_in(request: Request, states: list[views.UnitState]) -> views.UnitState:
    state = next((s for s in states if s.unit.id == request.path_params["uid"]), None)
    if state is None:
        raise HTTPException(404, "没有这个单位 / no such 单位")
    return state


def submission_in(request: Request) -> tuple[Collection, views.UnitState, Submission]:
    collection, states = collection_of(request)
    state = unit_in(request, states)
    sub = next((s for s in app_state(request).store.submissions(state.unit.id)
                if s.token == request.path_params["sub"]), None)
    if sub is None:
        raise HTTPException(404, "没有这个文件 / no such file")
    return collection, state, sub


def dashboard(request: Request, status: int = 200, error: str = "") -> Response:
    web = app_state(request)
    store = web.store
    collection, states = collection_of(request)
    state = store.round_state(collection.id)
    unit_rounds = {st.unit.id: rounds.status_of(store, st.unit, state.deadline) for st in states}
    return page(request, "dashboard.html", status, collection=collection, states=states,
                counts=views.counts(states), origin=web.origin(request), rounds=unit_rounds, round_state=state,
                closed=rounds.is_closed(state), round_counts=views.round_counts(unit_rounds.values()),
                system_title=views.system_titles().get(collection.system, collection.system),
                zip=web.zips.get(collection.id), audit=rounds.audit_view(store, collection.id), error=error)


def admin_submission(request: Request) -> Response:
    collection, state, sub = submission_in(request)
    return page(request, "results.html", results=[submission_context(sub)], unit=state.unit,
                base=lambda s: f"/admin/c/{collection.id}/u/{state.unit.id}/s/{s.token}",
                back=f"/admin/c/{collection.id}")


def round_step(request: Request, step) -> Response:
    """Run a change of the round and go back to the dashboard; a refused one is shown there (409).
    (In a handler's thread: the dashboard reads every 单位's stored results.)"""
    try:
        step()
    except rounds.RoundError as exc:
        return dashboard(request, 409, str(exc))
    return RedirectResponse(f"/admin/c/{request.path_params['cid']}", status_code=303)


def renew(request: Request) -> Response:
    store = app_state(request).store
    unit = unit_in(request, collection_of(request)[1]).unit
    return round_step(request, lambda: (rounds.log_link(store, unit, bureau(request), "换新链接"),
                                        store.renew_unit_token(unit.id)))


def revoke(request: Request) -> Response:
    store = app_state(request).store
    unit = unit_in(request, collection_of(request)[1]).unit
    return round_step(request, lambda: (rounds.log_link(store, unit, bureau(request), "收回链接"),
                                        store.revoke_unit(unit.id)))


COLLECTION_STEPS = {"deadline": (rounds.set_deadline, "deadline"), "units": (rounds.add_unit, "name"),
                    "close": (rounds.close, None), "reopen": (rounds.reopen, None)}
UNIT_STEPS = {"return": (functools.partial(rounds.decide, event="return"), "comment"),
              "accept": (functools.partial(rounds.decide, event="accept"), None),
              "rename": (rounds.rename_unit, "name"), "remove": (rounds.remove_unit, None)}


async def round_action(request: Request) -> Response:
    """One change of the round (:data:`COLLECTION_STEPS`, :data:`UNIT_STEPS`): its form read here, the
    change made off the event loop."""
    need_admin(request)
    return await run_in_threadpool(round_change, request, await form_of(request))


def round_change(request: Request, form) -> Response:
    """The change: its form field, if any, then who does it."""
    store = app_state(request).store
    collection, states = collection_of(request)
    steps, target = ((UNIT_STEPS, unit_in(request, states).unit) if "uid" in request.path_params
                     else (COLLECTION_STEPS, collection))
    if request.path_params["action"] not in steps:
        raise HTTPException(404, "没有这个操作 / no such action")
    step, field = steps[request.path_params["action"]]
    given = [str(form.get(field, ""))] if field else []
    return round_step(request, lambda: step(store, target, *given, actor=bureau(request)))


ROUTES = [Route("/admin", admin), Route("/admin/collections", create_collection, methods=["POST"]),
          Route("/admin/c/{cid:int}", dashboard),
          Route("/admin/c/{cid:int}/u/{uid:int}/s/{sub}", admin_submission),
          Route("/admin/c/{cid:int}/u/{uid:int}/renew", renew, methods=["POST"]),
          Route("/admin/c/{cid:int}/u/{uid:int}/revoke", revoke, methods=["POST"])]
ACTIONS = [Route("/admin/c/{cid:int}/u/{uid:int}/{action:str}", round_action, methods=["POST"]),
           Route("/admin/c/{cid:int}/{action:str}", round_action, methods=["POST"])]
"""Last of all routes: any other POST under a collection is a change of the round."""
