"""The same figure stated twice must agree: within a 部门整体 table, and across the files of one 单位."""
from __future__ import annotations

import os
from dataclasses import dataclass
from decimal import Decimal
from typing import Iterable, Iterator

from ..core.findings import Finding, finding
from ..core.layout import normalize_label
from ..core.model import Table
from ..core.parse import parse_number
from ..core.recompute import number, rate_number
from .base import Context, check, percent, raised, show

_TO_WAN = {"万元": Decimal(1), "元": Decimal("0.0001")}

DUPLICATE_SUBMISSION = raised("duplicate-submission", "warning", "同一单位的同一项目（或部门整体表）提交了两次", __name__)
"""Raised by :func:`check_unit` over the files of one 单位, not by a table check."""


@check("figure-inconsistent", "warning", "同一数字在两处不一致")
def figure_inconsistent(ctx: Context) -> Iterator[Finding]:
    """The same figure given differently in two places. Within a 部门整体 table: the 实际完成值 of the
    indicator the system marks ``restates: funds_rate`` (预算完成率) against the 资金情况 block's
    支出决算数 / 支出预算数. Across the files of one
    单位 (see :func:`check_unit`): the 项目支出 budget against the sum of the project tables.

    Bad: 资金情况 gives 支出预算 1132.01 and 决算 1011.98 (89.40%) while the indicator reads ``99.76%``
    (that is 1011.98 / 1014.4). Fix: one 支出预算数 everywhere.
    """
    rate = ctx.re.exec_rate
    names = ctx.system.restating("funds_rate")   # the indicators that restate the block's rate
    if ctx.table.kind != "department" or rate is None or not names:
        return
    for out in ctx.re.rows:
        if not any(name in normalize_label(out.row.level3) for name in names):
            continue
        stated = rate_number(out.row.get("actual"), rate)
        if stated is None:
            continue
        if abs(stated - parse_number(rate)) >= Decimal("0.0001"):
            yield ctx.find("figure-inconsistent", out.row.get("actual"),
                           f"预算完成率指标的实际完成值 {percent(stated)} 与资金情况表的 {percent(rate)}"
                           f"（支出决算数 / 支出预算数）不一致", percent(rate), out.row.value("actual"))


@dataclass(frozen=True)
class TableFigures:
    """The figures of one table that another file of the same 单位 may state too (amounts in 万元)."""

    file: str
    kind: str
    unit: str
    sheet: str
    name: str = ""
    budget: Decimal | None = None             # project: 年度资金总额 全年预算数
    project_budget: Decimal | None = None     # department: 项目支出 支出预算数
    project_budget_cell: str = ""

    @property
    def key(self) -> tuple[str, ...] | None:
        """What one submission is: a 单位's project (by name), or a 单位's 部门整体 table."""
        if not self.unit:
            return None
        if self.kind == "department":
            return (self.kind, self.unit)
        name = normalize_label(self.name)
        return (self.kind, self.unit, name) if name else None


def figures_of(path: str, tables: Iterable[Table]) -> list[TableFigures]:
    out = []
    for t in tables:
        scale = _TO_WAN.get(t.amount_unit, Decimal(1))
        total = t.funds.get("total")
        project = t.funds.get("project")
        budget = number(total.get("budget")) if total else None
        pb_cell = project.get("budget") if project and t.kind == "department" else None
        pb = number(pb_cell)
        out.append(TableFigures(path, t.kind, normalize_label(t.unit), t.sheet, t.name,
                                budget * scale if budget is not None else None,
                                pb * scale if pb is not None else None, pb_cell.ref if pb_cell else ""))
    return out


class UnitFigures:
    """A running sum per 单位 of its project tables' 全年预算数, and its 部门整体 tables' figures: fed
    file by file (:meth:`add`), compared once all are in (:meth:`findings`). A table already given by
    another file (same 单位, same project) counts once: the first file's."""

    def __init__(self) -> None:
        self.projects: dict[str, tuple[Decimal, int]] = {}
        self.departments: list[TableFigures] = []
        self.first: dict[tuple[str, ...], TableFigures] = {}

    def add(self, figures: Iterable[TableFigures]) -> list[Finding]:
        """Add one file's figures; a ``duplicate-submission`` warning (on this file) for each table an
        earlier file already gave, which is left out of the sums."""
        duplicates = []
        for f in figures:
            first = self.first.setdefault(f.key, f) if f.key else f
            if first.file != f.file:
                duplicates.append(_duplicate(first, f))
                continue
            if f.kind == "project" and f.unit and f.budget is not None:
                total, count = self.projects.get(f.unit, (Decimal(0), 0))
                self.projects[f.unit] = (total + f.budget, count + 1)
            elif f.kind == "department" and f.unit and f.project_budget is not None:
                self.departments.append(f)
        return duplicates

    def findings(self) -> list[Finding]:
        """Each 部门整体 table's 项目支出 budget against the sum of its 单位's project tables (a warning:
        a 单位 may not send every project)."""
        found = []
        for dept in self.departments:
            if dept.unit not in self.projects:
                continue
            total, count = self.projects[dept.unit]
            if abs(dept.project_budget - total) > Decimal("0.005"):
                found.append(finding("figure-inconsistent",
                                     f"部门整体表的项目支出预算 {show(dept.project_budget)} 万元，与本单位 {count} "
                                     f"个项目表的全年预算数合计 {show(total)} 万元不一致",
                                     file=dept.file, sheet=dept.sheet, cell=dept.project_budget_cell,
                                     expected=total, found=dept.project_budget))
        return found


def _duplicate(first: TableFigures, again: TableFigures) -> Finding:
    what = f"项目“{again.name}”" if again.kind == "project" else "部门整体支出绩效自评表"
    return finding("duplicate-submission",
                   f"重复提交：单位“{again.unit}”的{what}在“{os.path.basename(first.file)}”和"
                   f"“{os.path.basename(again.file)}”中各有一份（如再次填写生成的“（2）”副本或“最终版”）；"
                   f"跨文件合计只计“{os.path.basename(first.file)}”，请删去多余的一份",
                   file=again.file, sheet=again.sheet)


def check_unit(figures: Iterable[TableFigures]) -> list[Finding]:
    """:meth:`UnitFigures.add` and :meth:`UnitFigures.findings` over figures already at hand."""
    units = UnitFigures()
    duplicates = units.add(figures)
    return duplicates + units.findings()
