"""Warm worker processes for the web's steps on strangers' files: each upload is checked (and scored) in
a process that is already running, under the same time and memory limits as a child of its own.

Why: a fresh child per upload (:func:`.isolated.run_isolated`) starts an interpreter and imports the
readers and checks — about 0.3 s for a check of a few milliseconds. A pool started once keeps that
isolation (a file that crashes or hangs a reader kills only the worker holding it; the pool starts a new
one, and the file gets its verdict from the failure) without paying for it on every request. Workers are
forked from a clean server process (``forkserver``: the web server runs threads, which must never be
forked) with the readers already imported, and each is retired after :data:`TASKS_PER_WORKER` files so
that nothing one file left behind in a worker's memory lasts.

A step whose client has gone is cancelled: queued, it never starts; running, its worker is ended.
"""
from __future__ import annotations

import asyncio
import atexit
import concurrent.futures
import faulthandler
import multiprocessing
import threading
from typing import Any, Callable

from .isolated import MEMORY_LIMIT, TIME_LIMIT, StepFailed

TASKS_PER_WORKER = 200
POLL = 0.05                    # seconds between looks at a waiting step's client
PRELOAD = ["selfeval_xl.web.processing", "selfeval_xl.read", "selfeval_xl.checks", "selfeval_xl.batch.worker",
           "selfeval_xl.score.writeback", "selfeval_xl.book.package_book", "selfeval_xl.narrative"]


class ClientGone(Exception):
    """The client that asked for a step went away before its answer: the step was dropped."""


def _start(memory: int) -> None:
    """A worker's start: the modules a step needs, the batch told to check here (this worker is the
    isolation, no pool inside it), and its address space capped."""
    from ..isolation.pool import ends_with_what_it_started, isolated_already
    from ..core.limits import cap_memory
    from ..checks import preload as checks_preload
    from ..read import preload as read_preload

    faulthandler.disable()       # a worker's death is its file's verdict, not a dump on the server's console
    ends_with_what_it_started()  # a step stopped for its time takes the LibreOffice it started with it
    isolated_already()
    read_preload()
    checks_preload()
    cap_memory(memory // (1024 * 1024))


def _call(func: Callable[..., Any], args: tuple) -> dict[str, Any]:
    """In a worker: the step, its failure as an answer (a stranger's file: any exception is a verdict)."""
    try:
        return {"ok": func(*args)}
    except MemoryError:
        return {"error": "文件过大，超出内存限制"}
    except Exception as exc:  # noqa: BLE001
        return {"error": f"{type(exc).__name__}: {exc}"[:300]}


class WorkerPool:
    """``workers`` warm processes; :meth:`run` has the signature of :func:`.isolated.run_isolated`, so
    the steps of :mod:`.processing` take either. Started on first use, ended by :meth:`close`."""

    def __init__(self, workers: int, memory: int = MEMORY_LIMIT):
        self.workers, self.memory = max(1, workers), memory
        self._pool = None
        self._lock = threading.Lock()

    def _started(self):
        from pebble import ProcessPool

        from ..isolation.pool import _quick_pool_loops

        with self._lock:
            if self._pool is None:
                _quick_pool_loops()
                if "forkserver" in multiprocessing.get_all_start_methods():
                    context = multiprocessing.get_context("forkserver")
                    context.set_forkserver_preload(PRELOAD)
                else:                                # Windows: each worker starts afresh (once, not per file)
                    context = multiprocessing.get_context("spawn")
                self._pool = ProcessPool(max_workers=self.workers, max_tasks=TASKS_PER_WORKER, context=context,
                                         initializer=_start, initargs=(self.memory,))
                atexit.register(self.close)      # an app whose lifespan never ran (a test) still ends them
            return self._pool

    def warm(self) -> None:
        """Start the workers now (at the server's start), not on the first upload."""
        futures = [self._started().schedule(_call, args=(len, ((),))) for _ in range(self.workers)]
        concurrent.futures.wait(futures)

    def run(self, func: Callable[..., Any], *args: Any, scratch: Any = None, time_limit: float = TIME_LIMIT,
            gone: threading.Event | None = None) -> Any:
        """``func(*args)`` in a worker (a module-level function returning picklable data). StepFailed when
        it overran ``time_limit``, its worker died or it raised; ClientGone when ``gone`` was set first."""
        from pebble import ProcessExpired

        future = self._started().schedule(_call, args=(func, args), timeout=time_limit)
        while not future.done():
            concurrent.futures.wait([future], timeout=POLL if gone is not None else None)
            if gone is not None and gone.is_set() and not future.done():
                future.cancel()          # queued: never runs; running: its worker is ended and replaced
                raise ClientGone()
        try:
            answer = future.result()
        except concurrent.futures.TimeoutError:
            raise StepFailed(f"处理超时（超过 {time_limit:.0f} 秒），已中止") from None
        except ProcessExpired as exc:
            raise StepFailed(f"处理进程异常退出（退出码 {exc.exitcode}），文件可能已损坏或含有超大的工作表") from None
        except concurrent.futures.CancelledError:
            raise ClientGone() from None
        if "error" in answer:
            raise StepFailed(answer["error"])
        return answer["ok"]

    def close(self) -> None:
        with self._lock:
            if self._pool is not None:
                self._pool.stop()
                self._pool.join()
                self._pool = None


async def watched(is_disconnected: Callable[[], Any], step: Callable[..., Any], *args: Any) -> Any:
    """``step(*args, gone=event)`` in a thread; the event is set once the client has disconnected, so the
    step drops its work (a form of 150 files does not keep the workers busy after its sender left)."""
    from starlette.concurrency import run_in_threadpool

    gone = threading.Event()
    task = asyncio.ensure_future(run_in_threadpool(step, *args, gone=gone))
    try:
        while not task.done():
            await asyncio.wait({task}, timeout=0.2)
            if not task.done() and await is_disconnected():
                gone.set()
        return task.result()
    finally:
        gone.set()           # this request is over (answered, or cancelled itself): nothing more for it
