"""``selfeval template project|department``: write a 绩效自评表 template that computes as users type."""
from __future__ import annotations

from pathlib import Path

import click


@click.command()
@click.argument("kind", type=click.Choice(["project", "department"]), required=False)
@click.option("--layout", "layout_name", metavar="NAME|FILE",
              help="表格式样：内置名称（如 sichuan-project）或 YAML 文件；默认按表格种类 / table layout")
@click.option("--system", "system_name", metavar="NAME|FILE",
              help="指标体系：内置名称或 YAML 文件（默认按表格种类）/ indicator system: built-in name or file")
@click.option("--formulas", type=click.Choice(["native", "udf"]), default="native", show_default=True,
              help="native：Excel 原生公式（WPS、LibreOffice 通用）；udf：调用 SE_* 函数（需加载项）")
@click.option("--year", type=click.IntRange(1990, 2100), metavar="YYYY",
              help="标题中的年度（默认留空由填表人填写）/ the year in the title (blank if omitted)")
@click.option("-o", "--output", type=click.Path(dir_okay=False),
              help="输出文件 .xlsx / output file")
@click.option("--force", is_flag=True, help="覆盖已存在的文件 / overwrite an existing file")
@click.option("--regenerate", metavar="DIR", type=click.Path(file_okay=False),
              help="维护者：重新生成 DIR 中的四个内置模板 / maintainers: rewrite the four committed templates")
@click.option("--render", metavar="DOCS", type=click.Path(file_okay=False),
              help="与 --regenerate 同用：用 LibreOffice 生成预览图 / with --regenerate: render PNG previews here")
def command(kind: str | None, layout_name: str | None, system_name: str | None, formulas: str, year: int | None,
            output: str | None, force: bool, regenerate: str | None, render: str | None) -> int:
    """生成项目支出或部门整体支出绩效自评表模板 / write a project or department self-evaluation template.

    KIND 或 --layout 至少给一个；给 --layout 时默认用该式样的指标体系 / give KIND or --layout (whose own
    indicator system is then the default)."""
    from ..core.datafiles import DataFileError
    from ..files.outputs import OutputError, check_output, replacing
    from ..core.layout import load_layout
    from ..core.system import load_system
    from ..template.writer import build_template, save_workbook
    from ..template.plan import template_map

    if regenerate:
        return _regenerate(regenerate, render)
    if not output:
        raise click.UsageError("请用 -o 给出输出文件 / give the output file with -o")
    path = Path(output)
    if path.suffix.lower() != ".xlsx":
        raise click.UsageError(f"输出文件应为 .xlsx：{output} / the output must be an .xlsx file")
    try:              # a template is a form to fill, not marked as ours: any existing file needs --force
        check_output(path, [system_name] if system_name and Path(system_name).exists() else [], force,
                     replaceable=False)
    except OutputError as exc:
        raise click.UsageError(str(exc)) from None
    if kind is None and layout_name is None:
        raise click.UsageError("请给出表格种类（project / department）或 --layout / give KIND or --layout")
    try:
        layout = load_layout(layout_name or kind)
        kind = kind or layout.kind
        system = load_system(system_name or (layout.system if layout_name else None) or None, kind)
        workbook = build_template(kind, system, formulas=formulas, year=year, layout=layout)
    except (DataFileError, ValueError) as exc:
        raise click.UsageError(str(exc)) from None
    with replacing(path) as temporary:
        save_workbook(workbook, temporary)
    plan = template_map(kind, system, layout)
    click.echo(f"已生成 / written: {path}（{plan.sheet}，{len(plan.indicator_rows)} 行指标 / indicator rows，"
               f"{'原生公式 / native formulas' if formulas == 'native' else 'SE_* 函数 / UDF formulas'}）")
    return 0


def _regenerate(folder: str, docs: str | None) -> int:
    """``--regenerate``: the committed templates (``workbook_templates/``) and, with ``--render``, their
    previews in the README (``docs/template-*.png``)."""
    from ..template.writer import regenerate, render_previews

    for path in regenerate(folder):
        click.echo(path)
    for path in render_previews(folder, docs) if docs else []:
        click.echo(path)
    return 0
