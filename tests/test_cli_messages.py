"""Every message a user of the command can meet is Chinese first, click's own included (issue 21): the
usage line, a missing path, an unknown option, a bad value, the help's headings and standard options."""
from __future__ import annotations

import re

import pytest

from selfeval_xl.cli import COMMANDS, main

CHINESE = re.compile(r"[\u4e00-\u9fff]")


def _error_line(err: str) -> str:
    return next(line for line in err.splitlines() if "Error" in line)


def _chinese_first(line: str) -> bool:
    """Chinese before any English word in ``line`` (a path or an option name may come first)."""
    first_word = re.search(r"\b[A-Za-z]{3,}\b", re.sub(r"'[^']*'|\S*[/\\]\S*|--?[\w-]+", "", line))
    first_chinese = CHINESE.search(line)
    return bool(first_chinese) and (first_word is None or first_chinese.start() < first_word.start())


@pytest.mark.parametrize("args, chinese", [
    (["check", "/nonexistent/收到的表"], "路径不存在：'/nonexistent/收到的表'"),
    (["check", "--bogus", "x"], "没有选项 '--bogus'"),
    (["check", "-j", "-1", "."], "-1 不在允许的范围"),
    (["summary", "."], "缺少选项 '-o' / '--output'"),
    (["nocmd"], "没有命令 'nocmd'"),
    (["check", "-r"], "选项 '-r' 后面要给一个值"),
    (["template", "project", "--formulas", "xx", "-o", "a.xlsx"], "'xx' 不是可选的值"),
    (["fill", "/nonexistent.xlsx", "-o", "out"], "不存在"),
    (["score", "a.xlsx", "b.xlsx", "--in-place", "--bogus"], "没有选项 '--bogus'"),
])
def test_click_errors_are_chinese_first_with_the_english_beside(args, chinese, capsys):
    assert main(args) == 2
    err = capsys.readouterr().err
    line = _error_line(err)
    assert line.startswith("错误 / Error: ") and chinese in line and " / " in line[len("错误 / Error: "):]
    assert _chinese_first(line[len("错误 / Error: "):]), line
    if "Usage" in err:
        assert err.startswith("用法 / Usage: selfeval") and "查看帮助 / Try" in err


def test_a_known_message_of_ours_is_shown_as_it_is(capsys, tmp_path):
    assert main(["check", str(tmp_path)]) == 2                  # an empty folder: our own bilingual message
    line = _error_line(capsys.readouterr().err)
    assert line == "错误 / Error: 没有找到 .xlsx / .xlsm / .xls 文件 / no workbooks found"


@pytest.mark.parametrize("command", [[], *[[name] for name in COMMANDS], ["addin", "build"], ["addin", "install"]])
def test_every_help_is_chinese_first(command, capsys):
    assert main([*command, "--help"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("用法 / Usage: selfeval")
    assert "\n选项 / Options:" in out and "显示本帮助并退出 / Show this message and exit." in out
    assert "Usage:" not in out.replace("用法 / Usage:", "") and "\nOptions:" not in out
    assert "[default:" not in out.replace("[默认 / default:", "")
    if not command:
        assert "命令 / Commands:" in out and "显示版本并退出 / Show the version and exit." in out


def test_the_group_without_a_command_shows_its_help_in_chinese(capsys):
    assert main([]) == 2
    assert capsys.readouterr().err.startswith("用法 / Usage: selfeval [OPTIONS] COMMAND")


def test_the_version_line(capsys):
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.startswith("selfeval 版本 / version ")
