"""File names for the workbooks fill writes: each a safe stem of its 单位 and 项目名称
(:func:`selfeval_xl.sanitize.file_stem`), compared without regard to case (as Windows does), a repeat
getting ``（2）``, ``（3）`` ….
"""
from __future__ import annotations

from pathlib import Path

from ..sanitize import file_stem


class NamePicker:
    """Hands out file names in one folder: safe, unique (case-insensitively), never an existing file."""

    def __init__(self, folder: str | Path, overwrite: bool = False):
        self.folder = Path(folder)
        self.overwrite = overwrite
        self.taken: set[str] = set()
        self.existing = set() if overwrite else {p.name.casefold() for p in self.folder.iterdir()}

    def pick(self, name: str, suffix: str = ".xlsx") -> Path:
        stem = file_stem(name)
        candidate, n = stem, 1
        while (candidate + suffix).casefold() in self.taken | self.existing:
            n += 1
            candidate = f"{stem}（{n}）"
        self.taken.add((candidate + suffix).casefold())
        return self.folder / (candidate + suffix)

    def existed(self, name: str, suffix: str = ".xlsx") -> bool:
        """A file of ``name``'s plain file name was in the folder before (case aside; never when overwriting)."""
        return (file_stem(name) + suffix).casefold() in self.existing
