"""``selfeval fill``: from a data table to one filled 自评表 workbook per project and per 单位.

:func:`fill` reads DATA (layout in :mod:`selfeval_xl.core.data_tables`), reports wrong rows with their Excel row numbers,
writes every workbook whose rows are right into a copy of the official template (built once per
kind: :mod:`.package`), and records what each formula computes (engine values) so the workbooks read
correctly even where no spreadsheet has recalculated them.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from ..core.layout import Layout
from ..core.system import DEFAULT_SYSTEMS, IndicatorSystem, load_system
from .data import DataError, FillData, RowProblem, read_data
from .names import NamePicker

__all__ = ["fill", "FillResult", "Written", "RowProblem", "DataError", "load_systems", "DEPARTMENT_SUFFIX"]

DEPARTMENT_SUFFIX = "部门整体支出绩效自评表"


@dataclass(frozen=True)
class Written:
    path: Path
    kind: str              # "project" or "department"
    unit: str
    name: str              # 项目名称, or the 单位 for a department table
    renamed: bool = False  # a file of the plain name existed already


@dataclass
class FillResult:
    source: str
    written: list[Written] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def load_systems(names: Iterable[str] = (), layouts: dict[str, Layout] | None = None
                 ) -> dict[str, IndicatorSystem]:
    """The project and department systems: each given name or file goes to its own kind; a kind given
    none takes its form's own system (``layouts``: a province's layout by kind), else the default."""
    systems: dict[str, IndicatorSystem] = {}
    for name in names:
        system = load_system(name)
        systems[system.kind] = system
    for kind, layout in (layouts or {}).items():
        if layout.system and kind not in systems:
            systems[kind] = load_system(layout.system, kind)
    for kind in DEFAULT_SYSTEMS:
        systems.setdefault(kind, load_system(None, kind))
    return systems


def _overflows(data: FillData, systems: dict[str, IndicatorSystem], layouts: dict[str, Layout]) -> None:
    """Tables with more indicators than the template has rows are reported, not written short."""
    from ..template.plan import template_map
    from .writer import overflow

    shown = {"project": "指标", "department": "部门指标"}
    for kind, owners in (("project", data.projects), ("department", data.units)):
        plan = template_map(kind, systems[kind], layouts.get(kind))
        for owner in list(owners):
            extra = overflow(owner.indicators, plan, systems[kind])
            if not extra:
                continue
            owners.remove(owner)
            rows = "、".join(str(i.row) for i in extra)
            capacity = "、".join(f"{lv} {len(r)} 行" for lv, r in plan.level1_rows.items())
            bonus = systems[kind].bonus_level
            if bonus is not None:
                capacity += f"、{bonus.name} {len(plan.bonus_rows)} 行"
            data.problems.append(RowProblem(
                shown[kind], extra[0].row,
                f"{extra[0].level1}的指标超过模板行数（模板可填：{capacity}），第{rows}行放不下，该表未生成"))


def fill(data_path: str | Path, outdir: str | Path, systems: dict[str, IndicatorSystem] | None = None,
         formulas: str = "native", year: int | None = None, overwrite: bool = False,
         progress: Callable[[Written], None] | None = None,
         layouts: dict[str, Layout] | None = None) -> FillResult:
    """Fill the templates from DATA into ``outdir``. Raises :class:`DataError` if DATA is unreadable.
    ``layouts``: a kind's own form (a province's layout) instead of its base layout."""
    from ..files.outputs import replacing, same_file
    from .package import TemplatePackage
    from .writer import computed, department_workbook, project_workbook

    systems = systems or load_systems()
    layouts = layouts or {}
    data = read_data(data_path, systems["project"], systems["department"])
    _overflows(data, systems, layouts)
    result = FillResult(str(data_path), problems=data.problems, notes=data.notes)
    out = Path(outdir)
    out.mkdir(parents=True, exist_ok=True)
    names = NamePicker(out, overwrite)
    templates: dict[str, TemplatePackage] = {}
    jobs = [("project", p.unit, p.name, f"{p.unit}-{p.name}", p) for p in data.projects]
    jobs += [("department", u.unit, u.unit, f"{u.unit}-{DEPARTMENT_SUFFIX}", u) for u in data.units]
    for kind, unit, name, stem, record in jobs:
        make = project_workbook if kind == "project" else department_workbook
        path = names.pick(stem)
        while same_file(path, data_path):             # --force never writes over the data table
            path = names.pick(stem)
        renamed = names.existed(stem)
        if kind not in templates:
            templates[kind] = TemplatePackage.build(kind, systems[kind], formulas, year, layouts.get(kind))
        book = make(record, systems[kind], templates[kind])
        book.store_results(computed(book.read(), systems[kind]).get(templates[kind].plan.sheet, {}))
        with replacing(path) as temporary:             # whole or not at all
            book.save(temporary)
        written = Written(path, kind, unit, name, renamed)
        result.written.append(written)
        if renamed:
            result.notes.append(f"{names.plain(stem)} 已存在，未覆盖，另存为 {path.name}")
        if progress:
            progress(written)
    return result
