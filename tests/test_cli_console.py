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
