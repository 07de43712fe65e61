"""Each 单位's part of a 复核报告: what its page may show of the report, and nothing of another 单位.

A 单位 is told only of the tables it uploaded (a draw lays them out one folder per 单位,
:func:`.review_tab._lay_out`): a 结论 gathering tables of several 单位's uploads is nobody's part.
Every text is cleaned (controls made visible, cut): it comes from tables and a 底稿 that travelled.
"""
from __future__ import annotations

from typing import Any

from . import exports, views
from ..core.sanitize import clean_text
from .store import ReviewReport, Unit

MOST_TEXT = 2000
"""Characters of one published text (a 结论, an 意见): the page is not the 复核报告."""


def _text(value: Any) -> str:
    return clean_text(str(value or ""))[:MOST_TEXT]


def _folders(states: list[views.UnitState]) -> dict[str, Unit]:
    """Each 单位's folder in a draw (as :func:`.review_tab._lay_out` names it; two names never share
    one, :func:`~selfeval_xl.core.sanitize.file_name` marks a changed name with its hash) → the 单位."""
    return {exports.Folder(st.unit.name).name: st.unit for st in states}


def _clean(conclusion: dict[str, Any]) -> dict[str, Any]:
    """The part of a 结论 a 单位 sees, every text cleaned (controls made visible, cut)."""
    return {"unit": _text(conclusion["unit"]), "text": _text(conclusion["text"]),
            "projects": [{"name": _text(p["name"]), "kind": p["kind"], "self_total": p["self_total"],
                          "review_total": p["review_total"], "self_grade": _text(p["self_grade"]),
                          "review_grade": _text(p["review_grade"]),
                          "rows": [{"name": _text(r["name"]), "level2": _text(r["level2"]),
                                    "self_score": r["self_score"], "review_score": r["review_score"],
                                    "basis": _text(r["basis"]), "opinion": _text(r["opinion"])}
                                   for r in p["rows"]]}
                         for p in conclusion["projects"]]}


def publishable(report: ReviewReport, states: list[views.UnitState]) -> dict[int, tuple[Unit, list[dict]]]:
    """单位 id → (the 单位, its 结论 in this report, cleaned): the 结论 whose every table came from
    that 单位's uploads. A report kept before tables carried their folder publishes nothing."""
    folders = _folders(states)
    found: dict[int, tuple[Unit, list[dict]]] = {}
    for conclusion in report.summary.get("conclusions", []):
        owners = {folders.get(p.get("folder", "")) for p in conclusion["projects"]}
        if len(owners) == 1 and None not in owners and all("rows" in p for p in conclusion["projects"]):
            unit = owners.pop()
            found.setdefault(unit.id, (unit, []))[1].append(_clean(conclusion))
    return found
