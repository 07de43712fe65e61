"""Only indicators are indicators (issue 19): a two-row header, note rows, 其中 breakdown rows, rows
marked not applicable, a lost 一级 — each read by the layout's words, each decision listed for
``check --explain``; and a table that stops early says so once instead of two errors."""
from openpyxl import load_workbook

from check_workbooks import build_project
from selfeval_xl.checks import check_workbook
from selfeval_xl.read import read_workbook


def _report(path):
    return check_workbook(read_workbook(path))


def _edit(built, fn):
    wb = load_workbook(built.path)
    fn(wb[built.sheet])
    wb.save(built.path)


def _codes(report):
    return {(f.code, f.cell) for f in report.findings}


def test_note_breakdown_and_not_applicable_rows_are_not_indicators(tmp_path):
    built = build_project(tmp_path / "t.xlsx")
    header_row, col = built.cells["header"]
    first = built.cells[("ind", 0, "level3")][0]

    def rows(ws):
        ws.insert_rows(first + 1, 3)
        ws.cell(first + 1, col + 2, "其中：人物专辑")            # a part of the row above, no 分值
        ws.cell(first + 1, col + 4, "10集")
        ws.cell(first + 2, col + 2, "档案数字化数量")               # not applicable: 分值 "/"
        ws.cell(first + 2, col + 5, "/")
        ws.cell(first + 2, col + 6, "/")
        ws.cell(first + 3, col + 2, "安全事故数")
        ws.cell(first + 3, col + 5, "不适用")
    _edit(built, rows)
    report = _report(built.path)
    assert report.findings == [], [(f.code, f.cell, f.message) for f in report.findings]
    table = read_workbook(built.path).tables[0]
    why = " ".join(w for _, w in table.reading)
    assert "分项" in why and why.count("not applicable") == 2
    assert report.unreviewed == 0 and report.reviewed == len(table.rows("indicator"))


def test_a_note_row_before_the_total_is_no_indicator(tmp_path):
    built = build_project(tmp_path / "t.xlsx")
    total_row = built.cells["total"][0]
    col = built.cells["header"][1]

    def note(ws):
        ws.insert_rows(total_row, 1)
        ws.cell(total_row, col, "其他需要说明事项")
        ws.cell(total_row, col + 2, "无")
    _edit(built, note)
    assert _report(built.path).findings == []


def test_a_two_row_header_is_one_header(tmp_path):
    """指标值 over 指标性质 / 指标值 / 度量单位: the second row names the columns and is no indicator."""
    built = build_project(tmp_path / "t.xlsx")
    header_row, col = built.cells["header"]

    def second_row(ws):
        ws.insert_rows(header_row + 1, 1)
        ws.cell(header_row + 1, col + 3, "年度指标值")
        ws.cell(header_row + 1, col + 4, "实际完成值")
    _edit(built, second_row)
    report = _report(built.path)
    assert report.findings == [], [(f.code, f.cell, f.message) for f in report.findings]


def test_a_lost_level1_is_named_by_its_level2(tmp_path):
    built = build_project(tmp_path / "t.xlsx")
    header_row, col = built.cells["header"]

    def lose(ws):
        for row in ws.iter_rows(min_row=header_row + 1, min_col=col, max_col=col):
            for cell in row:
                if cell.coordinate in ws.merged_cells:
                    continue
                cell.value = None
        for merged in [m for m in ws.merged_cells.ranges if m.min_col == col and m.min_row > header_row
                       and m.max_col == col]:
            ws.unmerge_cells(str(merged))
            ws.cell(merged.min_row, col).value = None
    _edit(built, lose)
    report = _report(built.path)
    assert not [f for f in report.findings if f.code in ("level-missing", "unknown-level", "total-weight-not-100")], \
        [(f.code, f.cell, f.message) for f in report.findings]
    levels = {r.level1 for r in read_workbook(built.path).tables[0].rows("indicator")}
    assert levels == {"产出指标", "效益指标", "满意度指标"}


def test_a_table_that_stops_early_says_so_once(tmp_path):
    built = build_project(tmp_path / "t.xlsx")
    last_kept = built.cells[("ind", 4, "level3")][0]

    def cut(ws):
        ws.delete_rows(last_kept + 1, ws.max_row)
    _edit(built, cut)
    codes = {f.code for f in _report(built.path).findings}
    assert "table-incomplete" in codes
    assert not codes & {"total-weight-not-100", "level-missing"}


def test_check_explain_says_how_each_row_was_read(tmp_path, capsys):
    from selfeval_xl.cli import main

    built = build_project(tmp_path / "t.xlsx", edits={("ind", 3, "actual"): "效果明显"})
    header_row, col = built.cells["header"]

    def rows(ws):
        ws.insert_rows(header_row + 2, 1)
        ws.cell(header_row + 2, col + 2, "其中：人物专辑")
    _edit(built, rows)
    assert main(["check", "--explain", str(built.path)]) == 0
    out = capsys.readouterr().out
    assert "分项" in out and "indicator header" in out
    assert out.count("未复核 NOT reviewed") == 1 and "已复核 reviewed" in out      # 效果明显 names no tier
