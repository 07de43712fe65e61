"""Each 单位's 复核结论 published to its own page (its link, :mod:`.unit_pages`), and taken back.

Why a step of its own: a 复核报告 is the bureau's working paper until the bureau says a 单位 may see its
part. Publishing copies that 单位's part of one report — its 结论 text, each table's 自评/复核 总分 and
等级, the indicators the review scored otherwise or remarked on, with 口径 and 意见 — so a later report
changes nothing the 单位 sees until the bureau publishes again. Which 结论 are a 单位's is
:mod:`.review_parts`'s to say; a closed collection publishes and withdraws nothing, as it takes no other
change.
"""
from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from . import round as rounds
from .review_parts import publishable
from .review_tab import report_of, review_page
from .round_pages import bureau, collection_of
from .state import app_state


def _refused_when_closed(request: Request, collection_id: int) -> Response | None:
    if rounds.is_closed(app_state(request).store.round_state(collection_id)):
        return review_page(request, 409, "本次收集已结束，不能发布或撤回复核结论 / this collection is closed")
    return None


def publish(request: Request) -> Response:
    collection, states, _, done = report_of(request)
    if refused := _refused_when_closed(request, collection.id):
        return refused
    unit, conclusions = publishable(done, states).get(request.path_params["uid"], (None, None))
    if unit is None:
        raise HTTPException(404, "这份复核报告中没有这个单位的复核结论 / no 结论 of this 单位 in the report")
    store = app_state(request).store
    before = store.publication(unit.id)
    store.publish(unit.id, done.id, bureau(request), {"draw_id": done.draw_id, "conclusions": conclusions})
    store.log(collection.id, unit.id, bureau(request), "发布复核结论",
              f"{unit.name}：第 {done.draw_id} 次抽样的复核报告“{done.filename}”，"
              + "；".join(f"{c['unit']} {c['text']}" for c in conclusions)[:800]
              + (f"（替换此前发布的第 {before.report_id} 号报告的结论）" if before and before.report_id != done.id else ""))
    return RedirectResponse(f"/admin/c/{collection.id}/review#report-{done.id}", status_code=303)


def withdraw(request: Request) -> Response:
    collection, states = collection_of(request)
    if refused := _refused_when_closed(request, collection.id):
        return refused
    store = app_state(request).store
    unit = next((st.unit for st in states if st.unit.id == request.path_params["uid"]), None)
    published = store.publication(unit.id) if unit else None
    if published is None:
        raise HTTPException(404, "这个单位没有已发布的复核结论 / nothing published for this 单位")
    store.withdraw(unit.id)
    store.log(collection.id, unit.id, bureau(request), "撤回复核结论",
              f"{unit.name}：撤回第 {published.report_id} 号复核报告的结论")
    return RedirectResponse(f"/admin/c/{collection.id}/review#report-{published.report_id}", status_code=303)


ROUTES = [Route("/admin/c/{cid:int}/review/d/{did:int}/r/{rid:int}/publish/{uid:int}", publish, methods=["POST"]),
          Route("/admin/c/{cid:int}/review/u/{uid:int}/withdraw", withdraw, methods=["POST"])]
