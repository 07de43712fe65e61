"""``selfeval systems``: list the built-in indicator systems, or validate a system file."""
from __future__ import annotations

import click


@click.command()
@click.argument("files", nargs=-1, type=click.Path(exists=True, dir_okay=False))
def command(files: tuple[str, ...]) -> int:
    """列出内置指标体系，或校验指标体系文件 / list built-in systems or validate system files."""
    from ..datafiles import DataFileError
    from ..system import available_systems, load_system

    names = files or tuple(available_systems())
    bad = 0
    for name in names:
        try:
            system = load_system(name)
        except DataFileError as exc:
            click.echo(str(exc), err=True)
            bad += 1
            continue
        levels = " + ".join(f"{lv.name} {lv.weight}" for lv in system.levels)
        execution = f"预算执行 {system.budget_execution_weight} + " if system.budget_execution_weight else ""
        click.echo(f"{system.name}  [{system.kind}]  v{system.version}  {system.title}\n"
                   f"    {execution}{levels} = {system.total}")
    return 1 if bad else 0
