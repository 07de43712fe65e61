"""Required cells left blank, and blocks of the table that are missing altogether."""
from __future__ import annotations

from typing import Iterator

from ..core.findings import Finding
from ..core.layout import normalize_label
from ..core.model import Cell, Table
from ..core.recompute import number
from .base import Context, check

INSTRUCTION_SHOWN = 30       # characters of the form's instruction text quoted in a message


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
    if not any(k.startswith("funds.") for k in t.headers) and not ctx.layout.funds.label.optional:
        yield ctx.find("layout-missing", t.anchor, "未找到资金情况表（全年预算数 / 支出预算数 等表头）")


@check("table-partly-read", "warning", "未能完全识别表格结构，部分得分未复核")
def table_partly_read(ctx: Context) -> Iterator[Finding]:
    """The table's form has no column a score is recomputed from (no 分值, or no 年度指标值 / 实际完成值:
    a rubric scored by its 评价标准), or its layout declares a part the checker does not read (a block of
    its own, a score in a header): what was read is checked, the rest is named here and its rows count
    as not reviewed — never a silent pass, never an error of a cell it did not understand.

    Bad: 衡山's 县级专项资金绩效目标自评表 has no 分值 or 得分; 长沙's 评价指标表 scores by 评价标准 text.
    Fix: nothing to fix in the table; review the named part by hand.
    """
    t, layout = ctx.table, ctx.layout
    if not any(k.startswith("indicators.") for k in t.headers):
        return                  # no indicator header at all: layout-missing says so
    for key, name in t.guessed.items():
        cell = t.headers.get(key)
        yield ctx.find("table-partly-read", cell, f"表头“{cell.text if cell else ''}”不是已知的栏目名，字序错乱，"
                       f"按字形相同的“{name}”读取，请核对")
    absent = {c.key: c.label for c in layout.indicators.columns if f"indicators.{c.key}" not in t.headers}
    lacking = [absent[k] for k in ("weight", "target", "actual")
               if k in absent and not layout.indicators.column(k).required]     # by design of the form
    lacking += [absent["score"]] if lacking and "score" in absent else []
    if not lacking and not layout.unread:
        return
    parts = [f"此表没有“{'”“'.join(lacking)}”列"] if lacking else []
    parts += [layout.unread] if layout.unread else []
    unreviewed = ctx.re.unreviewed
    tail = f"；{unreviewed} 个指标的得分未复核" if unreviewed else ""
    yield ctx.find("table-partly-read", t.headers.get("indicators.level3") or t.anchor,
                   f"未能完全识别表格结构（{layout.title}）：{'；'.join(parts)}{tail}，请人工核对")


def _unfilled(t: Table, cell: Cell, what: str) -> str:
    """``…未填写``, saying so when the cell still holds the form's own instruction text."""
    text = t.instructions.get(cell.address)
    if text is None:
        return f"{what}未填写"
    shown = text if len(text) <= INSTRUCTION_SHOWN else text[:INSTRUCTION_SHOWN] + "…"
    return f"{what}未填写：单元格中仍是表格的填写说明“{shown}”"


@check("required-blank", "error", "必填项为空")
def required_blank(ctx: Context) -> Iterator[Finding]:
    """A required cell is blank: 项目名称, 主管部门 (部门（单位）名称), 全年预算数, 全年执行数, and every
    indicator's 年度指标值, 实际完成值 and 分值 (a 定性 row without a tier phrase also needs its 得分); or
    any answer cell still holds the form's own instruction text (``对照年度目标，说明…（100字以内）``).

    Bad: 实际完成值 of 媒体播出满意度 left empty. Fix: type the value actually achieved (e.g. ``95%``).
    """
    t, layout = ctx.table, ctx.layout
    said: set[str] = set()

    def blank(cell: Cell, what: str) -> Finding:
        said.add(cell.address)
        return ctx.find("required-blank", cell, _unfilled(t, cell, what))

    for label in layout.fields:
        cell = t.fields.get(label.key)
        if label.required and cell is None:
            yield ctx.find("required-blank", t.anchor, f"未找到“{label.label}”")
        elif cell is not None and cell.blank and (label.required or cell.address in t.instructions):
            yield blank(cell, f"“{label.label}”")
    if any(k.startswith("funds.") for k in t.headers):
        row, name = t.funds.get("total"), layout.funds.row("total").label
        for column in layout.funds.columns:
            if not column.required:
                continue
            if row is None:
                yield ctx.find("required-blank", t.headers.get(f"funds.{column.key}"),
                               f"资金表缺少“{name}”行，{column.label}未填写")
            elif row.get(column.key) is None or row.cells[column.key].blank:
                cell = row.get(column.key)
                if cell is None:
                    yield ctx.find("required-blank", row.label, f"{name}的{column.label}未填写")
                else:
                    yield blank(cell, f"{name}的{column.label}")
    for out in ctx.re.rows:
        row = out.row
        for key in ("target", "actual", "weight"):
            cell = row.get(key)
            if cell is not None and cell.blank:
                yield blank(cell, f"指标“{row.level3 or row.level2}”的{layout.indicators.column(key).label}")
        actual, score = row.get("actual"), row.get("score")
        if actual is not None and actual.blank and score is not None and score.blank and not score.formula:
            said.add(score.address)         # nothing to score from and nothing scored: both cells are blank
            yield blank(score, f"指标“{row.level3 or row.level2}”的{layout.indicators.column('score').label}")
        if out.qualitative and out.tier is None and number(row.get("score")) is None \
                and row.get("score") is not None and row.cells["score"].blank:
            said.add(row.cells["score"].address)
            yield ctx.find("required-blank", row.get("score"),
                           f"定性指标“{row.level3}”未写明达成档次，得分不能为空")
    for cell in _answer_cells(t) if t.instructions else ():
        if cell.address in t.instructions and cell.address not in said:
            yield blank(cell, _answer_name(ctx, t, cell))


def _answer_cells(t: Table) -> Iterator[Cell]:
    yield from t.goal.values()
    for row in (*t.funds.values(), *t.indicators):
        yield from row.cells.values()


def _answer_name(ctx: Context, t: Table, cell: Cell) -> str:
    """What a person calls an answer cell: 年度总体目标的实际完成情况, 指标“…”的偏差原因 …"""
    layout = ctx.layout
    for key, goal_cell in t.goal.items():
        if goal_cell is cell and layout.goal is not None:
            return f"{layout.goal.label.label}的{layout.goal.column(key).label}"
    for row in t.indicators:
        for key, c in row.cells.items():
            if c is cell:
                column = next((x.label for x in layout.indicators.columns if x.key == key), key)
                return f"指标“{row.level3 or row.level2}”的{column}"
    for row in t.funds.values():
        for key, c in row.cells.items():
            if c is cell:
                column = next((x.label for x in layout.funds.columns if x.key == key), "说明")
                return f"{row.label.text}的{column}"
    return "此单元格"


@check("budget-zero", "error", "预算执行率的分母为0")
def budget_zero(ctx: Context) -> Iterator[Finding]:
    """全年预算数 (调整后预算数) of 年度资金总额 is 0 while the funds block carries a 预算执行 分值: 执行率
    cannot be computed, whatever 执行率 and 得分 the table states.

    Bad: 年度资金总额 全年预算数 ``0`` with 分值 10, 执行率 0, 得分 0. Fix: the year's budget after
    adjustments (a blank is reported as required-blank).
    """
    t = ctx.table
    row = t.funds.get("total")
    if not t.budget_scored or row is None or row.get("budget") is None:
        return
    budget = number(row.get("budget"))
    weight = number(row.get("weight"))
    weight = weight if weight is not None else ctx.system.budget_execution_weight
    if budget == 0 and weight:
        yield ctx.find("budget-zero", row.get("budget"), f"{_said(row.label, ctx.layout.funds.row('total').label)}的"
                       f"{_said(t.headers.get('funds.budget'), ctx.layout.funds.column('budget').label)}"
                       f"为0，无法计算执行率（预算执行分值 {weight}）", "大于0的预算数", row.cells["budget"].value)


def _said(label: Cell | None, official: str) -> str:
    """A label in the table's own words (``年初预算数(A)`` → 年初预算数, ``调整后预算数``), the layout's
    official label when the table has none: a message names what the reader sees."""
    return (normalize_label(label.value) if label is not None and isinstance(label.value, str) else "") or official
