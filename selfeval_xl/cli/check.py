"""``selfeval check PATH...``: check submitted workbooks, every problem by file, sheet and cell."""
from __future__ import annotations

import os
import sys
from pathlib import Path

import click

PROGRESS_MIN_FILES = 5


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True))
@click.option("--system", "-s", "system_ref", metavar="NAME|FILE",
              help="指标体系（内置名称或 YAML 文件）；默认按表类型选用 / indicator system (default per table kind)")
@click.option("--layout", "layouts", multiple=True, type=click.Path(exists=True, dir_okay=False), metavar="FILE",
              help="本地表格式样（YAML），与内置式样一起识别，可给多次 / a bureau's own layout file, may be repeated")
@click.option("--report", "-r", "report_path", type=click.Path(dir_okay=False),
              help="写出 report.xlsx（汇总 + 问题清单） / write the report workbook")
@click.option("--json", "json_path", type=click.Path(dir_okay=False),
              help="写出 JSON 格式的全部问题 / write all findings as JSON")
@click.option("--jobs", "-j", type=click.IntRange(min=0), default=0, show_default="全部核心 / all cores",
              help="并行进程数 / worker processes")
@click.option("--quiet", "-q", is_flag=True, help="不打印汇总 / no console summary")
@click.option("--list-checks", is_flag=True, help="列出全部检查项及说明 / list every check with its documentation")
def command(paths, system_ref, layouts, report_path, json_path, jobs, quiet, list_checks) -> int:
    """检查绩效自评表（.xlsx/.xlsm/.xls，可给文件夹），逐文件、逐单元格列出问题。

    Check 自评表 workbooks (files or folders, searched recursively). Exit status: 0 no errors,
    1 errors found, 2 usage error.
    """
    from ..batch import check_batch
    from ..report import Tally

    if list_checks:
        from ..checks import CHECKS
        from ..report import SEVERITY_NAMES
        for item in CHECKS:
            click.echo(f"{item.code}  [{SEVERITY_NAMES[item.severity]}]  {item.title}\n"
                       + "\n".join("    " + line.strip() for line in item.doc.splitlines()) + "\n")
        return 0
    if not paths:
        raise click.UsageError("请给出要检查的文件或文件夹 / give files or folders to check")
    files = workbooks_to_check(paths, system_ref, [p for p in (report_path, json_path) if p])
    _use_layouts(layouts)
    for out in (p for p in (report_path, json_path) if p):
        _writable(out)
    writer = json_out = None
    if json_path:
        from ..report import JsonReport
        json_out = JsonReport(json_path)
    tally = Tally()
    bar = _progress(len(files))
    for report in check_batch(files, system_ref, jobs):
        if report_path and writer is None:     # opened once the workers run: openpyxl loads meanwhile
            from ..report import XlsxReport
            writer = XlsxReport(report_path)
        tally.add(report)
        if writer:
            writer.add(report)
            writer.add_summary(report)
        if json_out:
            json_out.add(report)
        if bar:
            bar.update(1)
    if bar:
        bar.close()
    if writer:
        writer.close()
        click.echo(f"报告已写入 / report written: {report_path}", err=True)
    if json_out:
        json_out.close()
        click.echo(f"JSON 已写入 / JSON written: {json_path}", err=True)
    if not quiet:
        click.echo(tally.summary())
    return 1 if tally.errors else 0


def workbooks_to_check(paths, system_ref: str | None, outputs: list) -> list[Path]:
    """The workbooks under ``paths`` (our ``outputs`` excluded), once the indicator system given is
    found usable: a usage error (exit 2) before any work otherwise. Shared by check and summary."""
    from ..batch import find_workbooks
    from ..datafiles import DataFileError
    from ..system import load_system

    if system_ref:
        try:
            load_system(system_ref)
        except DataFileError as exc:
            raise click.UsageError(f"指标体系无法使用 / unusable indicator system: {exc}") from None
    files = find_workbooks(paths, exclude=outputs)
    if not files:
        raise click.UsageError("没有找到 .xlsx / .xlsm / .xls 文件 / no workbooks found")
    return files


def _use_layouts(files: tuple[str, ...]) -> None:
    """A bureau's own layouts, validated with their systems before any work (a usage error otherwise),
    then named to the reader through the environment, which worker processes inherit."""
    if not files:
        return
    from ..datafiles import DataFileError
    from ..layout import LAYOUTS_ENV, load_layout
    from ..system import load_system

    for file in files:
        try:
            layout = load_layout(file)
            load_system(layout.system or None, layout.kind)
        except DataFileError as exc:
            raise click.UsageError(f"表格式样无法使用 / unusable layout: {exc}") from None
    os.environ[LAYOUTS_ENV] = os.pathsep.join(str(Path(f).resolve()) for f in files)


def _writable(path: str) -> None:
    """Fail before the work, not after it, when an output cannot be written."""
    folder = Path(path).resolve().parent
    if not folder.is_dir() or not os.access(folder, os.W_OK) or (Path(path).exists()
                                                                and not os.access(path, os.W_OK)):
        raise click.UsageError(f"无法写入 / cannot write: {path}")


def _progress(total: int):
    """A progress bar on stderr, only for an interactive run over several files."""
    if total < PROGRESS_MIN_FILES or not sys.stderr.isatty():
        return None
    from tqdm import tqdm
    return tqdm(total=total, unit="个文件", file=sys.stderr, desc="检查")
