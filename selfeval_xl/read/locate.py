"""Find 自评表 tables in a grid by their title and header text, and read them into the model.

One locator for every source: our templates, a department's own copy of the official table (rows and
columns shifted, merged 一级 / 二级 cells, blank rows, numbers as text), and the 项目库 .xls exports.
All labels come from the layouts (``selfeval_xl/layouts/*.yaml``); nothing here knows a row number.

How a table is found: a title cell (``项目支出绩效自评表…``) starts a segment of the sheet; without a
title, a row that carries the indicator table's headers (三级指标, 年度指标值, 实际完成值, 分值, 得分 …)
is enough. The layouts are one family: the segment is read with the layout that fits it best (its
报表编号, its title, its headers, 一级指标 only it has), and the table records that layout's name, whose
system then checks it. Within a segment, the funds block, the fields, the indicator rows, 总分 and 等级
are found by their labels; the table ends at its 总分 row or a footer text row, and the form's
placeholders and instruction text are not data. What cannot be found is left out of the table, for the
checks to report cell by cell; a workbook with no table gets the closest miss (:func:`near_miss`).
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Callable

from ..core.layout import Block, Label, Layout, available_layouts, load_layout, normalize_label, plain_text
from ..core.model import Cell, FundRow, IndicatorRow, Table, split_address
from ..core.parse import number
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
    ref: str                      # what it was loaded by: a packaged name, or a bureau's file
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
    titles: tuple[str, ...]
    codes: tuple[str, ...]
    level1_marks: frozenset[str]
    primary: frozenset[tuple[str, str]]       # (key, its official label) of the funds and indicator columns
    footer_start: re.Pattern[str] | None     # a cell opening with a footer word
    footer_word: re.Pattern[str] | None      # a cell that is a footer word, alone or before a colon


def _names(label: Label) -> set[str]:
    """A label's texts as the sheet's are compared: each spelling, with and without its unit; never ""
    (a bureau's alias of brackets alone would otherwise match every blank cell)."""
    return {name for x in (label.label, *label.aliases)
            for name in (normalize_label(x), _strip_unit(normalize_label(x))) if name}


_INDICES: dict[frozenset, dict[str, str]] = {}


def _index(labels: tuple[Label, ...]) -> dict[str, str]:
    """Label text → key; one object per distinct index, so rows matched for one layout are not matched
    again for a sibling with the same labels."""
    index: dict[str, str] = {}
    for label in labels:
        for name in _names(label):
            index.setdefault(name, label.key)
    return _INDICES.setdefault(frozenset(index.items()), index)


@lru_cache(maxsize=None)
def labels_for(name: str) -> _Labels:
    """The normalised labels of a packaged layout (``project``, ``sichuan-project`` …), read once."""
    layout = load_layout(name)
    goal: Block | None = layout.goal
    titles = tuple(dict.fromkeys(normalize_label(t) for t in (layout.title, *layout.recognise.titles)))
    return _Labels(
        layout, name, _index(layout.fields), _index(layout.funds.columns), _index(layout.funds.rows),
        _index(layout.indicators.columns), _index(goal.columns) if goal else {},
        frozenset(_names(layout.funds.label)), frozenset(_names(goal.label)) if goal else frozenset(),
        frozenset(_names(layout.total)), frozenset(_names(layout.grade)), titles[0], titles,
        tuple(normalize_label(c) for c in layout.recognise.codes),
        frozenset(normalize_label(t) for t in layout.recognise.level1),
        frozenset((c.key, normalize_label(c.label)) for c in (*layout.funds.columns, *layout.indicators.columns)),
        *_footer_patterns(layout))


def _footer_patterns(layout: Layout) -> tuple[re.Pattern[str] | None, re.Pattern[str] | None]:
    words = "|".join(re.escape(normalize_label(w)) for w in layout.footer)
    return (re.compile(f"^(?:{words})"), re.compile(f"^(?:{words})(?:：|$)")) if words else (None, None)


def family(own: tuple[str, ...] = ()) -> tuple[str, ...]:
    """Every packaged layout, the base layout of each kind (named as its kind) first: a sibling is
    chosen only when its title, 报表编号, headers or 一级指标 say so; then ``own``, a bureau's own layout
    files (``selfeval check --layout``), handed down explicitly from the command to the reader."""
    return _family(tuple(own))


@lru_cache(maxsize=None)
def _family(own: tuple[str, ...]) -> tuple[str, ...]:
    packaged = sorted(available_layouts(), key=lambda n: (KINDS.index(n) if n in KINDS else len(KINDS), n))
    return (*packaged, *dict.fromkeys(own))


def _strip_unit(text: str) -> str:
    """``全年预算数（万元）`` → ``全年预算数``: a trailing bracket is a unit, not part of the label."""
    return _BRACKETS.sub("", text)


def _unit_of(value: Any) -> str | None:
    """The unit a header cell's raw text states: ``全年预算数（元）`` → 元 (the label key drops it)."""
    match = _UNIT.search(value.replace(" ", "")) if isinstance(value, str) else None
    return match.group(1) if match else None


class _Sheet:
    """A grid with its label-sized text normalised once, by row (the label and, for a lookup that
    misses, the label without its trailing bracket); each row matched once per label index."""

    def __init__(self, grid: Grid):
        self.grid = grid
        self.values: dict[tuple[int, int], Any] = {}        # every non-blank cell, blank text dropped
        self.norm: dict[tuple[int, int], str] = {}
        self.by_row: dict[int, list[tuple[int, str, str]]] = {}
        self.long: dict[int, list[int]] = {}                # by row, the columns of longer text
        self._keys: dict[tuple[int, int], dict[str, int]] = {}
        values, norm, by_row = self.values, self.norm, self.by_row
        for r, line in enumerate(grid.rows):
            labels = []
            for c, v in enumerate(line):
                if v is None or v == "":
                    continue
                if isinstance(v, str):
                    if v.isspace():
                        continue
                    if len(v) <= MAX_LABEL_LENGTH * 2:
                        t = norm[(r, c)] = normalize_label(v)
                        if t:
                            labels.append((c, t, _strip_unit(t)))
                    else:
                        self.long.setdefault(r, []).append(c)
                values[(r, c)] = v
            if labels:
                by_row[r] = labels

    def value(self, r: int, c: int) -> Any:
        """The value at 0-based (row, col), as :meth:`Grid.value` gives it (blank text is None)."""
        return self.values.get((r, c))

    def label_text(self, r: int, c: int) -> str:
        """:func:`_label_text` of the cell, from the text normalised already where it is label-sized."""
        t = self.norm.get((r, c))
        return t if t is not None else _label_text(self.values.get((r, c)))

    def text(self, r: int, c: int) -> str:
        return self.norm.get((r, c), "")

    def texts(self, r: int) -> list[tuple[int, str]]:
        """Each text cell of row ``r``, left to right, normalised: of any length (a note or a footer may
        run on), where :attr:`by_row` has the label-sized ones only."""
        longer = [(c, t) for c in self.long.get(r, ()) if (t := _label_text(self.values[(r, c)]))]
        return sorted([(c, t) for c, t, _ in self.by_row.get(r, ())] + longer)

    def row_texts(self, r: int, width: int) -> list[str]:
        """The normalised text of row ``r``'s first ``width`` cells ("" where none), from the row's
        labels alone (not a lookup per cell)."""
        texts = [""] * width
        for c, t, _ in self.by_row.get(r, ()):
            if c < width:
                texts[c] = t
        return texts

    def key(self, r: int, c: int, index: dict[str, str]) -> str | None:
        t = self.norm.get((r, c))
        if not t:
            return None
        return index.get(t) or index.get(_strip_unit(t))

    def cell(self, r: int, c: int) -> Cell:
        g = self.grid
        return Cell(g.name, ref(r, c), self.values.get((r, c)),
                    None if g.formulas is None else g.formulas.get((r, c)),
                    None if g.formats is None else g.formats.get((r, c), "General"))

    def row_keys(self, r: int, index: dict[str, str]) -> dict[str, int]:
        """Column of each label key found on row ``r`` (the first occurrence wins). Layouts that share
        an index (a sibling that extends its parent) share the answer."""
        memo = (r, id(index))
        found = self._keys.get(memo)
        if found is None:
            found = {}
            for c, t, stripped in self.by_row.get(r, ()):
                key = index.get(t) or index.get(stripped)
                if key and key not in found:
                    found[key] = c
            self._keys[memo] = found
        return found

    def value_right_of(self, r: int, c: int, stop: set[str]) -> Cell:
        """The value beside a label: the first non-blank cell to its right that is not another label,
        or (all blank) the cell just after the label's merged range."""
        end = self.grid.merge_end(r, c)
        width = len(self.grid.rows[r])
        for cc in range(end + 1, width):
            if self.text(r, cc) in stop:            # no label is "" (the text of a cell without one)
                break
            if self.value(r, cc) is not None:
                return self.cell(r, cc)
        return self.cell(r, end + 1)


def _kind_of_title(text: str, layouts: tuple[str, ...]) -> str | None:
    """The kind of table a cell's text is the title of (the longest title of any of ``layouts`` in it)."""
    return _title_kind(text, layouts) if len(text) <= _TITLE_CACHED else _title_kind.__wrapped__(text, layouts)


_TITLE_CACHED = 200


@lru_cache(maxsize=65536)
def _title_kind(text: str, layouts: tuple[str, ...]) -> str | None:
    """:func:`_kind_of_title` for one family, once per distinct text (a batch repeats its labels)."""
    best, length = None, 0
    for name in layouts:
        lab = labels_for(name)
        for title in lab.titles:
            if title in text and len(text) <= len(title) + 20 and len(title) > length:
                best, length = lab.layout.kind, len(title)
    return best


def _indicator_header(sheet: _Sheet, start: int, end: int, lab: _Labels) -> tuple[int, dict[str, int]] | None:
    index = lab.indicator_columns
    unscored = not lab.layout.indicators.column("weight").required     # a form without 分值 (衡山's)
    for r in range(start, end):
        keys = sheet.row_keys(r, index)
        if unscored and len(keys) >= MIN_HEADER_MATCHES and {"level3", "target", "actual"} <= keys.keys():
            return r, keys
        if len(keys) >= MIN_HEADER_MATCHES and "weight" in keys and ("level3" in keys or "level1" in keys):
            return r, _own_weight(sheet, r, keys, index)
        if len(keys) >= MIN_HEADER_MATCHES and "weight" in keys and r + 1 < end:
            below = sheet.row_keys(r + 1, index)        # 年度指标值 / 实际完成值 / 分值 over 一级 / 二级 / 三级
            if "level3" in below or "level1" in below:  # / 指标性质 / 指标值: a two-row header
                return r, {**keys, **below}
    return None


def _own_weight(sheet: _Sheet, r: int, keys: dict[str, int], index: dict[str, str]) -> dict[str, int]:
    """A 分值 after each level (一级 | 分值 | 二级 | 分值 | 三级 | 分值, 长沙's rubric): the indicator's own
    weight is the first 分值 right of 三级指标, not the first of the row."""
    if "level3" not in keys:
        return keys
    after = [c for c, t, stripped in sheet.by_row.get(r, ())
             if c > keys["level3"] and (index.get(t) or index.get(stripped)) == "weight"]
    return {**keys, "weight": after[0]} if after else keys


_Header = tuple[int, dict[str, int]]


def _fit(sheet: _Sheet, start: int, end: int, lab: _Labels, texts: set[str]
         ) -> tuple[int, _Header | None, _Header | None]:
    """How well a segment of a sheet fits a layout, with the indicator and funds headers found: its
    报表编号 (decisive), its title (the longer the title found, the closer), the headers of its funds and
    indicator blocks (more for those in the layout's own words than in an alias), and 一级指标 texts only
    this layout has (a layout that has such texts and finds none of them loses a tie: a 部门整体 table
    of 产出/效益/满意度 is not Guangzhou's). 0: neither block's headers are there."""
    funds = _funds_header(sheet, start, end, lab)
    header = _indicator_header(sheet, start, end, lab)
    if funds is None and header is None:
        return 0, None, None
    score = 10 * bool(funds) + (len(header[1]) if header else 0)
    score += sum((key, sheet.text(r, c)) in lab.primary       # headers in this form's own words
                 for r, keys in (x for x in (funds, header) if x) for key, c in keys.items())
    score += 1000 * any(code in t for code in lab.codes for t in texts)
    score += 10 * _titled(lab, texts)
    if header and lab.level1_marks and "level1" in header[1]:
        c = header[1]["level1"]
        marks = len({sheet.text(r, c) for r in range(header[0] + 1, end)} & lab.level1_marks)
        score += 50 * marks - (marks == 0)    # naming 一级指标 of its own that the table lacks loses a tie
    return score, header, funds


def _titled(lab: _Labels, texts: set[str]) -> int:
    """The length of the longest of the layout's titles a text of the segment carries (0: none)."""
    return max((len(title) for title in lab.titles for t in texts if title in t and len(t) <= len(title) + 20),
               default=0)


def _choose_layout(sheet: _Sheet, start: int, end: int, kind: str | None, layouts: tuple[str, ...]
                   ) -> tuple[_Labels, _Header | None, _Header | None] | None:
    """The layout of the family that fits the segment best (of ``kind``, when a title said it), with
    the indicator and funds headers it found there."""
    texts = {t for (r, _), t in sheet.norm.items() if start <= r < end}
    best, best_score = None, 0
    for name in layouts:
        lab = labels_for(name)
        if kind is not None and lab.layout.kind != kind or lab.layout.recognise.by_title and not _titled(lab, texts):
            continue            # a local form is tried only where its title stands (its headers cost the rest)
        score, header, funds = _fit(sheet, start, end, lab, texts)
        if score > best_score:
            best, best_score = (lab, header, funds), score
    return best


def layout_bonus_names(own: tuple[str, ...] = ()) -> tuple[str, ...]:
    """The 一级 texts the layouts (the packaged and ``own``) declare for 加减分 rows (label and aliases)."""
    return tuple(dict.fromkeys(name for layout in family(own) if (bonus := labels_for(layout).layout.bonus)
                               for name in (bonus.label, *bonus.aliases)))


def locate_tables(grid: Grid, defined_names: dict[str, str] | None = None,
                  bonus_names: tuple[str, ...] | None = None,
                  load_formulas: Callable[[str], dict[tuple[int, int], str] | None] | None = None,
                  own: tuple[str, ...] = ()) -> list[Table]:
    """Every 自评表 in one grid, in sheet order. ``bonus_names``: 一级 texts that mark 加减分 rows.
    ``load_formulas(sheet name)`` is called once, and only if the grid holds a table, to fill
    ``grid.formulas`` before the cells are read (so a file's XML is parsed only where it matters).
    ``own``: a bureau's own layout files, recognised beside the packaged ones."""
    sheet = _Sheet(grid)
    layouts = family(own)
    titles = sorted((r, c, kind) for (r, c), t in sheet.norm.items() if (kind := _kind_of_title(t, layouts)))
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
        chosen = _choose_layout(sheet, start, end, kind, layouts)
        if chosen is None:
            if title_at is None or kind is None or not _title_is_sheet(grid, kind):
                continue
            chosen = labels_for(kind), None, None
        lab, header, funds_at = chosen
        if load_formulas is not None and grid.formulas is None:
            grid.formulas = load_formulas(grid.name)
            if grid.computed:
                sheet = _Sheet(grid)        # values computed for formulas the file stored no result for
        tables.append(_read_table(sheet, start, end, title_at, header, funds_at, lab,
                                  defined_names or {}, bonus_names or layout_bonus_names(own)))
    return tables


def _title_is_sheet(grid: Grid, kind: str) -> bool:
    """A titled sheet without either block's headers is still the table when the sheet is named so."""
    return labels_for(kind).title in normalize_label(grid.name)


@dataclass(frozen=True)
class NearMiss:
    """The sheet that came closest to a 自评表 when none was found: where, under which layout, the
    header labels recognised and those missing (what a user should rename)."""

    sheet: str
    row: int                       # 1-based row of the best header row
    layout: str
    found: tuple[str, ...]
    missed: tuple[str, ...]

    def message(self) -> str:
        found = "、".join(self.found) or "无"
        missed = "、".join(self.missed) or "无"
        return (f"未找到项目支出或部门整体支出绩效自评表（按标题和表头查找）。最接近的是工作表“{self.sheet}”第"
                f"{self.row}行（按“{labels_for(self.layout).layout.title}”）：识别到表头 {found}；缺少 {missed}")


def near_miss(grids: list[Grid], own: tuple[str, ...] = ()) -> NearMiss | None:
    """Of all rows of all sheets, the one whose text matches most header labels of a layout's
    indicator or funds block (the packaged and ``own``); None when no row matches any."""
    best: tuple[int, NearMiss] | None = None
    for grid in grids:
        sheet = _Sheet(grid)
        rows = {r for r, _ in sheet.norm}
        for name in family(own):
            lab = labels_for(name)
            for block, index in ((lab.layout.indicators, lab.indicator_columns), (lab.layout.funds, lab.funds_columns)):
                for r in rows:
                    keys = sheet.row_keys(r, index)
                    if keys and (best is None or len(keys) > best[0]):
                        found = tuple(sheet.value(r, c) for c in sorted(keys.values()))
                        missed = tuple(c.label for c in block.columns if c.key not in keys and not c.optional)
                        best = (len(keys), NearMiss(grid.name, r + 1, name, tuple(str(f) for f in found), missed))
    return best[1] if best else None


def _funds_header(sheet: _Sheet, start: int, end: int, lab: _Labels) -> tuple[int, dict[str, int]] | None:
    for r in range(start, end):
        keys = sheet.row_keys(r, lab.funds_columns)
        if "budget" not in keys and "initial" in keys and "spent" in keys:
            keys = {("budget" if k == "initial" else k): c for k, c in keys.items()}   # 年初预算数(A) / 全年执行数(B):
        if "budget" in keys and "spent" in keys:                                      # the only budget there is
            return r, keys
    return None


def _read_table(sheet: _Sheet, start: int, end: int, title_at: tuple[int, int] | None,
                header: tuple[int, dict[str, int]] | None, funds_at: tuple[int, dict[str, int]] | None,
                lab: _Labels, names: dict[str, str], bonus_names: tuple[str, ...]) -> Table:
    grid = sheet.grid
    table = Table(kind=lab.layout.kind, sheet=grid.name, layout=lab.ref)
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
    _unfilled(table, lab.layout)
    return table


def _unfilled(table: Table, layout: Layout) -> None:
    """An answer cell still holding the form's instruction text (``对照年度目标，说明…（100字以内）``) is
    unfilled: it is read as blank, and the text is kept in ``table.instructions`` for the message."""
    pattern = layout.instruction_re
    if pattern is None:
        return

    def clear(cell: Cell) -> Cell:
        if isinstance(cell.value, str) and pattern.search(plain_text(cell.value)):
            table.instructions[cell.address] = cell.value
            return Cell(cell.sheet, cell.ref, None, cell.formula)
        return cell

    table.fields = {k: clear(c) for k, c in table.fields.items()}
    table.goal = {k: clear(c) for k, c in table.goal.items()}
    for row in (*table.funds.values(), *table.indicators):
        row.cells = {k: clear(c) for k, c in row.cells.items()}


def _year(sheet: _Sheet, r: int, c: int) -> int | None:
    for rr in range(r, min(r + 3, sheet.grid.height)):
        for cc in range(len(sheet.grid.rows[rr])):
            v = sheet.value(rr, cc)
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
        table.amount_unit = _unit_of(sheet.value(r0, c)) or table.amount_unit
    first_col = min(columns.values())
    # the block's label: on the header row or up to two rows above, left of its first figure or over it
    for (r, c), t in sheet.norm.items():
        if r0 - 2 <= r <= r0 and c <= first_col and t and _strip_unit(t) in {_strip_unit(x) for x in lab.funds_label}:
            table.headers["funds.label"] = sheet.cell(r, c)
            table.amount_unit = _unit_of(sheet.value(r, c)) or table.amount_unit
    last_col = max(columns.values())
    goal_labels = lab.goal_label | set(lab.goal_columns)
    for r in range(r0 + 1, stop_row):
        texts = sheet.row_texts(r, len(sheet.grid.rows[r]))
        if any(t in goal_labels for t in texts if t):
            break
        for c in range(first_col):
            key = sheet.key(r, c, lab.funds_rows)
            if key and key not in table.funds:
                row = FundRow(key, sheet.cell(r, c), {k: sheet.cell(r, cc) for k, cc in columns.items()})
                note = next((sheet.cell(r, cc) for cc in range(last_col + 1, len(sheet.grid.rows[r]))
                             if sheet.value(r, cc) is not None), None)
                if note is not None:
                    row.cells["note"] = note
                table.funds[key] = row
                break
    if lab.layout.funds_one_row and not table.funds and r0 + 1 < stop_row:   # 重庆's 部门预算执行情况:
        label = table.headers.get("funds.label") or sheet.cell(r0, 0)          # one row, no label of its own
        table.funds["total"] = FundRow("total", label, {k: sheet.cell(r0 + 1, cc) for k, cc in columns.items()})


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
    r_first = _sub_header(sheet, table, r0, columns, lab)
    _scrambled(sheet, table, r0, columns, lab)
    for key, c in columns.items():
        table.headers.setdefault(f"indicators.{key}", sheet.cell(r0, c))
    level1, level2 = lab.layout.flat_level1, ""
    label_cols = [columns[k] for k in ("level1", "level2", "level3") if k in columns]
    data_cols = [c for k, c in columns.items() if k not in ("level1", "level2")]
    before = columns.get("level3", max(columns.values()))
    width = max(columns.values()) + 1
    slot = lab.layout.placeholder_re
    words = dict(lab.layout.directions)
    suffix = _suffix(lab)
    r = r_first
    while r < end:
        texts = {t for c, t, _ in sheet.by_row.get(r, ()) if c < width}
        if texts & lab.total:
            _read_total_row(sheet, table, r, columns, sheet.row_texts(r, width), lab)
            break
        if texts & lab.grade or _is_footer(sheet, r, lab, before, columns.get("reason")):
            break
        if (len(sheet.by_row.get(r, ())) >= MIN_HEADER_MATCHES
                and len(sheet.row_keys(r, lab.indicator_columns)) >= MIN_HEADER_MATCHES):
            r += 1          # a repeated header row (a table printed over two pages)
            continue
        l1 = sheet.label_text(r, columns["level1"]) if "level1" in columns else ""
        l2 = sheet.label_text(r, columns["level2"]) if "level2" in columns else ""
        subtotal_text = next((t for t in (sheet.label_text(r, c) for c in label_cols) if t.endswith(suffix)), "")
        if l1 and not subtotal_text:
            level1, level2 = l1, ""
        if l2 and not subtotal_text:
            level2 = l2
        has_data = any(not _empty_slot(sheet.value(r, c), slot) for c in data_cols)
        if not has_data and not subtotal_text:
            r += 1
            continue
        cells = {k: sheet.cell(r, c) for k, c in columns.items()}
        why = None if subtotal_text else _not_an_indicator(sheet, r, cells, lab)
        if why:
            table.reading.append((ref(r, min(columns.values())), why))
            r += 1
            continue
        inferred = _level1_from_level2(l2, lab) if l2 and not l1 and not subtotal_text else ""
        if inferred and (not level1 or _is_family_level(level1, lab)) and level1[:2] != normalize_label(inferred)[:2]:
            level1 = inferred
            table.reading.append((ref(r, columns["level2"]),
                                  f"一级指标空缺，按二级“{l2}”归入“{level1}” / 一级 inferred from its 二级"))
        if subtotal_text:
            name = subtotal_text[: -len(suffix)] or level1
            table.indicators.append(IndicatorRow(r + 1, name, "", cells, "subtotal"))
        elif any(b in level1 for b in bonus_names):
            table.indicators.append(IndicatorRow(r + 1, level1, level2, cells, "bonus"))
        else:
            word = words.get(sheet.text(r, columns["direction"])) if "direction" in columns else None
            table.indicators.append(IndicatorRow(r + 1, level1, level2, cells, direction_word=word))
        r += 1
    _numbered_parts(table)
    _read_grade(sheet, table, r0 + 1, end, lab)


_WHOLE_ITEM = re.compile(r"^[一二三四五六七八九十]+[、.．]")
_PART_ITEM = re.compile(r"^(?:\d+[、．]|\d+\.(?!\d)|[（(]\d+[)）])")


def _numbered_parts(table: Table) -> None:
    """A row numbered ``一、`` whose 分值 and 得分 the rows numbered ``1、2、…`` right under it add up to is
    their sum, not an indicator of its own (隆阳 2022: 一、示范区建立 15 = 1、水稻… 5 + 2、玉米… 5 + 3、配方肥
    5): counting it beside them would count its points twice. Its parts stay, each checked as an indicator."""
    rows, kept = table.indicators, []
    for i, row in enumerate(rows):
        if row.kind == "indicator" and _WHOLE_ITEM.match(plain_text(row.level3)):
            parts = []
            for part in rows[i + 1:]:
                if part.kind != "indicator" or not _PART_ITEM.match(plain_text(part.level3)):
                    break
                parts.append(part)
            if parts and _is_their_sum(row, parts):
                cell = row.get("level3")
                table.reading.append((cell.ref if cell else f"{row.row}",
                                      f"“{row.level3[:20]}”是其下 {len(parts)} 个编号分项之和，不重复计分 / "
                                      f"the sum of the numbered rows under it"))
                continue
        kept.append(row)
    table.indicators = kept


def _is_their_sum(whole: IndicatorRow, parts: list[IndicatorRow]) -> bool:
    """The whole's 分值 and 得分 — those it states, at least one — are each the sum of the parts'."""
    stated = False
    for key in ("weight", "score"):
        total, figures = number(whole.get(key)), [number(p.get(key)) for p in parts]
        if total is None:
            if any(f is not None for f in figures):
                return False
            continue
        if None in figures or sum(figures) != total:
            return False
        stated = True
    return stated


def _sub_header(sheet: _Sheet, table: Table, r0: int, columns: dict[str, int], lab: _Labels) -> int:
    """A two-row header (指标值 over 指标性质 / 指标值 / 度量单位; 指标名称 over 三级指标 alone): the second
    row's labels name the columns under the first's cells, and it is no indicator. Returns the first row
    after the header."""
    r = r0 + 1
    if r >= sheet.grid.height or any(not isinstance(v, str) for c in range(len(sheet.grid.rows[r]))
                                     if (v := sheet.value(r, c)) is not None):
        return r
    keys = sheet.row_keys(r, lab.indicator_columns)
    if not keys or len(keys) < len(sheet.by_row.get(r, ())) - 1:
        return r
    columns.update(keys)
    for key, c in keys.items():
        table.headers[f"indicators.{key}"] = sheet.cell(r, c)     # --explain shows the header's rows from these
    return r + 1


SCRAMBLE_SLACK = 1      # characters a scrambled header may carry beyond its label's


def _scrambled(sheet: _Sheet, table: Table, r: int, columns: dict[str, int], lab: _Labels) -> None:
    """A required column whose header is not found, where one header cell of the row no label claims holds
    the label's characters out of order (a PDF's wrapped cell read column by column: 年成值全完值 for
    全年完成值): that cell is read as the column, and ``table.guessed`` keeps it for a warning."""
    taken = set(columns.values())
    free = [(c, t) for c, t, _ in sheet.by_row.get(r, ()) if c not in taken]
    for column in lab.layout.indicators.columns:
        if not column.required or column.key in columns:
            continue
        for name in (normalize_label(n) for n in (column.label, *column.aliases)):
            hit = next((c for c, t in free if len(name) >= 4 and len(t) <= len(name) + SCRAMBLE_SLACK
                        and not Counter(name) - Counter(t)), None)
            if hit is not None:
                columns[column.key] = hit
                table.guessed[f"indicators.{column.key}"] = name
                table.reading.append((ref(r, hit), f"表头“{sheet.text(r, hit)}”按“{name}”读取（字序错乱）"))
                free = [(c, t) for c, t in free if c != hit]
                break


def _not_an_indicator(sheet: _Sheet, r: int, cells: dict[str, Cell], lab: _Labels) -> str | None:
    """Why a row of the indicator table is not an indicator (None: it is one): a note row, a 其中… part of
    the row above without a 分值 of its own, a row whose 分值 says it does not apply. Decided by the
    layout's words; the reason is what ``check --explain`` prints."""
    layout = lab.layout
    weight = cells.get("weight")
    no_weight = weight is None or weight.blank or isinstance(weight.value, str) and not any(ch.isdigit() for ch in weight.text)
    first = next((t for _, t in sheet.texts(r)), "")
    if no_weight and first and any(first == w or first.startswith(w) for w in layout.notes):
        return f"说明行，不是指标 / a note row: “{first[:20]}”"
    level3 = plain_text(cells["level3"].text) if "level3" in cells else ""     # 其中 kept (a label drops it)
    if no_weight and level3 and any(level3.startswith(w) for w in layout.breakdown):
        return f"“{level3[:20]}”是上一行的分项（无分值），不是单独的指标 / a breakdown of the row above"
    if weight is not None and isinstance(weight.value, str) and plain_text(weight.value) in layout.not_applicable:
        return f"分值为“{weight.text}”：不适用，不计分 / not applicable"
    return None


def _level1_from_level2(level2: str, lab: _Labels) -> str:
    """The 一级 a lost 一级 cell stood for, from the words of the row's 二级 (数量指标 → 产出指标)."""
    return next((level1 for level1, words in lab.layout.level1_of_level2
                 if any(w and (level2.startswith(w) or level2.endswith((w, w + "指标"))) for w in words)), "")


def _is_family_level(level1: str, lab: _Labels) -> bool:
    """The 一级 carried down is one the layout's inference knows (产出 …): a 二级 of another then starts
    another 一级 whose own cell was lost. A 一级 it does not know (管理效能) is never second-guessed."""
    return any(level1[:2] == normalize_label(name)[:2] for name, _ in lab.layout.level1_of_level2)


def _empty_slot(value: Any, placeholder: re.Pattern[str] | None) -> bool:
    """Blank, or one of the form's placeholders (``指标1``, ``……``): a slot nobody filled."""
    if value is None:
        return True
    return isinstance(value, str) and placeholder is not None and bool(placeholder.search(plain_text(value)))


def _is_footer(sheet: _Sheet, r: int, lab: _Labels, before: int, answer: int | None) -> bool:
    """A text row that closes the table (评价结论, 存在问题, 填报人, 项目负责人：…): its label alone in a
    cell, or followed by a colon, or opening a cell left of the 三级指标 column. Not the 偏差原因 cell
    (``answer``): an indicator's own answer may well open with 存在问题：… 改进措施：…"""
    return lab.footer_start is not None and any(
        c != answer and (lab.footer_start if c < before else lab.footer_word).match(t) for c, t in sheet.texts(r))


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
    for r in range(start, end):
        for c, t, _ in sheet.by_row.get(r, ()):         # a row's label texts, left to right
            if t in lab.grade:
                table.grade = sheet.value_right_of(r, c, _all_labels(lab))
                after = parse_ref(table.grade.ref)[1] + 1
                table.grade_row = tuple(str(v).strip() for cc in range(after, len(sheet.grid.rows[r]))
                                        if (v := sheet.value(r, cc)) is not None)
                table.headers["grade.label"] = sheet.cell(r, c)
                return


def _apply_defined_names(sheet: _Sheet, table: Table, names: dict[str, str], lab: _Labels) -> None:
    """Our templates name their key cells: where a name points at a single cell of this table's sheet,
    that cell wins over the one found by text (a user may have moved a label, not the named cell)."""
    def target(name: str) -> Cell | None:
        sheet_name, cell_part = split_address(names.get(name, "") if name else "")     # "": no sheet
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
