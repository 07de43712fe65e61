"""Run one step on a stranger's file in a child process with a time and memory limit.

(The server runs its checks in warm workers, :mod:`.workers`, under these same limits; a child of its own
serves a step run once in a while — a bureau's list of 单位 — and callers without a pool.)

Why: the web face checks the file, scores it (``score_book`` through the package Book) and reads its
cells for the page. A hostile file must not hang or exhaust the server doing that, so the step runs in
a fresh process that is killed when it overruns; inside it the batch checks in that same process
(:func:`selfeval_xl.isolation.pool.isolated_already`), not in a pool of its own. The child writes its answer as
JSON to a file (no pipe to fill up); the parent reads it after the child ends.
"""
from __future__ import annotations

import json
import multiprocessing
import os
import signal
import tempfile
from pathlib import Path
from typing import Any, Callable

TIME_LIMIT = 120.0
MEMORY_LIMIT = 2 * 1024 ** 3


class StepFailed(Exception):
    """The child overran its limits, crashed, or raised; the message says which, in Chinese."""


def _child(func: Callable[..., Any], args: tuple, out: str, memory: int) -> None:
    from ..core.limits import cap_memory
    from ..isolation.pool import ends_with_what_it_started, isolated_already

    ends_with_what_it_started()  # a group of its own: an overrun kills the programs it started too
    try:
        cap_memory(memory // (1024 * 1024))   # the soft limit binds this child; soffice, which recalculates
        #                                       an .xls for the reader, lifts it for itself (recalc)
    except (AttributeError, ValueError, OSError):   # not on Linux: the time limit still holds
        pass
    isolated_already()           # this child is the isolation: the batch checks here, no pool inside it
    try:
        answer = {"ok": func(*args)}
    except MemoryError:
        answer = {"error": "文件过大，超出内存限制"}
    except Exception as exc:  # noqa: BLE001 - a stranger's file: any failure is an answer
        answer = {"error": f"{type(exc).__name__}: {exc}"[:300]}
    Path(out).write_text(json.dumps(answer, ensure_ascii=False), encoding="utf-8")


def _kill(child) -> None:
    """The child and every process it started (its own process group, where there are groups)."""
    try:
        os.killpg(child.pid, signal.SIGKILL)
    except (AttributeError, ProcessLookupError, PermissionError):
        child.kill()
    child.join()


def run_isolated(func: Callable[..., Any], *args: Any, scratch: Path, time_limit: float = TIME_LIMIT,
                 memory: int = MEMORY_LIMIT) -> Any:
    """``func(*args)`` in a child process (a module-level function returning JSON-able data)."""
    ctx = multiprocessing.get_context("spawn")   # the server runs threads: never fork them
    with tempfile.TemporaryDirectory(dir=scratch) as folder:
        out = Path(folder) / "answer.json"
        child = ctx.Process(target=_child, args=(func, args, str(out), memory))
        child.start()
        child.join(time_limit)
        if child.is_alive():
            _kill(child)
            raise StepFailed(f"处理超时（超过 {time_limit:.0f} 秒），已中止")
        if not out.exists():
            raise StepFailed(f"处理进程异常退出（退出码 {child.exitcode}），文件可能已损坏或含有超大的工作表")
        answer = json.loads(out.read_text(encoding="utf-8"))
    if "error" in answer:
        raise StepFailed(answer["error"])
    return answer["ok"]
