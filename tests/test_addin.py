"""What the 计算得分 button does, proven through the workbook interface with its openpyxl implementation
on real templates (Excel itself is not on this machine): scores written, problems marked, 检查结果 listed."""
from pathlib import Path
from types import SimpleNamespace

import pytest

from selfeval_xl.addin import button as addin
from selfeval_xl.book.openpyxl_book import OpenpyxlBook
from selfeval_xl.read import read_workbook
from selfeval_xl.core.recompute import recompute
from selfeval_xl.core.system import load_system
from selfeval_xl.template.writer import build_template, save_workbook
from selfeval_xl.template.plan import template_map
from selfeval_xl.score.writeback import ERROR_FILL, MARKER, RESULTS_SHEET, WARNING_FILL

PROJECT = template_map("project", None)
DEPARTMENT = template_map("department", None)


def _at(plan, key, row):
    return f"{plan.columns[key]}{row}"


def project_workbook(path: Path) -> tuple[Path, dict[str, str]]:
    """A 项目支出 table filled in full, with two planted problems; returns the path and where they are."""
    wb = build_template("project", year=2024)
    ws = wb[PROJECT.sheet]
    ws[PROJECT.fields["project_name"]], ws[PROJECT.fields["department"]] = "城市档案数字化", "市档案局"
    ws[PROJECT.fields["implementer"]] = "市档案发展中心"
    ws[PROJECT.funds[("total", "budget")]], ws[PROJECT.funds[("total", "spent")]] = 1014.4, 1011.98
    ws[PROJECT.funds[("current", "budget")]], ws[PROJECT.funds[("current", "spent")]] = 1014.4, 1011.98
    rows = PROJECT.indicator_rows
    for n, row in enumerate(rows):                          # numbers in 年度指标值, the unit beside them
        satisfaction = n >= len(rows) - 2
        ws[_at(PROJECT, "level3", row)] = f"指标{n + 1}"
        ws[_at(PROJECT, "direction", row)] = "≥"
        ws[_at(PROJECT, "unit", row)] = "%" if satisfaction else "个"
        ws[_at(PROJECT, "target", row)] = 90 if satisfaction else 100 + n
        ws[_at(PROJECT, "actual", row)] = 95 if satisfaction else 100 + n
    short, blank = rows[2], rows[5]
    ws[_at(PROJECT, "actual", short)] = 90                  # 90 of 102: below 分值, and no 偏差原因
    ws[_at(PROJECT, "actual", blank)] = None                # a required cell left blank
    save_workbook(wb, path)
    return path, {"reason": _at(PROJECT, "reason", short), "blank": _at(PROJECT, "actual", blank),
                  "short_score": _at(PROJECT, "score", short)}


def department_workbook(path: Path) -> tuple[Path, dict[str, str]]:
    wb = build_template("department", year=2024)
    ws = wb[DEPARTMENT.sheet]
    ws[DEPARTMENT.fields["unit_name"]] = "广州市档案发展中心"
    for key, budget, spent in (("total", 1014.4, 1011.98), ("basic", 614.4, 612.0), ("project", 400.0, 399.98)):
        ws[DEPARTMENT.funds[(key, "budget")]], ws[DEPARTMENT.funds[(key, "spent")]] = budget, spent
    for plan in DEPARTMENT.plans:
        row = plan.row
        if plan.spec is None:
            ws[_at(DEPARTMENT, "level3", row)] = f"履职指标{row}"
            ws[_at(DEPARTMENT, "direction", row)] = "≥"
            ws[_at(DEPARTMENT, "target", row)] = 100
            ws[_at(DEPARTMENT, "actual", row)] = 120 if row != 27 else 80        # row 27 falls short
        elif plan.spec.direction.value == "定性":
            ws[_at(DEPARTMENT, "actual", row)] = "达成年度指标"
        else:
            target = ws[_at(DEPARTMENT, "target", row)].value
            ws[_at(DEPARTMENT, "actual", row)] = 1 if target is None else target
    save_workbook(wb, path)
    return path, {"reason": _at(DEPARTMENT, "reason", 27)}


def press_button(path: Path) -> tuple[OpenpyxlBook, list[tuple[str, str]], object]:
    """What main() does after it found the workbook: run() over the book, the message box recorded."""
    book = OpenpyxlBook.open(path)
    shown: list[tuple[str, str]] = []
    summary = addin.run(book, lambda text, mode: shown.append((text, mode)), str(path))
    return book, shown, summary


def _engine(path: Path, kind: str):
    table = read_workbook(path).tables[0]
    return recompute(table, load_system(None, kind)), table


def test_project_scores_marks_and_results(tmp_path):
    source, planted = project_workbook(tmp_path / "项目.xlsx")
    book, shown, summary = press_button(source)
    book.save(tmp_path / "after.xlsx")

    result, table = _engine(tmp_path / "after.xlsx", "project")
    # every computed cell holds the engine's number, read back by a values-only reader
    for sheet, ref, value in result.writes():
        stated = next(c for c in _cells(table) if c.ref == ref).value
        assert _same(stated, value), (ref, stated, value)
    assert table.funds["total"].get("score").value == 9.98                      # 1011.98 / 1014.4 × 10
    assert table.total.value == float(result.total)
    assert table.grade.value == result.grade
    short = next(c for c in _cells(table) if c.ref == planted["short_score"])
    assert short.value == 5.51                                               # 90/102 × 6.25 = 5.5147 → 5.51

    # the planted problems are coloured and commented
    after = OpenpyxlBook.open(tmp_path / "after.xlsx")
    assert after.fill(PROJECT.sheet, planted["reason"]) in (ERROR_FILL, WARNING_FILL)
    assert after.fill(PROJECT.sheet, planted["blank"]) == ERROR_FILL
    assert "偏差原因" in after.comment(PROJECT.sheet, planted["reason"])
    assert after.comment(PROJECT.sheet, planted["blank"]).startswith(MARKER)

    # and listed on 检查结果, each with a link to its cell
    listed = _results(after)
    assert {planted["reason"], planted["blank"]} <= {r["cell"] for r in listed}
    assert len(listed) == summary.problems

    # the message box: total, grade, problem count
    (text, mode), = shown
    assert f"{result.total:.2f}" in text and result.grade in text and f"{summary.problems} 个问题" in text
    assert mode == "info"


def test_department_scores_and_marks(tmp_path):
    source, planted = department_workbook(tmp_path / "部门.xlsx")
    book, shown, summary = press_button(source)
    book.save(tmp_path / "after.xlsx")
    result, table = _engine(tmp_path / "after.xlsx", "department")
    assert result.total is not None and table.total.value == float(result.total)
    assert table.grade.value == result.grade
    for sheet, ref, value in result.writes():
        stated = next(c for c in _cells(table) if c.ref == ref).value
        assert _same(stated, value), (ref, stated, value)
    after = OpenpyxlBook.open(tmp_path / "after.xlsx")
    assert after.fill(DEPARTMENT.sheet, planted["reason"]) in (ERROR_FILL, WARNING_FILL)
    assert planted["reason"] in {r["cell"] for r in _results(after)}
    assert summary.tables[0].grade in shown[0][0]


def test_second_click_after_fixing_clears_the_mark(tmp_path):
    source, planted = project_workbook(tmp_path / "项目.xlsx")
    book, _, _ = press_button(source)
    book.write(PROJECT.sheet, planted["blank"], 105)                        # the accountant fills it in
    book.save(tmp_path / "fixed.xlsx")
    book, shown, summary = press_button(tmp_path / "fixed.xlsx")
    assert book.fill(PROJECT.sheet, planted["blank"]) not in (ERROR_FILL, WARNING_FILL)
    assert MARKER not in book.comment(PROJECT.sheet, planted["blank"])
    assert planted["blank"] not in {r["cell"] for r in _results(book)}
    assert book.fill(PROJECT.sheet, planted["reason"]) in (ERROR_FILL, WARNING_FILL)


def test_a_workbook_without_a_table_gets_a_clear_message(tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active["A1"] = "随便写的内容"
    wb.save(tmp_path / "空.xlsx")
    book, shown, summary = press_button(tmp_path / "空.xlsx")
    assert summary.tables == []
    assert "未找到绩效自评表" in shown[0][0] and shown[0][1] == "critical"
    assert book.sheet_names() == ["Sheet"]                   # nothing was added to a workbook that is not ours


def test_an_unexpected_failure_becomes_a_message_not_a_traceback(tmp_path, monkeypatch):
    source, _ = project_workbook(tmp_path / "项目.xlsx")

    def broken(*args, **kwargs):
        raise RuntimeError("模拟故障")

    monkeypatch.setattr(addin, "score_book", broken)
    _, shown, summary = press_button(source)
    assert summary is None and "模拟故障" in shown[0][0] and shown[0][1] == "critical"


def test_main_wires_the_caller_book_to_run(tmp_path, monkeypatch):
    """main() as the button calls it, with xlwings replaced by a stand-in around an OpenpyxlBook."""
    import sys

    source, _ = project_workbook(tmp_path / "项目.xlsx")
    book = OpenpyxlBook.open(source)
    alerts = []
    app = SimpleNamespace(alert=lambda text, title=None, mode=None: alerts.append((title, text, mode)))
    workbook = SimpleNamespace(app=app, fullname=str(source))
    fake_xw = SimpleNamespace(Book=SimpleNamespace(), apps=SimpleNamespace(
        active=SimpleNamespace(books=SimpleNamespace(active=workbook))))
    monkeypatch.setitem(sys.modules, "xlwings", fake_xw)
    monkeypatch.setattr("selfeval_xl.book.xlwings_book.XlwingsBook", lambda wb: book)
    import selfeval_xl

    selfeval_xl.main()
    (title, text, mode), = alerts
    assert title == addin.TITLE and "总分" in text and mode == "info"
    assert RESULTS_SHEET in book.sheet_names()


def test_caller_book_prefers_a_mock_caller_and_needs_no_file_name():
    chosen = object()
    mocked = SimpleNamespace(Book=SimpleNamespace(_mock_caller=True, caller=lambda: chosen))
    assert addin.caller_book(mocked, []) is chosen
    active = object()
    plain = SimpleNamespace(Book=SimpleNamespace(caller=lambda: pytest.fail("must not look up by name")),
                            apps=SimpleNamespace(active=SimpleNamespace(books=SimpleNamespace(active=active))))
    assert addin.caller_book(plain, ["-c", "--wb=绩效自评表.xlsx", "--from_xl=1"]) is active


def _cells(table):
    cells = [c for row in table.funds.values() for c in row.cells.values()]
    cells += [c for row in table.indicators for c in row.cells.values()]
    return cells + [c for c in (table.total, table.grade) if c is not None]


def _same(stated, value) -> bool:
    if isinstance(value, str):
        return stated == value
    return stated is not None and abs(float(stated) - float(value)) < 1e-9


def _results(book) -> list[dict]:
    grid = next(g for g in book.grids() if g.name == RESULTS_SHEET)
    header = [grid.value(0, c) for c in range(grid.width)]
    at = header.index("单元格")
    return [{"cell": str(grid.value(r, at)).rsplit("!", 1)[-1]} for r in range(1, grid.height)
            if grid.value(r, at)]
