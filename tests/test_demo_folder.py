"""What a new user sees when they check the demo's folder: exactly the planted problems, the data table
skipped and named (issue 13)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from selfeval_xl.cli import main
from selfeval_xl.demo import DATA_FILE, WORKBOOKS_DIR, run_demo


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    folder = tmp_path_factory.mktemp("demo") / "demo"
    return run_demo(folder, recalc=False, jobs=1)


def test_check_of_the_demo_reports_exactly_the_planted_problems(demo, tmp_path, capsys):
    # report.xlsx / summary.xlsx are our outputs, skipped by their document property (ownfiles)
    given = [str(demo.folder / WORKBOOKS_DIR), str(demo.folder / DATA_FILE)]
    out = tmp_path / "found.json"
    assert main(["check", *given, "--json", str(out), "-j", "1"]) == 1
    files = {Path(f["path"]).name: f for f in json.loads(out.read_text(encoding="utf-8"))["files"]}
    planted = {p.path.name: set(p.planted.expect) for p in demo.planted}
    found = {name: {x["code"] for x in f["findings"]} for name, f in files.items() if f["findings"]}
    assert found == planted
    assert files[DATA_FILE]["skipped"] and not files[DATA_FILE]["findings"]
    printed = capsys.readouterr().out
    assert "跳过 1 个" in printed and DATA_FILE in printed


def test_a_data_table_is_recognised_by_its_headers_not_its_name(demo, tmp_path):
    from selfeval_xl.fill.schema import is_data_table
    from selfeval_xl.read import read_workbook

    renamed = tmp_path / "项目支出绩效自评表.xlsx"
    renamed.write_bytes((demo.folder / DATA_FILE).read_bytes())
    assert read_workbook(renamed).skipped
    assert not read_workbook(demo.workbooks[0]).skipped
    # a 项目 sheet that lacks a required column (全年预算数) is not a data table
    assert is_data_table([("项目", ["单位", "项目名称", "主管部门", "全年预算数", "全年执行数"]),
                          ("指标", ["项目", "一级指标", "二级指标", "三级指标", "年度指标值", "分值"])])
    assert not is_data_table([("项目", ["单位", "项目名称", "主管部门", "全年执行数"]),
                              ("指标", ["项目", "一级指标", "二级指标", "三级指标", "年度指标值", "分值"])])
    assert not is_data_table([("项目", ["单位", "项目名称", "主管部门", "全年预算数", "全年执行数"])])
