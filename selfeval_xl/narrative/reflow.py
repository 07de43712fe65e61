"""Text as it arrives from a PDF: broken lines joined back into paragraphs.

A PDF's extracted text (pypdf, pdftotext, or a .txt someone saved from either) breaks lines inside
sentences, words and numbers ("1011.9" / "8 万元"), often puts a blank line between every two lines,
carries page numbers ("— 3 —", "第 3 页") and running headers, and flattens tables into rows of figures.
A line joins the next unless it ends a sentence short of the full width, the next opens a heading or an
item, or it is itself a heading (short, no sentence mark, a ``一、`` / ``（一）`` / ``1.`` mark or none).
Blank lines count only where they do not sit between (nearly) every two lines. Everything here is one
pass over the lines with anchored patterns: linear in the text's length.
"""
from __future__ import annotations

import re
from collections import Counter
from statistics import quantiles

from .numbers import FIGURE

ENDS = "。！？!?】"
CONTINUES = "，、,（(“‘：:《—-"
CN = "一二三四五六七八九十"
MARKS = (rf"[{CN}]+、", rf"[（(]\s*[{CN}]+\s*[）)]",               # the heading marks, level by level:
         r"\d{1,2}\s*[.．、](?!\d)", r"(?:[（(]\d{1,2}[）)]|\d{1,2}[）)])")  # 一、 › （一） › 1. › （1）/ 1）
HEADING = re.compile(rf"^\s*(?:{MARKS[0]}|{MARKS[1]})")
ITEM = re.compile(rf"^\s*(?:{MARKS[2]}|{MARKS[3]}|[{CN}]是|【)")
PAGE_NUMBER = re.compile(r"^[\s\-—–－·]*(?:第\s*\d+\s*页(?:\s*[，,/]?\s*共\s*\d+\s*页)?|\d{1,4}(?:\s*/\s*\d+)?)"
                         r"[\s\-—–－·]*$")
INLINE_PAGE = re.compile(r"(?<!\S)(?:[-—–－]{1,2}\s*\d{1,4}\s*[-—–－]{1,2}|第\s*\d{1,4}\s*页(?:\s*共\s*\d{1,4}\s*页)?)(?!\S)")
GLUED_HEADING = re.compile(r"^(\s*(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)])\s*"
                           r"[^\s，。,：:；;、\d]{2,24})\s+(?=[\d\u4e00-\u9fff])(.{8,})$")
_SPACE = re.compile(r"\s+")
_KEEP_SPACE = re.compile(r"[A-Za-z0-9%.]")
_HALF_WIDTH_FIGURES = str.maketrans("０１２３４５６７８９．％", "0123456789.%")
"""A Chinese IME's full-width digits, point and percent (``９５．９５％``) read as the figures they are. Not
:func:`~selfeval_xl.core.parse.fold_text`, a cell's fold: it also makes the report's clause mark ``，`` a
comma, and a sentence would then read as a table row (:func:`is_row`) and its quotes lose their marks."""
NOISE_BLANKS = 0.6          # blank lines between this share of line pairs or more carry no meaning


def squeeze(text: str) -> str:
    """Drop the spaces a PDF puts around runs; keep one between two Latin words and between two figures
    ("5 5" stays two numbers, a flattened table row stays a row), but not before a figure's % ("99.76 %"
    is 99.76%). Full-width digits are read as digits."""
    def keep(match: re.Match) -> str:
        before = text[match.start() - 1] if match.start() else ""
        after = text[match.end()] if match.end() < len(text) else ""
        return " " if before.isascii() and after.isascii() and _KEEP_SPACE.match(before or "-") \
            and _KEEP_SPACE.match(after or "-") and not (after == "%" and before.isdigit()) else ""
    text = text.translate(_HALF_WIDTH_FIGURES)
    return _SPACE.sub(keep, text).strip()


def width(line: str) -> int:
    """A line's width in half-width cells: a Chinese character is two."""
    return sum(1 if ch.isascii() else 2 for ch in squeeze(line))


def is_row(line: str) -> bool:
    """A table row flattened into a line: three or more figures, half the words or more."""
    words = line.split()
    figures = sum(bool(FIGURE.match(w)) for w in words)
    return figures >= 3 and figures * 2 >= len(words) and not any(m in line for m in "。，")


def _heading(line: str, full: int) -> bool:
    """A heading line: a mark or a short line, no sentence mark at its end, no sentence inside."""
    text = squeeze(line)
    if not text or text[-1] in ENDS or text[-1] in CONTINUES:
        return False
    marked = bool(HEADING.match(line) or ITEM.match(line))
    short = width(line) < full * 0.75 if full else False
    return (marked and "。" not in text and (short or not full)) or (short and width(line) < full * 0.6)


def running_lines(pages: list[list[str]]) -> set[str]:
    """Lines repeated at the top or foot of three pages or more (a running header or footer), digits
    folded: they are the layout's, not the text's. A fragment of a sentence ("元。") is not one."""
    if len(pages) < 3:
        return set()
    seen: Counter = Counter()
    for lines in pages:
        kept = [squeeze(x) for x in lines if x.strip() and not PAGE_NUMBER.match(x)]
        seen.update({re.sub(r"\d+", "#", x) for x in kept[:2] + kept[-2:]})
    return {x for x, n in seen.items() if n >= 3 and n * 10 >= len(pages) * 3 and 4 <= len(x) <= 60
            and not any(mark in x for mark in "。，,；;")}


def lines_of(pages: list[str]) -> list[tuple[int, str]]:
    """The text's lines as (page, line), page numbers and running headers dropped, a blank line as
    (page, "")."""
    split = [text.splitlines() for text in pages]
    headers = running_lines(split)
    out: list[tuple[int, str]] = []
    for n, lines in enumerate(split, 1):
        for raw in lines:
            line = INLINE_PAGE.sub(" ", raw)
            if raw.strip() and (not line.strip() or PAGE_NUMBER.match(line)):
                continue                             # a page number, not a blank line
            if headers and re.sub(r"\d+", "#", squeeze(line)) in headers:
                continue
            out.append((n, line if line.strip() else ""))
    return out


def _full_width(lines: list[str]) -> int:
    """The width of a full line: the widest tenth's floor (a heading or a paragraph's end is shorter)."""
    widths = [w for w in map(width, lines) if w > 20]
    return int(quantiles(widths, n=10)[-1]) if len(widths) >= 10 else max(widths, default=0)


def _breaks(previous: str, line: str, full: int) -> bool:
    """Does ``line`` start a paragraph after ``previous``?"""
    before = squeeze(previous)
    if is_row(previous) or is_row(line) or not before or HEADING.match(line):
        return True
    ends = before[-1] in ENDS
    short = width(previous) < full - 3 if full else True
    if ITEM.match(line):
        return ends or short or before[-1] in "；;：:" or _heading(previous, full)
    return (ends and short) or _heading(previous, full)


def wrapped(lines: list[str]) -> bool:
    """Is the text hard-wrapped (a PDF's lines), not a paragraph per line? Most of its widest lines end
    inside a sentence."""
    full = _full_width(lines)
    widest = [squeeze(x) for x in lines if full and width(x) >= full * 0.85]
    return len(widest) >= 3 and sum(x[-1] not in ENDS for x in widest) * 2 >= len(widest)


def paragraphs(pages: list[str]) -> list[tuple[int, str]]:
    """The pages' text as paragraphs: (page it starts on, text).

    Hard-wrapped text is reflowed (blank lines dropped where they sit between nearly every two lines);
    otherwise a blank line ends a paragraph, or, with no blank lines at all, every line is one."""
    lines = lines_of(pages)
    texts = [x for _, x in lines if x]
    full = _full_width(texts)
    gaps = [b == "" for (_, a), (_, b) in zip(lines, lines[1:]) if a != ""]
    noise = bool(gaps) and sum(gaps) >= len(gaps) * NOISE_BLANKS
    if wrapped(texts):
        if noise:
            lines = [x for x in lines if x[1]]
    else:
        full = 0
        if not any(gaps):                            # a paragraph per line
            lines = [x for pair in ((x, (x[0], "")) for x in lines) for x in pair]
    out: list[tuple[int, str]] = []
    current: list[str] = []
    start = 0
    previous = ""
    for page, line in lines:
        if not line:                                 # a blank line that means a paragraph's end
            previous = ""
            continue
        if current and (not previous or _breaks(previous, line, full)):
            out.append((start, _joined(current)))
            current = []
        text = line
        if not current:
            start = page
            glued = GLUED_HEADING.match(line)
            if glued:                                # "（三）收支情况 2021 年…": the heading apart
                out.append((page, squeeze(glued.group(1))))
                text = glued.group(2)
        current.append(text)
        previous = line
    if current:
        out.append((start, _joined(current)))
    return [(page, text) for page, text in out if text]


def _joined(lines: list[str]) -> str:
    """A paragraph's lines as one text: a row keeps its spaces; elsewhere a line break is nothing (a word
    or a number broken at the line's end is one again)."""
    if len(lines) == 1:
        return squeeze(lines[0])
    return squeeze("".join(line.strip() for line in lines))
