"""The quality rules one table shows, each a check under its code (the sqlfluff model: one small
function per rule, its docstring the English documentation, its wording and thresholds in the pack).

Every rule reads the recomputed table (:class:`~selfeval_xl.checks.base.Context`) and the run's pack's
:class:`~selfeval_xl.quality.pack.Rule`; it never changes a score: a quality finding is a reviewer's
remark, a warning unless the pack says otherwise.
"""
from __future__ import annotations

import re
from typing import Callable, Iterable, Iterator

from ..base import Check, Context, check
from ..explain import no_reason
from ...core.findings import Finding
from ...core.layout import normalize_label, plain_text
from ...core.model import Cell
from ...core.parse import parse_deadline
from ...core.recompute import RowResult
from ...core.rules import Direction, is_overachieved
from .pack import Rule
from .registry import as_configured, declared, title_of
from .text import has_any, has_digit, percent, similarity, squeeze

PerTable = Callable[[Context, Rule], Iterable[Finding]]


def quality_rule(code: str) -> Callable[[PerTable], Check]:
    """Make ``fn(ctx, rule)`` the unit of ``code``, run as the run's pack (``ctx.quality``) configures it."""
    packaged = declared(code)

    def unit(fn: PerTable) -> Check:
        def run(ctx: Context) -> Iterator[Finding]:
            rule = ctx.quality.rule(code)
            if rule.on:
                yield from as_configured(rule, fn(ctx, rule))
        run.__doc__, run.__name__, run.__module__ = fn.__doc__, fn.__name__, fn.__module__
        return check(code, packaged.severity if packaged.on else "warning", title_of(code))(run)
    return unit


def _text(row_result: RowResult, key: str) -> str:
    cell = row_result.row.get(key)
    return cell.shown if cell is not None else ""


def _target_shown(out: RowResult) -> str:
    """The 年度指标值 as the table shows it, with its 指标性质 and 度量单位 when they are columns of their own."""
    direction = _text(out, "direction")
    target, unit = _text(out, "target"), _text(out, "unit")
    prefix = direction if direction in ("≥", "≤", ">", "<", "=") and not target.startswith(direction) else ""
    return f"{prefix}{target}{unit if unit and unit not in target else ''}"


@quality_rule("cost-with-floor")
def cost_with_floor(ctx: Context, rule: Rule) -> Iterator[Finding]:
    """A 成本 indicator (its 二级 or 三级 names a cost) whose target is a floor: ``≥17.4万元``, ``不低于…``,
    or 指标性质 ≥ / 正向. A cost is kept within the budget standard, so its target is a ceiling. An
    indicator of saving (成本节约率 ≥ 5%) is fine; where the indicator system names its cost levels
    (``cost_levels``), ``cost-direction`` reports the row instead, once.

    Bad: 成本指标 ``设备采购成本`` with 年度指标值 ``≥17.4万元``. Fix: ``≤17.4万元``.
    """
    system_levels = tuple(normalize_label(w) for w in ctx.settings.cost_levels)
    cost_words = rule.param("cost_words")
    for out in ctx.re.rows:
        row = out.row
        if not has_any(normalize_label(row.level2) + normalize_label(row.level3), cost_words):
            continue
        if has_any(row.level3, rule.param("saving_words")):
            continue
        if any(w and w in normalize_label(row.level2) for w in system_levels):
            continue
        direction, target = _text(out, "direction"), _text(out, "target")
        floor = has_any(target, rule.param("floor_words")) or has_any(direction, rule.param("floor_words")) \
            or direction.startswith("正向")
        if floor:
            cell = row.get("target") if has_any(target, rule.param("floor_words")) else row.get("direction")
            yield ctx.find(rule.code, cell, rule.message(name=row.level3, target=_target_shown(out)),
                           "≤", cell.value if cell else None)


@quality_rule("time-without-date")
def time_without_date(ctx: Context, rule: Rule) -> Iterator[Finding]:
    """A 时效 indicator whose target names no time: no date, no deadline, no figure (``及时``, ``按期完成``).
    A figure (``≤30个工作日``, ``100%``) or a deadline (``12月31日前``, ``年底前``) is a time.

    Bad: 时效指标 ``资金拨付及时性`` with 年度指标值 ``及时``. Fix: ``≤30个工作日`` or ``11月30日前``.
    """
    time_words = rule.param("time_words")
    for out, levels in zip(ctx.re.rows, ctx.row_levels):
        if not has_any(levels, time_words):
            continue
        row, target = out.row, _text(out, "target")
        if not target:
            continue
        if has_digit(target) or parse_deadline(target) is not None:
            continue
        yield ctx.find(rule.code, row.get("target"), rule.message(name=row.level3, target=target),
                       "完成时限", target)


@quality_rule("quantity-without-unit")
def quantity_without_unit(ctx: Context, rule: Rule) -> Iterator[Finding]:
    """A 定量 indicator (scored by a number) with no unit anywhere: the 度量单位 cell is blank (or the
    table has none), the 年度指标值 carries no unit, its cell is not formatted as a percentage, and the
    三级指标 does not end in its unit (``人物专辑（集）``, as Guangzhou's 部门整体 form writes it) or imply
    it (``implied_words``: a 率 is a percentage, a 数量 a count).

    Bad: ``培训人数`` with 年度指标值 ``≥500`` and no 度量单位. Fix: 度量单位 ``人次``.
    """
    for out in ctx.re.rows:
        s, row = out.scored, out.row
        if s is None or s.direction is Direction.QUAL or _text(out, "unit"):
            continue
        if has_any(row.level3, rule.param("implied_words")):
            continue
        target = row.get("target")
        if target is None or target.blank or _has_unit(target) or _UNIT_IN_NAME.search(row.level3):
            continue
        yield ctx.find(rule.code, row.get("unit") or target,
                       rule.message(name=row.level3, target=target.shown), "度量单位", None)


_UNIT_IN_NAME = re.compile(r"[（(][^（）()]{1,6}[）)]$")


def _has_unit(cell: Cell) -> bool:
    """The target states its unit: words or % beside the figure, or a percentage format. Full-width
    figures (``４３．２``) are figures: folded first."""
    if "%" in (cell.number_format or ""):
        return True
    if not isinstance(cell.value, str):
        return False
    return any(not (ch.isdigit() or ch in ".,-+≥≤<>=≧≦~") for ch in plain_text(cell.text))


@quality_rule("satisfaction-without-survey")
def satisfaction_without_survey(ctx: Context, rule: Rule) -> Iterator[Finding]:
    """A 满意度 indicator given a 完成值 with nothing saying how it was measured: no 调查 / 问卷 / 测评 …
    in its 完成值, its 偏差原因 or the table's 实际完成情况, and no 佐证 (evidence) cell filled. A
    reviewer gives such a row no points (local practice); project tables by default (``table_kinds``).

    Bad: 服务对象满意度 完成值 ``98%``, nothing else. Fix: say how: ``经问卷调查（有效问卷120份），满意度98%``.
    """
    if ctx.table.kind not in rule.param("table_kinds"):
        return
    goal = ctx.table.goal.get("achieved")
    if goal is not None and has_any(goal.text, rule.param("survey_words")):
        return
    for out in ctx.re.rows:
        row = out.row
        if not has_any(row.level2 + row.level3, rule.param("satisfaction_words")):
            continue
        actual = row.get("actual")
        if actual is None or actual.blank:
            continue
        said = _text(out, "actual") + _text(out, "reason")
        evidence = any(not c.blank for k in rule.param("evidence_columns") if (c := row.get(k)) is not None)
        if has_any(said, rule.param("survey_words")) or evidence:
            continue
        yield ctx.find(rule.code, actual, rule.message(name=row.level3, actual=actual.shown), "调查依据",
                       actual.value)


@quality_rule("benefit-restates-output")
def benefit_restates_output(ctx: Context, rule: Rule) -> Iterator[Finding]:
    """A 效益 indicator worded as (or almost as) an 产出 indicator of the same table: one achievement
    counted twice. Similarity is rapidfuzz's ratio of the squeezed 三级指标 texts (``similarity``).

    Bad: 产出 ``举办培训班`` and 效益 ``举办培训班次``. Fix: under 效益, what the training changed
    (``参训人员考核合格率``).
    """
    rows = list(zip(ctx.re.rows, ctx.row_levels))
    outputs = [(squeeze(o.row.level3), o.row) for o, levels in rows if "产出" in levels]
    for out, levels in rows:
        if "效益" not in levels:
            continue
        name = squeeze(out.row.level3)
        if len(name) < rule.param("min_chars"):
            continue
        best = max(((similarity(name, text), row) for text, row in outputs if len(text) >= rule.param("min_chars")),
                   key=lambda pair: pair[0], default=None)
        if best is not None and best[0] >= rule.param("similarity"):
            other = best[1].get("level3")
            yield ctx.find(rule.code, out.row.get("level3"),
                           rule.message(name=out.row.level3, other=best[1].level3,
                                        other_cell=other.ref if other else "", similarity=f"{best[0]:.0f}"),
                           None, out.row.level3)


@quality_rule("indicator-copies-goal")
def indicator_copies_goal(ctx: Context, rule: Rule) -> Iterator[Finding]:
    """An indicator whose wording (its 三级指标, or its worded 年度指标值) is a sentence of the 年度目标
    word for word: the goal restated, not made measurable. Only texts of ``min_chars`` or more count.

    Bad: 年度目标 ``完成全市档案数字化加工任务，提升档案利用服务水平`` and the indicator ``提升档案利用服务水平``
    (定性, ``有效提升``). Fix: an indicator that measures it (``档案在线查阅量 ≥ 5万人次``).
    """
    goal = ctx.table.goal.get("expected")
    text = squeeze(goal.text) if goal is not None else ""
    if not text:
        return
    for out in ctx.re.rows:
        for key in ("level3", "target"):
            cell = out.row.get(key)
            words = squeeze(cell.text) if cell is not None else ""
            if len(words) >= rule.param("min_chars") and not has_digit(words) and words in text:
                yield ctx.find(rule.code, cell, rule.message(name=out.row.level3), None, cell.value)
                break


@quality_rule("vague-target")
def vague_target(ctx: Context, rule: Rule) -> Iterator[Finding]:
    """An indicator under a level that counts by nature (``quantitative_levels``: 数量, 成本) with a
    worded target such as ``有效提升``: no value to check it against. (A row whose 指标性质 says 定量
    while its target is words is ``target-not-numeric``'s, an error, and not reported here again.)

    Bad: 数量指标 ``培训覆盖面`` with 年度指标值 ``有效提升`` (定性). Fix: ``≥800人次``.
    """
    for out in ctx.re.rows:
        if not out.qualitative:
            continue
        row, target = out.row, _text(out, "target")
        if not target or has_digit(target):
            continue
        level = normalize_label(row.level2)
        if not has_any(level, rule.param("quantitative_levels")) or not has_any(target, rule.param("vague_words")):
            continue
        yield ctx.find(rule.code, row.get("target"), rule.message(name=row.level3, level=row.level2, target=target),
                       "具体数值", target)


@quality_rule("far-over-target")
def far_over_target(ctx: Context, rule: Rule) -> Iterator[Finding]:
    """A 正向 indicator whose 完成值 is at least ``ratio`` times its 指标值 (130% by default): 财预〔2020〕10号
    第十六条 reads such a gap as a target set too low, to be scored down by the deviation. The ratio is a
    parameter because local practice differs (one province deducts at 30% above, a review firm at 130%).

    Bad: 参观人数 指标值 ``≥15000``, 完成值 ``46845`` (312%). Fix: set next year's target from this year's
    value, and score the deviation down as the article says. A row without a 偏差原因 over the
    system's over-achievement threshold is ``overachievement-unexplained``'s, once.
    """
    for out in ctx.re.rows:
        s = out.scored
        if s is None or not s.direction.positive or s.bands or not s.target or s.actual is None or s.target <= 0:
            continue
        ratio = s.actual / s.target
        if not ratio >= rule.param("ratio"):
            continue
        if is_overachieved(s.target, s.actual, s.direction, ctx.settings) and no_reason(out.row):
            continue              # overachievement-unexplained reports it, asking whether the target was too low
        cell = out.row.get("actual")
        yield ctx.find(rule.code, cell, rule.message(name=out.row.level3, actual=cell.shown if cell else "",
                                                     target=_target_shown(out), ratio=percent(ratio)),
                       f"< {percent(rule.param('ratio'))}", percent(ratio))


@quality_rule("routine-management")
def routine_management(ctx: Context, rule: Rule) -> Iterator[Finding]:
    """A routine management requirement (``names``: 制度健全, 按时报送, 资金使用合规 …) set as an 产出 or 效益
    indicator: it says nothing of what the money produced or changed. The name must be the requirement
    itself (``资金使用合规性``), not a sentence that mentions one (``对推动“四项制度”健全的持续影响``).

    Bad: 产出指标 ``资金使用合规性`` (定性, ``合规``). Fix: drop it (it belongs to 过程 / 管理, if anywhere)
    and measure an output.
    """
    words = rule.param("levels")
    for out, levels in zip(ctx.re.rows, ctx.row_levels):
        level = next((w for w in words if w in levels), None)
        if level is None or not _is_requirement(squeeze(out.row.level3), rule):
            continue
        yield ctx.find(rule.code, out.row.get("level3"), rule.message(name=out.row.level3, level1=f"{level}指标"),
                       None, out.row.level3)


def _is_requirement(name: str, rule: Rule) -> bool:
    """The squeezed name is one of ``names``, with at most a ``suffixes`` word after it."""
    suffixes = rule.param("suffixes")
    for word in rule.param("names"):
        if name.startswith(word) and (name == word or name[len(word):] in suffixes):
            return True
        if name.startswith("是否") and name[2:] == word:
            return True
    return False
