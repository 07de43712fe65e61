"""Reading workbooks into the model: a grid per sheet, one locator that finds 自评表 tables in it.

- :func:`read_workbook` — a file (.xlsx / .xlsm / .xls) → :class:`~selfeval_xl.core.model.WorkbookData`;
  never raises for bad input (problems carry an ``unreadable`` reason instead).
- :func:`read_grids` — the same locator over :class:`Grid` objects built by someone else (the add-in
  builds them from a live xlwings book).
- :class:`Grid` — a sheet as rows of values, optional formulas by (row, col), merged ranges.
- :func:`converted_together` — a batch's .xls converted by LibreOffice in one run, before its workers
  read them (one soffice start instead of one per file).
"""
from ..core.model import WorkbookData
from .grid import Grid, column_letter, parse_ref, ref
from .locate import locate_tables
from .workbook import MAX_ROWS, preload, read_grids, read_workbook
from .xls_together import converted_together

__all__ = ["Grid", "WorkbookData", "read_workbook", "read_grids", "locate_tables", "ref", "parse_ref",
           "column_letter", "MAX_ROWS", "preload", "converted_together"]
