"""Files this tool writes beside the submissions, recognisable so they are never taken for submissions
and never overwritten as if they were ours when they are not.

Why one module: ``score --in-place`` leaves ``表.bak.xlsx`` backups, a killed run may leave
``.~selfeval-*`` temporary files, and ``check``/``summary`` write report workbooks into the same folders
a bureau later scans again. Backups and temporaries are known by name; reports by a custom document
property (:data:`OUTPUT_PROPERTY`) that every report writer sets, read back from the small
``docProps/custom.xml`` part without opening the workbook.
"""
from __future__ import annotations

import re
import zipfile

from defusedxml.ElementTree import fromstring
from pathlib import Path

from ..core.sanitize import file_name

TEMP_PREFIX = ".~selfeval-"
BACKUP_NAME = re.compile(r"\.bak\d*\.(xlsx|xlsm|xls)$", re.IGNORECASE)
OUTPUT_PROPERTY = "selfeval-xl-output"
"""Name of the custom document property our report workbooks carry; its value says which output."""
CUSTOM_PART = "docProps/custom.xml"
MAX_CUSTOM_PART = 64 * 1024


def backup_name(path: Path, n: int) -> Path:
    """``表.bak.xlsx`` for the first backup, ``表.bak2.xlsx`` … after it: one safe name within the byte
    limit (:func:`~selfeval_xl.core.sanitize.file_name`), so a long name still has a backup."""
    return path.with_name(file_name(path.stem, f".bak{n if n > 1 else ''}{path.suffix}"))


def not_a_submission(reason: str) -> str:
    """What a skipped file of ours is listed with (the report's 状态 已跳过 and its reason)."""
    return f"{reason}，不是提交的自评表"


def own_name_reason(path: str | Path) -> str | None:
    """Why ``path`` is one of our files by its name alone (a temporary or a backup), without opening it."""
    name = Path(path).name
    if name.startswith(TEMP_PREFIX):
        return "本工具中断时留下的临时文件"
    if BACKUP_NAME.search(name):
        return "本工具评分时保存的原文件备份（.bak）"
    return None


def output_reason(zf: zipfile.ZipFile) -> str | None:
    """Why a workbook already open (the reader's) is one of our outputs (a report, a summary …), or None."""
    kind = output_kind_in(zf)
    return f"本工具生成的{kind}" if kind else None


def output_kind(path: str | Path) -> str | None:
    """The value of our output property when ``path`` is a workbook we wrote, else None. Never raises."""
    try:
        with zipfile.ZipFile(path) as zf:
            return output_kind_in(zf)
    except (OSError, zipfile.BadZipFile, ValueError, RuntimeError, NotImplementedError):
        return None


def output_kind_in(zf: zipfile.ZipFile) -> str | None:
    """:func:`output_kind` of an open zip."""
    try:
        info = zf.getinfo(CUSTOM_PART)
        if info.file_size > MAX_CUSTOM_PART:
            return None
        text = zf.read(info).decode("utf-8", errors="replace")
    except (OSError, KeyError, zipfile.BadZipFile, ValueError, RuntimeError, NotImplementedError, EOFError):
        return None
    try:
        root = fromstring(text)
    except Exception:  # noqa: BLE001 - a stranger's malformed or hostile part is simply not ours
        return None
    for prop in root:
        if prop.get("name") == OUTPUT_PROPERTY:
            return "".join(prop.itertext()).strip() or "报告"
    return None


def mark_openpyxl(workbook, kind: str) -> None:
    """Set our output property on an openpyxl Workbook before it is saved (``kind``: 检查报告, 汇总表 …)."""
    from openpyxl.packaging.custom import StringProperty

    workbook.custom_doc_props.append(StringProperty(name=OUTPUT_PROPERTY, value=kind))


def mark_xlsxwriter(workbook, kind: str) -> None:
    """Set our output property on an XlsxWriter Workbook before it is closed (the streamed report.xlsx)."""
    workbook.set_custom_property(OUTPUT_PROPERTY, kind)
