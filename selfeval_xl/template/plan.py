"""Plan a 自评表 template: where every input and every computed cell lives, before anything is written.

The table is planned once from the declared layout (:func:`~selfeval_xl.core.layout.load_layout`) and
the indicator system (:func:`~selfeval_xl.core.system.load_system`) into a :class:`TemplateMap`; the
writer (:mod:`.writer`), ``fill`` and the tests read cells from the map, never from counted rows.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_DOWN, Decimal

from ..core.layout import Layout, load_layout
from ..core.system import IndicatorSpec, IndicatorSystem, Level, load_system
from ..read.grid import column_letter, parse_ref

TEMPLATE_VERSION = "1.0"
BLANK_ROWS = {"project": 2, "department": 4}
"""Blank indicator rows per group the system suggests no indicators for (a form choice, not a rule)."""


def col(index: int) -> str:
    """1-based column number → letters."""
    return column_letter(index - 1)


def row_of(ref: str) -> int:
    """``"C12"`` → 12."""
    return parse_ref(ref)[0] + 1


def column_of(ref: str) -> int:
    """``"C12"`` → 3 (1-based column number)."""
    return parse_ref(ref)[1] + 1


# --------------------------------------------------------------------------- the plan: TemplateMap

@dataclass(frozen=True)
class IndicatorRowPlan:
    """One row of the indicator table as the template prefills it."""

    row: int
    level1: str
    level2: str
    weight: Decimal | None
    spec: IndicatorSpec | None = None


@dataclass
class TemplateMap:
    """Where everything lives in a template built by :func:`build_template` (same kind and system).

    For a program that fills the form (``fill``) or reads it back:

    - ``sheet``: the sheet holding the table; ``title``: the title cell.
    - ``fields[key]``: the value cell of a header field (``project_name``, ``department``,
      ``implementer`` / ``unit_name``); ``goal[key]`` likewise (``expected``, ``achieved``).
    - ``funds[(row_key, column_key)]``: a cell of the funds block, e.g. ``funds["total", "budget"]``.
      Inputs are the amount columns (``initial``, ``budget``, ``spent``) and the execution ``weight``
      of the total row; ``rate`` and ``score`` hold formulas.
    - ``indicator_rows``: the data rows of the indicator table, top to bottom (no 小计 or 加减分 rows);
      ``columns[key]``: the column letter of an indicator column (``level3``, ``direction``, ``unit``,
      ``target``, ``target_high``, ``actual``, ``weight``, ``score``, ``reason`` …);
      ``cell(row, key)`` joins the two.
    - ``level1_rows[name]`` / ``level2_rows[(level1, level2)]``: the data rows prefilled with that
      level. 一级 and 二级 cells are merged over their rows (value in the first row): unmerge before
      writing a different level into a later row.
    - department kind: ``subtotal_rows[level1]`` (the ``<一级>小计`` rows, formulas), ``bonus_rows``
      (加减分项: type the score, −5…+5, in the ``score`` column).
    - ``total`` / ``grade``: the 总分 and 等级 cells (formulas).

    Write values, never formulas, into input cells: numbers as numbers (a percentage as its fraction,
    0.98 for 98%), 指标性质 as ``Direction.value`` (≥ ≤ = 区间 定性), 定性 actuals as the tier phrase.
    Write the ``score`` of a 定性 row only to replace the tier's default by a score of one's own.
    """

    kind: str
    sheet: str
    title: str
    header_row: int
    fields: dict[str, str]
    funds: dict[tuple[str, str], str]
    columns: dict[str, str]
    indicator_rows: tuple[int, ...]
    level1_rows: dict[str, tuple[int, ...]]
    level2_rows: dict[tuple[str, str], tuple[int, ...]]
    total: str
    grade: str
    goal: dict[str, str] = field(default_factory=dict)
    subtotal_rows: dict[str, int] = field(default_factory=dict)
    bonus_rows: tuple[int, ...] = ()
    plans: tuple[IndicatorRowPlan, ...] = ()

    def cell(self, row: int, key: str) -> str:
        return f"{self.columns[key]}{row}"

    @property
    def last_row(self) -> int:
        return row_of(self.grade)


def _split(weight: Decimal | None, parts: int) -> list[Decimal | None]:
    """A weight shared over rows with 2 decimals, the rest on the first row, so the parts sum exactly."""
    if weight is None or parts == 0:
        return [None] * parts
    each = (weight / parts).quantize(Decimal("0.01"), rounding=ROUND_DOWN)
    return [weight - each * (parts - 1)] + [each] * (parts - 1)


def _group_plans(level1: Level, start: int, blank_rows: int) -> list[IndicatorRowPlan]:
    """The rows of one 一级 group: one block per 二级 (its suggested indicators, or blank rows)."""
    children = level1.children or (Level(""),)
    blocks = [(child, list(child.indicators) or [None] * blank_rows) for child in children]
    per_child = bool(level1.children) and all(child.weight is not None for child in children)
    weights = ([w for child, specs in blocks for w in _split(child.weight, len(specs))] if per_child
               else _split(level1.weight, sum(len(specs) for _, specs in blocks)))
    rows = [(child.name, spec) for child, specs in blocks for spec in specs]
    return [IndicatorRowPlan(start + i, level1.name, name, weight, spec)
            for i, ((name, spec), weight) in enumerate(zip(rows, weights))]


def field_slots(width: int) -> tuple[tuple[int, int], tuple[int, int]]:
    """Two value slots of a row (columns 3…), for header pairs and two-column blocks."""
    half = (width - 2) // 2
    return (3, 2 + half), (3 + half, width)


def template_map(kind: str, system: IndicatorSystem | str | None = None,
                 layout: Layout | None = None) -> TemplateMap:
    """Plan a template: the same positions :func:`build_template` writes, without openpyxl."""
    layout = layout or load_layout(kind)
    system = resolve_system(kind, system)
    width = len(layout.indicators.columns)
    row = 2
    fields: dict[str, str] = {}
    first, *rest = layout.fields
    fields[first.key] = f"C{row}"
    for i in range(0, len(rest), 2):
        row += 1
        fields[rest[i].key] = f"C{row}"
        if i + 1 < len(rest):
            fields[rest[i + 1].key] = f"{col(field_slots(width)[1][0] + 2)}{row}"
    funds_header = row + 1
    spans = fund_spans(layout, width)
    funds = {(r.key, c.key): f"{col(spans[c.key][0])}{funds_header + 1 + i}"
             for i, r in enumerate(layout.funds.rows) for c in layout.funds.columns}
    row = funds_header + len(layout.funds.rows)
    goal: dict[str, str] = {}
    if layout.goal is not None:
        for column, (start, _) in zip(layout.goal.columns, field_slots(width)):
            goal[column.key] = f"{col(start)}{row + 2}"
        row += 2
    header_row = row + 1
    columns = {c.key: col(i + 1) for i, c in enumerate(layout.indicators.columns)}
    plans: list[IndicatorRowPlan] = []
    subtotal_rows: dict[str, int] = {}
    row = header_row + 1
    for level1 in system.scored_levels:
        group = _group_plans(level1, row, BLANK_ROWS[kind])
        plans += group
        row += len(group)
        if kind == "department":
            subtotal_rows[level1.name] = row
            row += 1
    bonus_rows: tuple[int, ...] = ()
    if system.bonus_level is not None:
        bonus_rows = (row,)
        row += 1
    level1_rows: dict[str, tuple[int, ...]] = {}
    level2_rows: dict[tuple[str, str], tuple[int, ...]] = {}
    for p in plans:
        level1_rows[p.level1] = level1_rows.get(p.level1, ()) + (p.row,)
        level2_rows[p.level1, p.level2] = level2_rows.get((p.level1, p.level2), ()) + (p.row,)
    score = columns["score"]
    return TemplateMap(kind, layout.title, "A1", header_row, fields, funds, columns,
                       tuple(p.row for p in plans), level1_rows, level2_rows, f"{score}{row}",
                       f"{score}{row + 1}", goal, subtotal_rows, bonus_rows, tuple(plans))


def fund_spans(layout: Layout, width: int) -> dict[str, tuple[int, int]]:
    """The columns each funds column spans (after 2 label and 2 row-label columns), extra to the last."""
    n = len(layout.funds.columns)
    base, extra = divmod(width - 4, n)
    spans, start = {}, 5
    for i, column in enumerate(layout.funds.columns):
        size = base + (1 if i >= n - extra else 0)
        spans[column.key] = (start, start + size - 1)
        start += size
    return spans


def resolve_system(kind: str, system: IndicatorSystem | str | None) -> IndicatorSystem:
    if kind not in ("project", "department"):
        raise ValueError(f"表格种类应为 project 或 department / kind must be project or department: {kind!r}")
    loaded = system if isinstance(system, IndicatorSystem) else load_system(system, kind)
    if loaded.kind != kind:
        raise ValueError(f"指标体系 {loaded.name} 属于 {loaded.kind}，不能用于 {kind} 表 / "
                         f"system {loaded.name} is for {loaded.kind} tables, not {kind}")
    return loaded
