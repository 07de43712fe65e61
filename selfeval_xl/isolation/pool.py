"""A pool of worker processes for strangers' files: results in input order, a lost worker a verdict.

Why its own module: one of hundreds of strangers' files may abort the reader (python-calamine on a cell at
XFD1048576), eat memory or never end. Each item is done in a worker the parent can lose without losing
the run: each worker runs under the memory limit of :class:`~selfeval_xl.core.limits.Limits`, each task
under its time limit, and a worker that dies or overruns becomes that item's verdict while the pool
(``pebble``) starts a fresh worker. The batch check, the narrative reports and the web page use it; it
knows nothing of workbooks.
"""
from __future__ import annotations

import faulthandler
import multiprocessing
import os
import signal
from collections import deque
from concurrent.futures import TimeoutError as FutureTimeout
from itertools import islice
from typing import Any, Callable, Iterator, TypeVar

from ..core.limits import Limits, cap_memory

AHEAD = 8
"""Files queued per worker: enough to keep workers busy, few enough that a batch of 10,000 files holds
only a window of pending results in memory, not one future per file."""
T = TypeVar("T")
R = TypeVar("R")


def default_jobs() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def isolated(function: Callable[..., R], items: list[T], jobs: int, limits: Limits,
             on_loss: Callable[[T, str], R], initializer: Callable[..., None] | None = None,
             initargs: tuple[Any, ...] = (), weight: Callable[[T], int] | None = None,
             group: int = 0) -> Iterator[R]:
    """``function(item)`` for each item in worker processes, results yielded in input order. A worker
    that dies (abort, signal, memory) or overruns ``limits.seconds`` yields ``on_loss(item, reason)``
    instead, and the pool replaces it. Each worker runs ``initializer(*initargs)`` and then has its
    address space capped at ``limits.memory_mb``.

    With ``weight`` (an item's size in bytes), a long batch sends small items in groups (up to
    :data:`GROUP_ITEMS` items and :data:`GROUP_BYTES` bytes; ``group`` sets the count): a task of its
    own per 12 KB file cost the parent more than the file's reading. A group that fails (a death, its
    time limit) is sent again one item per task, each with the whole time limit, so every item still
    gets its own verdict and no healthy item is lost with its neighbour."""
    from pebble import ProcessPool

    if not items:
        return
    if _ISOLATED_ALREADY:
        yield from _here(function, items, on_loss, initializer, initargs)
        return
    _quick_pool_loops()
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    workers = max(1, min(jobs or default_jobs(), len(items)))
    size = group or (min(GROUP_ITEMS, len(items) // (workers * AHEAD * 2)) if weight else 1)
    window = workers * AHEAD
    with ProcessPool(max_workers=workers, initializer=_start_worker,
                     initargs=(limits, initializer, initargs), context=context) as pool:
        queued: deque = deque()
        upcoming = _groups(items, weight, max(1, size))
        finished = False
        try:
            while True:
                for part in islice(upcoming, window - len(queued)):
                    queued.append((part, pool.schedule(_each, args=(function, part), timeout=limits.seconds)))
                if not queued:
                    break
                part, future = queued.popleft()      # no reference kept: memory is flat in the batch size
                lost = _loss(future, limits)
                if lost is None:
                    yield from future.result()
                elif len(part) == 1:
                    yield on_loss(part[0], lost)
                else:                                # one of them failed the group: each on its own now
                    alone = [(item, pool.schedule(function, args=(item,), timeout=limits.seconds)) for item in part]
                    for item, single in alone:
                        why = _loss(single, limits)
                        yield single.result() if why is None else on_loss(item, why)
            finished = True
        finally:
            if not finished:            # the caller stopped early: end the workers, not wait for them
                pool.stop()


_ISOLATED_ALREADY = False


def isolated_already() -> None:
    """Say that this process is itself a child run under limits for one step (the web page's): the
    batch then checks its files here instead of starting a pool of its own, one process per upload, not
    two. The step's own limits (time, memory) stand for the files' limits."""
    global _ISOLATED_ALREADY
    _ISOLATED_ALREADY = True


def _here(function: Callable[[T], R], items: list[T], on_loss: Callable[[T, str], R],
          initializer: Callable[..., None] | None, initargs: tuple[Any, ...]) -> Iterator[R]:
    if initializer:
        initializer(*initargs)
    for item in items:
        try:
            yield function(item)
        except Exception as exc:  # noqa: BLE001 - as a worker's failure: that item's verdict
            yield on_loss(item, _worker_error(exc))


GROUP_ITEMS = 8
GROUP_BYTES = 1024 * 1024


def _groups(items: list[T], weight: Callable[[T], int] | None, size: int) -> Iterator[list[T]]:
    """Consecutive items in lists of at most ``size`` items and :data:`GROUP_BYTES` of ``weight``
    (an item heavier than that goes alone)."""
    part: list[T] = []
    total = 0
    for item in items:
        heavy = weight(item) if weight and size > 1 else 0
        if part and (len(part) >= size or total + heavy > GROUP_BYTES):
            yield part
            part, total = [], 0
        part.append(item)
        total += heavy
    if part:
        yield part


def _each(function: Callable[[T], R], part: list[T]) -> list[R]:
    return [function(item) for item in part]


def _loss(future, limits: Limits) -> str | None:
    """Why a task came back without its result (waiting for it), or None when it has one."""
    from pebble import ProcessExpired

    try:
        future.result()
        return None
    except FutureTimeout:
        return f"处理超过 {limits.seconds:g} 秒（限制项 seconds），已中止该文件"
    except ProcessExpired as exc:
        return _death(exc.exitcode, limits)
    except Exception as exc:  # noqa: BLE001 - a result that cannot come back
        return _worker_error(exc)


def _worker_error(exc: Exception) -> str:
    return f"工作进程出错：{type(exc).__name__}: {exc}"[:300]


POOL_TICK = 0.01
"""Seconds between pebble's checks of its workers (its default, 0.1 s, is also what closing a pool
waits: a tenth of a second on every batch, a tenth of a millisecond per file of a 1,000-file batch)."""


def _quick_pool_loops() -> None:
    """Pebble's loops look at the pool every ``sleep_unit`` seconds (a documented internal constant of
    pebble 5); a shorter tick ends a batch sooner and notices a time-out sooner, for a few cheap
    wake-ups a second."""
    from pebble.common import types

    consts = getattr(types, "CONSTS", None)
    if consts is not None and getattr(consts, "sleep_unit", 0) > POOL_TICK:
        consts.sleep_unit = POOL_TICK


def ends_with_what_it_started() -> None:
    """Make this worker the leader of a process group of its own, and its stop (pebble sends SIGTERM to
    a worker past its time limit, or when the run is stopped) kill that whole group: the programs it
    started for a file (LibreOffice converting an .xls, which knows nothing of our limits) end with it
    instead of running on, orphaned, on the user's machine or the server. POSIX only."""
    if not hasattr(os, "setsid"):
        return
    try:
        os.setsid()
    except OSError:          # already a group leader: its group may be the caller's, leave it be
        return
    signal.signal(signal.SIGTERM, _end_group)


def _end_group(signum: int, frame: Any) -> None:
    os.killpg(os.getpgrp(), signal.SIGKILL)


def _start_worker(limits: Limits, initializer: Callable[..., None] | None, initargs: tuple[Any, ...]) -> None:
    faulthandler.disable()       # a worker's death is reported as its file's finding, not as a dump
    ends_with_what_it_started()
    if initializer:
        initializer(*initargs)
    cap_memory(limits.memory_mb)


def _death(exitcode: int | None, limits: Limits) -> str:
    """Why a worker died, for the user: the signal and the likely cause."""
    if exitcode is not None and exitcode < 0:
        try:
            how = signal.Signals(-exitcode).name
        except ValueError:
            how = f"signal {-exitcode}"
    else:
        how = f"exit code {exitcode}"
    return (f"读取该文件时工作进程异常终止（{how}）：文件可能触发了读取库的崩溃，或超出每个工作进程 "
            f"{limits.memory_mb} MB 的内存上限（限制项 memory_mb）")

