"""Figures a report states, each with what it is a figure of, where it stands and the sentence it is in.

A figure is attributed only when its words say what it is: ``分值 32 分`` / ``自评 44.43 分`` (with the
subject before them or heading the paragraph: ``产出数量评价分析：``, ``1.人物专辑：``), a breakdown
``…其中预算执行 10 分，产出指标 50 分…``, funds (``支出预算 1014.40 万元``, ``其中基本支出预算…``,
``预算执行差额…``), a rate (``预算完成率 99.76%``), counts (``涉及 21 个管理效能指标``). The scope is the
department until a paragraph opens with a project's name (or a heading ``N.…项目``), and again the
department from a chapter heading (``三、…``). Anything else is left alone, never guessed.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from .numbers import NUMBER, read_number
from .reflow import CN, MARKS
from .sections import place
from .text import Paragraph

Key = tuple
KEYWORDS = ("自评总分", "自评得分", "分值", "满分", "自评", "总分", "得分")
_KW = "|".join(KEYWORDS)
_HEAD = re.compile(rf"(?P<subj>[^，,。；;：:]{{0,40}}?)(?P<kw>{_KW})(?:为|是|：|:)?(?P<num>{NUMBER})分")
_PART = re.compile(rf"[，,、](?:其中)?(?P<name>[^\d，,、。；;：:（）()%]{{1,20}}?)(?:为|：|:)?(?P<num>{NUMBER})分"
                   rf"(?:[（(，,]?占比{NUMBER}%[)）]?)?")
_ANNEX = re.compile(rf"^(?:{MARKS[0]}\s*)?附件(?:\s*[\d{CN}]*\s*(?:[：:].*)?|\s*[\d{CN}]+\s*[^，,。；;！？!?]+)$")
"""Where the 附件 begin: a line of 附件 alone or numbered (附件1), with a colon and anything after it, or a
number and a title (附件1 项目支出绩效自评表, its space squeezed out of a PDF's line); not a sentence that
names an annex (附件1所列…，…): a title has no comma or full stop."""
_AMOUNT = re.compile(rf"(?P<num>{NUMBER})(?P<unit>万元|元)")
_RATE = re.compile(rf"(?P<label>预算完成率|预算执行率|资金执行率|执行率|指标完成率)(?:为|达到|达|是|：|:)?(?P<num>{NUMBER})%")
_COUNTS = re.compile(rf"涉及(?P<items>(?:[，,、和]?(?:共)?{NUMBER}个[^，,、。；;\d]{{0,12}}?指标)+)")
_COUNT_ITEM = re.compile(rf"(?P<num>{NUMBER})个(?P<name>[^，,、。；;\d]{{0,12}}?)指标")     # no name: all of them
_FULL = re.compile(rf"实际完成指标(?P<num>{NUMBER})个")
_SKIP_FUNDS = ("调整", "结转", "结余", "追加", "调减", "调增", "采购", "节约", "上年", "去年", "上一年", "同比",
               "较", "比上", "增长", "减少", "下降")
_CLAUSES = re.compile(r"[，、；;]|,(?!(?<=\d,)\d{3}(?!\d))|(?<=[元%])(?=\s*其中)")
"""Where a sentence's clauses part: at its commas, but not at a thousands separator (``2,455.5万元``); and
before a 其中 glued to the amount it breaks down (``803.74 万元其中:基本支出 757.49 万元``, a PDF's line
end where the comma was)."""
_WITHIN = re.compile(r"^(?:其中|(?:主要)?包括|含)[：:]?")
_PROJECT_SPENDING = re.compile(r"(?<!预算)(?<!专项)项目支出")
_QUALIFIED = re.compile(r"项目|专项|经费|人员|公用|三公|拨款|基金|资金|收入")
_MEASURE_WORDS = re.compile(r"^\d{4}\s*年度?|(?:为|是|共计|合计|达)$|(?:预算执行差额|预算数|决算数|执行数|支出数|实际支出|预算|决算|金额)$")
_PARTIAL = ("主要", "部分")
_SUBJECT = re.compile(r"^(?P<name>[^：:，,。；;]{1,40}?)(?:评价分析)?[：:]")
_MARKS = re.compile("[“”\"‘’'≥≤＞＜]")
_BRACKETED = re.compile(r"（[^（）]*）|\([^()]*\)")
_TARGET_WORDS = re.compile(r"(?:的)?(?:年度(?:指标|目标)值?(?:为|是)?|(?:指标|目标)值?(?:为|是)|(?:指标|目标)值)$")
_WHOLE_WORDS = re.compile(r"部门整体|支出|绩效|评价|分析|项目|本|的|自评|整体")
DEPARTMENT_WORDS = ("部门整体",)


@dataclass
class Statement:
    key: Key                  # (scope, what…, measure): ("", "level", "管理效能", "score")
    value: Decimal
    paragraph: Paragraph
    sentence: str
    text: str                 # the figure as written ("44.43")


@dataclass
class Group:
    """A stated whole and its stated parts (``分值 100 分，其中预算执行 10 分，…``); ``complete`` when the
    parts are all of it (not "其中主要…", not "…等")."""

    whole: Statement
    parts: list[Statement] = field(default_factory=list)
    complete: bool = True


@dataclass
class Extracted:
    statements: list[Statement] = field(default_factory=list)
    groups: list[Group] = field(default_factory=list)
    fund_groups: list[Group] = field(default_factory=list)      # a total and its named parts (其中…)
    counts: list[tuple[list[Statement], Statement, Statement]] = field(default_factory=list)   # (counts, 实际完成, 完成率)
    placeholders: list[Paragraph] = field(default_factory=list)


@dataclass(frozen=True)
class Names:
    """What the extractor can attribute a subject to: the levels of the systems, and (with tables) the
    projects, level-2 and indicator names of the 单位."""

    levels: tuple[str, ...]
    level2: tuple[str, ...] = ()
    projects: tuple[str, ...] = ()
    indicators: dict = field(default_factory=dict)     # scope → names


def _close(a: str, b: str) -> bool:
    a, b = a.removesuffix("指标"), b.removesuffix("指标")
    return a == b or (len(a) >= 2 and len(b) >= 2 and (a.startswith(b) or b.startswith(a)))


def plain(name: str) -> str:
    """A name as indicator names are compared: without quotes and comparison signs (a PDF moves them:
    ``"三公经费"控制率`` comes out as ``三公经费≤控制率``), a bracketed unit (``人物专辑（集）``), or the
    words that lead to its target (``人物专辑年度指标为``)."""
    return _TARGET_WORDS.sub("", _BRACKETED.sub("", _MARKS.sub("", name))).strip()


def resolve(subject: str, scope: str, names: Names, enumerated: bool = False) -> tuple[str, ...]:
    """What a subject names: () the scope's total, ("level", name), ("level2", name),
    ("indicator", name), or ("named", subject) when nothing fits."""
    subject = plain(subject).replace("评价分析", "")
    if not _WHOLE_WORDS.sub("", subject.replace("总分", "")) or subject == scope:
        return ()
    indicators = names.indicators.get(scope, ())
    if enumerated and subject in indicators:
        return ("indicator", subject)
    pools = (("level", names.levels), ("level2", names.level2))
    for exact in (True, False) if not enumerated else (True,):   # an item (1.…) is named exactly
        # 产出数量 is the 二级 产出数量 before it is a prefix of 产出指标
        for kind, pool in pools:
            for name in pool:
                if (subject.removesuffix("指标") == name.removesuffix("指标")) if exact else _close(subject, name):
                    return (kind, name)
    if subject in indicators:
        return ("indicator", subject)
    return ("named", subject)


def _measure(kw: str, value: Decimal) -> str:
    if kw in ("分值", "满分"):
        return "weight"
    if kw == "总分":
        return "weight" if value == 100 else "score"
    return "score"


def extract(paragraphs: list[Paragraph], names: Names) -> Extracted:
    """The statements of the report's body: from the first chapter heading (一、) up to the 附件, each in
    the scope its section speaks of (:mod:`sections`)."""
    out = Extracted(placeholders=[p for p in paragraphs if "【待填写：" in p.text])
    placed = place(paragraphs, names.projects)
    started = not any(item.level == 1 for item in placed)
    heading: tuple | None = None
    heading_scope = None
    for item in placed:
        p, scope = item.paragraph, item.scope
        if item.level in (0, 1) and _ANNEX.match(p.text):
            break
        if item.level == 1 or scope != heading_scope:    # a chapter, or another project: the heading is done
            heading, heading_scope = None, scope
        started = started or item.level == 1
        if not started:
            continue
        body = _MARKS.sub("", item.body)
        enumerated = item.level > 0
        if item.named:                               # "2.<项目>…": the rest is of the project itself
            enumerated = bool(_SUBJECT.match(body))
        elif enumerated and body.startswith(DEPARTMENT_WORDS) and _SUBJECT.match(body):
            body = body[len(DEPARTMENT_WORDS[0]):]
        subject = _SUBJECT.match(body)
        what = resolve(subject.group("name"), scope, names, enumerated) if subject else None
        if not enumerated:
            heading = what                           # "服务对象满意度指标分析：…" heads the items below it
        elif what and what == heading:               # "1.服务对象满意度指标：…" under it: an indicator
            what = ("indicator", plain(subject.group("name")))
        for sentence in re.split(r"(?<=[。；;！？!?])", body):
            if sentence.strip():
                _scores(sentence, p, scope, what, enumerated, names, out)
        before: list[Statement] = []
        waiting: list[Statement] | None = None
        for sentence in re.split(r"(?<=[。！？!?])", body):
            if sentence.strip():
                before = _funds(sentence, p, scope, out, before)
                _rates(sentence, p, scope, out)
                waiting = _counts(sentence, p, scope, names, out, waiting)
    return out


def _statement(out: Extracted, key: Key, text: str, p: Paragraph, sentence: str) -> Statement:
    """A figure filed under ``key``; ``text`` is a match of :data:`NUMBER` (or an amount made of one), so
    it always reads as a number."""
    s = Statement(key, read_number(text), p, sentence.strip(), text)
    out.statements.append(s)
    return s


def _scores(sentence: str, p: Paragraph, scope: str, subject: tuple | None, enumerated: bool, names: Names,
            out: Extracted) -> None:
    """The scores and weights of one sentence, of what its own words name, else of the paragraph's
    ``subject`` (resolved), else — a breakdown or a 总分 — of the scope itself."""
    position = 0
    while True:
        head = _HEAD.search(sentence, position)
        if head is None:
            return
        parts, position = [], head.end()
        while True:
            part = _PART.match(sentence, position)
            if part is None or any(k in part.group("name") for k in KEYWORDS):
                break
            parts.append((resolve(part.group("name"), scope, names), part.group("num")))
            position = part.end()
        if head.group("subj"):
            what = resolve(head.group("subj"), scope, names)
        elif subject is not None:
            what = subject
        elif not enumerated and (len(parts) >= 2 or "总分" in head.group("kw")):
            what = ()                # a breakdown, or a 总分, of the scope itself
        else:                        # "自评 4 分" with nothing saying of what: left alone
            continue
        measure = _measure(head.group("kw"), read_number(head.group("num")))
        group = Group(_statement(out, (scope, *(what or ("total",)), measure), head.group("num"), p, sentence))
        group.parts = [_statement(out, (scope, *w, measure), num, p, sentence) for w, num in parts if w]
        if len(group.parts) >= 2:
            out.groups.append(group)


def _funds(sentence: str, p: Paragraph, scope: str, out: Extracted, before: list[Statement]) -> list[Statement]:
    """The amounts of one sentence: 支出预算 / 决算 / 预算执行差额, of the total, 基本支出 or 项目支出 (a
    clause without its own says the one before it), and after 其中 / 包括 the parts of the whole before
    them (in this sentence or the one before: ``before``), each part under its own name and with the
    whole of its own measure (``其中人员经费预算…，决算…``: two breakdowns). A qualified amount outside a
    listing (``专项资金预算 200 万元``) is a part's figure, but no breakdown of the whole. An amount of
    another year (上年, 同比 …), an adjustment or a carry-over is not one of them. Returns the statements
    made, for the next sentence."""
    category, within, made = "total", False, []
    groups: dict[str, Group | None] = {}          # measure → the breakdown of the whole of that measure
    some: bool | None = None                      # the listing opens "其中主要…": some of the parts, not all
    for clause in _CLAUSES.split(sentence):
        core = clause.strip()
        opens = _WITHIN.match(core)
        if opens:
            within, core = True, core[opens.end():]
        amount = _AMOUNT.search(core)
        label = core[:amount.start()] if amount is not None else core
        if "基本支出" in core:
            category = "basic"
        elif _PROJECT_SPENDING.search(core):
            category = "project"
        elif amount is not None and _label(label) and (within or _QUALIFIED.search(label)):
            category = f"part:{_label(label)}"      # 其中 A…, or a qualified amount: never the total
        if amount is None or any(w in core for w in _SKIP_FUNDS):
            continue
        # after 其中 a named part (基本支出, 人员经费) without its measure is of the whole's, the whole stated in
        # this sentence or the one before; an amount naming nothing (其中30万元用于…) is left alone
        stated = before + made
        named = within and category != "total"
        measure = _funds_measure(label) or (stated[-1].key[2] if named and stated else None)
        if measure is None:
            continue
        text = amount.group("num")
        if amount.group("unit") == "元":
            text = str(read_number(text) / 10000)
        s = _statement(out, (scope, "funds", measure, category), text, p, sentence)
        if within and category.startswith("part:"):
            some = any(w in clause for w in _PARTIAL) if some is None else some
            if measure not in groups:
                whole = next((w for w in reversed(stated) if w.key[2] == measure), None)
                groups[measure] = Group(whole, complete=not some) if whole else None
                if whole:
                    out.fund_groups.append(groups[measure])
            if groups[measure] is not None:
                groups[measure].parts.append(s)
        made.append(s)
    if re.search(r"万?元等", sentence):
        for group in filter(None, groups.values()):
            group.complete = False
    return made


def _funds_measure(label: str) -> str | None:
    if "差额" in label:
        return "gap"
    if "年初" in label:
        return "initial"
    if any(w in label for w in ("决算", "执行数", "支出数", "实际支出")):
        return "spent"
    if "预算" in label:
        return "budget"
    return None


def _label(text: str) -> str:
    """A part's name: its label without the year before it and the words of the measure after it."""
    previous = None
    while previous != text:
        previous, text = text, _MEASURE_WORDS.sub("", text.strip("：: "))
    return text


def _rates(sentence: str, p: Paragraph, scope: str, out: Extracted) -> None:
    for rate in _RATE.finditer(sentence):
        what = "full" if rate.group("label") == "指标完成率" else "budget"
        _statement(out, (scope, "rate", what), rate.group("num"), p, sentence)


def _counts(sentence: str, p: Paragraph, scope: str, names: Names, out: Extracted,
            waiting: list[Statement] | None) -> list[Statement] | None:
    """The counts of indicators a sentence states (``涉及 21 个管理效能指标…``), held with the 实际完成指标 and
    the 指标完成率 of that sentence or of later ones of the paragraph (``…指标。实际完成指标33个。指标完成率100%。``):
    ``waiting`` are the counts, and a 实际完成指标, stated before. Returns what still waits for a rate."""
    found = _COUNTS.search(sentence)
    if found is not None:
        waiting = []
        for item in _COUNT_ITEM.finditer(found.group("items")):
            what = resolve(item.group("name"), scope, names)
            if what and what[0] == "level":
                waiting.append(_statement(out, (scope, "count", what[1]), item.group("num"), p, sentence))
            elif not item.group("name"):
                waiting.append(_statement(out, (scope, "count", "all"), item.group("num"), p, sentence))
    if waiting is None:
        return None
    full = _FULL.search(sentence)
    if full is not None:
        waiting.append(_statement(out, (scope, "count", "full"), full.group("num"), p, sentence))
    rate = next((s for s in out.statements if s.key == (scope, "rate", "full") and s.sentence == sentence.strip()),
                None)
    done = next((s for s in reversed(waiting) if s.key[2] == "full"), None)
    if rate is None or done is None:
        return waiting
    counts = [s for s in waiting if s.key[2] != "full"]
    if counts:
        out.counts.append((counts, done, rate))
    return None
