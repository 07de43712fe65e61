"""The list of 单位 a collection expects: typed one per line, or the first column of a spreadsheet.

A spreadsheet the bureau imports is read like any other file, in a child process with limits.
"""
from __future__ import annotations

import re
from pathlib import Path

from .isolated import StepFailed, run_isolated

MAX_UNITS = 2000
HEADER_WORDS = {"单位", "单位名称", "部门", "部门名称", "预算单位", "序号"}
_SPLIT = re.compile(r"[\r\n,，;；、\t]+")


def _clean(names) -> list[str]:
    seen = []
    for raw in names:
        name = re.sub(r"[\x00-\x1f\x7f]", "", str(raw or "")).strip()[:100]
        if name and name not in HEADER_WORDS and name not in seen:
            seen.append(name)
    return seen[:MAX_UNITS]


def from_text(text: str) -> list[str]:
    """One 单位 per line (commas, 顿号 and semicolons also separate)."""
    return _clean(_SPLIT.split(text))


def first_column(path: str) -> list[str]:
    """The first non-blank text of each row of the first sheet (.xlsx/.xlsm/.xls, or .csv text)."""
    if path.lower().endswith(".bin"):          # anything else: read as UTF-8 text, one name per line
        return Path(path).read_bytes()[:1 << 20].decode("utf-8-sig", "replace").splitlines()[:MAX_UNITS]
    from python_calamine import CalamineWorkbook

    sheet = CalamineWorkbook.from_path(path).get_sheet_by_index(0)
    names = []
    for row in sheet.iter_rows():
        names.append(next((str(v) for v in row if str(v).strip()), ""))
        if len(names) >= MAX_UNITS:
            break
    return names


def from_file(path: Path, scratch: Path) -> list[str]:
    """The 单位 in a spreadsheet the bureau gave (nothing when it cannot be read)."""
    try:
        return _clean(run_isolated(first_column, str(path), scratch=scratch, time_limit=60))
    except StepFailed:
        return []
