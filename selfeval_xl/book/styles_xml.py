"""``xl/styles.xml`` read and grown as text: a mark's fill, a header's bold font, never a renumbering.

Why append-only: every ``s="…"`` in every sheet points into ``cellXfs`` by position, so an existing
fill, font or cell format keeps its index; what a mark needs is looked up first (restoring a cell's own
colour finds its original fill and format again) and appended only when missing.
"""
from __future__ import annotations

import re
from functools import lru_cache

from .sheet_xml import attrs_of, attrs_text
from ..read.xlsx_xml import BUILTIN_FORMATS

_ROOT = re.compile(r"<(\w+:)?styleSheet\b")
_PATTERN = re.compile(r"<(?:\w+:)?patternFill\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?patternFill>)", re.S)
_FG = re.compile(r"<(?:\w+:)?fgColor\b([^>]*?)/?>")
_COLOR = re.compile(r"<(?:\w+:)?color\b[^>]*?(?:/>|>.*?</(?:\w+:)?color>)", re.S)
_OPEN = re.compile(r"<([\w:]+)([^>]*?)/?>")
LINK_COLOR = "FF0563C1"
BUILTIN_NUMBER_FORMATS = {"General": 0, **{code: n for n, code in BUILTIN_FORMATS.items()}}
"""Number formats every spreadsheet knows by id (ECMA-376 §18.8.30): no ``<numFmt>`` is needed for them."""


@lru_cache(maxsize=None)
def _items(name: str) -> re.Pattern:
    """Elements named ``name`` (any prefix), empty or not; group 1 the attributes, 2 the content."""
    return re.compile(rf"<(?:\w+:)?{name}\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?{name}>)", re.S)


class _List:
    """One of ``fonts`` / ``fills`` / ``cellXfs``: the items found, and those we add."""

    def __init__(self, text: str, name: str, item: str):
        self.name, self.item = name, item
        self.match = _items(name).search(text)
        self.items = [m.group(0) for m in _items(item).finditer(self.match.group(2) or "")] if self.match else []
        self.added: list[str] = []

    def add(self, xml: str) -> int:
        self.items.append(xml)
        self.added.append(xml)
        return len(self.items) - 1


class StylesXml:
    """Cell formats by index: the solid colour of a format's fill, and formats derived from one."""

    def __init__(self, text: str):
        self.source = text
        root = _ROOT.search(text)
        self.prefix = (root.group(1) or "") if root else ""
        self.fonts = _List(text, "fonts", "font")
        self.fills = _List(text, "fills", "fill")
        self.xfs = _List(text, "cellXfs", "xf")
        if self.xfs.match is None or self.fills.match is None or self.fonts.match is None:
            raise ValueError("styles.xml without fonts, fills or cellXfs")

    # -- fills ---------------------------------------------------------------------------------------
    def _xf(self, index: int) -> tuple[dict[str, str], str]:
        xml = self.xfs.items[index] if 0 <= index < len(self.xfs.items) else self.xfs.items[0]
        match = _items("xf").match(xml)
        return attrs_of(match.group(1)), match.group(2) or ""

    def color(self, xf: int) -> str | None:
        """The solid colour of a format's fill as the Book gives it; ``""`` none, None a pattern."""
        attrs, _ = self._xf(xf)
        fill_id = int(attrs.get("fillId", "0") or 0)
        return _fill_color(self.fills.items[fill_id]) if fill_id < len(self.fills.items) else ""

    def _fill_index(self, color: str) -> int:
        for n, xml in enumerate(self.fills.items):
            if _fill_color(xml) == color:
                return n
        if not color:
            return 0
        p = self.prefix
        kind, _, rest = color.partition(":")
        if kind == "theme":
            theme, tint = rest.split(":")
            attrs = {"theme": theme, **({"tint": tint} if float(tint) else {})}
        elif kind == "indexed":
            attrs = {"indexed": rest}
        else:
            attrs = {"rgb": "FF" + color}
        colors = f"<{p}fgColor{attrs_text(attrs)}/><{p}bgColor{attrs_text(attrs)}/>"
        return self.fills.add(f'<{p}fill><{p}patternFill patternType="solid">{colors}</{p}patternFill></{p}fill>')

    def with_fill(self, xf: int, color: str) -> int:
        """The format ``xf`` with the fill ``color`` (an existing equal format if there is one)."""
        attrs, inner = self._xf(xf)
        fill_id = self._fill_index(color)
        attrs = {**attrs, "fillId": str(fill_id)}
        if fill_id:
            attrs["applyFill"] = "1"
        return self._format(attrs, inner)

    def _format(self, attrs: dict[str, str], inner: str) -> int:
        wanted = {k: v for k, v in attrs.items() if k not in ("applyFill", "applyFont")}
        for n, xml in enumerate(self.xfs.items):
            match = _items("xf").match(xml)
            have = {k: v for k, v in attrs_of(match.group(1)).items() if k not in ("applyFill", "applyFont")}
            if have == wanted and (match.group(2) or "") == inner:
                return n
        p = self.prefix
        xml = f"<{p}xf{attrs_text(attrs)}/>" if not inner else f"<{p}xf{attrs_text(attrs)}>{inner}</{p}xf>"
        return self.xfs.add(xml)

    # -- number formats and the quote prefix (``fill``) ------------------------------------------------
    def with_format(self, xf: int, number_format: str | None = None, quote_prefix: bool = False) -> int:
        """The format ``xf`` with ``number_format`` (a built-in format code such as ``0.00%``: a KeyError for
        another) and/or Excel's quote prefix (text that looks like a formula stays text when edited); an
        existing equal format if there is one."""
        attrs, inner = self._xf(xf)
        if number_format is not None:
            attrs = {**attrs, "numFmtId": str(BUILTIN_NUMBER_FORMATS[number_format]), "applyNumberFormat": "1"}
        if quote_prefix:
            attrs = {**attrs, "quotePrefix": "1"}
        return self._format(attrs, inner)

    # -- fonts for the 检查结果 sheet ----------------------------------------------------------------
    def bold(self) -> int:
        """A format of the default font in bold (the results sheet's header)."""
        return self._with_font(f"<{self.prefix}b/>", keep_color=True)

    def link(self) -> int:
        """A format of the default font, blue and underlined (a link)."""
        p = self.prefix
        return self._with_font(f'<{p}u/><{p}color rgb="{LINK_COLOR}"/>', keep_color=False)

    def _with_font(self, extra: str, keep_color: bool) -> int:
        base = _items("font").match(self.fonts.items[0]) if self.fonts.items else None
        inner = (base.group(2) or "") if base else ""
        if not keep_color:
            inner = _COLOR.sub("", inner)
        font = f"<{self.prefix}font>{extra}{inner}</{self.prefix}font>"
        font_id = self.fonts.items.index(font) if font in self.fonts.items else self.fonts.add(font)
        return self._format({"numFmtId": "0", "fontId": str(font_id), "fillId": "0", "borderId": "0",
                             "xfId": "0", "applyFont": "1"}, "")

    # -- the part ------------------------------------------------------------------------------------
    def text(self) -> str:
        text = self.source
        for lst in sorted((self.fonts, self.fills, self.xfs), key=lambda x: -x.match.start()):
            if not lst.added:
                continue
            m = lst.match
            head = _OPEN.match(m.group(0))
            attrs = {**attrs_of(head.group(2)), "count": str(len(lst.items))}
            whole = f"<{head.group(1)}{attrs_text(attrs)}>{m.group(2) or ''}{''.join(lst.added)}</{head.group(1)}>"
            text = text[:m.start()] + whole + text[m.end():]
        return text

    @property
    def changed(self) -> bool:
        return bool(self.fonts.added or self.fills.added or self.xfs.added)


def _fill_color(xml: str) -> str | None:
    pattern = _PATTERN.search(xml)
    if pattern is None:
        return None if "gradientFill" in xml else ""
    kind = attrs_of(pattern.group(1)).get("patternType", "")
    if kind in ("", "none"):
        return ""
    if kind != "solid":
        return None
    fg = _FG.search(pattern.group(2) or "")
    attrs = attrs_of(fg.group(1)) if fg else {}
    if "rgb" in attrs:
        return attrs["rgb"][-6:].upper()
    if "theme" in attrs:
        return f"theme:{attrs['theme']}:{float(attrs.get('tint', '0')):g}"
    if "indexed" in attrs:
        return f"indexed:{attrs['indexed']}"
    return None if fg else "000000"
