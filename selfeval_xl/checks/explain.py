"""Where the rules ask for words: a deviation reason, an unexplained low 执行率 or over-achievement."""
from __future__ import annotations

from typing import Iterator

from ..core.findings import Finding
from ..core.rules import is_overachieved
from ..core.parse import parse_deadline
from ..core.recompute import number, rate_number
from .base import Context, check, percent, show


def reason_blank(row) -> bool:
    """The row's 偏差原因 cell is there and empty (a form without the column cannot be blamed for it)."""
    cell = row.get("reason")
    return cell is not None and cell.blank


def no_reason(row) -> bool:
    """No 偏差原因 given: the cell is empty, or the form has no such column."""
    cell = row.get("reason")
    return cell is None or cell.blank


@check("missing-deviation-reason", "error", "得分低于分值但未说明偏差原因")
def missing_deviation_reason(ctx: Context) -> Iterator[Finding]:
    """An indicator scored below its 分值 with 偏差原因分析及改进措施 (扣分原因) left blank.

    Bad: 得分 8 of 10, reason empty. Fix: say why the target was missed and what will change.
    """
    for out in ctx.re.rows:
        score = out.stated if out.stated is not None else out.expected
        if out.weight is None or score is None or score >= out.weight or not reason_blank(out.row):
            continue
        yield ctx.find("missing-deviation-reason", out.row.get("reason"),
                       f"“{out.row.level3}”得分 {show(score)} 低于分值 {show(out.weight)}，须填写偏差原因及改进措施",
                       "原因说明", None)


@check("exec-rate-unexplained", "error", "执行率偏低但未说明原因")
def exec_rate_unexplained(ctx: Context) -> Iterator[Finding]:
    """执行率 below the threshold (90% by default, ``exec_rate_explain_below``) with no explanation: a
    note beside the 年度资金总额 row, or 实际完成情况 or an indicator's 偏差原因 naming one of
    ``exec_rate_explain_words`` (by default 执行, 尾款, 结余, 未支付, 未付).

    Bad: 执行率 75%, nothing said. Fix: explain (e.g. ``政府采购延期，资金于次年支付``).
    """
    rate, funds = ctx.re.exec_rate, ctx.table.funds.get("total")
    if rate is None and funds is not None and None in (number(funds.get("budget")), number(funds.get("spent"))):
        rate = rate_number(funds.get("rate"))  # amounts the table does not give: the 执行率 it states
    if not ctx.table.budget_scored or rate is None or funds is None or rate >= ctx.settings.exec_rate_explain_below:
        return
    achieved = ctx.table.goal.get("achieved")
    words = ctx.settings.exec_rate_explain_words
    note = funds.get("note")         # blank when it still holds the form's instruction text
    if note is not None and "分值" in note.text:
        note = None                  # 得分计算方法 ("执行率*该指标分值…"): how it is scored, not why it is low
    if (note is not None and not note.blank) or (achieved is not None and any(w in achieved.text for w in words)):
        return
    if any(any(w in reason.text for w in words) for row in ctx.table.indicators
           if (reason := row.get("reason")) is not None):
        return          # said in a 偏差原因 (剩余3%尾款未付): the table explains it where its author put it
    cell = funds.get("rate") or funds.get("spent")
    yield ctx.find("exec-rate-unexplained", cell, f"执行率 {percent(rate)} 低于 "
                   f"{percent(ctx.settings.exec_rate_explain_below)}，须说明原因", "原因说明", None)


@check("overachievement-unexplained", "warning", "超额完成但未说明原因")
def overachievement_unexplained(ctx: Context) -> Iterator[Finding]:
    """An indicator far better than its target with no reason given: a 正向 actual at or above 120% of
    its target, or a 反向 (cost, time) actual at or below target / 120% (``overachievement_ratio``).
    财预〔2020〕10号 says a target set too low should cost points, so the reason must be stated.

    Bad: ``≥15000人次``, actual ``46845人次``, reason blank; or ``≤30天``, actual ``20天``. Fix: explain, or
    set realistic targets.
    """
    for out in ctx.re.rows:
        s = out.scored
        if s is None or s.target is None or s.actual is None or s.bands:
            continue
        if parse_deadline(out.row.value("target")) is not None:
            continue                # done before its deadline (7月 for 9月前): early, not a target set too low
        if not is_overachieved(s.target, s.actual, s.direction, ctx.settings) or not no_reason(out.row):
            continue
        if s.direction.positive:
            how, loose = f"达到指标值 {show(s.target)} 的 {percent(s.actual / s.target)}", "过低"
        else:
            how, loose = f"远低于指标值 {show(s.target)}（{percent(s.actual / s.target)}，反向指标越低越好）", "过高"
        yield ctx.find("overachievement-unexplained", out.row.get("reason") or out.row.get("actual"),
                       f"“{out.row.level3}”实际完成 {show(s.actual)}，{how}，请说明超额原因（指标值是否定得{loose}）",
                       "原因说明", out.row.value("actual"))
