"""Build the official 自评表 as template workbooks that compute in Excel, WPS and LibreOffice.

The table is planned once from the declared layout (:func:`layout.load_layout`) and the indicator
system (:func:`system.load_system`) into a :class:`TemplateMap` — where every input and every computed
cell lives — and then written with openpyxl from that map. Labels come from the layout, weights and
levels from the system, formula text from :mod:`excel_rules`; nothing here knows a rule.

Regenerate the committed templates with ``python -m selfeval_xl.template.writer --regenerate workbook_templates``.
"""
from __future__ import annotations

import argparse
import datetime
import io
import zipfile
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Iterable

from ..core import excel_rules
from ..core.excel_rules import IndicatorCells
from ..core.layout import META_SHEET, Label, Layout, load_layout
from ..core.parse import ParseError, parse_value
from ..read.grid import column_letter, parse_ref
from ..core.rules import DIRECTION_CHOICES, Direction, describe_bands
from ..core.sanitize import write_openpyxl
from ..core.system import IndicatorSystem, IndicatorSpec, Level, load_system
from ..core.textwidth import lines_needed

if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

TEMPLATE_VERSION = "1.0"
INSTRUCTIONS_SHEET = "填表说明"
BLANK_ROWS = {"project": 2, "department": 4}
"""Blank indicator rows per group the system suggests no indicators for (a form choice, not a rule)."""
FIXED_TIME = datetime.datetime(2024, 1, 1)
"""docProps and zip entry timestamps of every file we write, so a template is byte-for-byte stable."""


def _col(index: int) -> str:
    """1-based column number → letters."""
    return column_letter(index - 1)


def _row(ref: str) -> int:
    """``"C12"`` → 12."""
    return parse_ref(ref)[0] + 1


def _column(ref: str) -> int:
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
        return _row(self.grade)


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


def _field_slots(width: int) -> tuple[tuple[int, int], tuple[int, int]]:
    """Two value slots of a row (columns 3…), for header pairs and two-column blocks."""
    half = (width - 2) // 2
    return (3, 2 + half), (3 + half, width)


def template_map(kind: str, system: IndicatorSystem | str | None = None,
                 layout: Layout | None = None) -> TemplateMap:
    """Plan a template: the same positions :func:`build_template` writes, without openpyxl."""
    layout = layout or load_layout(kind)
    system = _system(kind, system)
    width = len(layout.indicators.columns)
    row = 2
    fields: dict[str, str] = {}
    first, *rest = layout.fields
    fields[first.key] = f"C{row}"
    for i in range(0, len(rest), 2):
        row += 1
        fields[rest[i].key] = f"C{row}"
        if i + 1 < len(rest):
            fields[rest[i + 1].key] = f"{_col(_field_slots(width)[1][0] + 2)}{row}"
    funds_header = row + 1
    spans = _fund_spans(layout, width)
    funds = {(r.key, c.key): f"{_col(spans[c.key][0])}{funds_header + 1 + i}"
             for i, r in enumerate(layout.funds.rows) for c in layout.funds.columns}
    row = funds_header + len(layout.funds.rows)
    goal: dict[str, str] = {}
    if layout.goal is not None:
        for column, (start, _) in zip(layout.goal.columns, _field_slots(width)):
            goal[column.key] = f"{_col(start)}{row + 2}"
        row += 2
    header_row = row + 1
    columns = {c.key: _col(i + 1) for i, c in enumerate(layout.indicators.columns)}
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


def _fund_spans(layout: Layout, width: int) -> dict[str, tuple[int, int]]:
    """The columns each funds column spans (after 2 label and 2 row-label columns), extra to the last."""
    n = len(layout.funds.columns)
    base, extra = divmod(width - 4, n)
    spans, start = {}, 5
    for i, column in enumerate(layout.funds.columns):
        size = base + (1 if i >= n - extra else 0)
        spans[column.key] = (start, start + size - 1)
        start += size
    return spans


def _system(kind: str, system: IndicatorSystem | str | None) -> IndicatorSystem:
    if kind not in ("project", "department"):
        raise ValueError(f"表格种类应为 project 或 department / kind must be project or department: {kind!r}")
    loaded = system if isinstance(system, IndicatorSystem) else load_system(system, kind)
    if loaded.kind != kind:
        raise ValueError(f"指标体系 {loaded.name} 属于 {loaded.kind}，不能用于 {kind} 表 / "
                         f"system {loaded.name} is for {loaded.kind} tables, not {kind}")
    return loaded


# --------------------------------------------------------------------------- writing the workbook

@dataclass(frozen=True)
class _Styles:
    """The few looks a form needs, built once per workbook (openpyxl styles are values)."""

    thin: object
    title: object
    bold: object
    body: object
    center: object
    left: object
    right: object
    header_fill: object
    input_fill: object
    formula_fill: object
    score_fill: object

    @classmethod
    def make(cls) -> "_Styles":
        from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

        side = Side(style="thin", color="000000")
        return cls(Border(left=side, right=side, top=side, bottom=side),
                   Font(name="宋体", size=16, bold=True), Font(name="宋体", size=10, bold=True),
                   Font(name="宋体", size=10),
                   Alignment(horizontal="center", vertical="center", wrap_text=True),
                   Alignment(horizontal="left", vertical="center", wrap_text=True),
                   Alignment(horizontal="right", vertical="center"),
                   PatternFill("solid", fgColor="D9E1F2"), PatternFill("solid", fgColor="FFF7D6"),
                   PatternFill("solid", fgColor="EDEDED"), PatternFill("solid", fgColor="E2EFDA"))


class _Writer:
    """Writes one planned table into a sheet: labels, inputs, formulas, merges, styles, names."""

    def __init__(self, wb: "Workbook", ws: "Worksheet", layout: Layout, system: IndicatorSystem,
                 plan: TemplateMap, mode: str):
        self.wb, self.ws, self.layout, self.system, self.plan = wb, ws, layout, system, plan
        self.formulas = excel_rules.formula_set(mode, system.settings, system.banded)
        self.width = len(layout.indicators.columns)
        self.last = _col(self.width)
        self.st = _Styles.make()
        self.validations: dict[str, object] = {}

    # ----- cell helpers
    def put(self, ref: str, value=None, *, kind: str = "label", span: str | None = None,
            fmt: str | None = None, align=None) -> None:
        """Write a cell (and style its merged span): ``kind`` is label, header, input or formula."""
        from openpyxl.styles import Protection

        ws, st = self.ws, self.st
        if span and span != ref:
            ws.merge_cells(f"{ref}:{span}")
        if kind in ("formula", "override"):         # a formula of ours
            ws[ref].value = value
        else:                                       # labels and names may come from a user's system file
            write_openpyxl(ws[ref], value)
        for row in ws[f"{ref}:{span or ref}"]:
            for c in row:
                c.border = st.thin
                c.font = st.bold if kind == "header" else st.body
                c.alignment = align or (st.left if kind == "input" else st.center)
                c.protection = Protection(locked=kind not in ("input", "override"))
                fill = {"header": st.header_fill, "input": st.input_fill, "override": st.score_fill,
                        "formula": st.formula_fill}.get(kind)
                if fill is not None:
                    c.fill = fill
                if fmt:
                    c.number_format = fmt

    def name(self, name: str, ref: str) -> None:
        from openpyxl.utils.cell import absolute_coordinate
        from openpyxl.workbook.defined_name import DefinedName

        if name:
            self.wb.defined_names[name] = DefinedName(name, attr_text=f"'{self.ws.title}'!{absolute_coordinate(ref)}")

    def validate(self, key: str, ref: str, **kwargs) -> None:
        """Add ``ref`` to the data validation ``key`` (created on first use with ``kwargs``)."""
        from openpyxl.worksheet.datavalidation import DataValidation

        if key not in self.validations:
            dv = DataValidation(allow_blank=True, **kwargs)
            self.ws.add_data_validation(dv)
            self.validations[key] = dv
        for part in ref.split():
            self.validations[key].add(part)

    # ----- blocks
    def title(self, year: int | None) -> None:
        """The title with its year; without one the year is left blank and the cell open to type it."""
        from openpyxl.styles import Border, Protection

        self.put("A1", self.layout.title_text(year if year is not None else "    "), span=f"{self.last}1")
        self.ws["A1"].font = self.st.title
        self.ws["A1"].protection = Protection(locked=year is not None)
        for cell in self.ws[f"A1:{self.last}1"][0]:
            cell.border = Border()
        self.ws.row_dimensions[1].height = 36

    def fields(self) -> None:
        by_row: dict[int, list[tuple[Label, str]]] = {}
        for f in self.layout.fields:
            ref = self.plan.fields[f.key]
            by_row.setdefault(_row(ref), []).append((f, ref))
        for row, items in by_row.items():
            slots = _field_slots(self.width)
            ends = [self.last] if len(items) == 1 else [_col(slots[0][1]), self.last]
            for (f, ref), end in zip(items, ends):
                label_start = _col(_column(ref) - 2)
                self.put(f"{label_start}{row}", f.label, kind="header", span=f"{_col(_column(ref) - 1)}{row}")
                self.put(ref, None, kind="input", span=f"{end}{row}")
                self.name(f.name, ref)
            self.ws.row_dimensions[row].height = 22

    def funds(self) -> None:
        lay, plan, fx = self.layout.funds, self.plan, self.formulas
        rows = [_row(plan.funds[r.key, lay.columns[0].key]) for r in lay.rows]
        header = rows[0] - 1
        spans = _fund_spans(self.layout, self.width)
        self.put(f"A{header}", lay.label.label, kind="header", span=f"B{rows[-1]}")
        self.put(f"C{header}", None, kind="header", span=f"D{header}")
        for c in lay.columns:
            self.put(f"{_col(spans[c.key][0])}{header}", c.label, kind="header", span=f"{_col(spans[c.key][1])}{header}")
        self.ws.row_dimensions[header].height = 20
        scored_row = next((r.key for r in lay.rows if r.scored), None)
        for r, row in zip(lay.rows, rows):
            self.put(f"C{row}", r.label, kind="label", span=f"D{row}", align=self.st.left)
            cells = {c.key: plan.funds[r.key, c.key] for c in lay.columns}
            for c in lay.columns:
                ref, end = cells[c.key], f"{_col(spans[c.key][1])}{row}"
                if c.key in ("weight", "score") and r.key != scored_row:
                    self.put(ref, "—", span=end)
                elif c.key == "weight":
                    self.put(ref, float(self.system.budget_execution_weight), kind="input", span=end, fmt="0.00",
                             align=self.st.center)
                    self.validate("weight", ref, type="decimal", operator="greaterThanOrEqual", formula1="0")
                elif c.key == "rate":
                    self.put(ref, "=" + fx.exec_rate(cells["budget"], cells["spent"]), kind="formula",
                             span=end, fmt="0.00%")
                elif c.key == "score":
                    self.put(ref, "=" + fx.exec_score(cells["budget"], cells["spent"], cells["weight"]),
                             kind="formula", span=end, fmt="0.00")
                elif c.key == "note":     # text beside the row (得分计算方法, 原因)
                    self.put(ref, None, kind="input", span=end, align=self.st.left)
                else:
                    self.put(ref, None, kind="input", span=end, fmt="#,##0.00", align=self.st.right)
                    self.validate("amount", ref, type="decimal", operator="greaterThanOrEqual", formula1="0",
                                  error="金额应为不小于0的数字（万元）", errorTitle="金额")
            first, last = cells[lay.columns[0].key], f"{_col(spans[lay.columns[-1].key][1])}{row}"
            self.name(r.name, f"{first}:{last}")
            self.ws.row_dimensions[row].height = 20

    def goal(self) -> None:
        goal = self.layout.goal
        if goal is None:
            return
        refs = [self.plan.goal[c.key] for c in goal.columns]
        row = _row(refs[0])
        self.put(f"A{row - 1}", goal.label.label, kind="header", span=f"B{row}")
        for c, ref, (start, end) in zip(goal.columns, refs, _field_slots(self.width)):
            self.put(f"{_col(start)}{row - 1}", c.label, kind="header", span=f"{_col(end)}{row - 1}")
            self.put(ref, None, kind="input", span=f"{_col(end)}{row}", align=self.st.left)
            self.name(c.name, ref)
        self.ws.row_dimensions[row].height = 48

    def indicators(self) -> None:
        plan, cols = self.plan, self.plan.columns
        for c in self.layout.indicators.columns:
            self.put(f"{cols[c.key]}{plan.header_row}", c.label, kind="header")
        self.ws.row_dimensions[plan.header_row].height = 30
        for p in plan.plans:
            self.indicator_row(p)
        for (level1, level2), rows in plan.level2_rows.items():
            self._merge_level("level2", rows, level2)
        for level1, rows in plan.level1_rows.items():
            self._merge_level("level1", rows, level1)
        for level1, row in plan.subtotal_rows.items():
            self.subtotal_row(level1, row)
        for row in plan.bonus_rows:
            self.bonus_row(row)
        first, last = plan.header_row + 1, plan.last_row - 2
        self.name(self.layout.indicators.label.name or "", f"A{first}:{self.last}{last}")
        data = " ".join(f"{cols['level1']}{r}" for r in plan.indicator_rows)
        self.validate("level1", data, type="list", formula1=self._list("level1"))
        self.validate("level2", " ".join(f"{cols['level2']}{r}" for r in plan.indicator_rows),
                      type="list", formula1=self._list("level2"))

    def _merge_level(self, key: str, rows: tuple[int, ...], value: str) -> None:
        col = self.plan.columns[key]
        self.put(f"{col}{rows[0]}", value or None, kind="input", span=f"{col}{rows[-1]}", align=self.st.center)

    def indicator_row(self, p: IndicatorRowPlan) -> None:
        cols, r = self.plan.columns, p.row
        ref = {key: f"{col}{r}" for key, col in cols.items()}
        values = _prefill(p.spec)
        for key in cols:
            if key in ("level1", "level2"):
                continue
            if key == "score":
                cells = IndicatorCells(ref.get("direction", '""'), ref["target"], ref.get("target_high", '""'),
                                       ref["actual"], ref["weight"], ref["level3"])
                self.put(ref[key], "=" + self.formulas.indicator(cells), kind="override", fmt="0.00")
            elif key == "weight":
                self.put(ref[key], float(p.weight) if p.weight is not None else None, kind="input", fmt="0.00",
                         align=self.st.center)
                self.validate("weight", ref[key], type="decimal", operator="greaterThanOrEqual", formula1="0",
                              error="分值应为不小于0的数字", errorTitle="分值")
            else:
                value, fmt = values.get(key, (None, None))
                self.put(ref[key], value, kind="input", fmt=fmt,
                         align=self.st.left if key in ("level3", "reason", "criteria") else self.st.center)
        if "direction" in cols:
            self.validate("direction", ref["direction"], type="list", formula1=self._list("direction"),
                          error="请从下拉列表选择：≥ ≤ = 区间 定性", errorTitle="指标性质")
        self.validate("actual", ref["actual"], type="list", formula1=self._list("tiers"),
                      showErrorMessage=False, promptTitle="实际完成值",
                      prompt="定量指标填数字（百分比带%）；定性指标从下拉列表选择档次", showInputMessage=True)
        if "target_high" in cols:
            self.validate("high", ref["target_high"], type="decimal", operator="greaterThanOrEqual",
                          formula1="0", error="区间上限应为数字", errorTitle="区间上限")

    def subtotal_row(self, level1: str, row: int) -> None:
        cols, rows = self.plan.columns, self.plan.level1_rows[level1]
        span = f"{_col(_column(self.plan.cell(row, 'weight')) - 1)}{row}"
        self.put(f"A{row}", f"{level1}{self.layout.subtotal_suffix}", kind="header", span=span)
        weights = f"{cols['weight']}{rows[0]}:{cols['weight']}{rows[-1]}"
        scores = f"{cols['score']}{rows[0]}:{cols['score']}{rows[-1]}"
        self.put(f"{cols['weight']}{row}", f"=SUM({weights})", kind="formula", fmt="0.00")
        self.put(f"{cols['score']}{row}",
                 "=" + excel_rules.blank_if_none(scores, excel_rules.total(scores)), kind="formula", fmt="0.00")
        self.put(f"{cols['reason']}{row}", None, kind="formula")

    def bonus_row(self, row: int) -> None:
        cols, level, s = self.plan.columns, self.system.bonus_level, self.system.settings
        self.put(f"A{row}", level.name, kind="header", span=f"{cols['level2']}{row}")
        for key in cols:
            ref = f"{cols[key]}{row}"
            if key in ("level1", "level2"):
                continue
            if key == "weight":
                self.put(ref, float(level.weight), kind="label", fmt="0.00")
            elif key == "score":
                self.put(ref, None, kind="input", fmt="0.00", align=self.st.center)
                self.validate("bonus", ref, type="decimal", operator="between", formula1=excel_rules.number_text(s.bonus_min),
                              formula2=excel_rules.number_text(s.bonus_max), errorTitle="加减分",
                              error=f"加减分应在 {s.bonus_min:g} 至 {s.bonus_max:g} 之间")
            elif key in ("level3", "reason", "criteria"):
                self.put(ref, None, kind="input", align=self.st.left)
            else:
                self.put(ref, "—")

    def totals(self) -> None:
        plan, cols, fx = self.plan, self.plan.columns, self.formulas
        score_col = cols["score"]
        label_end = _col(_column(plan.total) - 1)
        scored = next((r.key for r in self.layout.funds.rows if r.scored), None)
        if plan.kind == "department":
            parts = [f"{score_col}{r}" for r in (*plan.subtotal_rows.values(), *plan.bonus_rows)]
            if scored is None:          # Guangzhou: 小计 rows and 加减分, the total kept within 0–100
                refs = ",".join(parts)
                formula = excel_rules.blank_if_none(refs, excel_rules.clamped_total(refs))
            else:                       # a funds block that scores 预算执行 (产出/效益/满意度 forms)
                refs = ",".join((plan.funds[scored, "score"], *parts))
                formula = excel_rules.blank_if_none(refs, excel_rules.total(refs))
        else:
            rows = plan.indicator_rows
            refs = f"{plan.funds[scored, 'score']},{score_col}{rows[0]}:{score_col}{rows[-1]}"
            formula = excel_rules.blank_if_none(refs, excel_rules.total(refs))
        for label, ref, value, fmt in ((self.layout.total, plan.total, "=" + formula, "0.00"),
                                       (self.layout.grade, plan.grade, "=" + fx.grade(plan.total), None)):
            row = _row(ref)
            self.put(f"A{row}", label.label, kind="header", span=f"{label_end}{row}")
            self.put(ref, value, kind="formula", fmt=fmt)
            self.put(f"{self.last}{row}", None, kind="formula")
            self.name(label.name, ref)
            self.ws.row_dimensions[row].height = 22

    def _list(self, key: str) -> str:
        column, count = _LIST_COLUMNS[key], len(_lists(self.system)[key])
        return f"'{META_SHEET}'!${column}$2:${column}${count + 1}"

    def finish(self) -> None:
        ws, plan = self.ws, self.plan
        for letter, width in zip((_col(i + 1) for i in range(self.width)), _WIDTHS[plan.kind]):
            ws.column_dimensions[letter].width = width
        for r in (*plan.indicator_rows, *plan.subtotal_rows.values(), *plan.bonus_rows):
            ws.row_dimensions[r].height = 22
        for p in plan.plans:
            if p.spec is not None and p.spec.bands:
                ws.row_dimensions[p.row].height = 40   # room for the bands in 评分标准
        ws.protection.sheet = True
        for what in ("formatCells", "formatColumns", "formatRows", "insertRows", "deleteRows"):
            setattr(ws.protection, what, False)
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 1
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.print_options.horizontalCentered = True
        ws.page_margins.left = ws.page_margins.right = 0.4
        ws.page_margins.top = ws.page_margins.bottom = 0.5
        ws.print_title_rows = f"{plan.header_row}:{plan.header_row}"
        ws.print_area = f"A1:{self.last}{plan.last_row}"
        ws.sheet_view.zoomScale = 100


_WIDTHS = {"project": (11, 13, 24, 8, 8, 11, 9, 15, 8, 9, 26),
           "department": (11, 13, 24, 8, 18, 11, 9, 15, 8, 9, 24)}
_LIST_COLUMNS = {"direction": "D", "tiers": "E", "level1": "F", "level2": "G"}


def _lists(system: IndicatorSystem) -> dict[str, list[str]]:
    """The drop-down lists, kept on the hidden sheet (long lists do not fit inline)."""
    return {"direction": list(DIRECTION_CHOICES),
            "tiers": [t.phrase for t in system.settings.tiers],
            "level1": [lv.name for lv in system.scored_levels],
            "level2": [c.name for lv in system.scored_levels for c in lv.children]}


def _prefill(spec: IndicatorSpec | None) -> dict[str, tuple[object, str | None]]:
    """A suggested indicator's cells: name, 指标性质 and its typical target (a percentage as a fraction)."""
    if spec is None:
        return {}
    values: dict[str, tuple[object, str | None]] = {"level3": (spec.name, None),
                                                   "direction": (spec.direction.value, None)}
    if spec.bands:   # a rate scored by bands: the actual as a percentage, the bands in words
        values["actual"] = (None, "0.00%")
        values["criteria"] = (f"分档：{describe_bands(spec.bands)}", None)
    if not spec.target:
        return values
    try:
        parsed = parse_value(spec.target)
    except ParseError:
        return {**values, "target": (spec.target, None)}
    if spec.direction is Direction.QUAL or parsed.quantity is None:
        values["target"] = (spec.target, None)
    elif parsed.quantity.unit == "%":
        values["target"] = (float(parsed.quantity.number / 100), "0%")
    else:
        values["target"] = (float(parsed.quantity.number), None)
        values["unit"] = (parsed.quantity.unit, None)
    return values


def _meta(wb: "Workbook", kind: str, system: IndicatorSystem, mode: str) -> None:
    ws = wb.create_sheet(META_SHEET)
    ws.sheet_state = "hidden"
    for i, (key, value) in enumerate((("kind", kind), ("system", system.name), ("system_version", system.version),
                                      ("template_version", TEMPLATE_VERSION), ("formulas", mode)), start=1):
        ws.cell(i, 1, key)
        write_openpyxl(ws.cell(i, 2), value)
    for key, values in _lists(system).items():
        column = _LIST_COLUMNS[key]
        ws[f"{column}1"] = f"list:{key}"
        for i, value in enumerate(values, start=2):
            write_openpyxl(ws[f"{column}{i}"], value)
    ws.protection.sheet = True


INSTRUCTION_LINE = 90
"""Character columns one line of 填表说明 holds (column width 100 at 11 pt, less a margin)."""


def _instructions(wb: "Workbook", layout: Layout, system: IndicatorSystem, mode: str) -> None:
    """The 填表说明 sheet: how to enter each value, and the rules the cells compute, in the layout's words."""
    from openpyxl.styles import Alignment, Font

    s, col = system.settings, {c.key: c.label for c in layout.indicators.columns}
    fund = {c.key: c.label for c in layout.funds.columns}
    tiers = "；".join(f"“{t.phrase}”默认得{t.default:.0%}分值（自评可在{t.band_words}之间）" for t in s.tiers)
    grades = "，".join(f"{floor:g}分（含）以上为{name}" for floor, name in sorted(s.grades, key=lambda g: -g[0]))
    reverse = (f"{col['target']}÷{col['actual']}×{col['weight']}" if s.reverse_formula.value == "ratio"
               else f"（1−({col['actual']}−{col['target']})÷{col['target']}）×{col['weight']}，最低为0")
    weights = " + ".join(f"{lv.name}{lv.weight:g}" for lv in system.levels)
    if system.budget_execution_weight:
        weights = f"预算执行{system.budget_execution_weight:g} + {weights}"
    unit = f"，计量单位写在“{col['unit']}”列" if "unit" in col else ""
    rate = fund.get("rate", "执行率")
    capped = "，超过100%按100%计分" if "score" in fund else ""
    lines = [
        f"{layout.title} 填表说明",
        f"指标体系：{system.title}（{system.name}，版本 {system.version}）；分值构成：{weights} = {system.total:g}。",
        "浅黄色单元格为填写项；灰色单元格自动计算；工作表已保护（无密码，可在“审阅—撤销工作表保护”解除）。",
        f"金额单位为万元，保留两位小数；{rate} = {fund['spent']} ÷ {fund['budget']}{capped}。",
        f"{col['direction']}从下拉列表选择：≥（正向，越大越好）、≤（反向，越小越好）、=（等于）、区间、定性。",
        f"{col['target']}、{col['actual']}填数字{unit}；百分比连同%输入（如 98%），两列口径须一致。",
        (f"区间指标：{col['target']}填下限，{col['target_high']}填上限" if "target_high" in col
         else f"区间指标：在{col['target']}中写明上下限（如 90%–110%）") +
        f"；在区间内得满分，低于下限按 实际÷下限×{col['weight']}，高于上限按 上限÷实际×{col['weight']}。",
        f"正向指标未达到按 {col['actual']}÷{col['target']}×{col['weight']}；反向指标超出按 {reverse}；"
        f"等于指标按 较小值÷较大值×{col['weight']}。得分四舍五入保留两位小数。",
        f"定性指标的{col['actual']}从下拉列表选择档次：{tiers}。",
        f"“{col['score']}”列（浅绿）已预置公式；定性指标需自评其他分数时，可直接在该单元格填写分数，定量指标请勿改动。",
        f"{col['actual']}为空的指标不计分、不计入总分；得分低于分值的指标须填写“{col['reason']}”。",
        f"预置{col['weight']}按指标体系权重平均分配，可按实际调整，同一级指标的{col['weight']}合计应保持不变。"
        "需要更多指标行时，在指标中间插入整行并复制上一行。",
        f"{layout.total.label}为各项得分之和；{layout.grade.label}：{grades}。",
    ]
    for name, bands in system.banded.items():
        lines.append(f"“{name}”按分档计分（{col['level3']}须为“{name}”），得分 = {col['weight']} × 档次比例："
                     f"{describe_bands(bands)}；{col['actual']}填比率（如 3%），不看{col['direction']}与{col['target']}"
                     f"{'（该行为原生公式，无需加载项）' if mode == 'udf' else ''}。")
    if system.bonus_level is not None:
        lines.append(f"{system.bonus_level.name}在“{col['score']}”列直接填写 {s.bonus_min:g} 至 {s.bonus_max:g} 分；"
                     f"{layout.total.label} = 各一级指标{layout.subtotal_suffix} + 加减分，最低0分、最高100分。")
    lines = lines[:2] + [f"{i}. {line}" for i, line in enumerate(lines[2:], start=1)]
    lines.append(f"模板版本 {TEMPLATE_VERSION}；得分公式："
                 f"{'Excel 原生公式（Excel、WPS、LibreOffice 通用）' if mode == 'native' else 'SE_* 函数（需安装 selfeval 加载项）'}。")
    ws = wb.create_sheet(INSTRUCTIONS_SHEET)
    ws.column_dimensions["A"].width = 100
    for i, line in enumerate(lines, start=1):
        cell = ws.cell(i, 1)
        write_openpyxl(cell, line)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        cell.font = Font(name="宋体", size=14 if i == 1 else 11, bold=i == 1)
        # a row shorter than its wrapped text overlaps the next line on paper (line 10 did)
        ws.row_dimensions[i].height = 30 if i == 1 else 16 * lines_needed(line, INSTRUCTION_LINE) + 2
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = ws.page_setup.fitToHeight = 1
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def build_template(kind: str, system: IndicatorSystem | str | None = None, formulas: str = "native",
                   year: int | None = None, layout: Layout | str | None = None) -> "Workbook":
    """The 项目支出 (``project``) or 部门整体支出 (``department``) 绩效自评表 of a system, ready to fill.

    ``formulas``: ``native`` (plain Excel formulas, for Excel, WPS and LibreOffice) or ``udf`` (cells
    call the SE_* functions of the add-in). ``year`` goes into the title; without it the title leaves
    the year blank for the user. ``layout``: a layout of the family (``sichuan-project``) or its file,
    to hand out a province's own form; by default the base layout of ``kind``.
    """
    from openpyxl import Workbook

    if formulas not in excel_rules.FORMULA_MODES:
        raise ValueError(f"公式方式应为 native 或 udf / formulas must be native or udf: {formulas!r}")
    layout = layout if isinstance(layout, Layout) else load_layout(layout or kind)
    if layout.kind != kind:
        raise ValueError(f"表格式样 {layout.name} 属于 {layout.kind} 表，不能用于 {kind} 表 / "
                         f"layout {layout.name} is for {layout.kind} tables, not {kind}")
    system = _system(kind, system)
    plan = template_map(kind, system, layout)
    wb = Workbook()
    ws = wb.active
    ws.title = plan.sheet
    writer = _Writer(wb, ws, layout, system, plan, formulas)
    writer.title(year)
    writer.fields()
    writer.funds()
    writer.goal()
    writer.indicators()
    writer.totals()
    writer.finish()
    _instructions(wb, layout, system, formulas)
    _meta(wb, kind, system, formulas)
    wb.properties.creator = "selfeval-xl"
    wb.properties.title = layout.title
    return wb


def save_workbook(wb: "Workbook", path: str | Path) -> Path:
    """Save with fixed timestamps (docProps and zip entries), so the same workbook gives the same bytes."""
    from openpyxl.writer.excel import ExcelWriter

    wb.properties.created = wb.properties.modified = FIXED_TIME
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(wb, archive).save()
    path = Path(path)
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            target.writestr(fixed, source.read(info.filename))
    return path


TEMPLATE_FILES = {("project", "native"): "project.xlsx",
                  ("project", "udf"): "project-udf.xlsx",
                  ("department", "native"): "department.xlsx",
                  ("department", "udf"): "department-udf.xlsx"}
"""The committed templates in ``workbook_templates/`` (default systems, year left blank)."""


def regenerate(directory: str | Path) -> list[Path]:
    """Write the four committed templates into ``directory``."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    return [save_workbook(build_template(kind, formulas=mode), directory / name)
            for (kind, mode), name in TEMPLATE_FILES.items()]


def render_previews(templates: str | Path, docs: str | Path, dpi: int = 100) -> list[Path]:
    """Render the native templates with LibreOffice to ``docs/template-<kind>.png`` (the table's page)."""
    import shutil
    import tempfile

    from ..engines.libreoffice import pdf_to_png, to_pdf

    sources = [Path(templates) / TEMPLATE_FILES[kind, "native"] for kind in ("project", "department")]
    written = []
    with tempfile.TemporaryDirectory() as tmp:
        for kind, pdf in zip(("project", "department"), to_pdf(sources, tmp)):
            first_page = pdf_to_png(pdf, Path(tmp) / kind, dpi)[0]
            written.append(Path(shutil.copyfile(first_page, Path(docs) / f"template-{kind}.png")))
    return written


def _main(argv: Iterable[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="重新生成 workbook_templates/ 中的模板 / regenerate the templates")
    parser.add_argument("--regenerate", metavar="DIR", required=True, help="模板文件夹 / templates folder")
    parser.add_argument("--render", metavar="DOCS", help="用 LibreOffice 生成预览图 / render PNG previews here")
    args = parser.parse_args(argv)
    for path in regenerate(args.regenerate):
        print(path)
    if args.render:
        for path in render_previews(args.regenerate, args.render):
            print(path)


if __name__ == "__main__":
    _main()
