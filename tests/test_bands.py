"""Banded rates: a system that cites bands for a rate (here the test system tests/data/banded-department.yaml,
预算调整率 0 → full, ≤5% → 80% …) scores a row by them end to end. No built-in system holds bands today:
none has a published source for them (SPEC: built-in systems hold only sourced rules).

One lookup (``IndicatorSystem.bands_for``) decides that a row's 三级指标 names a banded indicator; the
engine (scoring / recompute / checks) then scores its 实际完成值 with ``rules.band_score``, and the
template's formula mirrors that — judged by the ``formulas`` package (hypothesis) and by LibreOffice.
"""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, Phase, example, given, settings as hsettings, strategies as st

from check_workbooks import DEPARTMENT_ROWS, build_department
from test_excel_rules import run as judge_run, same  # one formula judge for the mirrors of every rule
from selfeval_xl.core import excel_rules as xr
from selfeval_xl.engines import formulas_bridge
from selfeval_xl.core import rules, scoring
from selfeval_xl.checks import check_workbook
from selfeval_xl.core.excel_rules import IndicatorCells, NativeFormulas, UdfFormulas
from selfeval_xl.read import read_workbook
from selfeval_xl.core.recompute import recompute
from selfeval_xl.core.rules import Band
from selfeval_xl.core.system import load_system
from selfeval_xl.template.writer import build_template, save_workbook
from selfeval_xl.template.plan import template_map

formulas_bridge.register()

SYSTEM = load_system(Path(__file__).parent / "data" / "banded-department.yaml")
BANDS = SYSTEM.bands_for("预算调整率")
NAME = "预算调整率"

uptos = st.decimals(min_value=0, max_value=Decimal("0.3"), places=3).map(float)
fractions = st.decimals(min_value=0, max_value=1, places=2).map(float)
band_sets = st.lists(st.builds(Band, uptos, fractions), min_size=1, max_size=4)
rates = st.one_of(st.decimals(min_value=Decimal("-0.05"), max_value=Decimal("0.5"), places=4).map(float),
                  st.sampled_from([0.0, 0.05, 0.1, 0.1001, 0.0499]))
non_negative_rates = rates.map(abs)   # the plain rules refuse a negative actual; the native formulas do not check
weights = st.one_of(st.decimals(min_value=0, max_value=20, places=2).map(float), st.sampled_from([2.0, 2.29, 16.0]))


def run(text: str, **cells):
    """The formula judge of test_excel_rules, with a None cell as a blank cell."""
    from schedula.utils.cst import EMPTY

    return judge_run(text, **{ref: EMPTY if value is None else value for ref, value in cells.items()})


# --------------------------------------------------------------------------- the system's data, the lookup

def test_the_department_system_declares_its_bands_and_one_lookup_finds_them():
    assert BANDS == (Band(0.0, 1.0), Band(0.05, 0.8), Band(0.1, 0.6))
    assert SYSTEM.banded == {NAME: BANDS}
    assert SYSTEM.bands_for(f"  {NAME} ") == BANDS
    assert SYSTEM.bands_for("预算完成率") == () and SYSTEM.bands_for(None) == ()
    assert load_system(kind="project").banded == {}
    assert load_system(kind="department").banded == {}     # the built-in systems cite no bands


def test_bands_must_cite_their_source(tmp_path):
    from selfeval_xl.core.datafiles import DataFileError

    text = (Path(__file__).parent / "data" / "banded-department.yaml").read_text(encoding="utf-8")
    bare = tmp_path / "bare.yaml"
    bare.write_text("\n".join(line for line in text.splitlines() if "source: tests/data" not in line), encoding="utf-8")
    with pytest.raises(DataFileError, match="source"):
        load_system(bare)


def test_bands_in_words():
    assert rules.describe_bands(BANDS) == "≤0%得100%；≤5%得80%；≤10%得60%；超过10%得0"


# --------------------------------------------------------------------------- the engine

@pytest.mark.parametrize("actual", [0.03, "3%", "3％", "0.03", Decimal("0.03"), " 3% "])
def test_a_banded_rate_is_read_as_typed_and_scored_by_its_band(actual):
    scored = scoring.score_indicator("0%", actual, 2, "≤", bands=BANDS)
    assert scored.score == Decimal("1.60") and scored.bands == BANDS and scored.actual == 0.03


@pytest.mark.parametrize("actual, score", [(0, "16.00"), (-0.01, "16.00"), (0.05, "12.80"), ("5%", "12.80"),
                                           (0.0501, "9.60"), ("10%", "9.60"), (0.1001, "0.00"), ("25%", "0.00")])
def test_every_band_and_its_edges(actual, score):
    assert scoring.score_indicator(None, actual, 16, bands=BANDS).score == Decimal(score)


def test_a_typed_percent_is_the_double_excel_stores_not_a_product():
    """``57%`` is stored as the double nearest 0.57; 57 × 0.01 is a hair above, which would miss the band."""
    bands = (Band(0.57, 1.0),)
    assert 57 * 0.01 > 0.57
    assert scoring.score_indicator(None, "57%", 3, bands=bands).score == Decimal("3.00")


def test_the_direction_and_target_do_not_matter_but_bad_actuals_are_errors():
    plain = scoring.score_indicator("0%", "3%", 2, "≤")
    assert plain.score == Decimal("0.00")                                 # what the row scored before bands
    for direction in ("≤", "≥", "定性", "", None):
        assert scoring.score_indicator("0%", "3%", 2, direction, bands=BANDS).score == Decimal("1.60")
    for actual in (None, "", "约百分之三", "3天", True):
        with pytest.raises(rules.RuleError):
            scoring.score_indicator("0%", actual, 2, "≤", bands=BANDS)


# --------------------------------------------------------------------------- the native mirror (formulas)

@hsettings(max_examples=1000, deadline=None)
@given(bands=band_sets, rate=rates, weight=weights)
@example(bands=list(BANDS), rate=0.05, weight=2.29)
@example(bands=list(BANDS), rate=0.1, weight=16.0)
def test_band_formula_mirrors_the_rule(bands, rate, weight):
    found = run(xr.band_score("A1", bands, "B1"), A1=rate, B1=weight)
    assert same(found, rules.band_score(rate, bands, weight)), (found, bands, rate, weight)


CELLS = IndicatorCells("A1", "B1", "C1", "D1", "E1", "F1")


@hsettings(max_examples=300, deadline=None)
@given(bands=band_sets, rate=st.one_of(non_negative_rates, st.none()), weight=st.one_of(weights, st.none()),
       level3=st.sampled_from([NAME, f" {NAME} ", "预算完成率"]), direction=st.sampled_from(["≤", "≥", "定性"]),
       mode=st.sampled_from(["native", "udf"]))
def test_the_score_cell_bands_exactly_the_rows_the_engine_bands(bands, rate, weight, level3, direction, mode):
    system_bands = {NAME: tuple(bands)}
    fx = xr.formula_set(mode, rules.DEFAULT_SETTINGS, system_bands)
    found = run(fx.indicator(CELLS), A1=direction, B1=0.05, C1=None, D1=rate, E1=weight, F1=level3)
    if rate is None or weight is None:
        assert found == ""
        return
    row_bands = system_bands.get(level3.strip(), ())
    try:
        expected = scoring.score_indicator(0.05, rate, weight, direction, bands=row_bands).score
    except rules.RuleError:
        expected = None
    if expected is None:
        assert isinstance(found, str) and found.startswith("#")
    else:
        assert same(found, expected), (found, expected)


def test_without_bands_the_formulas_are_unchanged():
    cells = IndicatorCells("A1", "B1", "C1", "D1", "E1")
    assert NativeFormulas().indicator(cells) == NativeFormulas(banded=()).indicator(
        IndicatorCells("A1", "B1", "C1", "D1", "E1", "F1"))
    assert "TRIM" not in UdfFormulas().indicator(cells)


# --------------------------------------------------------------------------- LibreOffice, one batch

def _band_cases(count: int) -> list[tuple[list[Band], float | None, float]]:
    found = []

    @hsettings(max_examples=count, deadline=None, database=None, phases=[Phase.generate],
               suppress_health_check=list(HealthCheck))
    @given(bands=band_sets, rate=st.one_of(rates, rates, st.none()), weight=weights)
    def collect(bands, rate, weight):
        found.append((bands, rate, weight))

    collect()
    return [(list(BANDS), r, 2.29) for r in (0.0, 0.05, 0.0501, 0.1, 0.1001, None)] + found


@pytest.mark.libreoffice
def test_libreoffice_computes_band_formulas_like_the_engine(tmp_path):
    from selfeval_xl.engines.libreoffice import recalculate

    cases = _band_cases(300)
    wb = openpyxl.Workbook()
    ws = wb.active
    for r, (bands, rate, weight) in enumerate(cases, start=1):
        ws.cell(r, 1, NAME)
        if rate is not None:
            ws.cell(r, 2, rate)
        ws.cell(r, 3, weight)
        fx = NativeFormulas(banded=((NAME, tuple(bands)),))
        ws.cell(r, 4, "=" + fx.indicator(IndicatorCells('"≤"', "0", '""', f"B{r}", f"C{r}", f"A{r}")))
    wb.save(tmp_path / "bands.xlsx")
    (out,) = recalculate([tmp_path / "bands.xlsx"], tmp_path / "out")
    values = openpyxl.load_workbook(out, data_only=True).active
    wrong = []
    for r, (bands, rate, weight) in enumerate(cases, start=1):
        found = values.cell(r, 4).value
        if rate is None:
            ok = found in (None, "")
        else:
            ok = same(found, rules.band_score(rate, bands, weight))
        if not ok:
            wrong.append((r, bands, rate, weight, found))
    assert len(cases) > 250 and wrong == []


# --------------------------------------------------------------------------- the checker

def _banded_rows(actual, score):
    """The hand-typed department table with its first row as 预算调整率 (weight 16)."""
    first = ("管理效能", "资金管理", NAME, "≤0%", actual, 16, score, "年中追加预算")
    return [first, *DEPARTMENT_ROWS[1:]]


def _subtotals(score: float) -> dict:
    return {"管理效能": (45, round(27.8 + score, 2)), "履职效能": (50, 50)}


@pytest.mark.parametrize("actual", ["3%", 0.03])
@pytest.mark.parametrize("text_numbers", [False, True])
def test_a_correct_banded_score_gives_no_finding(tmp_path, actual, text_numbers):
    built = build_department(tmp_path / "ok.xlsx", rows=_banded_rows(actual, 12.8), subtotals=_subtotals(12.8),
                             total=90.6, text_numbers=text_numbers)
    report = check_workbook(read_workbook(built.path), SYSTEM)
    assert report.findings == [], [(f.code, f.cell, f.message) for f in report.findings]
    assert str(report.total) == "90.60"


def test_a_wrong_banded_score_is_a_score_mismatch_at_its_cell(tmp_path):
    """16 is what the plain ≤ rule gives nobody (0%/3% → 0) and the bands give 12.8: the stated sums are
    consistent, so the one finding is the score itself."""
    built = build_department(tmp_path / "bad.xlsx", rows=_banded_rows("3%", 16), subtotals=_subtotals(16),
                             total=93.8)
    report = check_workbook(read_workbook(built.path), SYSTEM)
    assert [(f.code, f.cell) for f in report.findings] == [("score-mismatch", built.ref(("ind", 0, "score")))]
    assert "12.80" in report.findings[0].message or "12.8" in report.findings[0].message


def test_recompute_says_how_a_banded_row_was_scored(tmp_path):
    built = build_department(tmp_path / "ok.xlsx", rows=_banded_rows("3%", 12.8), subtotals=_subtotals(12.8),
                             total=90.6)
    (table,) = read_workbook(built.path).tables
    result = recompute(table, SYSTEM)
    row = next(r for r in result.rows if r.row.level3 == NAME)
    assert row.expected == Decimal("12.80") and row.scored.bands == BANDS
    note = result.cells[row.row.get("score").address].note
    assert "分档" in note and "3.00%" in note


# --------------------------------------------------------------------------- the template, end to end

TEMPLATE_RATES = [0, 0.03, 0.05, 0.0501, 0.1, 0.2, None]


def _filled_templates(tmp_path, mode: str) -> tuple[list, int, object]:
    plan = template_map("department", SYSTEM)
    row = next(p.row for p in plan.plans if p.spec is not None and p.spec.name == NAME)
    paths = []
    for i, rate in enumerate(TEMPLATE_RATES):
        wb = build_template("department", SYSTEM, formulas=mode)
        ws = wb[plan.sheet]
        if rate is not None:
            ws[plan.cell(row, "actual")] = rate
        paths.append(save_workbook(wb, tmp_path / f"{mode}-{i}.xlsx"))
    return paths, row, plan


def test_the_template_prefills_the_banded_row_with_its_bands(tmp_path):
    plan = template_map("department", SYSTEM)
    row = next(p.row for p in plan.plans if p.spec is not None and p.spec.name == NAME)
    wb = build_template("department", SYSTEM)
    ws = wb[plan.sheet]
    assert ws[plan.cell(row, "criteria")].value == "分档：" + rules.describe_bands(BANDS)
    assert ws[plan.cell(row, "actual")].number_format == "0.00%"
    assert f'TRIM({plan.cell(row, "level3")})="{NAME}"' in ws[plan.cell(row, "score")].value
    notes = " ".join(str(c.value) for c in wb["填表说明"]["A"])
    assert f"“{NAME}”按分档计分" in notes and rules.describe_bands(BANDS) in notes
    udf_notes = " ".join(str(c.value) for c in build_template("department", SYSTEM, formulas="udf")["填表说明"]["A"])
    assert "原生公式" in udf_notes


def _engine_score(rate, weight) -> Decimal | None:
    return None if rate is None else scoring.score_indicator(None, rate, weight, bands=SYSTEM.bands_for(NAME)).score


@pytest.mark.libreoffice
def test_a_filled_template_recalculated_by_libreoffice_equals_the_engine(tmp_path):
    from selfeval_xl.engines.libreoffice import recalculate

    paths, row, plan = _filled_templates(tmp_path, "native")
    outputs = recalculate(paths, tmp_path / "out")
    weight = openpyxl.load_workbook(paths[0])[plan.sheet][plan.cell(row, "weight")].value
    found = [openpyxl.load_workbook(out, data_only=True)[plan.sheet][plan.cell(row, "score")].value
             for out in outputs]
    expected = [_engine_score(rate, weight) for rate in TEMPLATE_RATES]
    assert [Decimal(str(f)) if isinstance(f, (int, float)) else f for f in found] == \
           [e if e is not None else None for e in expected]
    assert expected[:4] == [Decimal("2.00"), Decimal("1.60"), Decimal("1.60"), Decimal("1.20")]
    # the checker reads the recalculated template and recomputes the same score there
    table = read_workbook(outputs[1]).tables[0]
    result = recompute(table, SYSTEM)
    banded = next(r for r in result.rows if r.row.level3 == NAME)
    assert banded.expected == expected[1]


def test_the_udf_template_scores_its_banded_row_natively(tmp_path):
    paths, row, plan = _filled_templates(tmp_path, "udf")
    solution = formulas_bridge.calculate(paths[1])
    key = next(k for k in solution if k.upper().endswith(f"!{plan.cell(row, 'score')}"))
    weight = openpyxl.load_workbook(paths[1])[plan.sheet][plan.cell(row, "weight")].value
    assert same(solution[key], _engine_score(0.03, weight))
