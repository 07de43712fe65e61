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
from .text import Paragraph

Key = tuple
KEYWORDS = ("自评总分", "自评得分", "分值", "满分", "自评", "总分", "得分")
_KW = "|".join(KEYWORDS)
_HEAD = re.compile(rf"(?P<subj>[^，,。；;：:]*?)(?P<kw>{_KW})(?:为|是|：|:)?(?P<num>{NUMBER})分")
_PART = re.compile(rf"[，,、](?:其中)?(?P<name>[^\d，,、。；;：:（）()%]{{1,20}}?)(?:为|：|:)?(?P<num>{NUMBER})分"
                   rf"(?:[（(，,]?占比{NUMBER}%[)）]?)?")
_ENUM = re.compile(r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d+[.．、](?!\d))\s*")
_CHAPTER = re.compile(r"^([一二三四五六七八九十]+)、")
_AMOUNT = re.compile(rf"(?P<num>{NUMBER})(?P<unit>万元|元)")
_RATE = re.compile(rf"(?P<label>预算完成率|预算执行率|资金执行率|执行率|指标完成率)(?:为|达到|达|是|：|:)?(?P<num>{NUMBER})%")
_COUNTS = re.compile(rf"涉及(?P<items>(?:[，,、和]?(?:共)?{NUMBER}个[^，,、。；;\d]{{1,12}}?指标)+)")
_COUNT_ITEM = re.compile(rf"(?P<num>{NUMBER})个(?P<name>[^，,、。；;\d]{{1,12}}?)指标")
_FULL = re.compile(rf"实际完成指标(?P<num>{NUMBER})个")
_SKIP_FUNDS = ("调整", "结转", "结余", "追加", "调减", "调增", "采购", "节约")
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
    """A stated whole and its stated parts (``分值 100 分，其中预算执行 10 分，…``)."""

    whole: Statement
    parts: list[Statement] = field(default_factory=list)


@dataclass
class Extracted:
    statements: list[Statement] = field(default_factory=list)
    groups: list[Group] = field(default_factory=list)
    counts: list[tuple[list[Statement], Statement | None, Statement | None]] = field(default_factory=list)
    placeholders: list[Paragraph] = field(default_factory=list)


@dataclass(frozen=True)
class Names:
    """What the extractor can attribute a subject to: the levels of the systems, and (with tables) the
    projects, level-2 and indicator names of the 单位."""

    levels: tuple[str, ...]
    level2: tuple[str, ...] = ()
    projects: tuple[str, ...] = ()
    indicators: dict = field(default_factory=dict)     # scope → names

    def project_at_start(self, text: str) -> str | None:
        for name in sorted(self.projects, key=len, reverse=True):
            if text.startswith(name):
                return name
        return None


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
    """The statements of the report's body: from the first chapter heading (一、) up to 五、附件."""
    out = Extracted()
    out.placeholders = [p for p in paragraphs if "【待填写：" in p.text]
    started = not any(_CHAPTER.match(p.text) for p in paragraphs)
    scope = ""
    for p in paragraphs:
        chapter = _CHAPTER.match(p.text)
        if chapter:
            started = True
            scope = ""
            if chapter.group(1) == "五" or "附件" in p.text[:8]:
                break
        if not started:
            continue
        text = _MARKS.sub("", p.text)
        body = _ENUM.sub("", text)
        enumerated = body != text
        project = names.project_at_start(body)
        if project:
            scope, body = project, body[len(project):]
            enumerated = bool(_SUBJECT.match(body))      # "2.<项目><指标>：…" is an item; a heading is not
        elif enumerated and body.startswith(DEPARTMENT_WORDS) and _SUBJECT.match(body):
            scope, body = "", body[len(DEPARTMENT_WORDS[0]):]
        elif enumerated and not names.projects and re.match(r"^[^，,。；;：:]{2,40}项目$", body):
            scope = body
        subject = _SUBJECT.match(body)
        subject_name = subject.group("name") if subject else ""
        for sentence in re.split(r"(?<=[。；;！？!?])", body):
            if sentence.strip():
                _scores(sentence, p, scope, subject_name, enumerated, names, out)
        for sentence in re.split(r"(?<=[。！？!?])", body):
            if sentence.strip():
                _funds(sentence, p, scope, out)
                _rates(sentence, p, scope, out)
                _counts(sentence, p, scope, names, out)
    return out


def _statement(out: Extracted, key: Key, text: str, p: Paragraph, sentence: str) -> Statement | None:
    value = read_number(text)
    if value is None:
        return None
    s = Statement(key, value, p, sentence.strip(), text)
    out.statements.append(s)
    return s


def _scores(sentence: str, p: Paragraph, scope: str, subject: str, enumerated: bool, names: Names,
            out: Extracted) -> None:
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
        elif subject:
            what = resolve(subject, scope, names, enumerated)
        elif not enumerated and (len(parts) >= 2 or "总分" in head.group("kw")):
            what = ()                # a breakdown, or a 总分, of the scope itself
        else:                        # "自评 4 分" with nothing saying of what: left alone
            continue
        measure = _measure(head.group("kw"), read_number(head.group("num")))
        group = Group(_statement(out, (scope, *(what or ("total",)), measure), head.group("num"), p, sentence))
        group.parts = [_statement(out, (scope, *w, measure), num, p, sentence) for w, num in parts if w]
        if len(group.parts) >= 2:
            out.groups.append(group)


def _funds(sentence: str, p: Paragraph, scope: str, out: Extracted) -> None:
    category = "total"
    for clause in re.split(r"[，,、；;]", sentence):
        if "基本支出" in clause:
            category = "basic"
        elif "项目支出" in clause:
            category = "project"
        amount = _AMOUNT.search(clause)
        if amount is None or any(w in clause for w in _SKIP_FUNDS):
            continue
        label = clause[:amount.start()]
        if "差额" in label:
            measure = "gap"
        elif any(w in label for w in ("决算", "执行数", "支出数", "实际支出")):
            measure = "spent"
        elif "预算" in label:
            measure = "budget"
        else:
            continue
        value = read_number(amount.group("num"))
        if value is None:
            continue
        text = amount.group("num") if amount.group("unit") == "万元" else str(value / 10000)
        _statement(out, (scope, "funds", measure, category), text, p, sentence)


def _rates(sentence: str, p: Paragraph, scope: str, out: Extracted) -> None:
    for rate in _RATE.finditer(sentence):
        what = "full" if rate.group("label") == "指标完成率" else "budget"
        _statement(out, (scope, "rate", what), rate.group("num"), p, sentence)


def _counts(sentence: str, p: Paragraph, scope: str, names: Names, out: Extracted) -> None:
    found = _COUNTS.search(sentence)
    if found is None:
        return
    parts = []
    for item in _COUNT_ITEM.finditer(found.group("items")):
        what = resolve(item.group("name"), scope, names)
        if what and what[0] == "level":
            parts.append(_statement(out, (scope, "count", what[1]), item.group("num"), p, sentence))
        elif not item.group("name").strip("共"):
            parts.append(_statement(out, (scope, "count", "all"), item.group("num"), p, sentence))
    full = _FULL.search(sentence)
    full_s = _statement(out, (scope, "count", "full"), full.group("num"), p, sentence) if full else None
    rate = next((s for s in out.statements if s.key == (scope, "rate", "full") and s.sentence == sentence.strip()),
                None)
    out.counts.append(([s for s in parts if s], full_s, rate))
