"""The workbook interface over a file, by patching its package: what ``selfeval score`` writes with.

Why: an openpyxl load + save takes 15–19× a check and rewrites what it should not (other sheets,
charts, drawings; comment parts renamed). Here values come from the fast reader (python-calamine, and
formulas from the sheet XML); on save only these parts change — the sheets we wrote into (changed cells
only, :mod:`.sheet_xml`), ``styles.xml`` (fills and formats appended, :mod:`.styles_xml`), those sheets'
comments, VML drawings and relationships (:mod:`.comments_xml`; new parts get names no part has), the
检查结果 sheet with its entries in ``workbook.xml``, the workbook relationships and ``[Content_Types].xml``.
Every other member is copied with its bytes and compression: other sheets, charts, images, pivot
caches, VBA, custom XML, printer settings, shared strings (our text goes inline), ``docProps``.

``calcChain.xml`` is kept unless a formula cell became a constant: Excel calls a chain that names a
cell without a formula damaged, so then the chain (a cache) is dropped with its relationship and
content type, and Excel rebuilds it. ``fullCalcOnLoad`` is set, as the openpyxl Book does: the cached
values are ours, and Excel should compute its own on open.
"""
from __future__ import annotations

import io
import posixpath
import re
import struct
import zipfile
from pathlib import Path
from typing import Any, Sequence

from ..core.limits import DEFAULT_LIMITS, Limits
from ..read.grid import Grid, column_letter, parse_ref
from ..read.workbook import MAX_ROWS            # the rows check reads: score reads each sheet as check does
from . import BookRefused, CellContent, Link, plain_value
from .comments_xml import SheetComments
from .sheet_xml import SheetXml, attrs_of, attrs_text, value_xml, xml_attr
from .styles_xml import StylesXml

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
WORKSHEET_TYPE = f"{REL_NS}/worksheet"
COMMENTS_TYPE = f"{REL_NS}/comments"
VML_TYPE = f"{REL_NS}/vmlDrawing"
CT_WORKSHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
CT_COMMENTS = "application/vnd.openxmlformats-officedocument.spreadsheetml.comments+xml"
CT_VML = "application/vnd.openxmlformats-officedocument.vmlDrawing"
_RELATIONSHIP = re.compile(r"<Relationship\b([^>]*?)/?>")
_SHEET_ENTRY = re.compile(r"<(?:\w+:)?sheet\b([^>]*?)/>")
_LEGACY = re.compile(r"<(?:\w+:)?legacyDrawing\b[^>]*?/>")
_BEFORE_LEGACY = re.compile(r"</(?:\w+:)?(?:sheetData|conditionalFormatting|dataValidations|hyperlinks|headerFooter"
                            r"|rowBreaks|colBreaks|ignoredErrors)>|<(?:\w+:)?(?:pageMargins|pageSetup|drawing)\b[^>]*/>")
_AFTER_LEGACY = re.compile(r"<(?:\w+:)?(?:legacyDrawingHF|drawingHF|picture|oleObjects|controls|webPublishItems"
                           r"|tableParts|extLst|AlternateContent)\b|</(?:\w+:)?worksheet>")


class PackageError(OSError):
    """A part of the workbook is not as we can patch it (a styles part without cell formats, a sheet
    without ``<sheetData>`` …): the file is not written, the original stays as it was."""


class Rels:
    """A relationships part as text: targets by type, and relationships added with fresh ids."""

    def __init__(self, text: str | None):
        self.text = text or f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="{PKG_REL_NS}"></Relationships>'
        self.changed = text is None

    def all(self) -> list[dict[str, str]]:
        return [attrs_of(m.group(1)) for m in _RELATIONSHIP.finditer(self.text)]

    def target(self, kind: str) -> tuple[str, str] | None:
        """(id, target) of the first relationship of ``kind``."""
        return next(((r["Id"], r["Target"]) for r in self.all() if r.get("Type") == kind and "Id" in r), None)

    def add(self, kind: str, target: str) -> str:
        ids = {r.get("Id") for r in self.all()}
        n = len(ids) + 1
        while f"rId{n}" in ids:
            n += 1
        rel = f'<Relationship Id="rId{n}" Type="{kind}" Target="{xml_attr(target)}"/>'
        self.text = self.text.replace("</Relationships>", rel + "</Relationships>")
        self.changed = True
        return f"rId{n}"

    def drop(self, kind: str) -> None:
        self.text = _RELATIONSHIP.sub(lambda m: "" if attrs_of(m.group(1)).get("Type") == kind else m.group(0), self.text)
        self.changed = True


def _resolve(base: str, target: str) -> str:
    """A relationship's target as a part name (``../comments1.xml`` from ``xl/worksheets/sheet1.xml``)."""
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(base), target))


def _rels_of(part: str) -> str:
    return posixpath.join(posixpath.dirname(part), "_rels", posixpath.basename(part) + ".rels")


class PackageBook:
    """A workbook file read with python-calamine and written by patching its zip; ``save(path)``."""

    def __init__(self, path: str | Path, limits: Limits = DEFAULT_LIMITS):
        from ..read.guard import package_problem, path_problem, zip_problem
        from ..read.xlsx_xml import read_workbook_xml

        self.path = Path(path)
        refused = path_problem(self.path, limits)
        if refused:
            raise BookRefused(refused)
        self._data = self.path.read_bytes()          # read once: what we patch is what we read
        self._archive = zipfile.ZipFile(io.BytesIO(self._data))     # opened once, read by every step
        z = self._archive
        refused = zip_problem(z, limits)              # before any part is inflated
        if refused:
            raise BookRefused(refused)
        try:
            index = read_workbook_xml(z)
        except Exception:  # noqa: BLE001 - the guard measures every worksheet part instead, then this fails again
            index = None
        self._inflated: dict[str, bytes] = {}        # each sheet part inflated once: by the guard, for all
        refused = package_problem(z, limits, self._inflated, index.sheet_paths if index else None)
        if refused:
            raise BookRefused(refused)
        index = index or read_workbook_xml(z)
        self._names = z.namelist()
        self._names_defined = index.defined_names
        self._workbook = z.read("xl/workbook.xml").decode("utf-8")
        self._book_rels = Rels(z.read("xl/_rels/workbook.xml.rels").decode("utf-8"))
        worksheets = {_resolve("xl/workbook.xml", r.get("Target", "")) for r in self._book_rels.all()
                      if r.get("Type", "").endswith("/worksheet")}          # not a chart sheet: no cells
        self._parts = {name: part for name, part in index.sheet_paths.items()
                       if part in self._names and part in worksheets}
        self._types = z.read("[Content_Types].xml").decode("utf-8")
        self._comments: dict[str, SheetComments] = {}
        self._idmaps_given: list[int] = []           # blocks of VML shape ids new drawings took
        try:                                         # what we may patch, parsed now: a part we could not
            self._styles = StylesXml(self._read_part(self._styles_part()) or "")      # patch fails the open
            self._sheets = {name: SheetXml(self._read_part(part)) for name, part in self._parts.items()}
        except (ValueError, KeyError) as exc:
            raise PackageError(f"文件包无法修改 / the package cannot be patched: {exc}"[:300]) from exc
        self._grids = _read_grids(self._data, z, self._parts, self._inflated)
        self._order = [g.name for g in self._grids]
        self._by_name = {g.name: g for g in self._grids}
        self._put: dict[str, tuple[Sequence[Sequence[Any]], dict[tuple[int, int], Link], Sequence[float]]] = {}

    @classmethod
    def open(cls, path: str | Path, limits: Limits = DEFAULT_LIMITS) -> "PackageBook":
        return cls(path, limits)

    # -- parts -------------------------------------------------------------------------------------
    def _read_part(self, name: str) -> str | None:
        if name not in self._names:
            return None
        data = self._inflated.get(name)
        return (data if data is not None else self._archive.read(name)).decode("utf-8")

    def _styles_part(self) -> str:
        found = self._book_rels.target(f"{REL_NS}/styles")
        if found is None:
            raise ValueError("workbook without a styles part")
        return _resolve("xl/workbook.xml", found[1])

    def _sheet_comments(self, sheet: str) -> SheetComments:
        if sheet not in self._comments:
            part = self._parts[sheet]
            rels = Rels(self._read_part(_rels_of(part)))
            found = rels.target(COMMENTS_TYPE)
            self._comments[sheet] = SheetComments(self._read_part(_resolve(part, found[1])) if found else None)
        return self._comments[sheet]

    # -- cells -------------------------------------------------------------------------------------
    def _anchor(self, sheet: str, ref: str) -> tuple[int, int]:
        """(row, col) of ``ref``; inside a merged range, the range's first cell (the one that holds it)."""
        r, c = parse_ref(ref)
        for r0, c0, r1, c1 in self._by_name[sheet].merged:
            if r0 <= r <= r1 and c0 <= c <= c1:
                return r0, c0
        return r, c

    def _ref(self, sheet: str, ref: str) -> str:
        r, c = self._anchor(sheet, ref)
        return f"{column_letter(c)}{r + 1}"

    def sheet_names(self) -> list[str]:
        return list(self._order)

    def read(self, sheet: str, ref: str) -> CellContent:
        grid = self._by_name[sheet]
        r, c = self._anchor(sheet, ref)
        value = grid.value(r, c)
        return CellContent(value, grid.formula(r, c))

    def _set_grid(self, sheet: str, r: int, c: int, value: Any) -> None:
        rows = self._by_name[sheet].rows
        while len(rows) <= r:
            rows.append([])
        while len(rows[r]) <= c:
            rows[r].append(None)
        rows[r][c] = value

    def write(self, sheet: str, ref: str, value: Any) -> None:
        r, c = self._anchor(sheet, ref)
        value = plain_value(value)
        self._sheets[sheet].set_value(f"{column_letter(c)}{r + 1}", value)
        self._set_grid(sheet, r, c, value)
        formulas = self._by_name[sheet].formulas
        if formulas is not None:
            formulas.pop((r, c), None)

    def store_result(self, sheet: str, ref: str, value: Any) -> None:
        r, c = self._anchor(sheet, ref)
        value = plain_value(value)
        self._sheets[sheet].set_result(f"{column_letter(c)}{r + 1}", value)
        self._set_grid(sheet, r, c, value)

    # -- names -------------------------------------------------------------------------------------
    def defined_names(self) -> dict[str, str]:
        return dict(self._names_defined)

    # -- marks -------------------------------------------------------------------------------------
    def comment(self, sheet: str, ref: str) -> str:
        return self._sheet_comments(sheet).text(self._ref(sheet, ref))

    def set_comment(self, sheet: str, ref: str, text: str) -> None:
        self._sheet_comments(sheet).set(self._ref(sheet, ref), text)

    def fill(self, sheet: str, ref: str) -> str | None:
        return self._styles.color(self._sheets[sheet].style(self._ref(sheet, ref)))

    def set_fill(self, sheet: str, ref: str, color: str) -> None:
        ref = self._ref(sheet, ref)
        xml = self._sheets[sheet]
        xml.set_style(ref, self._styles.with_fill(xml.style(ref), color))

    # -- sheets ------------------------------------------------------------------------------------
    def put_sheet(self, name: str, rows: Sequence[Sequence[Any]], links: dict[tuple[int, int], Link],
                  widths: Sequence[float] = ()) -> None:
        values = [[plain_value(v) for v in row] for row in rows]
        self._put[name] = (values, dict(links), tuple(widths))
        grid = Grid(name, values, {}, [])
        if name not in self._by_name:
            self._order.append(name)
        self._by_name[name] = grid

    def grids(self) -> list[Grid]:
        return [self._by_name[name] for name in self._order]

    # -- file --------------------------------------------------------------------------------------
    def save(self, path: str | Path) -> None:
        """Write the patched package to ``path`` (a new file; the source is only read). Once per book: the
        new parts are added to the index as the save writes them, and a second save would add them
        again. Raises :class:`PackageError` (an OSError, as a failed write is) when a part cannot be
        patched."""
        try:
            self._save(path)
        except (ValueError, KeyError, IndexError, AttributeError, RuntimeError, zipfile.BadZipFile) as exc:
            # RuntimeError: zipfile's "encrypted, password required" for a member (a package may hold none)
            raise PackageError(f"文件包无法修改 / the package cannot be patched: {type(exc).__name__}: {exc}"[:300]) \
                from exc

    def _save(self, path: str | Path) -> None:
        parts: dict[str, bytes] = {}
        dropped: set[str] = set()
        taken = {n.lower() for n in self._names}

        def new_name(pattern: str) -> str:
            n = 1
            while pattern.format(n).lower() in taken:
                n += 1
            taken.add(pattern.format(n).lower())
            return pattern.format(n)

        legacy: dict[str, str] = {}          # sheet → the relationship of the comment drawing it gains
        for sheet, comments in self._comments.items():
            if comments.changed:
                self._save_comments(sheet, comments, parts, new_name, legacy)
        for sheet, xml in self._sheets.items():            # each changed sheet serialised once
            if xml.changed or sheet in legacy:
                text = xml.text()
                parts[self._parts[sheet]] = (_add_legacy_drawing(text, legacy[sheet]) if sheet in legacy
                                             else text).encode("utf-8")
        if self._put:
            self._save_put_sheets(parts, new_name)
        if self._styles.changed:
            parts[self._styles_part()] = self._styles.text().encode("utf-8")
        if any(x.formulas_removed for x in self._sheets.values()):
            chain = self._book_rels.target(f"{REL_NS}/calcChain")
            if chain:
                dropped.add(_resolve("xl/workbook.xml", chain[1]))
                self._book_rels.drop(f"{REL_NS}/calcChain")
                self._types = re.sub(r'<Override\b[^>]*PartName="/xl/calcChain.xml"[^>]*/>', "", self._types)
        self._workbook = _full_calc_on_load(self._workbook)
        parts["xl/workbook.xml"] = self._workbook.encode("utf-8")
        if self._book_rels.changed:
            parts["xl/_rels/workbook.xml.rels"] = self._book_rels.text.encode("utf-8")
        parts["[Content_Types].xml"] = self._types.encode("utf-8")
        _write_zip(self._archive, Path(path), parts, dropped)

    def _add_type(self, part: str, content_type: str) -> None:
        self._types = self._types.replace(
            "</Types>", f'<Override PartName="/{part}" ContentType="{content_type}"/></Types>')

    def _save_comments(self, sheet: str, comments: SheetComments, parts: dict[str, bytes], new_name,
                       legacy: dict[str, str]) -> None:
        """The sheet's comments part, its VML drawing and relationships; a sheet without a comment drawing
        gets one (its ``<legacyDrawing>``'s relationship id goes into ``legacy``, for the one
        serialisation of the sheet)."""
        part = self._parts[sheet]
        rels_part = _rels_of(part)
        rels = Rels(self._read_part(rels_part))
        found = rels.target(COMMENTS_TYPE)
        if found:
            comments_part = _resolve(part, found[1])
        else:
            comments_part = new_name("xl/comments/comment{}.xml")
            rels.add(COMMENTS_TYPE, "/" + comments_part)
            self._add_type(comments_part, CT_COMMENTS)
        parts[comments_part] = comments.comments_xml().encode("utf-8")
        drawing = rels.target(VML_TYPE)
        if drawing and _LEGACY.search(self._sheets[sheet].source):     # outside sheetData: ours never moves it
            vml_part = _resolve(part, drawing[1])
            vml = self._read_part(vml_part)
        else:
            vml_part, vml = new_name("xl/drawings/vmlDrawing{}.vml"), None
            rel_id = rels.add(VML_TYPE, "/" + vml_part)
            if not re.search(r'<Default\b[^>]*Extension="vml"', self._types, re.I):
                self._types = self._types.replace(
                    "</Types>", f'<Default Extension="vml" ContentType="{CT_VML}"/></Types>')
            legacy[sheet] = rel_id
        parts[vml_part] = comments.drawing_xml(vml, self._free_idmap()).encode("utf-8")
        if rels.changed:
            parts[rels_part] = rels.text.encode("utf-8")

    def _free_idmap(self) -> int:
        """A block of VML shape ids that no drawing of the package uses, nor a drawing made before it."""
        used = [0, *self._idmaps_given]
        for name in self._names:
            if name.lower().endswith(".vml"):
                text = self._archive.read(name).decode("utf-8", errors="replace")
                used += [int(x) for m in re.findall(r'idmap\b[^>]*data="([\d,\s]+)"', text)
                         for x in m.split(",") if x.strip().isdigit()]
        self._idmaps_given.append(max(used) + 1)
        return self._idmaps_given[-1]

    def _save_put_sheets(self, parts: dict[str, bytes], new_name) -> None:
        styles = self._styles
        entries = _SHEET_ENTRY.findall(self._workbook)
        for name, (rows, links, widths) in self._put.items():
            if name in self._parts:
                part = self._parts[name]
                index = next(i for i, e in enumerate(entries) if _unescape(attrs_of(e).get("name", "")) == name)
            else:
                part = new_name("xl/worksheets/sheet{}.xml")
                rel_id = self._book_rels.add(WORKSHEET_TYPE, "/" + part)
                self._workbook = _add_sheet_entry(self._workbook, name, rel_id)
                self._add_type(part, CT_WORKSHEET)
                entries = _SHEET_ENTRY.findall(self._workbook)
                index = len(entries) - 1
            parts[part] = results_sheet_xml(rows, links, widths, styles.bold(), styles.link()).encode("utf-8")
            self._workbook = _print_titles(self._workbook, name, index)


# --------------------------------------------------------------------------- reading

def _read_grids(data: bytes, z: zipfile.ZipFile, parts: dict[str, str], inflated: dict[str, bytes]) -> list[Grid]:
    """Every worksheet: values from python-calamine, formulas and number formats from its XML (the same
    formats :func:`read.read_workbook` gives check, so score reads each value as check does); a sheet's
    XML from ``inflated`` where the guard inflated it already."""
    from python_calamine import CalamineWorkbook, SheetTypeEnum, SheetVisibleEnum

    from ..read.xlsx_xml import scan_sheet, style_number_formats

    grids = []
    try:
        styles: list[str] | None = style_number_formats(z)
    except Exception:  # noqa: BLE001 - values are still good without formats (then unknown, as for .xls)
        styles = None
    book = CalamineWorkbook.from_filelike(io.BytesIO(data))     # read from memory: no file to close
    for meta in book.sheets_metadata:
        if meta.typ != SheetTypeEnum.WorkSheet:
            continue
        sheet = book.get_sheet_by_name(meta.name)
        rows = [[None if v == "" else v for v in row]
                for row in sheet.to_python(skip_empty_area=False, nrows=MAX_ROWS)]
        merged = [(a[0], a[1], b[0], b[1]) for a, b in (sheet.merged_cell_ranges or [])]
        part = parts.get(meta.name)
        formulas, formats = (scan_sheet(inflated.get(part) or z.read(part), styles, MAX_ROWS) if part
                             else ({}, None))
        grids.append(Grid(meta.name, rows, formulas, merged, meta.visible != SheetVisibleEnum.Visible,
                          formats=formats))
    return grids


def _unescape(text: str) -> str:
    import html

    return html.unescape(text)


# --------------------------------------------------------------------------- writing the workbook index

def _prefixes(workbook: str) -> tuple[str, str]:
    """(main-namespace prefix with its colon, relationships prefix) as ``workbook.xml`` declares them."""
    root = re.search(r"<(\w+:)?workbook\b([^>]*)>", workbook)
    rel = re.search(rf'xmlns:(\w+)="{re.escape(REL_NS)}"', root.group(2)) if root else None
    return (root.group(1) or "") if root else "", rel.group(1) if rel else ""


def _add_sheet_entry(workbook: str, name: str, rel_id: str) -> str:
    p, r = _prefixes(workbook)
    ids = [int(attrs_of(e).get("sheetId", "0") or 0) for e in _SHEET_ENTRY.findall(workbook)]
    rel = f'{r}:id="{rel_id}"' if r else f'xmlns:r="{REL_NS}" r:id="{rel_id}"'
    entry = f'<{p}sheet name="{xml_attr(name)}" sheetId="{max(ids, default=0) + 1}" {rel}/>'
    end = re.search(rf"</{p}sheets>", workbook)
    return workbook[:end.start()] + entry + workbook[end.start():]


def _print_titles(workbook: str, name: str, index: int) -> str:
    """The results sheet prints its header row on every page (a sheet-local ``_xlnm.Print_Titles``)."""
    p, _ = _prefixes(workbook)
    if re.search(rf'<{p}definedName\b[^>]*name="_xlnm.Print_Titles"[^>]*localSheetId="{index}"', workbook) or \
            re.search(rf'<{p}definedName\b[^>]*localSheetId="{index}"[^>]*name="_xlnm.Print_Titles"', workbook):
        return workbook
    quoted = "'" + name.replace("'", "''") + "'"
    item = f'<{p}definedName name="_xlnm.Print_Titles" localSheetId="{index}">{xml_attr(quoted)}!$1:$1</{p}definedName>'
    end = re.search(rf"</{p}definedNames>", workbook)
    if end:
        return workbook[:end.start()] + item + workbook[end.start():]
    empty = re.search(rf"<{p}definedNames\b[^>]*/>", workbook)         # openpyxl writes <definedNames />
    start, stop = (empty.start(), empty.end()) if empty else (_after_sheets(workbook, p),) * 2
    return workbook[:start] + f"<{p}definedNames>{item}</{p}definedNames>" + workbook[stop:]


def _after_sheets(workbook: str, p: str) -> int:
    """Where ``definedNames`` goes: after ``sheets`` and any ``functionGroups`` / ``externalReferences``."""
    ends = [m.end() for m in re.finditer(rf"</{p}sheets>|<{p}functionGroups\b[^>]*/>|</{p}functionGroups>|"
                                         rf"</{p}externalReferences>", workbook)]
    return max(ends)


def _full_calc_on_load(workbook: str) -> str:
    p, _ = _prefixes(workbook)
    calc = re.search(rf"<{p}calcPr\b([^>]*?)(/?)>", workbook)
    if calc:
        attrs = {**attrs_of(calc.group(1)), "fullCalcOnLoad": "1"}
        return workbook[:calc.start()] + f"<{p}calcPr{attrs_text(attrs)}{calc.group(2)}>" + workbook[calc.end():]
    names = re.search(rf"</{p}definedNames>|<{p}definedNames\b[^>]*/>", workbook)
    at = names.end() if names else _after_sheets(workbook, p)
    return workbook[:at] + f'<{p}calcPr fullCalcOnLoad="1"/>' + workbook[at:]


def _add_legacy_drawing(sheet: str, rel_id: str) -> str:
    """``<legacyDrawing>`` in its place in the schema's order: after the drawing and page setup, before
    any header/footer picture, controls, tables and the sheet's own ``extLst``."""
    prefix = re.search(r"<(\w+:)?worksheet\b([^>]*)>", sheet)
    p = (prefix.group(1) or "") if prefix else ""
    rel = re.search(rf'xmlns:(\w+)="{re.escape(REL_NS)}"', prefix.group(2)) if prefix else None
    rid = f'{rel.group(1)}:id="{rel_id}"' if rel else f'xmlns:r="{REL_NS}" r:id="{rel_id}"'
    before = max(m.end() for m in _BEFORE_LEGACY.finditer(sheet))   # past nested extLst; </sheetData> is always there
    at = _AFTER_LEGACY.search(sheet, before)
    return sheet[:at.start()] + f"<{p}legacyDrawing {rid}/>" + sheet[at.start():]


def results_sheet_xml(rows: Sequence[Sequence[Any]], links: dict[tuple[int, int], Link], widths: Sequence[float],
                      bold: int, link: int) -> str:
    """The 检查结果 worksheet: a bold header row frozen at the top, links to the marked cells, column
    widths (0 hides a column), printed landscape one page wide."""
    from ..core.model import quote_sheet

    cells_xml = []
    for r, row in enumerate(rows):
        cells = []
        for c, value in enumerate(row):
            style = bold if r == 0 else (link if (r, c) in links else 0)
            kind, body = value_xml(value)
            attrs = {"r": f"{column_letter(c)}{r + 1}", **({"s": str(style)} if style else {}),
                     **({"t": kind} if kind else {})}
            cells.append(f"<c{attrs_text(attrs)}/>" if body is None else f"<c{attrs_text(attrs)}>{body}</c>")
        cells_xml.append(f'<row r="{r + 1}">{"".join(cells)}</row>')
    cols = "".join(f'<col min="{c}" max="{c}" width="{w}" customWidth="1"/>' if w else
                   f'<col min="{c}" max="{c}" width="0" hidden="1" customWidth="1"/>'
                   for c, w in enumerate(widths, start=1))
    hyperlinks = "".join(
        f'<hyperlink ref="{column_letter(c)}{r + 1}" location="{xml_attr(quote_sheet(l.sheet) + "!" + l.ref)}" '
        f'display="{xml_attr(str(rows[r][c] or ""))}"/>' for (r, c), l in sorted(links.items()))
    width = max((len(r) for r in rows), default=1)
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<worksheet xmlns="{MAIN_NS}" xmlns:r="{REL_NS}"><sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>'
            f'<dimension ref="A1:{column_letter(max(width, 1) - 1)}{max(len(rows), 1)}"/>'
            '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" '
            'state="frozen"/><selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>'
            '<sheetFormatPr defaultRowHeight="15"/>'
            + (f"<cols>{cols}</cols>" if cols else "")
            + f'<sheetData>{"".join(cells_xml)}</sheetData>'
            + (f"<hyperlinks>{hyperlinks}</hyperlinks>" if hyperlinks else "")
            + '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>'
            '<pageSetup orientation="landscape" fitToWidth="1" fitToHeight="0"/></worksheet>')


def _write_zip(source: zipfile.ZipFile, target: Path, parts: dict[str, bytes], dropped: set[str]) -> None:
    """Every member of ``source`` in its order: replaced by ``parts`` where given, else copied as its
    compressed bytes (:func:`_copy_raw`); then the new parts. ``source`` stays open (the book reads on)."""
    zin = source
    with zipfile.ZipFile(target, "w") as zout:
        for info in zin.infolist():
            if info.filename in dropped:
                continue
            if info.filename not in parts and _copy_raw(zin, info, zout):
                continue
            copy = zipfile.ZipInfo(info.filename, info.date_time)
            copy.compress_type, copy.external_attr, copy.create_system = \
                info.compress_type, info.external_attr, info.create_system
            zout.writestr(copy, parts[info.filename] if info.filename in parts else zin.read(info))
        for name in [n for n in parts if n not in zin.NameToInfo]:
            zout.writestr(name, parts[name], compress_type=zipfile.ZIP_DEFLATED)


_LOCAL_HEADER = struct.Struct("<4s5H3L2H")


def _copy_raw(zin: zipfile.ZipFile, info: zipfile.ZipInfo, zout: zipfile.ZipFile) -> bool:
    """Copy a member's compressed bytes as they are (no inflate, no deflate: the very bytes of the
    source). zipfile has no public call for this; we write the local header with ``ZipInfo.FileHeader``
    and register the entry for the central directory as ``writestr`` does (``filelist``, ``start_dir``;
    not ``NameToInfo``, read only to warn of a name written twice, which a package we opened cannot
    hold). False — and the caller recompresses — for what we do not copy raw: encrypted or zip64
    members, a member whose local header is not where the directory says."""
    if info.flag_bits & 0x1 or max(info.file_size, info.compress_size, info.header_offset) > zipfile.ZIP64_LIMIT:
        return False
    zin.fp.seek(info.header_offset)
    header = _LOCAL_HEADER.unpack(zin.fp.read(_LOCAL_HEADER.size))
    if header[0] != b"PK\x03\x04":
        return False
    zin.fp.seek(info.header_offset + _LOCAL_HEADER.size + header[9] + header[10])
    raw = zin.fp.read(info.compress_size)
    copy = zipfile.ZipInfo(info.filename, info.date_time)
    for field in ("compress_type", "external_attr", "create_system", "create_version", "extract_version",
                  "CRC", "compress_size", "file_size", "extra", "comment", "internal_attr"):
        setattr(copy, field, getattr(info, field))
    copy.flag_bits = info.flag_bits & ~0x08            # sizes in the local header: no data descriptor
    copy.header_offset = zout.fp.tell()
    zout.fp.write(copy.FileHeader())
    zout.fp.write(raw)
    zout.filelist.append(copy)                         # what close() writes the central directory from
    zout.start_dir = zout.fp.tell()
    return True


def write_patched(source: bytes, target: str | Path, parts: dict[str, bytes]) -> None:
    """Write the package ``source`` to ``target`` with ``parts`` replaced (or added); every other member
    copied as its compressed bytes. For a package we built ourselves (``fill``'s template)."""
    _write_zip(zipfile.ZipFile(io.BytesIO(source)), Path(target), parts, set())
