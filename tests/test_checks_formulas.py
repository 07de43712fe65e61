"""Formulas in workbooks made from our template (filled by ``selfeval fill``): a stale cached value, a
formula replaced by a typed number, a file saved without calculating."""
from __future__ import annotations

import shutil

import pytest

from selfeval_xl.book.cached import from_python, read_cached, write_cached
from selfeval_xl.checks import check_workbook
from selfeval_xl.read import read_workbook


@pytest.fixture(scope="module")
def clean_project(tmp_path_factory):
    """A filled project workbook from our template on which every check passes."""
    from selfeval_xl.demo import data as demo_data
    from selfeval_xl.fill import fill

    folder = tmp_path_factory.mktemp("filled")
    demo_data.write_xlsx(demo_data.generate(), folder / "data.xlsx")
    fill(folder / "data.xlsx", folder / "out")
    for path in sorted((folder / "out").glob("*.xlsx")):
        data = read_workbook(path)
        if data.tables[0].kind == "project" and not check_workbook(data).findings:
            return path
    pytest.fail("no clean filled project workbook in the demo data")


def _copy(path, tmp_path):
    target = tmp_path / path.name
    shutil.copy(path, target)
    return target


def _first_score(path):
    [table] = read_workbook(path).tables
    cell = table.rows()[0].get("score")
    assert cell.formula, "the template puts a formula in every score cell"
    return table, cell


def test_filled_template_is_read_with_formulas(clean_project):
    data = read_workbook(clean_project)
    [table] = data.tables
    assert table.from_template and data.has_formulas and table.system_name == "national-project"
    assert table.total.formula and isinstance(table.total.value, float)


def test_stale_cached_value(clean_project, tmp_path):
    path = _copy(clean_project, tmp_path)
    table, cell = _first_score(path)
    write_cached(path, {table.sheet: {cell.ref: from_python(cell.value - 1)}})
    report = check_workbook(read_workbook(path))
    assert [(f.code, f.cell) for f in report.findings] == [("stale-cached-value", cell.ref)]


def test_formula_replaced_by_a_typed_number(clean_project, tmp_path):
    from openpyxl import load_workbook

    path = _copy(clean_project, tmp_path)
    table, cell = _first_score(path)
    cached = read_cached(path)
    wb = load_workbook(path)
    wb[table.sheet][cell.ref] = cell.value          # the right number, typed over the formula
    wb.save(path)
    cached[table.sheet].pop(cell.ref)
    write_cached(path, cached)
    report = check_workbook(read_workbook(path))
    assert [(f.code, f.cell) for f in report.findings] == [("formula-replaced", cell.ref)]
    assert report.findings[0].severity.value == "warning"


def test_saved_without_calculating(clean_project, tmp_path):
    """The results are computed (read/uncached.py) and the file checks as the clean one it is."""
    from openpyxl import load_workbook

    path = _copy(clean_project, tmp_path)
    load_workbook(path).save(path)                  # openpyxl drops every cached value
    data = read_workbook(path)
    assert data.tables[0].computed and check_workbook(data).findings == []


def test_saved_without_calculating_beyond_the_limit(clean_project, tmp_path):
    """Not computed (too many formulas for ``formula_cells``): a warning per cell, saying why."""
    from openpyxl import load_workbook

    from selfeval_xl.core.limits import Limits

    path = _copy(clean_project, tmp_path)
    load_workbook(path).save(path)
    report = check_workbook(read_workbook(path, limits=Limits(formula_cells=1)))
    assert report.findings and {f.code for f in report.findings} == {"formula-not-calculated"}
    assert all("formula_cells" in f.message for f in report.findings)
    assert report.errors == 0
