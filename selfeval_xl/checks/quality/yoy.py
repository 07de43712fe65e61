"""Year over year (``check PATH... --previous LASTYEAR...``): this year's tables matched with last
year's, and the rules a reviewer applies to the pair.

Matching is fuzzy because names drift between years (``档案数字化加工项目`` → ``档案数字化加工服务项目``): a
project is matched within its 单位 by its name's rapidfuzz ratio (``project_similarity`` of
``target-lowered``), the nearer 全年预算数 breaking a tie; a 部门整体 table by its 单位; an indicator within
its matched table and its part (产出, 效益 …) by its name's ratio (``indicator_similarity``). Each
match is one to one, best first.

Each finding is a :class:`YearFinding`: it also names its indicator and last year's and this year's
figures, which summary.xlsx's 上年对比 sheet lists beside its wording.
"""
from __future__ import annotations

import math
import os
from dataclasses import dataclass, fields
from functools import partial
from typing import Iterator

from ...core.findings import Finding
from .across import across_rule, at
from .digest import IndicatorDigest, TableDigest
from .pack import Pack, Rule
from .store import DigestStore
from .text import percent, similarity, squeeze


YEAR_OVER_YEAR = ("target-lowered", "indicator-dropped", "weight-moved", "far-over-again")
"""The codes of this module's rules, as summary.xlsx's 上年对比 sheet lists them."""


@dataclass(frozen=True)
class YearFinding(Finding):
    """A finding against last year's table, with what a reader compares: the indicator, and its
    figures last year and this year as the tables show them (a target, a 分值, a 完成值)."""

    indicator: str = ""
    last_year: str = ""
    this_year: str = ""


def _change(rule: Rule, pair: "Pair", cell: str, message: str, expected, found, indicator: str, last_year: str,
            this_year: str) -> YearFinding:
    f = at(rule, pair.table, cell, message, expected, found)
    return YearFinding(**{k.name: getattr(f, k.name) for k in fields(Finding)}, indicator=indicator,
                       last_year=last_year, this_year=this_year)


def _reached(i: IndicatorDigest) -> str:
    """``指标值 15000，完成 46845（312%）``: a target as its table shows it, and what was reached."""
    actual = f"，完成 {i.actual:g}" if i.actual is not None else ""
    ratio = f"（{percent(i.ratio)}）" if i.ratio is not None else ""
    return f"指标值 {i.target_text}{actual}{ratio}"


@dataclass(frozen=True)
class Pair:
    table: TableDigest
    previous: TableDigest
    indicators: tuple[tuple[IndicatorDigest, IndicatorDigest], ...]
    dropped: tuple[IndicatorDigest, ...]          # last year's indicators with no match this year


def _greedy(candidates: list[tuple[float, int, int]]) -> list[tuple[int, int]]:
    """One-to-one pairs (i, j), best score first."""
    used_i, used_j, out = set(), set(), []
    for _, i, j in sorted(candidates, key=lambda c: -c[0]):
        if i not in used_i and j not in used_j:
            used_i.add(i)
            used_j.add(j)
            out.append((i, j))
    return out


def _closeness(a: float | None, b: float | None) -> float:
    """0 (equal amounts) down to about -10: how far apart two 全年预算数 are, for breaking ties."""
    if not a or not b or a <= 0 or b <= 0:
        return -5.0
    return -abs(math.log(a / b))


def pairs(digests: DigestStore, pack: Pack) -> Iterator[Pair]:
    """This year's tables matched with last year's (see the module's documentation), by the thresholds
    of the run's pack (``target-lowered``'s ``project_similarity`` and ``indicator_similarity``): the
    tables matched one 单位 at a time, the pairs best first."""
    rule = pack.rule("target-lowered")
    project_min, indicator_min = rule.param("project_similarity"), rule.param("indicator_similarity")
    for cur, old in digests.pair_tables(partial(_matched_tables, project_min=project_min),
                                        (project_min, indicator_min)):
        inner = [(similarity(a.key, b.key), x, y) for x, a in enumerate(cur.indicators)
                 for y, b in enumerate(old.indicators) if a.family == b.family]
        matched = _greedy([c for c in inner if c[0] >= indicator_min])
        kept = {y for _, y in matched}
        yield Pair(cur, old, tuple((cur.indicators[x], old.indicators[y]) for x, y in matched),
                   tuple(b for y, b in enumerate(old.indicators) if y not in kept))


def _matched_tables(current: list[tuple[int, TableDigest]], previous: list[tuple[int, TableDigest]],
                    project_min: float) -> list[tuple[float, int, int]]:
    """(score, seq, seq) of each pair of one 单位's tables, this year's and last year's: one to one,
    best first."""
    candidates = []
    for i, (_, cur) in enumerate(current):
        for j, (_, old) in enumerate(previous):
            if cur.kind != old.kind or not cur.unit or cur.unit != old.unit:
                continue
            if cur.kind == "department":
                candidates.append((100.0, i, j))
                continue
            score = similarity(squeeze(cur.name), squeeze(old.name))
            if score >= project_min:
                candidates.append((score + _closeness(cur.budget, old.budget) / 100, i, j))
    scores = {(i, j): score for score, i, j in candidates}
    return [(scores[i, j], current[i][0], previous[j][0]) for i, j in _greedy(candidates)]


def _same_unit(a: IndicatorDigest, b: IndicatorDigest) -> bool:
    return squeeze(a.unit) == squeeze(b.unit)


@across_rule("target-lowered")
def target_lowered(digests: DigestStore, rule: Rule, pack: Pack) -> Iterator[Finding]:
    """A target lowered against last year's table: a 正向 (≥) target smaller, a 反向 (≤) one larger, the
    same indicator (fuzzy-matched, see the module) in the same unit. 101号 wants targets set
    "尽量从严、从高", with last year's value as a reference.

    Bad: 接收建设工程档案 ``≥10000卷`` last year, ``≥8000卷`` this year. Fix: keep or raise the target,
    or say why the work shrank.
    """
    for pair in pairs(digests, pack):
        for cur, old in pair.indicators:
            if cur.target is None or old.target is None or cur.direction != old.direction or not _same_unit(cur, old):
                continue
            lowered = cur.target < old.target if cur.direction in ("≥", ">") else \
                cur.target > old.target if cur.direction in ("≤", "<") else False
            if lowered:
                yield _change(rule, pair, cur.target_cell,
                              rule.message(name=cur.name, target=cur.target_text, previous=old.target_text,
                                           previous_file=os.path.basename(pair.previous.file),
                                           previous_cell=old.target_cell),
                              old.target_text, cur.target_text, cur.name, old.target_text, cur.target_text)


@across_rule("indicator-dropped")
def indicator_dropped(digests: DigestStore, rule: Rule, pack: Pack) -> Iterator[Finding]:
    """An indicator of last year's table that lost points then and is gone from this year's (no
    indicator of this year's matched table matches it): a missed target dropped rather than worked on.
    Reported at this year's table.

    Bad: last year ``征集档案资料 ≥1200件`` reached 1020 and lost points; this year's table has no such
    indicator. Fix: keep it, or explain in the report why it no longer applies.
    """
    for pair in pairs(digests, pack):
        for old in pair.dropped:
            if old.missed:
                yield _change(rule, pair, pair.table.anchor,
                              rule.message(name=old.name, previous_file=os.path.basename(pair.previous.file),
                                           previous_cell=old.name_cell,
                                           previous_actual=f"{old.actual:g}" if old.actual is not None else "—",
                                           previous_target=old.target_text), old.name, None,
                              old.name, _reached(old), "（已删去）")


@across_rule("weight-moved")
def weight_moved(digests: DigestStore, rule: Rule, pack: Pack) -> Iterator[Finding]:
    """An indicator that lost points last year now weighs less (by ``min_points`` or more): its 分值
    moved to indicators that score full, so this year's total rises without the work improving.

    Bad: 征集档案资料 weighed 10 and scored 8 last year; this year it weighs 4. Fix: keep its weight.
    """
    for pair in pairs(digests, pack):
        for cur, old in pair.indicators:
            if cur.weight is None or old.weight is None or not old.missed:
                continue
            if old.weight - cur.weight >= rule.param("min_points"):
                scored = f"，得分 {old.score:g}" if old.score is not None else ""
                yield _change(rule, pair, cur.weight_cell,
                              rule.message(name=cur.name, weight=f"{cur.weight:g}", previous_weight=f"{old.weight:g}"),
                              old.weight, cur.weight, cur.name, f"分值 {old.weight:g}{scored}", f"分值 {cur.weight:g}")


@across_rule("far-over-again")
def far_over_again(digests: DigestStore, rule: Rule, pack: Pack) -> Iterator[Finding]:
    """The same target as last year while the 完成值 runs far above it (``ratio`` or more) both years:
    a target set low and kept low (10号 第十六条, 101号's "从高设定" with last year's value as reference).

    Bad: 参观人数 ``≥15000`` both years, reached 46845 and 41200. Fix: set the target from last year's value.
    """
    for pair in pairs(digests, pack):
        for cur, old in pair.indicators:
            now, then = cur.ratio, old.ratio
            if now is None or then is None or cur.target != old.target or not _same_unit(cur, old):
                continue
            if now >= rule.param("ratio") and then >= rule.param("ratio"):
                yield _change(rule, pair, cur.actual_cell,
                              rule.message(name=cur.name, target=cur.target_text, ratio=percent(now),
                                           previous_ratio=percent(then)), None, percent(now),
                              cur.name, _reached(old), _reached(cur))
