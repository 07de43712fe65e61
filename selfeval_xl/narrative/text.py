"""A narrative report's text as paragraphs with positions, from .docx, .pdf or .txt.

A .docx gives its paragraphs (and its own tables' rows, cells apart); a PDF, or a .txt of text
extracted from one, gives broken lines that :mod:`reflow` joins back into paragraphs.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..core.limits import DEFAULT_LIMITS, Limits
from .reflow import paragraphs, squeeze, wrapped

SUFFIXES = (".docx", ".pdf", ".txt")
MAX_PAGES = 500
__all__ = ["Paragraph", "ReportError", "read_report", "squeeze", "SUFFIXES"]


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
    """The body's paragraphs and its tables' rows, in document order, by defusedxml."""
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
    blocks: list[list[str] | str] = []             # a run of paragraphs, or a table's row
    for element in (body if body is not None else []):
        if element.tag == f"{W}p":
            if not blocks or not isinstance(blocks[-1], list):
                blocks.append([])
            blocks[-1].append(_runs(element))
        elif element.tag == f"{W}tbl":             # the report's own tables: a row a paragraph, cells apart
            blocks += ["|".join(_runs(cell) for cell in row.iter(f"{W}tc")) for row in element.iter(f"{W}tr")]
    prose = [t for b in blocks if isinstance(b, list) for t in b if t]
    joined = wrapped(prose)                        # a PDF made into Word: a line a paragraph, joined back
    texts = []
    for b in blocks:
        if isinstance(b, str):
            texts.append(b)
        else:
            texts += [t for _, t in paragraphs(["\n".join(b)])] if joined else b
    return [Paragraph(n, t) for n, t in enumerate((t for t in texts if t.strip("|")), 1)]


def _runs(element) -> str:
    """An element's text, a tab as a space."""
    return squeeze("".join(node.text or "" if node.tag == f"{W}t" else " "
                           for node in element.iter() if node.tag in (f"{W}t", f"{W}tab")))


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
    if "\f" in text:                                # pdftotext's output: pages apart
        return _numbered(paragraphs(text.split("\f")), paged=True)
    return _numbered(paragraphs([text]), paged=False)


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
    return _numbered(paragraphs(pages), paged=True)


def _numbered(found: list[tuple[int, str]], paged: bool) -> list[Paragraph]:
    """Paragraphs numbered from 1 in the document, or on the page each starts on."""
    out: list[Paragraph] = []
    counts: dict[int, int] = {}
    for page, text in found:
        key = page if paged else 0
        counts[key] = counts.get(key, 0) + 1
        out.append(Paragraph(counts[key], text, page if paged else None))
    return out
