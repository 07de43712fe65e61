"""The quality rules that need several files, run in the parent once every file is in: across 单位 (a
template copied without adapting, 满意度 texts copied, every project of a 单位 self-scored full) and
year over year (:mod:`.yoy`). Each rule is a small function under its code, its docstring the English
documentation; :class:`Across` gathers the workers' digests and runs them.
"""
from __future__ import annotations

import os
from collections import defaultdict
from typing import Callable, Iterable, Iterator

from rapidfuzz import fuzz, process

from ..checks.base import Check
from ..core.findings import Finding, Severity, finding
from .digest import IndicatorDigest, TableDigest
from .pack import Pack, Rule, default_pack
from .registry import as_configured, declared, title_of
from .text import has_any, percent, squeeze

Tables = list[TableDigest]
AcrossRule = Callable[[Tables, Tables, Rule, Pack], Iterable[Finding]]
"""(this year's digests, last year's, the rule, the run's pack: year over year matching reads its thresholds
from the pack's ``target-lowered``) → findings."""


def across_rule(code: str) -> Callable[[AcrossRule], Check]:
    """Make ``fn(current, previous, rule, pack)`` the unit of ``code`` (listed in the registry's ACROSS)."""
    packaged = declared(code)

    def unit(fn: AcrossRule) -> Check:
        return Check(code, Severity(packaged.severity if packaged.on else "warning"), title_of(code), fn,
                     fn.__module__)
    return unit


class Across:
    """The digests of a run (:meth:`add`, file by file, and :meth:`add_previous` for last year's), and
    the findings of every rule over them (:meth:`findings`), at the severities of the run's ``pack`` (a
    bureau's, ``check --quality``), leaving out the codes the run skips (``skip``: not run at all)."""

    def __init__(self, pack: Pack | None = None, skip: frozenset[str] = frozenset()) -> None:
        self.current: Tables = []
        self.previous: Tables = []
        self.pack = pack or default_pack()
        self.skip = skip

    def add(self, digests: Iterable[TableDigest]) -> None:
        self.current += digests

    def add_previous(self, digests: Iterable[TableDigest]) -> None:
        self.previous += digests

    def findings(self) -> list[Finding]:
        from ..checks.registry import ACROSS     # the registry imports this module: looked up at run time

        out: list[Finding] = []
        for unit in ACROSS:
            rule = self.pack.rule(unit.code)
            if rule.on and unit.code not in self.skip:
                out += as_configured(rule, unit(self.current, self.previous, rule, self.pack))
        return out


def at(rule: Rule, table: TableDigest, cell: str, message: str, expected=None, found=None) -> Finding:
    return finding(rule.code, message, file=table.file, sheet=table.sheet, cell=cell or table.anchor,
                   expected=expected, found=found)


def _rows(tables: Tables) -> Iterator[tuple[TableDigest, IndicatorDigest]]:
    for table in tables:
        for indicator in table.indicators:
            yield table, indicator


@across_rule("wording-shared-across-units")
def wording_shared_across_units(current: Tables, previous: Tables, rule: Rule, pack: Pack) -> Iterator[Finding]:
    """An indicator worded exactly as another 单位's — the same 三级指标 of ``min_chars`` or more and the
    same 年度指标值 — in a run over several 单位: a template copied without adapting it. Short names
    (预算执行率, 满意度) are shared by design and not compared. Each copy is reported at its cell,
    naming the other 单位's file.

    Bad: two 单位 both write ``全面完成市委市政府交办的各项档案工作任务`` / ``全面完成``. Fix: this 单位's own
    output and its own target.
    """
    seen: dict[tuple[str, str], list[tuple[TableDigest, IndicatorDigest]]] = defaultdict(list)
    for table, ind in _rows(current):
        if table.unit and len(ind.key) >= rule.param("min_chars"):
            seen[ind.key, squeeze(ind.target_text)].append((table, ind))
    for group in seen.values():
        units = {t.unit for t, _ in group}
        if len(units) < 2:
            continue
        for table, ind in group:
            other, where = next((t, i) for t, i in group if t.unit != table.unit)
            yield at(rule, table, ind.name_cell,
                     rule.message(name=ind.name, target=ind.target_text, other_unit=other.unit,
                                  other_file=os.path.basename(other.file), other_cell=where.name_cell),
                     None, ind.name)


@across_rule("satisfaction-copied-across-units")
def satisfaction_copied_across_units(current: Tables, previous: Tables, rule: Rule, pack: Pack) -> Iterator[Finding]:
    """A 满意度 indicator's explanation (its worded 完成值 and 偏差原因, ``min_chars`` or more) the same as,
    or almost the same as (rapidfuzz ratio ≥ ``similarity``), another 单位's: the survey's result
    copied, not measured.

    Bad: two 单位 write ``经问卷调查，服务对象满意度达96%，群众对项目实施效果普遍认可``. Fix: this 单位's own
    survey: how many answered, what they said.
    """
    rows = [(t, i, squeeze(i.text)) for t, i in _rows(current)
            if t.unit and has_any(i.level2 + i.name, rule.param("satisfaction_words"))]
    rows = [r for r in rows if len(r[2]) >= rule.param("min_chars")]
    if len(rows) < 2:
        return
    texts = [text for _, _, text in rows]
    for a, scores in enumerate(_similarities(texts, rule.param("similarity"))):
        table, ind, _ = rows[a]
        others = [b for b in range(len(rows)) if scores[b] and rows[b][0].unit != table.unit]
        if not others:
            continue
        b = max(others, key=lambda k: scores[k])
        other, where, _ = rows[b]
        yield at(rule, table, ind.actual_cell,
                 rule.message(name=ind.name, text=ind.text, other_unit=other.unit,
                              other_file=os.path.basename(other.file), other_cell=where.actual_cell,
                              similarity=f"{scores[b]:.0f}"), None, ind.text)


SIMILARITY_ROWS = 256
"""Texts compared with all the others at a time: the whole matrix at once was 48 MB of a 10,000-file
run's peak (and grows with the square of the texts); a block of rows grows with their number."""


def _similarities(texts: list[str], cutoff: float) -> Iterator:
    """Each text's rapidfuzz ratio with every text (0 below ``cutoff``), one row after another."""
    for start in range(0, len(texts), SIMILARITY_ROWS):
        yield from process.cdist(texts[start:start + SIMILARITY_ROWS], texts, scorer=fuzz.ratio,
                                 score_cutoff=cutoff)


@across_rule("all-full-score")
def all_full_score(current: Tables, previous: Tables, rule: Rule, pack: Pack) -> Iterator[Finding]:
    """A 单位 whose project tables in this run (``min_projects`` or more) are, at least ``share`` of them,
    self-scored full on every indicator: reviewers sample such a 单位 first (10号 第十九条). Reported
    at each such table's 总分.

    Bad: all 6 projects of a 单位 with every indicator at its full 分值. Fix: check each 完成值 against its
    evidence; score what was not met as missed.
    """
    by_unit: dict[str, Tables] = defaultdict(list)
    for table in current:
        if table.kind == "project" and table.unit:
            by_unit[table.unit].append(table)
    for unit, tables in by_unit.items():
        projects = {t.name for t in tables}           # a project sent twice (a copy, a resubmission) is one
        full = {t.name for t in tables if t.full}
        if len(projects) < rule.param("min_projects") or len(full) < rule.param("share") * len(projects):
            continue
        for table in (t for t in tables if t.full):
            yield at(rule, table, table.anchor,
                     rule.message(unit=unit, full=len(full), projects=len(projects),
                                  share=percent(len(full) / len(projects))), None, "满分")


from . import yoy as _yoy  # noqa: E402,F401  (registers the year-over-year rules, after these)
