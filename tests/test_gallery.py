"""The gallery (tests/gallery.py): each form as departments send it is found, read with its own layout,
checked with its own system; planted problems are found at their cells, the correct copy draws nothing."""
from __future__ import annotations

import os

import pytest

import gallery
from selfeval_xl.checks import check_workbook
from selfeval_xl.core.datafiles import DataFileError
from selfeval_xl.core.layout import load_layout
from selfeval_xl.read import read_workbook
from selfeval_xl.core.system import load_system


def _check(built, system=None):
    data = read_workbook(built.path)
    return data, check_workbook(data, load_system(system) if system else None)


@pytest.mark.parametrize("form, layout, rows", [
    (gallery.anhui, "project", 7), (gallery.hebei, "project", 5),
    (gallery.national_2021, "national-2021-project", 7), (gallery.sichuan, "sichuan-project", 7),
    (gallery.anhui_department, "department-output", 6), (gallery.guizhou_department, "department-output-ab", 5)])
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


@pytest.mark.parametrize("header, said", [("年初预算数(A)", "年初预算数"), ("预算数(A)", "预算数")])
def test_a_zero_budget_is_named_in_the_tables_own_words(tmp_path, header, said):
    built = gallery.guizhou_department(tmp_path / "zero.xlsx", {("funds", "total", "budget"): 0},
                                       funds_header=("项目", header, *gallery.GUIZHOU_FUNDS_HEADER[2:]))
    _, report = _check(built)
    [zero] = [f for f in report.findings if f.code == "budget-zero"]
    assert zero.cell == built.ref(("funds", "total", "budget"))
    assert zero.message.startswith(f"年度资金总额的{said}为0"), zero.message


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


def test_an_untitled_sichuan_copy_is_known_by_its_own_header_words(tmp_path):
    data, report = _check(gallery.sichuan(tmp_path / "bare.xlsx", titled=False))
    assert data.tables[0].layout == "sichuan-project" and report.findings == []


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


def test_the_forms_instruction_left_in_the_reason_column_explains_nothing(tmp_path):
    edits = {("funds", "total", "spent"): 170, ("funds", "current", "spent"): 122,
             ("funds", "total", "rate"): 0.85, ("funds", "total", "score"): 8.5, "total": 98.5,
             ("funds", "total", "note"): "说明偏差原因（50字以内）"}
    built = gallery.sichuan(tmp_path / "sent.xlsx", edits)
    _, report = _check(built)
    assert {(f.code, f.cell) for f in report.findings} == {
        ("exec-rate-unexplained", built.ref(("funds", "total", "rate"))),
        ("required-blank", built.ref(("funds", "total", "note")))}


def test_national_2021_cost_level_and_split(tmp_path):
    edits = {("ind", 0, "target"): "≥300万元", ("ind", 0, "actual"): "300万元",
             ("ind", 0, "weight"): 20, ("ind", 0, "score"): 20, ("ind", 1, "weight"): 10, ("ind", 1, "score"): 10}
    built = gallery.national_2021(tmp_path / "sent.xlsx", edits)
    _, report = _check(built)
    found = {(f.code, f.cell) for f in report.findings}
    assert found == {("cost-direction", built.ref(("ind", 0, "target"))),
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


def test_fill_takes_cost_indicators_under_the_2021_system_and_check_reads_them_back(tmp_path):
    from selfeval_xl.fill import fill, load_systems

    data = tmp_path / "data"
    data.mkdir()
    (data / "项目.csv").write_text("单位,项目名称,主管部门,全年预算数,全年执行数\n某厅,农村公路提质改造,交通运输部,1000,985\n",
                                   encoding="utf-8")
    rows = [("成本指标", "经济成本指标", "单位建设成本", "≤", "300万元", "280万元", 10),
            ("产出指标", "数量指标", "改造公路", "≥", "20公里", "21公里", 40),
            ("效益指标", "社会效益指标", "通行时间缩短", "≥", "20%", "22%", 30),
            ("满意度指标", "服务对象满意度指标", "群众满意度", "≥", "90%", "93%", 10)]
    (data / "指标.csv").write_text("项目,一级指标,二级指标,三级指标,指标性质,年度指标值,实际完成值,分值\n" + "".join(
        f"农村公路提质改造,{','.join(map(str, r))}\n" for r in rows), encoding="utf-8")
    refused = fill(data, tmp_path / "old", load_systems(), year=2023)
    assert not refused.ok and "成本指标" in str(refused.problems)
    result = fill(data, tmp_path / "out", load_systems(["national-2021-project"]), year=2023)
    assert result.ok, result.problems
    [written] = result.written
    read = read_workbook(written.path)
    [table] = read.tables
    assert table.layout == "national-2021-project" and table.system_name == "national-2021-project"
    assert check_workbook(read).findings == []


@pytest.mark.parametrize("layout", ["project", "national-2021-project", "sichuan-project", "department",
                                    "department-output", "department-output-ab"])
def test_template_of_each_layout_reads_back_as_that_layout(tmp_path, layout):
    from selfeval_xl.cli import main
    from selfeval_xl.core.layout import load_layout

    out = tmp_path / f"{layout}.xlsx"
    assert main(["template", "--layout", layout, "--year", "2022", "-o", str(out)]) == 0
    [table] = read_workbook(out).tables
    declared = load_layout(layout)
    assert (table.layout, table.system_name) == (layout, declared.system)
    assert set(table.funds) == {row.key for row in declared.funds.rows}
    assert {f"indicators.{c.key}" for c in declared.indicators.columns} <= set(table.headers)
    scored = next((row.key for row in declared.funds.rows if row.scored), None)
    if scored:                       # 总分 counts the 预算执行 得分 of the funds block, of either kind
        assert table.funds[scored].get("score").ref in table.total.formula


def test_template_needs_a_kind_or_a_layout_of_that_kind(tmp_path):
    from selfeval_xl.cli import main

    assert main(["template", "-o", str(tmp_path / "x.xlsx")]) == 2
    assert main(["template", "department", "--layout", "sichuan-project", "-o", str(tmp_path / "x.xlsx")]) == 2


def test_systems_lists_and_validates_layouts(tmp_path, capsys):
    from selfeval_xl.cli import main

    assert main(["systems"]) == 0
    out = capsys.readouterr().out
    assert "sichuan-project  [project]  部门预算项目支出绩效自评表 → sichuan-project" in out
    assert "预算执行 10 + 成本指标 10 + 产出指标 40 + 效益指标 30 + 满意度指标 10 = 100" in out
    own = tmp_path / "my-layout.yaml"
    own.write_text("extends: project\nsystem: no-such-system\n", encoding="utf-8")
    assert main(["systems", str(own)]) == 1
    assert "no-such-system" in capsys.readouterr().err


def test_an_answer_that_merely_starts_like_the_instructions_is_an_answer(tmp_path):
    built = gallery.sichuan(tmp_path / "ok.xlsx", {("goal", "achieved"): "对照年度目标，全部完成，说明如下：培训520人次"})
    data, report = _check(built)
    assert report.findings == [] and data.tables[0].goal["achieved"].text.startswith("对照")


def test_a_bureaus_own_layout_and_system_files_are_recognised_by_check(tmp_path, monkeypatch):
    """``--layout`` reaches the pooled workers with their tasks (no environment variable carries it),
    and ``SELFEVAL_LAYOUTS``, the user's setting, is read once by the command and handed down the same way."""
    from selfeval_xl.cli import main
    from selfeval_xl.cli.check import LAYOUTS_ENV

    monkeypatch.delenv(LAYOUTS_ENV, raising=False)
    own = tmp_path / "bureau"
    own.mkdir()
    (own / "city-system.yaml").write_text(
        "name: city-project\nkind: project\nbudget_execution_weight: 10\nlevels:\n"
        "  - {name: 产出指标, weight: 60, children: [{name: 数量指标}, {name: 质量指标}, {name: 时效指标}, {name: 成本指标}]}\n"
        "  - {name: 效益指标, weight: 30, children: [{name: 社会效益指标}, {name: 可持续影响指标}]}\n", encoding="utf-8")
    (own / "city-layout.yaml").write_text("extends: project\nsystem: city-system.yaml\n"
                                          "recognise: {codes: [\"CITY-2022-07\"]}\n", encoding="utf-8")
    rows = [r for r in gallery.ANHUI_ROWS if r[0] != "满意度指标"]
    rows[0] = (*rows[0][:5], 30, 30, "")                       # 产出 60 + 效益 30, no 满意度
    built = gallery.anhui(tmp_path / "sent.xlsx", rows=rows, code="CITY-2022-07")
    assert main(["check", "-q", str(built.path)]) == 1           # the national system wants 满意度
    assert main(["check", "-j", "2", "--layout", str(own / "city-layout.yaml"), str(built.path)]) == 0
    assert LAYOUTS_ENV not in os.environ                         # the command set no variable for its workers
    assert read_workbook(built.path).tables[0].layout != str((own / "city-layout.yaml").resolve())
    [table] = read_workbook(built.path, own=(str(own / "city-layout.yaml"),)).tables
    assert table.layout == str((own / "city-layout.yaml").resolve())
    monkeypatch.setenv(LAYOUTS_ENV, str(own / "city-layout.yaml"))   # the user's setting, for score and summary
    assert main(["summary", "-j", "2", str(built.path), "-o", str(tmp_path / "汇总.xlsx")]) == 0
    monkeypatch.delenv(LAYOUTS_ENV)
    bad = own / "bad-layout.yaml"
    bad.write_text("extends: project\nsystem: missing.yaml\n", encoding="utf-8")
    assert main(["check", "--layout", str(bad), str(built.path)]) == 2


@pytest.mark.parametrize("form", [gallery.anhui_department, gallery.guizhou_department])
def test_a_department_table_with_output_levels_is_checked_with_its_own_system(tmp_path, form):
    data, _ = _check(form(tmp_path / "ok.xlsx"))
    [table] = data.tables
    assert table.kind == "department" and load_layout(table.layout).system == "department-output"
    assert set(table.funds) == {"total", "basic", "project"} and table.budget_scored
    assert {r.level1 for r in table.rows()} == {"产出指标", "效益指标", "满意度指标"}
    assert table.field_text("unit_name").startswith("某县")
    assert table.total is not None and table.grade is not None    # the 填报人 row after them is no indicator


def test_anhui_department_planted_problems_at_their_cells(tmp_path):
    edits = {("funds", "total", "score"): 10, ("funds", "total", "rate"): 0.9, ("funds", "basic", "spent"): 800,
             ("ind", 0, "score"): 18, ("ind", 0, "reason"): "一项任务顺延", "total": 98}
    built = gallery.anhui_department(tmp_path / "sent.xlsx", edits)
    _, report = _check(built)
    assert {(f.code, f.cell) for f in report.findings} == {
        ("exec-score-mismatch", built.ref(("funds", "total", "score"))),       # MIN(1200/1250, 1) × 10 = 9.6
        ("dept-funds-sum-mismatch", built.ref(("funds", "total", "spent"))),   # 800 + 390 ≠ 1200
        ("exec-rate-mismatch", built.ref(("funds", "total", "rate"))),
        ("score-mismatch", built.ref(("ind", 0, "score")))}
    exec_score = next(f for f in report.findings if f.code == "exec-score-mismatch")
    assert str(exec_score.expected) == "9.60"


def test_guizhou_department_funds_scored_by_a_and_b_its_method_text_read_or_said_unread(tmp_path):
    """The form's own 得分计算方法 (执行率=B/A，得分=执行率×分值，执行率超过100%的按100%计) is the national rule and
    is applied; a method in other words is not guessed at (issue 19): the score stands unreviewed, and says so."""
    built = gallery.guizhou_department(tmp_path / "sent.xlsx", {("funds", "total", "score"): 9.5,
                                                               ("funds", "total", "note"): "得分=10×B/A+1", "total": 99.5})
    data, report = _check(built)
    assert data.tables[0].funds["total"].get("note").text == "得分=10×B/A+1"
    [finding] = report.findings
    assert (finding.code, finding.cell) == ("exec-rule-unknown", built.ref(("funds", "total", "note")))
    stated = gallery.guizhou_department(tmp_path / "stated.xlsx", {("funds", "total", "score"): 9.5, "total": 99.5})
    [finding] = _check(stated)[1].findings
    assert (finding.code, finding.cell, str(finding.expected)) == (
        "exec-score-mismatch", built.ref(("funds", "total", "score")), "9.20")      # 460 / 500 × 10
    over = gallery.guizhou_department(tmp_path / "over.xlsx", {("funds", "total", "spent"): 520,
                                                              ("funds", "project", "spent"): 230})
    [finding] = _check(over)[1].findings
    assert (finding.code, str(finding.expected)) == ("exec-score-mismatch", "10.00")   # MIN(520/500, 1) × 10


def test_a_department_table_without_a_level_is_told_of_its_own_levels_only(tmp_path):
    built = gallery.guizhou_department(tmp_path / "sent.xlsx", {("ind", 4, "level1"): "效益指标",
                                                               ("ind", 4, "level2"): "社会效益指标"})
    _, report = _check(built)
    missing = [f.message for f in report.findings if f.code == "level-missing"]
    assert missing == ["缺少一级指标“满意度指标”（分值 10）"]
    assert not any("管理效能" in f.message or "履职效能" in f.message for f in report.findings)
    assert {f.code for f in report.findings} == {"level-missing", "weight-split-differs"}


def test_a_department_table_whose_funds_headers_are_not_recognised_is_still_not_guangzhous(tmp_path):
    built = gallery.guizhou_department(tmp_path / "sent.xlsx",
                                       funds_header=("项目", "预算", "支出", "权数", "分数", "说明"))
    data, report = _check(built)
    [table] = data.tables
    assert table.layout.startswith("department-output") and table.funds == {}
    assert not any(f.code == "level-missing" for f in report.findings)


def test_a_department_split_of_its_own_summing_to_100_is_a_warning(tmp_path):
    edits = {("ind", 0, "weight"): 25, ("ind", 0, "score"): 25, ("ind", 3, "weight"): 25, ("ind", 3, "score"): 25}
    built = gallery.guizhou_department(tmp_path / "split.xlsx", edits)
    _, report = _check(built)
    assert {(f.code, f.severity) for f in report.findings} == {("weight-split-differs", "warning")}


@pytest.mark.parametrize("word", ["反向指标", "反向", "≤"])
def test_direction_words_as_provinces_write_them_are_read(tmp_path, word):
    """公用经费支出 ≤120万元 at 130万元 scores 120/130 of 15 whichever way the form writes 反向."""
    built = gallery.guizhou_department(tmp_path / "sent.xlsx", {("ind", 2, "direction"): word,
                                                               ("ind", 2, "actual"): "130万元"})
    [finding] = _check(built)[1].findings
    assert (finding.code, finding.cell, str(finding.expected)) == ("score-mismatch", built.ref(("ind", 2, "score")),
                                                                   "13.85")


def test_sichuan_direction_words_draw_no_finding_and_an_unknown_word_is_still_reported(tmp_path):
    words = {("ind", 0, "direction"): "正向指标", ("ind", 1, "direction"): "定量", ("ind", 4, "direction"): "反向指标",
             ("ind", 5, "direction"): "定性指标"}
    assert _check(gallery.sichuan(tmp_path / "ok.xlsx", words))[1].findings == []
    built = gallery.sichuan(tmp_path / "bad.xlsx", {("ind", 0, "direction"): "正反向"})
    [finding] = _check(built)[1].findings
    assert (finding.code, finding.cell) == ("unparseable-value", built.ref(("ind", 0, "direction")))


def test_a_layout_direction_word_must_translate_to_one_the_rules_know(tmp_path):
    bad = tmp_path / "my-layout.yaml"
    bad.write_text("extends: project\ndirections: {向上指标: 朝上, 定量: ''}\n", encoding="utf-8")
    with pytest.raises(DataFileError, match="directions.向上指标"):
        load_layout(bad)
    bad.write_text("extends: project\ndirections: {向上指标: 正向, 定量: ''}\n", encoding="utf-8")
    assert dict(load_layout(bad).directions) == {"向上指标": "正向", "定量": ""}
