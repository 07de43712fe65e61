"""The indicator system a workbook names: one we do not have is said, never silently replaced."""
from __future__ import annotations

from functools import lru_cache
from typing import Iterator

from ..core.findings import Finding
from ..core.system import load_system
from .base import Context, check


@lru_cache(maxsize=64)
def _known(name: str, kind: str) -> bool:
    try:
        return load_system(name, kind).kind == kind
    except Exception:  # noqa: BLE001 - any failure to load means we do not have it
        return False


@check("unknown-system", "warning", "工作簿记录的指标体系不存在，已按默认体系检查")
def unknown_system(ctx: Context) -> Iterator[Finding]:
    """The workbook (its hidden ``_selfeval`` sheet) names an indicator system that is not built in and
    was not given with ``--system``, so it is checked with the default system of its kind: weights,
    tiers and thresholds may differ from what its author used.

    Bad: a template made with ``--system 某市-部门.yaml`` checked without that file. Fix: pass the same
    system (``selfeval check --system 某市-部门.yaml``).
    """
    name = ctx.table.system_name
    if not name or name == ctx.system.name or _known(name, ctx.table.kind):
        return
    yield ctx.find("unknown-system", None, f"工作簿记录的指标体系“{name}”不在已知体系中，已按“{ctx.system.name}”"
                   f"（{ctx.system.title}）检查；如需按原体系检查，请用 --system 指定该体系文件", name, ctx.system.name)
