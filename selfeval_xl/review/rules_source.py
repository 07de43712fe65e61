"""Where a bureau's review practice comes from: the packaged YAML, its own YAML, or its own 口径 list
kept in Excel (the workbook :mod:`.kouji_book` writes). Apart from :mod:`.config`, which the 口径 workbook
itself is built on: the choice of source sits above both."""
from __future__ import annotations

from pathlib import Path

from ..core.datafiles import load_yaml
from .config import DEFAULT, FOLDER, ReviewRules, rules_of


def load_rules(name_or_path: str | Path | None = None) -> ReviewRules:
    """The packaged practice (``default``), a bureau's YAML file, or a bureau's 口径 list in Excel (an
    .xlsx as :mod:`.kouji_book` writes it: its 口径 replace the default's, the P-levels, quality grades
    and sampling weights stay the default's); every problem listed at once."""
    if str(name_or_path or "").lower().endswith(".xlsx"):
        from .kouji_book import read_bases      # openpyxl, only for a 口径 workbook

        _, data = load_yaml(FOLDER, DEFAULT)
        return rules_of(str(name_or_path), data, read_bases(name_or_path))
    source, data = load_yaml(FOLDER, name_or_path or DEFAULT)
    return rules_of(source, data, [(f"bases 第 {n} 条", raw) for n, raw in enumerate(data.get("bases") or [], 1)])
