"""抽查复核 (issue 25): the rules' mirrors, the draw, the 底稿 and its reading back, end to end.

The judge of the 底稿's cells is LibreOffice: the test fills a 底稿 as a reviewer would (openpyxl, as a
reviewer's Excel would write the inputs), LibreOffice recalculates it, and every 复核得分, 偏离度, total
and grade it computed is held to the rules and to figures worked out by hand below; the 复核报告's
问题清单, 复核结论 and 自评质量 are held to figures this test computes from LibreOffice's own cells.
"""
from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from hypothesis import example, given, settings as hsettings, strategies as st

from selfeval_xl.core import excel_rules as xr
from selfeval_xl.core import rules
from selfeval_xl.cli import main
from selfeval_xl.review import Draw, load_rules, write_worksheet
from selfeval_xl.review.columns import BASES, DRAW, FIRST_ROW, HEAD, INDEX, LETTER, META, META_COLUMNS, sheet_name
from selfeval_xl.review.config import worse
from selfeval_xl.review.projects import Project, SourceRow
from selfeval_xl.review.readback import read_filled
from selfeval_xl.review.sample import draw
from selfeval_xl.review.sheet import write_sheet
from test_excel_rules import run, same

RULES = load_rules()
KEY = "档案数字化加工服务项目"
L = LETTER


# --------------------------------------------------------------------------- the rules and their mirrors

scores = st.decimals(min_value=0, max_value=60, places=2).map(float)
keeps = st.one_of(st.sampled_from([0.0, 0.4, 0.7, 1.0]), st.decimals(min_value=0, max_value=1, places=2).map(float))
deducts = st.one_of(st.sampled_from([0.0, 2.0]), st.decimals(min_value=0, max_value=10, places=2).map(float))


@hsettings(max_examples=800, deadline=None)
@given(base=scores, keep=keeps, deduct=deducts)
@example(base=1.425, keep=1.0, deduct=0.0)          # a half the double does not hold exactly
def test_review_score_mirror_computes_the_rule(base, keep, deduct):
    found = run(xr.review_score("A1", "B1", "C1"), A1=base, B1=keep, C1=deduct)
    assert same(found, rules.review_score(base, keep, deduct))
    assert Decimal(0) <= rules.review_score(base, keep, deduct) <= rules.xl_round(base)


@hsettings(max_examples=500, deadline=None)
@given(self_score=scores, review=scores, weight=scores.filter(lambda w: w > 0))
def test_deviation_mirror_computes_the_rule(self_score, review, weight):
    found = run(xr.deviation("A1", "B1", "C1"), A1=self_score, B1=review, C1=weight)
    assert abs(found - rules.deviation(self_score, review, weight)) < 1e-12
    assert rules.deviation(self_score, review, weight) == pytest.approx((self_score - review) / weight)


tiers = st.sampled_from([name for tier in rules.DEFAULT_TIERS for name in tier.names])


@hsettings(max_examples=800, deadline=None)
@given(text=tiers, weight=st.sampled_from([2.0, 10.0, 19.0, 21.0, 2.5]), share=st.one_of(
    st.none(), st.decimals(min_value=0, max_value=1, places=3).map(float), st.sampled_from([0.6, 0.8, 1.0])))
def test_a_qualitative_self_score_inside_its_band_is_kept_by_formula_and_rule(text, weight, share):
    stated = None if share is None else float(rules.xl_round(share * weight))
    tier = rules.tier_of(text)
    expected = rules.qual_score_kept(tier, weight, stated)
    found = run(xr.qual_score_kept("A1", "B1", "C1", rules.DEFAULT_SETTINGS), A1=text, B1=weight, C1=stated)
    assert same(found, expected), (text, weight, stated, found, expected)
    inside = stated is not None and rules.qual_score_in_band(tier, weight, stated)
    assert expected == (rules.xl_round(stated) if inside else rules.qual_score(tier, weight))


def test_worse_takes_the_most_severe_level_and_bands_pick_by_size():
    assert worse("P2", "P0", "") == "P0" and worse("P2") == "P2" and worse("") == "P2"
    assert [RULES.level_of(d) for d in (0.0, 0.19, 0.2, -0.5, 1.0)] == ["P2", "P2", "P1", "P0", "P0"]


def test_every_basis_cites_its_source_and_the_bad_file_lists_every_problem(tmp_path):
    from selfeval_xl.core.datafiles import DataFileError
    from selfeval_xl.review.rules_source import load_rules as load

    assert all(b.source and b.wording for b in RULES.bases)
    assert {b.effect for b in RULES.bases} == {"zero", "share", "deduct", "none", "judged"}
    bad = tmp_path / "bad.yaml"
    bad.write_text("bases:\n  - {code: K1, name: a, wording: w, effect: half, level: P9, dimension: d, source: s}\n"
                   "  - {code: K2, name: b, wording: w, effect: share, keep: 3, level: P1, dimension: d}\n"
                   "levels: [{level: P1, from: 0}]\n", encoding="utf-8")
    with pytest.raises(DataFileError) as caught:
        load(bad)
    text = str(caught.value)
    assert "effect" in text and "source" in text and "levels" in text


# --------------------------------------------------------------------------- the draw

def _project(n: int, unit: str, budget: float, full: bool = False, errors: int = 0) -> Project:
    rows = [SourceRow("产出指标", "数量指标", f"指标{i}", "≥", 100.0, None, "个", 10.0, 100.0 if full else 90.0,
                      10.0 if full else 9.0) for i in range(3)]
    return Project(f"/x/{unit}-{n}.xlsx", unit, f"项目{n}", "主管", 2024, "national-project",
                   rules.DEFAULT_SETTINGS, budget, budget, 27.0, 27.0, "差", rows, errors)


PROJECTS = [_project(n, f"单位{n % 3}", 10.0 * (n + 1), full=n % 4 == 0, errors=n % 5) for n in range(30)]


def test_the_same_files_and_seed_draw_the_same_projects_and_the_record_says_how():
    first, again = draw(PROJECTS, 8, RULES, seed=42), draw(PROJECTS, 8, RULES, seed=42)
    assert [c.key for c in first.drawn] == [c.key for c in again.drawn]
    assert [c.key for c in draw(PROJECTS, 8, RULES, seed=43).drawn] != [c.key for c in first.drawn]
    back = Draw.from_json(first.to_json())
    assert back.seed == 42 and [c.key for c in back.drawn] == [c.key for c in first.drawn]
    assert all(set(c.factors) == set(RULES.factors) for c in back.candidates)
    assert len(first.drawn) == 8 and [c.order for c in first.drawn] == list(range(1, 9))


def test_key_projects_are_drawn_first_and_risk_raises_the_chance():
    record = draw(PROJECTS, 5, RULES, seed=1, keys=("项目7", "单位2/项目29"))
    assert [(c.name, c.drawn) for c in record.drawn[:2]] == [("项目7", "重点"), ("项目29", "重点")]
    assert {c.drawn for c in record.drawn[2:]} == {"随机加权"}
    risky, plain = PROJECTS[28], PROJECTS[1]        # the largest budget, every indicator full; a small one
    counts = {risky.key: 0, plain.key: 0}
    for seed in range(300):
        for c in draw(PROJECTS, 5, RULES, seed=seed).drawn:
            counts[c.key] = counts.get(c.key, 0) + 1
    assert counts[risky.key] > 2 * counts[plain.key]
    weights = {c.key: c.weight for c in record.candidates}
    assert weights[risky.key] > weights[plain.key] >= RULES.base_weight


# --------------------------------------------------------------------------- hostile text in the 底稿

names = st.text(min_size=1, max_size=60)


@hsettings(max_examples=30, deadline=None)
@given(project=names, unit=names, level3=names)
@example(project="_x0000_", unit="0", level3="0")       # an escape's look-alike: the sheet is found again
def test_any_text_from_a_table_stays_text_and_every_sheet_name_is_legal(tmp_path_factory, project, unit, level3):
    p = _project(1, unit, 10.0)
    p.name = project
    p.rows[0].name = level3
    path = tmp_path_factory.mktemp("hostile") / "d.xlsx"
    write_sheet([p, p], path, RULES)
    wb = openpyxl.load_workbook(path)
    sheets = [n for n in wb.sheetnames if n not in (INDEX, DRAW, BASES, META)]
    assert len(set(sheets)) == 2 and all(len(s) <= 31 and not set(s) & set("[]:*?/\\") for s in sheets)
    ws = wb[sheets[0]]
    for ref in (HEAD["unit"][1], f"{L['name']}{FIRST_ROW}"):
        assert ws[ref].data_type == "s" or ws[ref].value is None
    assert ws["A1"].data_type == "s"
    assert read_filled(path, RULES).problems == []


def test_one_unit_under_two_names_gets_one_conclusion(tmp_path):
    from selfeval_xl.review.judge import conclusions_of

    a, b = _project(1, "广州市档案发展中心", 10.0), _project(2, "广州市档案发展中心（广州市音像资料馆）", 20.0)
    write_sheet([a, b], tmp_path / "d.xlsx", RULES)
    (one,) = conclusions_of(read_filled(tmp_path / "d.xlsx", RULES), RULES)
    assert one.unit == "广州市档案发展中心" and len(one.projects) == 2 and one.rows == 6


# --------------------------------------------------------------------------- the 底稿 read back (no recalculation)

@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    from selfeval_xl.demo.data import generate, write_xlsx
    from selfeval_xl.fill import fill

    root = tmp_path_factory.mktemp("review")
    write_xlsx(generate(), root / "data.xlsx")
    assert fill(root / "data.xlsx", root / "workbooks", year=2021).ok
    return root


def _rows(ws) -> dict[str, int]:
    rows, r = {}, FIRST_ROW
    while ws[f"{L['name']}{r}"].value:
        rows[ws[f"{L['name']}{r}"].value] = r
        r += 1
    return rows


def _key_sheet(wb) -> str:
    return next(name for name in wb.sheetnames if KEY in name)


@pytest.fixture(scope="module")
def sheet(demo):
    path = demo / "底稿-全部.xlsx"
    written, used, left = write_worksheet([demo / "workbooks"], path, RULES, jobs=1)
    assert used is None and written.projects == 24 and written.manual == 0
    assert {why for _, why in left} == {"部门整体支出绩效自评表，不纳入项目抽查（--department 纳入）"}
    return path


def _filled(sheet: Path, tmp_path: Path, edits: dict[tuple[str, str], object]) -> Path:
    wb = openpyxl.load_workbook(sheet)
    ws = wb[_key_sheet(wb)]
    rows = _rows(ws)
    for (name, key), value in edits.items():
        ws[f"{L[key]}{rows[name]}"] = value
    out = tmp_path / "filled.xlsx"
    wb.save(out)
    return out


def test_an_untouched_sheet_reviews_every_score_as_the_rules_recompute_it(sheet):
    done = read_filled(sheet, RULES)
    assert done.problems == []
    rows = [r for p in done.projects for r in p.rows]
    # the demo's tables as filled (no planted mistake): every 自评得分 is what the rule gives, so nothing
    # changes, through every direction, 区间, 定性 and the 预算执行率 row
    assert len(rows) > 150 and [(r.name, r.self_score, r.score) for r in rows if r.changed] == []
    assert {r.level1 for r in rows} >= {"预算执行", "产出指标", "效益指标", "满意度指标"}


@pytest.mark.parametrize("edits, says", [
    ({("项目成本控制率", "review_score"): 30}, "未选口径"),
    ({("项目成本控制率", "review_score"): 30, ("项目成本控制率", "basis"): "K01 无佐证材料"}, "不符，应为 0.00"),
    ({("项目成本控制率", "review_score"): 30, ("项目成本控制率", "basis"): "K04 难以评估（轻微）"}, "应为 25.90"),
    ({("项目成本控制率", "basis"): "K13 其他（酌情）"}, "请在复核得分中填写分数"),
    ({("项目成本控制率", "basis"): "K13 其他（酌情）", ("项目成本控制率", "review_score"): 30}, "须在复核意见中写明理由"),
    ({("项目成本控制率", "basis"): "K99 我的口径"}, "不在口径表中"),
    ({("项目成本控制率", "review_score"): 40, ("项目成本控制率", "basis"): "K13 其他（酌情）",
      ("项目成本控制率", "opinion"): "依据现场核查"}, "超出 0–37"),
    ({("项目成本控制率", "review_actual"): "差不多"}, "无法按规则计分"),
    ({("长效管理机制建立情况", "review_actual"): "基本达成"}, "未指明定性档次"),
])
def test_a_filled_sheet_is_checked_against_its_basis(sheet, tmp_path, edits, says):
    problems = read_filled(_filled(sheet, tmp_path, edits), RULES).problems
    assert len(problems) == 1 and says in problems[0].message, problems


def test_a_judged_score_with_its_reason_and_a_typed_score_equal_to_the_rule_pass(sheet, tmp_path):
    filled = _filled(sheet, tmp_path, {("项目成本控制率", "basis"): "K13 其他（酌情）",
                                       ("项目成本控制率", "review_score"): 30, ("项目成本控制率", "opinion"): "现场核查",
                                       ("单页加工成本", "review_score"): 2})
    done = read_filled(filled, RULES)
    assert done.problems == []
    row = next(r for p in done.projects if p.name == KEY for r in p.rows if r.name == "项目成本控制率")
    assert row.score == Decimal(30) and row.typed


def test_a_tampered_index_of_rows_is_said_not_followed(sheet, tmp_path):
    wb = openpyxl.load_workbook(sheet)
    wb[META]["B2"] = "=1+1"
    wb[META]["C3"] = 10 ** 9
    wb.save(tmp_path / "m.xlsx")
    done = read_filled(tmp_path / "m.xlsx", RULES)
    assert len(done.projects) == 22 and sum("被改动" in p.message for p in done.problems) == 2


def test_a_system_the_sheet_names_but_cannot_load_is_said_and_system_names_it(sheet, tmp_path):
    wb = openpyxl.load_workbook(sheet)
    wb[META]["E2"] = "our-bureau-system"            # recorded by name, the file not at hand
    wb.save(tmp_path / "s.xlsx")
    assert ["our-bureau-system" in p.message for p in read_filled(tmp_path / "s.xlsx", RULES).problems] == [True]
    assert read_filled(tmp_path / "s.xlsx", RULES, system_ref="national-project").problems == []
    assert main(["review", "report", str(tmp_path / "s.xlsx"), "-o", str(tmp_path / "r.xlsx"), "-s",
                 "national-project"]) == 0


def test_a_total_typed_over_and_a_stranger_file_are_refused(sheet, tmp_path):
    from selfeval_xl.review import SheetError

    wb = openpyxl.load_workbook(sheet)
    ws = wb[_key_sheet(wb)]
    ws[HEAD["review_total"][1]] = 88
    wb.save(tmp_path / "t.xlsx")
    assert any("复核总分被改写为 88" in p.message for p in read_filled(tmp_path / "t.xlsx", RULES).problems)
    other = tmp_path / "other.xlsx"
    openpyxl.Workbook().save(other)
    with pytest.raises(SheetError, match="不是"):
        read_filled(other, RULES)
    (tmp_path / "x.xlsx").write_bytes(b"PK not a zip")
    with pytest.raises(SheetError):
        read_filled(tmp_path / "x.xlsx", RULES)


# --------------------------------------------------------------------------- end to end, LibreOffice the judge

# 档案数字化加工服务项目 as the demo fills it (weight, 自评得分), and what this test's reviewer enters; the
# 复核得分 worked out by hand from SPEC's rules and the 口径 (default.yaml):
FILL = {  # name: (复核完成值, 口径, typed 复核得分, 意见, expected 复核得分, expected P-level)
    "项目验收合格率": (None, "K01 无佐证材料", None, None, "0.00", "P0"),             # zero; 100% off, P0 口径
    "任务按期完成率": (0.9, "K12 完成值核实不符", None, None, "3.60", "P1"),          # 0.9/1×4; 10% off, P1 口径
    "完成档案数字化加工": (100, "K12 完成值核实不符", None, None, "4.17", "P1"),       # 100/120×5 = 4.1667
    "项目成本控制率": (None, "K08 超额完成扣2分", None, None, "35.00", "P2"),          # 37 − 2; 5.4% off
    "档案查阅利用便捷程度": (None, "K04 难以评估（轻微）", None, None, "13.30", "P1"),  # 19 × 0.7; 30% off
    "长效管理机制建立情况": ("部分达成年度指标并具有一定效果", "K13 其他（酌情）", 12, "机制建立未运行", "12.00", "P1"),
    "单页加工成本": (None, "K07 超额完成不扣分", None, None, "2.00", "P2"),            # no effect, noted
}
KEY_TOTAL, KEY_GRADE = Decimal("80.07"), "良"      # 10 + 4.17 + 0 + 3.60 + 2 + 35 + 13.30 + 12


@pytest.fixture(scope="module")
def reviewed(demo, tmp_path_factory):
    """sample → 底稿 (CLI) → filled with openpyxl → recalculated by LibreOffice → report (CLI)."""
    from selfeval_xl.engines.libreoffice import recalculate

    root = tmp_path_factory.mktemp("round")
    tables = str(demo / "workbooks")
    assert main(["review", "sample", tables, "--n", "6", "--seed", "2026", "--key", KEY, "-o",
                 str(root / "抽样.json"), "-j", "1"]) == 0
    assert main(["review", "sheet", tables, "--draw", str(root / "抽样.json"), "-o", str(root / "底稿.xlsx"),
                 "-j", "1"]) == 0
    wb = openpyxl.load_workbook(root / "底稿.xlsx")
    ws = wb[_key_sheet(wb)]
    rows = _rows(ws)
    for name, (actual, basis, typed, opinion, _, _) in FILL.items():
        r = rows[name]
        for key, value in (("review_actual", actual), ("basis", basis), ("review_score", typed), ("opinion", opinion)):
            if value is not None:
                ws[f"{L[key]}{r}"] = value
    ws[HEAD["reviewer"][1]] = "张三"
    kept = _in_band_self_score(wb)
    wb.save(root / "填好的底稿.xlsx")
    recalculated = recalculate([root / "填好的底稿.xlsx"], root / "recalc")[0]
    code = main(["review", "report", str(recalculated), "-o", str(root / "复核报告.xlsx")])
    return root, recalculated, code, kept


def _in_band_self_score(wb) -> tuple[str, int, float]:
    """A 定性 row of another project made to state 90% of its 分值 (inside 达成's band, not its default):
    the review keeps it, in the cell and in the report."""
    for name in wb.sheetnames:
        ws = wb[name]
        if KEY in name or ws[f"{L['name']}{FIRST_ROW}"].value is None:
            continue
        for r in _rows(ws).values():
            if ws[f"{L['direction']}{r}"].value == "定性" and ws[f"{L['actual']}{r}"].value == "达成年度指标":
                score = float(rules.xl_round(0.9 * ws[f"{L['weight']}{r}"].value))
                ws[f"{L['self_score']}{r}"] = score
                return name, r, score
    raise AssertionError("no 定性 row to keep")


@pytest.mark.libreoffice
@pytest.mark.slow
def test_libreoffice_computes_every_review_cell_as_the_rules_do(reviewed):
    root, recalculated, code, (kept_sheet, kept_row, kept_score) = reviewed
    assert code == 0
    values = openpyxl.load_workbook(recalculated, data_only=True)
    done = read_filled(recalculated, RULES)
    assert done.problems == []
    checked = 0
    for project in done.projects:
        ws = values[project.sheet]
        for row in project.rows:
            shown = ws[f"{L['review_score']}{row.row}"].value
            assert shown == pytest.approx(float(row.score), abs=1e-9), (project.sheet, row.name)
            dev = ws[f"{L['deviation']}{row.row}"].value
            assert dev == pytest.approx(rules.deviation(row.self_score, row.score, row.weight), abs=1e-12)
            checked += 1
        total = rules.total_score([r.score for r in project.rows])
        assert ws[HEAD["review_total"][1]].value == pytest.approx(float(total))
        assert ws[HEAD["review_grade"][1]].value == rules.grade(total)
    assert checked >= 40
    assert values[kept_sheet][f"{L['review_score']}{kept_row}"].value == pytest.approx(kept_score)
    ws = values[_key_sheet(values)]
    rows = _rows(ws)
    for name, (*_, expected, _) in FILL.items():           # LibreOffice against the hand-worked figures
        assert Decimal(str(ws[f"{L['review_score']}{rows[name]}"].value)).quantize(Decimal("0.01")) == Decimal(expected)
    assert Decimal(str(ws[HEAD["review_total"][1]].value)).quantize(Decimal("0.01")) == KEY_TOTAL
    assert ws[HEAD["review_grade"][1]].value == KEY_GRADE


@pytest.mark.libreoffice
@pytest.mark.slow
def test_libreoffice_scores_every_demo_indicator_as_the_unit_did(sheet, tmp_path):
    """The 底稿 of all 24 demo projects, untouched: LibreOffice's 复核得分 is the 自评得分 the engine wrote
    into each table, through every 指标性质 (≥ ≤ = 区间 定性) and the 预算执行率 row."""
    from selfeval_xl.engines.libreoffice import recalculate

    values = openpyxl.load_workbook(recalculate([sheet], tmp_path)[0], data_only=True)
    directions, rows = set(), 0
    for line in values[META].iter_rows(min_row=2, values_only=True):
        ws = values[line[0]]
        for r in range(line[1], line[2] + 1):
            self_score, shown = ws[f"{L['self_score']}{r}"].value, ws[f"{L['review_score']}{r}"].value
            assert shown == pytest.approx(self_score, abs=1e-9), (line[0], r, self_score, shown)
            assert ws[f"{L['deviation']}{r}"].value == 0
            directions.add(ws[f"{L['direction']}{r}"].value)
            rows += 1
    assert directions == {"≥", "≤", "=", "区间", "定性"} and rows > 150


@pytest.mark.libreoffice
@pytest.mark.slow
def test_the_report_lists_the_issues_conclusions_and_quality_libreoffice_implies(reviewed):
    root, recalculated, *_ = reviewed
    values = openpyxl.load_workbook(recalculated, data_only=True)
    report = openpyxl.load_workbook(root / "复核报告.xlsx")
    issues = [[c.value for c in row] for row in report["复核问题清单"].iter_rows(min_row=5) if row[0].value]
    key_issues = {row[3].split(" › ")[-1]: row[1] for row in issues if KEY in row[3]}
    expected = {name: level for name, (*_, level) in FILL.items()}
    expected[KEY] = "P1"                                    # its 等级 went from 优 to 良
    assert key_issues == expected
    # every other line: a row LibreOffice shows changed, or a 自评总分 that is not its rows' sum
    meta = openpyxl.load_workbook(recalculated)[META]
    by_unit: dict[str, list] = {}
    for sheet, first, last, *_rest, unit, name, self_total, self_grade, _kind in meta.iter_rows(min_row=2,
                                                                                                    values_only=True):
        ws = values[sheet]
        pairs = [(ws[f"{L['self_score']}{r}"].value, ws[f"{L['review_score']}{r}"].value, ws[f"{L['weight']}{r}"].value,
                  ws[f"{L['name']}{r}"].value, ws[f"{L['basis']}{r}"].value) for r in range(first, last + 1)]
        by_unit.setdefault(unit, []).append((name, self_total, ws[HEAD["review_total"][1]].value, self_grade,
                                             ws[HEAD["review_grade"][1]].value, pairs))
    shown_changed = {(name, n) for projects in by_unit.values() for name, *_, pairs in projects
                     for s, r, w, n, b in pairs if round(s, 2) != round(r, 2) or b}
    listed = {(row[3].split(" › ")[1], row[3].split(" › ")[2]) for row in issues if row[3].count(" › ") == 2}
    assert listed == shown_changed
    conclusions: dict[str, list] = {}
    for row in report["复核结论"].iter_rows(min_row=5):       # the 单位 table first, then the projects'
        if row[0].value in by_unit:
            conclusions.setdefault(row[0].value, [c.value for c in row])
    quality = {row[0].value: [c.value for c in row]
               for row in report["自评质量"].iter_rows(min_row=4) if row[0].value in by_unit}
    assert set(conclusions) == set(quality) == set(by_unit)
    for unit, projects in by_unit.items():
        pairs = [p for *_, ps in projects for p in ps]
        self_mean = sum(Decimal(str(t)) for _, t, *_ in projects) / len(projects)
        review_mean = sum(Decimal(str(t)) for _, _, t, *_ in projects) / len(projects)
        changed = sum(round(s, 2) != round(r, 2) for s, r, *_ in pairs)
        row = conclusions[unit]
        assert row[1] == len(projects)
        assert row[2] == pytest.approx(float(self_mean), abs=0.005) and row[3] == pytest.approx(float(review_mean), abs=0.005)
        assert row[6] == f"{changed}/{len(pairs)}"
        assert row[5] == sum(sg != rg for _, _, _, sg, rg, _ in projects)
        mad = sum(abs(Decimal(str(s)) - Decimal(str(r))) for s, r, *_ in pairs) / len(pairs)
        indicators = [(s, w) for s, r, w, n, b in pairs if n != "预算执行率"]
        full = sum(s >= w for s, w in indicators) / len(indicators)
        no_evidence = sum(b == "K01 无佐证材料" for *_, b in pairs) / len(pairs)
        q = quality[unit]
        assert q[1] == len(pairs) and q[2] == pytest.approx(float(mad), abs=0.005)
        assert q[3] == pytest.approx(full) and q[4] == pytest.approx(no_evidence)
        grade = next((g.name for g in RULES.quality if float(mad) <= g.mean_abs_deviation + 0.005
                      and full <= g.full_score_share and no_evidence <= g.no_evidence_share), RULES.quality_last)
        assert q[5] == grade and f"自评质量：{grade}" in row[9]


@pytest.mark.libreoffice
@pytest.mark.slow
def test_the_sheet_and_the_report_print_on_a4(reviewed, tmp_path):
    import subprocess

    from selfeval_xl.engines.libreoffice import to_pdf

    root, recalculated, *_ = reviewed
    for path in (root / "底稿.xlsx", root / "复核报告.xlsx"):
        wb = openpyxl.load_workbook(path)
        for ws in wb.worksheets:
            if ws.sheet_state == "visible":
                assert int(ws.page_setup.paperSize) == 9 and ws.page_setup.orientation == "landscape", ws.title
                assert ws.sheet_properties.pageSetUpPr.fitToPage and int(ws.page_setup.fitToWidth) == 1
        pdf = to_pdf([path], tmp_path)[0]
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
        assert "(A4)" in info
        if path.name == "底稿.xlsx":          # index, draw, 口径, then one page per project
            pages = int(next(l for l in info.splitlines() if l.startswith("Pages:")).split()[1])
            assert pages == 3 + 6, pages


# --------------------------------------------------------------------------- the command

def test_the_command_refuses_to_overwrite_a_sheet_and_a_draw_must_still_match_its_files(demo, tmp_path, capsys):
    tables = str(demo / "workbooks")
    record = tmp_path / "d.json"
    assert main(["review", "sample", tables, "--n", "3", "--seed", "5", "-o", str(record), "-j", "1"]) == 0
    first = json.loads(record.read_text(encoding="utf-8"))
    assert main(["review", "sample", tables, "--n", "3", "--seed", "5", "-o", str(record), "-j", "1"]) == 2
    assert main(["review", "sample", tables, "--n", "3", "--key", "没有这个项目", "-j", "1"]) == 2
    out = tmp_path / "底稿.xlsx"
    assert main(["review", "sheet", tables, "--draw", str(record), "-o", str(out), "-j", "1"]) == 0
    assert main(["review", "sheet", tables, "--draw", str(record), "-o", str(out), "-j", "1"]) == 2
    assert "未覆盖" in capsys.readouterr().err
    index = openpyxl.load_workbook(out)[INDEX]
    drawn = [c["name"] for c in sorted((c for c in first["candidates"] if c["drawn"]), key=lambda c: c["order"])]
    assert [index[f"C{7 + i}"].value for i in range(3)] == drawn
    changed = tmp_path / "tables"
    import shutil

    shutil.copytree(demo / "workbooks", changed)
    record_there = json.loads(record.read_text(encoding="utf-8"))
    for c in record_there["candidates"]:
        c["path"] = str(changed / Path(c["path"]).name)
    (tmp_path / "d2.json").write_text(json.dumps(record_there, ensure_ascii=False), encoding="utf-8")
    target = changed / Path(next(c["path"] for c in record_there["candidates"] if c["order"] == 1)).name
    openpyxl.load_workbook(target).save(target)          # the same table, other bytes
    assert main(["review", "sheet", str(changed), "--draw", str(tmp_path / "d2.json"), "-o",
                 str(tmp_path / "x.xlsx"), "-j", "1"]) == 2
    assert "被改动" in capsys.readouterr().err


def test_report_exits_1_while_the_sheet_has_problems_and_0_once_they_are_fixed(sheet, tmp_path, capsys):
    bad = _filled(sheet, tmp_path, {("项目成本控制率", "review_score"): 30})
    assert main(["review", "report", str(bad), "-o", str(tmp_path / "r.xlsx")]) == 1
    assert "未选口径" in capsys.readouterr().err
    problems = openpyxl.load_workbook(tmp_path / "r.xlsx")["底稿检查"]
    assert any("未选口径" in str(c.value) for row in problems.iter_rows() for c in row)
    good = _filled(sheet, tmp_path, {("项目成本控制率", "basis"): "K01 无佐证材料"})
    assert main(["review", "report", str(good), "-o", str(tmp_path / "r.xlsx")]) == 0   # ours: replaced
    assert main(["review", "report", str(good), "-o", str(good)]) == 2                  # never the input
    stranger = tmp_path / "别人的.xlsx"
    openpyxl.Workbook().save(stranger)
    assert main(["review", "report", str(good), "-o", str(stranger)]) == 2


def test_sheet_names_are_numbered_cut_and_legal():
    assert sheet_name(3, "A/B:C") == "03 A／B：C"
    assert len(sheet_name(12, "很" * 50)) == 31


# --------------------------------------------------------------------------- 部门整体, 口径 in Excel, isolation

def test_a_department_table_is_drawn_when_asked_its_indicators_scored_its_bonus_left_to_the_reviewer(demo, tmp_path):
    from selfeval_xl.review import review_report

    tables = [demo / "workbooks"]
    out = tmp_path / "部门底稿.xlsx"
    written, used, left = write_worksheet(tables, out, RULES, n=30, seed=1, jobs=1, kinds=("project", "department"))
    kinds = {c.kind for c in used.drawn}
    assert kinds == {"project", "department"} and not left
    wb = openpyxl.load_workbook(out)
    meta = [dict(zip(META_COLUMNS, r)) for r in wb[META].iter_rows(min_row=2, values_only=True)]
    departments = [m for m in meta if m["kind"] == "department"]
    department = departments[0]
    ws = wb[department["sheet"]]
    assert ws["A1"].value.startswith("部门整体支出绩效自评复核底稿") and department["system"].endswith("department")
    levels = [ws[f"{LETTER['level1']}{r}"].value for r in range(department["first"], department["last"] + 1)]
    assert levels[-1] == "加减分" and "预算执行" not in levels
    assert ws[f"{LETTER['review_score']}{department['last']}"].value is None            # the reviewer's
    assert str(ws[f"{LETTER['review_score']}{department['first']}"].value).startswith("=")   # the rule's
    assert "部门整体支出" in wb[INDEX]["A1"].value
    out_blank = tmp_path / "未填加减分.xlsx"
    wb.save(out_blank)
    for m in departments:
        bonus = wb[m["sheet"]]
        bonus[f"{LETTER['review_score']}{m['last']}"] = bonus[f"{LETTER['self_score']}{m['last']}"].value or 0
    wb.save(out)
    done = review_report(out, tmp_path / "r.xlsx", RULES)
    assert not done.sheet.problems
    for m in departments:
        project = next(p for p in done.sheet.projects if p.sheet == m["sheet"])
        assert project.review_total == Decimal(str(m["self_total"]))                 # untouched: 复核 = 自评
        assert project.review_grade == m["self_grade"]
    for c in done.conclusions:          # a 部门整体 table is counted as one, not as a project
        sheets = {p.project.sheet for p in c.projects}
        reviewed = [m for m in meta if m["sheet"] in sheets]
        said = [f"{n} 个项目" for n in [sum(m["kind"] == "project" for m in reviewed)] if n]
        said += [f"{n} 张部门整体表" for n in [sum(m["kind"] == "department" for m in reviewed)] if n]
        assert c.text.startswith(f"抽查复核 {'、'.join(said)}，"), c.text
    assert any("张部门整体表" in c.text for c in done.conclusions)
    blank = review_report(out_blank, tmp_path / "r2.xlsx", RULES).sheet.problems
    assert {(p.sheet, p.cell) for p in blank} == {(m["sheet"], f"{LETTER['review_score']}{m['last']}")
                                                  for m in departments}
    _, plain, left = write_worksheet(tables, tmp_path / "p.xlsx", RULES, n=30, seed=1, jobs=1)
    assert {c.kind for c in plain.candidates} == {"project"} and len(left) == len(departments)
    assert all("部门整体" in why for _, why in left)


def test_the_kouji_workbook_reads_back_as_the_yaml_and_a_bad_row_is_said_at_its_row(tmp_path):
    from selfeval_xl.core.datafiles import DataFileError

    path = tmp_path / "口径.xlsx"
    assert main(["review", "kouji-template", "-o", str(path)]) == 0
    assert load_rules(path).bases == RULES.bases
    wb = openpyxl.load_workbook(path)
    ws = wb["口径"]
    ws["D3"], ws["E3"] = "按比例保留", "50%"
    wb.save(tmp_path / "改.xlsx")
    (k01,) = [b for b in load_rules(tmp_path / "改.xlsx").bases if b.code == "K01"]
    assert (k01.effect, k01.keep, k01.effect_words) == ("share", 0.5, "保留 50%")
    ws["D4"], ws["J5"], ws["G6"] = "清零", None, "P9"
    wb.save(tmp_path / "坏.xlsx")
    with pytest.raises(DataFileError) as bad:
        load_rules(tmp_path / "坏.xlsx")
    said = str(bad.value)
    assert "口径 第 4 行" in said and "清零" in said and "口径 第 5 行" in said and "source" in said
    assert "口径 第 6 行" in said and "P9" in said
    (tmp_path / "不是.xlsx").write_bytes(b"not a zip")
    with pytest.raises(DataFileError, match="不是 .xlsx"):
        load_rules(tmp_path / "不是.xlsx")
    assert main(["review", "sample", str(tmp_path), "--n", "1", "--rules", str(tmp_path / "坏.xlsx")]) == 2


def test_the_filled_sheet_is_read_in_a_worker_whose_death_is_a_clear_refusal(sheet, monkeypatch, tmp_path):
    """The 底稿 travelled: it is read in a worker under the limits, not in the process that asked."""
    import os

    from selfeval_xl.core.limits import Limits
    from selfeval_xl.review import SheetError, readback

    real = readback.read_filled
    readers = tmp_path / "readers.txt"

    def spy(path, rules_, limits, system_ref=None):
        with readers.open("a") as handle:
            handle.write(f"{os.getpid()}\n")
        if limits.seconds == 1:
            os._exit(9)                          # a reader that brings its process down
        return real(path, rules_, limits, system_ref)

    monkeypatch.setattr(readback, "read_filled", spy)
    assert readback.read_isolated(sheet, RULES).projects
    assert readers.read_text().split() and str(os.getpid()) not in readers.read_text().split()
    with pytest.raises(SheetError, match="复核底稿无法读取"):
        readback.read_isolated(sheet, RULES, Limits(seconds=1))
