"""The checks of a 自评表, each a unit under a stable code, listed in :mod:`.registry` (see ``selfeval
check --list-checks``).

- :func:`check_workbook` — one file's :class:`~selfeval_xl.core.model.WorkbookData` → a
  :class:`~selfeval_xl.core.findings.FileReport` (findings by file, sheet and cell; stated and recomputed 总分).
- :func:`check_unit` — across the files of one 单位 (the 项目支出 budget against its project tables).

A check never raises: a crash becomes a ``check-failed`` finding and the run goes on.
"""
from __future__ import annotations

from functools import lru_cache

from ..core.findings import FileReport, Finding, finding
from ..core.model import Table, WorkbookData, split_address
from ..core.recompute import Recomputed, number, recompute
from ..core.system import IndicatorSystem, load_system
from .quality.pack import Pack, default_pack
from .base import Check, Context, layout_of, run_checks
from .crossfile import TableFigures, UnitFigures, check_unit, figures_of
from .formulas import computed_noted
from .reading import NO_TABLE       # declares the reader's codes (unreadable, no-table …) this module reports

__all__ = ["Check", "Context", "check_workbook", "check_recomputed", "check_table", "check_unit", "figures_of",
           "TableFigures", "UnitFigures", "system_for", "preload"]


@lru_cache(maxsize=None)
def _load(name: str | None, kind: str) -> IndicatorSystem:
    from .registry import check_overrides    # the registry imports the 指标质量 rules, which import this package

    return check_overrides(load_system(name, kind))


def system_for(table: Table, given: IndicatorSystem | None = None) -> IndicatorSystem:
    """The system a table is checked under: the one given (if of its kind), the one our template
    recorded, the one its layout names (``sichuan-project`` for the Sichuan form), else the default of
    its kind."""
    if given is not None and given.kind == table.kind:
        return given
    for name in (table.system_name, layout_of(table.layout or table.kind).system):
        if not name:
            continue
        try:
            system = _load(name, table.kind)
            if system.kind == table.kind:
                return system
        except Exception:  # noqa: BLE001 - an unknown recorded system falls back to the default
            pass
    return _load(None, table.kind)


def preload() -> None:
    """Load the default systems and the layouts now (before a batch forks its workers)."""
    from ..core.system import DEFAULT_SYSTEMS

    for kind in DEFAULT_SYSTEMS:
        _load(None, kind)
        layout_of(kind)


def recompute_table(table: Table, system: IndicatorSystem | None = None) -> Recomputed | None:
    """The table recomputed under its system (None if that fails): what ``check --explain`` lists."""
    try:
        return recompute(table, system_for(table, system))
    except Exception:  # noqa: BLE001 - an explanation never stops on a table it cannot recompute
        return None


def check_table(path: str, table: Table, system: IndicatorSystem | None = None,
                formulas_known: bool = False) -> list[Finding]:
    """Every check on one table."""
    return _check(path, table, system, formulas_known, default_pack(), frozenset())[0]


def _check(path: str, table: Table, system: IndicatorSystem | None, formulas_known: bool, quality: Pack,
           skip: frozenset[str]) -> tuple[list[Finding], Recomputed | None]:
    from .registry import overridden, table_checks    # (see _load) a dictionary look-up once imported

    chosen = system_for(table, system)
    try:
        context = Context(path, table, chosen, recompute(table, chosen), formulas_known, quality)
    except Exception as exc:  # noqa: BLE001 - the run goes on
        cell = table.anchor
        return [finding("check-failed", f"重算出错：{type(exc).__name__}: {exc}", file=path, sheet=table.sheet,
                        cell=cell.ref if cell else "")], None
    return computed_noted(overridden(run_checks(context, table_checks(chosen.severity, skip)), chosen.severity),
                          table), context.re


def check_workbook(data: WorkbookData, system: IndicatorSystem | None = None) -> FileReport:
    """Check every table of one workbook; the report carries the first table's 单位, name and totals."""
    return check_recomputed(data, system)[0]


def check_recomputed(data: WorkbookData, system: IndicatorSystem | None = None, quality: Pack | None = None,
                     skip: frozenset[str] = frozenset()) -> tuple[FileReport, list[Recomputed]]:
    """:func:`check_workbook`, with each table's recomputation (those that did not fail), for what else
    reads the scores of the same tables (the quality digests): a batch recomputes each table once.
    ``quality``: the run's 指标质量 pack (default ours); ``skip``: table check codes not to run."""
    quality = quality or default_pack()
    report = FileReport(data.path, skipped=data.skipped)
    done: list[Recomputed] = []
    for code, message, position in data.problems:
        sheet, cell = split_address(position)
        report.findings.append(finding(code, message, file=data.path, sheet=sheet, cell=cell))
    if not data.tables:
        if not data.skipped and not any(code in ("unreadable", "no-table") for code, _, _ in data.problems):
            report.findings.append(finding(NO_TABLE.code, "未找到项目支出或部门整体支出绩效自评表（按标题和表头查找）",
                                           file=data.path))
        return report, done
    first = None
    for table in data.tables:
        findings, recomputed = _check(data.path, table, system, data.has_formulas, quality, skip)
        report.findings.extend(findings)
        first = first or (table, recomputed)
        if recomputed is not None:
            done.append(recomputed)
            report.unreviewed += recomputed.unreviewed
            report.reviewed += len(recomputed.rows) - recomputed.unreviewed
    _summarise(report, data.tables, *first)
    return report, done


def _scored(table: Table) -> bool:
    """The table's form scores its indicators: a form without a 分值 column (衡山's 县级专项资金 form) has no
    总分 to recompute, so none is reported (its rows count as not reviewed)."""
    return "indicators.weight" in table.headers or not any(k.startswith("indicators.") for k in table.headers)


def _summarise(report: FileReport, tables: list[Table], first: Table, result: Recomputed | None) -> None:
    report.kind = first.kind
    report.unit = first.unit
    report.name = "；".join(dict.fromkeys(t.name for t in tables if t.name))
    report.stated_total = first.total.value if first.total is not None else None
    if result is not None and _scored(first):
        report.total, report.grade = result.total, result.grade or ""
        report.grades = result.system.settings.grades
    funds = first.funds.get("total")
    if funds is not None:
        report.budget, report.spent = number(funds.get("budget")), number(funds.get("spent"))
