"""The 口径 list as an Excel workbook: written as an example a bureau edits, read back like the YAML.

Why Excel: a bureau keeps its review practice in a spreadsheet, not in YAML. The workbook has one row
per 口径 (代码, 名称, 表述, 效果, 保留比例, 扣减分, 问题等级, 复核维度, 处理建议, 依据, 计入无佐证), drop-downs
for the closed columns, and is read into the same raw entries :func:`.config.rules_of` validates for
the YAML, so a bad row is said at its row. It is a file that travelled: the guards every input passes
run before openpyxl opens it, and at most ``limits.rows`` rows are read.
"""
from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

from ..core.datafiles import DataFileError
from ..core.limits import DEFAULT_LIMITS, Limits
from ..files.outputs import replacing
from ..files.ownfiles import mark_openpyxl
from ..core.sanitize import write_openpyxl
from ..core.textwidth import lines_needed
from .config import EFFECTS, LEVELS, ReviewRules
from .readback import SheetError, guard_xlsx
from .style import Style

KIND = "复核口径"
SHEET = "口径"
COLUMNS = (("code", "代码", 7), ("name", "名称", 16), ("wording", "表述", 40), ("effect", "效果", 11),
           ("keep", "保留比例", 8), ("deduct", "扣减分", 7), ("level", "问题等级", 8), ("dimension", "复核维度", 9),
           ("advice", "处理建议", 30), ("source", "依据", 40), ("no_evidence", "计入无佐证", 9))
"""(key of the YAML entry, the header a bureau reads, the column's width)."""
YES = ("是", "√", "y", "yes", "true", "1")
NOTE = ("每行一条口径。效果：不得分 / 按比例保留（填保留比例，如 0.7）/ 扣分（填扣减分）/ 不影响得分 / 酌情评分；"
        "问题等级 P0 最严重；计入无佐证填“是”的口径计入自评质量的无佐证占比；依据必填（注明文件或“地方做法”）。"
        "保存后在网页“复核”页上传，或用 selfeval review … --rules 本文件.xlsx。")


def write_template(rules: ReviewRules, path: str | Path) -> Path:
    """The 口径 of ``rules`` as an editable workbook (``selfeval review kouji-template``)."""
    from openpyxl import Workbook
    from openpyxl.worksheet.datavalidation import DataValidation

    from ..report.printing import setup_print

    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    style = Style()
    write_openpyxl(ws["A1"], NOTE)
    ws["A1"].font, ws["A1"].alignment = style.note, style.left
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(COLUMNS))
    ws.row_dimensions[1].height = 42
    for c, (_, header, width) in enumerate(COLUMNS, start=1):
        cell = ws.cell(2, c)
        write_openpyxl(cell, header)
        cell.font, cell.fill, cell.alignment, cell.border = style.head_font, style.fills["head"], style.center, style.border
        ws.column_dimensions[cell.column_letter].width = width
    for r, basis in enumerate(rules.bases, start=3):
        values = {"code": basis.code, "name": basis.name, "wording": basis.wording, "effect": EFFECTS[basis.effect],
                  "keep": basis.keep if basis.effect == "share" else None,
                  "deduct": basis.deduct if basis.effect == "deduct" else None, "level": basis.level,
                  "dimension": basis.dimension, "advice": basis.advice, "source": basis.source,
                  "no_evidence": "是" if basis.no_evidence else "否"}
        for c, (key, _, _) in enumerate(COLUMNS, start=1):
            cell = ws.cell(r, c)
            write_openpyxl(cell, values[key])
            cell.font, cell.alignment, cell.border = style.font, style.left, style.border
        lines = max(lines_needed(str(values[key] or ""), int(width) - 1) for key, _, width in COLUMNS)
        ws.row_dimensions[r].height = 13.5 * min(lines, 12)       # LibreOffice does not size rows it opens
    last = max(len(rules.bases) + 2, 200)
    for key, choices in (("effect", EFFECTS.values()), ("level", LEVELS), ("no_evidence", ("是", "否"))):
        letter = ws.cell(2, [k for k, _, _ in COLUMNS].index(key) + 1).column_letter
        rule = DataValidation(type="list", formula1='"' + ",".join(choices) + '"', allow_blank=True)
        rule.add(f"{letter}3:{letter}{last}")
        ws.add_data_validation(rule)
    ws.freeze_panes = "C3"
    setup_print(ws, "复核口径", landscape=True, header_rows="2:2", date=datetime.date.today())
    wb.properties.creator = "selfeval-xl"
    wb.properties.title = KIND
    mark_openpyxl(wb, KIND)
    with replacing(path) as temporary:
        wb.save(temporary)
    return Path(path)


def read_bases(path: str | Path, limits: Limits = DEFAULT_LIMITS) -> list[tuple[str, dict[str, Any]]]:
    """Each row of the 口径 sheet as a raw entry (``("口径 第 5 行", {...})``) for :func:`.config.rules_of`;
    a file that is not such a workbook raises :class:`DataFileError` saying why."""
    from openpyxl import load_workbook

    source = str(path)
    try:
        guard_xlsx(path, limits)
        wb = load_workbook(path, read_only=True, data_only=True)
    except SheetError as exc:
        raise DataFileError(source, [str(exc)]) from None
    except Exception as exc:  # noqa: BLE001 - a file that travelled: openpyxl's failure is its verdict
        raise DataFileError(source, [f"无法作为 .xlsx 打开（{type(exc).__name__}）"]) from None
    try:
        ws = wb[SHEET] if SHEET in wb.sheetnames else wb.worksheets[0]
        rows = ws.iter_rows(max_row=limits.rows, max_col=len(COLUMNS) + 5, values_only=True)
        columns, entries = None, []
        for r, line in enumerate(rows, start=1):
            texts = [_text(v) for v in line]
            if columns is None:
                columns = _header(texts)
                continue
            if any(texts):
                entries.append((f"{ws.title} 第 {r} 行", _entry(texts, columns)))
    finally:
        wb.close()
    if columns is None:
        raise DataFileError(source, [f"没有找到表头行（{'、'.join(h for _, h, _ in COLUMNS)}）"])
    return entries


def _text(value: Any) -> str:
    return "" if value is None else " ".join(str(value).split())


def _header(texts: list[str]) -> dict[str, int] | None:
    """The columns of a header row (every header present, in any order), or None for another row."""
    at = {text: i for i, text in enumerate(texts) if text}
    if not all(header in at for _, header, _ in COLUMNS):
        return None
    return {key: at[header] for key, header, _ in COLUMNS}


def _entry(texts: list[str], columns: dict[str, int]) -> dict[str, Any]:
    """One row as the YAML would say it: the effect's Chinese word as its key, numbers as numbers."""
    raw: dict[str, Any] = {key: texts[i] if i < len(texts) else "" for key, i in columns.items()}
    by_word = {word: key for key, word in EFFECTS.items()}
    raw["effect"] = by_word.get(raw["effect"], raw["effect"])
    for key in ("keep", "deduct"):
        raw[key] = _number(raw[key])
    raw["no_evidence"] = raw["no_evidence"].lower() in YES
    return raw


def _number(text: str) -> Any:
    """A number typed (``0.7``, ``70%``), else the text itself (which the validation then names)."""
    if not text:
        return None
    try:
        return float(text[:-1]) / 100 if text.endswith(("%", "％")) else float(text)
    except ValueError:
        return text
