"""The registry: every check unit by name, in the order it runs (its findings come in this order).

One explicit list, no import side effects (sqlfluff's rule list, frictionless' checks): adding a check
is a function with ``@check`` in a module of :mod:`selfeval_xl.checks` (or ``@quality_rule`` in
:mod:`selfeval_xl.checks.quality.indicators`), its entry with cases in the YAML beside that module, and its
name in :data:`TABLE` here. The report checks are listed the same way in
:data:`selfeval_xl.narrative.checks.REPORT_CHECKS` (a worker above this package); the documentation
(:mod:`.catalogue`) reads both.

Built once at import; :func:`table_checks` is the list a table runs under its system's overrides,
computed once per system.
"""
from __future__ import annotations

from dataclasses import replace
from functools import lru_cache
from typing import Iterable

from ..core.datafiles import DataFileError
from ..core.findings import Finding, Severity
from .quality import across, indicators as quality, yoy
from ..core.system import IndicatorSystem
from . import (crossfile, explain, formulas, numbers, reading, required, scores, system_known, template_inputs,
               totals, weights)
from .base import Check

READER: tuple[Check, ...] = (reading.UNREADABLE, reading.NO_TABLE, reading.CHECK_FAILED, reading.SHEET_TRUNCATED,
                             reading.SHEET_TOO_LARGE, crossfile.DUPLICATE_SUBMISSION)
"""Codes raised by the reader, the frame and the batch (no check function)."""

TABLE: tuple[Check, ...] = (
    required.layout_missing, required.table_partly_read, required.required_blank, required.budget_zero,
    numbers.not_a_number, numbers.negative_amount, numbers.target_not_numeric, numbers.unparseable_value,
    numbers.percent_unclear, numbers.cost_direction,
    template_inputs.text_in_number_cell, template_inputs.direction_not_in_list,
    scores.exec_rate_mismatch, scores.exec_score_mismatch, scores.exec_rule_unknown, scores.score_mismatch,
    scores.qual_score_out_of_band, scores.qual_tier_unknown, scores.score_over_weight,
    weights.total_weight_not_100, weights.weight_split_differs, weights.level_weights_mismatch,
    weights.table_incomplete, weights.level_missing, weights.unknown_level,
    totals.funds_total_mismatch, totals.dept_funds_sum_mismatch, totals.dept_rate_mismatch,
    totals.subtotal_mismatch, totals.bonus_out_of_range, totals.total_mismatch, totals.grade_mismatch,
    totals.grade_not_understood,
    explain.missing_deviation_reason, explain.exec_rate_unexplained, explain.overachievement_unexplained,
    formulas.formula_replaced, formulas.stale_cached_value, formulas.formula_not_calculated,
    formulas.formula_broken,
    crossfile.figure_inconsistent,
    system_known.unknown_system,
    # 指标质量: the rules one table shows (checks/quality/rules.yaml words and tunes them), last
    quality.cost_with_floor, quality.time_without_date, quality.quantity_without_unit,
    quality.satisfaction_without_survey, quality.benefit_restates_output, quality.indicator_copies_goal,
    quality.vague_target, quality.far_over_target, quality.routine_management,
)
"""The checks of one table, in the order they run."""

ACROSS: tuple[Check, ...] = (
    across.wording_shared_across_units, across.satisfaction_copied_across_units, across.all_full_score,
    yoy.target_lowered, yoy.indicator_dropped, yoy.weight_moved, yoy.far_over_again,
)
"""The 指标质量 rules over several files (across 单位, year over year), run in the parent at the end."""

UNITS: tuple[Check, ...] = READER + TABLE + ACROSS
"""Every unit of this package (the report checks are the narrative's: :mod:`.catalogue` joins them)."""

OFF = "off"


def check_overrides(system: IndicatorSystem) -> IndicatorSystem:
    """The system, once its ``severity:`` map names only table check codes (what a system's tables
    raise; the 指标质量 rules over several files are set in the quality pack, ``check --quality``);
    a load error (:class:`DataFileError`) otherwise."""
    codes = {c.code for c in TABLE}
    unknown = [code for code, _ in system.severity if code not in codes]
    if unknown:
        raise DataFileError(system.source or system.name, [
            f"severity.{code}: 不是自评表的检查代码 / not a table check code（见 / see selfeval check --list-checks）"
            for code in unknown])
    return system


@lru_cache(maxsize=None)
def table_checks(severity: tuple[tuple[str, str], ...] = (), skip: frozenset[str] = frozenset()
                 ) -> tuple[Check, ...]:
    """The table checks to run under a system's severity map and a run's ``--skip``: those it turns
    ``off`` or skips are not run at all. Built once per map (the check path only looks it up)."""
    off = {code for code, value in severity if value == OFF} | skip
    return tuple(c for c in TABLE if c.code not in off)


def overridden(findings: Iterable[Finding], severity: tuple[tuple[str, str], ...]) -> list[Finding]:
    """The findings with a system's severity map applied: ``off`` codes dropped, others re-levelled."""
    findings = list(findings)
    if not severity:
        return findings
    wanted = dict(severity)
    return [f if wanted.get(f.code, f.severity.value) == f.severity.value
            else replace(f, severity=Severity(wanted[f.code])) for f in findings if wanted.get(f.code) != OFF]
