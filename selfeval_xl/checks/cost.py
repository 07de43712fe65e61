"""Indicators the system declares 反向 by their level (成本指标 in the 2021 national system)."""
from __future__ import annotations

from typing import Iterator

from ..findings import Finding
from ..layout import normalize_label
from .base import Context, check


@check("cost-not-reverse", "warning", "成本指标写成了正向（≥）")
def cost_not_reverse(ctx: Context) -> Iterator[Finding]:
    """A row under a level the system lists in ``reverse_levels`` (成本指标 in national-2021-project: a
    cost is to be kept at or below its target) whose 指标性质 or 年度指标值 says ≥ or >.

    Bad: 成本指标 › 经济成本指标 › 单位建设成本 ``≥300万元``. Fix: ``≤300万元`` (or say why more is better).
    """
    levels = {normalize_label(x) for x in ctx.settings.extra.get("reverse_levels", []) or []}
    if not levels:
        return
    for out in ctx.re.rows:
        row, s = out.row, out.scored
        if s is None or not s.direction.positive or s.bands:
            continue
        if not {normalize_label(row.level1), normalize_label(row.level2)} & levels:
            continue
        cell = row.get("direction") if row.get("direction") is not None and not row.cells["direction"].blank \
            else row.get("target")
        yield ctx.find("cost-not-reverse", cell, f"“{row.level3}”属于成本指标，应为反向（≤），表中为"
                       f"“{cell.text if cell else s.direction.value}”", "≤", cell.value if cell else None)
