"""The tables of each 单位, read and checked once: what the drafter writes from and the checker compares with.

One 单位 goes by several names in its own papers (``广州市档案发展中心`` in its project tables,
``广州市档案发展中心（广州市音像资料馆）`` in its 部门整体 table): a name and the same name followed by a
bracketed alias are taken as one 单位, and :attr:`Unit.names` says which names were.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from ..core.findings import Finding
from ..core.layout import normalize_label
from ..core.limits import DEFAULT_LIMITS, Limits
from ..core.model import Table
from ..core.system import IndicatorSystem
from .summary import Summary, summarise

_ALIAS = re.compile(r"（[^（）]*）$")


def unit_key(name: str) -> str:
    """The name a 单位 is grouped under: spaces and a trailing bracketed alias dropped."""
    key = normalize_label(name)
    while _ALIAS.search(key) and len(_ALIAS.sub("", key)) >= 2:
        key = _ALIAS.sub("", key)
    return key


@dataclass
class Unit:
    key: str
    names: list[str] = field(default_factory=list)       # every name its tables gave, first seen first
    department: Summary | None = None
    projects: list[Summary] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)   # of its tables (drafting from a wrong table)
    files: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        """The name to write: the 部门整体 table's, else the shortest given."""
        if self.department is not None and self.department.unit:
            return normalize_label(self.department.unit)
        return min(self.names, key=len) if self.names else self.key

    @property
    def year(self) -> int | None:
        years = [s.year for s in self.summaries if s.year]
        return years[0] if years else None

    @property
    def summaries(self) -> list[Summary]:
        return ([self.department] if self.department else []) + self.projects

    @property
    def several_names(self) -> bool:
        return len(self.names) > 1


def summaries_of(path: str, tables: Iterable[Table], given: IndicatorSystem | None = None) -> list[Summary]:
    """What the narrative needs of one workbook: each table of a named 单位, summarised. The ``facts``
    hook of :func:`selfeval_xl.batch.worker.check_files`: it runs in the worker that reads and checks the
    workbook, so the workbook is read once and only these small summaries come back."""
    from ..checks import system_for
    from ..core.recompute import recompute

    out = []
    for table in tables:
        if table.unit:
            system = system_for(table, given)
            out.append(summarise(table, recompute(table, system), system, path))
    return out


def group_units(files: Iterable[tuple[str, list[Summary], list[Finding]]]) -> tuple[list[Unit], list[Finding]]:
    """Each workbook's (path, summaries, findings) grouped by 单位. Returns the units (in the order first
    met) and the findings of files no 单位 could be taken from (unreadable, no table)."""
    units: dict[str, Unit] = {}
    orphans: list[Finding] = []
    for path, summaries, findings in files:
        owners: list[Unit] = []
        for summary in summaries:
            unit = units.setdefault(unit_key(summary.unit), Unit(unit_key(summary.unit)))
            name = normalize_label(summary.unit)
            if name not in unit.names:
                unit.names.append(name)
            if summary.kind == "department" and unit.department is None:
                unit.department = summary
            elif summary.kind == "project":
                unit.projects.append(summary)
            owners.append(unit)
        if not owners:
            orphans += findings
            continue
        for unit in {id(u): u for u in owners}.values():
            unit.findings += findings
            unit.files.append(path)
    return list(units.values()), orphans


def load_units(paths: Iterable[str | Path], system_ref: str | None = None, jobs: int = 0,
               limits: Limits = DEFAULT_LIMITS) -> tuple[list[Unit], list[Finding]]:
    """Read and check each workbook in the batch's isolated workers (cross-file findings included), and
    group its tables by 单位 (see :func:`group_units`)."""
    from ..batch.holdback import run

    results = []
    run([Path(p) for p in paths], system_ref, jobs, on_result=results.append, limits=limits, facts=summaries_of)
    return group_units((r.report.path, r.facts, r.report.findings) for r in results)
