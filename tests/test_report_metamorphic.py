"""Metamorphic tests on the real 绩效自评报告 (tests/data/reports): the same report as another program or
person writes it gets the same verdicts. Full-width figures from a Chinese IME (``９５．９５分``),
thousands separators (``2,455.5万元``), a space before a unit (``99.76 %``), amounts in 元, Windows line ends,
full-width punctuation, page numbers between lines, and the text broken into lines of another width
(as another PDF reader extracts it), with or without blank lines between paragraphs; and saved as Word."""
from __future__ import annotations

import re
from collections import Counter
from decimal import Decimal
from pathlib import Path
from typing import Callable

import pytest

from selfeval_xl.narrative.report import check_report
from selfeval_xl.narrative.text import read_report
from test_report_realworld import department_table  # noqa: F401  (a fixture: the report's 部门整体 table)

HERE = Path(__file__).parent / "data" / "reports"
REPORTS = sorted(p for p in HERE.glob("*.txt") if p.name not in ("empty.txt", "unrelated.txt"))
FULL_WIDTH = str.maketrans("0123456789.%", "０１２３４５６７８９．％")


def full_width_figures(text: str, path: Path) -> str:
    return re.sub(r"\d[\d.]*%?", lambda m: m.group(0).translate(FULL_WIDTH), text)


def thousands_separators(text: str, path: Path) -> str:
    return re.sub(r"(?<![\d.,])(\d{4,})(\.\d+)?(?=\s*万?元)", lambda m: f"{int(m.group(1)):,}{m.group(2) or ''}", text)


def space_before_units(text: str, path: Path) -> str:
    return re.sub(r"(\d)(万元|元|%|分)", r"\1 \2", text)


def amounts_in_yuan(text: str, path: Path) -> str:
    """``1014.4万元`` as ``10144000元``: the same amount."""
    return re.sub(r"(?<![\d.,])(\d+(?:\.\d+)?)万元",
                  lambda m: f"{(Decimal(m.group(1)) * 10000).normalize():f}元", text)


def windows_line_ends(text: str, path: Path) -> str:
    return text.replace("\n", "\r\n")


def full_width_punctuation(text: str, path: Path) -> str:
    return text.translate(str.maketrans({",": "，", ":": "：", "(": "（", ")": "）", ";": "；"}))


def page_numbers(text: str, path: Path) -> str:
    """A page number line (``— 2 —``) after every 25 lines."""
    lines = text.split("\n")
    return "\n".join(line + (f"\n— {n // 25 + 1} —" if n % 25 == 24 else "") for n, line in enumerate(lines))


def _wrapped(width: int, between: str) -> Callable[[str, Path], str]:
    def rewrap(text: str, path: Path) -> str:
        """The paragraphs as the reader found them, broken into lines of ``width`` characters."""
        paragraphs = [p.text for p in read_report(path)]
        return between.join("\n".join(t[i:i + width] for i in range(0, len(t), width)) for t in paragraphs)
    rewrap.__name__ = f"lines_of_{width}" + ("_blank_between" if between.count("\n") > 1 else "")
    return rewrap


REWRITES = {f.__name__: f for f in (full_width_figures, thousands_separators, space_before_units, amounts_in_yuan,
                                    windows_line_ends,
                                    full_width_punctuation, page_numbers, _wrapped(29, "\n\n"), _wrapped(33, "\n"))}


def _verdict(path: Path) -> Counter:
    return Counter((f.code, f.severity.value) for f in check_report(path, ()).findings)


@pytest.mark.parametrize("rewrite", sorted(REWRITES))
def test_a_report_written_another_way_gets_the_same_verdicts(rewrite, tmp_path):
    changed, touched = {}, 0
    for report in REPORTS:
        text = report.read_text(encoding="utf-8")
        written = REWRITES[rewrite](text, report)
        touched += written != text
        (tmp_path / report.name).write_bytes(written.encode("utf-8"))
        before, after = _verdict(report), _verdict(tmp_path / report.name)
        if before != after:
            changed[report.name] = {"new": dict(after - before), "gone": dict(before - after)}
    assert touched >= 3, "the rewrite changed too few reports to test anything"
    assert not changed


def test_a_report_saved_as_word_gets_the_same_verdicts(tmp_path):
    """Each report as a .docx, a Word paragraph per paragraph the text reader found."""
    from test_report_realworld import docx_of

    changed = {}
    for report in REPORTS:
        saved = docx_of([p.text for p in read_report(report)], tmp_path / f"{report.stem}.docx")
        before, after = _verdict(report), _verdict(saved)
        if before != after:
            changed[report.name] = {"new": dict(after - before), "gone": dict(before - after)}
    assert not changed


@pytest.mark.parametrize("rewrite", sorted(REWRITES))
def test_the_real_report_written_another_way_beside_its_table(rewrite, department_table, tmp_path):
    """Beside its 单位's 部门整体 table the report's figures are also compared with the table's: the same
    comparisons, whichever way the report is written."""
    report = HERE / "guangzhou_archives_2021.txt"
    written = tmp_path / report.name
    written.write_text(REWRITES[rewrite](report.read_text(encoding="utf-8"), report), encoding="utf-8")

    def verdict(path):
        return Counter((f.code, f.severity.value) for f in check_report(path, department_table).findings)
    assert verdict(written) == verdict(report)
