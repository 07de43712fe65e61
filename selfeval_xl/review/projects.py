"""The project tables a review draws from, read and checked once in the batch's isolated workers.

Why a small picklable copy (:class:`Project`): the tables are strangers' files, read under limits in a
worker (:func:`selfeval_xl.batch.holdback.run`); the worker that checks a workbook also returns what the review
needs of it (:func:`projects_of`, the ``facts`` hook), so a workbook is read once. Values are as the
rules read them (a ``≥98%`` target is 0.98, ``1.5万人次`` aligned with ``46845人次``), which is what the
复核底稿's formulas compute with; a row the rules cannot read for certain is left to the reviewer.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Iterable

from ..core.limits import DEFAULT_LIMITS, Limits
from ..core.model import Cell, IndicatorRow, Table
from ..core.rules import Band, Direction, Settings

EXEC_LEVEL, EXEC_NAME = "预算执行", "预算执行率"
BONUS_LEVEL = "加减分"
BONUS_NOTE = "加减分项：按佐证材料核定后，在复核得分中填写（可为负数），并写明意见"
KINDS = ("project", "department")
KIND_NAMES = {"project": "项目支出", "department": "部门整体支出"}


@dataclass
class SourceRow:
    """One indicator of a 自评表 as the 底稿 copies it. ``reviewable``: the rule scores it from these
    values (else ``note`` says why the reviewer scores it by hand)."""

    level1: str
    level2: str
    name: str
    direction: str
    target: Any
    high: Any
    unit: str
    weight: float | None
    actual: Any
    self_score: float | None
    percent: bool = False
    reviewable: bool = True
    note: str = ""
    bands: tuple[Band, ...] = ()


@dataclass
class Project:
    """A table to review — a project's, or a 部门整体 one (``kind``): who, how much, how it scored
    itself, and its indicators (预算执行 first where it is scored; a 部门整体 table's 加减分 rows last,
    scored by the reviewer by hand)."""

    path: str
    unit: str
    name: str
    department: str
    year: int | None
    system: str
    settings: Settings
    budget: float | None
    spent: float | None
    stated_total: float | None
    recomputed_total: float | None
    grade: str
    rows: list[SourceRow] = field(default_factory=list)
    errors: int = 0
    warnings: int = 0
    digest: str = ""
    kind: str = "project"

    @property
    def key(self) -> str:
        """How a project is named on a command line (``--key``) and in the draw: ``单位/项目``."""
        return f"{self.unit}/{self.name}"

    @property
    def indicators(self) -> list[SourceRow]:
        return [r for r in self.rows if r.level1 != EXEC_LEVEL]


def _float(value: Decimal | float | None) -> float | None:
    return None if value is None else float(value)


def _percent(row: IndicatorRow) -> bool:
    unit = row.get("unit").text if row.get("unit") is not None else ""
    cells = [row.get(k) for k in ("target", "actual")]
    return unit in ("%", "％") or any(c is not None and ("%" in (c.number_format or "") or c.text.endswith(("%", "％")))
                                      for c in cells)


def _text(cell: Cell | None) -> Any:
    return None if cell is None or cell.blank else cell.value


def _row(outcome, system) -> SourceRow:
    from ..core.parse import parse_deadline
    from ..core.recompute import number

    row: IndicatorRow = outcome.row
    scored = outcome.scored
    unit = row.get("unit").text if row.get("unit") is not None else ""
    weight, score = _float(outcome.weight), _float(number(row.get("score")))
    base = dict(level1=row.level1, level2=row.level2, name=row.level3, unit=unit, weight=weight, self_score=score,
                percent=_percent(row))
    deadline = parse_deadline(row.value("target"))
    if not outcome.reviewed or scored is None or deadline is not None:
        why = ("时间节点指标" if deadline is not None else "规则未能确定读取该行") + "，请人工复核并直接填写复核得分"
        return SourceRow(direction=str(row.direction or ""), target=_text(row.get("target")),
                         high=_text(row.get("target_high")), actual=_text(row.get("actual")), reviewable=False,
                         note=why, **base)
    if scored.direction is Direction.QUAL:
        return SourceRow(direction=Direction.QUAL.value, target=_text(row.get("target")), high=None,
                         actual=scored.tier.phrase, **base)
    return SourceRow(direction=scored.direction.value, target=scored.target, high=scored.high, actual=scored.actual,
                     bands=scored.bands or system.bands_for(row.level3), **base)


def _self_grade(table: Table, recomputed, system) -> str:
    """The 等级 the table states, as the grade it names (优秀 is 优, so that 复核's 优 is no change of
    grade); "" where it states none (a legend of the grades beside the label is none)."""
    from ..core.rules import grade_named

    stated = recomputed.expected(table.grade)
    if stated is None:
        return ""
    return grade_named(stated.cell.text, system.settings) or stated.cell.text


def project_of(path: str, table: Table, recomputed, system) -> Project:
    """One project table with its recomputation (:func:`selfeval_xl.core.recompute.recompute`)."""
    from ..core.recompute import number

    total = table.funds.get("total")
    budget = number(total.get("budget")) if total else None
    spent = number(total.get("spent")) if total else None
    project = Project(path, table.unit, table.name, table.field_text("department"), table.year, system.name,
                      system.settings, _float(budget), _float(spent), _float(number(table.total)),
                      _float(recomputed.total), _self_grade(table, recomputed, system))
    if recomputed.exec_weight is not None and recomputed.exec_rate is not None:
        project.rows.append(SourceRow(EXEC_LEVEL, "", EXEC_NAME, Direction.GE.value, 1.0, None, "%",
                                      float(recomputed.exec_weight), recomputed.exec_rate,
                                      _float(number(total.get("score"))) if total else None, percent=True))
    project.rows += [_row(o, system) for o in recomputed.rows]
    project.rows += [_bonus(row) for row in table.rows("bonus")]
    project.kind = table.kind
    return project


def _bonus(row: IndicatorRow) -> SourceRow:
    """A 加减分 row of a 部门整体 table: no rule scores it (its points stand on evidence), so the 底稿
    leaves its 复核得分 to the reviewer."""
    from ..core.recompute import number

    name = row.level3 or (row.get("name").text if row.get("name") is not None else "") or row.level2 or BONUS_LEVEL
    return SourceRow(BONUS_LEVEL, "", name, "", None, None, "", None, None, _float(number(row.get("score"))),
                     reviewable=False, note=BONUS_NOTE)


def projects_of(path: str, tables: Iterable[Table], given=None, kinds: tuple[str, ...] = ("project",)
                ) -> list[Project]:
    """The ``facts`` hook of :func:`selfeval_xl.batch.holdback.run`: each table of ``kinds`` in a workbook (a
    部门整体 table only when asked: its 履职 and 管理 indicators are scored like a project's, its 加减分
    by hand), in the worker that read it."""
    from ..checks import system_for
    from ..core.recompute import recompute

    out = []
    for table in tables:
        if table.kind in kinds:
            system = system_for(table, given)
            out.append(project_of(path, table, recompute(table, system), system))
    return out


def digest(path: str | Path) -> str:
    """The file's SHA-256, recorded with the draw: the same draw names the same bytes."""
    h = hashlib.sha256()
    try:
        with open(path, "rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                h.update(chunk)
    except OSError:
        return ""
    return h.hexdigest()


def load_projects(paths: Iterable[str | Path], system_ref: str | None = None, jobs: int = 0,
                  limits: Limits = DEFAULT_LIMITS, kinds: tuple[str, ...] = ("project",)
                  ) -> tuple[list[Project], list[tuple[str, str]]]:
    """Every table of ``kinds`` in the workbooks under ``paths`` (files or folders; our own outputs found
    in a folder are skipped), checked in isolated workers, in a stable order (单位, 项目, file), with its
    findings counted; and (file, why) for each file that gave none."""
    from functools import partial

    from ..batch.holdback import run
    from ..files.discovery import scan

    projects: list[Project] = []
    left: list[tuple[str, str]] = []
    results = []
    found = scan(paths)
    run(found.paths, system_ref, jobs, on_result=results.append, limits=limits, found=found,
        facts=partial(projects_of, kinds=kinds))
    for result in results:
        if not result.facts:
            left.append((result.report.path, _why_not(result.report, kinds)))
        for project in result.facts:
            project.errors, project.warnings = result.report.errors, result.report.warnings
            project.digest = digest(project.path)
            projects.append(project)
    projects.sort(key=lambda p: (p.unit, p.name, p.path))
    return projects, left


def _why_not(report, kinds: tuple[str, ...]) -> str:
    """Why a file gave no table to review, for the console."""
    if report.kind == "department" and "department" not in kinds:
        return "部门整体支出绩效自评表，不纳入项目抽查（--department 纳入）"
    if report.skipped:
        return report.skipped
    fatal = next((f.message for f in report.findings if f.code in ("unreadable", "check-failed", "no-table")), "")
    return fatal or "没有项目支出绩效自评表"
