"""The checks of a narrative report, each a unit of the one registry (:class:`~selfeval_xl.checks.base.Check`;
documented and cased in ``checks.yaml`` beside this module; listed by ``selfeval check --list-checks``).

A check reads a :class:`Context` (the statements of one report, and the figures of its 单位's tables
when they were given in the same run) and yields findings at the paragraph of the statement, quoting
its sentence. :data:`REPORT_CHECKS` lists them in the order they run: on reports only.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Iterator

from ..checks.base import Check, check, raised, run_checks as run_units
from ..checks.reading import CHECK_FAILED
from ..core.findings import Finding, finding
from .numbers import HUNDRED, agrees, places, same_quantity
from .statements import Extracted, Key, Statement
from .summary import Summary
from .units import Unit

WHAT = {"weight": "分值", "score": "自评", "budget": "预算", "spent": "决算", "gap": "预算执行差额", "initial": "年初预算"}

# raised by the report reader (narrative/report.py) before or after the checks, not by a check
NO_TEXT = raised("report-no-text", "warning", "报告未能读出文字，未检查", __name__)
NOT_A_REPORT = raised("report-not-a-report", "warning", "文件不像绩效自评报告，未检查", __name__)
NOTHING_CHECKED = raised("report-nothing-checked", "warning", "报告中没有读出可相互核对的数字，未核对", __name__)


@dataclass
class Context:
    file: str
    extracted: Extracted
    unit: Unit | None = None
    facts: dict[Key, tuple[Decimal, Summary]] = field(default_factory=dict)
    compared: int = 0         # the relations the checks held against each other: 0 means nothing was checked

    def agrees(self, stated: Decimal, computed: Decimal) -> bool:
        """:func:`agrees`, counted: a report none of whose figures met another is not a clean pass."""
        self.compared += 1
        return agrees(stated, computed)

    def exceeds(self, score: Decimal, weight: Decimal) -> bool:
        """score > weight, counted."""
        self.compared += 1
        return score > weight

    def same(self, first: Decimal, again: Decimal) -> bool:
        """:func:`same_quantity`, counted."""
        self.compared += 1
        return same_quantity(first, again)

    def find(self, code: str, s: Statement, message: str, expected=None, found=None) -> Finding:
        sheet, cell = s.paragraph.where
        return finding(code, f"{message}：“{s.sentence}”", file=self.file, sheet=sheet, cell=cell,
                       expected=expected, found=found if found is not None else s.value)

    def first(self, key: Key) -> Statement | None:
        return next((s for s in self.extracted.statements if s.key == key), None)

    def paragraphs(self, kind: str) -> list[list[Statement]]:
        """The statements of one kind (``funds``), paragraph by paragraph."""
        by: dict[int, list[Statement]] = {}
        for s in self.extracted.statements:
            if s.key[1] == kind:
                by.setdefault(id(s.paragraph), []).append(s)
        return list(by.values())

    def nearest(self, rate: Statement, measure: str) -> Statement | None:
        """The total's amount a rate is of: stated in the rate's own paragraph, else the one value the
        rate's scope states (none when it states two: that is a figure stated twice, not a rate)."""
        key = (rate.key[0], "funds", measure, "total")
        own = [s for s in self.extracted.statements if s.key == key and s.paragraph is rate.paragraph]
        if own:
            return own[-1]
        values = {s.value.normalize(): s for s in self.extracted.statements if s.key == key}
        return next(iter(values.values())) if len(values) == 1 else None


def describe(key: Key) -> str:
    """A statement's key in words: 档案展厅运营项目 产出指标 自评."""
    scope, *what = key
    words = [scope or "部门整体"]
    if what[0] in ("level", "level2", "indicator", "named"):
        words.append(f"“{what[1]}”")
        what = what[2:]
    elif what[0] == "total":
        words.append("总分")
        what = what[1:]
    elif what[0] == "funds":
        words.append({"total": "支出", "basic": "基本支出", "project": "项目支出"}.get(what[2], what[2].removeprefix("part:")))
        what = what[1:2]
    elif what[0] == "rate":
        return " ".join(words + ["指标完成率" if what[1] == "full" else "预算完成率/执行率"])
    elif what[0] == "count":
        return " ".join(words + [{"all": "指标个数", "full": "实际完成指标个数"}.get(what[1], f"{what[1]}指标个数")])
    return " ".join(words + [WHAT.get(w, w) for w in what])


def _show(value: Decimal) -> str:
    return format(value.normalize(), "f")


@check("report-parts-sum", "error", "报告中分项之和与所述合计不符")
def parts_sum(ctx: Context) -> Iterator[Finding]:
    """A whole the report states against the parts it gives for it: a 分值 or 自评 breakdown
    (``自评 95.95 分，其中预算执行 9.55 分，产出指标 46.4 分，效益指标 40 分`` sums to 95.95 — but
    ``分值 100 分，其中管理效能 45 分，履职效能 50 分，加减分项 4 分`` does not), and the funds: 合计 =
    基本支出 + 项目支出 (预算 and 决算), 预算执行差额 = 支出预算 − 支出决算.

    Fix: correct the part or the whole so that both say what the table says.
    """
    for group in ctx.extracted.groups:
        total = sum((p.value for p in group.parts), Decimal(0))
        if not ctx.agrees(group.whole.value, total):
            parts = " + ".join(_show(p.value) for p in group.parts)
            yield ctx.find("report-parts-sum", group.whole,
                           f"{describe(group.whole.key)} {_show(group.whole.value)} 分不等于所列分项之和 {parts} = "
                           f"{_show(total)}", total)
    for paragraph in ctx.paragraphs("funds"):
        for scope in dict.fromkeys(s.key[0] for s in paragraph):
            def first(measure: str, category: str) -> Statement | None:
                return next((s for s in paragraph if s.key == (scope, "funds", measure, category)), None)
            for measure in ("budget", "spent"):
                whole, basic, project = (first(measure, c) for c in ("total", "basic", "project"))
                if whole and basic and project and not ctx.agrees(whole.value, basic.value + project.value):
                    yield ctx.find("report-parts-sum", whole,
                                   f"{describe(whole.key)} {_show(whole.value)} 万元不等于基本支出 {_show(basic.value)} + "
                                   f"项目支出 {_show(project.value)} = {_show(basic.value + project.value)} 万元",
                                   basic.value + project.value)
            for category in ("total", "basic", "project"):
                budget, spent, gap = (first(m, category) for m in ("budget", "spent", "gap"))
                if budget and spent and gap and not ctx.agrees(gap.value, budget.value - spent.value):
                    yield ctx.find("report-parts-sum", gap,
                                   f"{describe(gap.key)} {_show(gap.value)} 万元不等于预算 {_show(budget.value)} − 决算 "
                                   f"{_show(spent.value)} = {_show(budget.value - spent.value)} 万元",
                                   budget.value - spent.value)
    for group in ctx.extracted.fund_groups:
        total = sum((p.value for p in group.parts), Decimal(0))
        if len(group.parts) < 2 or not (group.complete or total > group.whole.value):
            continue
        if not ctx.agrees(group.whole.value, total):
            names = " + ".join(f"{p.key[3].removeprefix('part:')} {_show(p.value)}" for p in group.parts)
            yield ctx.find("report-parts-sum", group.whole,
                           f"{describe(group.whole.key)} {_show(group.whole.value)} 万元不等于其中所列 {names} = "
                           f"{_show(total)} 万元", total)


@check("report-rate", "error", "报告中的比率与所述金额或个数不符")
def rate_of_amounts(ctx: Context) -> Iterator[Finding]:
    """A rate the report states against the two figures it states it from: 预算完成率 (or a project's
    执行率) = 支出决算 / 支出预算; 指标完成率 = 实际完成指标个数 / 指标个数 (checked with the counts).

    Bad: ``支出预算 1132.01 万元，支出决算 1011.98 万元 … 预算完成率 99.76%`` (99.76% is 1011.98 / 1014.4,
    the other year's or the other place's budget). Fix: one 支出预算 everywhere, and its rate.
    """
    for rate in (s for s in ctx.extracted.statements if s.key[1:] == ("rate", "budget")):
        budget, spent = ctx.nearest(rate, "budget"), ctx.nearest(rate, "spent")
        if not budget or not spent or not budget.value:
            continue
        expected = spent.value / budget.value * HUNDRED
        if not ctx.agrees(rate.value, expected):
            yield ctx.find("report-rate", rate,
                           f"{describe(rate.key)} {_show(rate.value)}% 不等于决算 {_show(spent.value)} / 预算 "
                           f"{_show(budget.value)} = {_show(round(expected, 2))}%", round(expected, 2))
    for parts, full, rate in ctx.extracted.counts:
        total = sum((p.value for p in parts if p.key[2] != "all"), Decimal(0)) or parts[0].value
        if not total:
            continue
        expected = full.value / total * HUNDRED
        if not ctx.agrees(rate.value, expected):
            yield ctx.find("report-rate", rate,
                           f"指标完成率 {_show(rate.value)}% 不等于实际完成指标 {_show(full.value)} 个 / 指标 "
                           f"{_show(total)} 个 = {_show(round(expected, 2))}%", round(expected, 2))


@check("report-score-over-weight", "error", "报告中的自评得分高于其分值")
def score_over_weight(ctx: Context) -> Iterator[Finding]:
    """A score the report states above the 分值 it states for the same thing: an indicator, a level,
    or a part of a project's breakdown (the real case: 分值 …效益指标 30 分 … 自评 …效益指标 40 分).

    Fix: a score is at most its 分值; correct the score (and the table it came from).
    """
    for s in ctx.extracted.statements:
        weight = ctx.first(s.key[:-1] + ("weight",)) if s.key[-1] == "score" else None
        if weight is not None and ctx.exceeds(s.value, weight.value):
            yield ctx.find("report-score-over-weight", s,
                           f"{describe(s.key)} {_show(s.value)} 分高于报告所述分值 {_show(weight.value)} 分", weight.value)


@check("report-figure-twice", "error", "报告中同一数字前后不一致")
def figure_twice(ctx: Context) -> Iterator[Finding]:
    """The same figure of one 单位 and year stated twice with different values (the real case: 支出预算
    1132.01 万元 in one place, 1014.4 万元 in another). Reported at the later statement, quoting both.

    Fix: one value everywhere — the table's. (With the table given, the statement that differs from
    it is a report-table-mismatch instead.)
    """
    seen: dict[Key, Statement] = {}
    for s in ctx.extracted.statements:
        if s.key in ctx.facts:        # the table says which is right: report-table-mismatch says it once
            continue
        first = seen.setdefault(s.key, s)
        if first is not s and not ctx.same(first.value, s.value):
            sheet, cell = first.paragraph.where
            yield ctx.find("report-figure-twice", s,
                           f"{describe(s.key)} 此处为 {_show(s.value)}，{sheet}{cell}为 {_show(first.value)}（“{first.sentence}”）",
                           first.value)


@check("report-part-missing", "warning", "报告中自评分项少于分值分项")
def part_missing(ctx: Context) -> Iterator[Finding]:
    """A score breakdown that leaves out a part the weight breakdown of the same thing lists (the real
    case: 分值 …效益指标 30 分，服务对象满意度指标 10 分; 自评 95.95 分，其中预算执行 9.55 分，产出指标 46.4 分，
    效益指标 40 分 — no 满意度). A warning: the sum may still be what the table says.

    Fix: list every part's score beside its weight.
    """
    weights = {g.whole.key[:-1]: g for g in ctx.extracted.groups if g.whole.key[-1] == "weight"}
    for group in ctx.extracted.groups:
        listed = weights.get(group.whole.key[:-1]) if group.whole.key[-1] == "score" else None
        if listed is None:
            continue
        scored = {p.key[:-1] for p in group.parts}
        missing = [p for p in listed.parts if p.key[:-1] not in scored]
        if missing:
            names = "、".join(p.key[-2] for p in missing)
            yield ctx.find("report-part-missing", group.whole,
                           f"{describe(group.whole.key)} 的分项未列“{names}”（分值分项列了它）", None)


@check("report-table-mismatch", "error", "报告中的数字与本单位的自评表不符")
def table_mismatch(ctx: Context) -> Iterator[Finding]:
    """A figure the report states against the same figure in the 单位's tables given in the same run:
    总分, each level's and indicator's 分值 and 自评, each project's 总分 and breakdown, 资金 (预算, 决算,
    差额), 预算完成率 and 执行率, counts of indicators. Only figures whose words say what they are are
    compared; the report's 单位 is the one whose name it gives.

    Fix: restate the table's figure (or correct the table, then the report).
    """
    for s in ctx.extracted.statements:
        fact = ctx.facts.get(s.key)
        if fact is None or (s.key[-1] == "full" and "满分" not in s.sentence):
            continue                  # 实际完成指标 may mean 达成, not 得满分: compared where it says so
        value, table = fact
        if not ctx.agrees(s.value, value):
            unit = "%" if s.key[1] == "rate" else ""
            shown = round(value, max(places(s.value), 2))
            yield ctx.find("report-table-mismatch", s,
                           f"{describe(s.key)} 报告为 {_show(s.value)}{unit}，{_table_name(table)}为 {_show(shown)}{unit}",
                           shown)


def _table_name(s: Summary) -> str:
    return "部门整体支出绩效自评表" if s.kind == "department" else f"“{s.name}”项目支出绩效自评表"


@check("report-placeholder", "warning", "报告仍有待填写的占位内容")
def placeholder(ctx: Context) -> Iterator[Finding]:
    """A drafted report still holds the drafter's 【待填写：…】 placeholders: what only the 单位 can write
    (部门概况, 主要工作成效 …) is missing. Reported once, at the first.

    Fix: write those parts and remove the marks.
    """
    holes = ctx.extracted.placeholders
    if holes:
        sheet, cell = holes[0].where
        yield finding("report-placeholder", f"报告中有 {len(holes)} 处【待填写】尚未填写（首处：“{holes[0].text[:60]}”）",
                      file=ctx.file, sheet=sheet, cell=cell, found=len(holes))


REPORT_CHECKS: tuple[Check, ...] = (parts_sum, rate_of_amounts, score_over_weight, figure_twice, part_missing,
                                     table_mismatch, placeholder)
"""The report checks in the order they run (their findings in this order). Adding one: a function with
``@check`` above, its entry with cases in ``checks.yaml``, and its name here."""
REPORT_CODES: tuple[Check, ...] = REPORT_CHECKS + (NO_TEXT, NOT_A_REPORT, NOTHING_CHECKED)
"""Every code of a report, for the documentation (:mod:`selfeval_xl.checks.catalogue`)."""


def run_checks(ctx: Context, skip: frozenset[str] = frozenset()) -> Iterator[Finding]:
    """Every report check but those of ``skip``; one that crashes becomes a ``check-failed`` finding."""
    return run_units(ctx, [c for c in REPORT_CHECKS if c.code not in skip],
                     lambda message: finding(CHECK_FAILED.code, message, file=ctx.file))
