"""``selfeval fill DATA -o DIR``: one filled 自评表 per project and per 单位, from a data table."""
from __future__ import annotations

import click


@click.command()
@click.argument("data", type=click.Path(exists=True))
@click.option("-o", "--output", "outdir", required=True, type=click.Path(file_okay=False),
              help="输出文件夹（不存在则创建）/ output folder (created if missing)")
@click.option("--system", "systems", multiple=True, metavar="NAME|FILE",
              help="指标体系：内置名称或 YAML 文件，可给两次（项目、部门各一）/ indicator system, may be repeated")
@click.option("--layout", "layouts", multiple=True, metavar="NAME|FILE",
              help="表格式样：内置名称（如 sichuan-project）或 YAML 文件，可给两次（项目、部门各一）；未给 --system 时"
                   "用该式样的指标体系 / a province's own form, may be repeated (one per kind)")
@click.option("--formulas", type=click.Choice(["native", "udf"]), default="native", show_default=True,
              help="native：Excel 原生公式（WPS、LibreOffice 通用）；udf：调用 SE_* 函数（需加载项）")
@click.option("--year", type=click.IntRange(1990, 2100), metavar="YYYY",
              help="标题中的年度（默认上一年：自评在次年进行）/ year in the title (default: last year)")
@click.option("--force", is_flag=True, help="覆盖同名文件（默认另存为“名称（2）”）/ overwrite files of the same name")
def command(data: str, outdir: str, systems: tuple[str, ...], layouts: tuple[str, ...], formulas: str,
            year: int | None, force: bool) -> int:
    """按数据表批量填写自评表 / fill the self-evaluation workbooks from a data table (.xlsx or .csv).

    DATA：.xlsx（工作表“项目”“指标”，可选“单位”“部门指标”），或同名 .csv 文件所在的文件夹。
    有错误的数据行逐行报告（工作表、行号），其余照常生成；有错误时退出码为 1。
    """
    from tqdm import tqdm

    import datetime

    from ..core.datafiles import DataFileError
    from ..fill import DataError, fill, load_systems
    from ..core.sanitize import clean_text

    year = year or datetime.date.today().year - 1

    try:
        forms = _layouts(layouts)
        loaded = load_systems(systems, forms)          # a form is checked with its own system by default
    except DataFileError as exc:
        raise click.UsageError(str(exc)) from None
    bar = tqdm(unit="个", desc="生成 / writing", disable=None, leave=False)
    try:
        result = fill(data, outdir, loaded, formulas, year, force, progress=lambda _: bar.update(), layouts=forms)
    except DataError as exc:
        bar.close()
        click.echo(f"无法读取数据 / cannot read DATA: {data}", err=True)
        for problem in exc.problems:
            click.echo(clean_text(f"  {problem}"), err=True)
        return 1
    except ValueError as exc:          # e.g. udf formulas with a system whose settings differ
        bar.close()
        raise click.UsageError(str(exc)) from None
    bar.close()
    projects = sum(w.kind == "project" for w in result.written)
    click.echo(f"已生成 {len(result.written)} 个工作簿 / workbooks written（项目支出 {projects}，"
               f"部门整体 {len(result.written) - projects}）→ {outdir}")
    for note in result.notes:
        click.echo(clean_text(f"提示 / note: {note}"))
    if result.problems:
        click.echo(f"\n数据有 {len(result.problems)} 处错误，相关表未生成 / {len(result.problems)} problems in DATA, "
                   "those tables were not written:", err=True)
        for problem in result.problems:
            click.echo(clean_text(f"  {problem}"), err=True)
    return 0 if result.ok else 1


def _layouts(names: tuple[str, ...]) -> dict:
    """Each ``--layout`` by its kind; two of one kind is a usage error."""
    from ..core.layout import load_layout

    forms: dict = {}
    for name in names:
        layout = load_layout(name)
        if layout.kind in forms:
            raise click.UsageError(f"--layout 给了两个同类表格（{layout.kind}）/ two layouts of one kind: {name}")
        forms[layout.kind] = layout
    return forms
