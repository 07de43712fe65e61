"""The worksheet report.xlsx streams into: XlsxWriter's, less the rewriting of formulas it never needs.

Why: the report's only formulas are its links, made by :func:`~.safe.hyperlink_formula`, whose strings
start anew at every ``(`` so that no text in them reads as a function call. XlsxWriter still tries 29
rewrites (``FILTER(`` → ``_xlfn._xlws.FILTER(``, …) on every formula, each a regular expression over the
whole link: 74 µs a link, a third of the parent's cost of writing a batch's report. Those rewrites can
change nothing in our links (a test holds XlsxWriter's own preparation to ours for any name); only the
leading ``=`` is taken off, as XlsxWriter does.
"""
from __future__ import annotations

from xlsxwriter.worksheet import Worksheet


class LinkedSheet(Worksheet):
    """A worksheet whose formulas are all our links (XlsxWriter's ``worksheet_class``)."""

    def _prepare_formula(self, formula: str, expand_future_functions: bool = False) -> str:
        return formula.removeprefix("=")
