"""Reports of a check run, streamed file by file: report.xlsx (汇总 + 问题清单), findings.json (the shape
of :meth:`Report.to_json`), and a console summary.

Text from workbooks never becomes a live formula in a report (:mod:`selfeval_xl.core.sanitize`).
"""
from .console import Tally, summary
from .json_stream import JsonReport
from ..core.sanitize import cell_value
from .xlsx import SEVERITY_NAMES, XlsxReport, status, write_report

__all__ = ["XlsxReport", "JsonReport", "Tally", "write_report", "status", "summary", "cell_value",
           "SEVERITY_NAMES"]
