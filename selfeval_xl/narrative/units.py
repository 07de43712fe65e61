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

from ..findings import Finding
from ..layout import normalize_label
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


def load_units(paths: Iterable[str | Path], system_ref: str | None = None) -> tuple[list[Unit], list[Finding]]:
    """Read and check each workbook; group its tables by 单位. Returns the units (in the order first met)
    and the findings of files no 单位 could be taken from (unreadable, no table)."""
    from ..checks import check_unit, check_workbook, figures_of, system_for
    from ..read import read_workbook
    from ..recompute import recompute
    from ..system import load_system

    given = load_system(system_ref) if system_ref else None
    units: dict[str, Unit] = {}
    orphans: list[Finding] = []
    figures = []
    for path in map(str, paths):
        data = read_workbook(path)
        report = check_workbook(data, given)
        figures += figures_of(path, data.tables)
        owners: list[Unit] = []
        for table in data.tables:
            if not table.unit:
                continue
            system = system_for(table, given)
            summary = summarise(table, recompute(table, system), system, path)
            unit = units.setdefault(unit_key(table.unit), Unit(unit_key(table.unit)))
            name = normalize_label(table.unit)
            if name not in unit.names:
                unit.names.append(name)
            if table.kind == "department" and unit.department is None:
                unit.department = summary
            elif table.kind == "project":
                unit.projects.append(summary)
            owners.append(unit)
        if not owners:
            orphans += report.findings
            continue
        for unit in {id(u): u for u in owners}.values():
            unit.findings += report.findings
            unit.files.append(path)
    for cross in check_unit(figures):
        for unit in units.values():
            if cross.file in unit.files:
                unit.findings.append(cross)
    return list(units.values()), orphans
