"""How much one client may cost the web server: bytes, files, seconds, connections, and what is kept.

Why one setting: every bound of the server is stated here once, and the page, the guards, the
processing and the store read it from here. A 28 KB workbook whose 11,200 cells share one 8,000-character
string must not become 500 MB of stored results and a 270 MB page; 300 half-sent requests must not
lock the uploads out; a stranger's result must be small before it is stored, so that reading it back
for a dashboard is cheap.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

MB = 1024 * 1024
CUT = "…"


@dataclass(frozen=True)
class WebLimits:
    file_bytes: int = 20 * MB        # one uploaded file (what the page says: 每个文件不超过 20 MB)
    form_files: int = 20             # files in one form (more: one zip)
    form_bytes: int = 0              # one request's body, envelope included; 0: form_files × file_bytes
    header_seconds: float = 10.0     # a request's headers arrive within this, or the connection is closed
    body_idle_seconds: float = 30.0  # longest pause while a body is sent, or 408
    connections: int = 200           # open at once; past it, the oldest still sending its headers is dropped
    cell_chars: int = 200            # a cell's text kept for the page
    sheet_chars: int = 100_000       # a sheet's text kept for the page (past it, every cell cut shorter)
    text_chars: int = 1000           # a finding's message, expected and found
    findings: int = 500              # findings kept per file (the error and warning counts stay whole)
    result_bytes: int = 512 * 1024   # one stored result, as JSON; past it the grids are not kept
    keep_days: int = 0               # submissions older than this are deleted (0: kept)

    @property
    def body_bytes(self) -> int:
        return self.form_bytes or self.form_files * self.file_bytes + MB


def cut(text: Any, chars: int) -> Any:
    """A text past ``chars`` cut, marked with …; anything else as it is."""
    return text[: chars - 1] + CUT if isinstance(text, str) and len(text) > chars else text


def fair_share(lengths: list[int], budget: int, most: int, least: int = 8) -> int:
    """The longest a cell's text may be so that a sheet's texts stay within ``budget`` characters in
    all: texts shorter than that are kept whole and only the longest are cut (a title beside 11,200
    copies of one long string keeps what it can); never over ``most`` nor under ``least``."""
    kept = sorted(min(n, most) for n in lengths if n)
    left = budget
    for i, n in enumerate(kept):
        if n * (len(kept) - i) > left:            # the rest cannot all stay whole: they share what is left
            return max(least, left // (len(kept) - i))
        left -= n
    return most


def compact(result: dict[str, Any], limits: WebLimits) -> dict[str, Any]:
    """The result of one upload as it is kept: each finding's texts cut, at most ``limits.findings`` of
    them (the report's counts of errors and warnings are not changed), and the grids dropped — with a
    note saying so — when the whole is still over ``limits.result_bytes`` as JSON."""
    report = dict(result["report"])
    findings = report.get("findings", [])
    kept = [{k: cut(v, limits.text_chars) for k, v in f.items()} for f in findings[: limits.findings]]
    report["findings"] = kept
    out = {**result, "report": report}
    notes = [result.get("note", "")]
    if len(findings) > len(kept):
        notes.append(f"问题过多，页面只列出前 {len(kept)} 条（共 {len(findings)} 条；检查结果.xlsx 中为全部）")
    size = len(json.dumps(out, ensure_ascii=False).encode("utf-8"))
    if size > limits.result_bytes and result.get("sheets"):
        out["sheets"] = []
        notes.append("表格内容过大，页面不显示表格；问题清单和评分后的工作簿不受影响")
    out["note"] = "；".join(n for n in notes if n)
    return out
