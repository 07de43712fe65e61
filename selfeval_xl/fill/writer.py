"""Write one table's data into a copy of the template built for it (:class:`.package.TemplatePackage`),
addressing every cell through its TemplateMap.

The template (``template.build_template``) plans a fixed number of indicator rows per 一级指标; the
rows of a 一级 group are used top to bottom whatever their 二级 (the 二级 cells are re-merged per run),
unused rows are cleared. Indicators that do not fit are returned by :func:`overflow` so fill reports
them instead of writing a table that lacks them. Every value comes from a data table a user or a
unit sent: it is written through :mod:`selfeval_xl.core.sanitize` (``=1+1`` in a 预期目标 is text in the workbook, not a
formula; :meth:`.package.FilledBook.put`).
"""
from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable

from ..core.rules import Direction
from ..core.system import IndicatorSystem
from ..template.plan import TemplateMap
from .data import IndicatorData, ProjectData, UnitData
from .package import FilledBook, TemplatePackage

if TYPE_CHECKING:
    from ..core.model import WorkbookData

PERCENT = "%"


def _ordered(indicators: Iterable[IndicatorData], system: IndicatorSystem) -> dict[str, list[IndicatorData]]:
    """Indicators by 一级, each group in the system's 二级 order (the data's order within a 二级)."""
    groups: dict[str, list[IndicatorData]] = {}
    for ind in indicators:
        groups.setdefault(ind.level1, []).append(ind)
    for level1, group in groups.items():
        level = system.level(level1)
        order = [c.name for c in level.children] if level is not None else []
        group.sort(key=lambda i: order.index(i.level2) if i.level2 in order else len(order))
    return groups


def overflow(indicators: list[IndicatorData], plan: TemplateMap, system: IndicatorSystem) -> list[IndicatorData]:
    """The indicators that do not fit the template's rows (per 一级, and the 加减分 rows)."""
    extra: list[IndicatorData] = []
    for level1, group in _ordered(indicators, system).items():
        capacity = len(plan.bonus_rows) if _is_bonus(level1, system) else len(plan.level1_rows.get(level1, ()))
        extra += group[capacity:]
    return extra


def _is_bonus(level1: str, system: IndicatorSystem) -> bool:
    level = system.level(level1)
    return level is not None and level.bonus


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _percent_format(*values: Any) -> str:
    """``0%`` for whole percentages, ``0.00%`` otherwise (99.76% must not show as 100%)."""
    whole = all(v is None or isinstance(v, str) or float(v) * 100 == round(float(v) * 100) for v in values)
    return "0%" if whole else "0.00%"


class _Filler:
    def __init__(self, template: TemplatePackage, system: IndicatorSystem):
        self.book, self.plan, self.system = FilledBook(template), template.plan, system
        self.put = self.book.put

    def indicators(self, indicators: list[IndicatorData]) -> None:
        plan, cols = self.plan, self.plan.columns
        groups = _ordered(indicators, self.system)
        for level1, rows in plan.level1_rows.items():
            group = groups.get(level1, [])
            self.book.unmerge(cols["level2"], rows)
            for i, row in enumerate(rows):
                self.indicator_row(row, group[i] if i < len(group) else None)
            self.merge_runs(rows, [ind.level2 for ind in group])
        bonus = [i for level1, g in groups.items() if _is_bonus(level1, self.system) for i in g]
        for row, ind in zip(plan.bonus_rows, bonus):
            self.put(plan.cell(row, "score"), _number(ind.score), "0.00")
            for key, value in (("level3", ind.level3), ("reason", ind.reason), ("criteria", ind.criteria)):
                if key in cols:
                    self.put(plan.cell(row, key), value or None)

    def indicator_row(self, row: int, ind: IndicatorData | None) -> None:
        cols, cell = self.plan.columns, self.plan.cell
        for key in cols:
            if key not in ("level1", "score"):
                self.put(cell(row, key), None)
        if ind is None:
            return
        percent = ind.unit == PERCENT and ind.direction is not Direction.QUAL
        scale = (lambda v: v / 100 if isinstance(v, (int, float)) else v) if percent else (lambda v: v)
        values = {"level2": ind.level2, "level3": ind.level3, "direction": ind.direction.value,
                  "unit": ind.unit or None, "target": scale(ind.target), "target_high": scale(ind.target_high),
                  "actual": scale(ind.actual), "weight": _number(ind.weight), "reason": ind.reason or None,
                  "criteria": ind.criteria or None}
        if "unit" not in cols and ind.unit and ind.unit != PERCENT:
            values["level3"] = f"{ind.level3}（{ind.unit}）"
        fmt = _percent_format(values["target"], values["target_high"], values["actual"]) if percent else None
        for key, value in values.items():
            if key in cols:
                self.put(cell(row, key), value, fmt if key in ("target", "target_high", "actual") else None)

    def merge_runs(self, rows: tuple[int, ...], level2s: list[str]) -> None:
        """Merge the 二级 cells of consecutive rows with the same 二级 (as the official form shows)."""
        col = self.plan.columns["level2"]
        start = 0
        for i in range(1, len(level2s) + 1):
            if i == len(level2s) or level2s[i] != level2s[start]:
                if i - start > 1:
                    self.book.merge(f"{col}{rows[start]}:{col}{rows[i - 1]}")
                start = i


def project_workbook(project: ProjectData, system: IndicatorSystem, template: TemplatePackage) -> FilledBook:
    """A 项目支出绩效自评表 holding one project's data (``template``: the system's project template)."""
    f = _Filler(template, system)
    plan = f.plan
    for key, value in (("project_name", project.name), ("department", project.department),
                       ("implementer", project.implementer)):
        if key in plan.fields:                 # a province's form may lack one (its layout says)
            f.put(plan.fields[key], value)
    for key, value in (("expected", project.goal_expected), ("achieved", project.goal_achieved)):
        if key in plan.goal:
            f.put(plan.goal[key], value or None)
    funds = {("total", "initial"): project.initial, ("total", "budget"): project.budget,
             ("total", "spent"): project.spent, ("current", "budget"): project.current,
             ("carryover", "budget"): project.carryover, ("other", "budget"): project.other}
    for ref_key, value in funds.items():
        if ref_key in plan.funds:
            f.put(plan.funds[ref_key], _number(value))
    f.indicators(project.indicators)
    return f.book


def department_workbook(unit: UnitData, system: IndicatorSystem, template: TemplatePackage) -> FilledBook:
    """A 部门整体支出绩效自评表 holding one 单位's data (``template``: the system's department template)."""
    f = _Filler(template, system)
    plan = f.plan
    if "unit_name" in plan.fields:
        f.put(plan.fields["unit_name"], unit.unit)
    funds = {("basic", "budget"): unit.basic_budget, ("basic", "spent"): unit.basic_spent,
             ("project", "budget"): unit.project_budget, ("project", "spent"): unit.project_spent,
             ("total", "budget"): unit.basic_budget + unit.project_budget,
             ("total", "spent"): unit.basic_spent + unit.project_spent}
    for ref_key, value in funds.items():
        if ref_key in plan.funds:              # the rows and columns of this form's funds block
            f.put(plan.funds[ref_key], _number(value))
    f.indicators(unit.indicators)
    return f.book


def computed(data: "WorkbookData", system: IndicatorSystem) -> dict[str, dict[str, Any]]:
    """What every formula of the tables read in ``data`` computes (sheet → cell ref → value), by the engine.

    ``from_stated``: a sum over what the cells state, as the formula computes it (a typed score
    included), which is the full recomputation where nothing was typed over a formula.
    """
    from ..core.recompute import number, recompute

    result: dict[str, dict[str, Any]] = {}
    for table in data.tables:
        values = {(e.cell.sheet, e.cell.ref): e.value if e.from_stated is None else e.from_stated
                  for e in recompute(table, system).cells.values() if e.cell.formula}
        for row in table.rows("subtotal"):        # =SUM(分值) of the level's rows: plain arithmetic
            weight = row.get("weight")
            if weight is not None:
                parts = [number(r.get("weight")) for r in table.rows() if r.level1 == row.level1]
                values[weight.sheet, weight.ref] = sum((p for p in parts if p is not None), Decimal(0))
        for (sheet, ref), value in values.items():
            if value is not None:
                result.setdefault(sheet, {})[ref] = value
    return result


def store_computed(path: str | Path, system: IndicatorSystem) -> int:
    """Record what every formula computes as its cached value, computed with the engine.

    Why: openpyxl saves formulas without values; a values-only reader (the checker without
    LibreOffice, Excel's preview, a bureau's own tools) would see blank scores. Also after a planted
    edit (demo): the sums then include what was typed, as a spreadsheet would show. Returns the count.
    """
    from ..book.cached import from_python, write_cached
    from ..core.limits import DEFAULT_LIMITS
    from ..read import read_workbook

    # the formulas' stored results are what this computes: the reader leaves them blank (formula_cells=0)
    # instead of computing them first with `formulas` (1–10 s a workbook, for values thrown away)
    data = read_workbook(path, limits=replace(DEFAULT_LIMITS, formula_cells=0))
    cached = {sheet: {ref: from_python(value) for ref, value in values.items()}
              for sheet, values in computed(data, system).items()}
    write_cached(path, cached)
    return sum(len(v) for v in cached.values())
