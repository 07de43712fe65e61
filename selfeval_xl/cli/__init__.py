"""The ``selfeval`` command: one module per sub-command, each importing its workers only when run.

Exit status: 0 all good, 1 problems found (or some files failed), 2 a usage error.
"""
from __future__ import annotations

import importlib
import importlib.util
import sys

import click

from .messages import VERSION, ChineseContext, show_error, use_chinese

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2

# sub-command name → module under selfeval_xl.cli that defines ``command``
COMMANDS = {
    "demo": "demo",
    "template": "template",
    "check": "check",
    "fill": "fill",
    "score": "score",
    "summary": "summary",
    "addin": "addin",
    "systems": "systems",
    "draft": "draft",
    "serve": "serve",
    "review": "review",
}


class LazyGroup(click.Group):
    """Loads a sub-command's module only when that sub-command runs (start-up stays fast); every
    command speaks click's words in Chinese first (:mod:`.messages`)."""

    context_class = ChineseContext

    def list_commands(self, ctx):
        return [name for name in COMMANDS if _module_exists(COMMANDS[name])]

    def get_command(self, ctx, name):
        if name not in COMMANDS or not _module_exists(COMMANDS[name]):
            return None
        return use_chinese(importlib.import_module(f"{__name__}.{COMMANDS[name]}").command)


def _module_exists(module: str) -> bool:
    return importlib.util.find_spec(f"{__name__}.{module}") is not None


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="selfeval-xl", message=VERSION)
def cli() -> None:
    """预算绩效自评：模板、检查、评分与汇总 / budget performance self-evaluation workbooks."""


def _safe_streams() -> None:
    """A character the console cannot show becomes ``?`` instead of a UnicodeEncodeError: a Chinese
    Windows console (or a redirect) encodes GBK, where ✓ and many symbols do not exist."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None and (stream.errors or "strict") == "strict":
            reconfigure(errors="replace")


def main(argv: list[str] | None = None) -> int:
    _safe_streams()
    try:
        code = cli.main(args=argv, prog_name="selfeval", standalone_mode=False)
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.UsageError as exc:
        show_error(exc)
        return EXIT_USAGE
    except click.Abort:
        click.echo("已取消 / aborted", err=True)
        return EXIT_USAGE
    except click.ClickException as exc:
        show_error(exc)
        return exc.exit_code
    return code if isinstance(code, int) else EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
