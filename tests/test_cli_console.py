"""The console as a Chinese Windows user meets it: GBK output, hand-edited system files (issue 13)."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

from selfeval_xl.cli import main


def _run_gbk(*args: str, cwd) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONIOENCODING="gbk")       # what a redirected Chinese Windows console gets
    return subprocess.run([sys.executable, "-c", "import sys; from selfeval_xl.cli import main; sys.exit(main())", *args], capture_output=True, cwd=cwd,
                          env=env)


def test_demo_runs_on_a_gbk_console(tmp_path):
    done = _run_gbk("demo", "demo", "--no-recalc", "-j", "1", cwd=tmp_path)
    err = done.stderr.decode("gbk", errors="replace")
    assert done.returncode == 0, err
    assert "UnicodeEncodeError" not in err
    out = done.stdout.decode("gbk")                       # every byte is GBK
    assert "检出" in out and "预置的错误" in out
    assert "未找到 LibreOffice" not in out and "--no-recalc" in out     # not "missing": not asked for


def test_a_character_gbk_lacks_is_replaced_not_fatal(tmp_path):
    (tmp_path / "表✓.xlsx").write_bytes(b"not a workbook")    # its name is printed on stdout
    done = _run_gbk("check", "表✓.xlsx", cwd=tmp_path)
    assert done.returncode == 1, done.stderr.decode("gbk", errors="replace")
    out = done.stdout.decode("gbk")
    assert "表?.xlsx" in out and "无法读取 1" in out


MALFORMED = {
    "levels: 3": "levels 应为列表，实为 3",
    "settings: 5": "settings 应为映射（键: 值），实为 5",
    "levels: [{name: 产出, weight: 100, children: 3}]": "格式不符 / malformed",
}


@pytest.mark.parametrize("line", MALFORMED)
def test_malformed_system_file_is_a_clear_message_everywhere(line, tmp_path, capsys):
    system = tmp_path / "bad.yaml"
    body = line if line.startswith("levels") else "levels: [{name: 产出, weight: 100}]\n" + line
    system.write_text(f"name: x\nkind: project\ntotal: 100\n{body}\n", encoding="utf-8")
    workbook = tmp_path / "t.xlsx"
    assert main(["systems", str(system)]) == 1
    assert main(["template", "project", "--system", str(system), "-o", str(workbook)]) == 2
    assert not workbook.exists()
    assert main(["check", "--system", str(system), str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.count(MALFORMED[line]) == 3 and "Traceback" not in err


def test_console_tells_two_departments_files_of_one_name_apart(tmp_path, capsys):
    from test_addin import project_workbook

    for unit in ("甲局", "乙局"):
        (tmp_path / unit).mkdir()
        project_workbook(tmp_path / unit / "项目支出绩效自评表.xlsx")
    assert main(["check", str(tmp_path / "甲局"), str(tmp_path / "乙局"), "-j", "1"]) == 1
    out = capsys.readouterr().out
    assert "甲局/项目支出绩效自评表.xlsx" in out and "乙局/项目支出绩效自评表.xlsx" in out


def test_many_findings_end_with_a_hint_to_write_the_report(tmp_path, capsys, monkeypatch):
    from selfeval_xl.report import console
    from test_addin import project_workbook

    given, _ = project_workbook(tmp_path / "表.xlsx")      # a few findings; "many" made small here
    monkeypatch.setattr(console, "LIST_FINDINGS", 1)
    main(["check", str(given), "-j", "1"])
    assert "加 -r report.xlsx" in capsys.readouterr().out
    main(["check", str(given), "-j", "1", "-r", str(tmp_path / "r.xlsx")])
    assert "加 -r report.xlsx" not in capsys.readouterr().out
    monkeypatch.setattr(console, "LIST_FINDINGS", 30)
    main(["check", str(given), "-j", "1"])
    assert "加 -r report.xlsx" not in capsys.readouterr().out


def test_summary_does_not_count_unreadable_files_as_a_unit():
    from selfeval_xl.core.findings import FileReport, finding
    from selfeval_xl.report.summary_workbook import NO_UNIT, Summary

    unreadable = FileReport("坏.xlsx", findings=[finding("unreadable", "不是 Excel 工作簿")])
    no_table = FileReport("空.xlsx", findings=[finding("no-table")])
    table = FileReport("表.xlsx", unit="甲局", kind="project")
    unnamed = FileReport("无名.xlsx", kind="project")
    summary = Summary.of([unreadable, no_table, table, unnamed])
    assert [u.unit for u in summary.units] == ["甲局", NO_UNIT]
    assert len(summary.rows) == 4


def test_an_unusable_feedback_folder_is_refused_before_the_work(tmp_path, capsys):
    from test_addin import project_workbook

    given, _ = project_workbook(tmp_path / "表.xlsx")
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    assert main(["check", str(given), "--feedback", str(blocker / "反馈")]) == 2
    assert "无法创建反馈文件夹" in capsys.readouterr().err
