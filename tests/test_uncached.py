"""Formula cells a file stored no result for (written by openpyxl, our template filled by a script) are
computed with ``formulas`` before checking, so the verdict is the one Excel would show. LibreOffice's
recalculation of the same file is the independent judge: the product is never compared with itself."""
from __future__ import annotations

import subprocess
import sys
import time

import openpyxl
import pytest
from hypothesis import given, strategies as st

from selfeval_xl.checks import check_workbook
from selfeval_xl.core.limits import Limits
from selfeval_xl.read import read_workbook
from selfeval_xl.read.uncached import Book, area, refusal
from selfeval_xl.read.xlsx_xml import scan_sheet_cells
from selfeval_xl.engines.libreoffice import recalculate
from test_checks_formulas import clean_project as filled  # noqa: F401  (the fixture: a clean filled table)

pytestmark = pytest.mark.slow


def _uncached(source, target, edit=None):
    """``source`` saved by openpyxl (which drops every stored result), after ``edit(workbook)``."""
    book = openpyxl.load_workbook(source)
    if edit:
        edit(book)
    book.save(target)
    return target


def _judged_by_libreoffice(path, tmp_path):
    (converted,) = recalculate([path], tmp_path / "lo")
    data = read_workbook(converted)
    assert not data.tables[0].computed, "LibreOffice stores every result: nothing left to compute"
    return data


def _values(table):
    """Every cell the table was read from, by address: what the checks use."""
    from selfeval_xl.read.workbook import _cells_of

    return {cell.address: cell.value for cell in _cells_of(table)}


def _same_values(ours: dict, judge: dict) -> None:
    assert ours.keys() == judge.keys()
    for address, value in judge.items():
        mine = ours[address]
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            assert mine == pytest.approx(value, abs=1e-9), address
        else:
            assert (mine or None) == (value or None), address


def _verdict(data):
    return sorted((f.code, f.cell, str(f.expected)) for f in check_workbook(data).findings)


@pytest.mark.libreoffice
def test_filled_template_saved_by_a_script_is_computed_as_libreoffice_does(filled, tmp_path):
    path = _uncached(filled, tmp_path / "filled.xlsx")
    data = read_workbook(path)
    [table] = data.tables
    assert table.total.formula and table.total.address in table.computed and not table.not_computed
    judge = _judged_by_libreoffice(path, tmp_path)
    _same_values(_values(table), _values(judge.tables[0]))
    assert _verdict(data) == _verdict(judge) == []


def _hand_written(book):
    """Formulas of a person's own: 全年预算数 from another sheet, a score by IF, 总分 by ROUND(SUM)."""
    sheet = book.worksheets[0]
    funds = book.create_sheet("资金")
    funds["A1"], funds["B1"] = "全年预算数", sheet["F5"].value
    sheet["F5"] = "='资金'!B1"
    sheet["J12"] = "=IF(H12>=F12,I12,ROUND(I12*H12/F12,2))"
    sheet["J30"] = "=ROUND(SUM(J5,J12:J29),2)"


@pytest.mark.libreoffice
def test_hand_written_formulas_with_sum_round_if_and_another_sheet(filled, tmp_path):
    path = _uncached(filled, tmp_path / "hand.xlsx", _hand_written)
    data = read_workbook(path)
    [table] = data.tables
    cells = {table.funds["total"].get("budget").address, table.rows()[0].get("score").address,
             table.total.address}
    assert cells <= table.computed
    judge = _judged_by_libreoffice(path, tmp_path)
    _same_values(_values(table), _values(judge.tables[0]))
    assert _verdict(data) == _verdict(judge)


@pytest.mark.libreoffice
def test_a_wrong_total_under_an_uncached_formula_is_caught_as_with_excel(filled, tmp_path):
    def leave_rows_out(book):
        book.worksheets[0]["J30"] = "=ROUND(SUM(J5,J12:J20),2)"       # the rows below J20 left out

    path = _uncached(filled, tmp_path / "wrong.xlsx", leave_rows_out)
    data = read_workbook(path)
    findings = check_workbook(data).findings
    total = data.tables[0].total
    assert ("stale-cached-value", total.ref) in {(f.code, f.cell) for f in findings}
    [wrong] = [f for f in findings if f.cell == total.ref]
    assert "按公式计算" in wrong.message and wrong.found == total.value
    judge = _judged_by_libreoffice(path, tmp_path)
    assert _verdict(data) == _verdict(judge)
    assert judge.tables[0].total.value == pytest.approx(total.value)


def test_an_unsupported_function_falls_back_to_the_warning(filled, tmp_path):
    def unknown(book):
        book.worksheets[0]["J12"] = "=FOOBAR(I12)"

    path = _uncached(filled, tmp_path / "unknown.xlsx", unknown)
    data = read_workbook(path)
    [table] = data.tables
    score = table.rows()[0].get("score")
    assert score.blank and score.address in table.not_computed      # never a value formulas could not compute
    assert table.total.blank and table.total.address in table.not_computed     # nor one computed from it
    report = check_workbook(data)
    missing = {f.cell: f for f in report.findings if f.code == "formula-not-calculated"}
    assert {score.ref, table.total.ref} <= missing.keys()
    assert "FOOBAR" in missing[score.ref].message and "#NAME?" in missing[score.ref].message
    computed = table.rows()[1].get("score")                         # its neighbour does not use it
    assert computed.address in table.computed and computed.ref not in missing


def _bomb_chain(book):
    """3,000 chained formulas on a second sheet feeding the 总分."""
    chain = book.create_sheet("链")
    chain["A1"] = 1
    for row in range(2, 3001):
        chain[f"A{row}"] = f"=A{row - 1}+1"
    book.worksheets[0]["J30"] = "=ROUND(SUM(J5,J12:J29),2)+'链'!A3000*0"


def _bomb_range(book):
    book.worksheets[0]["J30"] = "=ROUND(SUM(J5,J12:J29),2)+SUM(Z:Z)*0"


@pytest.mark.parametrize("bomb, limit", [(_bomb_chain, "formula_cells"), (_bomb_range, "formula_inputs")])
def test_a_formula_bomb_is_stopped_by_the_limit(filled, tmp_path, bomb, limit):
    path = _uncached(filled, tmp_path / "bomb.xlsx", bomb)
    started = time.perf_counter()
    data = read_workbook(path)
    assert time.perf_counter() - started < 5, "refused before anything is computed"
    [table] = data.tables
    assert not table.computed and table.total.address in table.not_computed
    assert limit in table.not_computed[table.total.address]
    messages = [f.message for f in check_workbook(data).findings if f.code == "formula-not-calculated"]
    assert messages and all(limit in m for m in messages)
    raised = Limits(formula_cells=5_000, formula_inputs=2_000_000)
    if limit == "formula_cells":              # within a raised limit the same file computes
        assert table.total.address in read_workbook(path, limits=raised).tables[0].computed


def test_a_link_to_another_workbook_is_never_followed(filled, tmp_path):
    outside = tmp_path / "outside.xlsx"
    other = openpyxl.Workbook()
    other.active["A1"] = 1000
    other.save(outside)

    def linked(book):
        book.worksheets[0]["J12"] = f"='{tmp_path}/[outside.xlsx]Sheet'!A1"

    data = read_workbook(_uncached(filled, tmp_path / "linked.xlsx", linked))
    [table] = data.tables
    score = table.rows()[0].get("score")
    assert score.blank and "其他工作簿" in table.not_computed[score.address]


def test_out_of_time_stops_the_computation(filled, tmp_path):
    path = _uncached(filled, tmp_path / "slow.xlsx", _bomb_chain)
    data = read_workbook(path, limits=Limits(formula_cells=5_000, seconds=0.02))
    [table] = data.tables
    assert not table.computed and "秒" in table.not_computed[table.total.address]


@pytest.mark.parametrize("library", ["re-raises", "swallows"])
def test_out_of_time_is_said_whatever_the_library_does_with_the_signal(monkeypatch, library):
    """The timer's exception lands inside ``formulas`` or openpyxl, which may raise one of its own (openpyxl
    gave a TypeError, seen once in a full run) or carry on: the cells are refused as out of time either way,
    and nothing computed after the deadline is kept."""
    from selfeval_xl.read import uncached

    def slow(blob, sheet, wanted):
        try:
            time.sleep(5)
        except uncached._OutOfTime:
            if library == "re-raises":
                raise TypeError("expected <class 'MultiCellRange'>") from None
        return {cell: 1.0 for cell in wanted}

    monkeypatch.setattr(uncached, "_compute", slow)
    outcome = uncached.compute_sheet(b"", "Sheet1", [(0, 0)], Book({}, {}, 1, ""), Limits(seconds=0.1))
    assert outcome.values == {} and "秒" in outcome.refused[(0, 0)]


@pytest.mark.parametrize("installed", [True, False])
def test_formulas_failing_to_load_is_not_called_missing(monkeypatch, installed):
    """A worker at its memory cap cannot map ``formulas``' libraries (an ImportError, seen with
    ``--limit memory_mb=1``): the cells are refused saying so, and "not installed" only when it is not."""
    import importlib.util

    from selfeval_xl.read import uncached

    def unloadable(blob, sheet, wanted):
        raise ImportError("libopenblas.so: failed to map segment from shared object")

    monkeypatch.setattr(uncached, "_compute", unloadable)
    if not installed:
        real = importlib.util.find_spec
        monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "formulas" else real(name, *a))
    why = uncached.compute_sheet(b"", "Sheet1", [(0, 0)], Book({}, {}, 1, ""), Limits()).refused[(0, 0)]
    assert ("未安装 formulas" in why) is not installed
    assert ("无法载入" in why and "memory_mb" in why) is installed


def test_cached_files_never_import_formulas(filled, tmp_path):
    uncached = _uncached(filled, tmp_path / "uncached.xlsx")
    probe = ("import sys; from selfeval_xl.read import read_workbook; read_workbook(sys.argv[1]); "
             "print('formulas' in sys.modules)")
    ran = [subprocess.run([sys.executable, "-c", probe, str(p)], capture_output=True, text=True, check=True)
           for p in (filled, uncached)]
    assert [r.stdout.strip() for r in ran] == ["False", "True"]


def test_explain_lists_the_computed_cells(filled, tmp_path):
    from selfeval_xl.report.explain import explain

    data = read_workbook(_uncached(filled, tmp_path / "explained.xlsx"))
    text = explain(data)
    assert f"{data.tables[0].total.ref}  公式无存储值，按公式计算为 {data.tables[0].total.value:g}" in text


# --------------------------------------------------------------------------- rule mirrors

_COLUMNS = st.integers(1, 16_384)
_ROWS = st.integers(1, 1_048_576)


def _letters(number: int) -> str:
    text = ""
    while number:
        number, rest = divmod(number - 1, 26)
        text = chr(65 + rest) + text
    return text


@given(st.lists(st.tuples(_COLUMNS, _ROWS, _COLUMNS, _ROWS, st.booleans()), max_size=4))
def test_area_counts_the_cells_ranges_name(ranges):
    parts, expected = [], 0
    for c1, r1, c2, r2, absolute in ranges:
        dollar = "$" if absolute else ""
        parts.append(f"SUM({dollar}{_letters(c1)}{dollar}{r1}:{_letters(c2)}{r2})")
        expected += (abs(r2 - r1) + 1) * (abs(c2 - c1) + 1)
    assert area("=" + "+".join(parts or ["1"])) == expected


@given(_COLUMNS, _COLUMNS)
def test_area_counts_whole_columns(c1, c2):
    assert area(f"=SUM({_letters(c1)}:{_letters(c2)})") == 1_048_576 * (abs(c2 - c1) + 1)


def test_area_leaves_text_and_single_cells_alone():
    assert area("=A1+B3*$C$4") == 0
    text = Book({"S": {(0, 0): '=IF(A1="[1]x A:A","",B3)'}}, {}, 10)
    assert refusal(text, Limits(formula_inputs=11)) == ""     # a bracket or a range inside a text is text
    linked = Book({"S": {(0, 0): "=[1]Sheet1!A1"}}, {}, 10)
    assert "其他工作簿" in refusal(linked, Limits())
    named = Book({"S": {(0, 0): "=SUM(big)"}}, {"big": "'S'!$A:$A"}, 10)
    assert "formula_inputs" in refusal(named, Limits())   # a defined name's range counts where it is used


_CELL = '<c r="{ref}"{t}><f>B1*2</f>{v}</c>'
_TYPES = st.sampled_from(["", ' t="str"', ' t="n"', ' t="b"'])
_VALUES = st.sampled_from(["", "<v/>", "<v />", "<v></v>", "<v>3</v>", " <v>0</v>"])


@given(st.lists(st.tuples(_TYPES, _VALUES), min_size=1, max_size=6))
def test_a_stored_result_is_told_from_none(cells):
    """No ``<v>``: no result. An empty untyped ``<v/>``: no result where no formula of the sheet has
    one (openpyxl), a stored empty result where others have (our writers)."""
    xml = "".join(f'<row r="{i + 1}">{_CELL.format(ref=f"A{i + 1}", t=t, v=v)}</row>' for i, (t, v) in enumerate(cells))
    scan = scan_sheet_cells(f"<worksheet><sheetData>{xml}</sheetData></worksheet>".encode(), None, 100)
    assert scan.formulas == {(i, 0): "=B1*2" for i in range(len(cells))}

    def has_result(t, v):
        return v.strip().startswith("<v>") and v.strip() != "<v></v>" or (v and t == ' t="str"')

    results = any(has_result(t, v) for t, v in cells)
    expected = {(i, 0) for i, (t, v) in enumerate(cells) if not v or (not results and not has_result(t, v))}
    assert scan.uncached == expected


def test_the_file_is_not_changed(filled, tmp_path):
    """Reading computes in memory: the file's bytes are not touched."""
    path = _uncached(filled, tmp_path / "kept.xlsx")
    before = path.read_bytes()
    assert read_workbook(path).tables[0].computed

    assert path.read_bytes() == before


def test_the_limits_hold_at_their_boundary():
    formulas = {"S": {(r, 0): f"=B{r + 1}*2" for r in range(10)}}          # 10 formulas, 10 cells named
    assert refusal(Book(formulas, {}, 5), Limits(formula_cells=10, formula_inputs=5)) == ""
    assert "formula_cells" in refusal(Book(formulas, {}, 5), Limits(formula_cells=9))
    ranged = {"S": {(0, 0): "=SUM(B1:B10)"}}                               # 10 cells named, 5 in the book
    assert refusal(Book(ranged, {}, 5), Limits(formula_inputs=15)) == ""
    assert "formula_inputs" in refusal(Book(ranged, {}, 5), Limits(formula_inputs=14))
    assert "超出读取限制" in refusal(Book(ranged, {}, 5, "有工作表超出读取限制"), Limits())
    assert "INDIRECT" in refusal(Book({"S": {(0, 0): '=SUM(INDIRECT("B1:B9"))'}}, {}, 5), Limits())


def test_the_bridge_never_opens_a_linked_file(tmp_path, monkeypatch):
    """Below the reader's refusal of links: the bridge itself drops them, and looks in no folder."""
    from selfeval_xl.engines.formulas_bridge import CellError, compute

    other = openpyxl.Workbook()
    other.active.title = "Sheet"
    other.active["A1"] = 1000
    other.save(tmp_path / "outside.xlsx")
    book = openpyxl.Workbook()
    book.active.title = "S"
    book.active["A1"] = "='[outside.xlsx]Sheet'!A1"
    book.active["A2"] = f"='{tmp_path}/[outside.xlsx]Sheet'!A1"
    book.active["A3"] = "=2*3"
    book.save(tmp_path / "linking.xlsx")
    monkeypatch.chdir(tmp_path)
    found = compute((tmp_path / "linking.xlsx").read_bytes(), [("S", "A1"), ("S", "A2"), ("S", "A3")])
    assert found[("S", "A3")] == 6
    assert all(found.get(("S", ref)) != 1000 and isinstance(found.get(("S", ref), CellError("")), CellError)
               for ref in ("A1", "A2"))


def test_a_finding_at_a_computed_cell_says_so(filled, tmp_path):
    from selfeval_xl.checks.formulas import computed_noted
    from selfeval_xl.core.findings import finding

    [table] = read_workbook(_uncached(filled, tmp_path / "noted.xlsx")).tables
    at_computed = finding("total-mismatch", "总分不符", sheet=table.sheet, cell=table.total.ref)
    elsewhere = finding("total-mismatch", "总分不符", sheet=table.sheet, cell="A1")
    noted = computed_noted([at_computed, elsewhere], table)
    assert "按公式计算" in noted[0].message and noted[1] == elsewhere
