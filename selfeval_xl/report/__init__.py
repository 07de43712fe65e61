"""Reports of a check run: report.xlsx (汇总 + 问题清单), JSON (:meth:`Report.to_json`), console summary.

Text from workbooks never becomes a live formula in a report (:func:`safe.cell_value`).
"""
from .console import summary
from .safe import cell_value
from .xlsx import XlsxReport, status, write_report

__all__ = ["XlsxReport", "write_report", "status", "summary", "cell_value"]
