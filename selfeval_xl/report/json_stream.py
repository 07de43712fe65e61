"""findings.json written file by file, in the shape of :meth:`selfeval_xl.core.findings.Report.to_dict`.

Why streamed: thousands of files' findings are never held at once; the totals (``valid``, ``errors``,
``warnings``) follow the ``files`` list, which JSON readers do not mind. Written to a temporary file
that replaces the target only when complete (:mod:`selfeval_xl.files.outputs`): a run that dies leaves the
last good file, never a truncated one.
"""
from __future__ import annotations

import json
from pathlib import Path

from ..core.findings import FileReport
from ..files.outputs import Replacement


class JsonReport:
    """``add`` each FileReport as it arrives; ``close`` writes the totals and closes the file."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self._replacement = Replacement(self.path)
        # Text stays as the workbook had it (json escapes control characters); a lone surrogate, which
        # UTF-8 cannot hold, is written as its JSON escape (\udXXX) instead of failing the whole file.
        self._handle = self._replacement.temporary.open("w", encoding="utf-8", errors="backslashreplace")
        self._handle.write('{"files": [')
        self._first = True
        self.errors = self.warnings = 0

    def add(self, report: FileReport) -> None:
        self._handle.write(("\n  " if self._first else ",\n  ") + json.dumps(report.to_dict(), ensure_ascii=False))
        self._first = False
        self.errors += report.errors
        self.warnings += report.warnings

    def close(self) -> Path:
        self._handle.write(f'\n], "valid": {json.dumps(self.errors == 0)}, "errors": {self.errors}, '
                           f'"warnings": {self.warnings}}}\n')
        self._handle.close()
        return self._replacement.commit()
