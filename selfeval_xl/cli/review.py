"""``selfeval review sample|sheet|report``: the bureau's 抽查复核 — draw, the 复核底稿, the 复核报告."""
from __future__ import annotations

from pathlib import Path

import click

from .check import limit_option, limits_from

EXIT_OK, EXIT_PROBLEMS = 0, 1


def _rules(ref: str | None):
    from ..core.datafiles import DataFileError
    from ..review import load_rules

    try:
        return load_rules(ref)
    except DataFileError as exc:
        raise click.UsageError(f"复核口径文件无法使用 / unusable review rules: {exc}") from None


def _output(path: str, inputs, force: bool, suffix: str, replaceable: bool = True) -> Path:
    from ..files.outputs import OutputError, check_output

    target = Path(path)
    if target.suffix.lower() != suffix:
        raise click.UsageError(f"输出文件应为 {suffix}：{path} / the output must be a {suffix} file")
    try:
        return check_output(target, inputs, force, replaceable)
    except OutputError as exc:
        raise click.UsageError(str(exc)) from None


def _kinds(department: bool) -> tuple[str, ...]:
    return ("project", "department") if department else ("project",)


def _left(left) -> None:
    for path, why in left:
        click.echo(f"未纳入 / not included: {path}：{why}", err=True)


rules_option = click.option("--rules", "rules_ref", metavar="FILE",
                            help="复核口径、问题等级、自评质量分档和抽样权重（YAML，默认内置 default；或口径 .xlsx，"
                                 "见 review kouji-template）/ the review rules (YAML, or a 口径 .xlsx)")
system_option = click.option("--system", "-s", "system_ref", metavar="NAME|FILE",
                             help="指标体系（内置名称或 YAML 文件）；默认按表类型选用 / indicator system")
jobs_option = click.option("--jobs", "-j", type=click.IntRange(min=0), default=0,
                           show_default="全部核心 / all cores", help="并行进程数 / worker processes")
key_option = click.option("--key", "keys", multiple=True, metavar="项目",
                          help="重点项目，必抽（项目名称、单位/项目或文件名；可多次）/ a key project, always drawn")
department_option = click.option("--department", is_flag=True,
                                 help="部门整体支出绩效自评表也纳入抽样和底稿 / 部门整体 tables too")
seed_option = click.option("--seed", type=click.IntRange(min=0), default=None,
                           help="随机种子（同样的文件和种子抽样结果相同；不给则随机生成并记录）/ the random seed")


@click.group()
def command() -> None:
    """抽查复核：抽样、生成复核底稿、依据填好的底稿出具复核报告。

    The bureau's review: draw projects, write the 复核底稿 (a workbook computing in its cells), and
    read the filled 底稿 back into the 复核报告 (问题清单, 复核结论 and 自评质量 per 单位)."""


@command.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@click.option("--n", "n", type=click.IntRange(min=1), required=True, help="抽取的项目数 / how many projects")
@seed_option
@key_option
@click.option("-o", "--output", type=click.Path(dir_okay=False),
              help="抽样记录 .json（供 review sheet --draw 使用）/ the draw, as JSON")
@rules_option
@system_option
@jobs_option
@department_option
@click.option("--force", is_flag=True, help="覆盖已存在的抽样记录 / overwrite an existing draw")
@limit_option
def sample(paths, n, seed, keys, output, rules_ref, system_ref, jobs, department, force, limit_settings) -> int:
    """抽样：重点项目必抽，其余按风险加权随机抽取，可用种子重现。

    Draw N project tables under PATH (files or folders): key projects first, the rest at random with
    risk weights (amount, all self-scored full, 填报 − 重算 gap, findings, 定性 share)."""
    from ..files.outputs import write_text
    from ..review import ReviewError, draw_sample

    rules = _rules(rules_ref)
    target = _output(output, paths, force, ".json", replaceable=False) if output else None
    try:
        sampled = draw_sample(paths, n, rules, seed, keys, system_ref, jobs, limits_from(limit_settings),
                              _kinds(department))
    except ReviewError as exc:
        raise click.UsageError(str(exc)) from None
    _left(sampled.left)
    record = sampled.draw
    click.echo(f"候选 {len(record.candidates)} 个项目，抽取 {len(record.drawn)} 个，种子 {record.seed} / "
               f"{len(record.candidates)} candidates, {len(record.drawn)} drawn, seed {record.seed}")
    for c in record.drawn:
        click.echo(f"  {c.order:>3}. [{c.drawn}] {c.unit} / {c.name}（权重 {c.weight:g}）  {c.path}")
    if target is not None:
        write_text(target, record.to_json())
        click.echo(f"抽样记录已写入 / draw written: {target}（selfeval review sheet … --draw {target.name}）")
    else:
        click.echo(f"重现 / to reproduce: selfeval review sample … --n {n} --seed {record.seed}")
    return EXIT_OK


@command.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False),
              help="输出的复核底稿 .xlsx / the 复核底稿 to write")
@click.option("--draw", "draw_file", type=click.Path(exists=True, dir_okay=False),
              help="review sample 写的抽样记录：只收录抽中的项目 / the draw of review sample")
@click.option("--n", "n", type=click.IntRange(min=1), help="现在抽样 N 个（抽样记录写入底稿）/ draw N now")
@seed_option
@key_option
@rules_option
@system_option
@jobs_option
@department_option
@click.option("--force", is_flag=True,
              help="覆盖已存在的文件（已填写的底稿也会被覆盖！）/ overwrite an existing file (a filled 底稿 too!)")
@limit_option
def sheet(paths, output, draw_file, n, seed, keys, rules_ref, system_ref, jobs, department, force,
          limit_settings) -> int:
    """生成复核底稿：每个项目一张表，自评部分已填，复核完成值、口径、意见待填，复核得分按规则计算。

    Write the 复核底稿: an index, the draw, the 口径 list and a sheet per project (the projects of
    --draw, or N drawn now, or every project table under PATH). Printable on A4."""
    from ..review import Draw, ReviewError, write_worksheet

    if draw_file and n:
        raise click.UsageError("--draw 与 --n 只能选一个 / give --draw or --n, not both")
    if (seed is not None or keys) and not n:
        raise click.UsageError("--seed、--key 须与 --n 一起使用 / --seed and --key go with --n")
    rules = _rules(rules_ref)
    target = _output(output, list(paths) + ([draw_file] if draw_file else []), force, ".xlsx", replaceable=False)
    record = None
    if draw_file:
        try:
            record = Draw.from_json(Path(draw_file).read_text(encoding="utf-8"))
        except (ValueError, TypeError, KeyError) as exc:
            raise click.UsageError(f"抽样记录无法读取 / unreadable draw: {draw_file}: {exc}") from None
    try:
        written, used, left = write_worksheet(paths, target, rules, record, n, seed, keys, system_ref, jobs,
                                              limits_from(limit_settings), _kinds(department))
    except ReviewError as exc:
        raise click.UsageError(str(exc)) from None
    _left(left)
    click.echo(f"复核底稿已写入 / 复核底稿 written: {written.path}（{written.projects} 个项目，{written.rows} 个指标行"
               + (f"，其中 {written.manual} 行须人工复核" if written.manual else "")
               + (f"；抽样种子 {used.seed}" if used else "") + "）")
    return EXIT_OK


@command.command()
@click.argument("filled", type=click.Path(exists=True, dir_okay=False))
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False),
              help="输出的复核报告 .xlsx / the 复核报告 to write")
@rules_option
@click.option("--system", "-s", "system_ref", metavar="NAME|FILE",
              help="指标体系（默认按底稿记录的体系）/ indicator system (default: as each sheet records)")
@click.option("--force", is_flag=True,
              help="覆盖不是本工具生成的同名文件（输入文件除外）/ overwrite a file that is not our output")
@limit_option
def report(filled, output, rules_ref, system_ref, force, limit_settings) -> int:
    """依据填好的复核底稿出具复核报告：复核问题清单、各单位复核结论和自评质量，并检查底稿本身。

    Read the filled 复核底稿 back (each 复核得分 recomputed by the rules and its 口径), check it, and write
    the 复核报告. Exit status: 0 the 底稿 is consistent, 1 the 底稿 has problems to fix (listed), 2 usage error."""
    from ..review import SheetError, review_report

    rules = _rules(rules_ref)
    target = _output(output, [filled], force, ".xlsx")
    try:
        done = review_report(filled, target, rules, limits_from(limit_settings), system_ref)
    except SheetError as exc:
        raise click.UsageError(f"{filled}: {exc}") from None
    counts = {lv: sum(i.level == lv for i in done.issues) for lv in ("P0", "P1", "P2")}
    click.echo(f"复核报告已写入 / 复核报告 written: {done.path}")
    click.echo(f"问题 {len(done.issues)} 条（P0 {counts['P0']}、P1 {counts['P1']}、P2 {counts['P2']}）/ issues")
    for c in done.conclusions:
        click.echo(f"  {c.unit}：{c.text}")
    for p in done.sheet.problems:
        click.echo(f"底稿 / 底稿 {p.place}：{p.message}", err=True)
    return EXIT_PROBLEMS if done.sheet.problems else EXIT_OK


@command.command("kouji-template")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False),
              help="输出的口径工作簿 .xlsx / the 口径 workbook to write")
@rules_option
@click.option("--force", is_flag=True, help="覆盖不是本工具生成的同名文件 / overwrite a file that is not our output")
def kouji_template(output, rules_ref, force) -> int:
    """写出口径工作簿（Excel）：财政局在 Excel 中修改口径后，用 --rules 口径.xlsx 或在网页“复核”页上传使用。

    Write the 口径 list as an Excel workbook (code, name, wording, effect, keep, deduct, level,
    dimension, advice, source) for a bureau to edit; read back by --rules FILE.xlsx and the web page."""
    from ..review.kouji_book import write_template

    rules = _rules(rules_ref)
    target = _output(output, [rules_ref] if rules_ref and Path(rules_ref).exists() else [], force, ".xlsx")
    written = write_template(rules, target)
    click.echo(f"口径工作簿已写入 / 口径 workbook written: {written}（{len(rules.bases)} 条口径）")
    return EXIT_OK
