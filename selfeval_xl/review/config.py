"""The bureau's review practice as data: the 口径 (review rules with their effect on a score), the
P-levels by deviation, the 自评质量 grades and the sampling weights (``review/default.yaml``, or a
bureau's own file given with ``--rules``).

Why data: every 口径 is one review firm's or one bureau's practice (SPEC: 抽查复核), not national text;
the same 超额完成 is "no deduction" for one and "−2 分" for another. Code only knows the five kinds of
effect a 口径 may have on a score (:data:`EFFECTS`); the score itself is :func:`rules.review_score`.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..core.datafiles import DataFileError, load_yaml

FOLDER = "review"
DEFAULT = "default"
EFFECTS = {"zero": "不得分", "share": "按比例保留", "deduct": "扣分", "none": "不影响得分", "judged": "酌情评分"}
LEVELS = ("P0", "P1", "P2")
"""Most severe first."""
FACTORS = ("amount", "all_full", "gap", "findings", "qualitative")


@dataclass(frozen=True)
class Basis:
    """One 口径: ``name`` is what the 底稿's drop-down shows; the score keeps ``keep`` of the rule's score
    less ``deduct`` points (``zero``: keep 0; ``judged``: the reviewer types the score)."""

    code: str
    name: str
    wording: str
    effect: str
    level: str
    dimension: str
    advice: str
    source: str
    keep: float = 1.0
    deduct: float = 0.0
    no_evidence: bool = False

    @property
    def label(self) -> str:
        """The drop-down's text: code and name (``K01 无佐证材料``), unique in a list."""
        return f"{self.code} {self.name}"

    @property
    def effect_words(self) -> str:
        """The effect as a reviewer reads it: ``不得分``, ``保留 70%``, ``扣 2 分``, ``不影响得分``, ``酌情评分``."""
        if self.effect == "share":
            return f"保留 {self.keep:.0%}"
        if self.effect == "deduct":
            return f"扣 {self.deduct:g} 分"
        return EFFECTS[self.effect]


@dataclass(frozen=True)
class QualityGrade:
    name: str
    mean_abs_deviation: float
    full_score_share: float
    no_evidence_share: float


@dataclass(frozen=True)
class Factor:
    weight: float
    scale: float = 1.0


@dataclass(frozen=True)
class ReviewRules:
    """A whole review practice: the 口径, P-level bands (``(level, from)``, highest ``from`` first), the
    level a changed 等级 gets, 自评质量 grades and sampling weights."""

    name: str
    title: str
    source: str
    bases: tuple[Basis, ...]
    levels: tuple[tuple[str, float], ...]
    grade_change: str
    quality: tuple[QualityGrade, ...]
    quality_last: str
    base_weight: float = 1.0
    factors: dict[str, Factor] = field(default_factory=dict)

    def basis(self, label: str) -> Basis | None:
        """The 口径 a drop-down text (or a bare code, or a bare name) names."""
        text = " ".join(str(label or "").split())
        return next((b for b in self.bases if text in (b.label, b.code, b.name)), None)

    def level_of(self, deviation: float) -> str:
        """The P-level of a deviation (a share of 分值, either sign)."""
        size = abs(deviation)
        for level, start in self.levels:
            if size >= start:
                return level
        return self.levels[-1][0]


def worse(*levels: str) -> str:
    """The most severe of P-levels (P0 before P2); blanks ignored."""
    known = [lv for lv in levels if lv in LEVELS]
    return min(known, key=LEVELS.index) if known else LEVELS[-1]


def rules_of(source: str, data: dict, raw_bases: list[tuple[str, Any]]) -> ReviewRules:
    """The rules from a file's data, its 口径 given apart (``(where, raw)``: where each was written, for
    the message), validated alike whichever file they came from."""
    problems: list[str] = []
    bases = tuple(b for b in (_basis(raw, where, problems) for where, raw in raw_bases) if b)
    if not bases:
        problems.append("bases：至少要有一条口径 / at least one 口径")
    for what in ("code", "label"):
        values = [getattr(b, what) for b in bases]
        twice = sorted({v for v in values if values.count(v) > 1})
        if twice:
            problems.append(f"口径的 {what} 重复：{'、'.join(twice)} / duplicate {what}")
    levels = tuple((str(lv.get("level")), _number(lv.get("from"), f"levels {lv}", problems))
                   for lv in data.get("levels") or [] if isinstance(lv, dict))
    if [lv for lv, _ in levels] != list(LEVELS) or [f for _, f in levels] != sorted((f for _, f in levels), reverse=True) \
            or (levels and levels[-1][1] != 0):
        problems.append("levels 应依次为 P0、P1、P2，from 从高到低，最后一档 from: 0 / levels must be P0, P1, P2 "
                        "with falling 'from', the last 0")
    grade_change = str(data.get("grade_change", "P1"))
    if grade_change not in LEVELS:
        problems.append(f"grade_change 应为 P0/P1/P2：{grade_change}")
    quality_raw = data.get("quality") or {}
    quality = tuple(QualityGrade(str(g.get("name")), *(_number(g.get(k), f"quality {g.get('name')} {k}", problems)
                                                       for k in ("mean_abs_deviation", "full_score_share",
                                                                 "no_evidence_share")))
                    for g in quality_raw.get("grades") or [] if isinstance(g, dict))
    sampling = data.get("sampling") or {}
    factors = {}
    for key, raw in (sampling.get("factors") or {}).items():
        if key not in FACTORS:
            problems.append(f"sampling.factors：未知因子 {key}（可用 {', '.join(FACTORS)}）")
            continue
        raw = raw if isinstance(raw, dict) else {}
        factors[key] = Factor(_number(raw.get("weight"), f"sampling {key} weight", problems),
                              _number(raw.get("scale", 1), f"sampling {key} scale", problems) or 1.0)
    base_weight = _number(sampling.get("base", 1), "sampling base", problems)
    if problems:
        raise DataFileError(source, problems)
    return ReviewRules(str(data.get("name", DEFAULT)), str(data.get("title", "")), source, bases, levels, grade_change,
                       quality, str(quality_raw.get("last", "差")), base_weight, factors)


def _number(value: Any, where: str, problems: list[str]) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
        problems.append(f"{where}：应为不小于 0 的数字，现为 {value!r}")
        return 0.0
    return float(value)


def _basis(raw: Any, where: str, problems: list[str]) -> Basis | None:
    if not isinstance(raw, dict):
        problems.append(f"{where}：应为映射")
        return None
    missing = [k for k in ("code", "name", "wording", "effect", "level", "dimension", "source") if not raw.get(k)]
    if missing:
        problems.append(f"{where}：缺少 {', '.join(missing)}（每条口径都要注明出处 source）")
        return None
    effect = str(raw["effect"])
    if effect not in EFFECTS:
        problems.append(f"{where}：effect（效果）应为 {' / '.join(f'{k}（{w}）' for k, w in EFFECTS.items())}，现为 {effect}")
        return None
    if str(raw["level"]) not in LEVELS:
        problems.append(f"{where}：level 应为 P0/P1/P2，现为 {raw['level']}")
    keep = {"zero": 0.0, "share": None}.get(effect, 1.0)
    if keep is None:
        keep = _number(raw.get("keep"), f"{where} keep", problems)
        if not 0 <= keep <= 1:
            problems.append(f"{where}：keep 应在 0–1 之间，现为 {keep}")
    deduct = _number(raw.get("deduct"), f"{where} deduct", problems) if effect == "deduct" else 0.0
    return Basis(str(raw["code"]).strip(), str(raw["name"]).strip(), str(raw["wording"]), effect, str(raw["level"]),
                 str(raw["dimension"]), str(raw.get("advice") or ""), str(raw["source"]), keep, deduct,
                 bool(raw.get("no_evidence", False)))
