"""Check many workbooks in isolated workers: paths in, one FileReport per file out, in input order.

Why this shape: the finance bureau checks hundreds of strangers' files each spring, and one of them may
make a reader abort the process (python-calamine on a sheet with a cell at XFD1048576), eat memory or
never end. So every file is read in a worker process the parent can lose without losing the run (also
with ``--jobs 1``): each worker runs under the memory limit of :class:`~selfeval_xl.core.limits.Limits`,
each file under its time limit, and a worker that dies or overruns becomes that file's
``check-failed`` finding with the reason, while the pool (``pebble``) starts a fresh worker and the
batch goes on. Workers receive paths (never workbooks) and send back small results.
"""
from __future__ import annotations

import faulthandler
import multiprocessing
import os
import signal
from collections import deque
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, TypeVar

from ..core.findings import FileReport, Finding, Report, finding
from ..core.limits import DEFAULT_LIMITS, Limits, cap_memory
from ..files.ownfiles import not_a_submission, own_name_reason
from ..core.system import IndicatorSystem, load_system

SUFFIXES = (".xlsx", ".xlsm", ".xls")
OTHER_SPREADSHEETS = (".et", ".xlsb", ".ods")
"""Spreadsheets a folder may hold that are not read (WPS's own format, Excel's binary one, OpenDocument):
found like workbooks so each gets a verdict that says to save it as .xlsx, instead of being passed over."""
AHEAD = 8
"""Files queued per worker: enough to keep workers busy, few enough that a batch of 10,000 files holds
only a window of pending results in memory, not one future per file."""
T = TypeVar("T")
R = TypeVar("R")


@dataclass
class Found:
    """What a scan found: every path to give a verdict (in order), our own files among them by name
    (path → why it is ours: a backup, a temporary), which are listed as skipped and never read as
    submissions, and the paths found inside folders, where a workbook that carries our output mark (a
    report) is skipped too (its worker sees the mark in the zip it opens anyway)."""

    paths: list[Path] = field(default_factory=list)
    own: dict[Path, str] = field(default_factory=dict)
    in_folders: set[Path] = field(default_factory=set)
    unlisted: dict[Path, str] = field(default_factory=dict)    # a folder that could not be listed → why


def scan(paths: Iterable[str | Path], exclude: Iterable[str | Path] = ()) -> Found:
    """Files given, and every entry with a workbook suffix under folders given (recursively, sorted;
    links found inside are not followed into folders). A FIFO, a link or a folder named ``x.xlsx`` is kept: it gets
    an ``unreadable`` verdict, not silence. Skipped without a line: Excel's lock files (``~$…``) and
    ``exclude`` (the outputs of this run). The same file given twice (another spelling, a link) is
    kept once. Our own files found in a folder are marked: backups and temporaries in ``own``, and
    every path of a folder in ``in_folders`` (a report among them is known when it is read); a file named
    explicitly is checked whatever it is (the user asked for it). A folder that cannot be listed (no
    permission) is a path of its own with the reason in ``unlisted``: its files are not silently left out."""
    skip = {_identity(p) for p in exclude}
    found = Found()
    seen: set[str] = set()
    for raw in paths:
        path = Path(raw)
        in_folder = path.is_dir()
        listed = (_under(path, SUFFIXES + OTHER_SPREADSHEETS, found.unlisted) if in_folder
                  else [(path, _identity(path))])
        for candidate, key in listed:
            if candidate.name.startswith("~$") or key in skip or key in seen:
                continue
            seen.add(key)
            found.paths.append(candidate)
            if in_folder:
                found.in_folders.add(candidate)
                why = own_name_reason(candidate)
                if why:
                    found.own[candidate] = why
    return found


def find_workbooks(paths: Iterable[str | Path], exclude: Iterable[str | Path] = ()) -> list[Path]:
    """The paths :func:`scan` finds (our own files included: see :attr:`Found.own`)."""
    return scan(paths, exclude).paths


def files_under(folder: Path, suffixes: tuple[str, ...] = SUFFIXES) -> list[Path]:
    """Every entry with one of ``suffixes`` under ``folder``, sorted (links listed, not followed)."""
    return [path for path, _ in _under(folder, suffixes)]


def _under(folder: Path, suffixes: tuple[str, ...] = SUFFIXES, unlisted: dict[Path, str] | None = None
           ) -> list[tuple[Path, str]]:
    """(path, identity) of every entry with a workbook suffix under ``folder``, sorted by path; links are
    listed, not followed into folders. The identity is the real path, made from each folder's real path
    and the entry's name (a link's own target resolved): one ``realpath`` per folder and per link, not
    several system calls per file. A folder that cannot be listed is an entry too, its reason in
    ``unlisted``."""
    entries = []
    folders = [(str(folder), os.path.realpath(folder))]
    while folders:
        where, real = folders.pop()
        try:
            with os.scandir(where) as listing:
                for entry in listing:
                    link = entry.is_symlink()
                    if not link and entry.is_dir(follow_symlinks=False):
                        folders.append((entry.path, os.path.join(real, entry.name)))
                    if os.path.splitext(entry.name)[1].lower() in suffixes:
                        identity = os.path.realpath(entry.path) if link else os.path.join(real, entry.name)
                        entries.append((Path(entry.path), identity))
        except OSError as exc:
            if unlisted is not None:
                unlisted[Path(where)] = f"文件夹无法打开（{exc.strerror or exc}），其中的工作簿未检查"
                entries.append((Path(where), real))
    return sorted(entries)


def _identity(path: str | Path) -> str:
    return os.path.realpath(path)


@dataclass
class FileResult:
    """What a worker sends back for one file: its report, the figures for cross-file checks, what a
    ``facts`` hook took from its tables (the narrative report's summaries, when the run has reports),
    and the digests the 指标质量 rules over several files read."""

    report: FileReport
    figures: list = field(default_factory=list)
    facts: list = field(default_factory=list)
    digests: list = field(default_factory=list)    # each table's quality digest (across 单位, year over year)


Facts = Callable[[str, list, IndicatorSystem | None], list]   # (path, tables, system) → picklable list


_SYSTEM: IndicatorSystem | None = None
_LIMITS: Limits = DEFAULT_LIMITS
_FACTS: Facts | None = None


def _init_worker(system_ref: str | None, limits: Limits, facts: Facts | None = None) -> None:
    """Start of a check worker: the limits, the facts hook and the indicator system, once."""
    global _SYSTEM, _LIMITS, _FACTS
    _LIMITS = limits
    _FACTS = facts
    _SYSTEM = load_system(system_ref) if system_ref else None


def check_file(path: str | Path, system: IndicatorSystem | None = None,
               limits: Limits | None = None, facts: Facts | None = None, skip_ours: bool = False) -> FileResult:
    """Read and check one workbook in this process, under the reader's size guard (the in-process path
    for tests and the add-in; batches use :func:`check_files`). Never raises: a crash becomes a
    ``check-failed`` finding. ``skip_ours``: a workbook carrying our output mark is listed as skipped."""
    from ..checks import check_recomputed, figures_of
    from ..quality.digest import digest_tables
    from ..read import read_workbook

    try:
        data = read_workbook(path, limits=limits or _LIMITS, skip_ours=skip_ours)
        report, recomputed = check_recomputed(data, system or _SYSTEM)
        result = FileResult(report, figures_of(str(path), data.tables), digests=digest_tables(str(path), recomputed))
        hook = facts or _FACTS
        if hook:
            result.facts = hook(str(path), data.tables, system or _SYSTEM)
        return result
    except MemoryError:
        return failed(path, f"检查时内存不足（超过每个工作进程 {(limits or _LIMITS).memory_mb} MB 的上限，"
                            f"限制项 memory_mb）")
    except Exception as exc:  # noqa: BLE001 - one bad file must not stop the batch
        return failed(path, f"检查出错：{type(exc).__name__}: {exc}"[:300])


def _check_pending(item: tuple[Path, bool]) -> FileResult:
    return check_file(item[0], skip_ours=item[1])


def _size(item: tuple[Path, bool]) -> int:
    try:
        return item[0].stat().st_size
    except OSError:
        return 0


def _lost(item: tuple[Path, bool], reason: str) -> FileResult:
    return failed(item[0], reason)


def failed(path: str | Path, reason: str, code: str = "check-failed") -> FileResult:
    """The result of a file that could not be checked: one finding saying why."""
    report = FileReport(str(path))
    report.findings.append(finding(code, reason, file=str(path)))
    return FileResult(report)


def skipped(path: str | Path, reason: str) -> FileResult:
    """The result of one of our own files found in a folder: listed as skipped (like a data table), not
    read, and no finding: a file we wrote is not a problem of the submissions."""
    return FileResult(FileReport(str(path), skipped=not_a_submission(reason)))


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


def _start_worker(limits: Limits, initializer: Callable[..., None] | None, initargs: tuple[Any, ...]) -> None:
    faulthandler.disable()       # a worker's death is reported as its file's finding, not as a dump
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


def check_files(paths: list[Path], system_ref: str | None = None, jobs: int = 0,
                limits: Limits = DEFAULT_LIMITS, found: Found | None = None,
                facts: Facts | None = None, group: int = 0) -> Iterator[FileResult]:
    """One result per path, in input order, each file read in an isolated worker (``jobs`` 0 = all
    cores). Paths that are not regular files are refused without a worker (and never opened); what
    ``found`` (the scan of these paths) says is ours is listed as skipped. ``facts`` (a module-level
    function) fills :attr:`FileResult.facts`. ``group``: files per worker task (0: by the batch's
    length, see :func:`isolated`)."""
    from .. import checks, read
    from ..read.guard import path_problem

    own, folders = (found.own, found.in_folders) if found else ({}, set())
    unlisted = found.unlisted if found else {}
    verdicts: dict[int, FileResult] = {}
    pending: list[tuple[Path, bool]] = []      # (path, skip it if it carries our output mark)
    for i, path in enumerate(paths):
        refused = unlisted.get(path) or path_problem(path, limits)
        if refused:
            verdicts[i] = failed(path, refused, "unreadable")
        elif path in own:
            verdicts[i] = skipped(path, own[path])
        else:
            pending.append((path, path in folders))
    if pending:
        read.preload()          # forked workers inherit what is loaded here
        checks.preload()
    with read.converted_together([p for p, _ in pending], limits):   # the .xls: one soffice run, not one each
        results = isolated(_check_pending, pending, jobs, limits, _lost, _init_worker,
                           (system_ref, limits, facts), weight=_size, group=group)
        for i in range(len(paths)):
            yield verdicts.pop(i) if i in verdicts else next(results)


def check_batch(paths: list[Path], system_ref: str | None = None, jobs: int = 0,
                limits: Limits = DEFAULT_LIMITS, found: Found | None = None,
                facts: Facts | None = None,
                on_result: Callable[[FileResult], None] | None = None,
                previous: list[Path] = ()) -> Iterator[FileReport]:
    """One FileReport per file, in input order, the files holding a 部门整体 table last. Every report
    is held back until every file is in: the cross-file checks of a 单位 and the 指标质量 rules across
    单位 and years (``previous``: last year's files, read for their digests only) may add to any file.
    Memory stays flat: the reports wait in a temporary file, and only a running sum per 单位 and each
    table's small digest are kept. ``on_result`` hears each file's whole result as it arrives (with its
    ``facts``)."""
    import pickle
    import tempfile

    from ..checks import UnitFigures

    units, across = UnitFigures(), _across(previous, system_ref, jobs, limits)
    with tempfile.TemporaryFile() as held:
        offsets: list[tuple[int, bool]] = []       # (where a report starts, it holds a 部门整体 table)
        for result in check_files(paths, system_ref, jobs, limits, found, facts):
            result.report.findings += units.add(result.figures)
            across.add(result.digests)
            if on_result:
                on_result(result)
            offsets.append((held.tell(), any(f.kind == "department" for f in result.figures)))
            pickle.dump(result.report, held, protocol=pickle.HIGHEST_PROTOCOL)
        cross: dict[str, list[Finding]] = {}
        for f in units.findings() + across.findings():
            cross.setdefault(f.file, []).append(f)
        for department in (False, True):
            for offset, kind in offsets:
                if kind is department:
                    held.seek(offset)
                    report = pickle.load(held)          # our own file, written just above
                    report.findings += cross.get(report.path, [])
                    yield report


def _across(previous: list[Path], system_ref: str | None, jobs: int, limits: Limits):
    """The 指标质量 collector of a run, with the digests of last year's workbooks (``previous``: files or
    folders) in it: those are read and checked in workers like any file, but never reported."""
    from ..quality.across import Across

    across = Across()
    if previous:
        found = scan(previous)
        for result in check_files(found.paths, system_ref, jobs, limits, found):
            across.add_previous(result.digests)
    return across


def run(paths: list[Path], system_ref: str | None = None, jobs: int = 0,
        on_result: Callable[[FileResult], None] | None = None,
        on_cross: Callable[[list[Finding]], None] | None = None,
        limits: Limits = DEFAULT_LIMITS, found: Found | None = None,
        facts: Facts | None = None, previous: list[Path] = ()) -> Report:
    """Every file checked, as one Report (for callers that want it whole): ``on_result`` hears each
    file as it arrives, ``on_cross`` the cross-file findings at the end (also added to their files),
    the 指标质量 rules across 单位 and against ``previous`` (last year's files) among them."""
    from ..checks import UnitFigures

    report, units, across = Report(), UnitFigures(), _across(previous, system_ref, jobs, limits)
    for result in check_files(paths, system_ref, jobs, limits, found, facts):
        result.report.findings += units.add(result.figures)
        across.add(result.digests)
        report.files.append(result.report)
        if on_result:
            on_result(result)
    cross = units.findings() + across.findings()
    _attach(cross, report.files)
    if on_cross and cross:
        on_cross(cross)
    return report


def _attach(cross: list[Finding], reports: list[FileReport]) -> None:
    """Add each cross-file finding to the report of its file."""
    by_file = {r.path: r for r in reports}
    for f in cross:
        by_file[f.file].findings.append(f)
