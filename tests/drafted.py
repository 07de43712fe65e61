"""One 单位's papers for the narrative tests: the demo's workbooks of that 单位, filled, and the
绩效自评报告 drafted from them (shared by the report checker's hostile tests and the web page's)."""
from __future__ import annotations

from pathlib import Path

from selfeval_xl.demo.data import generate, write_xlsx
from selfeval_xl.fill import fill
from selfeval_xl.narrative import draft


def unit_papers(root: Path, unit: str) -> tuple[list[Path], str, Path]:
    """(the 单位's workbooks, the 单位's name as drafted, its drafted .docx) under ``root``."""
    write_xlsx(generate(), root / "data.xlsx")
    assert fill(root / "data.xlsx", root / "all", year=2021).ok
    books = sorted((root / "all").glob(f"{unit}*.xlsx"))
    (name, report), = draft(books, root / "report.docx").written
    return books, name, report
