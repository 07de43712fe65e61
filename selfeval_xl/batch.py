"""Check many workbooks in parallel: paths in, one FileReport per file out, streamed as they finish.

Why this shape: the finance bureau checks hundreds of files each spring. Workers receive paths (never
workbooks), read one file at a time with python-calamine (XML only for formulas of the 自评表 sheet),
and send back small FileReports; only the caller sees them all, writing the report as they arrive.
"""
from __future__ import annotations

import multiprocessing
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

from .findings import FileReport, Finding, Report, finding
from .system import IndicatorSystem, load_system

SUFFIXES = (".xlsx", ".xlsm", ".xls")


def find_workbooks(paths: Iterable[str | Path], exclude: Iterable[str | Path] = ()) -> list[Path]:
    """Files given, and the .xlsx / .xlsm / .xls files under folders given (recursively, sorted).
    Excel's lock files (``~$…``) and the paths in ``exclude`` (our own report) are skipped."""
    skip = {Path(p).resolve() for p in exclude}
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            candidates = sorted(p for p in path.rglob("*") if p.suffix.lower() in SUFFIXES and p.is_file())
        else:
            candidates = [path]
        found += [p for p in candidates if not p.name.startswith("~$") and p.resolve() not in skip]
    return list(dict.fromkeys(found))


@dataclass
class FileResult:
    """What a worker sends back for one file: its report and the figures for cross-file checks."""

    report: FileReport
    figures: list = field(default_factory=list)


_SYSTEM: IndicatorSystem | None = None


def _init_worker(system_ref: str | None) -> None:
    global _SYSTEM
    _SYSTEM = load_system(system_ref) if system_ref else None


def check_file(path: str | Path, system: IndicatorSystem | None = None) -> FileResult:
    """Read and check one workbook; never raises (a crash becomes a ``check-failed`` finding)."""
    from .checks import check_workbook, figures_of
    from .read import read_workbook

    try:
        data = read_workbook(path)
        return FileResult(check_workbook(data, system or _SYSTEM), figures_of(str(path), data.tables))
    except Exception as exc:  # noqa: BLE001 - one bad file must not stop the batch
        report = FileReport(str(path))
        report.findings.append(finding("check-failed", f"检查出错：{type(exc).__name__}: {exc}", file=str(path)))
        return FileResult(report)


def default_jobs() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def check_files(paths: list[Path], system_ref: str | None = None, jobs: int = 0) -> Iterator[FileResult]:
    """Results in input order, streamed. ``jobs`` 0 = all cores; 1 = in this process."""
    jobs = jobs or default_jobs()
    names = [str(p) for p in paths]
    if jobs == 1 or len(names) <= 1:
        _init_worker(system_ref)
        yield from (check_file(p) for p in names)
        return
    from . import checks, read

    read.preload()          # forked workers inherit what is loaded here
    checks.preload()
    methods = multiprocessing.get_all_start_methods()
    ctx = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    chunksize = max(1, min(16, len(names) // (jobs * 8)))
    with ctx.Pool(min(jobs, len(names)), initializer=_init_worker, initargs=(system_ref,),
                  maxtasksperchild=2000) as pool:
        yield from pool.imap(check_file, names, chunksize=chunksize)


def check_batch(paths: list[Path], system_ref: str | None = None, jobs: int = 0) -> Iterator[FileReport]:
    """One FileReport per file, streamed in input order, except that files holding a 部门整体 table
    are held back until every file is in: the cross-file checks of their 单位 add to them. Memory
    stays flat: only those few reports and a running sum per 单位 are kept."""
    from .checks import UnitFigures

    units = UnitFigures()
    held: list[FileReport] = []
    for result in check_files(paths, system_ref, jobs):
        units.add(result.figures)
        if any(f.kind == "department" for f in result.figures):
            held.append(result.report)
        else:
            yield result.report
    _attach(units.findings(), held)
    yield from held


def run(paths: list[Path], system_ref: str | None = None, jobs: int = 0,
        on_result: Callable[[FileResult], None] | None = None,
        on_cross: Callable[[list[Finding]], None] | None = None) -> Report:
    """Every file checked, as one Report (for callers that want it whole): ``on_result`` hears each
    file as it arrives, ``on_cross`` the cross-file findings at the end (also added to their files)."""
    from .checks import UnitFigures

    report, units = Report(), UnitFigures()
    for result in check_files(paths, system_ref, jobs):
        report.files.append(result.report)
        units.add(result.figures)
        if on_result:
            on_result(result)
    cross = units.findings()
    _attach(cross, report.files)
    if on_cross and cross:
        on_cross(cross)
    return report


def _attach(cross: list[Finding], reports: list[FileReport]) -> None:
    """Add each cross-file finding to the report of its file."""
    by_file = {r.path: r for r in reports}
    for f in cross:
        by_file[f.file].findings.append(f)
