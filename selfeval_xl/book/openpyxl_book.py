"""The workbook interface over a file, through openpyxl (batch ``score`` and the tests of the button).

Lossless where openpyxl allows: styles, merged cells, comments, data validation, defined names and
other sheets are kept by openpyxl itself; an .xlsm keeps its VBA project byte for byte (``keep_vba``);
the cached values of formula cells, which openpyxl drops, are put back after the save
(:mod:`.cached`), with the recomputed value wherever a score cell keeps its formula; a ribbon of the
workbook's own keeps its relationship (:mod:`.package`); and the comments of an .xlsm get one drawing
part per sheet, never two parts of one name (:mod:`.comment_drawings`).
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Sequence

from ..read.grid import Grid
from ..core.sanitize import write_openpyxl
from ..core.limits import DEFAULT_LIMITS, Limits
from . import CellContent, Link, plain_value, refuse_beyond
from .cached import Cached, from_python, read_cached, to_python, write_cached
from .comment_drawings import redraw_comment_drawings
from .package import check_unique_parts, restore_ui_relationships, ui_relationships

MACRO_SUFFIXES = (".xlsm", ".xltm")
AUTHOR = "selfeval"


class OpenpyxlBook:
    """A workbook file opened with openpyxl; ``save(path)`` writes it (and its cached values)."""

    def __init__(self, workbook: Any, cached: dict[str, dict[str, Cached]] | None = None,
                 ribbon: list[str] | None = None):
        self.wb = workbook
        self._cached = cached or {}
        self._ribbon = ribbon or []          # the source's ribbon relationships, for an .xlsm

    @classmethod
    def open(cls, path: str | Path, limits: Limits = DEFAULT_LIMITS) -> "OpenpyxlBook":
        from openpyxl import load_workbook

        path = Path(path)
        refuse_beyond(path, limits)
        macros = path.suffix.lower() in MACRO_SUFFIXES
        workbook = load_workbook(path, keep_vba=macros, keep_links=True, rich_text=True)
        return cls(workbook, read_cached(path), ui_relationships(path) if macros else None)

    # -- cells -------------------------------------------------------------------------------------
    def _cell(self, sheet: str, ref: str) -> Any:
        """The cell at ``ref``; inside a merged range, the range's first cell (the one that holds it)."""
        ws = self.wb[sheet]
        cell = ws[ref]
        if type(cell).__name__ == "MergedCell":
            for merged in ws.merged_cells.ranges:
                if ref in merged:
                    return ws.cell(merged.min_row, merged.min_col)
        return cell

    def sheet_names(self) -> list[str]:
        return list(self.wb.sheetnames)

    def read(self, sheet: str, ref: str) -> CellContent:
        value = self._cell(sheet, ref).value
        if _is_formula(value):
            cached = self._cached.get(sheet, {}).get(ref)
            return CellContent(to_python(cached) if cached else None, _formula_text(value))
        return CellContent(value, None)

    def write(self, sheet: str, ref: str, value: Any) -> None:
        self._cell(sheet, ref).value = plain_value(value)
        self._cached.get(sheet, {}).pop(ref, None)

    def store_result(self, sheet: str, ref: str, value: Any) -> None:
        cached = from_python(plain_value(value))
        if cached is None:
            self._cached.get(sheet, {}).pop(ref, None)
        else:
            self._cached.setdefault(sheet, {})[ref] = cached

    # -- names -------------------------------------------------------------------------------------
    def defined_names(self) -> dict[str, str]:
        return {name: dn.attr_text for name, dn in self.wb.defined_names.items() if dn.attr_text}

    # -- marks -------------------------------------------------------------------------------------
    def comment(self, sheet: str, ref: str) -> str:
        note = self._cell(sheet, ref).comment
        return note.text if note is not None else ""

    def set_comment(self, sheet: str, ref: str, text: str) -> None:
        from openpyxl.comments import Comment

        cell = self._cell(sheet, ref)
        if not text:
            cell.comment = None
            return
        author = cell.comment.author if cell.comment is not None and cell.comment.author else AUTHOR
        note = Comment(text, author)
        note.width, note.height = 300, max(80, 18 * (text.count("\n") + 2))
        cell.comment = note

    def fill(self, sheet: str, ref: str) -> str | None:
        fill = self._cell(sheet, ref).fill
        if fill is None or fill.fill_type is None:
            return ""
        color = fill.fgColor
        if fill.fill_type != "solid" or color is None:
            return None
        if color.type == "rgb" and isinstance(color.rgb, str):
            return color.rgb[-6:].upper()
        if color.type == "theme":                      # Excel's palette colours: kept as theme + tint
            return f"theme:{color.theme}:{color.tint:g}"
        if color.type == "indexed":
            return f"indexed:{color.indexed}"
        return None

    def set_fill(self, sheet: str, ref: str, color: str) -> None:
        from openpyxl.styles import Color, PatternFill

        if not color:
            self._cell(sheet, ref).fill = PatternFill(fill_type=None)
            return
        kind, _, rest = color.partition(":")
        if kind == "theme":
            theme, tint = rest.split(":")
            value = Color(theme=int(theme), tint=float(tint))
        elif kind == "indexed":
            value = Color(indexed=int(rest))
        else:
            value = Color(rgb="FF" + color)
        self._cell(sheet, ref).fill = PatternFill(fill_type="solid", fgColor=value, bgColor=value)

    # -- sheets ------------------------------------------------------------------------------------
    def put_sheet(self, name: str, rows: Sequence[Sequence[Any]], links: dict[tuple[int, int], Link],
                  widths: Sequence[float] = ()) -> None:
        from openpyxl.styles import Font
        from openpyxl.utils import get_column_letter
        from openpyxl.worksheet.hyperlink import Hyperlink

        from ..core.model import quote_sheet

        index = None
        if name in self.wb.sheetnames:
            index = self.wb.sheetnames.index(name)
            self.wb.remove(self.wb[name])
            self._cached.pop(name, None)
        ws = self.wb.create_sheet(name, index)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row, start=1):
                cell = ws.cell(r, c)
                write_openpyxl(cell, plain_value(value))      # text stays text, whatever it starts with
                if r == 1:
                    cell.font = Font(bold=True)
        for (r, c), link in links.items():
            cell = ws.cell(r + 1, c + 1)
            cell.hyperlink = Hyperlink(ref=cell.coordinate, location=f"{quote_sheet(link.sheet)}!{link.ref}",
                                       display=str(cell.value or ""))
            cell.font = Font(color="FF0563C1", underline="single")
        for c, width in enumerate(widths, start=1):
            dimension = ws.column_dimensions[get_column_letter(c)]
            dimension.width, dimension.hidden = (width, False) if width else (dimension.width, True)
        ws.freeze_panes = "A2"
        ws.page_setup.orientation = "landscape"            # printed: one page wide, as many pages long
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
        ws.print_title_rows = "1:1"

    def grids(self) -> list[Grid]:
        result = []
        for ws in self.wb.worksheets:
            rows: list[list[Any]] = []
            formulas: dict[tuple[int, int], str] = {}
            formats: dict[tuple[int, int], str] = {}        # as read.read_workbook gives them to check
            cached = self._cached.get(ws.title, {})
            for r, line in enumerate(ws.iter_rows(), start=0):
                values = []
                for c, cell in enumerate(line):
                    value = cell.value
                    if _is_formula(value):
                        formulas[(r, c)] = _formula_text(value)
                        hit = cached.get(cell.coordinate)
                        value = to_python(hit) if hit else None
                    elif value is not None and not isinstance(value, (str, int, float, bool)) \
                            and type(value).__name__ == "CellRichText":
                        value = str(value)
                    values.append(value)
                    if cell.number_format != "General":
                        formats[(r, c)] = cell.number_format
                rows.append(values)
            merged = [(m.min_row - 1, m.min_col - 1, m.max_row - 1, m.max_col - 1) for m in ws.merged_cells.ranges]
            result.append(Grid(ws.title, rows, formulas, merged, hidden=ws.sheet_state != "visible", formats=formats))
        return result

    # -- file --------------------------------------------------------------------------------------
    def save(self, path: str | Path) -> None:
        """Write the workbook to ``path``; Excel and LibreOffice are asked to recalculate on open.
        Raises :class:`~.package.DuplicatePartError` (an OSError) rather than leave a damaged package."""
        self.wb.calculation.fullCalcOnLoad = True
        redraw_comment_drawings(self.wb)
        self.wb.save(path)
        check_unique_parts(path)
        write_cached(path, self._cached)
        if self._ribbon:
            restore_ui_relationships(path, self._ribbon)


def _is_formula(value: Any) -> bool:
    from openpyxl.worksheet.formula import ArrayFormula

    return isinstance(value, ArrayFormula) or (isinstance(value, str) and value.startswith("=") and len(value) > 1)


def _formula_text(value: Any) -> str:
    text = getattr(value, "text", value)
    return text if text.startswith("=") else "=" + text
