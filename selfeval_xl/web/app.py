"""The app: the routes of every area of the site, its error pages, its workers' lifetime.

Every upload goes through :mod:`.processing` (the batch's check, then the score write-back) and is kept
in the :class:`~.store.Store` by content hash. A 单位 is known only by its link's token and sees only its
own submissions; the bureau's pages need a login with the bureau's password (a session cookie,
``SameSite=Strict``); every form is guarded by the origin check of :mod:`.guards`. The handlers live in a
module per area — :mod:`.anonymous`, :mod:`.unit_pages`, :mod:`.session`, :mod:`.round_pages`,
:mod:`.downloads`, :mod:`.review_tab` (its 结论 published by :mod:`.review_publish`) — and share one :class:`~.state.AppState`.
"""
from __future__ import annotations

import contextlib
import shutil
import sqlite3

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, RedirectResponse, Response

from . import anonymous, downloads, review_publish, review_tab, round_pages, session, unit_pages
from .exports import ZipBuilds
from .guards import DEFAULT_LIMIT, Guards
from .limits import WebLimits
from .pages import page
from .processor import Processor, Settings
from .security import HostRule
from .session import ADMIN_HASH, set_admin_token
from .state import AppState
from .storage_errors import storage_problem
from .store import Store
from .workers import ClientGone, WorkerPool

__all__ = ["create_app", "recover", "set_admin_token", "ADMIN_HASH"]


async def not_found(request: Request, exc: HTTPException) -> Response:
    if exc.status_code == 303:
        return RedirectResponse(exc.headers["location"], status_code=303)
    if request.url.path.startswith("/api/"):
        return JSONResponse({"error": exc.detail}, status_code=exc.status_code)
    return await run_in_threadpool(page, request, "error.html", exc.status_code, message=exc.detail)


async def client_gone(request: Request, exc: Exception) -> Response:
    return Response(status_code=499)             # nobody reads it: the work was dropped


async def cannot_store(request: Request, exc: Exception) -> Response:
    """A full disk or a read-only data folder, said; any other failure stays a failure."""
    message = storage_problem(exc)
    if message is None:
        raise exc
    return await not_found(request, HTTPException(507, message))


def create_app(store: Store, limit: int = DEFAULT_LIMIT, jobs: int = 2, hosts: HostRule | None = None,
               limits: WebLimits | None = None, public_url: str | None = None):
    """The ASGI app over ``store`` (wrapped in :class:`~.guards.Guards`), its steps run by ``jobs`` warm
    workers. ``hosts``: the Host names answered (a page on another site that rebinds its name to
    127.0.0.1 is refused); None: any. ``limits``: the server's bounds (else the defaults, with ``limit``
    bytes per file). ``public_url``: the address the 单位' links are given at (``https://jx.example.gov.cn``;
    ``serve`` makes ``hosts`` answer to it)."""
    limits = limits or WebLimits(file_bytes=limit)
    pool = WorkerPool(jobs)
    settings = Settings(store, limits, pool, public_url.rstrip("/") if public_url else None)
    state = AppState(settings, Processor(settings), ZipBuilds(store.scratch() / "exports"))
    routes = (anonymous.ROUTES + unit_pages.ROUTES + session.ROUTES + round_pages.ROUTES + downloads.ROUTES
              + review_tab.ROUTES + review_publish.ROUTES + round_pages.ACTIONS)

    @contextlib.asynccontextmanager
    async def lifespan(app):
        await run_in_threadpool(state.processor.retain)
        await run_in_threadpool(pool.warm)
        try:
            yield
        finally:
            await run_in_threadpool(pool.close)

    app = Starlette(routes=routes, lifespan=lifespan,
                    exception_handlers={HTTPException: not_found, ClientGone: client_gone,
                                        ClientDisconnect: client_gone, OSError: cannot_store,
                                        sqlite3.OperationalError: cannot_store})
    app.state.web = state
    return Guards(app, limits, hosts)


def recover(store: Store) -> None:
    """At start-up, what an earlier run left when it stopped: scratch files, jobs never finished."""
    store.end_running_jobs("服务曾中途停止，此压缩包未处理完，请重新上传")
    for item in store.scratch().iterdir():
        shutil.rmtree(item, ignore_errors=True) if item.is_dir() else item.unlink(missing_ok=True)
