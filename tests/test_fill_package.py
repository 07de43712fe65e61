"""fill patches a copy of the template's package: the workbooks it writes hold, cell for cell, what an
independent judge writes — the template built and filled with openpyxl, as fill did before (every
value and formula, every merge, number format and quote prefix, every cached value a values-only
reader sees). The judge fills through the same TemplateMap (where each value goes); what is tested
here is how it gets into the file."""
from __future__ import annotations

import io
import tempfile
import zipfile
from copy import copy
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.cell.cell import MergedCell
from python_calamine import CalamineWorkbook

from selfeval_xl.demo.data import generate, write_xlsx
from selfeval_xl.fill import fill, load_systems
from selfeval_xl.fill import writer as fill_writer
from selfeval_xl.core.sanitize import write_openpyxl
from selfeval_xl.template.writer import build_template, save_workbook

from test_fill import full_set, indicator, project, write_data


class OpenpyxlJudge:
    """The book ``fill`` wrote into before it patched packages: a template built with openpyxl per
    workbook, values through ``write_openpyxl``, merges by openpyxl, cached values by ``write_cached``."""

    formulas = "native"
    year: int | None = None

    def __init__(self, template):
        self.plan = template.plan
        self.wb = build_template(self.plan.kind, load_systems()[self.plan.kind], self.formulas, self.year)
        self.ws = self.wb[self.plan.sheet]
        self.values: dict[str, Any] = {}

    def put(self, ref: str, value: Any, number_format: str | None = None) -> None:
        cell = self.ws[ref]
        if isinstance(cell.value, str) and cell.value.startswith("="):
            return
        write_openpyxl(cell, value)
        if number_format:
            cell.number_format = number_format

    def unmerge(self, column: str, rows: tuple[int, ...]) -> None:
        from openpyxl.utils import column_index_from_string

        index = column_index_from_string(column)
        for merged in list(self.ws.merged_cells.ranges):
            if merged.min_col == merged.max_col == index and rows[0] <= merged.min_row and merged.max_row <= rows[-1]:
                style = self.ws.cell(merged.min_row, index)._style
                self.ws.unmerge_cells(merged.coord)
                for row in range(merged.min_row + 1, merged.max_row + 1):
                    self.ws.cell(row, index)._style = copy(style)

    def merge(self, ref: str) -> None:
        self.ws.merge_cells(ref)

    def read(self):
        """As fill read its saved workbook back before caching what the formulas compute: the formula
        cells without results are left blank (``formula_cells=0``), not computed by ``formulas`` — fill's
        own engine computes them next, and computing them here cost ~1.5 s a workbook."""
        from dataclasses import replace

        from selfeval_xl.core.limits import DEFAULT_LIMITS
        from selfeval_xl.read import read_workbook

        with tempfile.TemporaryDirectory() as folder:
            return read_workbook(save_workbook(self.wb, Path(folder) / "saved.xlsx"),
                                 limits=replace(DEFAULT_LIMITS, formula_cells=0))

    def store_results(self, values: dict[str, Any]) -> None:
        self.values = values

    def save(self, path: Path) -> None:
        from selfeval_xl.book.cached import from_python, write_cached

        save_workbook(self.wb, path)
        if self.values:
            write_cached(path, {self.plan.sheet: {ref: from_python(v) for ref, v in self.values.items()}})


def judged(monkeypatch, data: Path, out: Path, formulas: str = "native", year: int | None = None):
    judge = type("Judge", (OpenpyxlJudge,), {"formulas": formulas, "year": year})
    with monkeypatch.context() as m:
        m.setattr(fill_writer, "FilledBook", judge)
        return fill(data, out, formulas=formulas, year=year)


def differences(expected: Path, actual: Path) -> list[str]:
    """Every way ``actual`` differs from ``expected`` as openpyxl and python-calamine read them."""
    found = []
    a, b = openpyxl.load_workbook(expected), openpyxl.load_workbook(actual)
    if a.sheetnames != b.sheetnames:
        return [f"sheets {a.sheetnames} != {b.sheetnames}"]
    for sa, sb in zip(a, b):
        if sorted(map(str, sa.merged_cells.ranges)) != sorted(map(str, sb.merged_cells.ranges)):
            found.append(f"{sa.title}: merges differ")
        rows, cols = max(sa.max_row, sb.max_row), max(sa.max_column, sb.max_column)
        for ra, rb in zip(sa.iter_rows(max_row=rows, max_col=cols), sb.iter_rows(max_row=rows, max_col=cols)):
            for ca, cb in zip(ra, rb):
                where = f"{sa.title}!{ca.coordinate}"
                if (ca.value, type(ca.value)) != (cb.value, type(cb.value)) and ca.value != cb.value:
                    found.append(f"{where}: {ca.value!r} != {cb.value!r}")
                if isinstance(ca, MergedCell) or isinstance(cb, MergedCell):
                    continue                           # openpyxl gives a merged-over cell no format
                if (ca.number_format, ca.quotePrefix) != (cb.number_format, cb.quotePrefix):
                    found.append(f"{where}: {ca.number_format}/{ca.quotePrefix} != {cb.number_format}/{cb.quotePrefix}")
    ca, cb = CalamineWorkbook.from_path(str(expected)), CalamineWorkbook.from_path(str(actual))
    for name in ca.sheet_names:
        x, y = ca.get_sheet_by_name(name).to_python(), cb.get_sheet_by_name(name).to_python()
        found += [f"{name} (values only) row {n + 1}: {rx} != {ry}" for n, (rx, ry) in enumerate(zip(x, y)) if rx != ry]
        if len(x) != len(y):
            found.append(f"{name} (values only): {len(x)} rows != {len(y)}")
    return found


def assert_same_outputs(judge_result, result) -> None:
    assert [w.path.name for w in result.written] == [w.path.name for w in judge_result.written]
    assert result.written
    for expected, actual in zip(judge_result.written, result.written):
        assert differences(expected.path, actual.path) == [], actual.path.name


def test_demo_workbooks_equal_the_openpyxl_judges(tmp_path, monkeypatch):
    data = tmp_path / "data.xlsx"
    write_xlsx(generate(), data)
    assert_same_outputs(judged(monkeypatch, data, tmp_path / "judge", year=2021),
                        fill(data, tmp_path / "out", year=2021))


def test_formula_like_text_and_odd_percentages_equal_the_judges(tmp_path, monkeypatch):
    rows = full_set("项目-A")
    rows.append(indicator("项目-A", "效益指标", "可持续影响指标", "+机制", "定性",
                          "-建立", "达成年度指标", 0, 偏差原因="@SUM(A1)"))
    rows.append(indicator("项目-A", "满意度指标", "服务对象满意度指标", "复核率", "≥", "97.33%",
                          "133.2%", 0))
    data = write_data(tmp_path / "data.xlsx", [project("项目-A", 预期目标="＝1+1",
                                                       实际完成情况="  -cmd|' /C calc'!A0")], rows)
    for formulas in ("native", "udf"):
        judge = judged(monkeypatch, data, tmp_path / f"judge-{formulas}", formulas)
        result = fill(data, tmp_path / formulas, formulas=formulas)
        assert result.ok, result.problems
        assert_same_outputs(judge, result)
    ws = openpyxl.load_workbook(result.written[0].path).worksheets[0]
    quoted = [c.value for row in ws.iter_rows() for c in row if c.quotePrefix and not isinstance(c, MergedCell)]
    assert "＝1+1" in quoted and "@SUM(A1)" in quoted          # the judge's cases are there to be judged


def test_a_missing_merge_is_a_difference(tmp_path, monkeypatch):
    """The judge sees what it must: the test above fails when fill forgets to re-merge a 二级 run."""
    data = write_data(tmp_path / "data.xlsx", [project("p")], full_set("p"))
    judge = judged(monkeypatch, data, tmp_path / "judge")
    monkeypatch.setattr(fill_writer._Filler, "merge_runs", lambda self, rows, level2s: None)
    result = fill(data, tmp_path / "out")
    assert differences(judge.written[0].path, result.written[0].path)


@pytest.mark.parametrize("kind", ["project", "department"])
def test_a_filled_package_keeps_the_templates_other_members_byte_for_byte(tmp_path, kind):
    from selfeval_xl.fill.package import TemplatePackage

    template = TemplatePackage.build(kind, load_systems()[kind], "native", 2021)
    data = tmp_path / "data.xlsx"
    write_xlsx(generate(), data)
    written = [w.path for w in fill(data, tmp_path / "out", year=2021).written if w.kind == kind]
    with zipfile.ZipFile(io.BytesIO(template.data)) as z:
        members = {i.filename: (i.CRC, i.compress_size) for i in z.infolist()}
    with zipfile.ZipFile(written[0]) as z:
        assert [i.filename for i in z.infolist()] == list(members)
        changed = {i.filename for i in z.infolist() if (i.CRC, i.compress_size) != members[i.filename]}
    assert changed <= {template.sheet_part, "xl/styles.xml"}


def test_merge_cells_editor_adds_the_element_in_its_place_and_drops_it_when_empty():
    from selfeval_xl.book.merge_cells import MergeCells

    sheet = ('<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
             '<row r="1"><c r="A1"><v>1</v></c></row></sheetData><pageMargins left="0.7" right="0.7" top="0.75" '
             'bottom="0.75" header="0.3" footer="0.3"/></worksheet>')
    merges = MergeCells(sheet)
    assert merges.ranges() == [] and merges.apply(sheet) == sheet
    merges.add("A1:A3")
    merged = merges.apply(sheet)
    assert '</sheetData><mergeCells count="1"><mergeCell ref="A1:A3"/></mergeCells><pageMargins' in merged
    again = MergeCells(merged)
    assert again.ranges() == [("A1:A3", (0, 0, 2, 0))]
    again.remove("A1:A3")
    assert again.apply(merged) == sheet
