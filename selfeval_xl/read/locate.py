"""Find 自评表 tables in a grid by their title and header text, and read them into the model.

One locator for every source: our templates, a department's own copy of the official table (rows and
columns shifted, merged 一级 / 二级 cells, blank rows, numbers as text), and the 项目库 .xls exports.
All labels come from the layouts (``selfeval_xl/layouts/*.yaml``); nothing here knows a row number.

How a table is found: a title cell (``项目支出绩效自评表…``) starts a segment of the sheet; without a
title, a row that carries the indicator table's headers (三级指标, 年度指标值, 实际完成值, 分值, 得分 …)
is enough. Within a segment, the funds block, the fields, the indicator rows, 总分 and 等级 are found by
their labels. What cannot be found is left out of the table, for the checks to report cell by cell.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Callable

from ..layout import Block, Label, Layout, load_layout, normalize_label
from ..model import Cell, FundRow, IndicatorRow, Table, split_address
from .grid import Grid, parse_ref, ref

KINDS = ("project", "department")
MIN_HEADER_MATCHES = 4          # indicator header: at least this many of its column labels on one row
MAX_LABEL_LENGTH = 40           # longer text is content, never a label
_UNIT = re.compile(r"[（(]\s*(万元|元)\s*[）)]")
_BRACKETS = re.compile(r"[（(][^（()）]*[）)]$")
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")


@dataclass(frozen=True)
class _Labels:
    """A layout's labels, normalised once: text → key, per block."""

    layout: Layout
    fields: dict[str, str]
    funds_columns: dict[str, str]
    funds_rows: dict[str, str]
    indicator_columns: dict[str, str]
    goal_columns: dict[str, str]
    funds_label: frozenset[str]
    goal_label: frozenset[str]
    total: frozenset[str]
    grade: frozenset[str]
    title: str


def _names(label: Label) -> set[str]:
    return {normalize_label(x) for x in (label.label, *label.aliases)} | {
        _strip_unit(normalize_label(x)) for x in (label.label, *label.aliases)}


def _index(labels: tuple[Label, ...]) -> dict[str, str]:
    index: dict[str, str] = {}
    for label in labels:
        for name in _names(label):
            index.setdefault(name, label.key)
    return index


@lru_cache(maxsize=None)
def labels_for(kind: str) -> _Labels:
    """The normalised labels of the packaged layout of ``kind`` (read once per process)."""
    layout = load_layout(kind)
    goal: Block | None = layout.goal
    return _Labels(
        layout, _index(layout.fields), _index(layout.funds.columns), _index(layout.funds.rows),
        _index(layout.indicators.columns), _index(goal.columns) if goal else {},
        frozenset(_names(layout.funds.label)), frozenset(_names(goal.label)) if goal else frozenset(),
        frozenset(_names(layout.total)), frozenset(_names(layout.grade)), normalize_label(layout.title))


def _strip_unit(text: str) -> str:
    """``全年预算数（万元）`` → ``全年预算数``: a trailing bracket is a unit, not part of the label."""
    return _BRACKETS.sub("", text) if len(text) > 2 else text


def _unit_of(text: str) -> str | None:
    match = _UNIT.search(text.replace(" ", ""))
    return match.group(1) if match else None


class _Sheet:
    """A grid with its label-sized text normalised once."""

    def __init__(self, grid: Grid):
        self.grid = grid
        self.norm: dict[tuple[int, int], str] = {}
        for r, c, v in grid.cells():
            if isinstance(v, str) and len(v) <= MAX_LABEL_LENGTH * 2:
                self.norm[(r, c)] = normalize_label(v)

    def text(self, r: int, c: int) -> str:
        return self.norm.get((r, c), "")

    def key(self, r: int, c: int, index: dict[str, str]) -> str | None:
        t = self.norm.get((r, c))
        if not t:
            return None
        return index.get(t) or index.get(_strip_unit(t))

    def cell(self, r: int, c: int) -> Cell:
        g = self.grid
        return Cell(g.name, ref(r, c), g.value(r, c), g.formula(r, c), g.number_format(r, c))

    def row_keys(self, r: int, index: dict[str, str], upto: int | None = None) -> dict[str, int]:
        """Column of each label key found on row ``r`` (the first occurrence wins)."""
        found: dict[str, int] = {}
        width = len(self.grid.rows[r]) if r < self.grid.height else 0
        for c in range(width if upto is None else min(width, upto)):
            key = self.key(r, c, index)
            if key and key not in found:
                found[key] = c
        return found

    def value_right_of(self, r: int, c: int, stop: set[str]) -> Cell:
        """The value beside a label: the first non-blank cell to its right that is not another label,
        or (all blank) the cell just after the label's merged range."""
        end = self.grid.merge_end(r, c)
        width = len(self.grid.rows[r])
        for cc in range(end + 1, width):
            if self.text(r, cc) in stop and self.text(r, cc):
                break
            if self.grid.value(r, cc) is not None:
                return self.cell(r, cc)
        return self.cell(r, end + 1)


def _kind_of_title(text: str) -> str | None:
    for kind in KINDS:
        title = labels_for(kind).title
        if title in text and len(text) <= len(title) + 20:
            return kind
    return None


def _indicator_header(sheet: _Sheet, start: int, end: int, kind: str) -> tuple[int, dict[str, int]] | None:
    index = labels_for(kind).indicator_columns
    for r in range(start, end):
        keys = sheet.row_keys(r, index)
        if len(keys) >= MIN_HEADER_MATCHES and "weight" in keys and ("level3" in keys or "level1" in keys):
            return r, keys
    return None


def _guess_kind(sheet: _Sheet, start: int, end: int) -> str | None:
    """Without a title: the table whose funds headers or indicator headers match best."""
    best, best_score = None, 0
    for kind in KINDS:
        lab = labels_for(kind)
        score = 0
        for r in range(start, end):
            keys = sheet.row_keys(r, lab.funds_columns)
            if "budget" in keys and "spent" in keys:
                score += 10
            if _indicator_header(sheet, r, r + 1, kind):
                score += len(sheet.row_keys(r, lab.indicator_columns))
        if score > best_score:
            best, best_score = kind, score
    return best


def layout_bonus_names() -> tuple[str, ...]:
    """The 一级 texts the layouts declare for 加减分 rows (label and aliases)."""
    return tuple(name for kind in KINDS if (bonus := labels_for(kind).layout.bonus)
                 for name in (bonus.label, *bonus.aliases))


def locate_tables(grid: Grid, defined_names: dict[str, str] | None = None,
                  bonus_names: tuple[str, ...] | None = None,
                  load_formulas: Callable[[str], dict[tuple[int, int], str] | None] | None = None) -> list[Table]:
    """Every 自评表 in one grid, in sheet order. ``bonus_names``: 一级 texts that mark 加减分 rows.
    ``load_formulas(sheet name)`` is called once, and only if the grid holds a table, to fill
    ``grid.formulas`` before the cells are read (so a file's XML is parsed only where it matters)."""
    sheet = _Sheet(grid)
    titles = sorted((r, c, kind) for (r, c), t in sheet.norm.items() if (kind := _kind_of_title(t)))
    segments: list[tuple[int, int, str | None, tuple[int, int] | None]] = []
    if titles:
        starts = [t[0] for t in titles]
        for i, (r, c, kind) in enumerate(titles):
            if i and r == titles[i - 1][0]:
                continue
            end = next((s for s in starts if s > r), grid.height)
            segments.append((r, end, kind, (r, c)))
    else:
        segments.append((0, grid.height, None, None))
    tables = []
    for start, end, kind, title_at in segments:
        kind = kind or _guess_kind(sheet, start, end)
        if kind is None:
            continue
        header = _indicator_header(sheet, start, end, kind)
        lab = labels_for(kind)
        funds_at = _funds_header(sheet, start, end, lab)
        if header is None and funds_at is None and (title_at is None or lab.title not in
                                                    normalize_label(grid.name)):
            continue
        if load_formulas is not None and grid.formulas is None:
            grid.formulas = load_formulas(grid.name)
        tables.append(_read_table(sheet, start, end, kind, title_at, header, funds_at, lab,
                                  defined_names or {}, bonus_names or layout_bonus_names()))
    return tables


def _funds_header(sheet: _Sheet, start: int, end: int, lab: _Labels) -> tuple[int, dict[str, int]] | None:
    for r in range(start, end):
        keys = sheet.row_keys(r, lab.funds_columns)
        if "budget" in keys and "spent" in keys:
            return r, keys
    return None


def _read_table(sheet: _Sheet, start: int, end: int, kind: str, title_at: tuple[int, int] | None,
                header: tuple[int, dict[str, int]] | None, funds_at: tuple[int, dict[str, int]] | None,
                lab: _Labels, names: dict[str, str], bonus_names: tuple[str, ...]) -> Table:
    grid = sheet.grid
    table = Table(kind=kind, sheet=grid.name)
    if title_at:
        table.title = sheet.cell(*title_at)
        table.year = _year(sheet, *title_at)
    first_block = min([x[0] for x in (header, funds_at) if x] or [end])
    _read_fields(sheet, table, start, first_block, lab)
    if funds_at:
        _read_funds(sheet, table, funds_at, header[0] if header else end, lab)
    if lab.goal_columns:
        _read_goal(sheet, table, start, header[0] if header else end, lab)
    if header:
        _read_indicators(sheet, table, header, end, lab, bonus_names)
    table.anchor = table.title or (sheet.cell(header[0], min(header[1].values())) if header else None) \
        or sheet.cell(start, 0)
    _apply_defined_names(sheet, table, names, lab)
    return table


def _year(sheet: _Sheet, r: int, c: int) -> int | None:
    for rr in range(r, min(r + 3, sheet.grid.height)):
        for cc in range(len(sheet.grid.rows[rr])):
            v = sheet.grid.value(rr, cc)
            match = _YEAR.search(str(v)) if isinstance(v, str) else None
            if match:
                return int(match.group(1))
    return None


def _all_labels(lab: _Labels) -> set[str]:
    return (set(lab.fields) | set(lab.funds_columns) | set(lab.indicator_columns) | set(lab.goal_columns)
            | lab.funds_label | lab.goal_label | lab.total | lab.grade)


def _read_fields(sheet: _Sheet, table: Table, start: int, end: int, lab: _Labels) -> None:
    stop = _all_labels(lab)
    found: dict[str, tuple[int, int]] = {}
    for r in range(start, end):
        for c in range(len(sheet.grid.rows[r])):
            key = sheet.key(r, c, lab.fields)
            if key and key not in table.fields:
                table.fields[key] = sheet.value_right_of(r, c, stop)
                table.headers[f"fields.{key}"] = sheet.cell(r, c)
                found[key] = (r, c)
    # A blank value has no cell of its own to point at: take the column where the value of a field
    # with the label in the same column sits (项目名称's value is below 主管部门's).
    for key, (r, c) in found.items():
        if not table.fields[key].blank:
            continue
        columns = [parse_ref(table.fields[k].ref)[1] for k, (rr, cc) in found.items()
                   if cc == c and k != key and not table.fields[k].blank]
        if columns:
            table.fields[key] = sheet.cell(r, columns[0])


def _read_funds(sheet: _Sheet, table: Table, funds_at: tuple[int, dict[str, int]], stop_row: int,
                lab: _Labels) -> None:
    r0, columns = funds_at
    for key, c in columns.items():
        table.headers[f"funds.{key}"] = sheet.cell(r0, c)
        table.amount_unit = _unit_of(sheet.text(r0, c)) or table.amount_unit
    first_col = min(columns.values())
    for (r, c), t in sheet.norm.items():   # the block label: on the header row or just above, left
        if r0 - 2 <= r <= r0 and c < first_col and t and _strip_unit(t) in {_strip_unit(x) for x in lab.funds_label}:
            table.headers["funds.label"] = sheet.cell(r, c)
            table.amount_unit = _unit_of(sheet.grid.value(r, c)) or table.amount_unit
    last_col = max(columns.values())
    goal_labels = lab.goal_label | set(lab.goal_columns)
    for r in range(r0 + 1, stop_row):
        texts = [sheet.text(r, c) for c in range(len(sheet.grid.rows[r]))]
        if any(t in goal_labels for t in texts if t):
            break
        for c in range(first_col):
            key = sheet.key(r, c, lab.funds_rows)
            if key and key not in table.funds:
                row = FundRow(key, sheet.cell(r, c), {k: sheet.cell(r, cc) for k, cc in columns.items()})
                note = next((sheet.cell(r, cc) for cc in range(last_col + 1, len(sheet.grid.rows[r]))
                             if sheet.grid.value(r, cc) is not None), None)
                if note is not None:
                    row.cells["note"] = note
                table.funds[key] = row
                break


def _read_goal(sheet: _Sheet, table: Table, start: int, end: int, lab: _Labels) -> None:
    for r in range(start, end):
        keys = sheet.row_keys(r, lab.goal_columns)
        if keys:
            for key, c in keys.items():
                below = r + 1
                table.goal[key] = sheet.cell(below, c)
            return


def _read_indicators(sheet: _Sheet, table: Table, header: tuple[int, dict[str, int]], end: int,
                     lab: _Labels, bonus_names: tuple[str, ...]) -> None:
    r0, columns = header
    for key, c in columns.items():
        table.headers[f"indicators.{key}"] = sheet.cell(r0, c)
    grid = sheet.grid
    level1 = level2 = ""
    label_cols = [columns[k] for k in ("level1", "level2", "level3") if k in columns]
    data_cols = [c for k, c in columns.items() if k not in ("level1", "level2")]
    r = r0 + 1
    while r < end:
        texts = [sheet.text(r, c) for c in range(min(len(grid.rows[r]), max(columns.values()) + 1))]
        if any(t in lab.total for t in texts if t):
            _read_total_row(sheet, table, r, columns, texts, lab)
            r += 1
            break
        if any(t in lab.grade for t in texts if t):
            break
        if len(sheet.row_keys(r, lab.indicator_columns)) >= MIN_HEADER_MATCHES:
            r += 1          # a repeated header row (a table printed over two pages)
            continue
        l1 = _label_text(grid.value(r, columns["level1"])) if "level1" in columns else ""
        l2 = _label_text(grid.value(r, columns["level2"])) if "level2" in columns else ""
        subtotal_text = next((t for t in (_label_text(grid.value(r, c)) for c in label_cols)
                              if t.endswith(_suffix(lab))), "")
        if l1 and not subtotal_text:
            level1, level2 = l1, ""
        if l2 and not subtotal_text:
            level2 = l2
        has_data = any(grid.value(r, c) is not None for c in data_cols)
        if not has_data and not subtotal_text:
            r += 1
            continue
        cells = {k: sheet.cell(r, c) for k, c in columns.items()}
        if subtotal_text:
            name = subtotal_text[: -len(_suffix(lab))] or level1
            table.indicators.append(IndicatorRow(r + 1, name, "", cells, "subtotal"))
        elif any(b in level1 for b in bonus_names):
            table.indicators.append(IndicatorRow(r + 1, level1, level2, cells, "bonus"))
        else:
            table.indicators.append(IndicatorRow(r + 1, level1, level2, cells))
        r += 1
    _read_grade(sheet, table, r0 + 1, end, lab)


def _suffix(lab: _Labels) -> str:
    return normalize_label(lab.layout.subtotal_suffix)


def _label_text(value: Any) -> str:
    return normalize_label(value) if isinstance(value, str) else ("" if value is None else str(value))


def _read_total_row(sheet: _Sheet, table: Table, r: int, columns: dict[str, int], texts: list[str],
                    lab: _Labels) -> None:
    if "score" in columns:
        table.total = sheet.cell(r, columns["score"])
    if "weight" in columns:
        table.total_weight = sheet.cell(r, columns["weight"])
    label_col = next(c for c, t in enumerate(texts) if t in lab.total)
    table.headers["total.label"] = sheet.cell(r, label_col)


def _read_grade(sheet: _Sheet, table: Table, start: int, end: int, lab: _Labels) -> None:
    stop = _all_labels(lab)
    for r in range(start, end):
        for c in range(len(sheet.grid.rows[r])):
            if sheet.text(r, c) in lab.grade and sheet.text(r, c):
                table.grade = sheet.value_right_of(r, c, stop)
                table.headers["grade.label"] = sheet.cell(r, c)
                return


def _apply_defined_names(sheet: _Sheet, table: Table, names: dict[str, str], lab: _Labels) -> None:
    """Our templates name their key cells: where a name points at a single cell of this table's sheet,
    that cell wins over the one found by text (a user may have moved a label, not the named cell)."""
    if not names:
        return

    def target(name: str) -> Cell | None:
        where = names.get(name) if name else None
        if not where or "!" not in where:
            return None
        sheet_name, cell_part = split_address(where)
        if sheet_name != sheet.grid.name or ":" in cell_part:
            return None
        try:
            return sheet.cell(*parse_ref(cell_part))
        except ValueError:
            return None

    for label in lab.layout.fields:
        cell = target(label.name)
        if cell is not None:
            table.fields[label.key] = cell
    total, grade = target(lab.layout.total.name), target(lab.layout.grade.name)
    if total is not None:
        table.total = total
    if grade is not None:
        table.grade = grade
