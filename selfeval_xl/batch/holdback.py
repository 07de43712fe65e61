"""A whole run: every file's verdict held back until every file is in, for the checks across files.

Why held back: the cross-file checks of a 单位 and the 指标质量 rules across 单位 and years may add to
any file's report, so none is final before the last file is read. Memory stays flat: reports and the
findings across files wait in a temporary file, the digests in the 指标质量 rules' store on disk; only a
running sum per 单位 and where each report starts stay in memory.
"""
from __future__ import annotations

from array import array
from contextlib import contextmanager
from itertools import chain
from pathlib import Path
from typing import Callable, Iterator

from ..core.findings import FileReport, Finding, Report
from ..core.limits import DEFAULT_LIMITS, Limits
from ..files.discovery import Found, scan
from .worker import Choices, Facts, FileResult, check_files


def check_batch(paths: list[Path], system_ref: str | None = None, jobs: int = 0,
                limits: Limits = DEFAULT_LIMITS, found: Found | None = None,
                facts: Facts | None = None,
                on_result: Callable[[FileResult], None] | None = None,
                previous: list[Path] = (), choices: Choices = Choices()) -> Iterator[FileReport]:
    """One FileReport per file, in input order, the files holding a 部门整体 table last. Every report
    is held back until every file is in: the cross-file checks of a 单位 and the 指标质量 rules across
    单位 and years (``previous``: last year's files, read for their digests only) may add to any file.
    Memory stays flat: the reports and the findings across files wait in a temporary file, the digests
    in the 指标质量 rules' store (on disk too); a running sum per 单位 and where each report starts are
    kept. ``on_result`` hears each file's whole result as it arrives (with its
    ``facts``). ``choices``: the bureau's layouts, 指标质量 pack and skipped codes, for every worker and the
    rules across files."""
    import pickle
    import tempfile

    from ..checks import UnitFigures

    units = UnitFigures()
    with _across(previous, system_ref, jobs, limits, choices) as across, tempfile.TemporaryFile() as held:
        starts = array("q")         # where each report starts; -1 - that for a file with a 部门整体 table
        for result in check_files(paths, system_ref, jobs, limits, found, facts, choices=choices):
            result.report.findings += units.add(result.figures)
            across.add(result.digests)
            if on_result:
                on_result(result)
            department = any(f.kind == "department" for f in result.figures)
            starts.append(-1 - held.tell() if department else held.tell())
            pickle.dump(result.report, held, protocol=pickle.HIGHEST_PROTOCOL)
        cross: dict[str, list[int]] = {}            # file → where its findings across files are, after the reports
        for f in chain(units.findings(), across.findings()):
            cross.setdefault(f.file, []).append(held.tell())
            pickle.dump(f, held, protocol=pickle.HIGHEST_PROTOCOL)
        for department in (False, True):
            for start in starts:
                if (start < 0) is department:
                    held.seek(-1 - start if department else start)
                    report = pickle.load(held)          # our own file, written just above
                    for at in cross.get(report.path, ()):
                        held.seek(at)
                        report.findings.append(pickle.load(held))
                    yield report


@contextmanager
def _across(previous: list[Path], system_ref: str | None, jobs: int, limits: Limits, choices: Choices):
    """The 指标质量 collector of a run, with the digests of last year's workbooks (``previous``: files or
    folders) in it: those are read and checked in workers like any file, but never reported. Its store
    of digests is removed when the run ends, however it ends."""
    from ..checks.quality.across import Across
    from ..checks.registry import ACROSS

    with Across(ACROSS, choices.pack(), choices.skip) as across:
        if previous:
            found = scan(previous)
            for result in check_files(found.paths, system_ref, jobs, limits, found, choices=choices):
                across.add_previous(result.digests)
        yield across


def run(paths: list[Path], system_ref: str | None = None, jobs: int = 0,
        on_result: Callable[[FileResult], None] | None = None,
        on_cross: Callable[[list[Finding]], None] | None = None,
        limits: Limits = DEFAULT_LIMITS, found: Found | None = None,
        facts: Facts | None = None, previous: list[Path] = (), choices: Choices = Choices()) -> Report:
    """Every file checked, as one Report (for callers that want it whole): ``on_result`` hears each
    file as it arrives, ``on_cross`` the cross-file findings at the end (also added to their files),
    the 指标质量 rules across 单位 and against ``previous`` (last year's files) among them; ``choices`` as
    for :func:`check_batch`."""
    from ..checks import UnitFigures

    report, units = Report(), UnitFigures()
    with _across(previous, system_ref, jobs, limits, choices) as across:
        for result in check_files(paths, system_ref, jobs, limits, found, facts, choices=choices):
            result.report.findings += units.add(result.figures)
            across.add(result.digests)
            report.files.append(result.report)
            if on_result:
                on_result(result)
        cross = units.findings() + list(across.findings())
    _attach(cross, report.files)
    if on_cross and cross:
        on_cross(cross)
    return report


def _attach(cross: list[Finding], reports: list[FileReport]) -> None:
    """Add each cross-file finding to the report of its file."""
    by_file = {r.path: r for r in reports}
    for f in cross:
        by_file[f.file].findings.append(f)
