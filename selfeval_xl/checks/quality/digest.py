"""What a worker keeps of each table for the rules that need several files (across 单位, year over
year): small, picklable, the cells to point at included, so the parent never reads a workbook again.
"""
from __future__ import annotations

import sys
from dataclasses import dataclass, fields
from typing import Iterable

from ...core.layout import normalize_label
from ...core.model import Cell
from ...core.recompute import Recomputed, RowResult, number
from .text import squeeze

FAMILIES = ("产出", "效益", "满意", "成本", "预算", "管理", "履职")
"""The words that place an indicator in its part of the table, however its 一级 is spelt
(``产出指标（50分）`` and ``产出指标`` are one part)."""


def _state(digest) -> tuple:
    return tuple(getattr(digest, f.name) for f in fields(digest))


def _restore(digest, state: tuple) -> None:
    """A digest as it arrives from a worker into the parent, or back from the run's store
    (:mod:`.store`) for a rule across files: each text many rows share (a cell's address, a form's 一级
    and 二级, a standard 三级 name) kept once, with slots (no dict per digest): the digests a rule holds
    at a time (a group, a block, a 单位) stay small."""
    for f, value in zip(fields(digest), state):
        object.__setattr__(digest, f.name, sys.intern(value) if type(value) is str else value)


@dataclass(frozen=True, slots=True)
class IndicatorDigest:
    level1: str
    level2: str
    name: str
    name_cell: str
    target_cell: str
    actual_cell: str
    weight_cell: str
    target_text: str
    unit: str
    direction: str              # ≥ ≤ = 区间 定性 as scored ("" when the row was not understood)
    target: float | None        # as scored (aligned with the 完成值)
    actual: float | None
    weight: float | None
    score: float | None         # as stated (a formula's computed value)
    text: str                   # the worded 完成值 and 偏差原因: where a 满意度 says how it was measured
    __getstate__, __setstate__ = _state, _restore

    @property
    def family(self) -> str:
        levels = normalize_label(self.level1) + normalize_label(self.level2)
        return next((w for w in FAMILIES if w in levels), squeeze(self.level1))

    @property
    def key(self) -> str:
        return squeeze(self.name)

    @property
    def missed(self) -> bool:
        """It lost points: its stated score is below its 分值."""
        return self.weight is not None and self.score is not None and self.score < self.weight - 1e-9

    @property
    def ratio(self) -> float | None:
        """完成值 ÷ 指标值 of a 正向 row with a positive target."""
        if self.direction not in ("≥", ">") or not self.target or self.target <= 0 or self.actual is None:
            return None
        return self.actual / self.target


@dataclass(frozen=True, slots=True)
class TableDigest:
    file: str
    sheet: str
    kind: str
    unit: str
    name: str
    budget: float | None
    anchor: str                  # a cell to point at for the table as a whole (its 总分, else its first row)
    indicators: tuple[IndicatorDigest, ...] = ()
    __getstate__, __setstate__ = _state, _restore

    @property
    def full(self) -> bool:
        """Every indicator at its full 分值 (and at least one indicator)."""
        scored = [i for i in self.indicators if i.weight]
        return bool(scored) and all(i.score is not None and not i.missed for i in scored)


def digest_tables(path: str, results: Iterable[Recomputed]) -> list[TableDigest]:
    """One digest per recomputed table: the checks' own recomputation (:func:`checks.check_recomputed`),
    so the digest scores as the checks did and no table is recomputed twice (a table the checks could
    not recompute has no digest)."""
    out = []
    for result in results:
        table = result.table
        total = number(table.funds["total"].get("budget")) if "total" in table.funds else None
        anchor = table.total or (table.indicators[0].get("level3") if table.indicators else None) or table.anchor
        out.append(TableDigest(path, table.sheet, table.kind, normalize_label(table.unit), table.name,
                               float(total) if total is not None else None, anchor.ref if anchor else "",
                               tuple(_indicator(o) for o in result.rows)))
    return out


def _indicator(out: RowResult) -> IndicatorDigest:
    s, row = out.scored, out.row
    cells = row.cells
    name, target, actual, weight = cells.get("level3"), cells.get("target"), cells.get("actual"), cells.get("weight")
    score = out.stated if out.stated is not None else out.expected
    actual_text = _text(actual)
    worded = "" if actual_text.replace(".", "").replace("%", "").isdigit() else actual_text
    return IndicatorDigest(
        row.level1, row.level2, name.text if name else "", _ref(name), _ref(target), _ref(actual),
        _ref(weight), _text(target), _text(cells.get("unit")),
        s.direction.value if s is not None else "", s.target if s is not None else None,
        s.actual if s is not None else None, float(out.weight) if out.weight is not None else None,
        float(score) if score is not None else None, (worded + " " + _text(cells.get("reason"))).strip())


def _ref(cell: Cell | None) -> str:
    return cell.ref if cell is not None else ""


def _text(cell: Cell | None) -> str:
    """The cell as its table shows it: a whole number read back as a float (10000.0) shown as 10000."""
    return cell.shown if cell is not None else ""
