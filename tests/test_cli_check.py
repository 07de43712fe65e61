"""``selfeval check``: exit status, report.xlsx, JSON, bad files, formula-safe text."""
from __future__ import annotations

import json

from check_workbooks import build_department, build_project
from test_read import _bad_files
from selfeval_xl.cli import main


def test_clean_folder_exits_0(tmp_path, capsys):
    build_project(tmp_path / "a.xlsx")
    build_department(tmp_path / "b.xlsx")
    assert main(["check", str(tmp_path), "--jobs", "1"]) == 0
    assert "检查了 2 个文件" in capsys.readouterr().out


def test_bad_files_each_unreadable_exit_1(tmp_path):
    files = _bad_files(tmp_path / "bad")
    out = tmp_path / "f.json"
    code = main(["check", str(tmp_path / "bad"), str(files["wps"]), "--json", str(out), "-q", "--jobs", "2"])
    assert code == 1
    report = json.loads(out.read_text(encoding="utf-8"))
    names = {f["path"].rsplit("/", 1)[-1] for f in report["files"]}
    assert names == {p.name for p in files.values()}
    for entry in report["files"]:
        assert [f["code"] for f in entry["findings"]] == ["unreadable"], entry


def test_report_and_json(tmp_path):
    from openpyxl import load_workbook

    subs = tmp_path / "in" / "sub"
    subs.mkdir(parents=True)
    build_project(subs / "p.xlsx", edits={"total": 95.95, ("field", "project_name"): "+1+cmd|' /C calc'!A0"})
    build_department(tmp_path / "in" / "d.xlsx")
    report_path, json_path = tmp_path / "report.xlsx", tmp_path / "f.json"
    code = main(["check", str(tmp_path / "in"), "-r", str(report_path), "--json", str(json_path), "-q"])
    assert code == 1
    data = json.loads(json_path.read_text(encoding="utf-8"))
    finding = next(f for r in data["files"] for f in r["findings"] if f["code"] == "total-mismatch")
    assert finding["position"].endswith("!" + finding["cell"]) and finding["expected"] == 99.98
    wb = load_workbook(report_path)
    assert wb.sheetnames == ["汇总", "问题清单", "检查说明"]
    summary, problems = wb["汇总"], wb["问题清单"]
    assert summary.freeze_panes == "A2" and summary.auto_filter.ref and problems.auto_filter.ref
    rows = {r[0].value: r for r in summary.iter_rows(min_row=2)}
    assert rows["p.xlsx"][9].value == "有错误" and rows["d.xlsx"][9].value == "有警告"   # cross-file budget
    assert rows["p.xlsx"][14].value == '=HYPERLINK("in/sub/p.xlsx","打开")'       # relative to the report
    assert [summary.cell(1, c).value for c in (11, 12)] == ["已复核指标", "未复核指标"]
    assert rows["p.xlsx"][10].value > 0 and rows["p.xlsx"][11].value == 0           # every row understood
    assert rows["p.xlsx"][4].value == 95.95 and rows["p.xlsx"][5].value == 99.98
    code = [c.value for c in problems[1]].index("代码")
    codes = [r[code].value for r in problems.iter_rows(min_row=2)]
    assert "total-mismatch" in codes
    for row in list(summary.iter_rows()) + list(problems.iter_rows()):
        for cell in row:                                     # nothing from a workbook became a formula
            assert cell.data_type != "f" or cell.value.startswith('=HYPERLINK("'), cell.value
    name = rows["p.xlsx"][2]                                   # shown as the text it is, kept text on edit
    assert name.value == "+1+cmd|' /C calc'!A0" and name.data_type == "s" and name.quotePrefix


def test_usage_errors_exit_2(tmp_path):
    assert main(["check", str(tmp_path / "missing")]) == 2
    assert main(["check", str(tmp_path)]) == 2                            # no workbooks
    build_project(tmp_path / "a.xlsx")
    assert main(["check", str(tmp_path), "--system", "no-such-system"]) == 2


def test_cross_file_budget_warning(tmp_path):
    build_project(tmp_path / "p.xlsx")                                    # 全年预算数 1014.4
    build_department(tmp_path / "d.xlsx")                                 # 项目支出 214.4
    out = tmp_path / "f.json"
    assert main(["check", str(tmp_path), "--json", str(out), "-q"]) == 0  # a warning only
    data = json.loads(out.read_text(encoding="utf-8"))
    dept = next(r for r in data["files"] if r["path"].endswith("d.xlsx"))
    [f] = dept["findings"]
    assert f["code"] == "figure-inconsistent" and f["severity"] == "warning"
    assert f["expected"] == 1014.4 and f["found"] == 214.4


def test_unwritable_report_is_a_usage_error_before_any_work(tmp_path):
    build_project(tmp_path / "a.xlsx")
    assert main(["check", str(tmp_path), "-r", str(tmp_path / "no" / "such" / "dir" / "r.xlsx")]) == 2


def test_system_file_settings_drive_the_thresholds(tmp_path):
    """Local practice is a setting: with an over-achievement threshold of 105%, 162 of ≥150天 (108%),
    46845 of ≥4万人次 (117%) and 99.5% of ≥90% (111%) ask for a reason; at 120% none does."""
    from importlib import resources

    text = resources.files("selfeval_xl").joinpath("systems", "national-project.yaml").read_text(encoding="utf-8")
    own = tmp_path / "my-region.yaml"
    own.write_text(text.replace("overachievement_ratio: 1.2", "overachievement_ratio: 1.05"), encoding="utf-8")
    built = build_project(tmp_path / "p.xlsx")
    out = tmp_path / "f.json"
    assert main(["check", str(built.path), "--json", str(out), "-q"]) == 0
    assert json.loads(out.read_text(encoding="utf-8"))["files"][0]["findings"] == []
    assert main(["check", str(built.path), "--system", str(own), "--json", str(out), "-q"]) == 0
    found = json.loads(out.read_text(encoding="utf-8"))["files"][0]["findings"]
    assert {f["code"] for f in found} == {"overachievement-unexplained"}
    assert [f["cell"] for f in found] == [built.ref(("ind", i, "reason")) for i in (2, 4, 6)]


def test_a_control_character_in_a_workbook_does_not_kill_the_report(tmp_path):
    """``_x0007_`` in a cell is decoded by the reader into a control character that openpyxl refused to
    write: no report.xlsx, a truncated JSON, and summary died the same way."""
    from openpyxl import load_workbook

    books = tmp_path / "in"
    books.mkdir()
    build_project(books / "p.xlsx", edits={("field", "project_name"): "铃声_x0007_项目_x0000_"})
    report, data, summary = tmp_path / "r.xlsx", tmp_path / "f.json", tmp_path / "s.xlsx"
    assert main(["check", str(books), "-r", str(report), "--json", str(data), "-q", "--jobs", "1"]) in (0, 1)
    assert main(["summary", str(books), "-o", str(summary), "--jobs", "1"]) in (0, 1)
    names = [r[2].value for r in load_workbook(report)["汇总"].iter_rows(min_row=2)]
    assert names == ["铃声�项目�"]
    assert json.loads(data.read_text(encoding="utf-8"))["files"][0]["name"] == "铃声\x07项目\x00"
    assert any("铃声�项目�" == c.value for ws in load_workbook(summary) for r in ws.iter_rows() for c in r)
