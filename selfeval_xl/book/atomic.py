"""One way to write a workbook over a file: complete or not at all, with the old file kept if asked.

Why: ``score --in-place`` rewrites submissions; a full disk or Ctrl-C halfway must leave the original
as it was. Both file Books save through :func:`save_atomic`.
"""
from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Callable


def save_atomic(save: Callable[[str], None], target: str | Path, backup: Path | None = None) -> None:
    """``save(temporary)`` into a temporary file in ``target``'s folder, then one rename over
    ``target``; ``backup``: copy the old file there first. On any failure the temporary file goes."""
    target = Path(target)
    handle, temporary = tempfile.mkstemp(prefix=".~selfeval-", suffix=target.suffix, dir=target.parent)
    os.close(handle)
    try:
        save(temporary)
        if backup is not None and target.exists():
            shutil.copy2(target, backup)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
