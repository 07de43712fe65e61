"""Which files a run looks at: the workbook suffixes, and the scan of the paths and folders given.

Why apart from the batch: the writers (never over an input), the report (a workbook it may overwrite) and
the narrative (reports in folders) ask the same question, which file is a submission; one low module
answers it for all of them, and none of them has to import the orchestrator.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from .ownfiles import own_name_reason

SUFFIXES = (".xlsx", ".xlsm", ".xls")
OTHER_SPREADSHEETS = (".et", ".xlsb", ".ods")
"""Spreadsheets a folder may hold that are not read (WPS's own format, Excel's binary one, OpenDocument):
found like workbooks so each gets a verdict that says to save it as .xlsx, instead of being passed over."""


@dataclass
class Found:
    """What a scan found: every path to give a verdict (in order), our own files among them by name
    (path → why it is ours: a backup, a temporary), which are listed as skipped and never read as
    submissions, and the paths found inside folders, where a workbook that carries our output mark (a
    report) is skipped too (its worker sees the mark in the zip it opens anyway)."""

    paths: list[Path] = field(default_factory=list)
    own: dict[Path, str] = field(default_factory=dict)
    in_folders: set[Path] = field(default_factory=set)
    unlisted: dict[Path, str] = field(default_factory=dict)    # a folder that could not be listed → why


def scan(paths: Iterable[str | Path], exclude: Iterable[str | Path] = ()) -> Found:
    """Files given, and every entry with a workbook suffix under folders given (recursively, sorted;
    links found inside are not followed into folders). A FIFO, a link or a folder named ``x.xlsx`` is kept: it gets
    an ``unreadable`` verdict, not silence. Skipped without a line: Excel's lock files (``~$…``) and
    ``exclude`` (the outputs of this run). The same file given twice (another spelling, a link) is
    kept once. Our own files found in a folder are marked: backups and temporaries in ``own``, and
    every path of a folder in ``in_folders`` (a report among them is known when it is read); a file named
    explicitly is checked whatever it is (the user asked for it). A folder that cannot be listed (no
    permission) is a path of its own with the reason in ``unlisted``: its files are not silently left out."""
    skip = {_identity(p) for p in exclude}
    found = Found()
    seen: set[str] = set()
    for raw in paths:
        path = Path(raw)
        in_folder = path.is_dir()
        listed = (_under(path, SUFFIXES + OTHER_SPREADSHEETS, found.unlisted) if in_folder
                  else [(path, _identity(path))])
        for candidate, key in listed:
            if candidate.name.startswith("~$") or key in skip or key in seen:
                continue
            seen.add(key)
            found.paths.append(candidate)
            if in_folder:
                found.in_folders.add(candidate)
                why = own_name_reason(candidate)
                if why:
                    found.own[candidate] = why
    return found


def find_workbooks(paths: Iterable[str | Path], exclude: Iterable[str | Path] = ()) -> list[Path]:
    """The paths :func:`scan` finds (our own files included: see :attr:`Found.own`)."""
    return scan(paths, exclude).paths


def files_under(folder: Path, suffixes: tuple[str, ...] = SUFFIXES) -> list[Path]:
    """Every entry with one of ``suffixes`` under ``folder``, sorted (links listed, not followed)."""
    return [path for path, _ in _under(folder, suffixes)]


def _under(folder: Path, suffixes: tuple[str, ...] = SUFFIXES, unlisted: dict[Path, str] | None = None
           ) -> list[tuple[Path, str]]:
    """(path, identity) of every entry with a workbook suffix under ``folder``, sorted by path; links are
    listed, not followed into folders. The identity is the real path, made from each folder's real path
    and the entry's name (a link's own target resolved): one ``realpath`` per folder and per link, not
    several system calls per file. A folder that cannot be listed is an entry too, its reason in
    ``unlisted``."""
    entries = []
    folders = [(str(folder), os.path.realpath(folder))]
    while folders:
        where, real = folders.pop()
        try:
            with os.scandir(where) as listing:
                for entry in listing:
                    link = entry.is_symlink()
                    if not link and entry.is_dir(follow_symlinks=False):
                        folders.append((entry.path, os.path.join(real, entry.name)))
                    if os.path.splitext(entry.name)[1].lower() in suffixes:
                        identity = os.path.realpath(entry.path) if link else os.path.join(real, entry.name)
                        entries.append((Path(entry.path), identity))
        except OSError as exc:
            if unlisted is not None:
                unlisted[Path(where)] = f"文件夹无法打开（{exc.strerror or exc}），其中的工作簿未检查"
                entries.append((Path(where), real))
    return sorted(entries)


def _identity(path: str | Path) -> str:
    return os.path.realpath(path)

