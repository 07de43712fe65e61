"""Table layouts as data: the labels, columns and defined names of each 自评表, declared once.

The template builder writes a layout, the reader finds tables by its labels (and their aliases),
the filler and the writeback address cells through it. A region may declare its own layout file.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

from .datafiles import DataFileError, load_yaml, packaged_names
from .rules import RuleError, parse_direction


_SPACE = re.compile(r"\s+")
_ANNOTATION = re.compile(r"\((?:[千万亿]?元|\d+(?:\.\d+)?分|盖章|签章|签字|公章|%|[A-Za-z](?:[-+*/×÷][A-Za-z])*)\)")
"""A bracket that annotates a label rather than naming it: a unit ``(万元)``, a score ``(10分)``, a seal
``(盖章)``, a column letter ``(A)`` or a formula of letters ``(B/A)``."""
_WHICH = re.compile(r"^其中:")


CACHED_LENGTH = 200
"""Texts up to this length are normalised once and remembered (labels repeat across sheets and files);
longer ones, answers rather than labels, are computed each time so a stranger's file cannot fill memory."""


def _once(fn):
    cached = lru_cache(maxsize=65536)(fn)
    return lambda text: cached(text) if len(text) <= CACHED_LENGTH else fn(text)


@_once
def _normalized(text: str) -> str:
    s, before = text, None
    while s != before:          # until nothing changes: a removal may leave a new form to fold
        before = s
        s = _WHICH.sub("", _ANNOTATION.sub("", plain_text(s.replace("（", "(").replace("）", ")")
                                                       .replace("：", ":")))).rstrip(":")
    return s.replace("(", "（").replace(")", "）").replace(":", "：")


@_once
def plain_text(text: str) -> str:
    """Cell text as a pattern reads it: full-width forms folded (NFKC), no spaces or line breaks."""
    s = _SPACE.sub("", unicodedata.normalize("NFKC", text))
    return s if unicodedata.is_normalized("NFKC", s) else plain_text(s)


def normalize_label(text: object) -> str:
    """The one comparison key of every label, as people type it: full-width and ASCII forms alike
    (NFKC), no spaces or line breaks, no annotating bracket (``(万元)``, ``(10分)``, ``(盖章)``), no
    trailing colon, no leading ``其中：`` (so ``其中:本年财政拨款`` meets ``本年财政拨款``). Computed once per
    distinct string."""
    return "" if text is None else _normalized(str(text))


@dataclass(frozen=True)
class Label:
    """One labelled thing of a layout: a header field, a column, a row, or a single cell."""

    key: str
    label: str
    aliases: tuple[str, ...] = ()
    name: str = ""                 # defined name in our templates
    required: bool = False
    optional: bool = False         # a column a department's own copy may lack
    scored: bool = False

    def matches(self, text: object) -> bool:
        t = normalize_label(text)
        return bool(t) and t in {normalize_label(x) for x in (self.label, *self.aliases)}


@dataclass(frozen=True)
class Block:
    """A block of a table: its label, its columns and (for the funds block) its rows."""

    label: Label
    columns: tuple[Label, ...]
    rows: tuple[Label, ...] = ()

    def column(self, key: str) -> Label:
        return next(c for c in self.columns if c.key == key)

    def row(self, key: str) -> Label:
        return next(r for r in self.rows if r.key == key)


@dataclass(frozen=True)
class Recognise:
    """How the reader tells this layout from its siblings of the same kind: other title texts, the
    form's 报表编号, and 一级指标 texts only this layout has (成本指标 in the 2021 national layout)."""

    titles: tuple[str, ...] = ()
    codes: tuple[str, ...] = ()
    level1: tuple[str, ...] = ()
    by_title: bool = False          # a local form: only a segment carrying one of its titles is tried with it


@dataclass(frozen=True)
class Layout:
    kind: str
    title: str
    title_format: str
    fields: tuple[Label, ...]
    funds: Block
    indicators: Block
    total: Label
    grade: Label
    goal: Block | None = None
    bonus: Label | None = None     # the 一级 text of 加减分 rows (department tables)
    subtotal_suffix: str = "小计"
    source: str = ""
    name: str = ""                 # the layout's name (file stem): what Table.layout records
    system: str = ""               # the indicator system a table of this layout is checked with
    recognise: Recognise = Recognise()
    footer: tuple[str, ...] = ()        # text rows that close the table (评价结论, 填报人 …), never indicators
    placeholders: tuple[str, ...] = ()  # regexes on plain_text: the form's empty slots (指标1, ……)
    instructions: tuple[str, ...] = ()  # regexes on plain_text: the form's instruction text in an answer cell
    directions: tuple[tuple[str, str], ...] = ()   # 指标性质 as the form writes it → the rules' word ("" = none)
    notes: tuple[str, ...] = ()         # a row opening with one of these (说明, 备注 …) is a note, not an indicator
    breakdown: tuple[str, ...] = ()     # a 三级 text opening so (其中) with no 分值 of its own: part of the row above
    not_applicable: tuple[str, ...] = ()  # a 分值 written so (/, —, 无, 不适用): the row does not apply
    level1_of_level2: tuple[tuple[str, tuple[str, ...]], ...] = ()   # 一级 lost: named by its 二级's words
    unread: str = ""                    # what of the form the checker does not read (said in a warning)
    funds_one_row: bool = False         # the funds block is one unlabelled row of figures: its 年度资金总额
    flat_level1: str = ""               # the form lists its indicators without levels: every row's 一级

    def field(self, key: str) -> Label:
        return next(f for f in self.fields if f.key == key)

    def title_text(self, year: int | str) -> str:
        return self.title_format.format(year=year)

    @cached_property
    def placeholder_re(self) -> re.Pattern[str] | None:
        return _any_of(self.placeholders)

    @cached_property
    def instruction_re(self) -> re.Pattern[str] | None:
        return _any_of(self.instructions)


def _any_of(patterns: tuple[str, ...]) -> re.Pattern[str] | None:
    return re.compile("|".join(f"(?:{p})" for p in patterns)) if patterns else None


def _label(raw: Any, where: str, problems: list[str]) -> Label:
    if not isinstance(raw, dict) or "label" not in raw:
        problems.append(f"{where}: 需有 label / needs a label")
        return Label(where, where)
    return Label(str(raw.get("key", raw["label"])), str(raw["label"]), tuple(raw.get("aliases", []) or []),
                 str(raw.get("name", "")), bool(raw.get("required", False)), bool(raw.get("optional", False)),
                 bool(raw.get("scored", False)))


def _block(raw: Any, where: str, problems: list[str]) -> Block:
    if not isinstance(raw, dict):
        problems.append(f"{where}: 缺少 / missing")
        return Block(Label(where, where), ())
    return Block(_label(raw, where, problems),
                 tuple(_label(c, f"{where}.columns", problems) for c in raw.get("columns", [])),
                 tuple(_label(r, f"{where}.rows", problems) for r in raw.get("rows", []) or []))


def _texts(raw: Any, where: str, problems: list[str]) -> tuple[str, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        problems.append(f"{where}: 应为列表 / must be a list")
        return ()
    return tuple(str(x) for x in raw)


def _patterns(raw: Any, where: str, problems: list[str]) -> tuple[str, ...]:
    patterns = _texts(raw, where, problems)
    for p in patterns:
        try:
            re.compile(p)
        except re.error as exc:
            problems.append(f"{where}: 正则表达式无效 / bad pattern {p!r}: {exc}")
    return patterns


def _raw_layout(name_or_path: str | Path, seen: tuple[str, ...] = ()) -> tuple[str, dict[str, Any]]:
    """The layout's mapping, with ``extends: <packaged layout>`` resolved: the parent's keys, each
    top-level key the file gives replacing the parent's (a sibling form states only what differs)."""
    source, data = load_yaml("layouts", name_or_path)
    parent = data.get("extends")
    if not parent:
        return source, data
    if str(parent) in seen:
        raise DataFileError(source, [f"extends 循环 / extends loop: {' → '.join((*seen, str(parent)))}"])
    _, base = _raw_layout(str(parent), (*seen, str(parent)))
    return source, {**{k: v for k, v in base.items() if k not in ("name", "recognise")}, **data}


def load_layout(name_or_path: str | Path) -> Layout:
    """Load a packaged layout by name (``project``, ``sichuan-project`` …) or a region's own file."""
    source, data = _raw_layout(name_or_path)
    problems: list[str] = []
    recognise = data.get("recognise") or {}
    if not isinstance(recognise, dict):
        problems.append("recognise: 应为映射 / must be a mapping")
        recognise = {}
    layout = Layout(
        kind=str(data.get("kind", "")), title=str(data.get("title", "")),
        title_format=str(data.get("title_format", "{year}")),
        fields=tuple(_label(f, "fields", problems) for f in data.get("fields", [])),
        funds=_block(data.get("funds"), "funds", problems),
        indicators=_block(data.get("indicators"), "indicators", problems),
        total=_label(data.get("total"), "total", problems), grade=_label(data.get("grade"), "grade", problems),
        goal=_block(data["goal"], "goal", problems) if data.get("goal") else None,
        bonus=_label(data["bonus"], "bonus", problems) if "bonus" in data else None,
        subtotal_suffix=str(data.get("subtotal_suffix", "小计")), source=source,
        name=str(data.get("name") or Path(str(name_or_path)).stem), system=_system_ref(data, source),
        recognise=Recognise(*(_texts(recognise.get(k), f"recognise.{k}", problems)
                              for k in ("titles", "codes", "level1")), bool(recognise.get("by_title", False))),
        footer=_texts(data.get("footer"), "footer", problems),
        placeholders=_patterns(data.get("placeholders"), "placeholders", problems),
        instructions=_patterns(data.get("instructions"), "instructions", problems),
        directions=_directions(data.get("directions"), problems),
        notes=tuple(normalize_label(t) for t in _texts(data.get("notes"), "notes", problems)),
        breakdown=tuple(plain_text(t) for t in _texts(data.get("breakdown"), "breakdown", problems)),
        not_applicable=tuple(plain_text(str(t)) for t in _texts(data.get("not_applicable"), "not_applicable",
                                                                  problems)),
        level1_of_level2=_level1_of_level2(data.get("level1_of_level2"), problems),
        unread=str(data.get("unread") or "").strip(),
        funds_one_row=bool((data.get("funds") or {}).get("one_row", False)),
        flat_level1=str((data.get("indicators") or {}).get("flat") or ""))
    if layout.kind not in ("project", "department"):
        problems.append(f"kind 应为 project 或 department / kind must be project or department: {layout.kind}")
    for key in ("level1", "level3", "target", "actual", "weight", "score"):
        if key not in {c.key for c in layout.indicators.columns}:
            problems.append(f"indicators.columns: 缺少 {key} / missing column {key}")
    for key in ("budget", "spent"):
        if key not in {c.key for c in layout.funds.columns}:
            problems.append(f"funds.columns: 缺少 {key} / missing column {key}")
    if problems:
        raise DataFileError(source, problems)
    return layout


def _directions(raw: Any, problems: list[str]) -> tuple[tuple[str, str], ...]:
    """The form's 指标性质 words (``正向指标``, ``定量`` …), each to a word :func:`rules.parse_direction`
    knows, or to "" when it names no direction (定量: read the direction from the 年度指标值)."""
    if raw is None:
        return ()
    if not isinstance(raw, dict):
        problems.append("directions: 应为映射 / must be a mapping")
        return ()
    for word, to in raw.items():
        try:
            if to not in (None, ""):
                parse_direction(to)
        except RuleError as exc:
            problems.append(f"directions.{word}: {exc.message}")
    return tuple((normalize_label(str(word)), "" if to is None else str(to)) for word, to in raw.items())


def _level1_of_level2(raw: Any, problems: list[str]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """``{产出指标: [数量, 质量 …]}``: the 一级 a row belongs to when its own 一级 cell is lost, from the
    words of its 二级 (数量指标 → 产出指标)."""
    if raw is None:
        return ()
    if not isinstance(raw, dict) or not all(isinstance(v, list) for v in raw.values()):
        problems.append("level1_of_level2: 应为 一级 → [二级用词] 的映射 / must map a 一级 to a list of 二级 words")
        return ()
    return tuple((str(level1), tuple(normalize_label(str(w)) for w in words)) for level1, words in raw.items())


def _system_ref(data: dict[str, Any], source: str) -> str:
    """The layout's system: a packaged name, or a file named relative to the layout file's folder."""
    system = str(data.get("system", ""))
    if system.endswith((".yaml", ".yml")) and not Path(system).is_absolute() and Path(source).is_file():
        return str(Path(source).parent / system)
    return system


def available_layouts() -> list[str]:
    """The packaged layouts, by name."""
    return packaged_names("layouts")


META_SHEET = "_selfeval"
"""The hidden sheet of our templates: key/value rows (kind, system, system_version, template_version,
formulas) in columns A/B, so readers know a workbook came from our template and under which system."""
