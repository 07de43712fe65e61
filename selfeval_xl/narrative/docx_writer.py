"""Blocks → a Word document in Chinese official-document style: A4, 仿宋 body, 黑体 headings, page numbers.

Why python-docx: it writes a .docx Word, WPS and LibreOffice open alike, with real tables and fields,
without Word. Every text we put in passes :func:`clean` (our figures, but also the tables' own words).
"""
from __future__ import annotations

import re
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from .outline import Block, Placeholder

BODY_FONT, HEADING_FONT, LATIN_FONT = "仿宋", "黑体", "Times New Roman"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
SIZES = {"title": 22, "heading1": 16, "heading2": 16, "heading3": 16, "para": 16, "note": 12}


def clean(text: str) -> str:
    """No control characters (Word refuses them in XML)."""
    return _CONTROL.sub("", text)


def _font(run, name: str, size: float, bold: bool = False) -> None:
    run.font.name = LATIN_FONT
    run.font.size = Pt(size)
    run.font.bold = bold
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), name)


def _page_number_footer(section) -> None:
    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(paragraph.add_run("— "), BODY_FONT, 14)
    run = paragraph.add_run()
    _font(run, BODY_FONT, 14)
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        elif text.strip() == "PAGE":
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        else:
            element = OxmlElement("w:t")
            element.text = text
        run._element.append(element)
    _font(paragraph.add_run(" —"), BODY_FONT, 14)


def write_docx(blocks: list[Block], path: str | Path) -> Path:
    """Write ``blocks`` as a .docx at ``path``."""
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    _page_number_footer(section)
    for block in blocks:
        if block.kind == "table":
            _table(document, block.rows)
        else:
            _paragraph(document, block)
    path = Path(path)
    document.save(path)
    return path


def _paragraph(document, block: Block) -> None:
    paragraph = document.add_paragraph()
    fmt = paragraph.paragraph_format
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.line_spacing = Pt(28 if block.kind != "note" else 18)
    size = SIZES[block.kind]
    if block.kind == "title":
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        fmt.space_after = Pt(16)
        fmt.line_spacing = Pt(36)
    else:
        fmt.first_line_indent = Pt(size * 2)
    font = HEADING_FONT if block.kind in ("title", "heading1") else BODY_FONT
    bold = block.kind in ("title", "heading2", "heading3")
    for part in block.parts:
        run = paragraph.add_run(clean(str(part)))
        _font(run, font, size, bold)
        if isinstance(part, Placeholder):
            run.font.highlight_color = WD_COLOR_INDEX.YELLOW


def _table(document, rows: list[list[str]]) -> None:
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            cell = table.cell(r, c)
            cell.text = ""
            run = cell.paragraphs[0].add_run(clean(value or ""))
            _font(run, HEADING_FONT if r == 0 else BODY_FONT, 9, r == 0)
    document.add_paragraph()
