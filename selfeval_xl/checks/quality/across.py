"""The quality rules that need several files, run in the parent once every file is in: across 单位 (a
template copied without adapting, 满意度 texts copied, every project of a 单位 self-scored full) and
year over year (:mod:`.yoy`). Each rule is a small function under its code, its docstring the English
documentation; :class:`Across` gathers the workers' digests in a :class:`~.store.DigestStore` (on disk:
a run's memory stays flat in its length) and runs them; each rule reads the store a group, a block or a
单位 at a time.
"""
from __future__ import annotations

import os
from typing import Callable, Iterable, Iterator, Sequence

from rapidfuzz import fuzz, process

from ..base import Check
from ...core.findings import Finding, Severity, finding
from .digest import TableDigest
from .pack import Pack, Rule, default_pack
from .registry import as_configured, declared, title_of
from .store import PREVIOUS, DigestStore, Stored
from .text import has_any, percent

AcrossRule = Callable[[DigestStore, Rule, Pack], Iterable[Finding]]
"""(the run's digests, this year's and last year's; the rule; the run's pack: year over year matching
reads its thresholds from the pack's ``target-lowered``) → findings."""


def across_rule(code: str) -> Callable[[AcrossRule], Check]:
    """Make ``fn(digests, rule, pack)`` the unit of ``code`` (listed in the registry's ACROSS)."""
    packaged = declared(code)

    def unit(fn: AcrossRule) -> Check:
        return Check(code, Severity(packaged.severity if packaged.on else "warning"), title_of(code), fn,
                     fn.__module__)
    return unit


class Across:
    """The digests of a run (:meth:`add`, file by file, and :meth:`add_previous` for last year's), and
    the findings of the rules ``units`` over them (:meth:`findings`), at the severities of the run's ``pack`` (a
    bureau's, ``check --quality``), leaving out the codes the run skips (``skip``: not run at all). The
    digests wait on disk: use it as a context manager (or :meth:`close` it), which removes them."""

    def __init__(self, units: Sequence[Check], pack: Pack | None = None, skip: frozenset[str] = frozenset()
                 ) -> None:
        self.units = units
        self.digests = DigestStore()
        self.pack = pack or default_pack()
        self.skip = skip

    def __enter__(self) -> "Across":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self.digests.close()

    def add(self, digests: Iterable[Stored]) -> None:
        self.digests.add(digests)

    def add_previous(self, digests: Iterable[Stored]) -> None:
        self.digests.add(digests, PREVIOUS)

    def findings(self) -> Iterator[Finding]:
        """Every rule's findings, rule after rule (in the order of ``units``: the registry's ACROSS), as
        they are found."""
        for unit in self.units:
            rule = self.pack.rule(unit.code)
            if rule.on and unit.code not in self.skip:
                yield from as_configured(rule, unit(self.digests, rule, self.pack))


def at(rule: Rule, table: TableDigest, cell: str, message: str, expected=None, found=None) -> Finding:
    return finding(rule.code, message, file=table.file, sheet=table.sheet, cell=cell or table.anchor,
                   expected=expected, found=found)


@across_rule("wording-shared-across-units")
def wording_shared_across_units(digests: DigestStore, rule: Rule, pack: Pack) -> Iterator[Finding]:
    """An indicator worded exactly as another 单位's — the same 三级指标 of ``min_chars`` or more and the
    same 年度指标值 — in a run over several 单位: a template copied without adapting it. Short names
    (预算执行率, 满意度) are shared by design and not compared. Each copy is reported at its cell,
    naming the other 单位's file.

    Bad: two 单位 both write ``全面完成市委市政府交办的各项档案工作任务`` / ``全面完成``. Fix: this 单位's own
    output and its own target.
    """
    for group in digests.wording_groups(rule.param("min_chars")):
        for table, ind in group:
            other, where = next((t, i) for t, i in group if t.unit != table.unit)
            yield at(rule, table, ind.name_cell,
                     rule.message(name=ind.name, target=ind.target_text, other_unit=other.unit,
                                  other_file=os.path.basename(other.file), other_cell=where.name_cell),
                     None, ind.name)


@across_rule("satisfaction-copied-across-units")
def satisfaction_copied_across_units(digests: DigestStore, rule: Rule, pack: Pack) -> Iterator[Finding]:
    """A 满意度 indicator's explanation (its worded 完成值 and 偏差原因, ``min_chars`` or more) the same as,
    or almost the same as (rapidfuzz ratio ≥ ``similarity``), another 单位's: the survey's result
    copied, not measured.

    Bad: two 单位 write ``经问卷调查，服务对象满意度达96%，群众对项目实施效果普遍认可``. Fix: this 单位's own
    survey: how many answered, what they said.
    """
    words = rule.param("satisfaction_words")
    count, units = digests.texts(lambda label: has_any(label, words), rule.param("min_chars"))
    if units < 2:               # no other 单位's text to compare with (nor numpy to load for it)
        return
    for a, (score, b) in _nearest_of_other_units(digests, count, rule.param("similarity")):
        table, ind = digests.chosen(a)
        other, where = digests.chosen(b)
        yield at(rule, table, ind.actual_cell,
                 rule.message(name=ind.name, text=ind.text, other_unit=other.unit,
                              other_file=os.path.basename(other.file), other_cell=where.actual_cell,
                              similarity=f"{score:.0f}"), None, ind.text)


NO_BLAS_THREADS = "OPENBLAS_NUM_THREADS"
"""Why numpy is imported with this set to 1 (unless the user set it): its OpenBLAS starts a thread per
core that spins at start-up, 70 ms of the parent's CPU on two cores, beside workers still reading, for
matrix arithmetic this module never does (cdist is rapidfuzz's own)."""


def _nearest_of_other_units(digests: DigestStore, count: int, cutoff: float) -> Iterator[tuple[int, tuple]]:
    """(row, (its best rapidfuzz ratio with another 单位's text, that text's row)) of each chosen row
    with such a text at ``cutoff`` or above (the first row of the best ratio): a block of rows compared
    with a block at a time. The whole matrix at once was 48 MB of a 10,000-file run's peak, and even a
    block of rows against every text grows with the run."""
    os.environ.setdefault(NO_BLAS_THREADS, "1")
    import numpy        # as cdist answers (pandas brings it): loaded only when texts are compared

    for start in range(0, count, digests.block):
        rows = digests.text_block(start)
        units = numpy.array([unit for unit, _ in rows], dtype=object)[:, None]
        best, where = numpy.zeros(len(rows), dtype=numpy.float32), numpy.full(len(rows), -1)
        for other in range(0, count, digests.block):
            others = digests.text_block(other)
            scores = process.cdist([t for _, t in rows], [t for _, t in others], scorer=fuzz.ratio,
                                   score_cutoff=cutoff)
            scores[units == numpy.array([unit for unit, _ in others], dtype=object)[None, :]] = 0
            top, at_most = scores.max(axis=1), other + scores.argmax(axis=1)     # the first of the best
            better = top > best
            best[better], where[better] = top[better], at_most[better]
        yield from ((start + a, (best[a], int(where[a])))
                    for a in range(len(rows)) if where[a] >= 0)


@across_rule("all-full-score")
def all_full_score(digests: DigestStore, rule: Rule, pack: Pack) -> Iterator[Finding]:
    """A 单位 whose project tables in this run (``min_projects`` or more) are, at least ``share`` of them,
    self-scored full on every indicator: reviewers sample such a 单位 first (10号 第十九条). Reported
    at each such table's 总分.

    Bad: all 6 projects of a 单位 with every indicator at its full 分值. Fix: check each 完成值 against its
    evidence; score what was not met as missed.
    """
    # a project sent twice (a copy, a resubmission) is one: the store counts distinct names
    for unit, projects, full in digests.project_counts():
        if projects < rule.param("min_projects") or full < rule.param("share") * projects:
            continue
        for table in digests.full_projects(unit):
            yield at(rule, table, table.anchor,
                     rule.message(unit=unit, full=full, projects=projects,
                                  share=percent(full / projects)), None, "满分")
