"""The draft report as blocks (title, headings, paragraphs, placeholders, tables), before any file format.

Every figure comes from the tables through :mod:`summary`, written as :mod:`numbers` writes it (the
checker reads these sentences back). What only the 单位 can write is a :class:`Placeholder`, never prose.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from ..core.findings import Finding, Severity
from .numbers import amount_text, rate_text, score_text
from .summary import EXEC_PART, Indicator, Part, Summary
from .units import Unit

PLACEHOLDER = "待填写"
CN_NUMBERS = "一二三四五六七八九十"


@dataclass(frozen=True)
class Placeholder:
    """Text a person must write: shown highlighted as 【待填写：what】."""

    what: str

    def __str__(self) -> str:
        return f"【{PLACEHOLDER}：{self.what}】"


@dataclass
class Block:
    kind: str             # title, heading1, heading2, heading3, para, note, signature, annex (a new page), table
    parts: list = field(default_factory=list)   # str and Placeholder, in order
    rows: list[list[str]] = field(default_factory=list)   # a table's cells

    @property
    def text(self) -> str:
        return "".join(map(str, self.parts))


def _p(kind: str, *parts) -> Block:
    return Block(kind, list(parts))


def _cn(n: int) -> str:
    return CN_NUMBERS[n - 1] if n <= len(CN_NUMBERS) else str(n)


def outline(unit: Unit) -> list[Block]:
    """The report of one 单位, in the outline in use: 一、基本情况 … 七、其他需要说明的问题, the list of 附件,
    the 落款, then each 附件 table on a page of its own."""
    year = f"{unit.year}年度" if unit.year else "本年度"
    blocks = [_p("title", f"{unit.name}{year}部门整体支出绩效自评报告")]
    blocks += _drafting_notes(unit)
    dept = unit.department
    blocks += [_p("heading1", "一、基本情况"),
               _p("heading2", "（一）部门概况"), _p("para", Placeholder("部门职能、机构设置、人员编制等概况")),
               _p("heading2", "（二）年度总体工作和重点工作任务"),
               _p("para", Placeholder("年度总体工作和重点工作任务"))]
    if unit.projects:
        names = "、".join(p.name for p in unit.projects)
        blocks.append(_p("para", f"本年度实施项目{len(unit.projects)}个：{names}。"))
    blocks.append(_p("heading2", "（三）部门整体收支情况"))
    blocks += _funds(dept, year) if dept else [_p("para", Placeholder("部门整体收支情况（未提供部门整体支出绩效自评表）"))]
    blocks += [_p("heading2", "（四）绩效管理情况"), _p("para", Placeholder("绩效管理制度建设与执行情况")),
               _p("heading1", "二、绩效自评工作开展情况"), _p("para", Placeholder("自评工作的组织、方法和过程")),
               _p("heading1", "三、综合评价分析"), _p("heading2", "（一）自评结论综述")]
    blocks += _conclusion(dept) if dept else [_p("para", Placeholder("自评结论综述（未提供部门整体支出绩效自评表）"))]
    if dept:
        blocks += [_p("heading2", "（二）部门整体绩效分析")] + _department_scores(dept)
    blocks.append(_p("heading2", f"（{_cn(3 if dept else 2)}）各项目绩效情况"))
    for n, project in enumerate(unit.projects, 1):
        blocks += _project(n, project)
    if not unit.projects:
        blocks.append(_p("para", "本次未提供项目支出绩效自评表。"))
    blocks += [_p("heading2", f"（{_cn(4 if dept else 3)}）主要工作成效"), _p("para", Placeholder("主要工作成效"))]
    shorts = [(s, i) for s in unit.summaries for i in [*_execution(s), *s.indicators] if i.short]
    blocks += [_p("heading1", "四、存在的主要问题")] + _problems(shorts)
    blocks += [_p("heading1", "五、下一步改进措施")] + _measures(shorts)
    blocks += [_p("heading1", "六、自评结果应用"), _p("para", Placeholder("自评结果在预算安排、政策调整和改进管理中的应用")),
               _p("heading1", "七、其他需要说明的问题"), _p("para", Placeholder("其他需要说明的问题（没有的写“无”）"))]
    blocks.append(_p("para", "附件：" + "；".join(f"{n}.{_annex_title(s)}" for n, s in enumerate(unit.summaries, 1))
                     + "。") if unit.summaries else _p("para", "附件：无。"))
    blocks += [_p("signature", unit.name), _p("signature", Placeholder("年 月 日"))]
    return blocks + _annexes(unit)


def _drafting_notes(unit: Unit) -> list[Block]:
    notes = [_p("note", f"本稿由selfeval draft依据{len(unit.files)}个自评表生成，文中数字均取自表格；"
                        "标黄的【待填写】处须由单位填写，定稿前删去本说明。")]
    if unit.several_names:
        notes.append(_p("note", f"以下名称视为同一单位：{'、'.join(unit.names)}。"))
    errors = sum(f.severity is Severity.ERROR for f in unit.findings)
    warnings = len(unit.findings) - errors
    if not unit.findings:
        notes.append(_p("note", "表格检查未发现错误或警告。"))
        return notes
    notes.append(_p("note", f"表格检查发现{errors}个错误、{warnings}个警告，据此起草的数字可能有误，请先核改表格："))
    notes += [_p("note", _finding_line(f)) for f in unit.findings]
    return notes


def _finding_line(f: Finding) -> str:
    severity = "错误" if f.severity is Severity.ERROR else "警告"
    return f"{Path(f.file).name} {f.position} [{severity}] {f.code}：{f.message}"


def _funds(dept: Summary, year: str) -> list[Block]:
    f = dept.funds
    text = (f"{year}支出预算{amount_text(f.get(('budget', 'total')))}万元，支出决算"
            f"{amount_text(f.get(('spent', 'total')))}万元，")
    if ("budget", "total") in f and ("spent", "total") in f:
        text += f"预算执行差额{amount_text(f['budget', 'total'] - f['spent', 'total'])}万元，"
    text += f"预算完成率{rate_text(dept.rate)}。"
    details = [f"{label}预算{amount_text(f[('budget', key)])}万元，决算{amount_text(f[('spent', key)])}万元"
               for key, label in (("basic", "基本支出"), ("project", "项目支出"))
               if ("budget", key) in f and ("spent", key) in f]
    if details:
        text += "其中" + "；".join(details) + "。"
    return [_p("para", text)]


def _levels(parts: list[Part]) -> str:
    return "，".join(f"{p.name}{score_text(p.weight)}分" for p in parts)


def _department_scores(dept: Summary) -> list[Block]:
    blocks = [_p("para", f"部门整体支出绩效评价总分{score_text(dept.weight)}分，其中{_levels(dept.parts)}。")]
    for part in dept.parts:
        blocks.append(_p("heading3", f"{part.name}评价分析：分值{score_text(part.weight)}分，"
                                     f"自评{score_text(part.score)}分。"))
        for child in part.children:
            blocks.append(_p("para", f"{child.name}评价分析：分值{score_text(child.weight)}分，"
                                     f"自评{score_text(child.score)}分。"))
            blocks += [_p("para", _indicator_sentence(n, i)) for n, i in enumerate(child.indicators, 1)]
    return blocks


def _indicator_sentence(n: int, i: Indicator) -> str:
    target = f"年度指标值为{i.target}，" if i.target else ""
    actual = f"实际完成值为{i.actual}，" if i.actual else ""
    return f"{n}.{i.name}：{target}分值{score_text(i.weight)}分；{actual}自评{score_text(i.score)}分。"


def _conclusion(dept: Summary) -> list[Block]:
    grade = f"，等级为{dept.grade}" if dept.grade else ""
    text = f"部门整体支出绩效自评总分{score_text(dept.score)}分{grade}。"
    counted = [(p.name, len(p.indicators)) for p in dept.parts if p.indicators]
    total = sum(n for _, n in counted)
    if total:
        full = sum(1 for i in dept.indicators if i.weight is not None and i.score is not None and i.score >= i.weight)
        text += ("涉及" + "，".join(f"{n}个{name}指标" for name, n in counted) +
                 f"。实际完成指标{full}个（得满分的指标），指标完成率{rate_text(Decimal(full) / Decimal(total))}。")
    if dept.rate is not None:
        text += f"预算完成率{rate_text(dept.rate)}。"
    return [_p("para", text)]


def _project(n: int, p: Summary) -> list[Block]:
    blocks = [_p("heading3", f"{n}.{p.name}")]
    f = p.funds
    if ("budget", "total") in f and ("spent", "total") in f:
        blocks.append(_p("para", f"项目全年预算数{amount_text(f['budget', 'total'])}万元，全年执行数"
                                 f"{amount_text(f['spent', 'total'])}万元，执行率{rate_text(p.rate)}。"))
    weights = "，".join(f"{x.name}{score_text(x.weight)}分" for x in p.parts)
    scores = "，".join(f"{x.name}{score_text(x.score)}分" for x in p.parts)
    grade = f"，等级为{p.grade}" if p.grade else ""
    blocks.append(_p("para", f"分值{score_text(p.weight)}分，其中{weights}；"
                             f"自评{score_text(p.score)}分，其中{scores}{grade}。"))
    return blocks


def _execution(s: Summary) -> list[Indicator]:
    """A project's 预算执行 as an item of 三、存在的主要问题 when it lost points (执行率 below 100%)."""
    part = next((p for p in s.parts if p.name == EXEC_PART), None)
    if part is None:
        return []
    return [Indicator(EXEC_PART, EXEC_PART, "", "100%", rate_text(s.rate), part.weight, part.score)]


def _owner(s: Summary) -> str:
    return "部门整体" if s.kind == "department" else s.name


def _by_cause(shorts: list[tuple[Summary, Indicator]], cause) -> list[tuple[str, list[tuple[Summary, Indicator]]]]:
    """The indicators grouped by what ``cause`` says of each, in first-met order ("" where it says nothing)."""
    groups: dict[str, list[tuple[Summary, Indicator]]] = {}
    for s, i in shorts:
        groups.setdefault(cause(i), []).append((s, i))
    return list(groups.items())


def _reason(i: Indicator) -> str:
    return i.reason.partition("；")[0].strip().rstrip("。")


def _measure(i: Indicator) -> str:
    _, sep, measure = i.reason.partition("；")
    return measure.strip().rstrip("。") if sep else ""


def _problems(shorts: list[tuple[Summary, Indicator]]) -> list[Block]:
    """One 问题 per cause: the cause once, the indicators it cost points under it (their figures as the
    tables give them)."""
    if not shorts:
        return [_p("para", "预算执行和各项指标均取得满分。"), _p("para", Placeholder("其他存在的问题"))]
    blocks = [_p("para", f"未取得满分的指标（含预算执行）{len(shorts)}个，按原因归并如下：")]
    for n, (reason, items) in enumerate(_by_cause(shorts, _reason), 1):
        blocks.append(_p("para", f"{n}.{reason}。") if reason else
                      _p("para", f"{n}.", Placeholder("以下指标未得满分的原因")))
        blocks += [_p("para", f"（{k}）{_owner(s)}“{i.name}”：分值{score_text(i.weight)}分，"
                              f"自评{score_text(i.score)}分。") for k, (s, i) in enumerate(items, 1)]
    blocks.append(_p("para", Placeholder("其他存在的问题")))
    return blocks


def _measures(shorts: list[tuple[Summary, Indicator]]) -> list[Block]:
    """One measure per cause, naming the indicators it answers."""
    blocks = []
    for n, (measure, items) in enumerate(_by_cause(shorts, _measure), 1):
        names = "、".join(f"{_owner(s)}“{i.name}”" for s, i in items)
        body = [measure + "。"] if measure else [Placeholder("改进措施")]
        blocks.append(_p("para", f"{n}.针对{names}：", *body))
    blocks.append(_p("para", Placeholder("其他改进措施")))
    return blocks


def _annex_title(s: Summary) -> str:
    return "部门整体支出绩效自评表" if s.kind == "department" else f"{s.name}项目支出绩效自评表"


def _annexes(unit: Unit) -> list[Block]:
    blocks = []
    for n, s in enumerate(unit.summaries, 1):
        blocks += [_p("annex", f"附件{n}：{_annex_title(s)}"), Block("table", rows=_funds_rows(s)),
                   Block("table", rows=_indicator_rows(s))]
    return blocks


def _funds_rows(s: Summary) -> list[list[str]]:
    f = s.funds
    if s.kind == "department":
        rows = [["资金情况（万元）", "支出预算数", "支出决算数", "预算完成率"]]
        for key, label in (("total", "合计"), ("basic", "其中：基本支出"), ("project", "项目支出")):
            b, sp = f.get(("budget", key)), f.get(("spent", key))
            rate = rate_text(s.rate) if key == "total" else (rate_text(sp / b) if b and sp is not None else "—")
            rows.append([label, amount_text(b), amount_text(sp), rate])
        return rows
    exec_part = next((p for p in s.parts if p.name == EXEC_PART), None)
    return [["项目资金（万元）", "全年预算数", "全年执行数", "分值", "执行率", "得分"],
            ["年度资金总额", amount_text(f.get(("budget", "total"))), amount_text(f.get(("spent", "total"))),
             score_text(exec_part.weight if exec_part else None), rate_text(s.rate),
             score_text(exec_part.score if exec_part else None)]]


def _indicator_rows(s: Summary) -> list[list[str]]:
    rows = [["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "自评得分", "偏差原因"]]
    for part in s.parts:
        if part.name == EXEC_PART:
            continue
        for i in part.indicators:
            rows.append([part.name, i.level2, i.name, i.target, i.actual, score_text(i.weight),
                         score_text(i.score), i.reason])
        label = "加减分项" if part.bonus else f"{part.name}小计"
        rows.append([label, "", "", "", "", score_text(part.weight), score_text(part.score), ""])
    rows.append(["总分", "", "", "", "", score_text(s.weight), score_text(s.score), s.grade])
    return rows
