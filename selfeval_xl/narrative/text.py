"""A narrative report's text as paragraphs with positions, from .docx, .pdf or .txt.

A PDF's extracted text breaks lines inside words and numbers ("1011.9" / "8 万元"), puts spaces
around runs of another font, and carries page numbers ("— 3 —", "第 3 页"). Lines are rejoined into
paragraphs: a paragraph ends where a line ends a sentence and falls short of the full line width, or
the next line opens a heading or an enumerated item, or where a line is far shorter than the full
width (a heading); page-number lines are dropped.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from statistics import quantiles

from ..limits import DEFAULT_LIMITS, Limits

SUFFIXES = (".docx", ".pdf", ".txt")
MAX_PAGES = 500
_PAGE_NUMBER = re.compile(r"^[\s\-—–－·]*(?:第\s*\d+\s*页(?:\s*[，,/]?\s*共\s*\d+\s*页)?|\d+(?:\s*/\s*\d+)?)[\s\-—–－·]*$")
_OPENS = re.compile(r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\(\s*[一二三四五六七八九十]+\s*\)|\d+[.．、](?!\d)|【)")
_CHAPTER = re.compile(r"^[一二三四五六七八九十]+、")
_ENDS = "。：:！？!?】"
_SPACE = re.compile(r"\s+")


class ReportError(ValueError):
    """The file cannot be read as a report (message for the finding)."""


@dataclass(frozen=True)
class Paragraph:
    number: int            # 1-based, in the document (a PDF: on its page)
    text: str
    page: int | None = None

    @property
    def where(self) -> tuple[str, str]:
        """(sheet, cell) of a finding: ("正文", "第12段") or ("第3页", "第2段")."""
        return ("正文" if self.page is None else f"第{self.page}页"), f"第{self.number}段"


def squeeze(text: str) -> str:
    """Drop the spaces a PDF puts around runs and numbers; keep one between two Latin words."""
    def keep(match: re.Match) -> str:
        before = text[match.start() - 1] if match.start() else ""
        after = text[match.end()] if match.end() < len(text) else ""
        return " " if before.isascii() and before.isalpha() and after.isascii() and after.isalpha() else ""
    return _SPACE.sub(keep, text).strip()


def read_report(path: str | Path, limits: Limits = DEFAULT_LIMITS) -> list[Paragraph]:
    """The report's paragraphs, under the limits of a stranger's workbook: the path is looked at before
    it is opened (a FIFO, a device, a file beyond ``file_bytes`` is refused), a .docx's zip directory
    before it is inflated (``uncompressed_bytes``). Memory and seconds are the worker's
    (:func:`selfeval_xl.narrative.check_reports`)."""
    from ..read.guard import path_problem

    path = Path(path)
    refused = path_problem(path, limits)
    if refused:
        raise ReportError(refused)
    suffix = path.suffix.lower()
    if suffix == ".docx":
        return _docx(path, limits)
    if suffix == ".pdf":
        return _pdf(path)
    if suffix == ".txt":
        return _txt(path)
    raise ReportError(f"不支持的报告格式：{suffix}")


W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _docx(path: Path, limits: Limits) -> list[Paragraph]:
    """The body's paragraphs (not those inside tables: the 附件 restate the tables), by defusedxml."""
    import zipfile

    from defusedxml import ElementTree

    from ..read.guard import zip_problem

    try:
        with zipfile.ZipFile(path) as zf:
            refused = zip_problem(zf, limits)
            if refused:
                raise ReportError(refused)
            info = zf.getinfo("word/document.xml")
            root = ElementTree.fromstring(zf.read(info))
    except ReportError:
        raise
    except Exception as exc:  # noqa: BLE001 - a damaged or hostile file is a finding, not a crash
        raise ReportError(f"无法打开 Word 文档：{type(exc).__name__}") from exc
    body = root.find(f"{W}body")
    texts = []
    for element in (body if body is not None else []):
        if element.tag == f"{W}p":
            texts.append(squeeze("".join(node.text or "" if node.tag == f"{W}t" else " "
                                         for node in element.iter() if node.tag in (f"{W}t", f"{W}tab"))))
    return [Paragraph(n, t) for n, t in enumerate((t for t in texts if t), 1)]


def _txt(path: Path) -> list[Paragraph]:
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ReportError("文本编码无法识别（应为 UTF-8 或 GBK）")
    if "\f" in text:                                # pdftotext's output: pages apart, lines broken
        return _rejoin(text.split("\f"))
    lines = [line for line in text.splitlines() if not _PAGE_NUMBER.match(line) or not line.strip()]
    if any(not line.strip() for line in lines):      # blank lines part paragraphs: join the lines between
        blocks = re.split(r"\n\s*\n", "\n".join(lines))
        texts = [squeeze("".join(b.splitlines())) for b in blocks]
    else:
        texts = [squeeze(line) for line in lines]
    return [Paragraph(n, t) for n, t in enumerate((t for t in texts if t), 1)]


def _width(line: str) -> int:
    return sum(1 if ch.isascii() else 2 for ch in squeeze(line))


def _pdf(path: Path) -> list[Paragraph]:
    from pypdf import PdfReader

    try:
        reader = PdfReader(str(path))
        if len(reader.pages) > MAX_PAGES:
            raise ReportError(f"PDF 超过 {MAX_PAGES} 页，未读取")
        pages = [page.extract_text() or "" for page in reader.pages]
    except ReportError:
        raise
    except Exception as exc:  # noqa: BLE001 - a damaged file is a finding, not a crash
        raise ReportError(f"无法读取 PDF：{type(exc).__name__}") from exc
    return _rejoin(pages)


def _rejoin(pages: list[str]) -> list[Paragraph]:
    """A PDF's pages of broken lines → paragraphs, numbered on the page they start on."""
    lines = [(n, line) for n, text in enumerate(pages, 1) for line in text.splitlines()
             if line.strip() and not _PAGE_NUMBER.match(line)]
    widths = [_width(line) for _, line in lines if _width(line) > 20]
    full = quantiles(widths, n=10)[-1] if len(widths) >= 10 else max(widths, default=0)
    paragraphs: list[Paragraph] = []
    current, start, counts = "", 0, {}
    previous = ""
    for page, line in lines:
        ends = previous.rstrip()[-1:] in tuple(_ENDS) if previous.strip() else True
        short = _width(previous) < full - 3
        opens = bool(_OPENS.match(squeeze(line))) or line[:1].isspace()
        chapter = bool(_CHAPTER.match(squeeze(line)))
        if current and ((ends and (short or opens)) or chapter or _width(previous) < full * 0.6):
            counts[start] = counts.get(start, 0) + 1
            paragraphs.append(Paragraph(counts[start], squeeze(current), start))
            current = ""
        if not current:
            start = page
        current += line
        previous = line
    if current.strip():
        counts[start] = counts.get(start, 0) + 1
        paragraphs.append(Paragraph(counts[start], squeeze(current), start))
    return paragraphs
