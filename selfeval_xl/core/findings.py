"""Findings and reports as plain data (after frictionless-py: a stable code, a message, a position).

Every code a check may raise is declared once in :data:`CATALOGUE` with its severity and title (by its
unit in the check registry, :mod:`selfeval_xl.checks.registry`); a check builds findings through
:func:`finding`, so an unknown code is a bug caught at once. A report is
data: ``to_dict()`` / ``to_json()``; the CLI's exit status is ``int(not report.valid)``.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum
from typing import Any, Iterable

from .model import quote_sheet


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Code:
    code: str
    severity: Severity
    title: str            # Chinese, one line


CATALOGUE: dict[str, Code] = {}


def declare(code: str, severity: Severity | str, title: str) -> Code:
    """Add a code to the catalogue (each check unit declares its code once, at import)."""
    entry = Code(code, Severity(severity), title)
    if code in CATALOGUE and CATALOGUE[code] != entry:
        raise ValueError(f"finding code declared twice with different meaning: {code}")
    CATALOGUE[code] = entry
    return entry


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value) if value != value.to_integral_value() else int(value)
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)


@dataclass(frozen=True)
class Finding:
    code: str
    severity: Severity
    message: str
    file: str = ""
    sheet: str = ""
    cell: str = ""               # "H14"
    expected: Any = None
    found: Any = None

    @property
    def position(self) -> str:
        if not self.sheet:
            return ""
        sheet = quote_sheet(self.sheet)
        return f"{sheet}!{self.cell}" if self.cell else sheet

    def to_dict(self) -> dict[str, Any]:
        """Its fields as JSON values, ``position`` added (field by field: ``asdict`` copies deeply)."""
        return {"code": self.code, "severity": self.severity.value, "message": self.message, "file": self.file,
                "sheet": self.sheet, "cell": self.cell, "expected": _plain(self.expected),
                "found": _plain(self.found), "position": self.position}


def finding(code: str, message: str | None = None, *, file: str = "", sheet: str = "", cell: str = "",
            expected: Any = None, found: Any = None) -> Finding:
    """A finding of a declared code; ``message`` defaults to the code's title."""
    entry = CATALOGUE[code]
    return Finding(code, entry.severity, message or entry.title, file, sheet, cell, expected, found)


@dataclass
class FileReport:
    """The result for one workbook (one row of the 汇总 sheet)."""

    path: str
    unit: str = ""
    name: str = ""
    kind: str = ""
    stated_total: Any = None
    total: Decimal | None = None         # recomputed
    grade: str = ""
    budget: Decimal | None = None
    spent: Decimal | None = None
    findings: list[Finding] = field(default_factory=list)
    skipped: str = ""                    # why the file was not checked: it is not a 自评表 (a data table)
    grades: tuple = ()                   # the grade list (floor, name) of the system the table was graded by
    reviewed: int = 0                    # indicator rows whose score was recomputed from their inputs
    unreviewed: int = 0                  # indicator rows read but not understood: their score not verified

    @property
    def errors(self) -> int:
        return sum(f.severity is Severity.ERROR for f in self.findings)

    @property
    def warnings(self) -> int:
        return sum(f.severity is Severity.WARNING for f in self.findings)

    @property
    def valid(self) -> bool:
        return self.errors == 0

    def to_dict(self) -> dict[str, Any]:
        return {"path": self.path, "unit": self.unit, "name": self.name, "kind": self.kind,
                "stated_total": _plain(self.stated_total), "total": _plain(self.total), "grade": self.grade,
                "budget": _plain(self.budget), "spent": _plain(self.spent), "skipped": self.skipped,
                "errors": self.errors, "warnings": self.warnings, "valid": self.valid,
                "rows_reviewed": self.reviewed, "rows_unreviewed": self.unreviewed,
                "findings": [f.to_dict() for f in self.findings]}


@dataclass
class Report:
    files: list[FileReport] = field(default_factory=list)

    @property
    def findings(self) -> Iterable[Finding]:
        return (f for r in self.files for f in r.findings)

    @property
    def errors(self) -> int:
        return sum(r.errors for r in self.files)

    @property
    def warnings(self) -> int:
        return sum(r.warnings for r in self.files)

    @property
    def valid(self) -> bool:
        return self.errors == 0

    def to_dict(self) -> dict[str, Any]:
        return {"valid": self.valid, "errors": self.errors, "warnings": self.warnings,
                "files": [r.to_dict() for r in self.files]}

    def to_json(self, **kwargs: Any) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=kwargs.pop("indent", 2), **kwargs)
