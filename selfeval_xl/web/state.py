"""What every handler shares, in one object on the app (``app.state.web``), handed over explicitly.

Why not closures: the handlers live in a module per area of the site (:mod:`.session`, :mod:`.anonymous`,
:mod:`.unit_pages`, :mod:`.collections`, :mod:`.downloads`, :mod:`.review_tab`); each reads the store,
the limits, the workers and the background zips from here, so an area can be read and tested alone.
"""
from __future__ import annotations

from dataclasses import dataclass

from starlette.exceptions import HTTPException
from starlette.requests import Request

from .exports import ZipBuilds
from .limits import WebLimits
from .processor import Processor, Settings
from .store import Store


@dataclass
class AppState:
    settings: Settings
    processor: Processor
    zips: ZipBuilds

    @property
    def store(self) -> Store:
        return self.settings.store

    @property
    def limits(self) -> WebLimits:
        return self.settings.limits

    @property
    def limit(self) -> int:
        """The bytes of one file."""
        return self.settings.limits.file_bytes

    def origin(self, request: Request) -> str:
        """Where the 单位 open their links: the public URL, else the address the request came to."""
        return self.settings.public_url or f"{request.url.scheme}://{request.url.netloc}"


def app_state(request: Request) -> AppState:
    return request.app.state.web


async def form_of(request: Request):
    """The request's form within the limits (files, fields, part size); too many files said in Chinese."""
    limits = app_state(request).limits
    try:
        return await request.form(max_files=limits.form_files, max_fields=200, max_part_size=64 * 1024)
    except HTTPException as exc:
        if "files" in str(exc.detail).lower():
            raise HTTPException(413, f"一次最多上传 {limits.form_files} 个文件，更多的文件请打包为 .zip "
                                     f"/ at most {limits.form_files} files in one form") from None
        raise
