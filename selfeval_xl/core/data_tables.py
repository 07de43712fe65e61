"""The data layout ``selfeval fill`` reads, declared once as data (after pandera: column, type, required).

Four tables, as sheets of one .xlsx or as .csv files of the same names in one folder:

- ``项目``: one row per project (one 项目支出绩效自评表 each);
- ``指标``: the indicator rows of the projects, linked by 项目 (and 单位 where names repeat);
- ``单位``: one row per 单位 with its 资金情况 (one 部门整体支出绩效自评表 each) — optional;
- ``部门指标``: the indicator rows of the department tables, linked by 单位 — optional with ``单位``.

The reader, the README text and the example data are all made from :data:`TABLES`, so they agree.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable

from .layout import normalize_label

TEXT, NUMBER, DIRECTION, VALUE = "text", "number", "direction", "value"
"""Column types: free text; an amount or weight (``1011.98``, ``"1,011.98"``); a 指标性质
(≥ ≤ = 区间 定性, or 正向 反向 等于 …); an indicator value as typed (``150``, ``≥150天``, ``99.5%``, words)."""


@dataclass(frozen=True)
class Column:
    name: str                       # the header text in row 1
    key: str                        # the field it fills
    type: str = TEXT
    required: bool = False
    aliases: tuple[str, ...] = ()
    doc: str = ""

    @property
    def headers(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


@dataclass(frozen=True)
class TableSpec:
    name: str                       # sheet name, or CSV file stem
    columns: tuple[Column, ...]
    required: bool = True
    doc: str = ""

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)


_INDICATOR_COLUMNS = (
    Column("一级指标", "level1", TEXT, True,
           doc="指标体系的一级指标：项目表如 产出指标、效益指标、满意度指标（2021版 national-2021-project 另有"
               "成本指标）；部门表如 管理效能、履职效能、加减分项"),
    Column("二级指标", "level2", TEXT, True,
           doc="指标体系的二级指标：如 数量指标、社会效益指标、经济成本指标（2021版）；部门表如 资金管理、产出数量"
               "（加减分项行填“加减分项”）"),
    Column("三级指标", "level3", TEXT, True, ("指标名称",), "指标名称，如 展厅正常开放天数"),
    Column("指标性质", "direction", DIRECTION, False, ("方向",),
           "≥ ≤ = 区间 定性（或 正向 反向 等于）；空则从年度指标值的文字判断（如 ≥150天）"),
    Column("度量单位", "measure", TEXT, False, ("计量单位",), "如 天、人次、%、万元"),
    Column("年度指标值", "target", VALUE, True, ("指标值",), "数字或文字：150、≥150天、98%、达成年度指标；区间填下限"),
    Column("区间上限", "target_high", VALUE, False, doc="指标性质为区间时的上限"),
    Column("实际完成值", "actual", VALUE, False, ("完成值",), "数字或文字：162、99.5%、达成年度指标"),
    Column("分值", "weight", NUMBER, True, doc="该指标分值"),
)

PROJECTS = TableSpec("项目", (
    Column("单位", "unit", TEXT, True, doc="填报单位（部门整体表按此归集）"),
    Column("项目名称", "name", TEXT, True),
    Column("主管部门", "department", TEXT, True),
    Column("实施单位", "implementer", TEXT, False, doc="空则同单位"),
    Column("年初预算数", "initial", NUMBER, False, doc="万元"),
    Column("全年预算数", "budget", NUMBER, True, doc="万元，不能为0"),
    Column("全年执行数", "spent", NUMBER, True, doc="万元"),
    Column("当年财政拨款", "current", NUMBER, False, doc="万元；三项资金之和应等于全年预算数"),
    Column("上年结转资金", "carryover", NUMBER, False, doc="万元"),
    Column("其他资金", "other", NUMBER, False, doc="万元"),
    Column("预期目标", "goal_expected", TEXT, False, ("年度总体目标",), "年度总体目标：预期目标"),
    Column("实际完成情况", "goal_achieved", TEXT, False,
           doc="年度总体目标：实际完成情况；执行率低于90%时在此说明原因（写明“执行”）"),
), doc="每行一个项目，生成一张项目支出绩效自评表")

INDICATORS = TableSpec("指标", (
    Column("项目", "project", TEXT, True, ("项目名称",), "与“项目”表的项目名称一致"),
    Column("单位", "unit", TEXT, False, doc="不同单位有同名项目时必填"),
    *_INDICATOR_COLUMNS,
    Column("偏差原因", "reason", TEXT, False, ("偏差原因分析及改进措施",), "得分低于分值时必填"),
), doc="每行一个绩效指标，按“项目”归入项目表，顺序即表中顺序")

UNITS = TableSpec("单位", (
    Column("单位", "unit", TEXT, True, ("部门（单位）名称",), "与“项目”表的单位一致"),
    Column("基本支出预算数", "basic_budget", NUMBER, True, doc="万元"),
    Column("基本支出决算数", "basic_spent", NUMBER, True, doc="万元"),
    Column("项目支出预算数", "project_budget", NUMBER, True, doc="万元"),
    Column("项目支出决算数", "project_spent", NUMBER, True, doc="万元"),
), required=False, doc="每行一个单位，生成一张部门整体支出绩效自评表（无此表则不生成）")

DEPARTMENT_INDICATORS = TableSpec("部门指标", (
    Column("单位", "unit", TEXT, True, doc="与“单位”表一致"),
    *_INDICATOR_COLUMNS,
    Column("评分标准", "criteria", TEXT, False),
    Column("得分", "score", NUMBER, False, ("自评得分",), "只用于加减分项（−5～+5）；其余得分由公式计算"),
    Column("扣分原因", "reason", TEXT, False, ("偏差原因",), "得分低于分值时必填"),
), required=False, doc="部门整体表的指标行；一级指标为“加减分项”的行填得分")

TABLES = (PROJECTS, INDICATORS, UNITS, DEPARTMENT_INDICATORS)


def is_data_table(sheets: Iterable[tuple[str, Iterable[Any]]]) -> bool:
    """True when a workbook's (sheet name, first row) pairs are a DATA table of ``fill``: every required
    table present as a sheet whose first row holds that table's required columns. Why: the demo and
    many bureaus keep the data table in the folder they check; it is not a 自评表 and is skipped."""
    headers = {normalize_label(name): {normalize_label(str(v)) for v in row if v not in (None, "")}
               for name, row in sheets}
    return all(
        table.name in headers
        and all(any(normalize_label(h) in headers[table.name] for h in col.headers)
                for col in table.columns if col.required)
        for table in TABLES if table.required)


def markdown() -> str:
    """The layout as Markdown tables, for the README and ``examples/README.md``."""
    out = []
    for table in TABLES:
        need = "必需" if table.required else "可选"
        out.append(f"### 表“{table.name}”（{need}）：{table.doc}\n\n| 列 | 类型 | 必填 | 说明 |\n|---|---|---|---|")
        for col in table.columns:
            also = f"（也认：{'、'.join(col.aliases)}）" if col.aliases else ""
            out.append(f"| {col.name} | {col.type} | {'是' if col.required else ''} | {col.doc}{also} |")
        out.append("")
    return "\n".join(out)
