"""Rounding as shown (issue 19): a stated figure equal to the computed one at the decimals its cell shows
is right (86% shown for 86.2%); a cell that shows what it holds (General) is held to it."""
from openpyxl import load_workbook

from check_workbooks import build_project
from selfeval_xl.checks import check_workbook
from selfeval_xl.core.parse import shown_places
from selfeval_xl.read import read_workbook


def _checked(tmp_path, edits, formats):
    built = build_project(tmp_path / "t.xlsx", edits=edits)
    wb = load_workbook(built.path)
    for name, number_format in formats.items():
        wb[built.sheet][built.ref(name)].number_format = number_format
    wb.save(built.path)
    return built, {(f.code, f.cell) for f in check_workbook(read_workbook(built.path)).findings}


def test_a_rate_right_at_the_percent_it_shows(tmp_path):
    rate = ("funds", "total", "rate")                      # computed 99.76%
    built, found = _checked(tmp_path, {rate: 1}, {rate: "0%"})
    assert found == set()                                  # shows 100%, as 99.76% shows in 0%
    built, found = _checked(tmp_path, {rate: 0.99}, {rate: "0%"})
    assert found == {("exec-rate-mismatch", built.ref(rate))}
    built, found = _checked(tmp_path, {rate: 1}, {rate: "0.00%"})
    assert found == {("exec-rate-mismatch", built.ref(rate))}


def test_a_score_right_at_the_decimals_it_shows(tmp_path):
    score = ("funds", "total", "score")                    # computed 9.98
    edits = {score: 10, "total": 100}
    assert _checked(tmp_path, edits, {score: "0.0"})[1] == set()
    built, found = _checked(tmp_path, edits, {score: "General"})
    assert found == {("exec-score-mismatch", built.ref(score))}


def test_what_a_cell_shows():
    assert [shown_places(v, f) for v, f in ((0.86, "0%"), (0.862, "0.00%"), (9.3, "0.0"), (9, "0"),
                                            (5, "#,##0.00_ "), (9, "General"), (9, None))] == [2, 4, 1, 0, 2, None, None]
    assert [shown_places(t, None) for t in ("86%", "99.76%", "９８％", "9.3", "约90%")] == [2, 4, 2, None, None]


def test_a_format_that_does_not_round_to_decimals_shows_no_fixed_places():
    """Text (@), scientific and fraction formats show no fixed decimals: a figure in them is held to full precision."""
    assert [shown_places(v, f) for v, f in ((0.5, "@"), (12345.678, "0.00E+00"), (0.5, "# ?/?"),
                                            (0.86, '0.0"%"'), (0.86, "0.0;[Red]-0.0"))] == [None, None, None, 1, 1]


def test_a_rule_stated_in_words_is_read_or_said_unread(tmp_path):
    """得分计算方法 beside 年度资金总额: the common forms are applied (20分*执行率 gives 预算执行 20 points in
    a form without a 分值 cell); any other wording leaves the score unreviewed, with a warning."""
    total_score = ("funds", "total", "score")
    weight = ("funds", "total", "weight")

    def with_note(text, edits):
        built = build_project(tmp_path / f"{len(text)}.xlsx", edits=edits)
        wb = load_workbook(built.path)
        row, col = built.cells[total_score]
        wb[built.sheet].cell(row, col + 1, text)
        wb.save(built.path)
        return built, check_workbook(read_workbook(built.path))

    built, report = with_note("执行率*该指标分值,最高不得超过分值上限。", {})
    assert report.findings == []
    built, report = with_note("20分*执行率", {weight: None, total_score: 19.95, "total": 109.95})
    codes = {(f.code, f.cell) for f in report.findings}
    assert ("exec-score-mismatch", built.ref(total_score)) not in codes        # 20 × 99.76% = 19.95
    built, report = with_note("20分*执行率", {weight: None, total_score: 10, "total": 100})
    assert ("exec-score-mismatch", built.ref(total_score)) in {(f.code, f.cell) for f in report.findings}
    built, report = with_note("预算执行率未达到90%的，每低1个百分点扣1分", {total_score: 10, "total": 100})
    codes = {f.code for f in report.findings}
    assert "exec-rule-unknown" in codes and "exec-score-mismatch" not in codes and "total-mismatch" not in codes
