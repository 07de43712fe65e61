"""Read and validate the data ``selfeval fill`` takes, row by row, keeping Excel's row numbers.

Each wrong row becomes a :class:`RowProblem` naming its table, its row as the user sees it in Excel
(the header is row 1) and its column; a workbook whose rows are not all right is not written, the
others are. Values are checked with the engine (:mod:`selfeval_xl.core.scoring`), so a row that fill accepts
is one the template's formulas can score.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Iterable

from ..core.layout import normalize_label
from ..core.parse import ParseError, Quantity, align, parse_number, parse_quantity, parse_value
from ..core.rules import Direction, RuleError, Settings, find_tier, parse_direction
from ..core.scoring import score_indicator
from ..core.system import IndicatorSystem
from ..core.data_tables import DEPARTMENT_INDICATORS, INDICATORS, NUMBER, PROJECTS, TABLES, UNITS, TableSpec


@dataclass(frozen=True)
class RowProblem:
    """A wrong row of the data: ``table`` is the sheet (or CSV file) name, ``row`` its Excel row."""

    table: str
    row: int
    message: str
    column: str = ""

    def __str__(self) -> str:
        where = f"“{self.table}”第{self.row}行" if self.row else f"“{self.table}”"
        return f"{where}{'【' + self.column + '】' if self.column else ''}：{self.message}"


@dataclass
class IndicatorData:
    row: int
    level1: str
    level2: str
    level3: str
    direction: Direction
    target: Any
    weight: Decimal
    unit: str = ""
    target_high: Any = None
    actual: Any = None
    reason: str = ""
    criteria: str = ""
    score: Decimal | None = None


@dataclass
class ProjectData:
    row: int
    unit: str
    name: str
    department: str
    budget: Decimal
    spent: Decimal
    implementer: str = ""
    initial: Decimal | None = None
    current: Decimal | None = None
    carryover: Decimal | None = None
    other: Decimal | None = None
    goal_expected: str = ""
    goal_achieved: str = ""
    indicators: list[IndicatorData] = field(default_factory=list)


@dataclass
class UnitData:
    row: int
    unit: str
    basic_budget: Decimal
    basic_spent: Decimal
    project_budget: Decimal
    project_spent: Decimal
    indicators: list[IndicatorData] = field(default_factory=list)


@dataclass
class FillData:
    """What fill can write (only complete, valid workbooks), and every problem found on the way."""

    source: str
    projects: list[ProjectData] = field(default_factory=list)
    units: list[UnitData] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


class DataError(ValueError):
    """The data cannot be read at all (no such file, a required sheet or column missing)."""

    def __init__(self, problems: list[RowProblem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


# --------------------------------------------------------------------------- raw tables

def _read_csv(path: Path):
    import pandas as pd

    for encoding in ("utf-8-sig", "gb18030"):      # Excel on Chinese Windows saves CSV as GBK
        try:
            return pd.read_csv(path, dtype=object, skip_blank_lines=False, keep_default_na=False,
                               encoding=encoding)
        except UnicodeDecodeError:
            continue
    raise DataError([RowProblem(path.name, 0, "无法识别文件编码（应为 UTF-8 或 GBK）/ unknown encoding")])


def load_frames(path: str | Path) -> dict[str, tuple[str, Any]]:
    """The tables of DATA by name → (name the user sees, DataFrame). Blank rows are kept (row numbers).

    DATA is an .xlsx/.xlsm/.xls whose sheets are named as the tables, or a folder of CSV files named
    as the tables (``项目.csv``, ``指标.csv`` …), or one of those CSV files (the others beside it).
    """
    import pandas as pd

    path = Path(path)
    if not path.exists():
        raise DataError([RowProblem(str(path), 0, "文件不存在 / file not found")])
    if path.is_file() and path.suffix.lower() in (".xlsx", ".xlsm", ".xls"):
        try:
            sheets = pd.read_excel(path, sheet_name=None, dtype=object, engine="calamine")
        except Exception as exc:  # noqa: BLE001 - a corrupt or encrypted file: say so, no traceback
            raise DataError([RowProblem(path.name, 0, f"文件无法读取 / unreadable: {type(exc).__name__}: {exc}")]) \
                from None
        by_name = {normalize_label(name): (name, frame) for name, frame in sheets.items()}
        return {t.name: by_name[t.name] for t in TABLES if t.name in by_name}
    folder = path if path.is_dir() else path.parent
    if path.is_file() and path.suffix.lower() != ".csv":
        raise DataError([RowProblem(path.name, 0, "应为 .xlsx 或 .csv / DATA must be .xlsx or .csv")])
    return {t.name: (f"{t.name}.csv", _read_csv(folder / f"{t.name}.csv"))
            for t in TABLES if (folder / f"{t.name}.csv").is_file()}


def _plain(value: Any) -> Any:
    """A pandas cell → None, a stripped string, an int (whole numbers) or a float."""
    if value is None:
        return None
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, float):
        if value != value:              # NaN
            return None
        return int(value) if value.is_integer() else value
    item = getattr(value, "item", None)
    return _plain(item()) if callable(item) else value


@dataclass
class _Row:
    number: int
    values: dict[str, Any]


def _rows(spec: TableSpec, shown: str, frame, problems: list[RowProblem], notes: list[str]
          ) -> list[_Row] | None:
    """Rows of a table as {key: value}; None (and a problem) when a required column is missing."""
    headers = {normalize_label(h): i for i, h in enumerate(frame.columns)}
    where: dict[str, int] = {}
    for col in spec.columns:
        index = next((headers[normalize_label(h)] for h in col.headers if normalize_label(h) in headers), None)
        if index is not None:
            where[col.key] = index
    unknown = _unknown(frame, where)
    for col in spec.columns:
        if col.required and col.key not in where:
            close = next((c for c in (_closest(n, unknown) for n in col.headers) if c), None)
            problems.append(RowProblem(shown, 1, f"缺少必需的列 / missing column: {col.name}"
                                       + _found_instead(close, unknown), col.name))
            unknown = [h for h in unknown if h != close]
    _report_unknown(spec, shown, unknown, problems, notes)
    if any(col.required and col.key not in where for col in spec.columns):
        return None
    rows = []
    for i, record in enumerate(frame.itertuples(index=False)):
        values = {key: _plain(record[index]) for key, index in where.items()}
        if any(v is not None for v in values.values()):
            rows.append(_Row(i + 2, values))
    return rows


def _unknown(frame, where: dict[str, int]) -> list[str]:
    """Header texts of the columns no known column took (pandas names a blank header ``Unnamed: n``)."""
    taken = set(where.values())
    return [str(h).strip() for i, h in enumerate(frame.columns)
            if i not in taken and str(h).strip() and not str(h).startswith("Unnamed:")]


def _closest(name: str, candidates: Iterable[str]) -> str | None:
    import difflib

    found = difflib.get_close_matches(normalize_label(name), [normalize_label(c) for c in candidates], 1, 0.6)
    return next((c for c in candidates if found and normalize_label(c) == found[0]), None)


def _found_instead(close: str | None, unknown: list[str]) -> str:
    """What the table has instead of a missing column: the closest header, else every unknown one."""
    if close:
        return f"（表中有“{close}”，是否写错了？/ found “{close}”: misspelt?）"
    return f"（表中未识别的列 / unrecognised columns: {'、'.join(unknown)}）" if unknown else ""


def _report_unknown(spec: TableSpec, shown: str, unknown: list[str], problems: list[RowProblem],
                    notes: list[str]) -> None:
    """A header close to a known column (实际完成 for 实际完成值) is a problem: its values would be lost
    without a word. Other unknown columns (备注 …) are ignored, and said so."""
    known = [h for col in spec.columns for h in col.headers]
    ignored = []
    for header in unknown:
        close = _closest(header, known)
        if close and close not in (h for h in known if normalize_label(h) == normalize_label(header)):
            problems.append(RowProblem(shown, 1, f"未知的列“{header}”，是否应为“{close}”？/ unknown column "
                                       f"“{header}”: did you mean “{close}”?", header))
        else:
            ignored.append(header)
    if ignored:
        notes.append(f"“{shown}”中未用到的列 / columns not used: {'、'.join(ignored)}")


# --------------------------------------------------------------------------- cell checks

class _RowCheck:
    """Collects the problems of one row while its values are converted."""

    def __init__(self, spec: TableSpec, shown: str, row: _Row, problems: list[RowProblem]):
        self.spec, self.shown, self.row, self.problems = spec, shown, row, problems
        self.ok = True

    def fail(self, message: str, column: str = "") -> None:
        self.ok = False
        self.problems.append(RowProblem(self.shown, self.row.number, message, column))

    def text(self, key: str) -> str:
        value = self.row.values.get(key)
        col = self.spec.column(key)
        if value is None and col.required:
            self.fail(f"{col.name}为空", col.name)
        return "" if value is None else str(value)

    def number(self, key: str) -> Decimal | None:
        value = self.row.values.get(key)
        col = self.spec.column(key)
        if value is None:
            if col.required:
                self.fail(f"{col.name}为空", col.name)
            return None
        try:
            number = parse_number(value, col.name)
        except ParseError as exc:
            self.fail(exc.message, col.name)
            return None
        if not finite(number):
            self.fail(f"{col.name}不是有限的数（无法写入单元格）：{value} / not a finite number", col.name)
            return None
        if number < 0:
            self.fail(f"{col.name}不能为负数：{value}", col.name)
        return number


def finite(number: Decimal) -> bool:
    """Can a cell hold it? ``1e400`` parses as a Decimal but is infinite as the float a cell stores
    (openpyxl would write it as a blank cell); NaN and infinity are not numbers a table can hold."""
    return number.is_finite() and math.isfinite(float(number))


def _check_levels(check: _RowCheck, level1: str, level2: str, system: IndicatorSystem) -> None:
    """一级 must be one of the system's; 二级 too where the system names them."""
    level = system.level(level1)
    if level is None:
        names = "、".join(lv.name for lv in system.levels)
        check.fail(f"一级指标“{level1}”不在指标体系 {system.name} 中（应为 {names}）", "一级指标")
    elif level.children and level.child(level2) is None:
        names = "、".join(c.name for c in level.children)
        check.fail(f"二级指标“{level2}”不属于{level1}（应为 {names}）", "二级指标")


def _indicator(check: _RowCheck, system: IndicatorSystem) -> IndicatorData | None:
    v = check.row.values
    level1, level2, level3 = check.text("level1"), check.text("level2"), check.text("level3")
    weight = check.number("weight")
    has_score = any(c.key == "score" for c in check.spec.columns)
    score = check.number("score") if has_score else None
    if level1 and level2:
        _check_levels(check, level1, level2, system)
    level = system.level(level1)
    if level is not None and level.bonus:
        if score is None and check.ok:
            check.fail(f"{level.name}需填写得分", check.spec.column("score").name)
        values = _Normalized(Direction.QUAL, v.get("target"), None, v.get("actual"), str(v.get("measure") or ""))
    else:
        given, readable = None, True
        if v.get("direction") is not None:
            try:
                given = parse_direction(v["direction"])
            except RuleError as exc:
                check.fail(exc.message, check.spec.column("direction").name)
                readable = False
        if v.get("target") is None:
            check.fail("年度指标值为空", check.spec.column("target").name)
            readable = False
        values = _normalize(check, given, system.settings) if readable else None
        if score is not None:
            only = f"只有{system.bonus_level.name}可填得分；" if system.bonus_level else ""
            check.fail(f"{only}得分由公式计算，不需填写", check.spec.column("score").name)
    if not check.ok or weight is None or values is None:
        return None
    return IndicatorData(check.row.number, level1, level2, level3, values.direction, values.target, weight,
                         values.unit, values.high, values.actual, str(v.get("reason") or ""),
                         str(v.get("criteria") or ""), score)


@dataclass(frozen=True)
class _Normalized:
    """An indicator's values as the template's formulas need them: numbers in one unit, 指标性质 apart."""

    direction: Direction
    target: Any
    high: Any
    actual: Any
    unit: str


def _plain_number(number: Decimal) -> int | float:
    return int(number) if number == number.to_integral_value() else float(number)


def _normalize(check: _RowCheck, given: Direction | None, settings: Settings) -> _Normalized | None:
    """``≥150天`` → (≥, 150, 天); ``1.5万人次`` against ``46845人次`` → 15000 and 46845, 人次.

    Each row is then scored once with the engine: what it cannot score, the template cannot either.
    """
    v = check.row.values
    raw_target, raw_actual, raw_high = v["target"], v.get("actual"), v.get("target_high")
    unit = str(v.get("measure") or "")
    column = check.spec.column("target").name
    try:
        value = parse_value(raw_target, "年度指标值", settings)
        direction = given or value.direction
        if direction is Direction.QUAL:
            if raw_actual is not None and find_tier(raw_actual, settings) is None:
                column = check.spec.column("actual").name
                names = " / ".join(t.phrase for t in settings.tiers)
                raise ParseError(f"定性指标的实际完成值应写明档次（{names}）：{raw_actual}")
            return _Normalized(direction, raw_target, None, raw_actual, unit)
        if value.quantity is None:
            raise ParseError(f"定量指标的年度指标值应为数字：{raw_target}")
        high = value.high
        if high is None and raw_high is not None:
            column = check.spec.column("target_high").name
            high = parse_quantity(raw_high, "区间上限")
        if direction is Direction.RANGE and high is None:
            column = check.spec.column("target_high").name
            raise ParseError("区间指标需填写区间上限")
        target, actual = value.quantity.number, None
        unit = unit or value.quantity.unit
        if raw_actual is not None:
            column = check.spec.column("actual").name
            quantity = parse_quantity(raw_actual, "实际完成值")
            target, actual = align(value.quantity, quantity)
            if high is not None:
                high = Quantity(align(high, quantity)[0], quantity.unit)
            unit = str(v.get("measure") or "") or quantity.unit or value.quantity.unit
            score_indicator(target, actual, 1, direction, None if high is None else high.number, settings)
    except RuleError as exc:
        check.fail(exc.message, column)
        return None
    for key, number in (("target", target), ("target_high", None if high is None else high.number),
                        ("actual", actual)):
        if number is not None and not finite(number):
            name = check.spec.column(key).name
            check.fail(f"{name}不是有限的数（无法写入单元格）：{v.get(key)} / not a finite number", name)
            return None
    return _Normalized(direction, _plain_number(target), None if high is None else _plain_number(high.number),
                       None if actual is None else _plain_number(actual), unit)


# --------------------------------------------------------------------------- the tables

def _table(frames: dict, spec: TableSpec, problems: list[RowProblem], notes: list[str]
           ) -> tuple[str, list[_Row]] | None:
    if spec.name not in frames:
        if spec.required:
            problems.append(RowProblem(spec.name, 0, f"缺少表“{spec.name}” / missing table {spec.name}"))
        return None
    shown, frame = frames[spec.name]
    rows = _rows(spec, shown, frame, problems, notes)
    return None if rows is None else (shown, rows)


def _duplicates(items: list, key, shown: str, what: str, problems: list[RowProblem]) -> set:
    """Keys given on more than one row: every such row is reported, none of them is filled."""
    seen: dict[Any, list[int]] = {}
    for item in items:
        seen.setdefault(key(item), []).append(item.row)
    dup = {k for k, rows in seen.items() if len(rows) > 1}
    for k in dup:
        for row in seen[k]:
            others = "、".join(str(r) for r in seen[k] if r != row)
            problems.append(RowProblem(shown, row, f"{what}重复（与第{others}行相同），均未生成"))
    return dup


def read_data(path: str | Path, project_system: IndicatorSystem,
              department_system: IndicatorSystem) -> FillData:
    """Read DATA; raises :class:`DataError` only when nothing can be read (missing table or column)."""
    frames = load_frames(path)
    problems: list[RowProblem] = []
    notes: list[str] = []
    tables = {spec.name: _table(frames, spec, problems, notes) for spec in TABLES}
    if problems:
        raise DataError(problems)
    data = FillData(str(path), problems=problems, notes=notes)
    _projects(data, tables[PROJECTS.name], tables[INDICATORS.name], project_system)
    if tables[UNITS.name] is not None:
        _units(data, tables[UNITS.name], tables[DEPARTMENT_INDICATORS.name], department_system)
    elif tables[DEPARTMENT_INDICATORS.name] is not None:
        data.notes.append("有“部门指标”表但没有“单位”表：未生成部门整体表")
    else:
        data.notes.append("没有“单位”表：只生成项目支出表，未生成部门整体表")
    order = {table[0]: i for i, table in enumerate(tables.values()) if table}      # by shown name
    data.problems.sort(key=lambda p: (order.get(p.table, len(order)), p.row))
    return data


def _indicators_by(owners: dict, table: tuple[str, list[_Row]] | None, spec: TableSpec,
                   owner_key, system: IndicatorSystem, problems: list[RowProblem]) -> dict:
    """Attach indicator rows to their owners; returns the owners with wrong indicator rows (their rows)."""
    spoiled: dict = {}
    if table is None:
        return spoiled
    shown, rows = table
    for row in rows:
        check = _RowCheck(spec, shown, row, problems)
        key = owner_key(row, check)
        if key is None:
            continue
        indicator = _indicator(check, system)
        if indicator is None:
            spoiled.setdefault(key, []).append(row.number)
        elif key in owners:
            owners[key].indicators.append(indicator)
    return spoiled


def _records(spec: TableSpec, table: tuple[str, list[_Row]], make, problems: list[RowProblem]) -> list:
    """The valid rows of a table as records (``make(row_number, **values)``)."""
    shown, rows = table
    records = []
    for row in rows:
        check = _RowCheck(spec, shown, row, problems)
        values = {c.key: (check.number(c.key) if c.type == NUMBER else check.text(c.key)) for c in spec.columns}
        if values.get("budget") == 0:
            check.fail("全年预算数为0，无法计算执行率", "全年预算数")
        if check.ok:
            records.append(make(row.number, **values))
    return records


def _keep_complete(owners: dict, spoiled: dict, shown: str, what: str, out: list,
                   problems: list[RowProblem], indicator_table: str) -> None:
    """Only owners whose indicator rows are all right, and who have some, are written."""
    for key, owner in owners.items():
        if key in spoiled:
            rows = "、".join(str(r) for r in spoiled[key])
            problems.append(RowProblem(shown, owner.row, f"{what}的指标行有错误（“{indicator_table}”第{rows}行），未生成"))
        elif not owner.indicators:
            problems.append(RowProblem(shown, owner.row, f"{what}没有指标行，未生成"))
        else:
            out.append(owner)


def _projects(data: FillData, table, indicator_table, system: IndicatorSystem) -> None:
    shown, rows = table
    projects = _records(PROJECTS, table, ProjectData, data.problems)
    for project in projects:
        project.implementer = project.implementer or project.unit
    dup = _duplicates(projects, lambda p: (p.unit, p.name), shown, "项目", data.problems)
    owners = {(p.unit, p.name): p for p in projects if (p.unit, p.name) not in dup}
    units_of: dict[str, set[str]] = {}          # every project row, valid or not: no second complaint
    for row in rows:
        units_of.setdefault(str(row.values.get("name") or ""), set()).add(str(row.values.get("unit") or ""))

    def owner(row: _Row, check: _RowCheck):
        name, unit = check.text("project"), row.values.get("unit")
        if not name:
            return None
        units = units_of.get(name, set())
        if not units:
            check.fail(f"“{shown}”表中没有项目“{name}”", "项目")
            return None
        if unit is None and len(units) > 1:
            check.fail(f"项目“{name}”在多个单位中都有，请填写单位", "单位")
            return None
        if unit is not None and str(unit) not in units:
            check.fail(f"单位“{unit}”没有项目“{name}”", "单位")
            return None
        return (str(unit) if unit is not None else next(iter(units)), name)

    spoiled = _indicators_by(owners, indicator_table, INDICATORS, owner, system, data.problems)
    _keep_complete(owners, spoiled, shown, "该项目", data.projects, data.problems,
                   indicator_table[0] if indicator_table else INDICATORS.name)


def _units(data: FillData, table, indicator_table, system: IndicatorSystem) -> None:
    shown, rows = table
    units = _records(UNITS, table, UnitData, data.problems)
    dup = _duplicates(units, lambda u: u.unit, shown, "单位", data.problems)
    owners = {u.unit: u for u in units if u.unit not in dup}
    known = {str(row.values.get("unit") or "") for row in rows}

    def owner(row: _Row, check: _RowCheck):
        unit = check.text("unit")
        if unit and unit not in known:
            check.fail(f"“{shown}”表中没有单位“{unit}”", "单位")
            return None
        return unit or None

    spoiled = _indicators_by(owners, indicator_table, DEPARTMENT_INDICATORS, owner, system, data.problems)
    _keep_complete(owners, spoiled, shown, "该单位的部门整体表", data.units, data.problems,
                   indicator_table[0] if indicator_table else DEPARTMENT_INDICATORS.name)
