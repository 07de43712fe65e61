"""``python -m selfeval_xl.catalogue docs/checks.md``: the check documentation written from the units."""
import sys
from pathlib import Path

from . import UNITS
from ..checks.catalogue import markdown

Path(sys.argv[1]).write_text(markdown(UNITS), encoding="utf-8")
