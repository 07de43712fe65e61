"""Indicator systems (指标体系) as data: levels, weights and the local settings of scoring.

A system is declared in YAML (``selfeval_xl/systems/*.yaml`` or any file) and validated on load:
weights sum to their parent, directions and tiers are known. Declaring is separate from scoring
(as in pandera): the checker and the template builder read a loaded :class:`IndicatorSystem`.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from decimal import Decimal
from pathlib import Path
from typing import Any

from .datafiles import DataFileError, load_yaml, packaged_names
from .rules import DEFAULT_GRADES, DEFAULT_SETTINGS, Band, Direction, ReverseFormula, RuleError, Settings, Tier, grade_list_problems, parse_direction

DEFAULT_SYSTEMS = {"project": "national-project", "department": "guangzhou-department"}
SEVERITY_CHOICES = ("error", "warning", "off")
"""What a system's ``severity:`` map may set a check code to (``off``: not run, never reported); the
codes themselves are validated by the check registry (:func:`selfeval_xl.checks.registry.check_overrides`)."""


@dataclass(frozen=True)
class IndicatorSpec:
    """A suggested third-level indicator: its name, direction, typical target and optional bands.

    ``restates`` names a figure of the table that the indicator's 实际完成值 states again
    (``funds_rate``: the 资金情况 block's 预算完成率), so the checker can hold the two to agree.
    ``source`` cites the text a rule of the indicator comes from (required with ``bands``: a system
    holds only rules someone published).
    """

    name: str
    direction: Direction = Direction.GE
    target: str = ""
    bands: tuple[Band, ...] = ()
    restates: str = ""
    source: str = ""


@dataclass(frozen=True)
class Level:
    """A first- or second-level indicator; ``weight`` is None where the system leaves it open."""

    name: str
    weight: Decimal | None = None
    children: tuple["Level", ...] = ()
    indicators: tuple[IndicatorSpec, ...] = ()
    bonus: bool = False

    def child(self, name: str) -> "Level | None":
        return next((c for c in self.children if c.name == name), None)


@dataclass(frozen=True)
class IndicatorSystem:
    name: str
    title: str
    version: str
    kind: str                      # "project" or "department"
    total: Decimal
    levels: tuple[Level, ...]
    settings: Settings = DEFAULT_SETTINGS
    budget_execution_weight: Decimal = Decimal(0)
    source: str = ""
    severity: tuple[tuple[str, str], ...] = ()     # (check code, error | warning | off): a bureau's choice

    def level(self, name: str) -> Level | None:
        return next((lv for lv in self.levels if lv.name == name), None)

    @property
    def scored_levels(self) -> tuple[Level, ...]:
        """First-level indicators scored from indicator rows (加减分 excluded)."""
        return tuple(lv for lv in self.levels if not lv.bonus)

    @property
    def bonus_level(self) -> Level | None:
        return next((lv for lv in self.levels if lv.bonus), None)

    @cached_property
    def specs(self) -> tuple[IndicatorSpec, ...]:
        """Every suggested third-level indicator of the system, at any depth."""
        found: list[IndicatorSpec] = []
        stack = list(self.levels)
        while stack:
            level = stack.pop()
            stack.extend(level.children)
            found.extend(level.indicators)
        return tuple(found)

    @cached_property
    def banded(self) -> dict[str, tuple[Band, ...]]:
        """The suggested indicators scored by bands (e.g. 预算调整率), by name."""
        return {spec.name: spec.bands for spec in self.specs if spec.bands}

    def restating(self, figure: str) -> tuple[str, ...]:
        """The names of the indicators whose 实际完成值 restates ``figure`` (e.g. ``funds_rate``)."""
        return tuple(spec.name for spec in self.specs if spec.restates == figure)

    def bands_for(self, level3: object) -> tuple[Band, ...]:
        """The bands a row is scored by: those of the indicator its 三级指标 names (surrounding spaces
        ignored, as the template's ``TRIM`` does), else none. The one lookup the engine uses."""
        return self.banded.get(str(level3 if level3 is not None else "").strip(), ())


def available_systems() -> list[str]:
    return packaged_names("systems")


def load_system(name_or_path: str | Path | None = None, kind: str = "project") -> IndicatorSystem:
    """Load a system by packaged name or by path; ``None`` gives the default for ``kind``."""
    source, data = load_yaml("systems", name_or_path or DEFAULT_SYSTEMS[kind])
    problems: list[str] = []
    try:
        system = _build(_well_shaped(data, problems), source, problems)
    except (TypeError, ValueError, KeyError, AttributeError) as exc:    # a shape _well_shaped misses
        problems.append(f"格式不符 / malformed: {type(exc).__name__}: {exc}")
    if problems:
        raise DataFileError(source, problems)
    return system


_SHAPES = {"levels": (list, "列表", "a list"), "settings": (dict, "映射（键: 值）", "a mapping"),
           "severity": (dict, "映射（检查代码: error/warning/off）", "a mapping (check code: error/warning/off)")}


def _well_shaped(data: dict, problems: list[str]) -> dict:
    """``data`` with each top-level key of the wrong type (``levels: 3``, ``settings: 5``) reported and
    dropped, so a hand-edited file gets a message naming the key, not a TypeError traceback."""
    shaped = dict(data)
    for key, (kind, zh, en) in _SHAPES.items():
        if shaped.get(key) is not None and not isinstance(shaped[key], kind):
            problems.append(f"{key} 应为{zh}，实为 {shaped[key]!r} / {key} must be {en}, is {shaped[key]!r}")
            shaped[key] = kind()
    return shaped


def _decimal(value: Any, where: str, problems: list[str]) -> Decimal | None:
    if value is None:
        return None
    try:
        return Decimal(str(value))
    except Exception:
        problems.append(f"{where}: 权重不是数字 / weight is not a number: {value!r}")
        return None


def _indicator(raw: Any, where: str, problems: list[str]) -> IndicatorSpec | None:
    if isinstance(raw, str):
        return IndicatorSpec(raw)
    if not isinstance(raw, dict) or not raw.get("name"):
        problems.append(f"{where}: 三级指标需有 name / indicator needs a name")
        return None
    try:
        direction = parse_direction(raw.get("direction", "≥"))
    except RuleError as exc:
        problems.append(f"{where} {raw['name']}: {exc.message}")
        direction = Direction.GE
    bands = tuple(Band(float(b["upto"]), float(b["fraction"])) for b in raw.get("bands", []) or [])
    if any(not 0 <= b.fraction <= 1 for b in bands):
        problems.append(f"{where} {raw['name']}: 分档比例应在0–1之间 / band fraction must be 0–1")
    source = str(raw.get("source", "") or "")
    if bands and not source:
        problems.append(f"{where} {raw['name']}: 分档评分须用 source 注明出处（文件名、条款） / banded scoring "
                        "must cite its source")
    return IndicatorSpec(str(raw["name"]), direction, str(raw.get("target", "")), bands,
                         str(raw.get("restates", "")), source)


def _level(raw: Any, where: str, problems: list[str]) -> Level | None:
    if not isinstance(raw, dict) or not raw.get("name"):
        problems.append(f"{where}: 每个指标需有 name / every level needs a name")
        return None
    name = str(raw["name"])
    here = f"{where} › {name}"
    weight = _decimal(raw.get("weight"), here, problems)
    children = tuple(c for c in (_level(r, here, problems) for r in raw.get("children", []) or [])
                     if c is not None)
    indicators = tuple(s for s in (_indicator(r, here, problems) for r in raw.get("indicators", []) or [])
                       if s is not None)
    child_weights = [c.weight for c in children if c.weight is not None]
    if weight is not None and child_weights:
        if len(child_weights) != len(children):
            problems.append(f"{here}: 二级指标权重应全部给出或全部不给 / give all child weights or none")
        elif sum(child_weights) != weight:
            problems.append(f"{here}: 下级权重之和 {sum(child_weights)} ≠ {weight} / child weights do not sum"
                            " to the parent")
    return Level(name, weight, children, indicators, bool(raw.get("bonus", False)))


def _tier(raw: dict, problems: list[str]) -> Tier:
    """A 定性 tier; its default must lie inside its own band (财预〔2020〕10号: 部分达成 [60%, 80%), so a
    default of 80% would be 达成's score)."""
    low, high = (float(x) for x in raw["band"])
    tier = Tier(str(raw["key"]), str(raw["phrase"]), tuple(str(a) for a in raw.get("aliases", []) or []),
                low, high, float(raw.get("default", high)), str(raw.get("source", "") or ""))
    if not 0 <= low < high <= 1:
        problems.append(f"settings.tiers {tier.phrase}: 档次区间应满足 0 ≤ 下限 < 上限 ≤ 1 / band must be "
                        f"0 ≤ low < high ≤ 1: {[low, high]}")
    elif not tier.holds(tier.default):
        problems.append(f"settings.tiers {tier.phrase}: 默认得分比例 {tier.default:.0%} 不在本档区间 "
                        f"{tier.band_words} 内 / the default must lie inside the tier's own band")
    return tier


def _settings(raw: dict, source: str, problems: list[str]) -> Settings:
    kwargs: dict[str, Any] = {}
    try:
        if "reverse_formula" in raw:
            kwargs["reverse_formula"] = ReverseFormula(raw["reverse_formula"])
    except ValueError:
        problems.append(f"settings.reverse_formula: 应为 ratio 或 linear / must be ratio or linear: "
                        f"{raw['reverse_formula']!r}")
    for key in ("overachievement_ratio", "exec_rate_explain_below", "score_tolerance"):
        if key in raw:
            kwargs[key] = float(raw[key])
    if "compare_as_shown" in raw:
        kwargs["compare_as_shown"] = bool(raw["compare_as_shown"])
    for key in ("exec_rate_explain_words", "cost_levels", "cost_positive_words"):
        if key in raw:
            kwargs[key] = tuple(str(w) for w in raw[key] or [])
    if "tiers" in raw:
        kwargs["tiers"] = tuple(_tier(t, problems) for t in raw["tiers"])
    if "grades" in raw:
        kwargs["grades"] = tuple((float(floor), str(name)) for floor, name in raw["grades"])
        problems.extend(f"settings.grades: {p}" for p in grade_list_problems(kwargs["grades"]))
    if "grade_words" in raw:
        kwargs["grade_words"] = _grade_words(raw["grade_words"], kwargs.get("grades", DEFAULT_GRADES), problems)
    if "bonus" in raw:
        kwargs["bonus_min"], kwargs["bonus_max"] = (float(x) for x in raw["bonus"])
    unknown = sorted(set(raw) - set(Settings.__dataclass_fields__) - {"bonus"})
    if unknown:
        problems.append(f"settings: 未知的设置项 / unknown settings: {', '.join(map(str, unknown))}（可用 / known: "
                        f"{', '.join(sorted(set(Settings.__dataclass_fields__) - {'bonus_min', 'bonus_max'} | {'bonus'}))}）")
    return Settings(**kwargs)


def _grade_words(raw: Any, grades: tuple[tuple[float, str], ...], problems: list[str]) -> tuple[tuple[str, str], ...]:
    """``{优秀: 优, …}``: other words a table writes for a grade, each for a grade of ``grades``."""
    if not isinstance(raw, dict):
        problems.append("settings.grade_words: 应为“写法: 等级”的映射，如 {优秀: 优} / must map words to grades")
        return ()
    words = tuple((str(word), str(name)) for word, name in raw.items())
    names = {name for _, name in grades}
    unknown = sorted({name for _, name in words if name not in names})
    if unknown:
        problems.append(f"settings.grade_words: {'、'.join(unknown)} 不是等级表中的等级（{'、'.join(n for _, n in grades)}）"
                        " / not grades of the grade list")
    return words


def _build(data: dict, source: str, problems: list[str]) -> IndicatorSystem:
    for key in ("name", "kind", "levels"):
        if key not in data:
            problems.append(f"缺少字段 / missing key: {key}")
    kind = str(data.get("kind", "project"))
    if kind not in DEFAULT_SYSTEMS:
        problems.append(f"kind 应为 project 或 department / kind must be project or department: {kind}")
    levels = tuple(lv for lv in (_level(r, "levels", problems) for r in data.get("levels", []) or [])
                   if lv is not None)
    total = _decimal(data.get("total", 100), "total", problems) or Decimal(100)
    exec_weight = _decimal(data.get("budget_execution_weight", 0), "budget_execution_weight", problems)
    exec_weight = exec_weight or Decimal(0)
    if any(lv.weight is None for lv in levels):
        problems.append("每个一级指标都需给出权重 / every first-level indicator needs a weight")
    elif levels and sum(lv.weight for lv in levels) + exec_weight != total:
        problems.append(f"一级指标权重之和 {sum(lv.weight for lv in levels) + exec_weight} ≠ 总分 {total} / "
                        "first-level weights do not sum to the total")
    settings = _settings(data.get("settings", {}) or {}, source, problems)
    return IndicatorSystem(str(data.get("name", "")), str(data.get("title", data.get("name", ""))),
                           str(data.get("version", "")), kind, total, levels, settings, exec_weight, source,
                           _severity(data.get("severity") or {}, problems))


def _severity(raw: dict, problems: list[str]) -> tuple[tuple[str, str], ...]:
    """The ``severity:`` map (``far-over-target: off``, ``weight-split-differs: error``), its values checked."""
    out = tuple((str(code), str(value).strip().lower()) for code, value in raw.items())
    problems += [f"severity.{code}: 级别应为 error、warning 或 off / must be error, warning or off: {value}"
                 for code, value in out if value not in SEVERITY_CHOICES]
    return out
