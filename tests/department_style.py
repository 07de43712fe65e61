"""Department-style workbooks: one 自评表 sheet rebuilt with openpyxl as a department would (no meta sheet,
no defined names, little styling), with the formulas Excel would have computed and saved.

Used by the package-writing tests and by benchmarks/bench_score.py (which puts tests/ on its path).
"""
from __future__ import annotations

import tempfile
from pathlib import Path

import openpyxl
from openpyxl.styles import Font
from python_calamine import CalamineWorkbook


def department_style(source: Path, target: Path, sheet: str | None = None, rich: bool = False) -> Path:
    """Copy the 自评表 of ``source`` (one of our filled templates) into a plain one-sheet workbook at
    ``target``: values, formulas, merges and widths; each formula carries the value Excel would cache.
    ``rich``: the sheet also carries what a careful department adds (:func:`enrich`): a chart of its
    funds, comments and data validations — the parts a scored copy must keep."""
    from selfeval_xl.book.cached import write_cached
    from selfeval_xl.book.package_book import PackageBook
    from selfeval_xl.score.writeback import score_book

    wb = openpyxl.load_workbook(source)
    ws = wb[sheet] if sheet else wb.worksheets[0]
    with tempfile.TemporaryDirectory() as scratch:     # what Excel would have cached: the computed values
        scored = Path(scratch) / "scored.xlsx"
        book = PackageBook.open(source)
        score_book(book)
        book.save(scored)
        computed = CalamineWorkbook.from_path(str(scored)).get_sheet_by_name(ws.title).to_python()
    new = openpyxl.Workbook()
    out = new.active
    out.title = ws.title
    cached: dict[str, tuple[str | None, str]] = {}
    for row in ws.iter_rows():
        for cell in row:
            if cell.value is None or type(cell).__name__ == "MergedCell":
                continue
            out[cell.coordinate] = cell.value
            if isinstance(cell.value, str) and cell.value.startswith("="):
                r, c = cell.row - 1, cell.column - 1
                value = computed[r][c] if r < len(computed) and c < len(computed[r]) else ""
                if value != "":
                    cached[cell.coordinate] = (None, repr(float(value))) if isinstance(value, (int, float)) \
                        else ("str", str(value))
    for merged in ws.merged_cells.ranges:
        out.merge_cells(str(merged))
    for key, dim in ws.column_dimensions.items():
        out.column_dimensions[key].width = dim.width
    out["A1"].font = Font(bold=True, size=14)
    if rich:
        enrich(out)
    new.save(target)
    write_cached(target, {out.title: cached})
    return target


def enrich(ws) -> None:
    """A chart of the sheet's first numeric column block (anchored right of the table), two comments
    and two data validations (a list on the 指标性质-like column, whole numbers on the 分值-like one)."""
    from openpyxl.chart import BarChart, Reference
    from openpyxl.comments import Comment
    from openpyxl.worksheet.datavalidation import DataValidation

    width = ws.max_column
    numbers = [(c.row, c.column) for row in ws.iter_rows(max_row=min(ws.max_row, 12)) for c in row
               if isinstance(c.value, (int, float)) and not isinstance(c.value, bool)]
    row, col = numbers[0] if numbers else (1, 1)
    chart = BarChart()
    chart.title = "预算执行"
    chart.add_data(Reference(ws, min_col=col, min_row=row, max_col=min(col + 2, width), max_row=row + 2))
    ws.add_chart(chart, f"{_letter(width + 2)}2")
    ws["A2"].comment = Comment("单位自己的批注：数据来自年终决算", "会计")
    ws.cell(row, col).comment = Comment("已与财务系统核对", "会计")
    kinds = DataValidation(type="list", formula1='"正向,反向,定性"', allow_blank=True)
    weights = DataValidation(type="decimal", operator="between", formula1="0", formula2="100", allow_blank=True)
    ws.add_data_validation(kinds)
    ws.add_data_validation(weights)
    kinds.add(f"{_letter(width + 1)}1:{_letter(width + 1)}60")
    weights.add(f"{_letter(width)}20:{_letter(width)}60")


def _letter(column: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(column)
