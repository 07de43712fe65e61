"""``selfeval addin build|install``: the Excel add-in with the 绩效自评 tab and its 计算得分 button."""
from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from . import EXIT_USAGE


def xlstart_folder() -> Path | None:
    """Excel's per-user start-up folder on Windows (add-ins there open with Excel); None elsewhere."""
    if sys.platform != "win32" or not os.environ.get("APPDATA"):
        return None
    return Path(os.environ["APPDATA"]) / "Microsoft" / "Excel" / "XLSTART"


def windows_interpreter() -> str:
    """The Python the button starts: this one, windowless (pythonw.exe) where it exists."""
    here = Path(sys.executable)
    windowless = here.with_name("pythonw.exe")
    return str(windowless if windowless.exists() else here)


@click.group()
def command() -> None:
    """Excel 加载项（绩效自评选项卡、计算得分按钮）/ the Excel add-in."""


@command.command()
@click.option("-o", "--output", "out_dir", type=click.Path(file_okay=False), default=".", show_default=True,
              help="输出文件夹 / output folder")
def build(out_dir: str) -> int:
    """生成 selfeval_xl.xlam / build the add-in file."""
    from ..addin.build import AddinBuildError, build_addin

    try:
        path = build_addin(out_dir)
    except AddinBuildError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"已生成加载项 / built: {path.resolve()}")
    return 0


@command.command()
@click.option("--functions", is_flag=True,
              help="同时把 SE_* 函数导入加载项（需 Excel，且信任中心已勾选“信任对 VBA 工程对象模型的访问”）"
                   " / also import the SE_* cell functions (needs Excel and trusted VBA project access)")
def install(functions: bool) -> int:
    """安装到 Excel 启动文件夹（仅 Windows）/ install into Excel's XLSTART folder (Windows only)."""
    import tempfile

    from ..addin.build import IMPORT_MACRO, AddinBuildError, build_addin, copy_to, import_functions

    folder = xlstart_folder()
    if folder is None:                       # nothing to install into: a usage error, nothing written
        click.echo("Excel 加载项只能在 Windows 的 Excel 中安装；此处未安装，也未写入任何文件。"
                   "要得到加载项文件，运行 selfeval addin build -o 文件夹。\n"
                   "The Excel add-in installs only into Excel on Windows: nothing was installed or written here "
                   "(selfeval addin build -o DIR makes the file).", err=True)
        return EXIT_USAGE
    try:
        with tempfile.TemporaryDirectory() as tmp:
            built = build_addin(tmp, interpreter=windows_interpreter())
            if functions:                    # into the new file first: a failure leaves the old install
                try:
                    import_functions(built)
                except Exception as exc:  # noqa: BLE001 - Excel/COM errors come in many types
                    click.echo(f"SE_* 函数导入失败，未安装 / importing the functions failed, nothing installed: "
                               f"{exc}\n请在 Excel 中：文件 → 选项 → 信任中心 → 信任中心设置 → 宏设置 → 勾选“信任对"
                               f" VBA 工程对象模型的访问”，然后重新运行本命令；或不带 --functions 安装后，在加载项的"
                               f" VBA 编辑器中运行 {IMPORT_MACRO}。", err=True)
                    return 1
            target, replaced = copy_to(built, folder)
    except AddinBuildError as exc:
        raise click.ClickException(str(exc)) from None
    except OSError as exc:
        raise click.ClickException(f"无法写入 Excel 启动文件夹 / cannot write to XLSTART: {exc}"
                                   "（请先关闭 Excel / close Excel first）") from None
    click.echo(f"{'已更新' if replaced else '已安装'} / {'updated' if replaced else 'installed'}: {target}\n"
               f"按钮调用的 Python / Python the button runs: {windows_interpreter()}\n"
               + ("已导入 SE_* 函数 / SE_* functions imported.\n" if functions else "")
               + "重新打开 Excel 后可见“绩效自评”选项卡 / restart Excel to see the 绩效自评 tab.")
    return 0
