"""How every workbook we write prints: A4, readable type, the header rows on every page, a title and
the date in the page header, page numbers in the footer.

Why one place: a finance bureau prints report.xlsx, summary.xlsx and the per-单位 feedback and files
them; without a paper size LibreOffice prints on US Letter, and "fit to one page" shrinks a long list
to 4 pt. Long lists fit the width only and run on over as many pages as they need.
"""
from __future__ import annotations

import datetime
import re
from typing import Any

A4 = 9                        # the paper size code of the OOXML spec (openpyxl's PAPERSIZE_A4)
MARGIN_SIDES, MARGIN_TOP = 0.4, 0.6     # inches; the header and footer sit inside the top/bottom margin


TITLE_MOST = 100
"""Characters of a page header's title: Excel refuses a header longer than 255 characters in all (codes,
the date and doubled ``&`` included), and a 单位 name is a submitter's text of any length."""


def _escape(text: str) -> str:
    """Header text with ``&`` doubled (a single one starts a code: &P page, &D date), no control
    characters and at most :data:`TITLE_MOST` characters (a 单位 name is a submitter's text)."""
    text = re.sub(r"[\x00-\x1f]", "", text)
    if len(text) > TITLE_MOST:
        text = text[:TITLE_MOST - 1] + "…"
    return text.replace("&", "&&")


def setup_print(ws: Any, title: str, *, landscape: bool, header_rows: str | None = None,
                one_page: bool = False, date: datetime.date | None = None) -> None:
    """Page setup of ``ws`` (a normal or a write-only worksheet): A4, ``landscape`` for wide tables,
    ``header_rows`` (``"1:1"``, ``"3:3"``) repeated on every page, ``title`` and the date in the
    header, 第 n 页 / 共 m 页 in the footer; fit to the page width only, unless ``one_page`` (a short
    overview that must stay on one sheet of paper)."""
    ws.page_setup.paperSize = A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 1 if one_page else 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = MARGIN_SIDES
    ws.page_margins.top = ws.page_margins.bottom = MARGIN_TOP
    ws.page_margins.header = ws.page_margins.footer = 0.25
    if header_rows:
        ws.print_title_rows = header_rows
    day = (date or datetime.date.today()).isoformat()
    ws.oddHeader.left.text = _escape(title)
    ws.oddHeader.left.size = 9
    ws.oddHeader.right.text = f"打印日期 {day}"
    ws.oddHeader.right.size = 9
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"
    ws.oddFooter.center.size = 9


def setup_print_xlsxwriter(ws: Any, title: str, *, landscape: bool, header_rows: tuple[int, int] | None = None,
                           date: datetime.date | None = None) -> None:
    """:func:`setup_print` for an XlsxWriter worksheet (the streamed report.xlsx): the same paper, margins,
    header, footer and fit to the page width; ``header_rows`` as 0-based (first, last)."""
    ws.set_paper(A4)
    if landscape:
        ws.set_landscape()
    else:
        ws.set_portrait()
    ws.fit_to_pages(1, 0)
    ws.center_horizontally()
    ws.set_margins(left=MARGIN_SIDES, right=MARGIN_SIDES, top=MARGIN_TOP, bottom=MARGIN_TOP)
    if header_rows:
        ws.repeat_rows(*header_rows)
    day = (date or datetime.date.today()).isoformat()
    ws.set_header(f"&L&9{_escape(title)}&R&9打印日期 {day}", {"margin": 0.25})
    ws.set_footer("&C&9第 &P 页，共 &N 页", {"margin": 0.25})
