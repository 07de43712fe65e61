"""The templates: official layout from the declared layout, usable as a form, stable on disk."""
from __future__ import annotations

import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from selfeval_xl.core.datafiles import DataFileError
from selfeval_xl.core.layout import META_SHEET, load_layout
from selfeval_xl.core.rules import DIRECTION_CHOICES
from selfeval_xl.core.system import load_system
from selfeval_xl.template.instructions import INSTRUCTIONS_SHEET
from selfeval_xl.template.writer import TEMPLATE_FILES, build_template, regenerate, save_workbook
from selfeval_xl.template.plan import TEMPLATE_VERSION, template_map

ROOT = Path(__file__).resolve().parents[1]
KINDS = ("project", "department")


@pytest.fixture(scope="module")
def books(tmp_path_factory):
    """Each template saved and opened again, as a reader would see it."""
    folder = tmp_path_factory.mktemp("templates")
    opened = {}
    for kind in KINDS:
        for mode in ("native", "udf"):
            path = save_workbook(build_template(kind, formulas=mode, year=2024), folder / f"{kind}-{mode}.xlsx")
            opened[kind, mode] = openpyxl.load_workbook(path)
    return opened


def _text(ws) -> set[str]:
    return {str(c.value) for row in ws.iter_rows() for c in row if c.value is not None}


@pytest.mark.parametrize("kind", KINDS)
def test_every_label_of_the_layout_is_written(books, kind):
    layout, ws = load_layout(kind), books[kind, "native"].worksheets[0]
    labels = [f.label for f in layout.fields] + [layout.funds.label.label, layout.total.label, layout.grade.label]
    labels += [c.label for c in (*layout.funds.columns, *layout.funds.rows, *layout.indicators.columns)]
    if layout.goal:
        labels += [layout.goal.label.label] + [c.label for c in layout.goal.columns]
    assert set(labels) <= _text(ws)
    assert ws.title == layout.title
    assert ws["A1"].value == layout.title_text(2024)
    plan = template_map(kind)
    for column in layout.indicators.columns:
        assert ws[f"{plan.columns[column.key]}{plan.header_row}"].value == column.label


@pytest.mark.parametrize("kind", KINDS)
def test_defined_names_point_at_the_cells_of_the_map(books, kind):
    wb, layout, plan = books[kind, "native"], load_layout(kind), template_map(kind)
    names = {name: dn.attr_text.replace("$", "").split("!")[1] for name, dn in wb.defined_names.items()}
    for f in layout.fields:
        assert names[f.name] == plan.fields[f.key]
    assert names[layout.total.name] == plan.total and names[layout.grade.name] == plan.grade
    for r in layout.funds.rows:
        first, last = names[r.name].split(":")
        assert first == plan.funds[r.key, layout.funds.columns[0].key]
        assert last[1:] == first[1:]
    table = names[layout.indicators.label.name]
    assert table == f"A{plan.header_row + 1}:K{plan.last_row - 2}"
    if layout.goal:
        assert {names[c.name] for c in layout.goal.columns} == set(plan.goal.values())


@pytest.mark.parametrize("kind", KINDS)
def test_the_hidden_sheet_records_the_system_and_template(books, kind):
    wb, system = books[kind, "udf"], load_system(None, kind)
    meta = wb[META_SHEET]
    assert meta.sheet_state == "hidden"
    rows = {meta.cell(r, 1).value: meta.cell(r, 2).value for r in range(1, 6)}
    assert rows == {"kind": kind, "system": system.name, "system_version": system.version,
                    "template_version": TEMPLATE_VERSION, "formulas": "udf"}
    assert INSTRUCTIONS_SHEET in wb.sheetnames and len(_text(wb[INSTRUCTIONS_SHEET])) >= 10


@pytest.mark.parametrize("kind", KINDS)
def test_prefilled_weights_add_up_to_the_system(books, kind):
    ws, plan, system = books[kind, "native"].worksheets[0], template_map(kind), load_system(None, kind)
    for level in system.scored_levels:
        rows = plan.level1_rows[level.name]
        assert sum(Decimal(str(ws[plan.cell(r, "weight")].value)) for r in rows) == level.weight
        assert ws[plan.cell(rows[0], "level1")].value == level.name
        for child in level.children:
            child_rows = plan.level2_rows[level.name, child.name]
            assert ws[plan.cell(child_rows[0], "level2")].value == child.name
            if child.weight is not None:      # department: second-level weights
                assert sum(Decimal(str(ws[plan.cell(r, "weight")].value)) for r in child_rows) == child.weight
    if kind == "project":
        assert ws[plan.funds["total", "weight"]].value == float(system.budget_execution_weight)
        assert ws[plan.funds["current", "score"]].value == "—"


def test_department_has_subtotals_bonus_and_suggested_indicators(books):
    ws, plan, system = books["department", "native"].worksheets[0], template_map("department"), \
        load_system(None, "department")
    assert list(plan.subtotal_rows) == [lv.name for lv in system.scored_levels]
    for level1, row in plan.subtotal_rows.items():
        assert ws[f"A{row}"].value == f"{level1}小计"
        assert ws[plan.cell(row, "score")].value.startswith("=IF(COUNT(")
    (bonus,) = plan.bonus_rows
    assert ws[f"A{bonus}"].value == "加减分项"
    assert ws[plan.cell(bonus, "score")].value is None and not ws[plan.cell(bonus, "score")].protection.locked
    first = plan.level2_rows["管理效能", "资金管理"][0]
    assert ws[plan.cell(first, "level3")].value == "预算完成率" and ws[plan.cell(first, "target")].value == 1.0
    total = ws[plan.total].value
    assert "MIN(MAX(" in total and all(f"J{r}" in total for r in (*plan.subtotal_rows.values(), bonus))


@pytest.mark.parametrize("kind", KINDS)
def test_usable_as_a_form(books, kind):
    ws, plan = books[kind, "native"].worksheets[0], template_map(kind)
    assert ws.protection.sheet and not ws.protection.password
    row = plan.indicator_rows[0]
    for key in ("level3", "direction", "target", "actual", "weight", "reason", "score"):
        assert not ws[plan.cell(row, key)].protection.locked, key
    assert ws[plan.cell(row, "actual")].fill.fgColor.rgb.endswith("FFF7D6")
    for ref in (plan.total, plan.grade, plan.funds["total", "rate"]):
        assert ws[ref].protection.locked and str(ws[ref].value).startswith("=")
    assert not ws[plan.funds["total", "budget"]].protection.locked
    assert ws[plan.funds["total", "budget"]].number_format == "#,##0.00"
    assert ws[plan.funds["total", "rate"]].number_format == "0.00%"
    lists = _lists(books[kind, "native"], ws)
    direction_cell, actual_cell = plan.cell(row, "direction"), plan.cell(row, "actual")
    assert lists[direction_cell] == list(DIRECTION_CHOICES)
    assert lists[actual_cell] == [t.phrase for t in load_system(None, kind).settings.tiers]
    assert lists[plan.cell(row, "level1")] == [lv.name for lv in load_system(None, kind).scored_levels]
    setup = ws.page_setup
    assert setup.orientation == "landscape" and int(setup.paperSize) == 9 and setup.fitToWidth == 1
    assert ws.print_title_rows == f"${plan.header_row}:${plan.header_row}"
    assert any(str(r).startswith(f"{plan.columns['level1']}{row}:") for r in ws.merged_cells.ranges)


def _lists(wb, ws) -> dict[str, list]:
    """Cell → the choices of its drop-down (the list ranges live on the hidden sheet)."""
    found = {}
    for dv in ws.data_validations.dataValidation:
        if dv.type != "list":
            continue
        sheet, ref = dv.formula1.split("!")
        values = [row[0].value for row in wb[sheet.strip("'")][ref.replace("$", "")]]
        for cells in dv.sqref.ranges:
            for row in ws[cells.coord] if ":" in cells.coord else ((ws[cells.coord],),):
                for cell in row:
                    found[cell.coordinate] = values
    return found


def test_bonus_and_amount_validations_take_their_bounds_from_the_system(books):
    ws, plan = books["department", "native"].worksheets[0], template_map("department")
    (bonus,) = plan.bonus_rows
    dv = next(d for d in ws.data_validations.dataValidation if plan.cell(bonus, "score") in d.sqref)
    assert (dv.type, dv.operator, dv.formula1, dv.formula2) == ("decimal", "between", "-5", "5")


def test_udf_templates_call_the_se_functions_and_native_ones_do_not(books):
    for kind in KINDS:
        plan = template_map(kind)
        native, udf = books[kind, "native"].worksheets[0], books[kind, "udf"].worksheets[0]
        row = plan.indicator_rows[0]
        assert "SE_IND_SCORE(" in udf[plan.cell(row, "score")].value
        assert "SE_QUAL_SCORE(" in udf[plan.cell(row, "score")].value
        assert "SE_GRADE(" in udf[plan.grade].value
        assert all("SE_" not in str(c.value) for r in native.iter_rows() for c in r)
    project = books["project", "udf"].worksheets[0]
    assert "SE_EXEC_SCORE(" in project[template_map("project").funds["total", "score"]].value


def test_a_system_of_ones_own_changes_the_formulas(tmp_path):
    source = (ROOT / "selfeval_xl/systems/national-project.yaml").read_text(encoding="utf-8")
    own = tmp_path / "linear.yaml"
    own.write_text(source.replace("reverse_formula: ratio", "reverse_formula: linear")
                   .replace("name: national-project", "name: my-region"), encoding="utf-8")
    wb = build_template("project", str(own))
    plan = template_map("project", str(own))
    assert "MAX(1-(" in wb.active[plan.cell(plan.indicator_rows[0], "score")].value
    assert wb[META_SHEET]["B2"].value == "my-region"
    with pytest.raises(ValueError, match="native"):
        build_template("project", str(own), formulas="udf")


def test_bad_requests_are_refused():
    with pytest.raises(ValueError):
        build_template("budget")
    with pytest.raises(ValueError, match="department"):
        build_template("department", "national-project")
    with pytest.raises(ValueError):
        build_template("project", formulas="vba")
    with pytest.raises(DataFileError):
        build_template("project", "no-such-system")


def test_saving_is_deterministic(tmp_path):
    a = save_workbook(build_template("department"), tmp_path / "a.xlsx").read_bytes()
    b = save_workbook(build_template("department"), tmp_path / "b.xlsx").read_bytes()
    assert a == b


def _members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {name: z.read(name) for name in z.namelist()}


@pytest.mark.parametrize("key", sorted(TEMPLATE_FILES))
def test_committed_templates_are_what_the_generator_makes(tmp_path, key):
    """Regenerate with ``selfeval template --regenerate workbook_templates --render docs``."""
    fresh = regenerate(tmp_path)
    committed = ROOT / "workbook_templates" / TEMPLATE_FILES[key]
    made = next(p for p in fresh if p.name == TEMPLATE_FILES[key])
    assert committed.exists(), f"missing {committed}"
    assert _members(committed) == _members(made), f"{committed.name} is stale: regenerate it"
