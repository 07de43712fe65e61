"""Required cells left blank, and blocks of the table that are missing altogether."""
from __future__ import annotations

from typing import Iterator

from ..findings import Finding
from ..recompute import number
from .base import Context, check


@check("layout-missing", "error", "表格缺少必需的栏目或区块")
def layout_missing(ctx: Context) -> Iterator[Finding]:
    """The table lacks its indicator header or its funds block, or a required column.

    Bad: a 自评表 whose 绩效指标 header row has no 实际完成值 column, or no 项目资金 block at all.
    Fix: restore the official header text (项目名称, 全年预算数, 三级指标, 年度指标值, 实际完成值, 分值, 得分 …).
    """
    t = ctx.table
    if not any(k.startswith("indicators.") for k in t.headers):
        yield ctx.find("layout-missing", t.anchor, "未找到绩效指标表头（一级指标、三级指标、年度指标值、实际完成值、分值、得分）")
    else:
        for col in ctx.layout.indicators.columns:
            if col.required and f"indicators.{col.key}" not in t.headers:
                yield ctx.find("layout-missing", t.headers.get("indicators.weight"),
                               f"绩效指标表缺少“{col.label}”列")
    if not any(k.startswith("funds.") for k in t.headers):
        yield ctx.find("layout-missing", t.anchor, "未找到资金情况表（全年预算数 / 支出预算数 等表头）")


@check("required-blank", "error", "必填项为空")
def required_blank(ctx: Context) -> Iterator[Finding]:
    """A required cell is blank: 项目名称, 主管部门 (部门（单位）名称), 全年预算数, 全年执行数, and every
    indicator's 年度指标值, 实际完成值 and 分值 (a 定性 row without a tier phrase also needs its 得分).

    Bad: 实际完成值 of 媒体播出满意度 left empty. Fix: type the value actually achieved (e.g. ``95%``).
    """
    t, layout = ctx.table, ctx.layout
    for label in layout.fields:
        if not label.required:
            continue
        cell = t.fields.get(label.key)
        if cell is None:
            yield ctx.find("required-blank", t.anchor, f"未找到“{label.label}”")
        elif cell.blank:
            yield ctx.find("required-blank", cell, f"“{label.label}”未填写")
    if any(k.startswith("funds.") for k in t.headers):
        row, name = t.funds.get("total"), layout.funds.row("total").label
        for column in layout.funds.columns:
            if not column.required:
                continue
            if row is None:
                yield ctx.find("required-blank", t.headers.get(f"funds.{column.key}"),
                               f"资金表缺少“{name}”行，{column.label}未填写")
            elif row.get(column.key) is None or row.cells[column.key].blank:
                yield ctx.find("required-blank", row.get(column.key) or row.label,
                               f"{name}的{column.label}未填写")
    for out in ctx.re.rows:
        row = out.row
        for key in ("target", "actual", "weight"):
            cell = row.get(key)
            if cell is not None and cell.blank:
                yield ctx.find("required-blank", cell, f"指标“{row.level3 or row.level2}”的"
                               f"{layout.indicators.column(key).label}未填写")
        if out.qualitative and out.tier is None and number(row.get("score")) is None \
                and row.get("score") is not None and row.cells["score"].blank:
            yield ctx.find("required-blank", row.get("score"),
                           f"定性指标“{row.level3}”未写明达成档次，得分不能为空")
