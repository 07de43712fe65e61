"""The check worker: one workbook read and checked in a worker process, one small FileResult back.

Workers receive paths (never workbooks) and a :class:`WorkerConfig` (system, limits, hook, and the
bureau's :class:`Choices`), and send back small results; the pool (:mod:`selfeval_xl.isolation.pool`) loses a worker, never the run.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache, partial
from pathlib import Path
from typing import Callable, Iterator

from ..core.findings import FileReport, finding
from ..core.limits import DEFAULT_LIMITS, Limits
from ..core.system import IndicatorSystem, load_system
from ..files.discovery import Found
from ..files.ownfiles import not_a_submission
from ..isolation.pool import isolated
from ..checks.quality.pack import Pack, load_pack


@dataclass
class FileResult:
    """What a worker sends back for one file: its report, the figures for cross-file checks, what a
    ``facts`` hook took from its tables (the narrative report's summaries, when the run has reports),
    and the digests the 指标质量 rules over several files read."""

    report: FileReport
    figures: list = field(default_factory=list)
    facts: list = field(default_factory=list)
    digests: list = field(default_factory=list)    # each table's quality digest, as the store keeps it (Stored)


Facts = Callable[[str, list, IndicatorSystem | None], list]   # (path, tables, system) → picklable list


@dataclass(frozen=True)
class Choices:
    """What a bureau chose for a run, read once by the face (the command line) and handed to every
    worker with its tasks: its own layout files (``--layout``, recognised beside the packaged ones),
    its 指标质量 pack file (``--quality``; None: ours) and the check codes it skips (``--skip``: never
    run, so a crashing skipped check cannot cost a file)."""

    layouts: tuple[str, ...] = ()
    quality: str | None = None
    skip: frozenset[str] = frozenset()

    def pack(self) -> Pack:
        """The 指标质量 pack (read once per process: :func:`load_pack` keeps it)."""
        return load_pack(self.quality)


@dataclass(frozen=True)
class WorkerConfig:
    """What a check worker needs besides the path, handed to it with every task (a few pickled bytes),
    never through the environment or a module global: the run's indicator system (a packaged name or a
    file; None: each table's own), what one file may cost, the ``facts`` hook (a module-level
    function, or None) and the bureau's :class:`Choices`."""

    system_ref: str | None = None
    limits: Limits = DEFAULT_LIMITS
    facts: Facts | None = None
    choices: Choices = Choices()


@lru_cache(maxsize=8)
def _system(ref: str) -> IndicatorSystem:
    """A system read once per worker process, not once per file (a memo of the file, not a setting)."""
    return load_system(ref)


def check_file(path: str | Path, system: IndicatorSystem | None = None,
               limits: Limits | None = None, facts: Facts | None = None, skip_ours: bool = False,
               choices: Choices = Choices()) -> FileResult:
    """Read and check one workbook in this process, under the reader's size guard (the in-process path
    for tests and the add-in; batches use :func:`check_files`). Never raises: a crash becomes a
    ``check-failed`` finding. ``skip_ours``: a workbook carrying our output mark is listed as skipped;
    ``choices``: the bureau's layouts, 指标质量 pack and skipped codes."""
    from ..checks import check_recomputed, figures_of
    from ..checks.quality.digest import digest_tables
    from ..checks.quality.store import stored
    from ..read import read_workbook

    limits = limits or DEFAULT_LIMITS
    try:
        data = read_workbook(path, limits=limits, skip_ours=skip_ours, own=choices.layouts)
        report, recomputed = check_recomputed(data, system, choices.pack(), choices.skip)
        result = FileResult(report, figures_of(str(path), data.tables),
                            digests=[stored(t) for t in digest_tables(str(path), recomputed)])
        if facts:
            result.facts = facts(str(path), data.tables, system)
        return result
    except MemoryError:
        return failed(path, f"检查时内存不足（超过每个工作进程 {limits.memory_mb} MB 的上限，"
                            f"限制项 memory_mb）")
    except Exception as exc:  # noqa: BLE001 - one bad file must not stop the batch
        return failed(path, f"检查出错：{type(exc).__name__}: {exc}"[:300])


def _check_pending(config: WorkerConfig, item: tuple[Path, bool]) -> FileResult:
    """One task of a pool: the file (and whether to skip it if ours) with the run's configuration."""
    system = _system(config.system_ref) if config.system_ref else None
    return check_file(item[0], system, config.limits, config.facts, item[1], config.choices)


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


def check_files(paths: list[Path], system_ref: str | None = None, jobs: int = 0,
                limits: Limits = DEFAULT_LIMITS, found: Found | None = None,
                facts: Facts | None = None, group: int = 0, choices: Choices = Choices()) -> Iterator[FileResult]:
    """One result per path, in input order, each file read in an isolated worker (``jobs`` 0 = all
    cores). Paths that are not regular files are refused without a worker (and never opened); what
    ``found`` (the scan of these paths) says is ours is listed as skipped. ``facts`` (a module-level
    function) fills :attr:`FileResult.facts`. ``group``: files per worker task (0: by the batch's
    length, see :func:`isolated`). ``choices``: the bureau's, handed to every worker with its task."""
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
        task = partial(_check_pending, WorkerConfig(system_ref, limits, facts, choices))
        results = isolated(task, pending, jobs, limits, _lost, weight=_size, group=group)
        for i in range(len(paths)):
            yield verdicts.pop(i) if i in verdicts else next(results)

