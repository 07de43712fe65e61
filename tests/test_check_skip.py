"""``check --skip CODE`` and a system's ``severity:`` map (frictionless' pick/skip errors, issue 23)."""
from __future__ import annotations

import json

import openpyxl
import pytest

from check_workbooks import build_project
from selfeval_xl.checks import check_table
from selfeval_xl.cli import main
from selfeval_xl.core.datafiles import DataFileError
from selfeval_xl.read import read_workbook
from selfeval_xl.core.system import load_system
from selfeval_xl.checks.registry import check_overrides

WRONG = {"total": 95.95, "grade": "良"}       # total-mismatch (error) and grade-mismatch (error)


def _codes(path):
    return [f["code"] for r in json.loads(path.read_text(encoding="utf-8"))["files"] for f in r["findings"]]


def test_a_skipped_code_is_in_no_output_and_named_in_the_checks_sheet(tmp_path):
    built = build_project(tmp_path / "t.xlsx", edits=WRONG)
    out, report = tmp_path / "out.json", tmp_path / "report.xlsx"
    assert main(["check", str(built.path), "--json", str(out), "-j", "1", "-q"]) == 1
    assert set(_codes(out)) == {"total-mismatch", "grade-mismatch"}
    assert main(["check", str(built.path), "--json", str(out), "-r", str(report), "-j", "1", "-q",
                 "--skip", "total-mismatch", "--skip", "grade-mismatch"]) == 0
    assert _codes(out) == []
    wb = openpyxl.load_workbook(report)
    assert [r for r in wb["问题清单"].iter_rows(min_row=2, values_only=True) if any(r)] == []
    sheet = [r for r in wb["检查说明"].iter_rows(values_only=True)]
    assert "total-mismatch、grade-mismatch" in sheet[1][0]
    assert "total-mismatch" not in [r[0] for r in sheet[2:]]


def test_skip_takes_a_comma_list(tmp_path):
    built = build_project(tmp_path / "t.xlsx", edits=WRONG)
    out = tmp_path / "out.json"
    assert main(["check", str(built.path), "--json", str(out), "-j", "1", "-q", "--skip", "total-mismatch,grade-mismatch"]) == 0


def test_an_unknown_skip_code_is_a_usage_error(tmp_path, capsys):
    built = build_project(tmp_path / "t.xlsx")
    assert main(["check", str(built.path), "-j", "1", "--skip", "total-mismatch,no-such-code"]) == 2
    err = capsys.readouterr().err
    assert "no-such-code" in err and "未知的检查代码" in err and "unknown check code" in err


def _system(tmp_path, severity: str):
    from pathlib import Path

    import selfeval_xl
    text = (Path(selfeval_xl.__file__).parent / "systems" / "national-project.yaml").read_text(encoding="utf-8")
    path = tmp_path / "sys.yaml"
    path.write_text(text + f"\nseverity: {severity}\n", encoding="utf-8")
    return path


def test_a_system_turns_a_code_off_or_relevels_it(tmp_path):
    built = build_project(tmp_path / "t.xlsx", edits=WRONG)
    table = read_workbook(built.path).tables[0]
    system = load_system(_system(tmp_path, "{total-mismatch: 'off', grade-mismatch: warning}"))
    found = check_table(str(built.path), table, system)
    assert [(f.code, f.severity.value) for f in found] == [("grade-mismatch", "warning")]


@pytest.mark.parametrize("severity, problem", [("{no-such-code: warning}", "no-such-code"),
                                               ("{total-mismatch: loud}", "loud")])
def test_a_bad_override_is_a_load_error(tmp_path, severity, problem, capsys):
    path = _system(tmp_path, severity)
    with pytest.raises(DataFileError, match=problem):
        check_overrides(load_system(path))
    built = build_project(tmp_path / "t.xlsx")
    assert main(["check", str(built.path), "--system", str(path), "-j", "1"]) == 2
    assert problem in capsys.readouterr().err


def test_a_system_relevels_a_quality_rule_of_its_tables(tmp_path):
    """The 指标质量 rules one table shows are table checks: a system's ``severity:`` reaches them, over
    the pack's severity (README: which overrides go where)."""
    built = build_project(tmp_path / "t.xlsx", edits={("ind", 2, "level3"): "资金拨付及时性", ("ind", 2, "target"): "及时",
                                                     ("ind", 2, "actual"): "达成年度指标"})
    table = read_workbook(built.path).tables[0]
    plain = {f.code: f.severity.value for f in check_table(str(built.path), table)}
    assert plain.get("time-without-date") == "warning"
    system = load_system(_system(tmp_path, "{time-without-date: error}"))
    found = {f.code: f.severity.value for f in check_table(str(built.path), table, system)}
    assert found.get("time-without-date") == "error"


@pytest.mark.parametrize("code", ["wording-shared-across-units", "report-table-mismatch"])
def test_a_system_cannot_set_a_code_no_table_of_it_raises(tmp_path, code):
    """The rules across files and the report checks are not under one table's system (README says why)."""
    with pytest.raises(DataFileError, match=code):
        check_overrides(load_system(_system(tmp_path, f"{{{code}: error}}")))
