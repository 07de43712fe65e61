"""The short summary printed after a check run: counts, the commonest problems, the worst files.

A :class:`Tally` is fed one FileReport at a time and keeps only counters and the worst few files, so
a run over thousands of workbooks does not hold their findings to print a summary.
"""
from __future__ import annotations

import heapq
import os
from collections import Counter
from pathlib import Path
from typing import Iterable

from ..core.findings import CATALOGUE, FileReport, Report
from ..core.model import shown_value
from ..core.sanitize import clean_text
from ..core.textwidth import display_width
from .xlsx import SEVERITY_NAMES, status

TOP_CODES = 10
TOP_FILES = 15
LIST_FINDINGS = 30        # a run with at most this many findings lists each one

class Tally:
    """Running totals of a check run (what the console summary and the exit status need)."""

    def __init__(self, base: str | Path | None = None) -> None:
        self.base = Path(base).resolve() if base else None     # files are shown relative to it
        self.files = 0
        self.errors = 0
        self.warnings = 0
        self.states: Counter[str] = Counter()
        self.codes: Counter[str] = Counter()
        self.with_problems = 0
        self._worst: list[tuple[int, int, int, str, str]] = []     # a heap of the worst files
        self._listed: list[str] = []                                # every finding, while few
        self.skipped: list[str] = []                                # files that are not 自评表

    def add(self, report: FileReport) -> None:
        self.files += 1
        self.errors += report.errors
        self.warnings += report.warnings
        self.states[status(report)] += 1
        if report.skipped:
            self.skipped.append(f"{self.shown(report.path)}：{report.skipped}")
        self.codes.update(f.code for f in report.findings)
        for f in report.findings:
            if len(self._listed) <= LIST_FINDINGS:
                self._listed.append(f"{self.shown(f.file)} {f.position or ''} [{SEVERITY_NAMES[f.severity]}] "
                                    f"{f.code}：{f.message}")
        if report.errors or report.warnings:
            self.with_problems += 1
            totals = f"{shown_value(report.stated_total)}/{shown_value(report.total)}"
            entry = (report.errors, report.warnings, -self.files, self.shown(report.path), totals)
            if len(self._worst) < TOP_FILES:
                heapq.heappush(self._worst, entry)
            else:
                heapq.heappushpop(self._worst, entry)

    def shown(self, path: str) -> str:
        """``path`` relative to what was given: two departments' 项目支出绩效自评表.xlsx stay apart."""
        if self.base is None:
            return Path(path).name
        try:
            shown = os.path.relpath(os.path.abspath(path), self.base)
        except ValueError:            # another drive on Windows
            return str(path)
        return str(path) if shown.startswith("..") else Path(shown).as_posix()

    def summary(self, report_written: bool = False) -> str:
        """A few lines for the console (Chinese, aligned for CJK widths); ``report_written``: the
        findings are in a report.xlsx already (else a long list ends with a hint to write one)."""
        s = self.states
        lines = [f"检查了 {self.files} 个文件：通过 {s['通过']}，有警告 {s['有警告']}，有错误 {s['有错误']}，"
                 f"无法读取 {s['无法读取']}；共 {self.errors} 个错误、{self.warnings} 个警告。"]
        if self.skipped:
            lines += [f"跳过 {len(self.skipped)} 个不是自评表的文件 / skipped, not 自评表:",
                      *("  " + line for line in self.skipped)]
        if self.codes:
            lines += ["", *_table(("代码", "级别", "次数", "说明"),
                                  [(c, SEVERITY_NAMES[CATALOGUE[c].severity], n,
                                    CATALOGUE[c].title) for c, n in self.codes.most_common(TOP_CODES)])]
        if self._worst:
            worst = sorted(self._worst, reverse=True)
            lines += ["", *_table(("文件", "错误", "警告", "总分(填报/重算)"),
                                  [(name, e, w, totals) for e, w, _, name, totals in worst])]
            if self.with_problems > TOP_FILES:
                lines.append(f"…… 另有 {self.with_problems - TOP_FILES} 个文件有问题，详见报告。")
        if 0 < len(self._listed) <= LIST_FINDINGS:
            lines += ["", *self._listed]
        elif self._listed and not report_written:
            lines += ["", f"问题较多（{self.errors + self.warnings} 个），未逐条列出：加 -r report.xlsx 写出逐单元格的"
                      "检查报告 / many findings: add -r report.xlsx for every one, by cell"]
        return clean_text("\n".join(lines))           # no escape sequence from a workbook reaches the terminal


def _table(headers: tuple[str, ...], rows: list[tuple]) -> list[str]:
    width = display_width
    cols = [max([width(str(h))] + [width(str(r[i])) for r in rows]) for i, h in enumerate(headers)]

    def line(values) -> str:
        return "  ".join(str(v) + " " * (cols[i] - width(str(v))) for i, v in enumerate(values)).rstrip()
    return [line(headers), line("-" * c for c in cols)] + [line(r) for r in rows]


def common_base(paths: Iterable[str | Path]) -> Path | None:
    """The folder the paths given share (a file's own folder): what the console shows paths relative to;
    None when they share none (two drives on Windows). Absolute, not resolved: the paths of a run are
    shown relative to it as they were given (no system call per file)."""
    folders = [p if p.is_dir() else p.parent for p in (Path(os.path.abspath(x)) for x in paths)]
    try:
        return Path(os.path.commonpath(folders)) if folders else Path.cwd()
    except ValueError:
        return None


def summary(reports: Report | Iterable[FileReport], base: str | Path | None = None,
            report_written: bool = False) -> str:
    """The console summary of reports already at hand (a Report, or its ``files``)."""
    tally = Tally(base)
    for report in reports.files if isinstance(reports, Report) else reports:
        tally.add(report)
    return tally.summary(report_written)

