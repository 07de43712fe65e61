"""A worker stopped for its time limit takes what it started with it: LibreOffice, run by a worker to
convert a stranger's .xls, must not run on orphaned after the worker is gone (on a server, each hostile
upload would leave one behind). A fake ``soffice`` that starts a child and never ends stands in for it."""
from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from selfeval_xl.core.limits import DEFAULT_LIMITS
from selfeval_xl.engines.libreoffice import recalculate
from selfeval_xl.isolation import pool
from selfeval_xl.web.workers import WorkerPool
from selfeval_xl.web.isolated import StepFailed, run_isolated

pytestmark = pytest.mark.skipif(not hasattr(os, "setsid") or not Path("/proc/self/stat").exists(),
                                reason="process groups and /proc: POSIX (Linux)")

HANGING = """#!/bin/sh
echo $$ > "{pids}/soffice.pid"
sleep 300 &
echo $! > "{pids}/child.pid"
wait
"""


def _running(pid: int) -> bool:
    """Is the process there and not a zombie (an orphan's zombie waits for a reaper that may be slow)?"""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state not in ("Z", "X")


def _gone_soon(pids: Path, wait: float = 5.0) -> list[int]:
    """The fake soffice's pids (itself, its child) still running after ``wait`` seconds."""
    started = [int((pids / name).read_text()) for name in ("soffice.pid", "child.pid")]
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline and any(map(_running, started)):
        time.sleep(0.05)
    return [pid for pid in started if _running(pid)]


@pytest.fixture
def hanging_soffice(tmp_path, monkeypatch):
    """A folder on PATH whose ``soffice`` never ends, and the folder its pids are written to."""
    bin_dir, pids = tmp_path / "bin", tmp_path / "pids"
    bin_dir.mkdir()
    pids.mkdir()
    (bin_dir / "soffice").write_text(HANGING.format(pids=pids))
    (bin_dir / "soffice").chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    (tmp_path / "in").mkdir()
    book = tmp_path / "in" / "a.xls"
    book.write_bytes(b"not read by the fake")
    return book, pids, bin_dir


def _convert(book: Path) -> list[Path]:
    return recalculate([book], book.parent.parent / "out")


def _convert_with(book: str, bin_dir: str) -> int:
    """In a warm web worker (started before the test set PATH): the fake soffice put first, then run."""
    os.environ["PATH"] = f"{bin_dir}{os.pathsep}{os.environ['PATH']}"
    recalculate([book], str(Path(book).parent.parent / "out"))
    return 0


def test_a_batch_worker_past_its_time_ends_the_libreoffice_it_started(hanging_soffice):
    book, pids, _ = hanging_soffice
    limits = DEFAULT_LIMITS.with_settings(["seconds=1"])
    [verdict] = pool.isolated(_convert, [book], 1, limits, lambda item, why: why)
    assert "秒" in verdict                                    # the file's verdict: out of time
    assert _gone_soon(pids) == []


def test_a_web_worker_past_its_time_ends_the_libreoffice_it_started(hanging_soffice):
    book, pids, bin_dir = hanging_soffice
    workers = WorkerPool(1)
    try:
        with pytest.raises(StepFailed):
            workers.run(_convert_with, str(book), str(bin_dir), time_limit=1.5)
        assert _gone_soon(pids) == []
    finally:
        workers.close()


def test_a_one_off_child_past_its_time_ends_the_libreoffice_it_started(hanging_soffice, tmp_path):
    """The web page's child of its own (a step run once in a while) is killed with its group too."""
    book, pids, bin_dir = hanging_soffice
    with pytest.raises(StepFailed, match="超时"):
        run_isolated(_convert_with, str(book), str(bin_dir), scratch=tmp_path, time_limit=3)
    assert _gone_soon(pids) == []
