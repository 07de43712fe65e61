"""``selfeval systems``: list the built-in indicator systems and table layouts, or validate files of
either kind (a bureau's own layout + system, before it hands out forms)."""
from __future__ import annotations

import click


@click.command()
@click.argument("files", nargs=-1, type=click.Path(exists=True, dir_okay=False))
def command(files: tuple[str, ...]) -> int:
    """列出内置指标体系和表格式样，或校验指标体系 / 表格式样文件 / list built-in systems and layouts, or
    validate system and layout files."""
    from ..core.datafiles import DataFileError, load_yaml
    from ..core.layout import available_layouts
    from ..core.system import available_systems

    bad = 0
    for name in files or tuple(available_systems()):
        try:
            is_layout = bool(files) and _is_layout(load_yaml("systems", name)[1])
            click.echo(_layout_line(name) if is_layout else _system_line(name))
        except DataFileError as exc:
            click.echo(str(exc), err=True)
            bad += 1
    if not files:
        click.echo("\n表格式样 / layouts:")
        for name in available_layouts():
            click.echo(_layout_line(name))
    return 1 if bad else 0


def _is_layout(data: dict) -> bool:
    """A layout file declares blocks of a form (or extends one); a system file declares levels."""
    return "levels" not in data and bool({"indicators", "funds", "fields", "extends"} & set(data))


def _system_line(name: str) -> str:
    from ..core.system import load_system

    system = load_system(name)
    levels = " + ".join(f"{lv.name} {lv.weight}" for lv in system.levels)
    execution = f"预算执行 {system.budget_execution_weight} + " if system.budget_execution_weight else ""
    return (f"{system.name}  [{system.kind}]  v{system.version}  {system.title}\n"
            f"    {execution}{levels} = {system.total}")


def _layout_line(name: str) -> str:
    """A layout, validated with the system it names (a layout whose system cannot load is unusable)."""
    from ..core.datafiles import DataFileError
    from ..core.layout import load_layout
    from ..core.system import load_system

    layout = load_layout(name)
    try:
        system = load_system(layout.system or None, layout.kind)
    except DataFileError as exc:
        raise DataFileError(layout.source, [f"system: {p}" for p in exc.problems]) from None
    if system.kind != layout.kind:
        raise DataFileError(layout.source, [f"system {system.name} 用于 {system.kind} 表，式样为 {layout.kind} 表 / "
                                            "the system is for another kind of table"])
    marks = [*layout.recognise.codes, *layout.recognise.titles, *layout.recognise.level1]
    told = f"（识别 / recognised by: {'、'.join(marks)}）" if marks else ""
    return f"{layout.name}  [{layout.kind}]  {layout.title} → {system.name}{told}"
