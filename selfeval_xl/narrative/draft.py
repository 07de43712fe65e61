"""``draft``: the 绩效自评报告 of each 单位, drafted from its checked tables.

Several 单位 in the paths: one report each into a folder (``<单位>绩效自评报告.docx``); a single
``.docx`` output for several 单位 is refused, never guessed.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from ..core.findings import Finding
from ..core.limits import DEFAULT_LIMITS, Limits
from ..core.sanitize import file_name
from .units import Unit, load_units

REPORT_SUFFIX = "绩效自评报告.docx"


class DraftError(ValueError):
    """The drafts cannot be written as asked (message in Chinese and English)."""


@dataclass
class Drafted:
    written: list[tuple[Unit, Path]] = field(default_factory=list)
    unreadable: list[Finding] = field(default_factory=list)     # files no 单位 was taken from


def report_name(unit: Unit) -> str:
    """``<单位><年>年度绩效自评报告.docx``: the 单位 as its table states it, made one safe file name
    (:func:`~selfeval_xl.core.sanitize.file_name`: ``../x`` from a stranger's table is a name, not a way out)."""
    return file_name(unit.name, f"{unit.year}年度{REPORT_SUFFIX}" if unit.year else REPORT_SUFFIX)


def targets(units: list[Unit], output: str | Path) -> list[Path]:
    """Where each unit's report goes: ``output`` itself (one unit, a .docx), or a file in the folder
    ``output`` names."""
    output = Path(output)
    if output.suffix.lower() == ".docx":
        if len(units) > 1:
            names = "、".join(u.name for u in units)
            raise DraftError(f"给出的表格属于 {len(units)} 个单位（{names}），每个单位一份报告：请用 -o 指定文件夹 / "
                             f"the tables belong to {len(units)} units: give a folder with -o, one report each")
        return [output]
    if output.suffix:
        raise DraftError(f"输出应为 .docx 文件或文件夹：{output} / the output must be a .docx file or a folder")
    return [output / report_name(u) for u in units]


def draft(paths: Iterable[str | Path], output: str | Path, system_ref: str | None = None,
          force: bool = False, limits: Limits = DEFAULT_LIMITS) -> Drafted:
    """Read and check the workbooks (in the batch's isolated workers, under ``limits``), group them by
    单位, write one report per 单位. (The writer is imported here: ``check`` imports this package for its
    report checks, and the .docx writer would bring urllib and its kin into every check run.)"""
    from .docx_writer import write_docx
    from .outline import outline

    units, unreadable = load_units(paths, system_ref, limits=limits)
    if not units:
        raise DraftError("没有找到任何单位的自评表 / no 自评表 of any unit found")
    places = targets(units, output)
    existing = [p for p in places if p.exists()]
    if existing and not force:
        raise DraftError(f"文件已存在，未覆盖（加 --force 覆盖）：{existing[0]} / file exists (use --force)")
    result = Drafted(unreadable=unreadable)
    for unit, place in zip(units, places):
        place.parent.mkdir(parents=True, exist_ok=True)
        result.written.append((unit, write_docx(outline(unit), place)))
    return result
