"""The 绩效自评报告 beside the tables: drafted from them, and checked against them.

- :func:`draft` — workbooks → one .docx report per 单位 (every figure from its checked tables).
- :func:`check_reports` — report files (.docx / .pdf / .txt) → one FileReport each, read in isolated
  workers, checked internally and against the tables of the same 单位 given in the same run.
- :func:`summaries_of` — the ``facts`` hook of the batch: what a report is checked against, taken from
  each workbook by the worker that reads it (so a workbook is read once); :func:`group_units` groups them.
- :func:`find_reports` — the report files under the paths given.
"""
from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Iterable, Iterator

from ..core.findings import FileReport
from ..core.limits import DEFAULT_LIMITS, Limits
from .checks import REPORT_CHECKS
from .draft import DraftError, Drafted, draft
from .text import SUFFIXES
from .units import Unit, group_units, load_units, summaries_of

__all__ = ["draft", "Drafted", "DraftError", "check_reports", "find_reports", "REPORT_CHECKS", "SUFFIXES",
           "Unit", "group_units", "load_units", "summaries_of"]


def find_reports(paths: Iterable[str | Path]) -> list[Path]:
    """Report files given, and every entry with a report suffix under folders given (recursively,
    sorted): a FIFO, a link or a folder named ``r.pdf`` is kept, to get an ``unreadable`` verdict, not
    silence. Word's ``~$`` lock files skipped."""
    from ..files.discovery import files_under

    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        candidates = (files_under(path, SUFFIXES) if path.is_dir()
                      else [path] if path.suffix.lower() in SUFFIXES else [])
        found += [p for p in candidates if not p.name.startswith("~$")]
    return list(dict.fromkeys(found))


def check_reports(reports: list[Path], units: Iterable[Unit] = (), jobs: int = 0,
                  limits: Limits = DEFAULT_LIMITS, skip: frozenset[str] = frozenset()) -> Iterator[FileReport]:
    """Each report checked against the tables of its 单位 among ``units`` (from the run's workers:
    :func:`~selfeval_xl.narrative.units.summaries_of`), one FileReport each, in input order; the report
    checks of ``skip`` (``check --skip``) are not run.

    Why in workers: a report is a stranger's file like a workbook (a zip bomb, a PDF that makes the
    parser loop or eat memory), so it is read in :func:`selfeval_xl.isolation.pool.isolated` under the same
    limits; a crash or a time-out is that report's ``check-failed`` finding and the run goes on. A
    path that is not a regular file within ``file_bytes`` is refused here, never opened."""
    from ..isolation.pool import isolated
    from ..read.guard import path_problem

    verdicts = {str(p): _lost(p, why, "unreadable") for p in reports if (why := path_problem(p, limits))}
    pending = [str(p) for p in reports if str(p) not in verdicts]
    task = partial(_check_in_worker, tuple(units), limits, skip)   # handed with each task, no global
    results = isolated(task, pending, jobs, limits, _lost)
    for path in map(str, reports):
        yield verdicts[path] if path in verdicts else next(results)


def _check_in_worker(units: tuple[Unit, ...], limits: Limits, skip: frozenset[str], path: str) -> FileReport:
    from .report import check_report

    return check_report(path, list(units), limits, skip)


def _lost(path: str | Path, reason: str, code: str = "check-failed") -> FileReport:
    """The verdict of a report that could not be checked: one finding saying why."""
    from ..batch.worker import failed

    what = "报告无法读取" if code == "unreadable" else "报告检查失败"
    report = failed(path, f"{what}：{reason}", code).report
    report.name, report.kind = Path(path).stem, "report"
    return report
