"""The 复核 tab of a collection (the bureau, logged in): draw a sample from the latest submissions, download
its 复核底稿, upload the filled 底稿 for the 复核报告 and each 单位's 复核结论, the bureau's own 口径 file.

The review itself is :mod:`selfeval_xl.review`'s, run on files in the warm workers (:mod:`.review_steps`);
here the collection's latest files are laid out one folder per 单位, and every draw and report is kept
(the store's ``review_draws`` and ``review_reports``) and said in the round's audit log: who, when, the
seed, what was drawn.
"""
from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, RedirectResponse, Response
from starlette.routing import Route

from . import exports, review_steps, views
from . import round as rounds
from ..core.sanitize import file_name
from .isolated import StepFailed
from .pages import page, scratch_file, xlsx_response
from .review_parts import publishable
from .round_pages import bureau, collection_of
from .session import need_admin
from .state import AppState, app_state, form_of
from .store import Collection, ReviewDraw, ReviewReport
from .uploads import WORKBOOK_SUFFIXES, receive

RULES_KEY = "review_rules:{}"
RULES_SUFFIXES = (".xlsx", ".yaml", ".yml")
MOST_DRAWN = 500
STEP_SECONDS = 600.0
"""A draw reads every latest workbook of the collection in one worker: more than one file's time."""


def _rules(state: AppState, collection: Collection) -> tuple[str | None, str]:
    """The path of the collection's 口径 file and its name (None, "": the packaged default)."""
    stored = state.store.setting(RULES_KEY.format(collection.id))
    if not stored:
        return None, ""
    blob, name = stored.split("\t", 1)
    return str(state.store.file_path(blob[:64], blob[64:])), name


def _candidates(states: list[views.UnitState]) -> list[dict[str, str]]:
    """The tables a key project can be chosen from: each 单位's latest workbooks that were read."""
    out = []
    for st in states:
        for sub in st.latest:
            report = sub.result["report"]
            if sub.suffix in WORKBOOK_SUFFIXES and report.get("kind") in views.KIND_NAMES and report.get("name"):
                out.append({"key": f"{report.get('unit') or ''}/{report['name']}", "unit": st.unit.name,
                            "name": report["name"], "kind": views.KIND_NAMES[report["kind"]]})
    return out


def drawn_of(made: ReviewDraw) -> list[dict]:
    """The candidates a draw drew, in the order drawn (as its record says)."""
    return sorted((c for c in json.loads(made.record)["candidates"] if c["drawn"]), key=lambda c: c["order"])


def review_page(request: Request, status: int = 200, error: str = "") -> Response:
    state = app_state(request)
    collection, states = collection_of(request)
    draws = [(d, state.store.review_reports(d.id)) for d in state.store.draws(collection.id)]
    return page(request, "review.html", status, collection=collection, candidates=_candidates(states),
                draws=draws, rules_name=_rules(state, collection)[1], error=error, drawn_of=drawn_of,
                parts=lambda done: publishable(done, states),
                published={st.unit.id: state.store.publication(st.unit.id) for st in states},
                closed=rounds.is_closed(state.store.round_state(collection.id)))


def _lay_out(state: AppState, states: list[views.UnitState], folder: Path) -> int:
    """The latest workbooks, one folder per 单位, each under its upload's name (hard links where the
    file system allows: the store's files are never written)."""
    count = 0
    for st in states:
        unit = exports.Folder(st.unit.name)
        for sub in st.latest:
            if sub.suffix in WORKBOOK_SUFFIXES:
                member = unit.member(sub.filename, "", sub.suffix, state.store.file_path(sub.blob, sub.suffix))
                target = folder / member.arcname
                target.parent.mkdir(parents=True, exist_ok=True)
                try:
                    os.link(member.source, target)
                except OSError:
                    shutil.copyfile(member.source, target)
                count += 1
    return count


def _run(state: AppState, step, *args):
    """A step of :mod:`.review_steps` in a warm worker; its refusal or failure as the page's message."""
    try:
        answer = state.settings.pool.run(step, *args, time_limit=STEP_SECONDS)
    except StepFailed as exc:
        return None, f"处理失败：{exc}"
    return answer, answer.get("refused")


def _number(text: str, least: int, most: int) -> int | None:
    try:
        value = int(text.strip())
    except ValueError:
        return None
    return value if least <= value <= most else None


async def draw(request: Request) -> Response:
    need_admin(request)
    return await run_in_threadpool(_draw, request, await form_of(request))


def _draw(request: Request, form) -> Response:
    state = app_state(request)
    collection, states = collection_of(request)
    n = _number(str(form.get("n", "")), 1, MOST_DRAWN)
    seed_text = str(form.get("seed", "")).strip()
    seed = _number(seed_text, 0, 10 ** 12) if seed_text else None
    if n is None or (seed_text and seed is None):
        return review_page(request, 400, f"抽取数应为 1–{MOST_DRAWN} 的整数，种子应为不小于 0 的整数（可不填）/ "
                                         "n must be a whole number, the seed too")
    keys = tuple(str(k) for k in form.getlist("key"))[:MOST_DRAWN]
    kinds = ("project", "department") if form.get("department") else ("project",)
    rules_ref, rules_name = _rules(state, collection)
    folder = Path(tempfile.mkdtemp(dir=state.store.scratch()))
    sheet = scratch_file(state.store)
    try:
        if not _lay_out(state, states, folder):
            return review_page(request, 409, "本收集还没有提交的工作簿，无法抽样 / nothing submitted yet")
        answer, refused = _run(state, review_steps.draw, str(folder), n, seed, keys, rules_ref, str(sheet), kinds)
        if refused:
            return review_page(request, 422, refused)
        blob = state.store.put_file(sheet, ".xlsx") + ".xlsx"
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        sheet.unlink(missing_ok=True)
    made = state.store.add_draw(collection.id, bureau(request), answer["seed"], n, answer["record"], blob)
    drawn = drawn_of(made)
    state.store.log(collection.id, None, bureau(request), "复核抽样",
                    f"第 {made.id} 次：种子 {made.seed}，抽取 {len(drawn)} 个"
                    + (f"（重点 {sum(c['drawn'] == '重点' for c in drawn)} 个）" if keys else "")
                    + f"，口径 {rules_name or '内置 default'}：" + "、".join(c["key"] for c in drawn)[:800])
    return RedirectResponse(f"/admin/c/{collection.id}/review#draw-{made.id}", status_code=303)


def _draw_of(request: Request) -> tuple[Collection, ReviewDraw]:
    collection, _ = collection_of(request)
    return collection, _drawn(request, collection)


def _drawn(request: Request, collection: Collection) -> ReviewDraw:
    made = next((d for d in app_state(request).store.draws(collection.id) if d.id == request.path_params["did"]), None)
    if made is None:
        raise HTTPException(404, "没有这次抽样 / no such draw")
    return made


def _stored(state: AppState, blob: str) -> Path:
    return state.store.file_path(blob[:64], blob[64:])


def sheet(request: Request) -> Response:
    collection, made = _draw_of(request)
    return FileResponse(_stored(app_state(request), made.sheet), media_type="application/octet-stream",
                        filename=file_name(collection.title, f"_复核底稿_第{made.id}次.xlsx"))


async def filled(request: Request) -> Response:
    """The filled 底稿 of a draw: received (the limit of each file), read back in a worker."""
    need_admin(request)
    state = app_state(request)
    form = await form_of(request)
    upload = form.get("file")
    if not isinstance(upload, UploadFile) or not upload.filename:
        return await run_in_threadpool(review_page, request, 400, "请选择填好的复核底稿（.xlsx）/ choose the filled 底稿")
    path = await receive(state.store, upload, state.limit)
    try:
        return await run_in_threadpool(_filled, request, path, Path(upload.filename).name[:120])
    finally:
        path.unlink(missing_ok=True)


def _filled(request: Request, path: Path, name: str) -> Response:
    state = app_state(request)
    collection, made = _draw_of(request)
    if path.suffix != ".xlsx":
        return review_page(request, 422, f"“{name}”不是 .xlsx 工作簿：请上传本页下载、填好后保存的复核底稿 / "
                                         "upload the 底稿 as .xlsx")
    report = scratch_file(state.store)
    try:
        answer, refused = _run(state, review_steps.report, str(path), str(report), _rules(state, collection)[0],
                               made.record)
        if refused:
            return review_page(request, 422, f"“{name}”：{refused}")
        kept = state.store.put_file(report, ".xlsx") + ".xlsx"
    finally:
        report.unlink(missing_ok=True)
    upload = state.store.put_file(path, ".xlsx") + ".xlsx"
    done = state.store.add_review_report(made.id, bureau(request), name, upload, kept, answer)
    levels = answer["levels"]
    state.store.log(collection.id, None, bureau(request), "复核报告",
                    f"第 {made.id} 次抽样的底稿“{name}”：问题 P0 {levels['P0']}、P1 {levels['P1']}、P2 {levels['P2']}，"
                    f"底稿问题 {answer['problem_count']} 处")
    return RedirectResponse(f"/admin/c/{collection.id}/review#report-{done.id}", status_code=303)


def report_of(request: Request) -> tuple[Collection, list[views.UnitState], ReviewDraw, ReviewReport]:
    """The report the path names, of the draw it names, of the collection (with its active 单位)."""
    collection, states = collection_of(request)
    made = _drawn(request, collection)
    done = next((r for r in app_state(request).store.review_reports(made.id) if r.id == request.path_params["rid"]),
                None)
    if done is None:
        raise HTTPException(404, "没有这份复核报告 / no such report")
    return collection, states, made, done


def report(request: Request) -> Response:
    collection, _, made, done = report_of(request)
    return FileResponse(_stored(app_state(request), done.report), media_type="application/octet-stream",
                        filename=file_name(collection.title, f"_复核报告_第{made.id}次.xlsx"))


async def rules(request: Request) -> Response:
    """A bureau's 口径 file (.xlsx as ``kouji.xlsx`` gives it, or YAML), validated in a worker, then used
    for this collection's next draws and reports."""
    need_admin(request)
    state = app_state(request)
    form = await form_of(request)
    upload = form.get("file")
    suffix = Path(upload.filename).suffix.lower() if isinstance(upload, UploadFile) and upload.filename else ""
    if suffix not in RULES_SUFFIXES:
        return await run_in_threadpool(review_page, request, 400, "口径文件应为 .xlsx（或 .yaml）/ a 口径 file is .xlsx or .yaml")
    path = await receive(state.store, upload, state.limit)
    try:
        return await run_in_threadpool(_rules_file, request, path, suffix, Path(upload.filename).name[:120])
    finally:
        path.unlink(missing_ok=True)


def _rules_file(request: Request, path: Path, suffix: str, name: str) -> Response:
    state = app_state(request)
    collection, _ = collection_of(request)
    named = path.with_suffix(suffix)          # the reader goes by the suffix
    os.replace(path, named)
    try:
        answer, refused = _run(state, review_steps.check_rules, str(named))
        if refused:
            return review_page(request, 422, f"口径文件“{name}”无法使用：{refused}")
        blob = state.store.put_file(named, suffix) + suffix
    finally:
        named.unlink(missing_ok=True)
    state.store.set_setting(RULES_KEY.format(collection.id), f"{blob}\t{name}")
    state.store.log(collection.id, None, bureau(request), "复核口径", f"上传“{name}”（{answer['bases']} 条口径）")
    return RedirectResponse(f"/admin/c/{collection.id}/review", status_code=303)


def kouji(request: Request) -> Response:
    """The 口径 in use as the workbook to edit in Excel."""
    state = app_state(request)
    collection, _ = collection_of(request)
    path = scratch_file(state.store)
    _, refused = _run(state, review_steps.kouji_workbook, _rules(state, collection)[0], str(path))
    if refused:
        raise HTTPException(500, refused)
    return xlsx_response(path, file_name(collection.title, "_复核口径.xlsx"))


ROUTES = [Route("/admin/c/{cid:int}/review", review_page),
          Route("/admin/c/{cid:int}/review/draw", draw, methods=["POST"]),
          Route("/admin/c/{cid:int}/review/rules", rules, methods=["POST"]),
          Route("/admin/c/{cid:int}/review/kouji.xlsx", kouji),
          Route("/admin/c/{cid:int}/review/d/{did:int}/sheet.xlsx", sheet),
          Route("/admin/c/{cid:int}/review/d/{did:int}/filled", filled, methods=["POST"]),
          Route("/admin/c/{cid:int}/review/d/{did:int}/r/{rid:int}/report.xlsx", report)]
