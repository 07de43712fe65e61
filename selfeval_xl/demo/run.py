"""``selfeval demo``: the whole product on a realistic data set, with nothing but the installed package.

Generate the data (:mod:`demo_data`) → fill the templates → plant the edits a person makes by hand →
recalculate with LibreOffice where installed (and compare with the engine's values) → check every
workbook, against last year's (上年示例数据.xlsx filled into a temporary folder: a check of the demo's
folder must not read last year's workbooks as this year's) (report.xlsx, findings.json) → summarize
(summary.xlsx, its 上年对比 sheet). Each planted mistake names the finding codes it must raise, so the
demo also shows that the checker finds exactly those.
"""
from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from .data import PLANTED, SEED, YEAR, Planted, generate, previous_year, write_xlsx
from ..core.findings import FileReport, Report
from ..files.outputs import write_text

DEFAULT_DIR = "selfeval-demo"
DATA_FILE, PREVIOUS_DATA_FILE, WORKBOOKS_DIR = "示例数据.xlsx", "上年示例数据.xlsx", "工作簿"
REPORT_FILE, JSON_FILE, SUMMARY_FILE = "report.xlsx", "findings.json", "summary.xlsx"
NARRATIVE_DIR = "绩效自评报告"
OUTPUTS = (DATA_FILE, PREVIOUS_DATA_FILE, WORKBOOKS_DIR, REPORT_FILE, JSON_FILE, SUMMARY_FILE, NARRATIVE_DIR)
UNFINISHED = ".selfeval-demo-unfinished"
"""Lies in the folder while a demo is being built: a run stopped half-way (an error, Ctrl-C) leaves it, and
the next run replaces that demo's outputs without ``--force`` (only ours: the folder holds nothing else)."""
CALC_PACKAGE = "libreoffice-calc"


class DemoError(RuntimeError):
    """The demo cannot run here (the folder holds other files)."""


@dataclass
class PlantedResult:
    planted: Planted
    path: Path
    found: tuple[str, ...]          # error and warning codes the check raised for the workbook

    @property
    def caught(self) -> bool:
        return set(self.found) == set(self.planted.expect)


@dataclass
class NarrativeResult:
    """A 单位's drafted report as checked, and how many errors its tables had (a report restates them)."""

    report: FileReport
    table_errors: int


@dataclass
class DemoResult:
    folder: Path
    data: Path
    workbooks: list[Path] = field(default_factory=list)
    planted: list[PlantedResult] = field(default_factory=list)
    recalculated: int | None = None        # formula cells LibreOffice recomputed (None: not installed)
    recalc_mismatches: list[str] = field(default_factory=list)
    recalc_failed: str = ""                # why LibreOffice could not recalculate (Writer only, no Calc …)
    report: Report = field(default_factory=Report)
    fill_problems: list[str] = field(default_factory=list)
    narratives: list[NarrativeResult] = field(default_factory=list)   # each 单位's drafted report, checked

    @property
    def outputs(self) -> dict[str, Path]:
        return {"示例数据 / data": self.data, "上年示例数据 / last year": self.folder / PREVIOUS_DATA_FILE,
                "工作簿 / workbooks": self.folder / WORKBOOKS_DIR,
                "检查报告 / report": self.folder / REPORT_FILE, "问题清单 JSON / findings": self.folder / JSON_FILE,
                "汇总与图表 / summary": self.folder / SUMMARY_FILE,
                "绩效自评报告 / drafted reports": self.folder / NARRATIVE_DIR}

    @property
    def clean(self) -> list[Path]:
        """The workbooks nothing was planted in that the check passed without an error."""
        planted = {p.path for p in self.planted}
        return [Path(r.path) for r in self.report.files if Path(r.path) not in planted and not r.errors]


def prepare(folder: Path, force: bool) -> bool:
    """An empty (or new) folder, marked :data:`UNFINISHED` until the demo is whole. The outputs of an
    earlier demo are removed first with ``force``, or without it when that demo never finished and the
    folder holds nothing but its outputs. True when an unfinished demo was replaced."""
    unfinished = False
    if folder.exists() and any(folder.iterdir()):
        names = {p.name for p in folder.iterdir()}
        unfinished = UNFINISHED in names and names <= {*OUTPUTS, UNFINISHED}
        if not (force or unfinished):
            raise DemoError(f"文件夹不为空：{folder}（换一个文件夹，或加 --force 覆盖上次演示的输出）/ "
                            "folder is not empty (choose another, or --force to replace an earlier demo)")
        for path in (folder / name for name in OUTPUTS if (folder / name).exists()):
            shutil.rmtree(path) if path.is_dir() else path.unlink()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / UNFINISHED).write_text("selfeval demo 尚未完成；重新运行 selfeval demo 会替换本文件夹中的演示输出。\n"
                                     "selfeval demo has not finished; running it again replaces its outputs here.\n",
                                     encoding="utf-8")
    return unfinished


def apply_edit(path: Path, planted: Planted, kind: str) -> None:
    """Make the edit a person would make in Excel (a typed number over a formula), then store what the
    formulas compute from it, as Excel would on saving."""
    from openpyxl import load_workbook

    from ..fill.writer import store_computed
    from ..core.system import load_system
    from ..template.writer import save_workbook
    from ..template.plan import template_map

    system = load_system(None, kind)
    plan = template_map(kind, system)
    wb = load_workbook(path)
    ws = wb[plan.sheet]
    if planted.edit == "total":
        ref = plan.total
        value = planted.value
    elif planted.edit == "score":
        row = plan.indicator_rows[0]
        ref = plan.cell(row, "score")
        value = float(ws[plan.cell(row, "weight")].value) + planted.value
    else:                                           # funds-total
        ref = plan.funds["total", "budget"]
        value = planted.value
    ws[ref] = value
    save_workbook(wb, path)
    store_computed(path, system)


def compare_cached(ours: list[Path], theirs: list[Path]) -> tuple[int, list[str]]:
    """Every formula result a spreadsheet stored in ``theirs`` against the engine's in ``ours``."""
    from ..book.cached import read_cached, to_python

    compared, mismatches = 0, []
    for mine_path, their_path in zip(ours, theirs):
        mine, lo = read_cached(mine_path), read_cached(their_path)
        for sheet, cells in lo.items():
            for ref, cached in cells.items():
                value = to_python(cached)
                if value in ("", None):
                    continue
                compared += 1
                own = to_python(mine[sheet][ref]) if ref in mine.get(sheet, {}) else None
                same = own == value or (isinstance(own, (int, float)) and isinstance(value, (int, float))
                                        and abs(own - value) < 1e-9)
                if not same:
                    mismatches.append(f"{mine_path.name} {sheet}!{ref}: 引擎 {own} / LibreOffice {value}")
    return compared, mismatches


def compare_with_libreoffice(paths: list[Path]) -> tuple[int, list[str]]:
    """Recalculate with LibreOffice (in a temporary folder) and compare with the cached engine values."""
    from ..engines.libreoffice import recalculate

    with tempfile.TemporaryDirectory(prefix="selfeval-demo-") as tmp:
        return compare_cached(paths, recalculate(paths, tmp))


def run_demo(folder: str | Path = DEFAULT_DIR, force: bool = False, recalc: bool = True, jobs: int = 0,
             seed: int = SEED, step: Callable[[str], None] = lambda _: None) -> DemoResult:
    """Run the whole demo into ``folder``; ``step`` hears what is being done."""
    from ..batch.holdback import run
    from ..fill import fill
    from ..engines.libreoffice import LibreOfficeError, soffice_available
    from ..report import XlsxReport
    from ..report.summary_workbook import write_summary

    folder = Path(folder)
    if prepare(folder, force):
        step("上次演示未完成，替换其输出 / replacing an unfinished demo")
    step("生成示例数据 / generating the data set")
    data = generate(seed)
    result = DemoResult(folder, folder / DATA_FILE)
    write_xlsx(data, result.data)

    step("填写自评表 / filling the workbooks")
    filled = fill(result.data, folder / WORKBOOKS_DIR, year=YEAR)
    result.fill_problems = [str(p) for p in filled.problems]
    result.workbooks = [w.path for w in filled.written]
    by_owner = {(w.unit, w.name if w.kind == "project" else None): w for w in filled.written}
    for planted in data.planted:
        written = by_owner[planted.unit, planted.project]
        if planted.edit:
            apply_edit(written.path, planted, written.kind)

    if recalc and soffice_available():
        step("LibreOffice 重算并核对 / recalculating with LibreOffice")
        try:
            result.recalculated, result.recalc_mismatches = compare_with_libreoffice(result.workbooks)
        except LibreOfficeError as exc:       # Writer without Calc, a broken install: go on as --no-recalc
            result.recalc_failed = str(exc)

    step("检查，并与上年比较 / checking, and comparing with last year")
    write_xlsx(previous_year(data), folder / PREVIOUS_DATA_FILE)
    writer = XlsxReport(folder / REPORT_FILE)
    # last year's workbooks live outside the folder: a check of the whole folder must not read them as this year's
    with tempfile.TemporaryDirectory(prefix="selfeval-demo-previous-") as last:
        result.fill_problems += [str(p) for p in fill(folder / PREVIOUS_DATA_FILE, last, year=YEAR - 1).problems]
        result.report = run(result.workbooks, None, jobs, on_result=lambda r: writer.add(r.report),
                            on_cross=lambda found: writer.add(None, found), previous=[Path(last)])
    writer.close(result.report.files)
    write_text(folder / JSON_FILE, result.report.to_json())
    codes = {Path(r.path): tuple(sorted({f.code for f in r.findings})) for r in result.report.files}
    result.planted = [PlantedResult(p, by_owner[p.unit, p.project].path,
                                    codes.get(by_owner[p.unit, p.project].path, ())) for p in data.planted]

    step("汇总 / summarizing")
    write_summary(result.report.files, folder / SUMMARY_FILE, year_over_year=True)

    step("起草并核对绩效自评报告 / drafting each unit's report and checking it")
    result.narratives = draft_and_check(result.workbooks, folder / NARRATIVE_DIR)
    (folder / UNFINISHED).unlink()
    return result


def draft_and_check(workbooks: list[Path], folder: Path) -> list[NarrativeResult]:
    """Each 单位's 绩效自评报告 drafted from its tables, then checked against them (a drafted report
    restates its tables: it can only inherit what the tables got wrong, and holds placeholders)."""
    from ..narrative import check_reports, draft

    drafted = draft(workbooks, folder)
    checked = check_reports([path for _, path in drafted.written], [unit for unit, _ in drafted.written])
    return [NarrativeResult(report, sum(f.severity.value == "error" for f in unit.findings))
            for (unit, _), report in zip(drafted.written, checked)]


__all__ = ["run_demo", "DemoResult", "DemoError", "PLANTED", "DEFAULT_DIR"]
