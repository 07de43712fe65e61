"""File names for the workbooks fill writes: Chinese kept, Windows-illegal characters replaced.

Why full-width look-alikes: a 项目名称 like ``办公设备购置（A/B包）`` should stay readable, so ``/`` becomes
``／`` rather than vanishing. Names that Windows reserves (CON, NUL, COM1 …) get a leading ``_``; names
are compared without regard to case (as Windows does) and a repeat gets ``（2）``, ``（3）`` …. A name
starting with ``-`` (a 单位 of ``-1+2``) gets a ``_`` too: ``selfeval check *.xlsx`` would read it as an
option.
"""
from __future__ import annotations

import re
from pathlib import Path

_LOOKALIKES = str.maketrans({"<": "＜", ">": "＞", ":": "：", '"': "＂", "/": "／", "\\": "＼", "|": "｜",
                             "?": "？", "*": "＊"})
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}
MAX_STEM = 120
"""Characters of a name before its suffix: room for a folder in Windows' 260-character paths."""


def safe_stem(name: str) -> str:
    """A file name stem that is legal on Windows, macOS and Linux, and never empty."""
    stem = _CONTROL.sub("", str(name).translate(_LOOKALIKES))
    stem = re.sub(r"\s+", " ", stem).strip().rstrip(". ")[:MAX_STEM].rstrip(". ")
    if stem.split(".")[0].upper() in _RESERVED or stem.startswith("-"):   # "-x.xlsx" reads as an option
        stem = "_" + stem
    return stem or "未命名"


class NamePicker:
    """Hands out file names in one folder: safe, unique (case-insensitively), never an existing file."""

    def __init__(self, folder: str | Path, overwrite: bool = False):
        self.folder = Path(folder)
        self.overwrite = overwrite
        self.taken: set[str] = set()
        self.existing = set() if overwrite else {p.name.casefold() for p in self.folder.iterdir()}

    def pick(self, name: str, suffix: str = ".xlsx") -> Path:
        stem = safe_stem(name)
        candidate, n = stem, 1
        while (candidate + suffix).casefold() in self.taken | self.existing:
            n += 1
            candidate = f"{stem}（{n}）"
        self.taken.add((candidate + suffix).casefold())
        return self.folder / (candidate + suffix)

    def existed(self, name: str, suffix: str = ".xlsx") -> bool:
        """A file of ``name``'s plain file name was in the folder before (case aside; never when overwriting)."""
        return (safe_stem(name) + suffix).casefold() in self.existing
