"""Drawing the projects to review: key projects by hand, the rest random with risk weights, reproducible.

Why weighted and seeded: 财预〔2020〕10号 leaves the choice to the bureau, and practice samples at random
plus what is 资金量大、社会关注度高 (SPEC: 抽查复核). Each candidate's weight is ``base + Σ weight ×
factor`` with factors in 0–1 (amount, every indicator self-scored full, the 填报 − 重算 gap, findings,
定性 share), all set in the review rules' data. The draw is weighted sampling without replacement
(Efraimidis–Spirakis: the largest ``u^(1/w)`` win) from ``random.Random(seed)`` over the candidates in
a stable order, so the same files and seed give the same draw on any machine; the seed, the weights and
every candidate's factors are recorded (:class:`Draw`, written beside the 底稿 and into its 抽样 sheet).
"""
from __future__ import annotations

import datetime
import json
import random
import secrets
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .config import ReviewRules
from .projects import Project

KEY, WEIGHTED = "重点", "随机加权"
DRAW_VERSION = 1


@dataclass
class Candidate:
    """One project in the draw: its risk factors (0–1 each), its weight, and whether and why it was drawn."""

    key: str
    unit: str
    name: str
    path: str
    digest: str
    budget: float | None
    factors: dict[str, float]
    weight: float
    drawn: str = ""            # "" not drawn, 重点 (by hand), 随机加权
    order: int = 0             # 1… in the order drawn
    kind: str = "project"      # project, or department (a 部门整体 table)


@dataclass
class Draw:
    seed: int
    n: int
    rules: str
    base: float
    factor_weights: dict[str, float]
    candidates: list[Candidate] = field(default_factory=list)
    made: str = ""
    version: int = DRAW_VERSION

    @property
    def drawn(self) -> list[Candidate]:
        return sorted((c for c in self.candidates if c.drawn), key=lambda c: c.order)

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, indent=1)

    @classmethod
    def from_json(cls, text: str) -> "Draw":
        data = json.loads(text)
        if not isinstance(data, dict) or data.get("version") != DRAW_VERSION:
            raise ValueError("不是本工具的抽样记录 / not a draw written by selfeval review sample")
        candidates = [Candidate(**c) for c in data.pop("candidates")]
        return cls(candidates=candidates, **data)


def factors_of(project: Project, largest_budget: float, rules: ReviewRules) -> dict[str, float]:
    """The risk factors of one project, each in 0–1."""
    def capped(value: float, key: str) -> float:
        scale = rules.factors[key].scale if key in rules.factors else 1.0
        return min(value / scale, 1.0) if scale else 0.0

    scored = [r for r in project.indicators if r.weight]
    full = bool(scored) and all(r.self_score is not None and r.self_score >= r.weight for r in scored)
    weight = sum(r.weight for r in scored)
    qualitative = sum(r.weight for r in scored if r.direction == "定性")
    gap = (abs(project.stated_total - project.recomputed_total)
           if project.stated_total is not None and project.recomputed_total is not None else 0.0)
    return {"amount": (project.budget or 0.0) / largest_budget if largest_budget else 0.0,
            "all_full": 1.0 if full else 0.0,
            "gap": capped(gap, "gap"),
            "findings": capped(project.errors + project.warnings, "findings"),
            "qualitative": qualitative / weight if weight else 0.0}


def weight_of(factors: dict[str, float], rules: ReviewRules) -> float:
    return rules.base_weight + sum(f.weight * factors.get(k, 0.0) for k, f in rules.factors.items())


def draw(projects: list[Project], n: int, rules: ReviewRules, seed: int | None = None,
         keys: tuple[str, ...] = ()) -> Draw:
    """Draw ``n`` projects: those ``keys`` name first (a project name, ``单位/项目`` or a file name),
    then weighted at random. ``seed`` None: a fresh one, recorded."""
    seed = secrets.randbelow(10 ** 9) if seed is None else seed
    largest = max((p.budget or 0.0 for p in projects), default=0.0)
    out = Draw(seed, n, rules.source, rules.base_weight, {k: f.weight for k, f in rules.factors.items()},
               made=datetime.datetime.now().isoformat(timespec="seconds"))
    for p in projects:
        factors = factors_of(p, largest, rules)
        out.candidates.append(Candidate(p.key, p.unit, p.name, p.path, p.digest, p.budget,
                                        {k: round(v, 4) for k, v in factors.items()}, round(weight_of(factors, rules), 4),
                                        kind=p.kind))
    order = 0
    for candidate in out.candidates:
        if _named(candidate, keys) and order < n:
            order += 1
            candidate.drawn, candidate.order = KEY, order
    rng = random.Random(seed)
    # one random number per candidate, in the stable order, whether drawn already or not: a key added
    # later does not reshuffle the others' chances
    scores = [(rng.random() ** (1.0 / c.weight) if c.weight > 0 else 0.0, i) for i, c in enumerate(out.candidates)]
    for _, i in sorted(scores, key=lambda s: (-s[0], s[1])):
        if order >= n:
            break
        if not out.candidates[i].drawn:
            order += 1
            out.candidates[i].drawn, out.candidates[i].order = WEIGHTED, order
    return out


def _named(candidate: Candidate, keys: tuple[str, ...]) -> bool:
    names = {candidate.name, candidate.key, Path(candidate.path).name, Path(candidate.path).stem}
    return any(k.strip() in names for k in keys)


def unknown_keys(projects: list[Project], keys: tuple[str, ...]) -> list[str]:
    """The ``--key`` values that name no project (a typo must not pass as a draw)."""
    return [k for k in keys if not any(_named(Candidate(p.key, p.unit, p.name, p.path, "", None, {}, 0), (k,))
                                       for p in projects)]
