"""The native formulas of excel_rules compute what selfeval_xl.core.rules computes.

Three judges: the ``formulas`` package on compiled formulas (thousands of hypothesis cases); LibreOffice
headless on one workbook of ~1,500 hypothesis-drawn cases (one soffice call); and ``formulas`` on the
first 300 of them. The UDF variant is judged by ``formulas`` with the SE_* functions registered through
the bridge.
"""
from __future__ import annotations

import functools
from decimal import Decimal

import formulas
import numpy as np
import openpyxl
import pytest
from hypothesis import HealthCheck, Phase, example, given, settings as hsettings, strategies as st

from selfeval_xl.core import excel_rules as xr
from selfeval_xl.engines import formulas_bridge
from selfeval_xl.core import rules, scoring
from selfeval_xl.core.excel_rules import IndicatorCells, NativeFormulas, UdfFormulas
from selfeval_xl.engines.libreoffice import recalculate
from selfeval_xl.core.rules import DEFAULT_SETTINGS, ReverseFormula, Settings, Tier

formulas_bridge.register()

LINEAR = Settings(reverse_formula=ReverseFormula.LINEAR)
OWN_TIERS = Settings(tiers=(Tier("a", "优秀完成", ("优秀",), 0.85, 1.0, 0.95),
                            Tier("b", "基本完成", ("基本",), 0.5, 0.85, 0.75),
                            Tier("c", "没有完成", ("没有",), 0.0, 0.5, 0.3)),
                     grades=((85.0, "A"), (70.0, "B"), (0.0, "C")))
ERROR, BLANK = "error", "blank"

amounts = st.decimals(min_value=0, max_value=100000, places=2).map(float)
rates = st.decimals(min_value=0, max_value=2, places=4).map(float)
counts = st.integers(min_value=0, max_value=100000).map(float)
values = st.one_of(amounts, rates, counts)
weights = st.one_of(st.decimals(min_value=0, max_value=60, places=2).map(float), st.sampled_from([2.5, 6.0, 10.0]))


@functools.lru_cache(maxsize=None)
def _compiled(text: str):
    return formulas.Parser().ast("=" + text)[1].compile()


def run(text: str, **cells):
    """Evaluate formula text with ``formulas``; ``cells`` maps references (A1 …) to values."""
    fn = _compiled(text)
    result = fn(*(cells[ref] for ref in fn.inputs))
    return np.asarray(result).item() if isinstance(result, np.ndarray) else result


def same(found, expected: Decimal) -> bool:
    return isinstance(found, (int, float)) and abs(found - float(expected)) < 1e-9


# --------------------------------------------------------------------------- hypothesis, formulas package

@hsettings(max_examples=1500, deadline=None)
@given(budget=amounts.filter(lambda b: b > 0), spent=amounts, weight=weights)
@example(budget=480.0, spent=58.0, weight=6.0)
def test_exec_rate_and_score_mirror_the_rules(budget, spent, weight):
    assert run(xr.exec_rate("A1", "B1"), A1=budget, B1=spent) == rules.exec_rate(budget, spent)
    found = run(xr.exec_score("A1", "B1", "C1"), A1=budget, B1=spent, C1=weight)
    assert same(found, rules.exec_score(budget, spent, weight))


@hsettings(max_examples=1500, deadline=None)
@given(direction=st.sampled_from(["≥", ">", "≤", "<", "="]), target=values, actual=values, weight=weights,
       rule_settings=st.sampled_from([DEFAULT_SETTINGS, LINEAR]), equal=st.booleans())
@example(direction="≥", target=200.0, actual=114.0, weight=2.5, rule_settings=DEFAULT_SETTINGS, equal=False)
@example(direction="≤", target=114.0, actual=200.0, weight=2.5, rule_settings=LINEAR, equal=False)
def test_quantitative_mirrors_the_rules(direction, target, actual, weight, rule_settings, equal):
    actual = target if equal else actual
    expected = rules.indicator_score(target, actual, weight, direction, rule_settings)
    cells = IndicatorCells("A1", "B1", "C1", "D1", "E1")
    found = run(NativeFormulas(rule_settings).indicator(cells), A1=direction, B1=target, C1=None, D1=actual,
                E1=weight)
    assert same(found, expected), (found, expected)
    mirror = {"≥": xr.positive_score, ">": xr.positive_score, "=": xr.equal_score}.get(direction)
    text = mirror("B1", "D1", "E1") if mirror else xr.reverse_score("B1", "D1", "E1", rule_settings)
    assert same(run(text, B1=target, D1=actual, E1=weight), expected)


@hsettings(max_examples=1500, deadline=None)
@given(low=values, high=values, actual=values, weight=weights)
def test_range_mirrors_the_rule(low, high, actual, weight):
    found = run(xr.range_score("A1", "B1", "C1", "D1"), A1=low, B1=high, C1=actual, D1=weight)
    if low > high:
        assert found == "#区间下限大于上限"
    else:
        assert same(found, rules.range_score(low, high, actual, weight))


tier_words = st.sampled_from([n for s in (DEFAULT_SETTINGS, OWN_TIERS) for t in s.tiers for n in t.names]
                             + ["较好", "有效提升", "", "未", "部分"])


@hsettings(max_examples=1500, deadline=None)
@given(parts=st.lists(tier_words, min_size=1, max_size=3), weight=weights,
       rule_settings=st.sampled_from([DEFAULT_SETTINGS, OWN_TIERS]))
def test_qualitative_tier_mirrors_find_tier(parts, weight, rule_settings):
    text = "".join(parts) or "x"
    found = run(xr.qual_score("A1", "B1", rule_settings), A1=text, B1=weight)
    tier = rules.find_tier(text, rule_settings)
    if tier is None:
        assert found == "#未知定性档次"
    else:
        assert same(found, rules.qual_score(tier, weight, rule_settings)), (text, found)


@hsettings(max_examples=1500, deadline=None)
@given(total=st.decimals(min_value=-10, max_value=110, places=2).map(float),
       rule_settings=st.sampled_from([DEFAULT_SETTINGS, OWN_TIERS]))
@example(total=90.0, rule_settings=DEFAULT_SETTINGS)
@example(total=89.99, rule_settings=DEFAULT_SETTINGS)
def test_grade_mirrors_the_rule(total, rule_settings):
    found = run(NativeFormulas(rule_settings).grade("A1"), A1=total)
    if 0 <= total <= 100:
        assert found == rules.grade(total, rule_settings)
    else:
        assert found == "#总分超出0-100"


@hsettings(max_examples=500, deadline=None)
@given(scores=st.lists(st.decimals(min_value=-5, max_value=60, places=2).map(float), min_size=12, max_size=12))
def test_totals_mirror_the_rules(scores):
    cells = {f"A{i + 1}": s for i, s in enumerate(scores)}
    refs = ",".join(cells)
    assert same(run(xr.total(refs), **cells), rules.total_score(scores))
    assert same(run(xr.clamped_total(refs), **cells), rules.clamp_total(rules.total_score(scores)))


@hsettings(max_examples=500, deadline=None)
@given(direction=st.sampled_from(["≥", "≤", "=", "区间", "定性"]), target=values, high=values, actual=values,
       weight=weights, tier=st.sampled_from([t.phrase for t in DEFAULT_SETTINGS.tiers]))
def test_udf_cells_agree_with_native_cells(direction, target, high, actual, weight, tier):
    cells = IndicatorCells("A1", "B1", "C1", "D1", "E1")
    inputs = dict(A1=direction, B1=target, C1=max(target, high), D1=tier if direction == "定性" else actual,
                  E1=weight)
    native, udf = run(NativeFormulas().indicator(cells), **inputs), run(UdfFormulas().indicator(cells), **inputs)
    assert same(udf, Decimal(str(native)))


def test_udf_formulas_refuse_settings_the_udfs_do_not_know():
    with pytest.raises(ValueError, match="native"):
        UdfFormulas(LINEAR)
    with pytest.raises(ValueError, match="native"):
        xr.formula_set("vba", DEFAULT_SETTINGS)


def test_formula_literals_parse_back_to_the_same_double():
    for value in (0.8, 1.0, 0.6, 0.1 + 0.2, 1 / 3, 90.0, -5.0):
        assert float(xr.number_text(value)) == value


# --------------------------------------------------------------------------- one workbook, ~1,500 cases

CELLS = IndicatorCells("A{r}", "B{r}", "C{r}", "D{r}", "E{r}")


@st.composite
def workbook_cases(draw) -> tuple[str, list]:
    """A row of inputs: kind, then direction, target, high, actual, weight (blanks and edge values too)."""
    def optional(strategy, percent_none=10):
        return None if draw(st.sampled_from(range(100))) < percent_none else draw(strategy)

    kind = draw(st.sampled_from(["ind", "ind", "ind", "linear", "exec", "grade"]))
    if kind == "exec":
        return kind, ["", optional(st.one_of(st.just(0.0), values)), None, optional(values),
                      optional(st.sampled_from([10.0, 6.0, 2.5]))]
    if kind == "grade":
        total = st.one_of(st.decimals(min_value=-5, max_value=105, places=2).map(float),
                          st.integers(-5, 105).map(float), st.sampled_from([90.0, 80.0, 60.0, 59.99, 89.99]))
        return kind, ["", optional(total), None, None, None]
    direction = draw(st.sampled_from(["≥", ">", "≤", "<", "=", "区间", "定性", "定性", "", "正向?"]))
    target = draw(values)
    actual = draw(st.one_of(values, st.just(target)))
    if direction == "定性":
        actual = draw(st.sampled_from([t.phrase for t in DEFAULT_SETTINGS.tiers] + ["部分达成", "较好", "未完成"]))
    high = draw(st.one_of(st.just(target), values.map(lambda v: target + v), st.just(target / 2)))
    return kind, [direction, target, high if direction == "区间" else None, optional(st.just(actual)),
                  optional(weights, percent_none=3)]


def hypothesis_cases(count: int) -> list[tuple[str, list]]:
    """Cases hypothesis generates (its edge-seeking draws included), collected for one workbook."""
    found: list[tuple[str, list]] = []

    @hsettings(max_examples=count, deadline=None, database=None, phases=[Phase.generate],
               suppress_health_check=list(HealthCheck))
    @given(case=workbook_cases())
    def collect(case):
        found.append(case)

    collect()
    return found


EDGE_CASES = [("ind", ["≥", 200.0, None, 114.0, 2.5]), ("exec", ["", 480.0, None, 58.0, 6.0]),
              ("ind", ["=", 200.0, None, 114.0, 2.5]), ("ind", ["区间", 200.0, 300.0, 114.0, 2.5]),
              ("ind", ["≤", 114.0, None, 200.0, 2.5]), ("linear", ["≤", 100.0, None, 114.5, 3.0]),
              ("exec", ["", 200.0, None, 114.0, 2.5]), ("ind", ["≥", 480.0, None, 58.0, 6.0])]


def expected_value(kind: str, row: list):
    """What the engine says for a case: a Decimal / str, or ERROR / BLANK."""
    direction, target, high, actual, weight = row
    try:
        if kind == "exec":
            if target is None or actual is None or weight is None:
                return BLANK
            return rules.exec_score(target, actual, weight)
        if kind == "grade":
            return BLANK if target is None else rules.grade(target)
        if actual is None or weight is None:
            return BLANK
        if direction == "":
            return ERROR
        score = scoring.score_indicator(target, actual, weight, direction, high,
                                        LINEAR if kind == "linear" else DEFAULT_SETTINGS).score
        return ERROR if score is None else score
    except rules.RuleError:
        return ERROR


def _formula(kind: str, mode: str, r: int) -> str:
    fx = xr.formula_set(mode, LINEAR if kind == "linear" else DEFAULT_SETTINGS)
    if kind == "exec":
        return fx.exec_score(f"B{r}", f"D{r}", f"E{r}")
    if kind == "grade":
        return fx.grade(f"B{r}")
    return fx.indicator(IndicatorCells(*(ref.format(r=r) for ref in (CELLS.direction, CELLS.target, CELLS.high,
                                                                        CELLS.actual, CELLS.weight))))


def case_book(path, cases, mode: str):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "cases"
    for r, (kind, row) in enumerate(cases, start=1):
        for c, value in enumerate(row, start=1):
            if value is not None:
                ws.cell(r, c, value)
        if not (mode == "udf" and kind == "linear"):
            ws.cell(r, 6, "=" + _formula(kind, mode, r))
    wb.save(path)
    return path


def judge(found, expected) -> bool:
    """A computed cell against the engine: BLANK is empty, ERROR a ``#…`` text, a float an unrounded
    double (执行率), a Decimal a rounded score, a str a grade."""
    if expected == BLANK:
        return found in (None, "")
    if expected == ERROR:
        return isinstance(found, str) and found.startswith("#")
    if isinstance(expected, str):
        return found == expected
    if isinstance(expected, float):
        return isinstance(found, (int, float)) and abs(found - expected) <= 1e-12 * max(1, abs(expected))
    return same(found, expected)


FORMULAS_CASES = 300


@pytest.fixture(scope="module")
def cases():
    return EDGE_CASES + hypothesis_cases(1500)


def _mismatches(values: dict[int, object], cases, skip_linear: bool = False):
    return [(r, kind, row, values.get(r), expected_value(kind, row))
            for r, (kind, row) in enumerate(cases, start=1)
            if not (skip_linear and kind == "linear") and not judge(values.get(r), expected_value(kind, row))]


@pytest.mark.libreoffice
@pytest.mark.slow
def test_libreoffice_computes_every_case_like_the_engine(tmp_path, cases):
    book = case_book(tmp_path / "cases.xlsx", cases, "native")
    (out,) = recalculate([book], tmp_path / "out")
    ws = openpyxl.load_workbook(out, data_only=True)["cases"]
    values = {r: ws.cell(r, 6).value for r in range(1, len(cases) + 1)}
    assert len(cases) > 1000
    assert _mismatches(values, cases) == []
    assert values[1] == 1.43 and values[2] == 0.73


@pytest.mark.slow
@pytest.mark.parametrize("mode", ["native", "udf"])
def test_formulas_package_computes_every_case_like_the_engine(tmp_path, cases, mode):
    cases = cases[:FORMULAS_CASES]      # formulas takes ~30 ms a formula: a fifth of the book is plenty
    book = case_book(tmp_path / f"cases-{mode}.xlsx", cases, mode)
    solution = formulas_bridge.calculate(book)
    values = {int(key.split("!F")[1]): value for key, value in solution.items() if "!F" in key}
    assert _mismatches(values, cases, skip_linear=mode == "udf") == []
    assert values[1] == 1.43 and values[2] == 0.73
