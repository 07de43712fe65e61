"""Every SE_* worksheet function carries Chinese argument docs, and udfs.py hands them to xlwings.

xlwings' decorators are no-ops off Windows, so the docs are checked where they live (cellfuncs.ARG_DOCS)
and udfs is re-imported under recording decorators to see that it applies them, argument by argument.
"""
import importlib
import inspect
import re
import subprocess
import sys

import pytest
import xlwings

from selfeval_xl.core import cellfuncs

CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture
def recorded(monkeypatch):
    """Re-import udfs with xw.func / xw.arg replaced by recorders; yields {function: {arg: doc}}."""
    seen: dict[str, dict[str, str]] = {}
    funcs: list[str] = []

    def arg(name, *args, doc=None, **kwargs):
        def apply(fn):
            seen.setdefault(fn.__name__, {})[name] = doc
            return fn
        return apply

    def func(fn=None, **kwargs):
        funcs.append(fn.__name__)
        return fn

    monkeypatch.setattr(xlwings, "arg", arg)
    monkeypatch.setattr(xlwings, "func", func)
    sys.modules.pop("udfs", None)
    module = importlib.import_module("udfs")
    yield module, seen, funcs
    sys.modules.pop("udfs", None)


def _se_functions(module):
    return {name: fn for name, fn in vars(module).items() if name.startswith("SE_") and callable(fn)}


def test_every_se_function_of_udfs_has_a_chinese_doc_for_each_argument():
    import udfs

    functions = _se_functions(udfs)
    assert set(functions) == set(cellfuncs.ARG_DOCS)
    for name, fn in functions.items():
        params = list(inspect.signature(fn).parameters)
        assert params, name
        assert set(params) == set(cellfuncs.ARG_DOCS[name]), name
        for param in params:
            assert CJK.search(cellfuncs.ARG_DOCS[name][param]), f"{name}({param}) needs a Chinese doc"
        assert CJK.search(fn.__doc__ or ""), f"{name} needs a Chinese description"


def test_udfs_applies_the_docs_through_xlwings_decorators(recorded):
    module, seen, funcs = recorded
    assert sorted(funcs) == sorted(_se_functions(module))
    for name, fn in _se_functions(module).items():
        assert seen[name] == {p: cellfuncs.ARG_DOCS[name][p] for p in inspect.signature(fn).parameters}


def test_udfs_wrappers_call_the_cell_functions():
    import udfs

    assert udfs.SE_EXEC_SCORE(1014.4, 1011.98) == cellfuncs.SE_EXEC_SCORE(1014.4, 1011.98) == 9.98
    assert udfs.SE_GRADE(94.43) == "优"
    assert udfs.SE_EXEC_RATE(0, 5).startswith("#")


def test_udfs_is_a_top_level_module_of_the_installed_package(tmp_path):
    """xlwings imports ``udfs`` by name (UDF Modules = udfs): it must import from any folder."""
    code = "import udfs, selfeval_xl; print(udfs.__file__); print(udfs.SE_GRADE(85))"
    done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True,
                          env={"PATH": "/usr/bin:/bin", "PYTHONNOUSERSITE": "1"})
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[1] == "良"


def test_setup_declares_udfs_as_a_top_level_module():
    from configparser import ConfigParser
    from pathlib import Path

    cfg = ConfigParser()
    cfg.read(Path(__file__).parents[1] / "setup.cfg", encoding="utf-8")
    assert "udfs" in cfg["options"]["py_modules"].split()
