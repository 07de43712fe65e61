"""``selfeval draft PATH... -o 绩效自评报告.docx``: draft each 单位's 绩效自评报告 from its checked tables."""
from __future__ import annotations

import click

from .check import limit_option, limits_from


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@click.option("-o", "--output", required=True, type=click.Path(),
              help="输出的 .docx（一个单位）或文件夹（每个单位一份） / the .docx (one unit) or a folder (one each)")
@click.option("--system", "-s", "system_ref", metavar="NAME|FILE",
              help="指标体系（内置名称或 YAML 文件）；默认按表类型选用 / indicator system (default per table kind)")
@click.option("--force", is_flag=True, help="覆盖已存在的文件 / overwrite existing files")
@limit_option
def command(paths, output, system_ref, force, limit_settings) -> int:
    """依据检查过的自评表起草绩效自评报告（Word）：数字均取自表格，须由单位填写处标黄。

    Draft the 绩效自评报告 (.docx) of each 单位 from its 自评表 workbooks (files or folders): every
    figure from the tables, the tables' findings listed up front, what only the unit can write marked
    as a highlighted placeholder. Exit status: 0 drafted from tables without errors, 1 drafted but the
    tables have errors, 2 usage error.
    """
    from ..files.discovery import find_workbooks
    from ..narrative import DraftError, draft

    files = find_workbooks(paths)
    if not files:
        raise click.UsageError("没有找到 .xlsx / .xlsm / .xls 文件 / no workbooks found")
    try:
        result = draft(files, output, system_ref, force, limits_from(limit_settings))
    except DraftError as exc:
        raise click.UsageError(str(exc)) from None
    errors = 0
    for unit, path in result.written:
        unit_errors = sum(f.severity.value == "error" for f in unit.findings)
        errors += unit_errors
        click.echo(f"已起草 / drafted: {path}（{len(unit.files)} 个自评表，表格问题 {len(unit.findings)} 个）")
        if unit.several_names:
            click.echo(f"  以下名称视为同一单位 / taken as one unit: {'、'.join(unit.names)}")
    for f in result.unreadable:
        click.echo(f"未用于起草 / not used: {f.file}: {f.message}", err=True)
    return 1 if errors else 0
