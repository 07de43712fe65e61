"""Writeback mechanics on a real template: values into score cells (formulas kept), marks, the 检查结果
sheet, and a second run that takes the first run's marks away."""
from decimal import Decimal
from pathlib import Path

import openpyxl

from selfeval_xl.core.findings import Finding, Severity
from selfeval_xl.read import read_grids
from selfeval_xl.core.recompute import recompute
from selfeval_xl.core.system import load_system
from selfeval_xl.template.writer import build_template, save_workbook
from selfeval_xl.template.plan import template_map
from selfeval_xl.score.writeback import ERROR_FILL, MARKER, RESULTS_SHEET, WARNING_FILL, mark_findings, write_values

MAP = template_map("project", None)
SHEET = MAP.sheet
ROWS = [("展厅开放天数", "≥", "天", "≥150天", "162天"),
        ("参观人数", "≥", "人次", "1.5万人次", "46845人次"),
        ("缩微画幅", "≥", "画幅", 100000, 90000)]


def col(key: str, row: int) -> str:
    return f"{MAP.columns[key]}{row}"


def filled_project(path: Path, formulas: bool = True) -> Path:
    """A project template filled as an accountant would; ``formulas=False``: an official-layout copy
    whose score cells hold typed numbers (wrong ones) instead of formulas."""
    wb = build_template("project", year=2024)
    ws = wb[SHEET]
    ws[MAP.fields["project_name"]], ws[MAP.fields["department"]] = "档案数字化", "市档案局"
    ws[MAP.funds[("total", "budget")]], ws[MAP.funds[("total", "spent")]] = 1014.4, 1011.98
    for row, (name, direction, unit, target, actual) in zip(MAP.indicator_rows, ROWS):
        ws[col("level3", row)], ws[col("direction", row)], ws[col("unit", row)] = name, direction, unit
        ws[col("target", row)], ws[col("actual", row)] = target, actual
    if not formulas:
        for ref in (MAP.funds[("total", "rate")], MAP.funds[("total", "score")], MAP.total, MAP.grade,
                    *(col("score", r) for r in MAP.indicator_rows)):
            ws[ref] = None
        ws[col("score", MAP.indicator_rows[0])] = 3                     # typed, and wrong
    save_workbook(wb, path)
    return path


def recomputed(book):
    data = read_grids(book.grids(), "", book.defined_names())
    return recompute(data.tables[0], load_system(None, "project"))


def test_formula_cells_keep_their_formula_and_get_the_engine_value(tmp_path, Book):
    book = Book.open(filled_project(tmp_path / "p.xlsx"))
    result = recomputed(book)
    written = write_values(book, {(s, r): v for s, r, v in result.writes()})
    assert written.values == 0 and written.formulas == len(result.writes())
    book.save(tmp_path / "out.xlsx")
    again = Book.open(tmp_path / "out.xlsx")
    total = again.read(SHEET, MAP.total)
    assert total.formula and total.formula.startswith("=")
    assert Decimal(str(total.value)) == result.total
    assert again.read(SHEET, MAP.grade).value == result.grade
    assert again.read(SHEET, MAP.funds[("total", "score")]).value == 9.98


def test_official_copy_gets_typed_values(tmp_path, Book):
    book = Book.open(filled_project(tmp_path / "p.xlsx", formulas=False))
    result = recomputed(book)
    written = write_values(book, {(s, r): v for s, r, v in result.writes()})
    assert written.formulas == 0 and written.values >= 6
    first = col("score", MAP.indicator_rows[0])
    assert book.read(SHEET, first).value == 6.25 and book.read(SHEET, first).formula is None
    third = col("score", MAP.indicator_rows[2])
    assert book.read(SHEET, third).value == float(result.rows[2].expected) == 5.63   # 90000 / 100000 × 6.25
    assert book.read(SHEET, MAP.total).value == float(result.total)


def findings():
    return [Finding("score-mismatch", Severity.ERROR, "得分应为 5.63", sheet=SHEET, cell=col("score", 14),
                    expected=Decimal("5.63"), found=3),
            Finding("reason-missing", Severity.WARNING, "得分低于分值，需填写偏差原因", sheet=SHEET,
                    cell=col("reason", 14)),
            Finding("blank", Severity.ERROR, "实施单位为空", sheet=SHEET, cell=MAP.fields["implementer"]),
            Finding("weights", Severity.WARNING, "权重另有分配", sheet=SHEET, cell=col("score", 14)),
            Finding("no-table", Severity.ERROR, "整个文件的问题", sheet="", cell="")]


def test_marks_fill_comment_and_results_sheet(tmp_path, Book):
    book = Book.open(filled_project(tmp_path / "p.xlsx"))
    marked = mark_findings(book, findings())
    assert marked == 3
    score = col("score", 14)
    assert book.fill(SHEET, score) == ERROR_FILL                      # an error wins over a warning
    assert book.fill(SHEET, col("reason", 14)) == WARNING_FILL
    text = book.comment(SHEET, score)
    assert text.startswith(MARKER) and "得分应为 5.63" in text and "权重另有分配" in text
    book.save(tmp_path / "out.xlsx")
    ws = openpyxl.load_workbook(tmp_path / "out.xlsx")[RESULTS_SHEET]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][:5] == ("序号", "类别", "工作表", "单元格", "问题")
    assert len(rows) == 1 + len(findings())
    assert rows[1][1] == "错误"                                       # errors first
    linked = {c.value: c.hyperlink.location for c in ws["D"][1:] if c.hyperlink}
    assert linked[f"'{SHEET}'!{score}"] == f"'{SHEET}'!{score}"
    assert len(linked) == 3                                          # the file-level finding has no cell


def test_a_users_comment_is_kept_and_a_second_run_takes_old_marks_away(tmp_path, Book):
    path = filled_project(tmp_path / "p.xlsx")
    wb = openpyxl.load_workbook(path)
    from openpyxl.comments import Comment
    from openpyxl.styles import PatternFill
    wb[SHEET][col("score", 14)].comment = Comment("我的说明", "会计")
    wb[SHEET][col("reason", 14)].fill = PatternFill(fill_type="solid", fgColor="FFDDEBF7")
    wb.save(path)

    book = Book.open(path)
    own_fill = book.fill(SHEET, col("score", 14))                   # the template shades computed cells
    mark_findings(book, findings())
    assert book.comment(SHEET, col("score", 14)).startswith("我的说明\n" + MARKER)
    book.save(tmp_path / "once.xlsx")

    book = Book.open(tmp_path / "once.xlsx")
    previous = next(g for g in book.grids() if g.name == RESULTS_SHEET)
    mark_findings(book, findings()[2:3], previous)                   # only the 实施单位 problem is left
    assert book.comment(SHEET, col("score", 14)) == "我的说明"
    assert book.fill(SHEET, col("score", 14)) == own_fill
    assert book.fill(SHEET, col("reason", 14)) == "DDEBF7"           # the cell's own colour comes back
    assert book.fill(SHEET, MAP.fields["implementer"]) == ERROR_FILL
    assert book.sheet_names().count(RESULTS_SHEET) == 1


def test_no_findings_says_so(tmp_path, Book):
    book = Book.open(filled_project(tmp_path / "p.xlsx"))
    assert mark_findings(book, []) == 0
    grid = next(g for g in book.grids() if g.name == RESULTS_SHEET)
    assert "未发现问题" in [grid.value(1, c) for c in range(grid.width)]


def test_findings_sort_by_the_row_of_their_first_cell():
    from selfeval_xl.score.writeback import _row_of

    assert [_row_of(r) for r in ("H14", "H14:H20", "$B$3", "", "XYZ")] == [14, 14, 3, 0, 0]
