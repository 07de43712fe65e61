"""Every check unit of the product in one ordered list, and its documentation (``docs/checks.md``).

The table side is :mod:`selfeval_xl.checks.registry` (the reader's codes, the table checks in the
order they run, the 指标质量 rules over several files), the report side
:data:`selfeval_xl.narrative.checks.REPORT_CHECKS`; the report checks sit above the table checks (a
report is checked against its 单位's tables), so the list of both lives here, above both. What reads
it: ``check --list-checks`` and ``--skip``, report.xlsx's 检查说明, the feedback workbooks, the case
test. Regenerate the Markdown with ``python -m selfeval_xl.catalogue docs/checks.md``.
"""
from __future__ import annotations

from functools import lru_cache

from ..checks.base import Check
from ..checks.catalogue import Entry, MISSING, entries, markdown
from ..checks.registry import ACROSS, READER, TABLE
from ..narrative.checks import REPORT_CODES

UNITS: tuple[Check, ...] = READER + TABLE + REPORT_CODES + ACROSS
"""The reader's codes first (a file that cannot be read at all), then the table checks in the order
they run, the report's, and the 指标质量 rules over several files."""


@lru_cache(maxsize=None)
def _by_code() -> dict[str, Entry]:
    return {e.code: e for e in entries(UNITS)}


def codes() -> tuple[str, ...]:
    return tuple(_by_code())


def doc_of(code: str) -> Entry:
    """One code's documentation (a lookup built once); a code without a unit reads as undocumented."""
    return _by_code().get(code) or Entry(code, "", code, MISSING, MISSING, "—", "按“问题”一栏的说明修改。", "")
