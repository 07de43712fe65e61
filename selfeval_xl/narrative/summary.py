"""One table as the report speaks of it: scores by level, indicators, funds — every figure the draft
writes and the checker compares, taken from the table as it states them (recomputed where blank).

Both the drafter and the checker read a table through :func:`summarise`, so the report says what the
checker expects, and a figure the checker compares is one the drafter would write.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from ..core.model import Cell, IndicatorRow, Table
from ..core.recompute import Recomputed, match_level, number, rate_number
from ..core.system import IndicatorSystem
from .numbers import percent_text, score_text

EXEC_PART = "预算执行"
_TO_WAN = {"万元": Decimal(1), "元": Decimal("0.0001")}


@dataclass
class Indicator:
    name: str
    level1: str
    level2: str
    target: str                 # 年度指标值 as a reader sees it (≥98%, 21集, 达成年度指标)
    actual: str
    weight: Decimal | None
    score: Decimal | None
    reason: str = ""

    @property
    def short(self) -> bool:
        """Scored below its 分值."""
        return self.weight is not None and self.score is not None and self.score < self.weight


@dataclass
class Part:
    """A level (一级 or 二级) with its stated 分值 and 自评; a project's 预算执行 is a part too."""

    name: str
    weight: Decimal | None
    score: Decimal | None
    children: list["Part"] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)
    bonus: bool = False


@dataclass
class Summary:
    """Small and picklable on purpose (no model objects): a batch worker builds it beside the table checks
    and sends it to the parent, so a workbook is read once whatever the run does with its report."""

    kind: str                          # project / department
    name: str                          # 项目名称 or the 单位
    unit: str
    year: int | None
    path: str
    weight: Decimal | None = None      # 100
    score: Decimal | None = None       # 总分 as stated
    grade: str = ""
    parts: list[Part] = field(default_factory=list)
    funds: dict[tuple[str, str], Decimal] = field(default_factory=dict)   # (budget|spent, total|basic|project)
    rate: Decimal | None = None        # 预算完成率 / 执行率 (fraction)
    goal: str = ""                     # 预期目标 (project)
    achieved: str = ""

    @property
    def indicators(self) -> list[Indicator]:
        return [i for p in self.parts for i in p.indicators]

    @property
    def scope(self) -> str:
        """The key the checker files this table's figures under: "" for the department, else the project."""
        return "" if self.kind == "department" else self.name


def _text(cell: Cell | None, percent: bool) -> str:
    if cell is None or cell.blank:
        return ""
    value = cell.value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return percent_text(Decimal(str(value))) if percent else score_text(Decimal(str(value)))
    return cell.text


def _indicator(row: IndicatorRow, stated_or_expected: Decimal | None) -> Indicator:
    unit = row.get("unit").text if row.get("unit") is not None else ""
    name = row.level3
    percent = unit == "%" or (not unit and any(w in name for w in ("率", "满意度")))
    direction = row.get("direction").text if row.get("direction") is not None else ""
    target, actual = _text(row.get("target"), percent), _text(row.get("actual"), percent)
    suffix = "" if percent or unit in ("", "%") else unit
    if direction == "区间":
        high = _text(row.get("target_high"), percent)
        target = f"{target}{suffix}–{high}{suffix}"
    elif direction in ("≥", "≤", "=", ">", "<") and target:
        target = f"{direction}{target}{suffix}"
    elif target and direction != "定性":
        target += suffix
    if actual and direction not in ("定性",) and suffix and actual[-1].isdigit():
        actual += suffix
    reason = row.get("reason").text if row.get("reason") is not None else ""
    return Indicator(name, row.level1, row.level2, target, actual, number(row.get("weight")), stated_or_expected,
                     reason)


def summarise(table: Table, re: Recomputed, system: IndicatorSystem, path: str = "") -> Summary:
    """The figures of one table, as stated (a blank or formula score: its recomputed value)."""
    s = Summary(table.kind, table.name, table.unit, table.year, path)
    expected = {id(o.row): o.expected for o in re.rows}
    parts: dict[str, Part] = {}
    for level in system.levels:
        parts[level.name] = Part(level.name, None, None, [Part(c.name, None, None) for c in level.children],
                                 bonus=level.bonus)
    for row in table.indicators:
        level = match_level(system.levels, row.level1)
        if level is None:
            continue
        part = parts[level.name]
        if row.kind == "subtotal":
            part.weight, part.score = number(row.get("weight")), number(row.get("score"))
            continue
        stated = number(row.get("score"))
        ind = _indicator(row, stated if stated is not None else expected.get(id(row)))
        if row.kind == "bonus":
            part.bonus = True
            part.weight = _add(part.weight, ind.weight)
            part.score = _add(part.score, ind.score) if ind.score is not None else (part.score or Decimal(0))
            continue
        part.indicators.append(ind)
        child = match_level(level.children, row.level2) if level.children else None
        name2 = child.name if child is not None else row.level2
        if name2:
            group = next((c for c in part.children if c.name == name2), None)
            if group is None:
                group = Part(name2, None, None)
                part.children.append(group)
            group.indicators.append(ind)
    for part in parts.values():
        if part.bonus:
            continue
        for child in part.children:
            child.weight, child.score = _sum(i.weight for i in child.indicators), _sum(i.score for i in child.indicators)
        part.children = [c for c in part.children if c.indicators]
        if part.weight is None:
            part.weight = _sum(i.weight for i in part.indicators)
        if part.score is None:
            part.score = _sum(i.score for i in part.indicators)
    s.parts = [p for p in parts.values() if p.indicators or (p.bonus and p.weight is not None)]
    scale = _TO_WAN.get(table.amount_unit, Decimal(1))
    keys = {"department": (("total", "total"), ("basic", "basic"), ("project", "project")),
            "project": (("total", "total"),)}[table.kind]
    for key, name in keys:
        row = table.funds.get(key)
        for column in ("budget", "spent"):
            value = number(row.get(column)) if row else None
            if value is not None:
                s.funds[column, name] = value * scale
    total = table.funds.get("total")
    rate_cell = total.get("rate") if total else None
    s.rate = rate_number(rate_cell) if rate_cell is not None and not rate_cell.blank else (
        Decimal(str(re.exec_rate)) if re.exec_rate is not None else None)
    if table.kind == "project" and total is not None:
        exec_part = Part(EXEC_PART, number(total.get("weight")), number(total.get("score")))
        if exec_part.score is None:
            exec_part.score = re.exec_score
        s.parts.insert(0, exec_part)
    s.score = number(table.total) if table.total is not None and not table.total.blank else re.total
    s.weight = number(table.total_weight) if table.total_weight is not None else None
    if s.weight is None:
        s.weight = _sum(p.weight for p in s.parts)
    stated = re.expected(table.grade)          # None also where the 等级 label's row is a legend of the grades
    s.grade = stated.cell.text if stated is not None and not stated.cell.blank else (re.grade or "")
    s.goal = table.goal["expected"].text if "expected" in table.goal else ""
    s.achieved = table.goal["achieved"].text if "achieved" in table.goal else ""
    return s


def _add(a: Decimal | None, b: Decimal | None) -> Decimal | None:
    return b if a is None else a if b is None else a + b


def _sum(values) -> Decimal | None:
    values = [v for v in values if v is not None]
    return sum(values, Decimal(0)) if values else None
