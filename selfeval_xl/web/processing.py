"""One uploaded workbook through the same steps as the command line, for a page or the JSON API.

1. the check, through the batch (:func:`selfeval_xl.batch.holdback.check_batch`): the same FileReport — and so
   the same JSON — as ``selfeval check --json``;
2. for a workbook in which tables were found: the write-back of ``selfeval score`` (``score_book`` on the
   package Book, every other part of the file copied byte for byte) and the cells of the tables' sheets for the page.

Both run in one child process with limits (:mod:`.isolated`): a file that crashes a reader library
(a native abort is not an exception) or hangs it costs its own verdict, never the server.

Nothing here decides what is right or wrong in a table: the checks and the write-back do.
"""
from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from ..core.findings import FileReport, Finding, Severity
from .limits import WebLimits, cut, fair_share

SCORABLE = (".xlsx", ".xlsm")
SHOWN_ROWS, SHOWN_COLS = 400, 40
"""The page shows at most this much of a table's sheet (a 自评表 has well under 100 rows, 12 columns)."""
NO_RESULT_CODES = {"unreadable", "no-table", "check-failed"}
Runner = Callable[..., Any]
"""How a step is run away from the server: :func:`.isolated.run_isolated` (a child of its own) or
:meth:`.workers.WorkerPool.run` (a warm worker) — ``run(func, *args, scratch=..., time_limit=...)``."""
_UNSAFE = re.compile(r"[\x00-\x1f\x7f/\\]")


def display_name(client_name: str | None, suffix: str) -> str:
    """The name shown for an upload: the last part of what the client said, without control characters
    or separators, never used as a path."""
    name = re.split(r"[/\\]", client_name or "")[-1]
    name = _UNSAFE.sub("_", name).strip(" .")[:120]
    return name or f"upload{suffix}"


def named(report: FileReport, name: str) -> FileReport:
    """The report with the stored file's path replaced by the name the client gave it."""
    findings = [dataclasses.replace(f, file=name) if f.file else f for f in report.findings]
    return dataclasses.replace(report, path=name, findings=findings)


def check(path: Path, name: str, system_ref: str | None = None) -> FileReport:
    """The check of ``check --json`` for one file, through the batch's workers."""
    from ..batch.holdback import check_batch

    return named(next(iter(check_batch([path], system_ref))), name)


def report_from_dict(data: dict[str, Any]) -> FileReport:
    """A FileReport back from :meth:`FileReport.to_dict` (what the store keeps), for the report writers."""
    from decimal import Decimal

    def dec(value: Any) -> Decimal | None:
        return None if value is None else Decimal(str(value))

    findings = [finding_from_dict(f) for f in data["findings"]]
    return FileReport(data["path"], data["unit"], data["name"], data["kind"], data["stated_total"],
                      dec(data["total"]), data["grade"], dec(data["budget"]), dec(data["spent"]), findings,
                      reviewed=data.get("rows_reviewed", 0), unreviewed=data.get("rows_unreviewed", 0))


def finding_from_dict(f: dict[str, Any]) -> Finding:
    """A Finding back from :meth:`Finding.to_dict`."""
    return Finding(f["code"], Severity(f["severity"]), f["message"], f["file"], f["sheet"], f["cell"],
                   f["expected"], f["found"])


def table_key(report: FileReport) -> str:
    """Which table a submission is a version of: its kind and name (the file name when none was read)."""
    if report.kind and report.name:
        return f"{report.kind}:{report.name}"
    return f"file:{Path(report.path).name}"


def has_tables(report: FileReport) -> bool:
    return not any(f.code in NO_RESULT_CODES for f in report.findings)


# --------------------------------------------------------------------------- in the child process

def _shown(grid, limits: WebLimits) -> dict[str, Any]:
    """A sheet as the page shows it: its first rows and columns as Excel shows them, number formats
    honoured (0.98 in a ``0%`` cell is 98%), each cell's text cut at ``cell_chars``, the longest shorter
    still when the sheet's text passes ``sheet_chars`` (one 8,000-character string in 11,200 cells must
    not be kept 11,200 times)."""
    from ..report.numfmt import excel_text

    rows = [[excel_text(v, grid.number_format(r, c)) for c, v in enumerate(line[:SHOWN_COLS])]
            for r, line in enumerate(grid.rows[:SHOWN_ROWS])]
    each = fair_share([len(t) for r in rows for t in r], limits.sheet_chars, limits.cell_chars)
    rows = [[cut(t, each) for t in r] for r in rows]
    while rows and not any(rows[-1]):
        rows.pop()
    width = max((max((i + 1 for i, v in enumerate(r) if v), default=0) for r in rows), default=0)
    rows = [(r + [""] * width)[:width] for r in rows]
    merged = [m for m in grid.merged if m[0] < len(rows) and m[1] < width]
    return {"sheet": grid.name, "rows": rows, "merged": merged}


def _scorable(source: Path, folder: Path) -> Path | None:
    """The file the package Book can score: the upload itself, or an .xls converted to .xlsx by LibreOffice as
    ``selfeval score`` converts it; None for an .xls when LibreOffice is not installed."""
    from ..read.workbook import legacy_xls
    from ..engines.libreoffice import recalculate, soffice_available

    if legacy_xls(source):                       # by name or by bytes (an .xls uploaded as .xlsx)
        return recalculate([source], folder / "xls")[0] if soffice_available() else None
    return source if source.suffix.lower() in SCORABLE else None


def score_and_show(source: str, folder: str, system_ref: str | None,
                   limits: WebLimits = WebLimits()) -> dict[str, Any] | None:
    """Score the workbook as ``selfeval score`` does and save it in ``folder``; return the tables'
    sheets as shown before scoring, each table's recomputed 总分 and 等级, and the scored file's path
    (None when there was no table to score). None when the file cannot be scored at all."""
    from ..book.package_book import PackageBook
    from ..core.system import load_system
    from ..score.writeback import score_book

    opened = _scorable(Path(source), Path(folder))
    if opened is None:
        return None
    book = PackageBook.open(opened)              # the package patch of ``selfeval score``: lossless
    before = {g.name: _shown(g, limits) for g in book.grids()}   # taken now: scoring writes into these grids
    summary = score_book(book, load_system(system_ref) if system_ref else None, source)
    tables = [{"name": t.name, "kind": t.kind, "sheet": t.sheet, "system": t.system, "layout": t.layout,
               "total": None if t.total is None else f"{t.total:.2f}", "grade": t.grade or ""}
              for t in summary.tables]
    target = None
    if summary.tables:
        target = str(Path(folder) / f"scored{opened.suffix}")
        book.save(target)
    sheets = list(dict.fromkeys(t.sheet for t in summary.tables))
    return {"tables": tables, "sheets": [before[s] for s in sheets if s in before], "scored": target}


# --------------------------------------------------------------------------- one upload, whole

def _check_and_score(source: str, name: str, folder: str, system_ref: str | None, score: bool,
                     limits: WebLimits) -> dict[str, Any]:
    """In the child: the check, then (``score`` and tables found) the write-back and the sheets."""
    report = check(Path(source), name, system_ref)
    shown = score_and_show(source, folder, system_ref, limits) if score and has_tables(report) else None
    return {"report": report.to_dict(), "shown": shown}


@dataclass
class Processed:
    report: FileReport
    result: dict[str, Any]          # what the page shows (JSON-able)
    scored: Path | None             # the scored workbook, in the work folder, when one was written


def _runner(run: Runner | None) -> Runner:
    from .isolated import run_isolated

    return run or run_isolated


def isolated_check(path: Path, name: str, work: Path, system_ref: str | None = None, score: bool = False,
                   run: Runner | None = None, limits: WebLimits = WebLimits()
                   ) -> tuple[FileReport, dict[str, Any] | None, str]:
    """The check (and, with ``score``, the write-back) in a child process with limits, so that a file
    that crashes or hangs a reader costs its own verdict, never the server. Returns the report, what
    :func:`score_and_show` gave (or None) and a note when scoring could not be done."""
    from ..core.findings import finding
    from .isolated import StepFailed

    run = _runner(run)
    try:
        answer = run(_check_and_score, str(path), name, str(work), system_ref, score, limits, scratch=work)
        return report_from_dict(answer["report"]), answer["shown"], ""
    except StepFailed as exc:
        failure = str(exc)
    if score:                  # was it the write-back? the check alone may still give its verdict
        try:
            answer = run(_check_and_score, str(path), name, str(work), system_ref, False, limits, scratch=work)
            return report_from_dict(answer["report"]), None, f"未能生成评分后的工作簿：{failure}"
        except StepFailed as exc:
            failure = str(exc)
    report = FileReport(name)
    report.findings.append(finding("check-failed", f"检查此文件时处理进程中止：{failure}", file=name))
    return report, None, ""


def _check_many(items: list[tuple[str, str]], system_ref: str | None) -> list[dict[str, Any]]:
    """In the child: ``selfeval check`` over several files at once, cross-file checks included."""
    from ..batch.holdback import check_batch

    names = dict(items)
    return [named(r, names[r.path]).to_dict() for r in check_batch([Path(p) for p, _ in items], system_ref)]


def check_together(items: list[tuple[Path, str]], work: Path, system_ref: str | None = None,
                   run: Runner | None = None) -> list[FileReport] | None:
    """The reports of ``selfeval check`` run over these files (path, name shown) together, so that the
    checks across the files of one 单位 add their findings; None when the run could not finish."""
    from .isolated import StepFailed

    try:
        answer = _runner(run)(_check_many, [(str(p), n) for p, n in items], system_ref, scratch=work,
                              time_limit=60 + 5 * len(items))
    except StepFailed:
        return None
    return [report_from_dict(d) for d in answer]


def _check_report(source: str, name: str, workbooks: list[str], system_ref: str | None) -> dict[str, Any]:
    """In the child: the 单位's tables read as ``selfeval check`` reads them beside a report (their
    narrative summaries, grouped by 单位), then the report checked against them by the narrative checker."""
    from ..narrative import check_reports, load_units

    units = load_units([Path(p) for p in workbooks], system_ref)[0]
    report = named(next(check_reports([Path(source)], units)), name)
    return dataclasses.replace(report, name=Path(name).stem).to_dict()


def process_report(path: Path, name: str, workbooks: list[Path], work: Path, system_ref: str | None = None,
                   run: Runner | None = None) -> Processed:
    """A 绩效自评报告 checked against these workbooks (its 单位's latest tables), in a child with limits;
    a crash or an overrun is its ``check-failed`` finding."""
    from ..core.findings import finding
    from .isolated import StepFailed

    try:
        report = report_from_dict(_runner(run)(_check_report, str(path), name, [str(p) for p in workbooks],
                                               system_ref, scratch=work, time_limit=60 + 5 * len(workbooks)))
    except StepFailed as exc:
        report = FileReport(name, name=Path(name).stem, kind="report")
        report.findings.append(finding("check-failed", f"检查此报告时处理进程中止：{exc}", file=name))
    return Processed(report, {"report": report.to_dict(), "tables": [], "sheets": [], "note": ""}, None)


def process(path: Path, name: str, work: Path, system_ref: str | None = None, run: Runner | None = None,
            limits: WebLimits = WebLimits()) -> Processed:
    """Check, and for a workbook with tables, score and read its sheets for the page (files in ``work``)."""
    report, shown, note = isolated_check(path, name, work, system_ref, score=True, run=run, limits=limits)
    result: dict[str, Any] = {"report": report.to_dict(), "tables": [], "sheets": [], "note": note}
    scored = None
    if shown:
        result["tables"], result["sheets"] = shown["tables"], shown["sheets"]
        scored = Path(shown["scored"]) if shown["scored"] else None
    elif has_tables(report) and not note:
        result["note"] = ("未安装 LibreOffice，.xls 文件只给出检查结果；请在 Excel/WPS 中另存为 .xlsx 后上传，"
                          "即可查看表格和下载评分后的工作簿")
    return Processed(report, result, scored)
