"""Table layouts as data: the labels, columns and defined names of each 自评表, declared once.

The template builder writes a layout, the reader finds tables by its labels (and their aliases),
the filler and the writeback address cells through it. A region may declare its own layout file.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .datafiles import DataFileError, load_yaml


def normalize_label(text: object) -> str:
    """Compare header text the way a reader sees it: no spaces, full-width brackets and colons."""
    s = str(text if text is not None else "")
    for a, b in (("(", "（"), (")", "）"), (":", "："), (" ", ""), ("\u3000", ""), ("\n", ""), ("\r", ""),
                 ("\t", "")):
        s = s.replace(a, b)
    return s.strip()


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

    def field(self, key: str) -> Label:
        return next(f for f in self.fields if f.key == key)

    def title_text(self, year: int | str) -> str:
        return self.title_format.format(year=year)


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


def load_layout(name_or_path: str | Path) -> Layout:
    """Load ``project`` / ``department`` (packaged) or a layout file of a region's own."""
    source, data = load_yaml("layouts", name_or_path)
    problems: list[str] = []
    layout = Layout(
        kind=str(data.get("kind", "")), title=str(data.get("title", "")),
        title_format=str(data.get("title_format", "{year}")),
        fields=tuple(_label(f, "fields", problems) for f in data.get("fields", [])),
        funds=_block(data.get("funds"), "funds", problems),
        indicators=_block(data.get("indicators"), "indicators", problems),
        total=_label(data.get("total"), "total", problems), grade=_label(data.get("grade"), "grade", problems),
        goal=_block(data["goal"], "goal", problems) if "goal" in data else None,
        bonus=_label(data["bonus"], "bonus", problems) if "bonus" in data else None,
        subtotal_suffix=str(data.get("subtotal_suffix", "小计")), source=source)
    for key in ("level1", "level3", "target", "actual", "weight", "score"):
        if key not in {c.key for c in layout.indicators.columns}:
            problems.append(f"indicators.columns: 缺少 {key} / missing column {key}")
    if problems:
        raise DataFileError(source, problems)
    return layout


META_SHEET = "_selfeval"
"""The hidden sheet of our templates: key/value rows (kind, system, system_version, template_version,
formulas) in columns A/B, so readers know a workbook came from our template and under which system."""
