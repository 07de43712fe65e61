from selfeval_xl.cli import main


def test_systems_lists_builtins(capsys):
    assert main(["systems"]) == 0
    out = capsys.readouterr().out
    assert "national-project" in out and "预算执行 10 + 产出指标 50 + 效益指标 30 + 满意度指标 10 = 100" in out


def test_systems_validates_a_file(tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: bad\nkind: project\nlevels:\n  - {name: 产出指标, weight: 60}\n", encoding="utf-8")
    assert main(["systems", str(bad)]) == 1
    assert "60 ≠ 总分 100" in capsys.readouterr().err


def test_unknown_command_is_a_usage_error():
    assert main(["frobnicate"]) == 2
