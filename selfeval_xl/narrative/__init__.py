"""The 绩效自评报告 beside the tables: drafted from them, and checked against them.

- :func:`draft` — workbooks → one .docx report per 单位 (every figure from its checked tables).
- :func:`check_reports` — report files (.docx / .pdf / .txt) → one FileReport each, checked internally
  and against the tables of the same 单位 given in the same run.
- :func:`find_reports` — the report files under the paths given.
"""
from __future__ import annotations

from pathlib import Path
from typing import Iterable, Iterator

from ..findings import FileReport
from .checks import NARRATIVE_CHECKS
from .draft import DraftError, Drafted, draft
from .text import SUFFIXES

__all__ = ["draft", "Drafted", "DraftError", "check_reports", "find_reports", "NARRATIVE_CHECKS", "SUFFIXES"]


def find_reports(paths: Iterable[str | Path]) -> list[Path]:
    """Report files given, and those under folders given (recursively, sorted); Word's ``~$`` lock files
    skipped."""
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        candidates = (sorted(p for p in path.rglob("*") if p.suffix.lower() in SUFFIXES and p.is_file())
                      if path.is_dir() else [path] if path.suffix.lower() in SUFFIXES else [])
        found += [p for p in candidates if not p.name.startswith("~$")]
    return list(dict.fromkeys(found))


def check_reports(reports: list[Path], workbooks: list[Path], system_ref: str | None = None) -> Iterator[FileReport]:
    """Each report checked, against the tables of its 单位 among ``workbooks`` (read here, only when
    there are reports to check)."""
    from .report import check_report
    from .units import load_units

    if not reports:
        return
    units = load_units(workbooks, system_ref)[0] if workbooks else []
    for path in reports:
        yield check_report(path, units)
