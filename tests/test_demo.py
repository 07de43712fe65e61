"""selfeval demo end to end, and the round trip behind it: fill → LibreOffice recalculation → check finds
no error in the correct workbooks and exactly the planted mistakes in the others."""
from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest

from selfeval_xl.cli import main
from selfeval_xl.demo import apply_edit, compare_cached, run_demo
from selfeval_xl.demo_data import PLANTED, REAL_UNIT, generate, write_xlsx


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
    from selfeval_xl.batch import run
    from selfeval_xl.fill import fill
    from selfeval_xl.recalc import recalculate

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
    expected = {owners[p.unit, p.project].path.name: set(p.expect) for p in data.planted}
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
    assert main(["demo", str(folder), "--no-recalc"]) == 2
    (folder / "mine.txt").write_text("keep")
    assert main(["demo", str(folder), "--no-recalc", "--force", "--jobs", "1"]) == 0
    assert (folder / "mine.txt").read_text() == "keep"
