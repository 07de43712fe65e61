"""``selfeval check PATH...``: check submitted workbooks, every problem by file, sheet and cell."""
from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from ..files.discovery import Found
    from ..core.limits import Limits

LAYOUTS_ENV = "SELFEVAL_LAYOUTS"
"""The user's setting naming their own layout files (separated by ``os.pathsep``) for the commands
without ``--layout`` (score, summary): read once here, at the face, and handed down to the reader."""

PROGRESS_MIN_FILES = 5


def limit_option(command):
    """``--limit NAME=VALUE`` (repeatable), shared by the commands that open submitted files."""
    return click.option("--limit", "limit_settings", multiple=True, metavar="NAME=VALUE",
                        help="调整单个文件的读取限制，如 seconds=300、memory_mb=4096、cells=50000000（见 README"
                             "“可靠性”一节）/ change a per-file limit (see README, Reliability)")(command)


def previous_option(command):
    """``--previous PATH`` (repeatable): last year's workbooks, shared by check and summary."""
    return click.option("--previous", "previous", multiple=True, type=click.Path(exists=True), metavar="PATH",
                        help="上年的自评表（文件或文件夹，可给多次），逐项目、逐指标比较：调低的指标值、删去的指标、"
                             "调低的分值、连续远超的完成值 / last year's workbooks (files or folders, may be "
                             "repeated), compared year over year")(command)


def limits_from(settings) -> "Limits":
    """The default limits with the ``--limit`` settings applied; a usage error (exit 2) on a bad one."""
    from ..core.limits import DEFAULT_LIMITS

    try:
        return DEFAULT_LIMITS.with_settings(settings)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None


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
@click.option("--feedback", "feedback_dir", type=click.Path(file_okay=False),
              help="每个单位写一个反馈工作簿（问题与改法）到此文件夹 / one feedback workbook per 单位 into DIR")
@click.option("--quality", "quality_file", type=click.Path(exists=True, dir_okay=False), metavar="FILE",
              help="本地指标质量规则（YAML，只写与内置规则不同之处：阈值、用词、级别、off 关闭）/ a bureau's "
                   "own 指标质量 rule pack (thresholds, words, severities; off turns a rule off)")
@previous_option
@click.option("--jobs", "-j", type=click.IntRange(min=0), default=0, show_default="全部核心 / all cores",
              help="并行进程数 / worker processes")
@click.option("--force", is_flag=True,
              help="覆盖不是本工具生成的同名文件（输入文件除外）/ overwrite a file that is not our output (never an input)")
@click.option("--quiet", "-q", is_flag=True, help="不打印汇总 / no console summary")
@click.option("--list-checks", is_flag=True, help="列出全部检查项及说明 / list every check with its documentation")
@click.option("--skip", "skip", multiple=True, metavar="CODE[,CODE]",
              help="跳过这些检查项（代码见 --list-checks，可给多次）：其问题不列入任何输出，report.xlsx 的检查说明写明跳过了哪些 "
                   "/ skip these checks (codes from --list-checks, may be repeated): never reported, and named in "
                   "report.xlsx's 检查说明")
@click.option("--explain", is_flag=True,
              help="打印每个文件是如何读取的（表头、资金行、哪些行是指标及原因）/ print how each file was read")
@limit_option
def command(paths, system_ref, layouts, report_path, json_path, feedback_dir, quality_file, previous, jobs, force,
            quiet, list_checks, explain, skip, limit_settings) -> int:
    """检查绩效自评表（.xlsx/.xlsm/.xls，可给文件夹），逐文件、逐单元格列出问题；给出的绩效自评报告
    （.docx/.pdf/.txt）与同一单位的自评表核对。

    Check 自评表 workbooks (files or folders, searched recursively), and the narrative reports given
    (.docx/.pdf/.txt) against the tables of their unit. Exit status: 0 no errors,
    1 errors found, 2 usage error.
    """
    from ..batch.holdback import check_batch
    from ..batch.worker import Choices
    from ..report import Tally
    from ..report.console import common_base

    if list_checks:
        from ..catalogue import UNITS
        from ..checks.catalogue import text
        click.echo(text(UNITS))
        return 0
    skipped = skipped_codes(skip)
    if not paths:
        raise click.UsageError("请给出要检查的文件或文件夹 / give files or folders to check")
    limits = limits_from(limit_settings)
    own = own_layouts(layouts)
    if explain:
        return _explain(paths, own, limits)
    outputs = [p for p in (report_path, json_path) if p]
    usable_outputs(outputs, paths, force)
    from ..narrative import check_reports, find_reports, group_units, summaries_of
    reports = find_reports(paths)
    found = workbooks_to_check([p for p in paths if Path(p) not in reports], system_ref, outputs,
                               bool(reports))
    choices = Choices(own, _quality_pack(quality_file), frozenset(skipped))
    if feedback_dir:
        try:
            Path(feedback_dir).mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise click.UsageError(f"无法创建反馈文件夹 / cannot create the feedback folder: {exc}") from None
    writer = json_out = None
    if json_path:
        from ..report import JsonReport
        json_out = JsonReport(json_path)
    tally = Tally(common_base(paths))
    kept = [] if feedback_dir else None            # the feedback groups every file by its 单位
    bar = _progress(len(found.paths))
    tables = []                 # what each workbook's worker took from its tables, when there are reports

    def heard(result) -> None:
        """Each workbook as its worker finishes (the reports themselves come once all are in)."""
        if bar:
            bar.update(1)
        if reports:
            tables.append((result.report.path, result.facts, []))

    def checked():
        """(FileReport, is a workbook): the workbooks as their workers finish, then the 绩效自评报告,
        each in a worker too, against the tables of its 单位."""
        for report in check_batch(found.paths, system_ref, jobs, limits, found,
                                  facts=summaries_of if reports else None, on_result=heard,
                                  previous=[Path(p) for p in previous], choices=choices):
            yield report, True
        for report in check_reports(reports, group_units(tables)[0], jobs, limits, choices.skip):
            yield report, False

    for report, workbook in checked():
        if report_path and writer is None:     # opened once the workers run: openpyxl loads meanwhile
            from ..report import XlsxReport
            writer = XlsxReport(report_path, skipped)
        if skipped:     # what the workers do not run (the reader's codes, those across files) is dropped here
            report.findings = [f for f in report.findings if f.code not in skipped]
        tally.add(report)
        if kept is not None:
            kept.append(report)
        if writer:
            writer.add(report)
            if workbook:                       # a report is not a table: no 汇总 row
                writer.add_summary(report)
        if json_out:
            json_out.add(report)
    if bar:
        bar.close()
    if writer:
        writer.close()
        click.echo(f"报告已写入 / report written: {report_path}", err=True)
    if json_out:
        json_out.close()
        click.echo(f"JSON 已写入 / JSON written: {json_path}", err=True)
    if kept is not None:
        _write_feedback(kept, feedback_dir)
    if not quiet:
        click.echo(tally.summary(report_written=bool(report_path)))
    return 1 if tally.errors else 0


def skipped_codes(given: tuple[str, ...]) -> tuple[str, ...]:
    """The codes of ``--skip`` (``a,b`` and repeated), each a known check code: a usage error (exit 2)
    naming the unknown ones otherwise. Without ``--skip`` the catalogue (every check's module, the
    report checks' among them) is not imported: a fifth of a second of every run."""
    if not given:
        return ()
    from ..catalogue import codes

    wanted = tuple(dict.fromkeys(c.strip() for item in given for c in item.split(",") if c.strip()))
    unknown = [c for c in wanted if c not in codes()]
    if unknown:
        raise click.UsageError(f"未知的检查代码 / unknown check code: {', '.join(unknown)}"
                               "（全部代码见 / every code: selfeval check --list-checks）")
    return wanted


def usable_outputs(outputs: list, inputs, force: bool) -> None:
    """A usage error (exit 2) before any work when an output would overwrite an input, or a file that
    is not ours without ``force``, or cannot be written. Shared by check and summary."""
    from ..files.outputs import OutputError, check_outputs

    try:
        check_outputs(outputs, inputs, force)
    except OutputError as exc:
        raise click.UsageError(str(exc)) from None


def workbooks_to_check(paths, system_ref: str | None, outputs: list, reports: bool = False) -> "Found":
    """The workbooks under ``paths`` (our ``outputs`` excluded; our own files marked), once the
    indicator system given is found usable: a usage error (exit 2) before any work otherwise. Shared
    by check and summary."""
    from ..files.discovery import scan
    from ..core.datafiles import DataFileError
    from ..core.system import load_system

    if system_ref:
        from ..checks.registry import check_overrides
        try:
            check_overrides(load_system(system_ref))
        except DataFileError as exc:
            raise click.UsageError(f"指标体系无法使用 / unusable indicator system: {exc}") from None
    found = scan(paths, exclude=outputs)
    if not found.paths and not reports:
        raise click.UsageError("没有找到 .xlsx / .xlsm / .xls 文件 / no workbooks found")
    return found


def _write_feedback(reports, folder: str) -> None:
    from ..report.feedback import write_feedback

    written = write_feedback(reports, folder)
    click.echo(f"反馈表已写入 / feedback written: {folder}（{len(written)} 个单位）", err=True)
    for item in written:
        click.echo(f"  {item.path.name}：{item.files} 个文件，{item.findings} 个问题", err=True)


def own_layouts(given: tuple[str, ...] = ()) -> tuple[str, ...]:
    """A bureau's own layout files — ``--layout`` given, else the user's :data:`LAYOUTS_ENV` setting —
    read once here and validated with their systems before any work (a usage error otherwise), to be
    handed down to the reader (in workers, with each task). Shared by check, summary and score."""
    files = tuple(given) or tuple(p for p in os.environ.get(LAYOUTS_ENV, "").split(os.pathsep) if p)
    from ..core.datafiles import DataFileError
    from ..core.layout import load_layout
    from ..core.system import load_system

    for file in files:
        try:
            layout = load_layout(file)
            load_system(layout.system or None, layout.kind)
        except DataFileError as exc:
            raise click.UsageError(f"表格式样无法使用 / unusable layout: {exc}") from None
        except OSError as exc:
            raise click.UsageError(f"表格式样无法读取 / cannot read the layout {file}: {exc}") from None
    return tuple(str(Path(f).resolve()) for f in files)


def _quality_pack(file: str | None) -> str | None:
    """A bureau's 指标质量 pack file, validated before any work (a usage error otherwise), to be handed
    to the workers with each task."""
    if not file:
        return None
    from ..core.datafiles import DataFileError
    from ..checks.quality import load_pack

    path = str(Path(file).resolve())
    try:
        load_pack(path)
    except DataFileError as exc:
        raise click.UsageError(f"指标质量规则无法使用 / unusable quality rules: {exc}") from None
    return path


def _progress(total: int):
    """A progress bar on stderr, only for an interactive run over several files."""
    if total < PROGRESS_MIN_FILES or not sys.stderr.isatty():
        return None
    from tqdm import tqdm
    return tqdm(total=total, unit="个文件", file=sys.stderr, desc="检查")


def _explain(paths, own: tuple[str, ...], limits) -> int:
    """``--explain``: how each workbook was read (with the bureau's ``own`` layouts), nothing checked or
    written."""
    from ..read import read_workbook
    from ..report.explain import explain

    for given in paths:
        files = sorted(p for p in Path(given).rglob("*") if p.suffix.lower() in (".xlsx", ".xlsm", ".xls")) \
            if Path(given).is_dir() else [Path(given)]
        for path in files:
            click.echo(explain(read_workbook(path, limits=limits, own=own)))
    return 0
