"""A 单位's tables as the figures a report may state, under the keys :mod:`statements` files them under.

Rates are in percent (99.76), amounts in 万元, as the report writes them.
"""
from __future__ import annotations

from decimal import Decimal

from .numbers import HUNDRED
from .statements import Key, Names, plain
from .summary import EXEC_PART, Summary
from .units import Unit


def facts_of(unit: Unit) -> dict[Key, tuple[Decimal, Summary]]:
    """Every figure of the unit's tables, with the table it comes from."""
    facts: dict[Key, tuple[Decimal, Summary]] = {}

    def put(key: Key, value: Decimal | None, s: Summary) -> None:
        if value is not None:
            facts.setdefault(key, (value, s))

    for s in unit.summaries:
        scope = s.scope
        put((scope, "total", "weight"), s.weight, s)
        put((scope, "total", "score"), s.score, s)
        for part in s.parts:
            put((scope, "level", part.name, "weight"), part.weight, s)
            put((scope, "level", part.name, "score"), part.score, s)
            for child in part.children:
                put((scope, "level2", child.name, "weight"), child.weight, s)
                put((scope, "level2", child.name, "score"), child.score, s)
            if part.indicators:
                put((scope, "count", part.name), Decimal(len(part.indicators)), s)
        names = [plain(i.name) for i in s.indicators]
        for i in s.indicators:
            if names.count(plain(i.name)) == 1:   # a name given twice in one table is not attributable
                put((scope, "indicator", plain(i.name), "weight"), i.weight, s)
                put((scope, "indicator", plain(i.name), "score"), i.score, s)
        for (measure, category), value in s.funds.items():
            put((scope, "funds", measure, category), value, s)
        if ("budget", "total") in s.funds and ("spent", "total") in s.funds:
            put((scope, "funds", "gap", "total"), s.funds["budget", "total"] - s.funds["spent", "total"], s)
        put((scope, "rate", "budget"), s.rate * HUNDRED if s.rate is not None else None, s)
        if s.kind == "department":
            counted = s.indicators
            full = sum(1 for i in counted if i.weight is not None and i.score is not None and i.score >= i.weight)
            if counted:
                put((scope, "count", "all"), Decimal(len(counted)), s)
                put((scope, "count", "full"), Decimal(full), s)
                put((scope, "rate", "full"), Decimal(full) / Decimal(len(counted)) * HUNDRED, s)
    return facts


def names_of(units: list[Unit]) -> Names:
    """The names an extractor attributes to: the default systems' levels, and the given units' own."""
    from ..core.system import load_system

    levels, level2 = [EXEC_PART], []
    for kind in ("department", "project"):
        for level in load_system(None, kind).levels:
            levels.append(level.name)
            level2 += [c.name for c in level.children]
    projects, indicators = [], {}
    for unit in units:
        for s in unit.summaries:
            for part in s.parts:
                levels.append(part.name)
                level2 += [c.name for c in part.children]
            if s.kind == "project":
                projects.append(s.name)
            indicators.setdefault(s.scope, []).extend(plain(i.name) for i in s.indicators)
    return Names(tuple(dict.fromkeys(levels)), tuple(dict.fromkeys(level2)), tuple(dict.fromkeys(projects)),
                 {k: tuple(v) for k, v in indicators.items()})
