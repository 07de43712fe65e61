"""selfeval demo end to end, and the round trip behind it: fill → LibreOffice recalculation → check finds
no error in the correct workbooks and exactly the planted mistakes in the others."""
from __future__ import annotations

import json
import re
from pathlib import Path

import openpyxl
import pytest

from selfeval_xl.cli import main
from selfeval_xl.demo.run import apply_edit, compare_cached, run_demo
from selfeval_xl.demo.data import PLANTED, REAL_UNIT, generate, write_xlsx


def test_data_set_is_seeded_and_realistic():
    data = generate()
    assert data.tables == generate().tables
    assert data.tables != generate(seed=7).tables
    projects, indicators = data.tables["项目"], data.tables["指标"]
    assert len({p["单位"] for p in projects}) == 4 and len(projects) == 24
    assert {i["指标性质"] for i in indicators} == {"≥", "≤", "=", "区间", "定性"}
    real = next(u for u in data.tables["单位"] if u["单位"] == REAL_UNIT)
    assert float(real["基本支出预算数"] + real["项目支出预算数"]) == pytest.approx(1014.4)
    assert float(real["基本支出决算数"] + real["项目支出决算数"]) == pytest.approx(1011.98)
    museum = [d for d in data.tables["部门指标"] if d["单位"] == REAL_UNIT and d["三级指标"] == "参观人数"]
    assert [(m["年度指标值"], m["实际完成值"]) for m in museum] == [(15000, 46845)]
    assert len(PLANTED) >= 6 and all(p.data or p.edit for p in PLANTED)


def _codes(report) -> dict[Path, set[str]]:
    return {Path(r.path).name: {f.code for f in r.findings} for r in report.files}


def test_demo_without_libreoffice_checks_the_engine_values(tmp_path):
    result = run_demo(tmp_path / "demo", recalc=False, jobs=1)
    assert result.recalculated is None and result.fill_problems == []
    for path in result.outputs.values():
        assert path.exists(), path
    assert len(result.workbooks) == 28
    assert [p.found for p in result.planted] == [tuple(sorted(p.planted.expect)) for p in result.planted]
    planted = {p.path for p in result.planted}
    assert len(result.clean) == len(result.workbooks) - len(planted)
    data = json.loads((tmp_path / "demo" / "findings.json").read_text(encoding="utf-8"))
    assert len(data["files"]) == 28 and data["errors"] == result.report.errors
    messages = [f["message"] for file in data["files"] for f in file["findings"]]
    assert not [m for m in messages if re.search(r"\d\.0(?![\d%])", m)]    # 3000, not the float 3000.0
    assert not [m for m in messages if "local practice" in m]              # a Chinese message cites 地方做法
    summary = openpyxl.load_workbook(tmp_path / "demo" / "summary.xlsx")
    assert summary.sheetnames[0] == "概览" and REAL_UNIT in summary.sheetnames
    assert len(result.narratives) == 4                 # each 单位's report drafted, then checked
    for n in result.narratives:
        assert Path(n.report.path).exists() and n.report.warnings == 1      # its 【待填写】 placeholders
        assert n.report.errors == 0 or n.table_errors, n.report.path    # errors only where its tables have some
    assert any(n.report.errors for n in result.narratives)          # the planted table errors, restated
    assert any(not n.table_errors and not n.report.errors for n in result.narratives)


@pytest.mark.libreoffice
def test_round_trip_through_libreoffice(tmp_path):
    """The demo's data, filled and edited, recalculated by LibreOffice, then checked as recalculated."""
    from selfeval_xl.batch.holdback import run
    from selfeval_xl.fill import fill
    from selfeval_xl.engines.libreoffice import recalculate

    data = generate()
    write_xlsx(data, tmp_path / "data.xlsx")
    filled = fill(tmp_path / "data.xlsx", tmp_path / "filled", year=2021)
    assert filled.ok
    owners = {(w.unit, w.name if w.kind == "project" else None): w for w in filled.written}
    for planted in data.planted:
        if planted.edit:
            written = owners[planted.unit, planted.project]
            apply_edit(written.path, planted, written.kind)
    paths = [w.path for w in filled.written]
    recalculated = recalculate(paths, tmp_path / "recalculated")
    report = run(recalculated, jobs=1)
    codes = _codes(report)
    expected = {owners[p.unit, p.project].path.name: set(p.expect) for p in data.planted
                if not p.against_previous}           # no last year here: its workbooks are clean
    for name, found in codes.items():
        if name in expected:
            assert found == expected[name], name
        else:
            errors = [f for r in report.files if Path(r.path).name == name for f in r.findings
                      if f.severity.value == "error"]
            assert errors == [], name
    assert len(codes) == 28
    compared, mismatches = compare_cached(paths, recalculated)       # engine values = LibreOffice's
    assert compared > 300 and mismatches == []


def test_cli_prints_where_everything_is_and_refuses_a_used_folder(tmp_path, capsys):
    folder = tmp_path / "d"
    assert main(["demo", str(folder), "--no-recalc", "--jobs", "1"]) == 0
    out = capsys.readouterr().out
    for name in ("示例数据.xlsx", "工作簿", "report.xlsx", "findings.json", "summary.xlsx"):
        assert str(folder / name) in out
    assert out.count("√ 检出") == len(PLANTED) and "检查了 28 个文件" in out
    assert "100.0/" not in out and ".0/" not in out                   # 总分(填报/重算) as the table shows it
    assert all(p.what in out for p in PLANTED) and "上年示例数据.xlsx" in out
    assert main(["demo", str(folder), "--no-recalc"]) == 2
    (folder / "mine.txt").write_text("keep")
    assert main(["demo", str(folder), "--no-recalc", "--force", "--jobs", "1"]) == 0
    assert (folder / "mine.txt").read_text() == "keep"


def _soffice_without_calc(folder: Path) -> Path:
    """A LibreOffice with Writer but no Calc, as soffice answers there: every spreadsheet refused, exit 0."""
    folder.mkdir()
    fake = folder / "soffice"
    fake.write_text('#!/bin/sh\necho "$@" >> "$(dirname "$0")/called"\n'
                    'echo "Error: source file could not be loaded" >&2\nexit 0\n', encoding="utf-8")
    fake.chmod(0o755)
    return folder


def test_demo_with_writer_but_no_calc_says_so_and_goes_on_as_no_recalc(tmp_path, capsys, monkeypatch):
    import os

    bin_dir = _soffice_without_calc(tmp_path / "bin")
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    assert main(["demo", str(tmp_path / "d"), "--jobs", "1"]) == 0
    assert (bin_dir / "called").exists()                     # it tried LibreOffice …
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err and "LibreOfficeError" not in captured.err
    out = captured.out
    assert "没有 Calc" in out and "libreoffice-calc" in out and "--no-recalc" in out   # … and said what to install
    assert out.count("√ 检出") == len(PLANTED)
    assert not (tmp_path / "d" / ".selfeval-demo-unfinished").exists()


def test_a_demo_stopped_half_way_is_replaced_on_the_next_run(tmp_path, capsys, monkeypatch):
    import selfeval_xl.report.summary_workbook as summary_workbook

    folder = tmp_path / "d"

    def killed(*args, **kwargs):
        raise KeyboardInterrupt                               # Ctrl-C while the summary is written

    monkeypatch.setattr(summary_workbook, "write_summary", killed)
    assert main(["demo", str(folder), "--no-recalc", "--jobs", "1"]) == 2
    assert (folder / "工作簿").is_dir() and not (folder / "summary.xlsx").exists()
    monkeypatch.undo()
    assert main(["demo", str(folder), "--no-recalc", "--jobs", "1"]) == 0          # no --force needed
    out = capsys.readouterr()
    assert "上次演示未完成" in out.err and out.out.count("√ 检出") == len(PLANTED)
    assert (folder / "summary.xlsx").exists() and not (folder / ".selfeval-demo-unfinished").exists()
    assert main(["demo", str(folder), "--no-recalc"]) == 2                          # a finished demo: --force


def test_an_unfinished_demo_beside_a_file_of_the_users_needs_force(tmp_path, monkeypatch):
    import selfeval_xl.report.summary_workbook as summary_workbook

    folder = tmp_path / "d"
    monkeypatch.setattr(summary_workbook, "write_summary", lambda *a, **k: (_ for _ in ()).throw(KeyboardInterrupt))
    assert main(["demo", str(folder), "--no-recalc", "--jobs", "1"]) == 2
    monkeypatch.undo()
    (folder / "我的表.xlsx").write_text("keep")
    assert main(["demo", str(folder), "--no-recalc", "--jobs", "1"]) == 2
    assert (folder / "我的表.xlsx").read_text() == "keep" and (folder / "工作簿").is_dir()


def test_the_demo_plants_indicator_problems_and_last_years_lowered_targets(tmp_path):
    """Issue 24: a 时效 target in words and a count without its unit (each drawing exactly its 指标质量
    code), and two targets lowered against last year's data table, which the demo writes beside this
    year's and checks against (its workbooks filled outside the folder)."""
    from selfeval_xl.core.data_tables import is_data_table
    from selfeval_xl.demo.run import PREVIOUS_DATA_FILE
    from selfeval_xl.demo.data import previous_year

    codes = {code for p in PLANTED for code in p.expect}
    assert {"time-without-date", "quantity-without-unit", "target-lowered"} <= codes
    lowered = [p for p in PLANTED if p.against_previous]
    assert len(lowered) == 2 and all(p.expect == ("target-lowered",) for p in lowered)
    data = generate()
    last = previous_year(data)
    targets = {(r["单位"], r["项目"], r["三级指标"]): r["年度指标值"] for r in last.tables["指标"]}
    now = {(r["单位"], r["项目"], r["三级指标"]): r["年度指标值"] for r in data.tables["指标"]}
    for p in lowered:
        key = (p.unit, p.project, p.value[0])
        assert targets[key] == p.value[1] > now[key]
    assert {k for k in now if now[k] != targets[k]} == {(p.unit, p.project, p.value[0]) for p in lowered}

    result = run_demo(tmp_path / "demo", recalc=False, jobs=1)
    previous = tmp_path / "demo" / PREVIOUS_DATA_FILE
    sheets = openpyxl.load_workbook(previous, read_only=True)
    assert is_data_table([(ws.title, [c.value for c in next(ws.iter_rows(max_row=1))]) for ws in sheets])
    assert not list((tmp_path / "demo").rglob("*2020*"))      # last year's workbooks are not in the folder
    by_plant = {p.planted.what: p for p in result.planted}
    for p in PLANTED:
        assert by_plant[p.what].caught and by_plant[p.what].found == tuple(sorted(p.expect)), p.what
