"""The gallery (tests/gallery.py): each form as departments send it is found, read with its own layout,
checked with its own system; planted problems are found at their cells, the correct copy draws nothing."""
from __future__ import annotations

import pytest

import gallery
from selfeval_xl.checks import check_workbook
from selfeval_xl.read import read_workbook
from selfeval_xl.system import load_system


def _check(built, system=None):
    data = read_workbook(built.path)
    return data, check_workbook(data, load_system(system) if system else None)


@pytest.mark.parametrize("form, layout, rows", [
    (gallery.anhui, "project", 7), (gallery.hebei, "project", 5),
    (gallery.national_2021, "national-2021-project", 7), (gallery.sichuan, "sichuan-project", 7)])
@pytest.mark.parametrize("top, left", [(1, 1), (6, 4)])
def test_each_correct_copy_is_read_with_its_layout_and_draws_no_finding(tmp_path, form, layout, rows, top, left):
    data, report = _check(form(tmp_path / "ok.xlsx", top=top, left=left))
    [table] = data.tables
    assert (table.layout, len(table.rows())) == (layout, rows)
    assert report.findings == []


def test_anhui_wps_labels_and_the_zero_budget_as_sent(tmp_path):
    data, _ = _check(gallery.anhui(tmp_path / "ok.xlsx"))
    [table] = data.tables
    assert set(table.funds) == {"total", "current", "carryover", "other"}   # 年度资金总额: / 其中:本年财政拨款
    built = gallery.anhui(tmp_path / "sent.xlsx", gallery.ANHUI_AS_SENT)
    _, report = _check(built)
    found = {(f.code, f.cell) for f in report.findings}
    assert found == {("budget-zero", built.ref(("funds", "total", "budget")))} | {
        ("funds-total-mismatch", built.ref(("funds", "total", k))) for k in ("initial", "budget", "spent")}


def test_hebei_placeholders_are_empty_slots_not_indicators(tmp_path):
    built = gallery.hebei(tmp_path / "sent.xlsx", {("ind", 1, "actual"): None})
    _, report = _check(built)
    assert [(f.code, f.cell) for f in report.findings] == [("required-blank", built.ref(("ind", 1, "actual")))]


def test_sichuan_form_checked_with_its_system(tmp_path):
    data, _ = _check(gallery.sichuan(tmp_path / "ok.xlsx"))
    [table] = data.tables
    assert set(table.funds) == {"total", "current", "special", "own", "other"}
    assert table.total is not None and table.field_text("implementer") == "某县农业技术推广中心"
    levels = {r.level1 for r in table.rows()}
    assert levels == {"产出指标", "效益指标"}              # footer and signature rows are not indicators


def test_text_rows_close_the_table_even_without_its_total_row(tmp_path):
    data, report = _check(gallery.sichuan(tmp_path / "cut.xlsx", total_row=False))
    [table] = data.tables
    assert len(table.rows()) == len(gallery.SICHUAN_ROWS) and report.findings == []


def test_sichuan_planted_problems_at_their_cells(tmp_path):
    edits = {("goal", "achieved"): gallery.SICHUAN_INSTRUCTION,
             ("funds", "total", "spent"): 170, ("funds", "current", "spent"): 122,
             ("funds", "total", "rate"): 0.85, ("funds", "total", "score"): 8.5, "total": 98.5,
             ("ind", 3, "actual"): "11月"}
    built = gallery.sichuan(tmp_path / "sent.xlsx", edits)
    _, report = _check(built)
    found = {(f.code, f.cell) for f in report.findings}
    assert found == {("required-blank", built.ref(("goal", "achieved"))),
                     ("exec-rate-unexplained", built.ref(("funds", "total", "rate"))),
                     ("score-mismatch", built.ref(("ind", 3, "score")))}
    blank = next(f for f in report.findings if f.code == "required-blank")
    assert "填写说明" in blank.message and "100字以内" in blank.message
    late = next(f for f in report.findings if f.code == "score-mismatch")
    assert str(late.expected) == "8.17"                    # 9月前 met in 11月: 273/334 of 10


def test_sichuan_reason_given_in_its_own_column_explains_a_low_rate(tmp_path):
    edits = {("funds", "total", "spent"): 170, ("funds", "current", "spent"): 122,
             ("funds", "total", "rate"): 0.85, ("funds", "total", "score"): 8.5, "total": 98.5,
             ("funds", "total", "note"): "部分乡镇示范点延至次年实施"}
    _, report = _check(gallery.sichuan(tmp_path / "sent.xlsx", edits))
    assert report.findings == []


def test_national_2021_cost_level_and_split(tmp_path):
    edits = {("ind", 0, "target"): "≥300万元", ("ind", 0, "actual"): "300万元",
             ("ind", 0, "weight"): 20, ("ind", 0, "score"): 20, ("ind", 1, "weight"): 10, ("ind", 1, "score"): 10}
    built = gallery.national_2021(tmp_path / "sent.xlsx", edits)
    _, report = _check(built)
    found = {(f.code, f.cell) for f in report.findings}
    assert found == {("cost-not-reverse", built.ref(("ind", 0, "target"))),
                     ("weight-split-differs", built.ref(("ind", 0, "weight"))),
                     ("weight-split-differs", built.ref(("ind", 1, "weight")))}
    assert all(f.severity == "warning" for f in report.findings)


def test_system_given_still_overrides_the_layouts(tmp_path):
    built = gallery.national_2021(tmp_path / "ok.xlsx")
    _, report = _check(built, "national-project")
    assert ("unknown-level", built.ref(("ind", 0, "level1"))) in {(f.code, f.cell) for f in report.findings}


def test_no_table_names_the_closest_sheet_and_its_headers(tmp_path):
    data = read_workbook(gallery.no_table(tmp_path / "none.xlsx"))
    [finding] = check_workbook(data).findings
    assert finding.code == "no-table" and finding.sheet == "绩效表"
    assert "一级指标、二级指标、得分" in finding.message
    assert "三级指标" in finding.message and "分值" in finding.message
