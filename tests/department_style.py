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


def department_style(source: Path, target: Path, sheet: str | None = None) -> Path:
    """Copy the 自评表 of ``source`` (one of our filled templates) into a plain one-sheet workbook at
    ``target``: values, formulas, merges and widths; each formula carries the value Excel would cache."""
    from selfeval_xl.book.cached import write_cached
    from selfeval_xl.book.package_book import PackageBook
    from selfeval_xl.writeback import score_book

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
    new.save(target)
    write_cached(target, {out.title: cached})
    return target
