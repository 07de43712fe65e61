"""A sheet's comments part and the VML drawing that shows them, patched as text.

Why by hand: a comment lives twice — its text in ``commentsN.xml``, its yellow box as a ``<v:shape>``
of ``ObjectType="Note"`` in the sheet's legacy VML drawing (which may also hold form buttons, and
which is often not well-formed XML). We keep every comment and shape we do not change as it was, drop
the note boxes of comments removed, and add boxes only for cells that had none.
"""
from __future__ import annotations

import html
import re

from ..read.grid import parse_ref
from .sheet_xml import attrs_of, xml_text

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
AUTHOR = "selfeval"
_ROOT = re.compile(r"<(\w+:)?comments\b")
_AUTHORS = re.compile(r"<(?:\w+:)?authors\b[^>]*?(?:/>|>(.*?)</(?:\w+:)?authors>)", re.S)
_AUTHOR = re.compile(r"<(?:\w+:)?author\b[^>]*?(?:/>|>(.*?)</(?:\w+:)?author>)", re.S)
_LIST = re.compile(r"<(?:\w+:)?commentList\b[^>]*?(?:/>|>(.*?)</(?:\w+:)?commentList>)", re.S)
_COMMENT = re.compile(r"<(?:\w+:)?comment\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?comment>)", re.S)
_PHONETIC = re.compile(r"<(?:\w+:)?rPh\b.*?</(?:\w+:)?rPh>", re.S)
_T = re.compile(r"<(?:\w+:)?t\b[^>]*?(?:/>|>(.*?)</(?:\w+:)?t>)", re.S)
_SHAPE_ID = re.compile(r"_x0000_s(\d+)")
VML = "urn:schemas-microsoft-com:vml"
OFFICE = "urn:schemas-microsoft-com:office:office"
EXCEL = "urn:schemas-microsoft-com:office:excel"


def _text(body: str) -> str:
    return "".join(html.unescape(t or "") for t in _T.findall(_PHONETIC.sub("", body)))


class SheetComments:
    """The comments of one sheet: ref → text, with the XML of each comment we leave alone."""

    def __init__(self, xml: str | None):
        self.source = xml
        root = _ROOT.search(xml or "")
        self.prefix = (root.group(1) or "") if root else ""
        authors = _AUTHORS.search(xml or "")
        self.authors = [html.unescape(a or "") for a in _AUTHOR.findall(authors.group(1) or "")] if authors else []
        self.raw: dict[str, str] = {}
        self.texts: dict[str, str] = {}
        self.author_of: dict[str, str] = {}
        listed = _LIST.search(xml or "")
        for match in _COMMENT.finditer((listed.group(1) or "") if listed else ""):
            attrs = attrs_of(match.group(1))
            ref = attrs.get("ref", "").upper()
            if ref:
                self.raw[ref] = match.group(0)
                self.texts[ref] = _text(match.group(2) or "")
                self.author_of[ref] = attrs.get("authorId", "0")
        self.shown = set(self.texts)           # cells whose note box the drawing already has
        self.changed = False

    def text(self, ref: str) -> str:
        return self.texts.get(ref, "")

    def set(self, ref: str, text: str) -> None:
        if self.texts.get(ref, "") == text:
            return
        self.changed = True
        self.raw.pop(ref, None)
        if text:
            self.texts[ref] = text
            if ref not in self.author_of:
                if AUTHOR not in self.authors:
                    self.authors.append(AUTHOR)
                self.author_of[ref] = str(self.authors.index(AUTHOR))
        else:
            self.texts.pop(ref, None)
            self.author_of.pop(ref, None)

    def comments_xml(self) -> str:
        """The comments part: comments in cell order, ours written plainly, the rest as they were."""
        p = self.prefix
        items = []
        for ref in sorted(self.texts, key=parse_ref):
            if ref in self.raw:
                items.append(self.raw[ref])
            else:
                items.append(f'<{p}comment ref="{ref}" authorId="{self.author_of[ref]}"><{p}text>'
                             f'<{p}t xml:space="preserve">{xml_text(self.texts[ref])}</{p}t></{p}text></{p}comment>')
        authors = "".join(f"<{p}author>{xml_text(a)}</{p}author>" for a in self.authors)
        body = f"<{p}authors>{authors}</{p}authors><{p}commentList>{''.join(items)}</{p}commentList>"
        if self.source is None:
            return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                    f'<comments xmlns="{MAIN_NS}">{body}</comments>')
        head = _AUTHORS.search(self.source)
        end = _LIST.search(self.source)
        start = head.start() if head else (end.start() if end else self.source.index(">", _ROOT.search(self.source).end()) + 1)
        stop = end.end() if end else start
        return self.source[:start] + body + self.source[stop:]

    def drawing_xml(self, vml: str | None, idmap: int) -> str:
        """The VML drawing with a note box for each comment: boxes of removed comments dropped, boxes
        added for new ones; every other shape kept. ``idmap``: the block of shape ids a new drawing uses.
        Our shapes use the prefixes the drawing declares (openpyxl writes ``ns0:``…, Excel ``v:``…)."""
        wanted = {parse_ref(ref) for ref in self.texts}
        if vml is None:
            vml = (f'<xml xmlns:v="{VML}" xmlns:o="{OFFICE}" xmlns:x="{EXCEL}">'
                   f'<o:shapelayout v:ext="edit"><o:idmap v:ext="edit" data="{idmap}"/></o:shapelayout></xml>')
        vml, (v, o, x) = _declare(vml)
        shape = re.compile(rf"<{v}:shape\b[^>]*>.*?</{v}:shape>", re.S)
        note_at = re.compile(rf"ObjectType=\"Note\".*?<{x}:Row>\s*(\d+)\s*</{x}:Row>\s*<{x}:Column>\s*(\d+)\s*"
                             rf"</{x}:Column>", re.S)
        boxed: set[tuple[int, int]] = set()

        def keep(match: re.Match) -> str:
            at = note_at.search(match.group(0))
            if at is None:
                return match.group(0)
            position = (int(at.group(1)), int(at.group(2)))
            if position in wanted and position not in boxed:
                boxed.add(position)
                return match.group(0)
            return ""

        vml = shape.sub(keep, vml)
        if "_x0000_t202" not in vml:
            vml = vml.replace("</xml>", _note_type(v, o) + "</xml>")
        used = [int(n) for n in _SHAPE_ID.findall(vml)]
        block = re.search(rf'<{o}:idmap\b[^>]*\bdata="([\d,\s]+)"', vml)
        first = int(block.group(1).split(",")[0]) * 1024 if block else idmap * 1024
        next_id = max([first, *used]) + 1
        shapes = []
        for row, col in sorted(wanted - boxed):
            shapes.append(_note_shape(next_id, row, col, len(shapes) + 1, v, o, x))
            next_id += 1
        cut = vml.rindex("</xml>")
        return vml[:cut] + "".join(shapes) + vml[cut:]


def _declare(vml: str) -> tuple[str, tuple[str, str, str]]:
    """The drawing's prefixes for the VML, Office and Excel namespaces; any it lacks is declared on
    its root element under a name of its own."""
    root = re.search(r"<xml\b([^>]*)>", vml)
    if root is None:
        raise ValueError("a VML drawing without its <xml> root")
    declared = dict((uri, name) for name, uri in re.findall(r'xmlns:([\w.-]+)="([^"]*)"', root.group(1)))
    taken = set(declared.values())
    prefixes, extra = [], ""
    for uri, wish in ((VML, "v"), (OFFICE, "o"), (EXCEL, "x")):
        name = declared.get(uri)
        if name is None:
            name = wish
            while name in taken:
                name += "s"
            taken.add(name)
            extra += f' xmlns:{name}="{uri}"'
        prefixes.append(name)
    if extra:
        vml = vml[:root.end() - 1] + extra + vml[root.end() - 1:]
    return vml, tuple(prefixes)


def _note_type(v: str, o: str) -> str:
    return (f'<{v}:shapetype id="_x0000_t202" coordsize="21600,21600" {o}:spt="202" path="m,l,21600r21600,l21600,xe">'
            f'<{v}:stroke joinstyle="miter"/><{v}:path gradientshapeok="t" {o}:connecttype="rect"/></{v}:shapetype>')


def _note_shape(number: int, row: int, col: int, z: int, v: str, o: str, x: str) -> str:
    """A hidden yellow note box beside (row, col), 0-based, as Excel draws one."""
    return (f'<{v}:shape id="_x0000_s{number}" type="#_x0000_t202" style="position:absolute;margin-left:59.25pt;'
            f'margin-top:1.5pt;width:225pt;height:80pt;z-index:{z};visibility:hidden" fillcolor="#ffffe1" '
            f'{o}:insetmode="auto"><{v}:fill color2="#ffffe1"/><{v}:shadow on="t" color="black" obscured="t"/>'
            f'<{v}:path {o}:connecttype="none"/><{v}:textbox style="mso-direction-alt:auto">'
            f'<div style="text-align:left"></div></{v}:textbox><{x}:ClientData ObjectType="Note">'
            f'<{x}:MoveWithCells/><{x}:SizeWithCells/>'
            f'<{x}:Anchor>{col + 1}, 15, {row}, 10, {col + 4}, 15, {row + 5}, 4</{x}:Anchor>'
            f'<{x}:AutoFill>False</{x}:AutoFill><{x}:Row>{row}</{x}:Row><{x}:Column>{col}</{x}:Column>'
            f'</{x}:ClientData></{v}:shape>')
