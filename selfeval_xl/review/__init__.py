"""抽查复核: the bureau's review of the self-evaluations, indicator by indicator, with its trail.

财预〔2020〕10号 第十九条 has the finance bureau review the 单位's self-evaluations; practice (SPEC: 抽查复核)
samples projects, copies each table into a 复核底稿, applies its 口径 and writes a 复核问题清单 and a
复核结论 per 单位. Here: :func:`draw_sample` (seeded, risk-weighted, recorded), :func:`write_worksheet`
(the 底稿, computing in its cells), :func:`review_report` (the filled 底稿 read back, recomputed,
checked, and the 复核报告 written). The 口径, P-levels, quality grades and sampling weights are the
bureau's data (:mod:`.config`).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from ..core.limits import DEFAULT_LIMITS, Limits
from .config import ReviewRules
from .rules_source import load_rules
from .judge import Conclusion, Issue, conclusions_of, issues_of
from .projects import Project, load_projects
from .readback import FilledSheet, Problem, SheetError, read_isolated
from .report_book import write_report
from .sample import Draw, draw, unknown_keys
from .sheet import Written, write_sheet

__all__ = ["Draw", "ReviewRules", "load_rules", "draw_sample", "write_worksheet", "review_report", "ReviewError",
           "Reviewed", "SheetError", "sample_projects", "check_drawn", "Project", "Issue", "Conclusion", "Problem"]


class ReviewError(ValueError):
    """A review that cannot be made as asked (no project found, a key naming none, a draw whose files
    changed): the message says why, Chinese first."""


@dataclass
class Sampled:
    draw: Draw
    projects: list[Project]
    left: list[tuple[str, str]]      # (file, why it gave no project)

    @property
    def drawn(self) -> list[Project]:
        by = {(p.path, p.name): p for p in self.projects}
        return [by[c.path, c.name] for c in self.draw.drawn]


def draw_sample(paths: Iterable[str | Path], n: int, rules: ReviewRules, seed: int | None = None,
                keys: tuple[str, ...] = (), system_ref: str | None = None, jobs: int = 0,
                limits: Limits = DEFAULT_LIMITS, kinds: tuple[str, ...] = ("project",)) -> Sampled:
    """Read every table of ``kinds`` under ``paths`` and draw ``n`` of them (``keys`` first)."""
    projects, left = load_projects(paths, system_ref, jobs, limits, kinds)
    return sample_projects(projects, left, n, rules, seed, keys)


def sample_projects(projects: list[Project], left: list[tuple[str, str]], n: int, rules: ReviewRules,
                    seed: int | None = None, keys: tuple[str, ...] = ()) -> Sampled:
    """Draw ``n`` of these projects (``keys`` first), read already (the web page reads its collection's
    latest files, named by 单位 and upload)."""
    if not projects:
        raise ReviewError("没有找到绩效自评表，无法抽样 / no table found")
    unknown = unknown_keys(projects, keys)
    if unknown:
        raise ReviewError(f"重点项目未找到：{'、'.join(unknown)}（按项目名称、单位/项目或文件名指定）/ "
                          "key projects not found")
    return Sampled(draw(projects, n, rules, seed, keys), projects, left)


def drawn_again(record: Draw, projects: list[Project]) -> list[Project]:
    """The projects a recorded draw names, from a fresh read of its files: each must still be there with
    the bytes it had when drawn (its SHA-256), or the 底稿 would review something else."""
    by = {(p.path, p.name): p for p in projects}
    chosen, problems = [], []
    for c in record.drawn:
        project = by.get((c.path, c.name))
        if project is None:
            problems.append(f"{c.key}（{c.path}）未找到")
        elif c.digest and project.digest != c.digest:
            problems.append(f"{c.key}（{c.path}）的文件在抽样后被改动")
        else:
            chosen.append(project)
    if problems:
        raise ReviewError("抽样记录与文件不符 / the draw does not match the files: " + "；".join(problems))
    return chosen


def write_worksheet(paths: Iterable[str | Path], output: str | Path, rules: ReviewRules,
                    record: Draw | None = None, n: int | None = None, seed: int | None = None,
                    keys: tuple[str, ...] = (), system_ref: str | None = None, jobs: int = 0,
                    limits: Limits = DEFAULT_LIMITS, kinds: tuple[str, ...] = ("project",)
                    ) -> tuple[Written, Draw | None, list[tuple[str, str]]]:
    """The 底稿 of the tables of ``kinds`` under ``paths``: those a recorded draw names (of whatever
    kind it drew), a draw made now (``n``), or every table found."""
    if record is not None:
        kinds = tuple(sorted({c.kind for c in record.drawn} | set(kinds)))
    if n is not None:
        sampled = draw_sample(paths, n, rules, seed, keys, system_ref, jobs, limits, kinds)
        return write_sheet(sampled.drawn, output, rules, sampled.draw), sampled.draw, sampled.left
    projects, left = load_projects(paths, system_ref, jobs, limits, kinds)
    if not projects:
        raise ReviewError("没有找到项目支出绩效自评表 / no project table found")
    chosen = drawn_again(record, projects) if record is not None else projects
    return write_sheet(chosen, output, rules, record), record, left


def check_drawn(sheet: FilledSheet, record: Draw) -> None:
    """The projects of a filled 底稿 are those ``record`` drew, each once (a 底稿 of another draw, or one
    whose hidden sheet was edited, must not pass as this one's)."""
    drawn = sorted((c.path, c.name) for c in record.drawn)
    found = sorted((p.path, p.name) for p in sheet.projects)
    if found != drawn:
        strange = [f"{name}（{path}）" for path, name in sorted(set(found) - set(drawn))]
        missing = [f"{name}（{path}）" for path, name in sorted(set(drawn) - set(found))]
        raise SheetError("这份底稿不是本次抽样的复核底稿 / not the 底稿 of this draw"
                         + (f"；抽样中没有：{'、'.join(strange)[:300]}" if strange else "")
                         + (f"；底稿中缺少：{'、'.join(missing)[:300]}" if missing else ""))


@dataclass
class Reviewed:
    sheet: FilledSheet
    issues: list[Issue]
    conclusions: list[Conclusion]
    path: Path


def review_report(filled: str | Path, output: str | Path, rules: ReviewRules,
                  limits: Limits = DEFAULT_LIMITS, system_ref: str | None = None, record: Draw | None = None) -> Reviewed:
    """Read a filled 底稿 (in a worker under ``limits``), recompute and check it (under ``system_ref``,
    else each sheet's own system), and write the 复核报告. With ``record``: the 底稿 must review what
    that draw drew, or :class:`SheetError`."""
    sheet = read_isolated(filled, rules, limits, system_ref)
    if record is not None:
        check_drawn(sheet, record)
    issues, conclusions = issues_of(sheet, rules), conclusions_of(sheet, rules)
    path = write_report(conclusions, issues, sheet.problems, rules, output, Path(filled).name)
    return Reviewed(sheet, issues, conclusions, path)
