"""``selfeval summary PATH... -o summary.xlsx``: check the workbooks and draw the picture across 单位."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from .check import limit_option, limits_from, own_layouts, previous_option, usable_outputs, workbooks_to_check


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False),
              help="输出的汇总工作簿 .xlsx / the summary workbook to write")
@click.option("--system", "-s", "system_ref", metavar="NAME|FILE",
              help="指标体系（内置名称或 YAML 文件）；默认按表类型选用 / indicator system (default per table kind)")
@click.option("--jobs", "-j", type=click.IntRange(min=0), default=0, show_default="全部核心 / all cores",
              help="并行进程数 / worker processes")
@click.option("--force", is_flag=True,
              help="覆盖不是本工具生成的同名文件（输入文件除外）/ overwrite a file that is not our output (never an input)")
@previous_option
@limit_option
def command(paths, output, system_ref, jobs, force, previous, limit_settings) -> int:
    """检查并汇总绩效自评表：每个工作簿一行、各单位合计、等级分布和图表；给出 --previous 时另有“上年对比”表。

    Check the workbooks (files or folders, searched recursively) and write a summary workbook:
    one row per workbook, a sheet per 单位, totals, the grade distribution and charts; with
    --previous (last year's workbooks, as for check) a 上年对比 sheet of the year-over-year findings.
    Exit status: 0 no errors in the workbooks, 1 errors found, 2 usage error.
    """
    from ..batch.holdback import run
    from ..batch.worker import Choices
    from ..report.summary_workbook import OUR_SHEETS, write_summary

    path = Path(output)
    if path.suffix.lower() != ".xlsx":
        raise click.UsageError(f"输出文件应为 .xlsx：{output} / the output must be an .xlsx file")
    usable_outputs([path], paths, force)
    limits = limits_from(limit_settings)
    found = workbooks_to_check(paths, system_ref, [path])
    choices = Choices(own_layouts())
    from tqdm import tqdm

    with tqdm(total=len(found.paths), unit="个文件", desc="检查", file=sys.stderr, disable=None,
              leave=False) as bar:
        report = run(found.paths, system_ref, jobs, on_result=lambda _: bar.update(), limits=limits,
                     found=found, previous=[Path(p) for p in previous], choices=choices)
    info = write_summary(report.files, path, year_over_year=bool(previous))
    click.echo(f"汇总已写入 / summary written: {info.path}（{info.workbooks} 个工作簿，{info.units} 个单位；"
               f"工作表：{'、'.join(s for s in info.sheets if s in OUR_SHEETS)} 及各单位）")
    click.echo(f"共 {report.errors} 个错误、{report.warnings} 个警告 / errors, warnings")
    return 1 if report.errors else 0
