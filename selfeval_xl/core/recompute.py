"""What every computed cell of a table SHOULD hold, computed once with the engine.

Two users, one computation: the checks compare these values with what the workbook states, and the
writeback writes them into the workbook. Every number comes from :mod:`selfeval_xl.core.rules` and
:mod:`selfeval_xl.core.scoring`; nothing here re-implements a rule.

For each target cell :func:`recompute` gives an :class:`Expected` with two values:

- ``value`` — what the cell holds after a full recompute (every score recomputed from its inputs).
  This is what the writeback writes.
- ``from_stated`` — what the cell should hold given what the *other* cells state (a 小计 or 总分 as the
  sum of the scores as typed). Equal to ``value`` for cells computed from inputs only (执行率, a score).
  The arithmetic checks (total-mismatch, subtotal-mismatch …) compare with this, so one wrong score is
  reported once, at its own cell, and not again at every sum above it.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache, partial
from decimal import Decimal
from typing import Any, Callable

from . import rules
from .excel_rules import native_blocked_inputs
from .layout import normalize_label
from .model import Cell, IndicatorRow, Table
from .parse import PERCENT_UNCLEAR, ExecRule, bare_figure, number, parse_deadline, parse_exec_rule, parse_number, percent_in_format
from .rules import Band, RuleError, Tier
from .scoring import Scored, score_indicator
from .system import IndicatorSystem, Level

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class Expected:
    """One computed cell: where it is, what it should hold, and how that was computed.

    ``what`` is one of ``exec_rate``, ``exec_score``, ``score``, ``subtotal``, ``total``,
    ``grade``, ``dept_rate``, ``funds_total``. Rates are fractions (0.9976 for 99.76%); ``places`` is
    the precision a stated value is compared at (None: the 2 places of a score).
    """

    cell: Cell
    what: str
    value: Any
    from_stated: Any = None
    row: IndicatorRow | None = None
    places: int | None = None
    how: str | Callable[[], str] = ""   # the note, or (an indicator's score) the function that words it

    @property
    def note(self) -> str:
        """How the value was computed, as a message quotes it: worded when a message asks (most cells
        are never reported)."""
        return self.how if isinstance(self.how, str) else self.how()


@dataclass
class RowResult:
    """An indicator row recomputed: its weight, stated and expected score, and why it could not be.

    ``stated`` is the score as typed: None for a blank, words, or a formula (which states what it
    computes — ``expected`` — whatever value was cached)."""

    row: IndicatorRow
    level: Level | None
    weight: Decimal | None
    stated: Decimal | None
    expected: Decimal | None
    scored: Scored | None = None
    error: RuleError | None = None
    error_cell: Cell | None = None     # the cell ``error`` or ``unclear`` points at
    unclear: RuleError | None = None   # a value our native formula reads as stored but a reader cannot
    out_of_band: bool = False
    blocked: tuple[str, ...] = ()      # inputs our native template's score formula cannot compute
    shown: str | None = None           # the ``#…`` text its score cell then shows instead of a score

    @property
    def qualitative(self) -> bool:
        return self.scored is not None and self.scored.direction is rules.Direction.QUAL

    @property
    def reviewed(self) -> bool:
        """Its score was recomputed from its inputs. A row read but not understood (a target the parser
        cannot read, a 定性 phrase naming no tier, a % it cannot place) keeps its stated score unverified:
        it is *not reviewed*, and a file with such a row is never 通过."""
        return self.expected is not None and self.unclear is None and not (self.qualitative and self.tier is None)

    @property
    def tier(self) -> Tier | None:
        return self.scored.tier if self.scored else None


@dataclass
class Recomputed:
    """The recomputation of one table under one indicator system."""

    table: Table
    system: IndicatorSystem
    cells: dict[str, Expected] = field(default_factory=dict)     # by Cell.address
    rows: list[RowResult] = field(default_factory=list)           # kind == "indicator" rows
    exec_rate: float | None = None
    exec_score: Decimal | None = None
    exec_weight: Decimal | None = None
    exec_rule: ExecRule | None = None       # the rule the funds block states in words, where it states one
    exec_rule_cell: Cell | None = None
    level_scores: dict[str, Decimal] = field(default_factory=dict)
    bonus: Decimal = ZERO                   # the 加减分 counted: as stated, within the system's bounds
    bonus_stated: Decimal = Decimal(0)      # the 加减分 rows' scores as stated
    total: Decimal | None = None
    grade: str | None = None
    stated_total: Decimal | None = None

    @property
    def bonus_bounds(self) -> tuple[Decimal, Decimal]:
        """The least and most 加减分 may add up to (a setting of the system)."""
        settings = self.system.settings
        return Decimal(str(settings.bonus_min)), Decimal(str(settings.bonus_max))

    @property
    def unreviewed(self) -> int:
        return sum(not o.reviewed for o in self.rows)

    def add(self, expected: Expected) -> None:
        self.cells[expected.cell.address] = expected

    def expected(self, cell: Cell | None) -> Expected | None:
        return None if cell is None else self.cells.get(cell.address)

    def of_kind(self, what: str) -> list[Expected]:
        return [e for e in self.cells.values() if e.what == what]

    def writes(self) -> list[tuple[str, str, Any]]:
        """(sheet, ref, value) for every cell whose value is known: what the writeback puts in. A score
        formula of our native template that cannot compute its inputs gets the ``#…`` text it shows."""
        shown = [(o.row.cells["score"].sheet, o.row.cells["score"].ref, o.shown)
                 for o in self.rows if o.shown]
        return [(e.cell.sheet, e.cell.ref, e.value) for e in self.cells.values() if e.value is not None] + shown


RATE_KINDS = ("exec_rate", "dept_rate")


def rate_readings(cell: Cell | None) -> tuple[Decimal, ...]:
    """The fractions a stated rate may mean, decided from what the cell shows, never from its size.

    ``"99.76%"`` typed as text, or a number in a cell formatted as a percentage (2.53 shown as 253%), is
    that fraction; a number whose format prints a literal % (99.76 in ``0.00"%"``) is the figure. A number
    shown without a % sign (a General cell, or a source that gives no number
    formats, like .xls values) reads two ways: the fraction itself (0.9976, or 2.53 for a real 253%) or
    the percent figure typed without its sign (99.76 for 99.76%). Both are kept; the stated rate is
    right when either reading is."""
    value = number(cell)
    if value is None:
        return ()
    if isinstance(cell.value, str) and cell.text.endswith(("%", "％")):
        return (value,)
    kind = percent_in_format(cell.number_format)
    if kind == "literal":                   # 98 in a cell formatted 0"%": the figure, shown with a % sign
        return (value / 100,)
    if kind == "scaled" or value == 0:
        return (value,)
    return (value, value / 100)


def rate_number(cell: Cell | None, near: Any = None) -> Decimal | None:
    """A stated rate as a fraction: of its :func:`rate_readings`, the one nearest ``near`` (the
    recomputed rate), so a message quotes the reading the author meant; None if blank or words."""
    readings = rate_readings(cell)
    if not readings:
        return None
    if near is None:
        return readings[0]
    target = Decimal(str(near))
    return min(readings, key=lambda r: abs(r - target))


def places_of(value: Decimal, minimum: int = 2) -> int:
    """The decimals a stated rate was typed or stored with (99.76% → 0.9976 → 4), capped at 10."""
    exponent = value.normalize().as_tuple().exponent
    return min(max(-exponent if isinstance(exponent, int) else 0, minimum), 10)


_normalized = lru_cache(maxsize=4096)(normalize_label)


def match_level(levels: tuple[Level, ...], text: str) -> Level | None:
    """The level a row's 一级 / 二级 text names: equal, or one the prefix of the other (满意度 ~ 满意度指标)."""
    t = _normalized(text)
    if not t:
        return None
    for level in levels:
        if t == _normalized(level.name):
            return level
    for level in levels:
        name = _normalized(level.name)
        if len(t) >= 2 and (name.startswith(t) or t.startswith(name)):
            return level
    return None


def recompute(table: Table, system: IndicatorSystem) -> Recomputed:
    """Recompute every computed cell of ``table``; never raises for bad cell contents."""
    result = Recomputed(table, system)
    if table.budget_scored:
        _project_funds(table, system, result)
    else:
        _dept_funds(table, result)
    for row in table.rows("indicator"):
        result.rows.append(_score_row(row, system, result))
    _levels_and_total(table, system, result)
    return result


# --------------------------------------------------------------------------- funds

def _sum_rows(result: Recomputed, table: Table, total_key: str, parts: tuple[str, ...], columns: tuple[str, ...]
              ) -> None:
    total = table.funds.get(total_key)
    rows = [table.funds[k] for k in parts if k in table.funds]
    if total is None or not rows:
        return
    names = " + ".join(r.label.text for r in rows)
    for column in columns:
        if total.get(column) is None:
            continue
        values = [number(r.get(column)) for r in rows]
        if all(v is None for v in values):
            continue
        value = sum((v for v in values if v is not None), Decimal(0))
        result.add(Expected(total.cells[column], "funds_total", value, value, how=names))


def _parts(table: Table) -> tuple[str, ...]:
    """The rows the total row sums: every other row of the funds block, whichever its layout declares
    (当年财政拨款 + 上年结转资金 + 其他资金; 财政资金 + 财政专户管理资金 + 单位资金 + 其他资金; 基本 + 项目支出)."""
    return tuple(key for key in table.funds if key != "total")


def _amounts(result: Recomputed, row) -> tuple[tuple[Decimal | None, Decimal | None],
                                              tuple[Decimal | None, Decimal | None]]:
    """A funds row's (budget, spent): after a full recompute (a 合计 / 年度资金总额 as the sum of its parts,
    which the writeback writes), and as the cells state them now."""
    stated = number(row.get("budget")), number(row.get("spent"))

    def full(key: str, value: Decimal | None) -> Decimal | None:
        e = result.expected(row.get(key))
        return e.value if e is not None and e.what == "funds_total" else value
    return (full("budget", stated[0]), full("spent", stated[1])), stated


def _try_rate(budget: Decimal | None, spent: Decimal | None) -> float | None:
    if budget is None or spent is None:
        return None
    try:
        return rules.exec_rate(budget, spent)
    except RuleError:
        return None


def _rate(result: Recomputed, row, what: str) -> float | None:
    """A rate cell: ``value`` from the recomputed amounts (what the writeback writes, beside the amounts it
    writes), ``from_stated`` from the amounts as stated (what the rate's formula computes now, and what a
    typed rate is held to). Returns the stated rate."""
    (budget, spent), (stated_budget, stated_spent) = _amounts(result, row)
    rate, stated_rate = _try_rate(budget, spent), _try_rate(stated_budget, stated_spent)
    cell = row.get("rate")
    if cell is not None and (rate is not None or stated_rate is not None):
        value = None if rate is None else parse_number(rate)        # the double as stored (15 digits)
        from_stated = None if stated_rate is None else parse_number(stated_rate)
        shown = rate_number(cell, from_stated if from_stated is not None else value)
        result.add(Expected(cell, what, value, from_stated, places=places_of(shown, 4) if shown is not None else 4,
                            how=f"{stated_spent} / {stated_budget}"))
    return stated_rate


def _project_funds(table: Table, system: IndicatorSystem, result: Recomputed) -> None:
    _sum_rows(result, table, "total", _parts(table), ("initial", "budget", "spent"))
    total = table.funds.get("total")
    if total is None:
        return
    weight = number(total.get("weight"))
    note = total.get("note")
    rule = parse_exec_rule(note.value) if note is not None else None
    result.exec_rule, result.exec_rule_cell = rule, note if rule is not None else None
    if weight is None and rule is not None and rule.weight is not None:
        weight = rule.weight                     # "20分*执行率" in a form without a 分值 cell
    result.exec_weight = weight if weight is not None else system.budget_execution_weight
    result.exec_rate = _rate(result, total, "exec_rate")
    if rule is not None and not rule.understood:     # a rule in other words: not reviewed, not guessed;
        result.exec_score = number(total.get("score"))   # the score stands as stated for the sums above it
        return
    _scored_parts(table, result)
    result.exec_score = _exec_scored(result, total, result.exec_weight)


def _exec_scored(result: Recomputed, row, weight: Decimal, label: str = "") -> Decimal | None:
    """A funds row's 预算执行 score, MIN(执行率, 1) × ``weight``, after a full recompute (None where no rate can
    be computed), its 得分 cell held to the score the stated amounts give. ``label`` names a part row in
    the message (the total's says 执行率)."""
    (budget, spent), (stated_budget, stated_spent) = _amounts(result, row)
    if _try_rate(budget, spent) is None:
        return None
    score = rules.exec_score(budget, spent, weight)
    from_stated = (rules.exec_score(stated_budget, stated_spent, weight)
                   if _try_rate(stated_budget, stated_spent) is not None else None)
    if row.get("score") is not None:
        how = f"{label}：MIN({stated_spent} / {stated_budget}, 1)" if label else "MIN(执行率, 1)"
        result.add(Expected(row.cells["score"], "exec_score", score, from_stated, how=f"{how} × {weight}"))
    return score


def _scored_parts(table: Table, result: Recomputed) -> None:
    """Funds rows below the total that carry a 分值 and 得分 of their own (Guizhou's 基本支出 / 项目支出 under
    年度资金总额, one stated rule "执行率*该指标分值，最高不得超过分值上限" for all): each scored as the total is.
    They are parts of the 预算执行 score, not added to 总分."""
    for key, row in table.funds.items():
        weight, score = number(row.get("weight")), row.get("score")
        if key == "total" or weight is None or score is None:
            continue
        if _rate(result, row, "exec_rate") is None:       # the stated amounts give no rate: nothing to hold
            continue
        _exec_scored(result, row, weight, row.label.text)


def _dept_funds(table: Table, result: Recomputed) -> None:
    _sum_rows(result, table, "total", _parts(table), ("budget", "spent"))
    for key, row in table.funds.items():
        rate = _rate(result, row, "dept_rate")
        if key == "total":
            result.exec_rate = rate


# --------------------------------------------------------------------------- indicator rows

def _error_cell(row: IndicatorRow, error: RuleError) -> Cell | None:
    message = error.message
    for key, words in (("actual", "实际完成值"), ("weight", "分值"), ("direction", "指标性质"),
                       ("target_high", "区间上限"), ("target", "")):
        if words in message and row.get(key) is not None:
            return row.get(key)
    return row.get("target")


def _score_row(row: IndicatorRow, system: IndicatorSystem, result: Recomputed) -> RowResult:
    level = match_level(system.levels, row.level1)
    score_cell = row.get("score")
    weight = number(row.get("weight"))
    stated = None if score_cell is not None and score_cell.formula else number(score_cell)
    out = RowResult(row, level, weight, stated, None)
    if weight is None:
        return out
    direction = row.direction or _named_direction(row, system)
    bands = system.bands_for(row.level3)
    as_stored = _native_formula(row, result.table)
    blocked = _native_blocked(row, bands) if as_stored else []
    if blocked:
        out.blocked, out.shown = tuple(key for key, _ in blocked), blocked[0][1]
        return out

    target, actual = _with_unit(row, "target"), _with_unit(row, "actual")

    def scored(formats: dict[str, str | None] | None) -> Scored:
        return score_indicator(target, actual, weight, direction, row.value("target_high"),
                               system.settings, bands, result.table.year, formats)
    formats = _value_formats(row)
    try:
        out.scored = scored(None if as_stored else formats)
    except RuleError as exc:
        out.error, out.error_cell = exc, _error_cell(row, exc)
        return out
    if as_stored:           # our formula compares the numbers as stored; still say when a reader cannot tell
        try:
            scored(formats)
        except RuleError as exc:
            if exc.short == PERCENT_UNCLEAR:
                out.unclear, out.error_cell = exc, _error_cell(row, exc)
    out.expected = _qualitative_score(out, system) if out.qualitative else out.scored.score
    if row.get("score") is not None and out.expected is not None:
        result.add(Expected(row.cells["score"], "score", out.expected, out.expected, row,
                            how=partial(_how, out)))
    return out


def _named_direction(row: IndicatorRow, system: IndicatorSystem) -> Any:
    """The direction the system names for the row's indicator (公用经费控制率 ≤), where the row states none:
    no 指标性质, and a 年度指标值 that is a bare figure (``100%``), which would otherwise be read as ≥."""
    spec = _specs_by_name(system).get(normalize_label(row.level3))
    return spec.direction if spec is not None and bare_figure(row.value("target")) else None


@lru_cache(maxsize=None)
def _specs_by_name(system: IndicatorSystem) -> dict[str, Any]:
    return {normalize_label(spec.name): spec for spec in system.specs}


def _with_unit(row: IndicatorRow, key: str) -> Any:
    """A value whose unit was split off into the 度量单位 column, with it put back: 100 beside ``%`` is
    100%, 72890 beside ``元`` is 72890元. A value that shows a unit of its own (``98%``, 0.98 in a ``0%``
    cell, ``162天``), a 定性 phrase, or a number whose cell format is not known is kept as it is."""
    value, unit = row.value(key), row.get("unit")
    if unit is None or unit.blank or value is None or isinstance(value, bool):
        return value
    cell = row.cells[key]
    if cell.number_format is None or percent_in_format(cell.number_format):
        return value            # a format not known (.xls, a fill's own table): read as stored, as before
    text = str(value).strip() if isinstance(value, str) else format(parse_number(value), "f")
    if not text or not text[-1].isdigit():
        return value
    return text + unit.text


def _value_formats(row: IndicatorRow) -> dict[str, str | None]:
    """The number format of the row's 年度指标值, 区间上限 and 实际完成值, so each is read as it shows."""
    return {key: cell.number_format for key in ("target", "target_high", "actual")
            if (cell := row.get(key)) is not None}


def _native_formula(row: IndicatorRow, table: Table) -> bool:
    """The row's score is our native template's formula, which reads the numbers as stored."""
    score = row.get("score")
    return table.formulas == "native" and score is not None and bool(score.formula)


def _native_blocked(row: IndicatorRow, bands: tuple[Band, ...]) -> list[tuple[str, str]]:
    """In our native template (a row whose score is its formula: :func:`_native_formula`), the inputs
    the row's score formula cannot compute (text where it needs a number, a 指标性质 not from its list).
    The spreadsheet then shows ``#…`` and its sums skip the row; so does the recomputation, or a
    values-only reader would see a score Excel never shows."""
    return native_blocked_inputs(row.value("direction"), row.value("target"), row.value("target_high"),
                                 row.value("actual"), row.value("weight"), bool(bands))


def _qualitative_score(out: RowResult, system: IndicatorSystem) -> Decimal | None:
    """定性: the tier's default when no score is typed, else the typed score if inside the tier's band."""
    tier, stated, weight = out.tier, out.stated, out.weight
    if tier is None:
        return stated if stated is not None and 0 <= stated <= weight else None
    default = rules.qual_score(tier, weight, system.settings)
    if stated is None:
        return default
    if rules.qual_score_in_band(tier, weight, stated) or rules.xl_round(stated) == default:
        return rules.xl_round(stated)
    out.out_of_band = True
    return default


def _how(out: RowResult) -> str:
    s = out.scored
    if s is None:
        return ""
    if s.bands:
        return f"分档（{rules.describe_bands(s.bands)}），实际 {s.actual:.2%}"
    if s.direction is rules.Direction.QUAL:
        return f"定性：{s.tier.phrase}" if s.tier else "定性：按所填得分"
    if s.direction is rules.Direction.RANGE:
        return f"区间 [{s.target:g}, {s.high:g}]，实际 {s.actual:g}"
    if parse_deadline(out.row.value("target")) is not None and s.target is not None:
        return f"时效：{out.row.get('target').text}，实际 {out.row.get('actual').text}（第 {s.target:g} 天 / 第 {s.actual:g} 天）"
    return f"{s.direction.value}{s.target:g}，实际 {s.actual:g}"


# --------------------------------------------------------------------------- levels, total, grade

def _stated_or(cell: Cell | None, fallback: Decimal | None) -> Decimal | None:
    """What a cell states for the sums above it: its number, or (blank, words, or a formula — which
    states what it computes, whatever stale value was cached) the recomputed ``fallback``."""
    if cell is not None and cell.formula:
        return fallback
    value = number(cell)
    return value if value is not None else fallback


def _kept(out: RowResult) -> Decimal | None:
    """What a row's 得分 cell holds after a full recompute: the recomputed score; for a row that cannot be
    scored, the ``#…`` text our native formula shows (nothing to add), else the score as stated, which the
    writeback leaves in place — so the 总分 it writes is the sum of the 得分 cells it leaves."""
    if out.expected is not None:
        return out.expected
    return None if out.shown else out.stated


def _levels_and_total(table: Table, system: IndicatorSystem, result: Recomputed) -> None:
    settings = system.settings
    stated_levels: dict[str, Decimal] = {}
    for out in result.rows:
        name = out.level.name if out.level else out.row.level1
        result.level_scores[name] = result.level_scores.get(name, ZERO) + (_kept(out) or ZERO)
        stated_levels[name] = stated_levels.get(name, ZERO) + (_stated_or(out.row.get("score"), out.expected)
                                                               or ZERO)
    for row in table.rows("subtotal"):
        level = match_level(system.levels, row.level1)
        name = level.name if level else row.level1
        if row.get("score") is not None:
            result.add(Expected(row.cells["score"], "subtotal", result.level_scores.get(name, ZERO),
                                stated_levels.get(name, ZERO), row, how=f"{name}各项得分之和"))
        stated = _stated_or(row.get("score"), None)
        if stated is not None:
            stated_levels[name] = stated
    bonus_stated = sum((s for r in table.rows("bonus") if (s := number(r.get("score"))) is not None), Decimal(0))
    low, high = result.bonus_bounds
    result.bonus_stated, result.bonus = bonus_stated, min(max(bonus_stated, low), high)
    if not table.budget_scored:
        total = rules.clamp_total(sum(result.level_scores.values(), ZERO) + result.bonus)
        from_stated = rules.clamp_total(sum(stated_levels.values(), ZERO) + bonus_stated)
    else:
        score_cell = table.funds["total"].get("score") if "total" in table.funds else None
        expected = result.expected(score_cell)
        exec_stated = _stated_or(score_cell, expected.from_stated if expected is not None else result.exec_score)
        total = rules.total_score([result.exec_score, *result.level_scores.values()])
        from_stated = rules.total_score([exec_stated, *stated_levels.values()])
    result.total = total
    try:
        result.grade = rules.grade(total, settings)
    except RuleError:            # a kept score above its 分值 can carry a total past 100: no grade then
        result.grade = None
    result.stated_total = number(table.total)
    if table.total is not None:
        result.add(Expected(table.total, "total", total, from_stated, how="各项得分之和"))
    if table.grade is not None and not rules.grade_legend(table.grade.value, table.grade_row, settings):
        basis = result.stated_total if result.stated_total is not None else from_stated
        try:
            grade_stated = rules.grade(basis, settings)
        except RuleError:
            grade_stated = None
        # a word for the grade it should be (优秀 for 优) is right as typed: written back as it stands
        kept = result.grade is not None and rules.grade_named(table.grade.text, settings) == result.grade
        result.add(Expected(table.grade, "grade", table.grade.text if kept else result.grade, grade_stated,
                            how="按总分定等级"))
