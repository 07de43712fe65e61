"""End to end: fill the templates with random inputs, recompute them, read back what the engine says.

LibreOffice headless recalculates native templates (one soffice call for all of them); the ``formulas``
package recomputes native and UDF templates (SE_* registered through the bridge). 执行率, every score,
the 小计, 总分 and 等级 must equal selfeval_xl.core.rules / selfeval_xl.core.scoring on every filling.
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field
from decimal import Decimal

import openpyxl
import pytest

from selfeval_xl.engines import formulas_bridge
from selfeval_xl.core import rules, scoring
from test_excel_rules import BLANK, ERROR, judge  # one judge of computed cells for both test files
from selfeval_xl.core.system import load_system
from selfeval_xl.template.plan import TemplateMap, template_map
from selfeval_xl.template.writer import build_template, save_workbook

DIRECTIONS = ["≥", "≥", "≤", "=", "区间", "定性", "定性", ">", "<"]


@dataclass
class Filling:
    """The inputs written into one template and what the engine expects in each computed cell."""

    kind: str
    values: dict[str, object] = field(default_factory=dict)      # cell → input
    expected: dict[str, object] = field(default_factory=dict)    # cell → Decimal / float / str / BLANK / ERROR


def _number(rnd: random.Random) -> float:
    return rnd.choice([float(rnd.randint(0, 500)), round(rnd.uniform(0, 2000), 2), round(rnd.uniform(0, 1.2), 4)])


def _row_expectation(direction, target, high, actual, weight, settings):
    if actual is None or weight is None:
        return BLANK
    try:
        score = scoring.score_indicator(target, actual, weight, direction, high, settings).score
    except rules.RuleError:
        return ERROR
    return ERROR if score is None else score


def _fill_rows(rnd: random.Random, plan: TemplateMap, rows, filling: Filling, settings, empty: bool) -> dict[int, object]:
    """Random indicator rows: every direction, 定性 tiers (some with a score of one's own), 区间, blanks."""
    results = {}
    for r in rows:
        cell = lambda key: plan.cell(r, key)  # noqa: E731
        direction = rnd.choice(DIRECTIONS)
        target, actual = _number(rnd), _number(rnd)
        if rnd.random() < 0.15:
            actual = target
        high = None
        if direction == "区间":
            high = target + rnd.choice([0.0, round(rnd.uniform(0, 300), 2)])
        weight = round(rnd.uniform(0, 12), 2) if rnd.random() < 0.5 else None     # None: keep the prefilled
        if direction == "定性":
            target = rnd.choice(settings.tiers).phrase
            actual = rnd.choice([t.phrase for t in settings.tiers] + ["部分达成"])
        if empty or rnd.random() < 0.12:
            actual = None
        filling.values.update({cell("level3"): f"指标{r}", cell("direction"): direction, cell("target"): target,
                               cell("actual"): actual, cell("target_high"): high})
        if weight is not None:
            filling.values[cell("weight")] = weight
        results[r] = (direction, target, high, actual, weight)
    return results


def _expect_rows(plan: TemplateMap, wb_weights: dict[int, float], rows: dict, filling: Filling, settings,
                 rnd: random.Random) -> dict[int, object]:
    scores = {}
    for r, (direction, target, high, actual, weight) in rows.items():
        weight = weight if weight is not None else wb_weights[r]
        expected = _row_expectation(direction, target, high, actual, weight, settings)
        if direction == "定性" and actual is not None and weight and rnd.random() < 0.3:
            tier = rules.find_tier(actual, settings)
            low, high_score = rules.qual_band(tier, weight)
            expected = Decimal(str(round(rnd.uniform(float(low), float(high_score)), 2)))
            filling.values[plan.cell(r, "score")] = float(expected)      # a score of one's own replaces the formula
        filling.expected[plan.cell(r, "score")] = expected
        scores[r] = expected
    return scores


def _total(parts) -> object:
    numbers = [p for p in parts if isinstance(p, Decimal)]
    return rules.total_score(numbers) if numbers else BLANK


def _fill_funds(rnd: random.Random, plan: TemplateMap, filling: Filling, rows: list[str], empty: bool):
    rates = {}
    for key in rows:
        budget = None if empty else rnd.choice([round(rnd.uniform(1, 5000), 2), float(rnd.randint(1, 900)), 0.0])
        spent = None if empty or rnd.random() < 0.1 else round(rnd.uniform(0, 6000), 2)
        filling.values[plan.funds[key, "budget"]] = budget
        filling.values[plan.funds[key, "spent"]] = spent
        if budget is None or spent is None:
            rate = BLANK
        elif budget == 0:
            rate = ERROR
        else:
            rate = rules.exec_rate(budget, spent)
        filling.expected[plan.funds[key, "rate"]] = rate
        rates[key] = (budget, spent)
    return rates


def project_filling(rnd: random.Random, system, empty: bool = False) -> Filling:
    plan, settings = template_map("project", system), system.settings
    filling = Filling("project")
    filling.values[plan.fields["project_name"]] = f"项目{rnd.randint(1, 999)}"
    funds = _fill_funds(rnd, plan, filling, ["total", "current", "carryover", "other"], empty)
    budget, spent = funds["total"]
    weight = float(system.budget_execution_weight)
    if rnd.random() < 0.3:
        weight = rnd.choice([8.0, 6.0, 12.5])
        filling.values[plan.funds["total", "weight"]] = weight
    exec_score = (BLANK if budget is None or spent is None else ERROR if budget == 0
                  else rules.exec_score(budget, spent, weight))
    filling.expected[plan.funds["total", "score"]] = exec_score
    rows = _fill_rows(rnd, plan, plan.indicator_rows, filling, settings, empty)
    prefilled = {p.row: float(p.weight) for p in plan.plans}
    scores = _expect_rows(plan, prefilled, rows, filling, settings, rnd)
    total = _total([exec_score, *scores.values()])
    filling.expected[plan.total] = total
    filling.expected[plan.grade] = BLANK if total == BLANK else _grade(total, settings)
    return filling


def _grade(total: Decimal, settings) -> str:
    try:
        return rules.grade(total, settings)
    except rules.RuleError:
        return ERROR


def department_filling(rnd: random.Random, system, empty: bool = False) -> Filling:
    plan, settings = template_map("department", system), system.settings
    filling = Filling("department")
    filling.values[plan.fields["unit_name"]] = f"单位{rnd.randint(1, 999)}"
    _fill_funds(rnd, plan, filling, ["total", "basic", "project"], empty)
    rows = _fill_rows(rnd, plan, plan.indicator_rows, filling, settings, empty)
    prefilled = {p.row: float(p.weight) for p in plan.plans}
    scores = _expect_rows(plan, prefilled, rows, filling, settings, rnd)
    subtotals = []
    for level1, row in plan.subtotal_rows.items():
        subtotal = _total([scores[r] for r in plan.level1_rows[level1]])
        filling.expected[plan.cell(row, "score")] = subtotal
        weights = [filling.values.get(plan.cell(r, "weight"), prefilled[r]) for r in plan.level1_rows[level1]]
        filling.expected[plan.cell(row, "weight")] = sum(weights)
        subtotals.append(subtotal)
    bonus = None if empty else rnd.choice([None, 0.0, 2.5, -3.0, 5.0, -5.0, 1.25])
    for row in plan.bonus_rows:
        filling.values[plan.cell(row, "score")] = bonus
    bonus_part = [Decimal(str(bonus))] if bonus is not None else []
    total = _total([*subtotals, *bonus_part])
    total = total if total == BLANK else rules.clamp_total(total)
    filling.expected[plan.total] = total
    filling.expected[plan.grade] = BLANK if total == BLANK else _grade(total, settings)
    return filling


def write(filling: Filling, path, mode: str):
    wb = build_template(filling.kind, formulas=mode)
    ws = wb.active
    for ref, value in filling.values.items():
        ws[ref].value = value
    save_workbook(wb, path)
    return path


def mismatches(filling: Filling, found: dict[str, object]) -> list:
    return [(ref, found.get(ref), expected) for ref, expected in filling.expected.items()
            if not judge(found.get(ref), expected)]


@pytest.fixture(scope="module")
def fillings():
    rnd = random.Random(8128)
    project, department = load_system(None, "project"), load_system(None, "department")
    made = [project_filling(rnd, project, empty=True), department_filling(rnd, department, empty=True)]
    for _ in range(16):   # 34 fillings: with 定性 defaults of 70%/30% every grade still occurs
        made += [project_filling(rnd, project), department_filling(rnd, department)]
    return made


def test_fillings_cover_every_case(fillings):
    """The random fillings exercise what the issue names: each direction, tiers, overrides, blanks, bonus."""
    values = [v for f in fillings for v in f.values.values()]
    expected = [v for f in fillings for v in f.expected.values()]
    for direction in set(DIRECTIONS):
        assert values.count(direction) >= 10, direction
    for tier in rules.DEFAULT_TIERS:
        assert values.count(tier.phrase) >= 10
    assert expected.count(BLANK) >= 20 and expected.count(ERROR) >= 5
    assert {"优", "良", "中", "差"} <= set(expected)
    assert sum(1 for v in expected if isinstance(v, Decimal)) >= 400


@pytest.mark.libreoffice
@pytest.mark.slow
def test_libreoffice_computes_filled_templates_like_the_engine(tmp_path, fillings):
    from selfeval_xl.engines.libreoffice import recalculate

    paths = [write(f, tmp_path / f"filled-{i}.xlsx", "native") for i, f in enumerate(fillings)]
    outputs = recalculate(paths, tmp_path / "out")
    problems = []
    for filling, out in zip(fillings, outputs):
        ws = openpyxl.load_workbook(out, data_only=True).worksheets[0]
        problems += [(out.name, *m) for m in mismatches(filling, {ref: ws[ref].value for ref in filling.expected})]
    assert problems == []


@pytest.mark.slow
@pytest.mark.parametrize("mode", ["native", "udf"])
def test_formulas_package_computes_filled_templates_like_the_engine(tmp_path, fillings, mode):
    problems = []
    for i, filling in enumerate(fillings[1:6]):
        path = write(filling, tmp_path / f"filled-{i}.xlsx", mode)
        solution = formulas_bridge.calculate(path)
        sheet = template_map(filling.kind).sheet.upper()
        found = {key.rsplit("!", 1)[1]: value for key, value in solution.items()
                 if f"]{sheet}'!" in key.upper() and ":" not in key}
        problems += [(path.name, *m) for m in mismatches(filling, found)]
        problems += [(path.name, ref, "not computed") for ref in filling.expected if ref not in found]
    assert problems == []
