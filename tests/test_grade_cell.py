"""The 等级 cell as tables write it: a word for a grade (优秀 for 优) is that grade; words that name none are
said not understood, never an error; a legend of the grades beside the 等级 label (a row of them, or a
sentence) is not the table's 等级, neither checked nor overwritten by ``selfeval score``."""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given, settings as hyp_settings, strategies as st

import selfeval_xl
from check_workbooks import PROJECT_GRADE, build_project
from selfeval_xl.checks import check_workbook
from selfeval_xl.cli import main as cli_main
from selfeval_xl.core import rules
from selfeval_xl.core.datafiles import DataFileError
from selfeval_xl.core.system import load_system
from selfeval_xl.read import read_workbook

LEGEND_SENTENCE = "90分（含）以上为优，80（含）-90分为良，60（含）-80分为中，60分以下为差"


def _grade_findings(path):
    report = check_workbook(read_workbook(path))
    return [(f.code, f.cell) for f in report.findings if f.code.startswith("grade") or f.code == "stale-cached-value"]


def _legend_row(tmp_path, values):
    """A project table whose 等级 row is a legend: its cells after the label hold ``values``, the
    table's own 等级 cell left blank."""
    built = build_project(tmp_path / "t.xlsx")
    row, col = built.cells["grade"]
    wb = openpyxl.load_workbook(built.path)
    ws = wb[built.sheet]
    ws.cell(row, col).value = None
    for i, value in enumerate(values):
        ws.cell(row, col - 5 + i).value = value
    wb.save(built.path)
    return built


def test_a_legend_row_of_the_grades_is_not_the_tables_grade(tmp_path):
    built = _legend_row(tmp_path, ["差", "中", "良", "优"])       # the old reading took 差 as the 等级
    assert _grade_findings(built.path) == []
    table = read_workbook(built.path).tables[0]
    assert table.grade.text == "差" and table.grade_row == ("中", "良", "优")


@pytest.mark.parametrize("legend", [LEGEND_SENTENCE, "90分以上为优秀，80-90分为良好，其余为中"])
def test_a_legend_sentence_in_the_grade_cell_is_not_the_tables_grade(tmp_path, legend):
    built = build_project(tmp_path / "t.xlsx", edits={"grade": legend})
    assert _grade_findings(built.path) == []


@pytest.mark.parametrize("typed, found", [
    ("优秀", []),                                         # 优 in other words: right
    (" 优 ", []),
    ("良好", [("grade-mismatch", "grade")]),               # 良 in other words: still the wrong grade
    ("良", [("grade-mismatch", "grade")]),
    ("合格", [("grade-not-understood", "grade")]),        # none of 优良中差: said, not judged
    (None, [("grade-mismatch", "grade")]),                # left blank: the 等级 is missing
    ("良（其中扣分项见说明）", [("grade-not-understood", "grade")]),   # names two grades, but is no legend
])
def test_a_grade_in_other_words(tmp_path, typed, found):
    built = build_project(tmp_path / "t.xlsx", edits={"grade": typed})
    row = built.ref("grade")[1:]               # a blank 等级 is pointed at just after its label
    assert [(code, cell if typed else cell[1:]) for code, cell in _grade_findings(built.path)] == \
        [(code, built.ref(at) if typed else row) for code, at in found]


def test_a_not_understood_grade_is_a_warning_naming_the_grades(tmp_path):
    built = build_project(tmp_path / "t.xlsx", edits={"grade": "合格"})
    report = check_workbook(read_workbook(built.path))
    (f,) = [f for f in report.findings if f.code == "grade-not-understood"]
    assert f.severity.value == "warning" and "优、良、中、差" in f.message and f.expected == PROJECT_GRADE


def test_score_keeps_a_legend_and_a_word_for_the_right_grade(tmp_path):
    legend = _legend_row(tmp_path, ["差", "中", "良", "优"])
    row, col = legend.cells["grade"]
    words = build_project(tmp_path / "w.xlsx", edits={"grade": "优秀"})
    assert cli_main(["score", str(legend.path), str(words.path), "-o", str(tmp_path / "out")]) == 0
    scored = openpyxl.load_workbook(tmp_path / "out" / "t.xlsx")[legend.sheet]
    assert [scored.cell(row, c).value for c in range(col - 5, col + 1)] == ["差", "中", "良", "优", None, None]
    assert openpyxl.load_workbook(tmp_path / "out" / "w.xlsx")[words.sheet][words.ref("grade")].value == "优秀"


def test_grade_words_are_a_setting_of_the_system(tmp_path):
    text = (Path(selfeval_xl.__file__).parent / "systems" / "national-project.yaml").read_text(encoding="utf-8")
    path = tmp_path / "s.yaml"
    assert "  grades: [[90, 优], [80, 良], [60, 中], [0, 差]]\n" in text
    path.write_text(text.replace("  grades: [[90, 优], [80, 良], [60, 中], [0, 差]]\n",
                                 "  grades: [[60, 合格], [0, 不合格]]\n  grade_words: {达标: 合格}\n"), encoding="utf-8")
    settings = load_system(str(path)).settings
    assert rules.grade_named("达标", settings) == "合格" and rules.grade_named("优秀", settings) is None
    assert not rules.grade_legend("优秀、良好、中等", (), settings)        # words for grades it does not have
    only_grades = replace(rules.DEFAULT_SETTINGS, grades=((60.0, "合格"), (0.0, "不合格")))   # the default words
    assert rules.grade_named("优秀", only_grades) is None and not rules.grade_legend("优秀、良好、中等", (), only_grades)
    assert rules.grade_legend("达标", ("不合格",), settings)              # its grades in cells of their own
    path.write_text(path.read_text(encoding="utf-8").replace("{达标: 合格}", "{达标: 优}"), encoding="utf-8")
    with pytest.raises(DataFileError, match="grade_words"):
        load_system(str(path))


@hyp_settings(deadline=None, max_examples=200)
@given(st.text(alphabet="优良中差秀好等较合格分以上为，0-9 ", max_size=12), st.lists(st.sampled_from(
    ["优", "良", "中", "差", "优秀", "", "说明", "合格"]), max_size=4))
def test_one_grade_among_other_cells_is_never_a_legend(text, others):
    """A legend names two grades or more: a cell naming one grade beside cells naming no other is the
    table's 等级, read and checked."""
    named = {rules.grade_named(t) for t in (text, *others)} - {None}
    if len(named) == 1 and rules.grade_named(text) is not None:
        assert not rules.grade_legend(text, others)
    if len(named) > 1:
        assert rules.grade_legend(text, others)


def test_a_drafted_report_takes_the_grade_of_the_total_not_of_a_legend(tmp_path):
    from selfeval_xl.checks import system_for
    from selfeval_xl.core.recompute import recompute
    from selfeval_xl.narrative.summary import summarise

    table = read_workbook(_legend_row(tmp_path, ["差", "中", "良", "优"]).path).tables[0]
    system = system_for(table, None)
    assert summarise(table, recompute(table, system), system).grade == PROJECT_GRADE
    words = read_workbook(build_project(tmp_path / "w.xlsx", edits={"grade": "优秀"}).path).tables[0]
    assert summarise(words, recompute(words, system), system).grade == "优秀"      # as the table says it


def test_the_review_sheet_takes_the_grade_the_table_names(tmp_path):
    """复核 compares its grade with the 自评等级: 优秀 is 优 (no change of grade), a legend is no grade."""
    from selfeval_xl.checks import system_for
    from selfeval_xl.core.recompute import recompute
    from selfeval_xl.review.projects import project_of

    def self_grade(path):
        table = read_workbook(path).tables[0]
        system = system_for(table, None)
        return project_of(str(path), table, recompute(table, system), system).grade

    assert self_grade(build_project(tmp_path / "w.xlsx", edits={"grade": "优秀"}).path) == "优"
    assert self_grade(build_project(tmp_path / "h.xlsx", edits={"grade": "合格"}).path) == "合格"
    assert self_grade(_legend_row(tmp_path, ["差", "中", "良", "优"]).path) == ""
