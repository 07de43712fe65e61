"""How much one stranger's file may cost: bytes, sheets, cells, memory and seconds, as one setting.

Why settings and not constants: a bureau with a slow machine or an odd but honest export raises one
limit (``--limit seconds=300``) without touching the code. Every command that opens submitted files
(``check``, ``summary``, ``score``, the add-in's file path) reads them under the same :class:`Limits`:
the sizes are checked before any reader allocates (``selfeval_xl.read.guard``), memory and seconds are
enforced on the worker process that reads the file (``selfeval_xl.batch.worker``).
"""
from __future__ import annotations

from dataclasses import dataclass, fields, replace
from typing import Iterable

MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """The limits on one file. A file or sheet beyond one gets a finding naming the limit and the value."""

    file_bytes: int = 100 * MB           # the file on disk
    uncompressed_bytes: int = 256 * MB   # all parts of an .xlsx, inflated (zip bombs)
    sheets: int = 255                    # worksheets in one workbook
    rows: int = 1_048_576                # the last row holding a cell, per sheet (Excel's maximum)
    columns: int = 16_384                # the last column holding a cell (Excel's maximum, XFD)
    cells: int = 20_000_000              # rows × columns up to the last cell: what calamine allocates,
                                         # 32 bytes each (640 MB); XFD4999 is 82 million
    memory_mb: int = 2048                # address space one worker may add to what it was forked with
    seconds: float = 120.0               # one file, read and checked (or scored), in its worker
    formula_cells: int = 2_000           # formulas in a workbook whose results are not stored, for them
                                         # to be computed (``formulas`` compiles 1–15 ms each)
    formula_inputs: int = 200_000        # cells that computation may load: the workbook's cells and the
                                         # ranges its formulas name (SUM(I:I) names 1,048,576)

    def with_settings(self, pairs: Iterable[str]) -> "Limits":
        """These limits with ``name=value`` pairs applied (``seconds=30``); ValueError on a bad one."""
        known = {f.name: f.type for f in fields(self)}
        changes: dict[str, float | int] = {}
        for pair in pairs:
            name, sep, raw = pair.partition("=")
            name = name.strip().replace("-", "_")
            if not sep or name not in known:
                raise ValueError(f"未知的限制项 / unknown limit: {pair!r}（可用 / known: {', '.join(known)}）")
            try:
                value = float(raw) if name == "seconds" else int(raw)
            except ValueError:
                raise ValueError(f"限制值应为数字 / a limit is a number: {pair!r}") from None
            if value <= 0:
                raise ValueError(f"限制值应大于 0 / a limit is positive: {pair!r}")
            changes[name] = value
        return replace(self, **changes)


DEFAULT_LIMITS = Limits()


def cap_memory(megabytes: int) -> None:
    """Cap this process's address space at what it maps now plus ``megabytes``: a reader asking for more
    fails here, not on the machine. Why "plus what it maps now": a worker forked from a big parent (the
    web server, a long test run, a batch that loaded much) inherits its mappings, and a flat cap below
    them failed every allocation, every file "unreadable: MemoryError". POSIX only: elsewhere the time
    limit and the worker's isolation still hold."""
    try:
        import resource
    except ImportError:
        return
    try:
        with open("/proc/self/statm", "rb") as handle:       # Linux: pages mapped now
            mapped = int(handle.read().split()[0]) * resource.getpagesize()
    except (OSError, ValueError, IndexError):
        mapped = 0
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    wanted = mapped + megabytes * MB
    if hard != resource.RLIM_INFINITY:
        wanted = min(wanted, hard)
    resource.setrlimit(resource.RLIMIT_AS, (wanted, hard))
