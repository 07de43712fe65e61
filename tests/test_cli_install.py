"""The command line works as a wheel install runs it, with no module pre-loaded by an editable install."""
from __future__ import annotations

import subprocess
import sys

# An editable install's finder imports importlib.util at start-up; a wheel install does not. Forget it,
# then run the command as the console script would.
WITHOUT_IMPORTLIB_UTIL = """
import importlib, sys
sys.modules.pop("importlib.util", None)
if hasattr(importlib, "util"):
    del importlib.util
from selfeval_xl.cli import main
sys.exit(main(["systems"]))
"""


def test_cli_runs_without_importlib_util_preloaded():
    done = subprocess.run([sys.executable, "-c", WITHOUT_IMPORTLIB_UTIL], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "national-project" in done.stdout
