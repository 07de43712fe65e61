"""The tables as read from a workbook: typed, and every value with the cell it came from.

Readers fill these; checks, writeback, reports and the add-in read them. Nothing here knows a file
format. A value is kept as the cell held it (number or text) so that checks can say what was found.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any


def quote_sheet(sheet: str) -> str:
    return "'" + sheet.replace("'", "''") + "'"


def shown_value(value: Any) -> str:
    """A value read from a cell as a message quotes it: a whole number read back as a float (3000.0) as
    3000, any other float to 15 significant digits (no binary noise), none as blank, the rest as text."""
    if isinstance(value, float):
        return f"{value:.15g}"
    return "" if value is None else str(value).strip()


def split_address(position: str) -> tuple[str, str]:
    """The inverse of ``quote_sheet(sheet) + "!" + ref``: ``"'My ''x'' sheet'!H14"`` → (``My 'x' sheet``,
    ``H14``); a sheet alone → (sheet, ``""``); ``""`` → (``""``, ``""``)."""
    if not position:
        return "", ""
    if position.startswith("'"):
        end = position.rfind("'")
        sheet = position[1:end].replace("''", "'")
        rest = position[end + 1:]
        return sheet, rest[1:] if rest.startswith("!") else ""
    sheet, _, cell = position.partition("!")
    return sheet, cell


@dataclass(frozen=True, init=False)
class Cell:
    """One cell as read: its value (the cached result for a formula) and its formula, if known.

    ``formula`` is None where the source gave no formulas (.xls, a values-only read); ``has_formula``
    then says nothing either way. ``number_format`` likewise (``"0.00%"``): None where unknown.
    """

    sheet: str
    ref: str                       # "H14"
    value: Any = None
    formula: str | None = None
    number_format: str | None = None

    def __init__(self, sheet: str, ref: str, value: Any = None, formula: str | None = None,
                 number_format: str | None = None):
        """The fields above, set once through the instance's dict: a frozen dataclass's own ``__init__``
        calls ``object.__setattr__`` per field, twice the cost, and a table reads ~170 cells (a test holds
        this signature to the fields)."""
        own = self.__dict__
        own["sheet"], own["ref"], own["value"], own["formula"], own["number_format"] = \
            sheet, ref, value, formula, number_format

    @cached_property
    def address(self) -> str:
        """``'自评表'!H14``: made once (checks look cells up by it)."""
        return f"{quote_sheet(self.sheet)}!{self.ref}"

    @property
    def blank(self) -> bool:
        return self.value is None or (isinstance(self.value, str) and not self.value.strip())

    @property
    def text(self) -> str:
        return "" if self.value is None else str(self.value).strip()

    @property
    def shown(self) -> str:
        """The value as a message quotes it (:func:`shown_value`)."""
        return shown_value(self.value)

    @property
    def row(self) -> int:
        return int("".join(ch for ch in self.ref if ch.isdigit()))

    @property
    def column(self) -> str:
        return "".join(ch for ch in self.ref if ch.isalpha())


@dataclass
class FundRow:
    """A row of the funds block (年度资金总额, 当年财政拨款 …; 合计, 基本支出 …), cells by column key."""

    key: str
    label: Cell
    cells: dict[str, Cell] = field(default_factory=dict)

    def get(self, key: str) -> Cell | None:
        return self.cells.get(key)


@dataclass
class IndicatorRow:
    """A row of the indicator table. ``level1``/``level2`` are filled down from merged cells.

    ``kind`` is ``indicator``, ``subtotal`` (a ``<一级>小计`` row) or ``bonus`` (加减分项).
    """

    row: int
    level1: str
    level2: str
    cells: dict[str, Cell] = field(default_factory=dict)
    kind: str = "indicator"
    direction_word: str | None = None   # the 指标性质 in the rules' word, where the layout translates the
    #                                     form's (正向指标 → 正向, 定量 → ""); None: as the cell holds it

    def get(self, key: str) -> Cell | None:
        return self.cells.get(key)

    @property
    def direction(self) -> Any:
        """The 指标性质 to score by: the layout's translation of the form's word, else the cell's value."""
        return self.value("direction") if self.direction_word is None else self.direction_word

    def value(self, key: str) -> Any:
        cell = self.cells.get(key)
        return None if cell is None else cell.value

    @property
    def level3(self) -> str:
        cell = self.cells.get("level3")
        return cell.text if cell else ""


@dataclass
class Table:
    """One 自评表 found in a workbook: a 项目支出 (``project``) or 部门整体支出 (``department``) table."""

    kind: str
    sheet: str
    title: Cell | None = None
    year: int | None = None
    fields: dict[str, Cell] = field(default_factory=dict)
    funds: dict[str, FundRow] = field(default_factory=dict)
    goal: dict[str, Cell] = field(default_factory=dict)
    indicators: list[IndicatorRow] = field(default_factory=list)
    total: Cell | None = None
    grade: Cell | None = None
    grade_row: tuple[str, ...] = ()        # the texts after the 等级 cell in its row (a legend of the grades
    #                                        has several: then it is not the table's 等级)
    from_template: bool = False            # made from our template (found through defined names)
    system_name: str | None = None         # as recorded in the template's hidden sheet
    formulas: str | None = None            # our template's formula set (native / udf), from the same sheet
    anchor: Cell | None = None             # a cell to point at when a whole block is missing
    total_weight: Cell | None = None       # the 分值 cell of the 总分 row (the stated sum of weights)
    amount_unit: str = "万元"              # the unit the funds block states (万元 or 元)
    headers: dict[str, Cell] = field(default_factory=dict)   # header cells, "funds.budget", "indicators.weight"
    layout: str = ""                       # the layout it was read by (``sichuan-project`` …); "" = its kind's
    instructions: dict[str, str] = field(default_factory=dict)  # address → the form's instruction text an
    #                                        answer cell still holds (read as blank)
    reading: list[tuple[str, str]] = field(default_factory=list)   # (cell, how it was read and why): what
    #                                        ``check --explain`` prints (header rows, rows that are not indicators)
    guessed: dict[str, str] = field(default_factory=dict)   # "indicators.actual" → the header text read as it
    #                                        (a required column's header whose characters came scrambled)
    computed: set[str] = field(default_factory=set)   # addresses of formula cells the file stored no
    #                                        result for, whose value was computed (``formulas``) as Excel would
    not_computed: dict[str, str] = field(default_factory=dict)   # address → why such a cell could not be

    def field_text(self, key: str) -> str:
        cell = self.fields.get(key)
        return cell.text if cell else ""

    @property
    def name(self) -> str:
        """项目名称 or 部门（单位）名称: what a person calls this table."""
        return self.field_text("project_name") or self.field_text("unit_name")

    @property
    def unit(self) -> str:
        """The 单位 the table belongs to: the department table's name, the project's 实施单位 or 主管部门."""
        return (self.field_text("unit_name") or self.field_text("implementer")
                or self.field_text("department"))

    def rows(self, kind: str = "indicator") -> list[IndicatorRow]:
        return [r for r in self.indicators if r.kind == kind]

    @property
    def budget_scored(self) -> bool:
        """预算执行 is scored in the funds block: every project table, and a 部门整体 table whose funds
        block has a 分值 column (产出/效益/满意度 forms); Guangzhou's 资金情况 only states the rate."""
        total = self.funds.get("total")
        return self.kind == "project" or (total is not None and "weight" in total.cells)


@dataclass
class WorkbookData:
    """Everything read from one file. ``problems`` are reading problems (code, message, position), the
    position being a sheet-qualified address (``'自评表'!H14``), a quoted sheet name, or ``""``."""

    path: str
    format: str                                   # "xlsx", "xlsm", "xls"
    tables: list[Table] = field(default_factory=list)
    has_formulas: bool = False
    problems: list[tuple[str, str, str]] = field(default_factory=list)
    defined_names: dict[str, str] = field(default_factory=dict)   # name → "'Sheet'!$H$14"
    meta: dict[str, str] = field(default_factory=dict)            # our template's hidden sheet, if any
    skipped: str = ""                             # why this file is not a 自评表 at all (a fill data table)
