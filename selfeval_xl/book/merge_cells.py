"""A worksheet's ``<mergeCells>`` read and rewritten as text: ranges taken apart, ranges added.

Why its own small editor: :mod:`.sheet_xml` patches ``<sheetData>`` only; ``fill`` also re-merges the
二级 cells of a filled table per run of rows. Only the ``<mergeCells>`` element changes (every other
byte of the part is kept); the element is dropped when no range is left and created, in its place in
the schema's order, when the sheet had none.
"""
from __future__ import annotations

import copy
import re

from .sheet_xml import attrs_of, parse_ref

_MERGES = re.compile(r"<(?:\w+:)?mergeCells\b[^>]*?(?:/>|>(.*?)</(?:\w+:)?mergeCells>)", re.S)
_MERGE = re.compile(r"<(?:\w+:)?mergeCell\b([^>]*?)/?>")
_ROOT = re.compile(r"<(\w+:)?worksheet\b")
_AFTER = re.compile(r"<(?:\w+:)?(?:phoneticPr|conditionalFormatting|dataValidations|hyperlinks|printOptions"
                    r"|pageMargins|pageSetup|headerFooter|rowBreaks|colBreaks|customProperties|cellWatches"
                    r"|ignoredErrors|smartTags|drawing|legacyDrawing|legacyDrawingHF|picture|oleObjects|controls"
                    r"|webPublishItems|tableParts|extLst)\b|</(?:\w+:)?worksheet>")
Bounds = tuple[int, int, int, int]
"""A range as 0-based (first row, first column, last row, last column)."""


def bounds(ref: str) -> Bounds:
    first, _, last = ref.partition(":")
    r0, c0 = parse_ref(first)
    r1, c1 = parse_ref(last or first)
    return r0, c0, r1, c1


class MergeCells:
    """The merged ranges of one worksheet part, in their order: :meth:`remove`, :meth:`add`, then
    :meth:`apply` to the part's (possibly otherwise patched) text."""

    def __init__(self, text: str):
        root = _ROOT.search(text)
        self.prefix = (root.group(1) or "") if root else ""
        match = _MERGES.search(text)
        refs = [attrs_of(m.group(1))["ref"] for m in _MERGE.finditer(match.group(1) or "")] if match else []
        self.items = [(ref, bounds(ref)) for ref in refs]
        self.changed = False

    def copy(self) -> "MergeCells":
        """An editor of its own over the same ranges (``fill`` edits one copy per workbook)."""
        other = copy.copy(self)
        other.items = list(self.items)
        return other

    @property
    def refs(self) -> list[str]:
        return [ref for ref, _ in self.items]

    def ranges(self) -> list[tuple[str, Bounds]]:
        return list(self.items)

    def remove(self, ref: str) -> None:
        self.items = [item for item in self.items if item[0] != ref]
        self.changed = True

    def add(self, ref: str) -> None:
        self.items.append((ref, bounds(ref)))
        self.changed = True

    def apply(self, text: str) -> str:
        """``text`` (a worksheet part) with these ranges as its ``<mergeCells>``."""
        if not self.changed:
            return text
        p = self.prefix
        items = "".join(f'<{p}mergeCell ref="{ref}"/>' for ref in self.refs)
        element = f'<{p}mergeCells count="{len(self.refs)}">{items}</{p}mergeCells>' if self.refs else ""
        match = _MERGES.search(text)
        if match:
            return text[:match.start()] + element + text[match.end():]
        end = re.search(rf"</{p}sheetData>|<{p}sheetData\b[^>]*/>", text)
        at = _AFTER.search(text, end.end() if end else 0)
        return text[:at.start()] + element + text[at.start():]
