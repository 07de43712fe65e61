"""What the pages show, from what the store keeps: a sheet as an HTML-ready table with the findings'
cells marked, the findings in order, and a collection's state per 单位.

Presentation only: which cells are wrong was decided by the checks; this places their findings.
"""
from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Callable, Iterable

from .limits import WebLimits, cut
from .store import Submission, Unit

_REF = re.compile(r"^\$?([A-Z]{1,3})\$?(\d+)$")
MAX_MARKED_RANGE = 2000
KIND_NAMES = {"project": "项目支出", "department": "部门整体"}


def _cell(ref: str) -> tuple[int, int] | None:
    match = _REF.match(ref.strip().upper())
    if not match:
        return None
    col = 0
    for ch in match.group(1):
        col = col * 26 + ord(ch) - 64
    return int(match.group(2)) - 1, col - 1


def cells_of(ref: str) -> list[tuple[int, int]]:
    """``H14`` or ``H14:H20`` → the 0-based cells it covers (a huge range gives its first cell)."""
    first, _, last = ref.partition(":")
    a, b = _cell(first), _cell(last or first)
    if a is None or b is None:
        return []
    (r0, c0), (r1, c1) = a, b
    if (r1 - r0 + 1) * (c1 - c0 + 1) > MAX_MARKED_RANGE:
        return [a]
    return [(r, c) for r in range(min(r0, r1), max(r0, r1) + 1) for c in range(min(c0, c1), max(c0, c1) + 1)]


def column_letters(number: int) -> str:
    """1 → A, 28 → AB."""
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


@dataclass
class ShownCell:
    text: str
    ref: str
    rowspan: int = 1
    colspan: int = 1
    hidden: bool = False             # covered by a merged cell
    marks: list[int] = field(default_factory=list)    # numbers of the findings at this cell
    severity: str = ""               # error | warning (the worse of its findings)

    @property
    def title(self) -> str:
        return "、".join(f"#{n}" for n in self.marks)


def sheet_view(sheet: dict[str, Any], findings: list[dict[str, Any]]) -> list[list[ShownCell]]:
    """Rows of cells with merged ranges spanned and each finding's cell marked with its number."""
    rows = [[ShownCell(text, f"{column_letters(c + 1)}{r + 1}") for c, text in enumerate(line)]
            for r, line in enumerate(sheet["rows"])]
    for r0, c0, r1, c1 in sheet["merged"]:
        r1, c1 = min(r1, len(rows) - 1), min(c1, len(rows[0]) - 1 if rows else 0)
        for r in range(r0, r1 + 1):
            for c in range(c0, c1 + 1):
                rows[r][c].hidden = (r, c) != (r0, c0)
        rows[r0][c0].rowspan, rows[r0][c0].colspan = r1 - r0 + 1, c1 - c0 + 1
    for number, f in enumerate(findings, start=1):
        if f["sheet"] != sheet["sheet"] or not f["cell"]:
            continue
        for r, c in cells_of(f["cell"]):
            if r < len(rows) and c < len(rows[r]):
                target = rows[r][c]
                target.marks.append(number)
                if target.severity != "error":
                    target.severity = f["severity"]
    return rows


@dataclass
class UnitState:
    """One 单位 on the bureau's dashboard: its latest version of each table, and the earlier ones."""

    unit: Unit
    latest: list[Submission]
    earlier: int

    @property
    def state(self) -> str:
        if not self.latest:
            return "未提交"
        return "有错误" if any(s.result["report"]["errors"] for s in self.latest) else "无错误"

    @property
    def errors(self) -> int:
        return sum(s.result["report"]["errors"] for s in self.latest)

    @property
    def warnings(self) -> int:
        return sum(s.result["report"]["warnings"] for s in self.latest)


def latest_versions(submissions: Iterable[Submission]) -> tuple[list[Submission], int]:
    """The newest submission of each table (in first-submitted order) and how many earlier ones there are."""
    newest: dict[str, Submission] = {}
    count = 0
    for s in submissions:           # oldest first: a later one replaces an earlier one of its table
        newest[s.table_key] = s
        count += 1
    return list(newest.values()), count - len(newest)


def counts(states: list[UnitState]) -> dict[str, int]:
    """The dashboard's headline: 单位 expected, submitted, not yet, with errors, clean."""
    return {"expected": len(states), "submitted": sum(s.state != "未提交" for s in states),
            "missing": sum(s.state == "未提交" for s in states),
            "errors": sum(s.state == "有错误" for s in states), "clean": sum(s.state == "无错误" for s in states),
            "tables": sum(len(s.latest) for s in states)}


def round_counts(statuses: Iterable[Any]) -> dict[str, int]:
    """How many 单位 stand at each status of the round (:mod:`.round`), and how many are overdue."""
    from .round import STATUSES

    found = list(statuses)
    return {**{name: sum(s.status == name for s in found) for name in STATUSES},
            "逾期": sum(s.overdue for s in found)}


@lru_cache(maxsize=1)
def system_titles() -> dict[str, str]:
    """Each packaged indicator system's Chinese title by its name (``national-project`` → 项目支出绩效自评（财预〔2020〕10号）)."""
    from ..core.system import available_systems, load_system

    return {name: load_system(name).title or name for name in available_systems()}


@dataclass
class FileVerdict:
    """One file of a 单位 as the bureau's report.xlsx counts it."""

    sub: Submission
    errors: int
    warnings: int


@dataclass
class Verdict:
    """A 单位's latest files checked together, as the bureau sees them: each file's counts, and the
    findings the check across the files added (a 部门整体 table against its projects …), kept as a
    stored result is (:func:`.limits.compact`: texts cut, at most ``findings`` of them and
    ``result_bytes`` in all; ``across_total`` counts them all)."""

    files: list[FileVerdict]
    across: list[dict[str, Any]]
    across_total: int = 0

    @property
    def errors(self) -> int:
        return sum(f.errors for f in self.files)

    @property
    def warnings(self) -> int:
        return sum(f.warnings for f in self.files)


_VERDICTS: dict[tuple, Verdict] = {}
VERDICTS_KEPT = 256


def _finding_key(f: dict[str, Any]) -> tuple:
    return f["code"], f["sheet"], f["cell"], f["message"]


def _cut(f: dict[str, Any], chars: int) -> dict[str, Any]:
    return {k: cut(v, chars) for k, v in f.items()}


def _added(stored: dict[str, Any], joint: list[dict[str, Any]], chars: int) -> list[dict[str, Any]]:
    """The findings of a file's joint check that its stored report (compacted) does not hold: those the
    check across the files added. A stored report keeps its findings' texts cut and at most so many of
    them, its counts whole; the file's own findings past those kept come first in the joint run (the
    cross-file ones are appended), so that many unmatched ones are its own, not added."""
    mine = Counter(_finding_key(_cut(f, chars)) for f in stored["findings"])    # (an older store: whole)
    unkept = stored["errors"] + stored["warnings"] - len(stored["findings"])
    added = []
    for f in joint:
        key = _finding_key(f)
        if mine[key]:
            mine[key] -= 1
        elif unkept > 0:
            unkept -= 1
        else:
            added.append(f)
    return added


def verdict(latest_reports: Callable[[list[Submission], str | None], list[Any]], latest: list[Submission],
            system: str | None, limits: WebLimits = WebLimits()) -> Verdict:
    """The joint verdict of these submissions (``latest_reports`` runs the check over them together),
    kept while they and their stored results are the same: a page view does not re-run it."""
    key = (system, *((s.token, json_key(s.result["report"])) for s in latest))
    if key not in _VERDICTS:
        by_name: dict[str, list[Submission]] = {}
        for s in latest:
            by_name.setdefault(s.filename, []).append(s)
        files, across = [], []
        for report in latest_reports(latest, system):
            if not by_name.get(report.path):
                continue
            sub = by_name[report.path].pop(0)
            joint = [_cut(f.to_dict(), limits.text_chars) for f in report.findings]
            across += [f | {"file": sub.filename} for f in _added(sub.result["report"], joint, limits.text_chars)]
            files.append(FileVerdict(sub, report.errors, report.warnings))
        if len(_VERDICTS) >= VERDICTS_KEPT:
            _VERDICTS.clear()
        _VERDICTS[key] = Verdict(files, _within(across, limits), len(across))
    return _VERDICTS[key]


def _within(findings: list[dict[str, Any]], limits: WebLimits) -> list[dict[str, Any]]:
    """At most ``limits.findings`` of them, and no more than ``limits.result_bytes`` as JSON: a verdict
    kept in memory (and drawn on a page) costs no more than one stored result."""
    kept = findings[:limits.findings]
    while kept and len(json.dumps(kept, ensure_ascii=False).encode("utf-8")) > limits.result_bytes:
        kept = kept[:len(kept) // 2]
    return kept


def json_key(report: dict[str, Any]) -> tuple:
    """What identifies a stored verdict for :func:`verdict`'s memory: its counts and findings' places."""
    return report["errors"], report["warnings"], tuple(_finding_key(f) for f in report["findings"])


def shown_pair(f: dict[str, Any]) -> tuple[str | None, str | None]:
    """A stored finding's 应为 and 实为 as report.xlsx shows them (98%, 100.00%, 0.86)."""
    from ..report.shown import shown_texts
    from .processing import finding_from_dict

    return shown_texts(finding_from_dict(f))
