"""``selfeval score FILE... (-o DIR | --in-place)``: recompute and write every score into workbooks.

Each file is scored on its own: one that cannot be scored is left untouched and reported with its
reason, the others are still written, and the exit status says something went wrong. Writes are
atomic (temporary file + rename, the replaced file's mode and owner kept); ``--in-place`` keeps the
original as ``<name>.bak<ext>`` (``.bak2`` … when an earlier backup exists, so no backup is ever
overwritten).

Nothing is lost to a name: a file given twice (another spelling, a link, a hard link) is scored once;
two files that would land on one name (``a/表.xlsx`` and ``b/表.xlsx`` into one folder, or ``表.xls``
beside ``表.xlsx``) are both kept, the later one as ``表（2）.xlsx``; no two jobs plan one backup name;
a file already in the output folder is overwritten only with ``--force``.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

import click

from .check import limit_option, limits_from, own_layouts
from ..files.outputs import Inputs, file_identity, replacing, same_file
from ..files.ownfiles import backup_name

if TYPE_CHECKING:
    from ..score.writeback import Summary

WRITABLE = (".xlsx", ".xlsm")
CONVERTIBLE = (".xls",)


@dataclass
class Job:
    """One file to score: where it came from, what is opened, where it goes, and what went wrong."""

    source: Path
    opened: Path | None = None           # the file read (a LibreOffice conversion for an .xls)
    target: Path | None = None
    backup: Path | None = None
    failure: str = ""


def backup_path(path: Path, taken: set[Path] = frozenset()) -> Path:
    """``表.bak.xlsx``, or ``表.bak2.xlsx`` … when an earlier backup is there or another job of this run
    has planned it (``taken``): a backup is never overwritten."""
    n = 1
    while (candidate := backup_name(path, n)).exists() or candidate.resolve() in taken:
        n += 1
    return candidate


def distinct(sources: list[Path]) -> list[Path]:
    """The sources without repeats: ``x.xlsx`` and ``./x.xlsx``, a link to it or a hard link are one file."""
    kept: list[Path] = []
    seen: set[tuple] = set()
    for source in sources:
        if (identity := file_identity(source)) not in seen:
            seen.add(identity)
            kept.append(source)
    return kept


def _free_name(target: Path, taken: set[Path]) -> Path:
    """``target``, or ``表（2）.xlsx`` … (:func:`~selfeval_xl.core.sanitize.file_name`) when another job of this
    run writes ``target`` already."""
    from ..core.sanitize import file_name

    candidate, n = target, 1
    while candidate.resolve() in taken:
        n += 1
        candidate = target.with_name(file_name(target.stem, f"（{n}）{target.suffix}"))
    return candidate


def plan(sources: list[Path], out_dir: Path | None, force: bool = False) -> list[Job]:
    """Where each file goes; an .xls becomes an .xlsx (beside it, or in DIR). Files that rewrite
    themselves claim their names first, so a converted .xls never takes the name of an .xlsx given."""
    jobs = [Job(source, opened=source) for source in distinct(sources)]
    for job in jobs:
        suffix = job.source.suffix.lower()
        if suffix not in WRITABLE + CONVERTIBLE:
            job.failure = f"不支持的文件类型 {job.source.suffix or '（无扩展名）'}：只能处理 .xlsx、.xlsm、.xls"
        name = job.source.name if suffix in WRITABLE else f"{job.source.stem}.xlsx"
        job.target = (out_dir / name) if out_dir is not None else job.source.with_name(name)
    inputs = Inputs(sources)
    taken: set[Path] = {j.target.resolve() for j in jobs if same_file(j.target, j.source)}
    backups: set[Path] = set()
    for job in jobs:
        if out_dir is not None and same_file(job.target, job.source):
            job.failure = "输出文件就是原文件；要改写原文件请用 --in-place / the output is the input: use --in-place"
            continue
        if not same_file(job.target, job.source):
            job.target = _free_name(job.target, taken)
            taken.add(job.target.resolve())
        if out_dir is None:
            if job.target.exists():
                job.backup = backup_path(job.target, backups)
                backups.add(job.backup.resolve())
        elif job.target.exists() and not force:
            job.failure = (f"输出文件夹中已有 {job.target.name}，未覆盖（加 --force 覆盖）/ "
                           "a file of that name is in the output folder: not overwritten (use --force)")
        elif job.target in inputs:
            job.failure = f"输出会覆盖另一个输入文件 {job.target.name}，未写入 / the output would overwrite another input"
    return jobs


def convert_xls(jobs: list[Job], workdir: Path) -> None:
    """Convert the .xls files to .xlsx with LibreOffice (keeps the formatting), one soffice run per batch
    of distinct names; without LibreOffice each .xls fails with a clear reason."""
    from ..read.workbook import legacy_xls
    from ..engines.libreoffice import LibreOfficeError, recalculate, soffice_available

    pending = [j for j in jobs if not j.failure and legacy_xls(j.source)]
    if pending and not soffice_available():
        for job in pending:
            job.failure = (".xls 需先转换为 .xlsx，但未安装 LibreOffice：请安装 LibreOffice，或在 Excel/WPS 中"
                           "另存为 .xlsx 后再评分 / .xls needs LibreOffice to convert; none is installed")
        return
    batch_no = 0
    while pending:
        seen, batch, rest = set(), [], []
        for job in pending:
            (rest if job.source.stem in seen else batch).append(job)
            seen.add(job.source.stem)
        outdir = workdir / f"xls{batch_no}"
        try:
            for job, converted in zip(batch, recalculate([j.source for j in batch], outdir)):
                job.opened = converted
        except LibreOfficeError as exc:
            for job in batch:
                job.failure = f"无法把 .xls 转换为 .xlsx：{exc}"
        pending, batch_no = rest, batch_no + 1


def score_job(job: Job, system, limits, own: tuple[str, ...] = ()) -> "Summary | None":
    """Score one file and write it (``own``: the user's own layout files). Sets ``job.failure`` (and
    returns None) when it cannot."""
    from ..book import BookRefused
    from ..book.package_book import PackageBook
    from ..read.workbook import why_unopenable
    from ..score.writeback import score_book

    try:
        book = PackageBook.open(job.opened, limits)
    except BookRefused as exc:       # beyond a limit: the guard says which
        job.failure = f"{exc}，未评分"
        return None
    except Exception as exc:  # noqa: BLE001 - a stranger's file we cannot open
        job.failure = why_unopenable(job.opened, exc)
        return None
    summary = score_book(book, system, str(job.source), own)
    if not summary.tables:
        job.failure = "未找到绩效自评表，未写入 / no 自评表 found"
        return None
    try:
        with replacing(job.target, job.backup) as temporary:     # the old file's mode and owner kept
            book.save(temporary)
    except OSError as exc:
        job.failure = f"无法写入 {job.target}：{exc}"
        return None
    return summary


def score_guarded(job: Job, system, limits, own: tuple[str, ...]) -> "tuple[Summary | None, str]":
    """:func:`score_job` in a worker: (summary, why it failed)."""
    return score_job(job, system, limits, own), job.failure


def score_all(jobs: list[Job], system, limits, own: tuple[str, ...] = ()) -> "Iterator[Summary | None]":
    """Score the jobs in order, each in an isolated worker (a file that crashes the reader, eats memory
    or overruns its seconds fails alone); sets each ``job.failure`` as it comes back. Jobs that failed
    already (and paths that are not regular files: the caller refuses them first) are not sent."""
    from functools import partial

    from ..isolation.pool import isolated

    pending = [job for job in jobs if not job.failure]
    outcomes = isolated(partial(score_guarded, system=system, limits=limits, own=own), pending, 1, limits,
                        lambda _, reason: (None, reason))
    for job in jobs:
        if job.failure:
            yield None
            continue
        summary, job.failure = next(outcomes)
        yield summary


@click.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("-o", "--output", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              help="写到此文件夹（保留文件名和扩展名）/ write into this folder, same names")
@click.option("--in-place", is_flag=True, help="改写原文件（原文件另存为 .bak）/ rewrite the files, keeping a .bak")
@click.option("--system", "system_name", help="指标体系名称或文件 / indicator system name or file")
@click.option("--force", is_flag=True, help="覆盖输出文件夹中的同名文件（输入文件除外）/ overwrite files in the output folder "
                                            "(never an input)")
@limit_option
def command(files: tuple[Path, ...], out_dir: Path | None, in_place: bool, system_name: str | None,
            force: bool, limit_settings: tuple[str, ...]) -> int:
    """重新计算执行率、得分、总分和等级并写入工作簿 / recompute and write scores into workbooks."""
    import tempfile

    from ..core.datafiles import DataFileError
    from ..read.guard import path_problem
    from ..core.sanitize import clean_text
    from ..core.system import load_system

    if bool(out_dir) == in_place:
        raise click.UsageError("请给出 -o 文件夹 或 --in-place 之一 / give exactly one of -o DIR or --in-place")
    limits = limits_from(limit_settings)
    own = own_layouts()
    try:
        system = load_system(system_name) if system_name else None
    except DataFileError as exc:
        raise click.ClickException(str(exc)) from None
    if out_dir is not None:
        out_dir.mkdir(parents=True, exist_ok=True)
    jobs = plan(list(files), out_dir, force)
    failed = problems = 0
    with tempfile.TemporaryDirectory(prefix="selfeval-score-") as workdir:
        for job in jobs:               # never hand LibreOffice a FIFO or a device
            job.failure = job.failure or path_problem(job.source, limits) or ""
        convert_xls(jobs, Path(workdir))
        for n, (job, summary) in enumerate(zip(jobs, score_all(jobs, system, limits, own)), start=1):
            prefix = f"[{n}/{len(jobs)}] {job.source}"
            if job.failure:
                failed += 1
                click.echo(clean_text(f"{prefix}：未评分，原文件未改动 / not scored, file untouched — {job.failure}"),
                           err=True)
                continue
            problems += summary.errors
            where = f" → {job.target}" if job.target != job.source else ""
            if job.opened != job.source:          # converted by LibreOffice (an .xls, by name or by bytes)
                where += "（.xls 不能原样写回，已另存为 .xlsx / .xls cannot be written back, saved as .xlsx）"
            backup = f"（原文件备份 / backup: {job.backup.name}）" if job.backup else ""
            click.echo(clean_text(f"{prefix}{where}{backup}：{summary.message().replace(chr(10), '；')}"))
    click.echo(f"已评分 {len(jobs) - failed} 个，未评分 {failed} 个 / scored {len(jobs) - failed}, failed {failed}")
    return 1 if failed or problems else 0
