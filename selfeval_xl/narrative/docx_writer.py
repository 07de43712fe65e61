"""Blocks → a Word document in Chinese official-document style: A4, 仿宋 body, 黑体 headings, page numbers.

Written as WordprocessingML with the standard library, not python-docx: python-docx needs lxml, and
with lxml installed openpyxl writes every workbook of ours differently (the committed templates stop
being byte-identical; our own-file marks read differently). Word, WPS and LibreOffice open the result
alike. Every text we put in passes :func:`clean` (our figures, but also the tables' own words).
"""
from __future__ import annotations

import re
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from .numbers import FIGURE
from .outline import Block, Placeholder

BODY_FONT, HEADING_FONT, LATIN_FONT = "仿宋", "黑体", "Times New Roman"
SIZES = {"title": 22, "heading1": 16, "heading2": 16, "heading3": 16, "annex": 16, "para": 16, "note": 12,
         "signature": 16, "cell": 9}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
MM = 1440 / 25.4            # twips per millimetre

CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>
<Override PartName="/word/footer1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/>
</Types>"""
PACKAGE_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>
</Relationships>"""
DOCUMENT_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rIdFooter1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer1.xml"/>
</Relationships>"""


def clean(text: str) -> str:
    """No control characters (Word refuses them in XML)."""
    return _CONTROL.sub("", text)


def _run(text: str, font: str, size: float, bold: bool = False, highlight: bool = False) -> str:
    props = (f'<w:rFonts w:ascii="{LATIN_FONT}" w:hAnsi="{LATIN_FONT}" w:eastAsia={quoteattr(font)}/>'
             + ("<w:b/>" if bold else "") + ('<w:highlight w:val="yellow"/>' if highlight else "")
             + f'<w:sz w:val="{round(size * 2)}"/><w:szCs w:val="{round(size * 2)}"/>')
    return f'<w:r><w:rPr>{props}</w:rPr><w:t xml:space="preserve">{escape(clean(text))}</w:t></w:r>'


def _field_run(instruction: str, font: str, size: float) -> str:
    props = f'<w:rPr><w:rFonts w:eastAsia={quoteattr(font)}/><w:sz w:val="{round(size * 2)}"/></w:rPr>'
    return (f'<w:r>{props}<w:fldChar w:fldCharType="begin"/></w:r>'
            f'<w:r>{props}<w:instrText xml:space="preserve"> {instruction} </w:instrText></w:r>'
            f'<w:r>{props}<w:fldChar w:fldCharType="separate"/></w:r>'
            f'<w:r>{props}<w:t>1</w:t></w:r><w:r>{props}<w:fldChar w:fldCharType="end"/></w:r>')


def _paragraph(block: Block) -> str:
    size = SIZES[block.kind]
    if block.kind == "title":
        props = '<w:jc w:val="center"/><w:spacing w:before="0" w:after="320" w:line="720" w:lineRule="exact"/>'
    elif block.kind == "signature":         # the 落款: right, no indent
        props = '<w:jc w:val="right"/><w:spacing w:before="0" w:after="0" w:line="560" w:lineRule="exact"/>'
    elif block.kind == "annex":             # each 附件 on a page of its own
        props = '<w:pageBreakBefore/><w:spacing w:before="0" w:after="240" w:line="560" w:lineRule="exact"/>'
    else:
        line = 360 if block.kind == "note" else 560
        props = (f'<w:spacing w:before="0" w:after="0" w:line="{line}" w:lineRule="exact"/>'
                 f'<w:ind w:firstLineChars="200" w:firstLine="{round(size * 40)}"/>')
    if block.kind == "heading1":
        props += '<w:outlineLvl w:val="0"/>'
    elif block.kind == "heading2":
        props += '<w:outlineLvl w:val="1"/>'
    font = HEADING_FONT if block.kind in ("title", "heading1", "annex") else BODY_FONT
    bold = block.kind in ("title", "heading2", "heading3")
    runs = "".join(_run(str(part), font, size, bold, isinstance(part, Placeholder)) for part in block.parts)
    return f"<w:p><w:pPr>{props}</w:pPr>{runs}</w:p>"


def column_widths(rows: list[list[str]], total: int) -> list[int]:
    """Each column as wide as its widest cell asks (a Chinese character two, capped so a long 偏差原因
    wraps), the widths summing to ``total``."""
    asks = [min(max(max((sum(1 if ch.isascii() else 2 for ch in row[c] or "") for row in rows), default=4), 6), 28)
            + 3 for c in range(len(rows[0]))]                      # + the cell's margins
    return [total * a // sum(asks) for a in asks]


def _cell(value: str, width: int, header: bool) -> str:
    figure = value == "—" or FIGURE.match(value or "")
    align = '<w:jc w:val="right"/>' if not header and figure else ""
    return (f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/></w:tcPr><w:p><w:pPr>{align}</w:pPr>'
            f'{_run(value or "", HEADING_FONT if header else BODY_FONT, SIZES["cell"], header)}</w:p></w:tc>')


def _table(rows: list[list[str]]) -> str:
    """A 附件 table: borders, header row bold, figures right-aligned, columns as wide as their content."""
    widths = column_widths(rows, round(156 * MM))
    borders = "".join(f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
                      for side in ("top", "left", "bottom", "right", "insideH", "insideV"))
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
    body = "".join("<w:tr>" + "".join(_cell(value, w, r == 0) for value, w in zip(values, widths)) + "</w:tr>"
                   for r, values in enumerate(rows))
    return (f'<w:tbl><w:tblPr><w:tblW w:w="{sum(widths)}" w:type="dxa"/><w:jc w:val="center"/>'
            f'<w:tblLayout w:type="fixed"/><w:tblBorders>{borders}</w:tblBorders>'
            f'<w:tblCellMar><w:left w:w="80" w:type="dxa"/><w:right w:w="80" w:type="dxa"/></w:tblCellMar>'
            f"</w:tblPr><w:tblGrid>{grid}</w:tblGrid>{body}</w:tbl><w:p/>")


def _section() -> str:
    return (f'<w:sectPr><w:footerReference w:type="default" r:id="rIdFooter1"/>'
            f'<w:pgSz w:w="{round(210 * MM)}" w:h="{round(297 * MM)}"/>'
            f'<w:pgMar w:top="{round(37 * MM)}" w:right="{round(26 * MM)}" w:bottom="{round(35 * MM)}" '
            f'w:left="{round(28 * MM)}" w:header="851" w:footer="992" w:gutter="0"/></w:sectPr>')


def _footer() -> str:
    """The page number, centred: — 3 —."""
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:ftr xmlns:w="{W}" xmlns:r="{R}">'
            f'<w:p><w:pPr><w:jc w:val="center"/></w:pPr>{_run("— ", BODY_FONT, 14)}'
            f'{_field_run("PAGE", BODY_FONT, 14)}{_run(" —", BODY_FONT, 14)}</w:p></w:ftr>')


def document_xml(blocks: list[Block]) -> str:
    body = "".join(_table(b.rows) if b.kind == "table" else _paragraph(b) for b in blocks)
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="{W}" xmlns:r="{R}">'
            f"<w:body>{body}{_section()}</w:body></w:document>")


def write_docx(blocks: list[Block], path: str | Path) -> Path:
    """Write ``blocks`` as a .docx at ``path``, through the one output writer (a replaced file keeps its
    mode and owner; a run stopped half-way leaves no half a document)."""
    from ..files.outputs import replacing

    path = Path(path)
    with replacing(path) as temporary, zipfile.ZipFile(temporary, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", CONTENT_TYPES)
        zf.writestr("_rels/.rels", PACKAGE_RELS)
        zf.writestr("word/_rels/document.xml.rels", DOCUMENT_RELS)
        zf.writestr("word/document.xml", document_xml(blocks))
        zf.writestr("word/footer1.xml", _footer())
    return path
