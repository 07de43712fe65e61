"""What the bureau takes out of a collection: the 单位' links as a workbook to send out, and one zip of
every 单位's latest files (each original and its scored copy) in a folder per 单位, built in the
background with its progress on the dashboard.

Why a registry in memory (:class:`ZipBuilds`): a zip is rebuilt on request from the files the store
keeps by content hash, so nothing about it needs to outlive the server; it is written under the
store's scratch folder, which a restart empties.
"""
from __future__ import annotations

import threading
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

from ..core.sanitize import file_name, write_openpyxl

LINK_HEADERS = ("单位", "提交链接", "状态", "截止日期")
LINK_WIDTHS = (34, 70, 10, 12)
SCORED_TAG = "_已评分"


def tagged_name(filename: str, tag: str, suffix: str) -> str:
    """The name a file is saved under: the upload's, tagged (one safe name, :func:`file_name`)."""
    return file_name(Path(filename).stem, f"{tag}{suffix}")


def write_links(path: Path, title: str, rows: list[tuple[str, str, str, str]]) -> None:
    """单位, link, status, deadline: one row each, to print (A4 portrait) or mail-merge."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    from ..report.printing import setup_print

    wb = Workbook()
    ws = wb.active
    ws.title = "提交链接"
    for col, (head, width) in enumerate(zip(LINK_HEADERS, LINK_WIDTHS), start=1):
        write_openpyxl(ws.cell(1, col), head)
        ws.cell(1, col).font = Font(bold=True)
        ws.column_dimensions[chr(64 + col)].width = width
    for r, row in enumerate(rows, start=2):
        for col, value in enumerate(row, start=1):
            write_openpyxl(ws.cell(r, col), value)
            ws.cell(r, col).alignment = Alignment(wrap_text=True, vertical="top")
        if row[1]:
            ws.cell(r, 2).hyperlink = row[1]          # our own URL: a token in the path, nothing from a client
    ws.freeze_panes = "A2"
    setup_print(ws, f"{title} · 提交链接", landscape=True, header_rows="1:1")
    wb.save(path)


@dataclass(frozen=True)
class Member:
    """One file of the zip: where it goes in the zip, and the stored file it is."""

    arcname: str
    source: Path


class Folder:
    """Names inside one 单位's folder of the zip, each used once (a second 自评表.xlsx becomes
    自评表（2）.xlsx)."""

    def __init__(self, unit_name: str):
        self.name = file_name(unit_name)
        self.taken: set[str] = set()

    def member(self, filename: str, tag: str, suffix: str, source: Path) -> Member:
        name, n = tagged_name(filename, tag, suffix), 1
        while name.lower() in self.taken:
            n += 1
            name = tagged_name(filename, f"{tag}（{n}）", suffix)
        self.taken.add(name.lower())
        return Member(f"{self.name}/{name}", source)


@dataclass
class ZipBuild:
    """One zip being built (or built): ``done`` of ``total`` files written."""

    total: int
    started: float
    done: int = 0
    state: str = "running"           # running | finished | failed
    message: str = ""
    path: Path | None = None

    @property
    def percent(self) -> int:
        return 100 if not self.total else int(100 * self.done / self.total)


class ZipBuilds:
    """The zips of every collection, one at a time per collection, each built by a thread of its own."""

    def __init__(self, folder: Path):
        self.folder = folder
        self._builds: dict[int, ZipBuild] = {}
        self._lock = threading.Lock()

    def get(self, collection_id: int) -> ZipBuild | None:
        return self._builds.get(collection_id)

    def start(self, collection_id: int, members: list[Member]) -> ZipBuild:
        """Start building (unless a build of this collection is running: that one is returned)."""
        with self._lock:
            running = self._builds.get(collection_id)
            if running is not None and running.state == "running":
                return running
            build = self._builds[collection_id] = ZipBuild(len(members), time.time())
        threading.Thread(target=self._build, args=(collection_id, build, members), daemon=True).start()
        return build

    def _build(self, collection_id: int, build: ZipBuild, members: list[Member]) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        target = self.folder / f"collection-{collection_id}.zip"
        partial = target.with_suffix(".part")
        try:
            with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as zf:   # names stored as UTF-8, flagged
                for member in members:
                    zf.write(member.source, member.arcname)
                    build.done += 1
            partial.replace(target)
            build.path, build.state = target, "finished"
            build.message = f"共 {build.total} 个文件"
        except OSError as exc:
            partial.unlink(missing_ok=True)
            build.state, build.message = "failed", f"打包失败：{type(exc).__name__}（磁盘已满或文件缺失？）"
