"""指标质量 (indicator quality): the checks a reviewing bureau does by eye, cited and editable (issue 24).

- :mod:`.pack` — the rule pack as data (``rules.yaml``; a bureau's own file with ``check --quality``).
- :mod:`.indicators` — the rules one table shows (成本写成下限, 时效无时限 …), registered as checks.
- :mod:`.digest` — what a worker keeps of each table for the rules that need several files.
- :mod:`.store` — the digests of a run in a temporary SQLite file, read back a group, a block or a 单位
  at a time (a run's memory flat in its length).
- :mod:`.across` — across 单位 (shared wording, copied 满意度 texts, every project full) and year over
  year (``check --previous``), run in the parent once every file is in.
"""
from __future__ import annotations

from .pack import Pack, Rule, default_pack, load_pack

FAMILY = "指标质量"
"""The family name every quality finding's title opens with: report.xlsx's 类别, the console, the web."""

__all__ = ["FAMILY", "Pack", "Rule", "default_pack", "load_pack"]
