"""Write the official 自评表 as template workbooks that compute in Excel, WPS and LibreOffice.

Written with openpyxl from the :class:`~.plan.TemplateMap` (:mod:`.plan`). Labels come from the layout,
weights and levels from the system, formula text from :mod:`~selfeval_xl.core.excel_rules`; nothing
here knows a rule. Regenerate the committed templates with
``selfeval template --regenerate workbook_templates --render docs``.
"""
from __future__ import annotations

import datetime
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..core import excel_rules
from ..core.excel_rules import IndicatorCells
from ..core.layout import META_SHEET, Label, Layout, load_layout
from ..core.parse import ParseError, parse_value
from ..core.rules import DIRECTION_CHOICES, Direction, describe_bands
from ..core.sanitize import write_openpyxl
from ..core.system import IndicatorSystem, IndicatorSpec
from .instructions import add_instructions
from .plan import (TEMPLATE_VERSION, IndicatorRowPlan, TemplateMap, col, column_of, field_slots, fund_spans,
                   resolve_system, row_of, template_map)

if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet


FIXED_TIME = datetime.datetime(2024, 1, 1)
"""docProps and zip entry timestamps of every file we write, so a template is byte-for-byte stable."""


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
        self.last = col(self.width)
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
            by_row.setdefault(row_of(ref), []).append((f, ref))
        for row, items in by_row.items():
            slots = field_slots(self.width)
            ends = [self.last] if len(items) == 1 else [col(slots[0][1]), self.last]
            for (f, ref), end in zip(items, ends):
                label_start = col(column_of(ref) - 2)
                self.put(f"{label_start}{row}", f.label, kind="header", span=f"{col(column_of(ref) - 1)}{row}")
                self.put(ref, None, kind="input", span=f"{end}{row}")
                self.name(f.name, ref)
            self.ws.row_dimensions[row].height = 22

    def funds(self) -> None:
        lay, plan, fx = self.layout.funds, self.plan, self.formulas
        rows = [row_of(plan.funds[r.key, lay.columns[0].key]) for r in lay.rows]
        header = rows[0] - 1
        spans = fund_spans(self.layout, self.width)
        self.put(f"A{header}", lay.label.label, kind="header", span=f"B{rows[-1]}")
        self.put(f"C{header}", None, kind="header", span=f"D{header}")
        for c in lay.columns:
            self.put(f"{col(spans[c.key][0])}{header}", c.label, kind="header", span=f"{col(spans[c.key][1])}{header}")
        self.ws.row_dimensions[header].height = 20
        scored_row = next((r.key for r in lay.rows if r.scored), None)
        for r, row in zip(lay.rows, rows):
            self.put(f"C{row}", r.label, kind="label", span=f"D{row}", align=self.st.left)
            cells = {c.key: plan.funds[r.key, c.key] for c in lay.columns}
            for c in lay.columns:
                ref, end = cells[c.key], f"{col(spans[c.key][1])}{row}"
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
            first, last = cells[lay.columns[0].key], f"{col(spans[lay.columns[-1].key][1])}{row}"
            self.name(r.name, f"{first}:{last}")
            self.ws.row_dimensions[row].height = 20

    def goal(self) -> None:
        goal = self.layout.goal
        if goal is None:
            return
        refs = [self.plan.goal[c.key] for c in goal.columns]
        row = row_of(refs[0])
        self.put(f"A{row - 1}", goal.label.label, kind="header", span=f"B{row}")
        for c, ref, (start, end) in zip(goal.columns, refs, field_slots(self.width)):
            self.put(f"{col(start)}{row - 1}", c.label, kind="header", span=f"{col(end)}{row - 1}")
            self.put(ref, None, kind="input", span=f"{col(end)}{row}", align=self.st.left)
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
        span = f"{col(column_of(self.plan.cell(row, 'weight')) - 1)}{row}"
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
        label_end = col(column_of(plan.total) - 1)
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
            row = row_of(ref)
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
        for letter, width in zip((col(i + 1) for i in range(self.width)), _WIDTHS[plan.kind]):
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
    system = resolve_system(kind, system)
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
    add_instructions(wb, layout, system, formulas)
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

