"""click's own words, Chinese first: the usage line, the help's headings and standard options, and
every error click raises (a missing path, an unknown option, a bad value), shown as ``中文 / English``
like the rest of the command.

Why here and not through gettext: click marks its strings for gettext, but a catalogue is chosen by the
locale, and an accountant's Windows console, a bureau's server or a CI runner says ``C`` or ``en_US``
as often as ``zh_CN``. The command speaks Chinese first everywhere, so click's words are translated
where they are shown: help through :class:`ChineseContext` (its formatter), errors through
:func:`show_error`. A message of ours (already bilingual) matches no pattern and is shown as it is.
"""
from __future__ import annotations

import re

import click

USAGE = "用法 / Usage: "
HEADINGS = {"Options": "选项 / Options", "Commands": "命令 / Commands",
            "Positional arguments": "参数 / Positional arguments"}
HELP_TEXTS = {"Show this message and exit.": "显示本帮助并退出 / Show this message and exit.",
              "Show the version and exit.": "显示版本并退出 / Show the version and exit."}
VERSION = "%(prog)s 版本 / version %(version)s"
NO_ARGS_IS_HELP = getattr(click.exceptions, "NoArgsIsHelpError", ())      # click 8.2 and later

_PATH_KINDS = {"Path": "路径", "File": "文件", "Directory": "文件夹"}
_VALUE_TYPES = {"integer": "整数", "float": "数字", "boolean": "是/否值", "UUID": "UUID"}

# click's message (a regular expression over the whole text) → its Chinese, from the groups it names
_INNER: list[tuple[re.Pattern, str]] = [(re.compile(p, re.S), zh) for p, zh in [
    (r"(?P<kind>Path|File|Directory) (?P<f>.+) does not exist\.", "{kind}不存在：{f}"),
    (r"(?P<kind>Path|File|Directory) (?P<f>.+) is a file\.", "{f} 是文件，这里应给文件夹"),
    (r"(?P<kind>Path|File|Directory) (?P<f>.+) is a directory\.", "{f} 是文件夹，这里应给文件"),
    (r"(?P<kind>Path|File|Directory) (?P<f>.+) is not readable\.", "{kind}不可读：{f}"),
    (r"(?P<kind>Path|File|Directory) (?P<f>.+) is not writable\.", "{kind}不可写：{f}"),
    (r"(?P<kind>Path|File|Directory) (?P<f>.+) is not executable\.", "{kind}不可执行：{f}"),
    (r"(?P<v>.+) is not in the range (?P<r>.+)\.", "{v} 不在允许的范围（{r}）内"),
    (r"(?P<v>.+) is not a valid (?P<t>integer|float|boolean|UUID)\.", "{v} 不是有效的{t}"),
    (r"(?P<v>.+) is not one of (?P<c>.+)\.", "{v} 不是可选的值（{c}）"),
    (r"(?P<v>.+) is not (?P<c>'[^']*')\.", "{v} 不是可选的值（{c}）"),
]]
_OUTER: list[tuple[re.Pattern, str]] = [(re.compile(p, re.S), zh) for p, zh in [
    (r"Invalid value for (?P<p>.+?): (?P<inner>.+)", "参数 {p} 的值无效：{inner}"),
    (r"Invalid value: (?P<inner>.+)", "值无效：{inner}"),
    (r"No such option (?P<n>'[^']+')\.", "没有选项 {n}"),
    (r"No such command (?P<n>'[^']+')\.", "没有命令 {n}（运行 selfeval -h 查看全部命令）"),
    (r"Missing argument (?P<n>.+)\.", "缺少参数 {n}"),
    (r"Missing option (?P<n>.+)\.", "缺少选项 {n}"),
    (r"Missing parameter:? ?(?P<n>.*?)\.?", "缺少参数 {n}"),
    (r"Missing command\.", "缺少命令（运行 selfeval -h 查看全部命令）"),
    (r"Option (?P<n>'[^']+') requires an argument\.", "选项 {n} 后面要给一个值"),
    (r"Option (?P<n>'[^']+') requires (?P<k>\d+) arguments\.", "选项 {n} 后面要给 {k} 个值"),
    (r"Option (?P<n>'[^']+') does not take a value\.", "选项 {n} 不带值"),
    (r"Argument (?P<n>'[^']+') takes (?P<k>\d+) values\.", "参数 {n} 要给 {k} 个值"),
    (r"Got unexpected extra arguments? \((?P<a>.*)\)", "多余的参数：{a}"),
]]
_SUGGESTION = re.compile(r" (?:Did you mean (?P<one>.+)\?|\(Did you mean one of: (?P<many>.+)\?\))$", re.S)


def _inner(text: str) -> str:
    for pattern, zh in _INNER:
        match = pattern.fullmatch(text)
        if match:
            groups = match.groupdict()
            if "kind" in groups:
                groups["kind"] = _PATH_KINDS[groups["kind"]]
            if "t" in groups:
                groups["t"] = _VALUE_TYPES[groups["t"]]
            return zh.format(**groups)
    return text


def chinese(message: str) -> str:
    """``message`` from click as ``中文 / English``; any other message (ours) as it is."""
    text, hint = message.strip(), ""
    suggestion = _SUGGESTION.search(text)
    if suggestion:
        text = text[:suggestion.start()]
        hint = f"，是不是 {suggestion.group('one') or suggestion.group('many')}？"
    for pattern, zh in _OUTER:
        match = pattern.fullmatch(text)
        if match:
            groups = match.groupdict()
            if "inner" in groups:
                groups["inner"] = _inner(groups["inner"])
            return f"{zh.format(**groups)}{hint} / {message}"
    return message


class ChineseFormatter(click.HelpFormatter):
    """Help text with click's words in Chinese first (usage, headings, the help and version options,
    ``[default: …]`` and ``[required]``)."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, USAGE if prefix is None else prefix)

    def write_heading(self, heading: str) -> None:
        super().write_heading(HEADINGS.get(heading, heading))

    def write_dl(self, rows, col_max: int = 30, col_spacing: int = 2) -> None:
        super().write_dl([(term, _help_text(text)) for term, text in rows], col_max, col_spacing)


def _help_text(text: str) -> str:
    for english, both in HELP_TEXTS.items():
        text = text.replace(english, both)
    return text.replace("[default: ", "[默认 / default: ").replace("[required]", "[必填 / required]") \
        .replace("; required]", "; 必填 / required]")


class ChineseContext(click.Context):
    formatter_class = ChineseFormatter


def use_chinese(command: click.Command) -> click.Command:
    """``command`` (and each sub-command of a group) shown with :class:`ChineseContext`."""
    command.context_class = ChineseContext
    for sub in getattr(command, "commands", {}).values():
        use_chinese(sub)
    return command


def show_error(exc: click.ClickException) -> None:
    """What click's ``exc.show()`` prints, Chinese first: the usage line and where help is, for a usage
    error; then the message."""
    ctx = getattr(exc, "ctx", None)
    if isinstance(exc, NO_ARGS_IS_HELP):                 # the help itself, as the group was given nothing
        click.echo(exc.format_message(), err=True)
        return
    if isinstance(exc, click.UsageError) and ctx is not None:
        click.echo(ctx.get_usage(), err=True)
        if ctx.command.get_help_option(ctx) is not None:
            help_call = f"{ctx.command_path} {ctx.help_option_names[0]}"
            click.echo(f"运行 '{help_call}' 查看帮助 / Try '{help_call}' for help.", err=True)
        click.echo(err=True)
    click.echo(f"错误 / Error: {chinese(exc.format_message())}", err=True)
