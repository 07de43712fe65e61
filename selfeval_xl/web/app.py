"""The routes: a department's page, a 单位's upload link, the bureau's collections, and the JSON API.

Every upload goes through :mod:`.processing` (the batch's check, then the score write-back) and is kept
in the :class:`~.store.Store` by content hash. A 单位 is known only by its link's token and sees only its
own submissions; the bureau's pages need a login with the bureau's password (a session cookie,
``SameSite=Strict``); every form is guarded by the origin check of :mod:`.guards`.
"""
from __future__ import annotations

import contextlib
import functools
import hmac
import os
import shutil
import sqlite3
import tempfile
import threading
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.background import BackgroundTask
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect, Request
from starlette.responses import FileResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route
from starlette.templating import Jinja2Templates

from . import exports, processing, unitlist, views, zipnames
from . import round as rounds
from .guards import DEFAULT_LIMIT, Guards
from ..core.findings import FileReport
from ..core.sanitize import file_name
from .limits import WebLimits, compact
from .security import HostRule
from .storage_errors import storage_problem
from .store import Collection, Store, Submission, Unit, token_hash
from .workers import ClientGone, WorkerPool, watched

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls")
REPORT_SUFFIXES = (".docx", ".pdf", ".txt")      # a 绩效自评报告, checked against its 单位's tables
ZIP_MAX_FILES = 1000
ZIP_MAX_TOTAL = 1024 ** 3        # bytes unpacked from one zip, whatever its entries claim
ADMIN_COOKIE = "selfeval_admin"
ADMIN_HASH = "admin_token_hash"
CHUNK = 1 << 20


@dataclass
class Settings:
    store: Store
    limits: WebLimits
    pool: WorkerPool              # the warm workers every step on a stranger's file runs in
    public_url: str | None = None   # where the 单位 open their links (None: the address the request came to)

    @property
    def limit(self) -> int:
        return self.limits.file_bytes


TEMPLATES = Jinja2Templates(directory=str(Path(__file__).with_name("templates")))
TEMPLATES.env.filters["column"] = views.column_letters
TEMPLATES.env.filters["when"] = lambda stamp: time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(stamp))
TEMPLATES.env.filters["shown"] = views.shown_pair
TEMPLATES.env.filters["system_title"] = lambda name: views.system_titles().get(name, name)


def set_admin_token(store: Store, token: str) -> None:
    """Make ``token`` the bureau's password; every open bureau session ends."""
    store.set_setting(ADMIN_HASH, token_hash(token))
    store.end_sessions()


# --------------------------------------------------------------------------- uploads

def _suffix(filename: str | None) -> str:
    suffix = Path(filename or "").suffix.lower()
    return suffix if suffix in WORKBOOK_SUFFIXES + REPORT_SUFFIXES + (".zip",) else ".bin"


async def _receive(store: Store, upload: UploadFile, limit: int) -> Path:
    """Copy an upload into a scratch file (413 past ``limit``, the limit of each file)."""
    handle = tempfile.NamedTemporaryFile(dir=store.scratch(), delete=False, suffix=_suffix(upload.filename))
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


async def _save_upload(store: Store, upload: UploadFile, limit: int) -> tuple[str, str]:
    """Copy an upload into the store (by content hash); returns (hash, suffix)."""
    suffix = _suffix(upload.filename)
    return await run_in_threadpool(store.put_file, await _receive(store, upload, limit), suffix), suffix


class Processor:
    """Runs uploads through :func:`processing.process` in the warm workers (as many at once as there
    are workers; more wait their turn) and records them, each result compacted to the limits."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.purged = 0.0

    def _run(self, gone: threading.Event | None):
        return functools.partial(self.settings.pool.run, gone=gone)

    def _keep(self, result: dict) -> dict:
        return compact(result, self.settings.limits)

    @contextlib.contextmanager
    def _answered(self, blob: str, suffix: str):
        """The upload is kept only if its client is there for the answer."""
        try:
            yield
        except ClientGone:
            self.settings.store.discard_file(blob, suffix)
            raise

    def submit(self, unit: Unit | None, blob: str, suffix: str, name: str, system: str | None,
               recheck: bool = True, gone: threading.Event | None = None) -> Submission:
        """A workbook checked and scored; its 单位's reports re-checked against the tables now in
        (``recheck``: a zip re-checks them once, after its last workbook)."""
        store = self.settings.store
        self.retain()
        with self._answered(blob, suffix), tempfile.TemporaryDirectory(dir=store.scratch()) as work:
            done = processing.process(store.file_path(blob, suffix), name, Path(work), system, self._run(gone),
                                      self.settings.limits)
            scored = store.put_file(done.scored, done.scored.suffix) + done.scored.suffix if done.scored else None
        sub = store.add_submission(unit.id if unit else None, name, blob, suffix,
                                   processing.table_key(done.report), self._keep(done.result), scored)
        if unit is not None and recheck:
            self.recheck_reports(unit, system)
        return sub

    def retain(self) -> None:
        """Submissions older than ``keep_days`` deleted, looked at no more than once an hour."""
        days = self.settings.limits.keep_days
        if days and time.time() - self.purged > 3600:
            self.purged = time.time()
            self.settings.store.purge_before(self.purged - days * 86400)

    def _latest(self, unit: Unit) -> tuple[list[Submission], list[Path]]:
        """The latest version of each of the 单位's files, and the paths of its workbooks among them."""
        store = self.settings.store
        latest, _ = views.latest_versions(store.submissions(unit.id))
        return latest, [store.file_path(s.blob, s.suffix) for s in latest if s.suffix in WORKBOOK_SUFFIXES]

    def _report_result(self, workbooks: list[Path], blob: str, suffix: str, name: str,
                       system: str | None, gone: threading.Event | None = None) -> processing.Processed:
        """A 绩效自评报告 checked against these workbooks (its 单位's latest)."""
        store = self.settings.store
        with tempfile.TemporaryDirectory(dir=store.scratch()) as work:
            return processing.process_report(store.file_path(blob, suffix), name, workbooks, Path(work), system,
                                              self._run(gone))

    def submit_report(self, unit: Unit, blob: str, suffix: str, name: str, system: str | None,
                      gone: threading.Event | None = None) -> Submission:
        with self._answered(blob, suffix):
            done = self._report_result(self._latest(unit)[1], blob, suffix, name, system, gone)
        return self.settings.store.add_submission(unit.id, name, blob, suffix, processing.table_key(done.report),
                                                  self._keep(done.result), None)

    def recheck_reports(self, unit: Unit, system: str | None) -> None:
        """The 单位's latest reports checked again, against the tables it has now: a report uploaded
        before (or while) its tables were processed does not keep a verdict without them."""
        latest, workbooks = self._latest(unit)
        for sub in (s for s in latest if s.suffix in REPORT_SUFFIXES):
            done = self._report_result(workbooks, sub.blob, sub.suffix, sub.filename, system)
            self.settings.store.replace_result(sub.id, self._keep(done.result))

    def check(self, path: Path, name: str, gone: threading.Event | None = None) -> FileReport:
        """The check alone (the JSON API), of a file in scratch."""
        with tempfile.TemporaryDirectory(dir=self.settings.store.scratch()) as work:
            return processing.isolated_check(path, name, Path(work), run=self._run(gone))[0]

    def latest_reports(self, subs: list[Submission], system: str | None) -> list[FileReport]:
        """The reports of these submissions checked together (the cross-file checks of each 单位 add
        theirs, as ``selfeval check`` over a folder would); a file whose own check crashed, or every
        file when the joint run cannot finish, keeps the report it got on upload."""
        store = self.settings.store
        crashed = [s for s in subs if s.suffix not in WORKBOOK_SUFFIXES      # a report keeps its own verdict
                   or any(f["code"] == "check-failed" for f in s.result["report"]["findings"])]
        rest = [s for s in subs if s not in crashed]
        stored = [processing.report_from_dict(s.result["report"]) for s in crashed]
        if not rest:
            return stored
        with tempfile.TemporaryDirectory(dir=store.scratch()) as work:
            together = processing.check_together([(store.file_path(s.blob, s.suffix), s.filename) for s in rest],
                                                 Path(work), system, self._run(None))
        if together is None:
            return [processing.report_from_dict(s.result["report"]) for s in subs]
        return together + stored

    def unzip(self, unit: Unit, blob: str, system: str | None, job_id: int) -> None:
        """Check every workbook in a zip, one by one, advancing the job as each is done (a thread)."""
        store = self.settings.store
        try:
            with zipfile.ZipFile(store.file_path(blob, ".zip")) as zf:
                entries = [e for e in zf.infolist() if not e.is_dir() and _suffix(e.filename) in WORKBOOK_SUFFIXES
                           and not Path(e.filename).name.startswith(("~$", "."))][:ZIP_MAX_FILES]
                store.advance_job(job_id, 0, "running", f"共 {len(entries)} 个工作簿", total=len(entries))
                unpacked = skipped = garbled = 0
                for n, entry in enumerate(entries, start=1):
                    name, understood = zipnames.member_name(entry)
                    size = self._one_entry(zf, entry, name, unit, system)
                    unpacked, skipped = unpacked + size, skipped + (size > self.settings.limit)
                    garbled += not understood
                    if unpacked > ZIP_MAX_TOTAL:
                        store.advance_job(job_id, n, "failed", f"压缩包解开后过大，已在第 {n} 个文件处停止")
                        return
                    too_big = f"（{skipped} 个文件超过大小上限，未检查）" if skipped else ""
                    too_big += f"（{garbled} 个文件名的编码无法识别，按原样显示）" if garbled else ""
                    if n == len(entries):            # the 单位's reports, against all its tables, once
                        self.recheck_reports(unit, system)
                    store.advance_job(job_id, n, "running" if n < len(entries) else "finished",
                                      f"已检查 {n} / {len(entries)}{too_big}")
                if not entries:
                    store.advance_job(job_id, 0, "finished", "压缩包中没有 .xlsx / .xlsm / .xls 文件")
        except Exception as exc:  # noqa: BLE001 - a stranger's zip: any failure ends the job, visibly
            store.advance_job(job_id, 0, "failed", f"压缩包无法读取：{type(exc).__name__}")

    def _one_entry(self, zf: zipfile.ZipFile, entry: zipfile.ZipInfo, member: str, unit: Unit,
                   system: str | None) -> int:
        """Check one entry (skipped when over the upload limit); returns the bytes it unpacked."""
        store, suffix = self.settings.store, _suffix(entry.filename)
        name = processing.display_name(member, suffix)
        handle = tempfile.NamedTemporaryFile(dir=store.scratch(), delete=False, suffix=suffix)
        size = 0
        with handle, zf.open(entry) as source:       # the declared size is not trusted: count
            while block := source.read(CHUNK):
                size += len(block)
                if size > self.settings.limit:
                    break
                handle.write(block)
        if size > self.settings.limit:
            Path(handle.name).unlink()
            return size
        self.submit(unit, store.put_file(Path(handle.name), suffix), suffix, name, system, recheck=False)
        return size


# --------------------------------------------------------------------------- helpers for pages

def _page(request: Request, name: str, status: int = 200, **context: Any) -> Response:
    limits = request.app.state.limits
    return TEMPLATES.TemplateResponse(request, name, {"kinds": views.KIND_NAMES, "status": status,
                                                      "limit_mb": limits.file_bytes // (1024 * 1024),
                                                      "form_files": limits.form_files, **context},
                                      status_code=status)


def _submission_context(sub: Submission) -> dict[str, Any]:
    report = sub.result["report"]
    return {"sub": sub, "report": report, "findings": report["findings"], "tables": sub.result["tables"],
            "note": sub.result.get("note", ""),
            "sheets": [(s["sheet"], views.sheet_view(s, report["findings"])) for s in sub.result["sheets"]]}


def _download_name(sub: Submission, tag: str, suffix: str) -> str:
    """The name a download is saved under: the upload's, tagged (one safe name, :func:`file_name`)."""
    return exports.tagged_name(sub.filename, f"_{tag}", suffix)


def _scratch_file(store: Store) -> Path:
    """A fresh file in scratch for a report written on request (deleted once sent)."""
    handle, name = tempfile.mkstemp(dir=store.scratch(), suffix=".xlsx")
    os.close(handle)
    return Path(name)


def _xlsx_response(path: Path, name: str) -> FileResponse:
    return FileResponse(path, filename=name, background=BackgroundTask(path.unlink, missing_ok=True),
                        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def _report(store: Store, reports: list[FileReport], name: str) -> FileResponse:
    """report.xlsx (汇总 + 问题清单) of these reports, written by the report's own writer (in a handler's
    thread, as every download is: nothing a stranger sent is read in the event loop)."""
    from ..report import write_report

    path = _scratch_file(store)
    write_report(path, reports)
    return _xlsx_response(path, name)


def _feedback(store: Store, reports: list[FileReport], name: str) -> FileResponse:
    """The feedback workbook of ``check --feedback`` (问题与改法: each finding, what to type instead, a
    link to its cell) for one 单位's reports, written by the feedback's own writer."""
    from ..report.feedback import write_feedback

    folder = Path(tempfile.mkdtemp(dir=store.scratch()))
    written = write_feedback(reports, folder)
    path = _scratch_file(store)
    os.replace(written[0].path, path)
    shutil.rmtree(folder, ignore_errors=True)
    return _xlsx_response(path, name)


def _stored(sub: Submission) -> list[FileReport]:
    return [processing.report_from_dict(sub.result["report"])]


def _scored(store: Store, sub: Submission) -> FileResponse:
    if not sub.scored:
        raise HTTPException(404, "这个文件没有评分后的版本 / no scored workbook")
    digest, suffix = sub.scored[:64], sub.scored[64:]         # an .xls is scored as .xlsx
    return FileResponse(store.file_path(digest, suffix), filename=_download_name(sub, "已评分", suffix),
                        media_type="application/octet-stream")


def _original(store: Store, sub: Submission) -> FileResponse:
    """The file as it was uploaded, byte for byte, under its upload's name."""
    return FileResponse(store.file_path(sub.blob, sub.suffix),
                        filename=exports.tagged_name(sub.filename, "", sub.suffix),
                        media_type="application/octet-stream")


def _uploads(form) -> list[UploadFile]:
    return [f for f in form.getlist("file") if isinstance(f, UploadFile) and f.filename]


# --------------------------------------------------------------------------- the app

def create_app(store: Store, limit: int = DEFAULT_LIMIT, jobs: int = 2, hosts: HostRule | None = None,
               limits: WebLimits | None = None, public_url: str | None = None):
    """The ASGI app over ``store`` (wrapped in :class:`~.guards.Guards`), its steps run by ``jobs`` warm
    workers. ``hosts``: the Host names answered (a page on another site that rebinds its name to
    127.0.0.1 is refused); None: any. ``limits``: the server's bounds (else the defaults, with ``limit``
    bytes per file). ``public_url``: the address the 单位' links are given at (``https://jx.example.gov.cn``;
    ``serve`` makes ``hosts`` answer to it)."""
    limits = limits or WebLimits(file_bytes=limit)
    limit = limits.file_bytes
    pool = WorkerPool(jobs)
    settings = Settings(store, limits, pool, public_url.rstrip("/") if public_url else None)
    processor = Processor(settings)
    zips = exports.ZipBuilds(store.scratch() / "exports")

    async def form_of(request: Request):
        try:
            return await request.form(max_files=limits.form_files, max_fields=200, max_part_size=64 * 1024)
        except HTTPException as exc:
            if "files" in str(exc.detail).lower():
                raise HTTPException(413, f"一次最多上传 {limits.form_files} 个文件，更多的文件请打包为 .zip "
                                         f"/ at most {limits.form_files} files in one form") from None
            raise

    # -- the JSON API --------------------------------------------------------------------------
    async def api_check(request: Request) -> Response:
        """The check of one file, kept nowhere: its bytes are deleted once it is answered."""
        from ..core.findings import Report

        form = await form_of(request)
        upload = form.get("file")
        if not isinstance(upload, UploadFile):
            return JSONResponse({"error": "请用 multipart 字段 file 上传一个文件 / send one file in field 'file'"},
                                status_code=400)
        started = time.perf_counter()
        path = await _receive(store, upload, limit)
        try:
            report = await watched(request.is_disconnected, processor.check, path,
                                   processing.display_name(upload.filename, path.suffix))
        finally:
            path.unlink(missing_ok=True)
        answer = JSONResponse(Report([report]).to_dict())
        answer.headers["server-timing"] = f"check;dur={(time.perf_counter() - started) * 1000:.1f}"
        return answer

    # -- a department's page -------------------------------------------------------------------
    def home(request: Request) -> Response:
        return _page(request, "home.html")

    async def home_check(request: Request) -> Response:
        form = await form_of(request)
        tokens = []
        for upload in _uploads(form):
            blob, suffix = await _save_upload(store, upload, limit)
            name = processing.display_name(upload.filename, suffix)
            sub = await watched(request.is_disconnected, processor.submit, None, blob, suffix, name, None)
            tokens.append(sub.token)
        if not tokens:
            return RedirectResponse("/", status_code=303)
        return RedirectResponse("/r/" + "/".join(tokens[:1]) + "?" + "&".join(f"more={t}" for t in tokens[1:]),
                                status_code=303)

    def anonymous(token: str) -> Submission:
        sub = store.submission_by_token(token)
        if sub is None or sub.unit_id is not None:
            raise HTTPException(404, "没有这个结果 / no such result")
        return sub

    def result(request: Request) -> Response:
        subs = [anonymous(request.path_params["token"])]
        more = request.query_params.getlist("more")[:limits.form_files]         # the rest of one form, no more
        subs += [s for t in more if (s := store.submission_by_token(t))
                 and s.unit_id is None]
        return _page(request, "results.html", results=[_submission_context(s) for s in subs],
                     base=lambda s: f"/r/{s.token}")

    def result_scored(request: Request) -> Response:
        return _scored(store, anonymous(request.path_params["token"]))

    def result_feedback(request: Request) -> Response:
        sub = anonymous(request.path_params["token"])
        return _feedback(store, _stored(sub), _download_name(sub, "反馈表", ".xlsx"))

    # -- a 单位's link ---------------------------------------------------------------------------
    def unit_of(request: Request) -> Unit:
        unit = store.unit_by_token(request.path_params["token"])
        if unit is None:
            raise HTTPException(404, "链接无效或已收回 / this link is not valid")
        return unit

    def own(request: Request, unit: Unit) -> Submission:
        sub = store.submission_by_token(request.path_params["sub"])
        if sub is None or sub.unit_id != unit.id:
            raise HTTPException(404, "没有这个文件 / no such file")
        return sub

    def unit_page(request: Request, refused: str | None = None) -> Response:
        unit = unit_of(request)
        collection = store.collection(unit.collection_id)
        subs = store.submissions(unit.id)
        latest, _ = views.latest_versions(subs)
        jobs = store.jobs(unit.id)
        new = set(request.query_params.getlist("new"))
        deadline = store.round_state(unit.collection_id).deadline
        running = any(j.state == "running" for j in jobs)      # the joint check waits for the zip's last file
        verdict = None if running else views.verdict(processor.latest_reports, latest, collection.system or None,
                                                     limits)
        return _page(request, "unit.html", 409 if refused else 200, unit=unit, collection=collection,
                     subs=list(reversed(subs)), latest={s.id for s in latest}, jobs=jobs[:5], running=running,
                     results=[_submission_context(s) for s in subs if s.token in new],
                     base=lambda s: f"/u/{unit.token}/s/{s.token}", round=rounds.status_of(store, unit, deadline),
                     deadline=deadline, refusal=refused or rounds.upload_refusal(store, unit), verdict=verdict)

    async def unit_upload(request: Request) -> Response:
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
            for upload in sorted(_uploads(form), key=lambda u: _suffix(u.filename) in REPORT_SUFFIXES):
                blob, suffix = await _save_upload(store, upload, limit)
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
        return _page(request, "results.html", results=[_submission_context(sub)], unit=unit,
                     base=lambda s: f"/u/{unit.token}/s/{s.token}")

    def unit_scored(request: Request) -> Response:
        unit = unit_of(request)
        return _scored(store, own(request, unit))

    def unit_feedback(request: Request) -> Response:
        unit = unit_of(request)
        sub = own(request, unit)
        return _feedback(store, _stored(sub), _download_name(sub, "反馈表", ".xlsx"))

    # -- the bureau ----------------------------------------------------------------------------
    def is_admin(request: Request) -> bool:
        session = request.cookies.get(ADMIN_COOKIE)
        return bool(session) and store.session_valid(session)

    def need_admin(request: Request) -> None:
        if not is_admin(request):
            raise HTTPException(303, headers={"location": "/admin/login"})

    def login_page(request: Request) -> Response:
        return _page(request, "login.html", failed=False)

    async def login(request: Request) -> Response:
        form = await form_of(request)
        expected = store.setting(ADMIN_HASH)
        given = str(form.get("password", ""))
        if not expected or not given or not hmac.compare_digest(token_hash(given), expected):
            return _page(request, "login.html", failed=True)
        response = RedirectResponse("/admin", status_code=303)
        response.set_cookie(ADMIN_COOKIE, store.new_session(), httponly=True, samesite="strict", path="/")
        return response

    def logout(request: Request) -> Response:
        need_admin(request)
        store.end_session(request.cookies[ADMIN_COOKIE])
        response = RedirectResponse("/admin/login", status_code=303)
        response.delete_cookie(ADMIN_COOKIE, path="/")
        return response

    def admin(request: Request) -> Response:
        from ..core.system import available_systems

        need_admin(request)
        return _page(request, "admin.html", collections=store.collections(), systems=available_systems(),
                     titles=views.system_titles())

    async def create_collection(request: Request) -> Response:
        from ..core.system import available_systems

        need_admin(request)
        form = await form_of(request)
        systems = available_systems()
        system = str(form.get("system", ""))
        names = unitlist.from_text(str(form.get("units", "")))
        upload = form.get("units_file")
        if isinstance(upload, UploadFile) and upload.filename:
            blob, suffix = await _save_upload(store, upload, limit)
            names += await run_in_threadpool(unitlist.from_file, store.file_path(blob, suffix), store.scratch())
        try:
            year = int(str(form.get("year", "")).strip())
        except ValueError:
            year = 0
        if not names or not 2000 <= year <= 2100 or (system and system not in systems):
            return _page(request, "admin.html", 400, collections=store.collections(), systems=systems,
                         titles=views.system_titles(),
                         error="请填写年度（如 2024）、至少一个单位，并从列表中选择指标体系 / "
                               "give a year, at least one 单位 and a listed indicator system")
        collection, _ = store.create_collection(year, system, str(form.get("title", "")).strip()[:100]
                                                or f"{year} 年度绩效自评", names)
        store.log(collection.id, None, bureau(request), "创建收集", f"{collection.title}（{len(names)} 个单位）")
        return RedirectResponse(f"/admin/c/{collection.id}", status_code=303)

    def collection_of(request: Request):
        need_admin(request)
        cid = request.path_params["cid"]
        collection = store.collection(cid) if 0 < cid < 2 ** 63 else None      # SQLite's integers
        if collection is None:
            raise HTTPException(404, "没有这个收集 / no such collection")
        return collection, [views.UnitState(u, *views.latest_versions(store.submissions(u.id)))
                            for u in rounds.active_units(store, collection.id)]

    def origin(request: Request) -> str:
        return settings.public_url or f"{request.url.scheme}://{request.url.netloc}"

    def dashboard(request: Request, status: int = 200, error: str = "") -> Response:
        collection, states = collection_of(request)
        state = store.round_state(collection.id)
        unit_rounds = {st.unit.id: rounds.status_of(store, st.unit, state.deadline) for st in states}
        return _page(request, "dashboard.html", status, collection=collection, states=states,
                     counts=views.counts(states), origin=origin(request), rounds=unit_rounds, round_state=state,
                     closed=rounds.is_closed(state), round_counts=views.round_counts(unit_rounds.values()),
                     system_title=views.system_titles().get(collection.system, collection.system),
                     zip=zips.get(collection.id), audit=rounds.audit_view(store, collection.id), error=error)

    def unit_in(request: Request, states: list[views.UnitState]) -> views.UnitState:
        state = next((s for s in states if s.unit.id == request.path_params["uid"]), None)
        if state is None:
            raise HTTPException(404, "没有这个单位 / no such 单位")
        return state

    def renew(request: Request) -> Response:
        collection, states = collection_of(request)
        unit = unit_in(request, states).unit
        return round_step(request, lambda: (rounds.log_link(store, unit, bureau(request), "换新链接"),
                                            store.renew_unit_token(unit.id)))

    def revoke(request: Request) -> Response:
        collection, states = collection_of(request)
        unit = unit_in(request, states).unit
        return round_step(request, lambda: (rounds.log_link(store, unit, bureau(request), "收回链接"),
                                            store.revoke_unit(unit.id)))

    def latest_reports(collection, states: list[views.UnitState]) -> list[FileReport]:
        return processor.latest_reports([s for st in states for s in st.latest], collection.system or None)

    def collection_report(request: Request) -> Response:
        collection, states = collection_of(request)
        return _report(store, latest_reports(collection, states), file_name(collection.title, "_report.xlsx"))

    def unit_report(request: Request) -> Response:
        collection, states = collection_of(request)
        state = unit_in(request, states)
        return _report(store, latest_reports(collection, [state]), f"{collection.year}_{state.unit.name}_检查结果.xlsx")

    def collection_summary(request: Request) -> Response:
        from ..report.summary_workbook import write_summary

        collection, states = collection_of(request)
        path = _scratch_file(store)
        write_summary(latest_reports(collection, states), path)
        return _xlsx_response(path, file_name(collection.title, "_summary.xlsx"))

    def submission_in(request: Request) -> tuple[Collection, views.UnitState, Submission]:
        collection, states = collection_of(request)
        state = unit_in(request, states)
        sub = next((s for s in store.submissions(state.unit.id) if s.token == request.path_params["sub"]), None)
        if sub is None:
            raise HTTPException(404, "没有这个文件 / no such file")
        return collection, state, sub

    def admin_submission(request: Request) -> Response:
        collection, state, sub = submission_in(request)
        return _page(request, "results.html", results=[_submission_context(sub)], unit=state.unit,
                     base=lambda s: f"/admin/c/{collection.id}/u/{state.unit.id}/s/{s.token}",
                     back=f"/admin/c/{collection.id}")

    # -- the round: statuses, deadline, closing, the 单位 list, downloads (:mod:`.round`, :mod:`.exports`) --
    def bureau(request: Request) -> str:
        return rounds.who(rounds.BUREAU, request.client.host if request.client else None)

    def round_step(request: Request, step) -> Response:
        """Run a change of the round and go back to the dashboard; a refused one is shown there (409).
        (In a handler's thread: the dashboard reads every 单位's stored results.)"""
        try:
            step()
        except rounds.RoundError as exc:
            return dashboard(request, 409, str(exc))
        return RedirectResponse(f"/admin/c/{request.path_params['cid']}", status_code=303)

    collection_steps = {"deadline": (rounds.set_deadline, "deadline"), "units": (rounds.add_unit, "name"),
                        "close": (rounds.close, None), "reopen": (rounds.reopen, None)}
    unit_steps = {"return": (functools.partial(rounds.decide, event="return"), "comment"),
                  "accept": (functools.partial(rounds.decide, event="accept"), None),
                  "rename": (rounds.rename_unit, "name"), "remove": (rounds.remove_unit, None)}

    async def round_action(request: Request) -> Response:
        """One change of the round (:data:`collection_steps`, :data:`unit_steps`): its form read here,
        the change made off the event loop."""
        need_admin(request)
        return await run_in_threadpool(round_change, request, await form_of(request))

    def round_change(request: Request, form) -> Response:
        """The change: its form field, if any, then who does it."""
        collection, states = collection_of(request)
        steps, target = ((unit_steps, unit_in(request, states).unit) if "uid" in request.path_params
                         else (collection_steps, collection))
        if request.path_params["action"] not in steps:
            raise HTTPException(404, "没有这个操作 / no such action")
        step, field = steps[request.path_params["action"]]
        given = [str(form.get(field, ""))] if field else []
        return round_step(request, lambda: step(store, target, *given, actor=bureau(request)))

    def link_list(request: Request) -> Response:
        collection, states = collection_of(request)
        deadline = store.round_state(collection.id).deadline
        rows = [(st.unit.name, f"{origin(request)}/u/{st.unit.token}" if st.unit.token else "（已收回）",
                 rounds.status_of(store, st.unit).status, deadline) for st in states]
        path = _scratch_file(store)
        exports.write_links(path, collection.title, rows)
        return _xlsx_response(path, file_name(collection.title, "_提交链接.xlsx"))

    def admin_original(request: Request) -> Response:
        return _original(store, submission_in(request)[2])

    def admin_scored(request: Request) -> Response:
        return _scored(store, submission_in(request)[2])

    def admin_feedback(request: Request) -> Response:
        sub = submission_in(request)[2]
        return _feedback(store, _stored(sub), _download_name(sub, "反馈表", ".xlsx"))

    def start_zip(request: Request) -> Response:
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
        zips.start(collection.id, members)
        store.log(collection.id, None, bureau(request), "打包下载", f"{len(members)} 个文件")
        return RedirectResponse(f"/admin/c/{collection.id}#zip", status_code=303)

    def get_zip(request: Request) -> Response:
        collection, _ = collection_of(request)
        build = zips.get(collection.id)
        if build is None or build.path is None:
            raise HTTPException(404, "压缩包尚未生成 / the zip is not ready")
        return FileResponse(build.path, filename=file_name(collection.title, ".zip"), media_type="application/zip")

    def script(request: Request) -> Response:
        return FileResponse(Path(__file__).with_name("static") / "round.js", media_type="text/javascript")

    async def not_found(request: Request, exc: HTTPException) -> Response:
        if exc.status_code == 303:
            return RedirectResponse(exc.headers["location"], status_code=303)
        if request.url.path.startswith("/api/"):
            return JSONResponse({"error": exc.detail}, status_code=exc.status_code)
        return await run_in_threadpool(_page, request, "error.html", exc.status_code, message=exc.detail)

    async def client_gone(request: Request, exc: Exception) -> Response:
        return Response(status_code=499)             # nobody reads it: the work was dropped

    async def cannot_store(request: Request, exc: Exception) -> Response:
        """A full disk or a read-only data folder, said; any other failure stays a failure."""
        message = storage_problem(exc)
        if message is None:
            raise exc
        return await not_found(request, HTTPException(507, message))

    routes = [
        Route("/", home), Route("/check", home_check, methods=["POST"]),
        Route("/api/check", api_check, methods=["POST"]),
        Route("/r/{token}", result), Route("/r/{token}/scored", result_scored),
        Route("/r/{token}/feedback", result_feedback),
        Route("/u/{token}", unit_page), Route("/u/{token}/upload", unit_upload, methods=["POST"]),
        Route("/u/{token}/s/{sub}", unit_submission), Route("/u/{token}/s/{sub}/scored", unit_scored),
        Route("/u/{token}/s/{sub}/feedback", unit_feedback),
        Route("/admin/login", login_page), Route("/admin/login", login, methods=["POST"]),
        Route("/admin/logout", logout, methods=["POST"]),
        Route("/admin", admin), Route("/admin/collections", create_collection, methods=["POST"]),
        Route("/admin/c/{cid:int}", dashboard),
        Route("/admin/c/{cid:int}/report.xlsx", collection_report),
        Route("/admin/c/{cid:int}/summary.xlsx", collection_summary),
        Route("/admin/c/{cid:int}/u/{uid:int}/report.xlsx", unit_report),
        Route("/admin/c/{cid:int}/u/{uid:int}/s/{sub}", admin_submission),
        Route("/admin/c/{cid:int}/u/{uid:int}/renew", renew, methods=["POST"]),
        Route("/admin/c/{cid:int}/u/{uid:int}/revoke", revoke, methods=["POST"]),
        # the round
        Route("/admin/c/{cid:int}/links.xlsx", link_list),
        Route("/admin/c/{cid:int}/zip", start_zip, methods=["POST"]),
        Route("/admin/c/{cid:int}/zip", get_zip),
        Route("/admin/c/{cid:int}/u/{uid:int}/s/{sub}/original", admin_original),
        Route("/admin/c/{cid:int}/u/{uid:int}/s/{sub}/scored", admin_scored),
        Route("/admin/c/{cid:int}/u/{uid:int}/s/{sub}/feedback", admin_feedback),
        Route("/u/{token}/s/{sub}/original", lambda r: _original(store, own(r, unit_of(r)))),
        Route("/r/{token}/original", lambda r: _original(store, anonymous(r.path_params["token"]))),
        Route("/static/round.js", script),
        Route("/admin/c/{cid:int}/u/{uid:int}/{action:str}", round_action, methods=["POST"]),
        Route("/admin/c/{cid:int}/{action:str}", round_action, methods=["POST"]),
    ]

    @contextlib.asynccontextmanager
    async def lifespan(app):
        await run_in_threadpool(processor.retain)
        await run_in_threadpool(pool.warm)
        try:
            yield
        finally:
            await run_in_threadpool(pool.close)

    app = Starlette(routes=routes, lifespan=lifespan,
                    exception_handlers={HTTPException: not_found, ClientGone: client_gone, ClientDisconnect: client_gone,
                                        OSError: cannot_store,
                                        sqlite3.OperationalError: cannot_store})
    app.state.limits = limits
    return Guards(app, limits, hosts)


def recover(store: Store) -> None:
    """At start-up, what an earlier run left when it stopped: scratch files, jobs never finished."""
    store.end_running_jobs("服务曾中途停止，此压缩包未处理完，请重新上传")
    for item in store.scratch().iterdir():
        shutil.rmtree(item, ignore_errors=True) if item.is_dir() else item.unlink(missing_ok=True)
