"""The 复核 tab's steps on files, run in the warm workers (:mod:`.workers`): the draw and its 底稿, the
filled 底稿 read back into the 复核报告, a bureau's 口径 file validated or written as a workbook.

Why in the workers: the collection's tables, a 底稿 that went to a reviewer's PC and came back, a 口径
.xlsx — all are files that travelled, read under the workers' time and memory limits like every upload;
the server only keeps what these steps return (JSON-able: a refusal is ``{"refused": "…"}``, said on
the page as it is).
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any

MOST_SHOWN = 200
"""Issues and 底稿 problems kept for the page (the 复核报告 holds them all)."""


def _rules(rules_ref: str | None):
    from ..review import load_rules

    return load_rules(rules_ref)


def draw(folder: str, n: int, seed: int | None, keys: tuple[str, ...], rules_ref: str | None, output: str,
         kinds: tuple[str, ...]) -> dict[str, Any]:
    """Read every table of ``kinds`` under ``folder`` (the collection's latest files, one folder per
    单位), draw ``n`` and write their 底稿 to ``output``. Each project is named by ``单位/file`` (its
    place under ``folder``), not by where the server keeps it."""
    from ..core.datafiles import DataFileError
    from ..review import ReviewError, sample_projects
    from ..review.projects import load_projects
    from ..review.sheet import write_sheet

    try:
        rules = _rules(rules_ref)
        projects, left = load_projects([folder], kinds=kinds)
        for project in projects:
            project.path = _under(project.path, folder)
        projects.sort(key=lambda p: (p.unit, p.name, p.path))
        sampled = sample_projects(projects, [(_under(p, folder), why) for p, why in left], n, rules, seed, keys)
    except (ReviewError, DataFileError) as exc:
        return {"refused": str(exc)}
    written = write_sheet(sampled.drawn, output, rules, sampled.draw)
    return {"record": sampled.draw.to_json(), "seed": sampled.draw.seed, "rows": written.rows,
            "manual": written.manual, "left": sampled.left}


def _under(path: str, folder: str) -> str:
    """``单位/file``: where a file lies under the draw's folder."""
    return Path(os.path.relpath(path, folder)).as_posix()


def report(filled: str, output: str, rules_ref: str | None, record_json: str) -> dict[str, Any]:
    """The filled 底稿 read back (it must be this draw's), the 复核报告 written to ``output``, and what
    the page shows: each 单位's 复核结论, the issues by level, the 底稿's own problems."""
    from ..core.datafiles import DataFileError
    from ..review import Draw, SheetError, review_report

    try:
        done = review_report(filled, output, _rules(rules_ref), record=Draw.from_json(record_json))
    except (SheetError, DataFileError) as exc:
        return {"refused": str(exc)}
    levels = {lv: sum(i.level == lv for i in done.issues) for lv in ("P0", "P1", "P2")}
    return {"levels": levels,
            "conclusions": [{"unit": c.unit, "text": c.text, "quality": c.quality.grade if c.quality else "",
                             "projects": [{"name": p.project.name, "self_total": _num(p.self_total),
                                           "review_total": _num(p.review_total), "self_grade": p.self_grade,
                                           "review_grade": p.review_grade, "gap": _num(p.gap),
                                           "kind": p.project.kind, "folder": p.project.path.split("/")[0],
                                           "rows": _remarked(p.project.rows)}
                                          for p in c.projects]} for c in done.conclusions],
            "issues": [{"level": i.level, "subject": i.subject, "finding": i.finding, "place": i.place}
                       for i in done.issues[:MOST_SHOWN]],
            "problems": [{"place": p.place, "message": p.message} for p in done.sheet.problems[:MOST_SHOWN]],
            "problem_count": len(done.sheet.problems)}


def _remarked(rows) -> list[dict[str, Any]]:
    """The rows a 单位 is told of: those the review scored otherwise, or gave a 口径 or an 意见."""
    return [{"name": r.name, "level2": r.level2, "self_score": _num(r.self_score), "review_score": _num(r.score),
             "basis": r.basis_text, "opinion": r.opinion}
            for r in rows if r.changed or r.basis_text or r.opinion]


def _num(value) -> float | None:
    return None if value is None else float(value)


def check_rules(path: str) -> dict[str, Any]:
    """A bureau's 口径 file (.xlsx or .yaml) validated: how many 口径, or every problem."""
    from ..core.datafiles import DataFileError

    try:
        return {"bases": len(_rules(path).bases)}
    except DataFileError as exc:
        return {"refused": str(exc)}


def kouji_workbook(rules_ref: str | None, output: str) -> dict[str, Any]:
    """The 口径 in use as the workbook a bureau edits (:func:`selfeval_xl.review.kouji_book.write_template`)."""
    from ..review.kouji_book import write_template

    write_template(_rules(rules_ref), output)
    return {}
