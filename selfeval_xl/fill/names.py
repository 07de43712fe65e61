"""File names for the workbooks fill writes: each the one safe name of its 单位 and 项目名称
(:func:`selfeval_xl.core.sanitize.file_name`), compared without regard to case (as Windows does), a repeat
getting ``（2）``, ``（3）`` … within the same byte limit.
"""
from __future__ import annotations

from pathlib import Path

from ..core.sanitize import file_name


class NamePicker:
    """Hands out file names in one folder: safe, unique (case-insensitively), never an existing file."""

    def __init__(self, folder: str | Path, overwrite: bool = False):
        self.folder = Path(folder)
        self.overwrite = overwrite
        self.taken: set[str] = set()
        self.existing = set() if overwrite else {p.name.casefold() for p in self.folder.iterdir()}

    def pick(self, name: str, suffix: str = ".xlsx") -> Path:
        candidate, n = file_name(name, suffix), 1
        while candidate.casefold() in self.taken | self.existing:
            n += 1
            candidate = file_name(name, f"（{n}）{suffix}")
        self.taken.add(candidate.casefold())
        return self.folder / candidate

    def plain(self, name: str, suffix: str = ".xlsx") -> str:
        """The file name ``name`` gets when nothing is in its way."""
        return file_name(name, suffix)

    def existed(self, name: str, suffix: str = ".xlsx") -> bool:
        """A file of ``name``'s plain file name was in the folder before (case aside; never when overwriting)."""
        return self.plain(name, suffix).casefold() in self.existing
