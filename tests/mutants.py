"""A small mutation run: does a module's test file notice when the module's behaviour changes?

    python tests/mutants.py selfeval_xl/read/guard.py tests/test_guard.py [more tests] [--only LINE,LINE]
    python tests/mutants.py --plan            # every module of tests/data/mutation_plan.yaml, a table

Each mutant is one change to one node of the module — a comparison flipped or moved across its
boundary (``<`` ↔ ``<=``, ``==`` ↔ ``!=``), ``and`` ↔ ``or``, ``not`` dropped, a number moved by one,
a statement deleted, a returned value replaced by ``None`` — written into a scratch copy of the
checkout; a mutant *survives* when the tests still pass. Prints each survivor with its line and its
stable description, and the kill rate over the valid mutants: the equivalent ones (no test could
tell them apart, e.g. a chunk size) are listed with a reason in tests/data/equivalent_mutants.yaml,
keyed by module and description, and left out of the rate.

Fast enough for a shared 2-core machine: the tests run once, in this process, under a line tracer to
learn which test reaches which line of the module; then each mutant runs only the tests that reach
its statement, fastest first, with ``-x``, in a child forked from this process with the mutated
functions' code swapped into the loaded functions (nothing imported again). A mutant of a statement
that runs at import (a constant, a class body) runs all the tests in a fresh interpreter instead.
A mutant of a line no test reaches survives without a run. ``--confirm`` runs a survivor again with
all the tests (a fixture shared by several tests is traced to the first only; a worker process is not
traced at all). Not collected by pytest (its name is not test_*);
README's testing section gives the rates measured with it.
"""
from __future__ import annotations

import argparse
import ast
import copy
import dataclasses
import datetime
import functools
import gc
import inspect
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import types
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

import yaml

ROOT = Path(__file__).resolve().parent.parent
EQUIVALENT = ROOT / "tests" / "data" / "equivalent_mutants.yaml"
PLAN = ROOT / "tests" / "data" / "mutation_plan.yaml"
FLIP = {ast.Lt: ast.LtE, ast.LtE: ast.Lt, ast.Gt: ast.GtE, ast.GtE: ast.Gt, ast.Eq: ast.NotEq,
        ast.NotEq: ast.Eq, ast.In: ast.NotIn, ast.NotIn: ast.In, ast.Is: ast.IsNot, ast.IsNot: ast.Is}
AT_IMPORT = "<import>"          # lines run while the module loads: any test may notice their change


@dataclass(frozen=True)
class Mutant:
    line: int               # the enclosing statement's first line: the tests that reach it are run
    what: str               # stable across edits elsewhere: scope, change, the code changed
    source: str
    in_function: bool       # runs when called (its code can be swapped), not when the module loads


@dataclass
class Result:
    module: str
    total: int = 0
    killed: int = 0
    equivalent: int = 0
    survivors: list[Mutant] = field(default_factory=list)

    @property
    def valid(self) -> int:
        return self.total - self.equivalent

    @property
    def rate(self) -> float:
        return self.killed / max(self.valid, 1)


def _docstring(node: ast.AST) -> bool:
    return isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)


def _returns_none(node: ast.AST) -> bool:
    """``return`` or ``return None``."""
    return isinstance(node, ast.Return) and (node.value is None or isinstance(node.value, ast.Constant)
                                             and node.value.value is None)


def _changes(node: ast.AST) -> Iterator[tuple[str, ast.AST | None]]:
    """(description, replacement) for one node; None as replacement deletes a statement."""
    if isinstance(node, ast.Compare):
        for i, op in enumerate(node.ops):
            if type(op) in FLIP:
                new = copy.deepcopy(node)
                new.ops[i] = FLIP[type(op)]()
                yield f"{type(op).__name__} → {FLIP[type(op)].__name__}", new
    elif isinstance(node, ast.BoolOp):
        new = copy.deepcopy(node)
        new.op = ast.Or() if isinstance(node.op, ast.And) else ast.And()
        yield f"{type(node.op).__name__} → {type(new.op).__name__}", new
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        yield "not dropped", copy.deepcopy(node.operand)
    elif isinstance(node, ast.Constant) and type(node.value) in (int, float) and not isinstance(node.value, bool):
        yield f"{node.value} → {node.value + 1}", ast.Constant(node.value + 1)
    elif isinstance(node, ast.Return) and not _returns_none(node):
        yield "return None", ast.Return(ast.Constant(None))
    if isinstance(node, ast.stmt) and not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef,
                                                              ast.Import, ast.ImportFrom, ast.Pass)) \
            and not _docstring(node):
        yield "statement deleted", None


class _Replace(ast.NodeTransformer):
    def __init__(self, target: ast.AST, replacement: ast.AST | None):
        self.target, self.replacement = target, replacement

    def visit(self, node):
        if node is self.target:
            return self.replacement if self.replacement is not None else ast.Pass()
        return super().visit(node)


def _places(tree: ast.AST) -> dict[int, tuple[str, int, bool]]:
    """id(node) → (the scope's qualified name, the enclosing statement's first line, inside a function)."""
    places: dict[int, tuple[str, int, bool]] = {}

    def walk(node: ast.AST, scope: str, statement: int, in_function: bool) -> None:
        if isinstance(node, ast.stmt):
            statement = node.lineno
        places[id(node)] = (scope, statement, in_function)
        inner, function = scope, in_function
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            inner = node.name if scope == "<module>" else f"{scope}.{node.name}"
            function = in_function or not isinstance(node, ast.ClassDef)
        for child in ast.iter_child_nodes(node):
            # a function's decorators and defaults run where it is defined, its body where it is called
            body = isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and child in node.body
            walk(child, inner if body else scope, statement, function if body else in_function)

    walk(tree, "<module>", 0, False)
    return places


def _code(node: ast.AST) -> str:
    text = ast.unparse(node).splitlines()[0] if not isinstance(node, ast.Module) else ""
    return text if len(text) <= 70 else text[:67] + "..."


def mutants(source: str) -> Iterator[Mutant]:
    tree = ast.parse(source)
    annotations = {id(n) for a in ast.walk(tree) if getattr(a, "annotation", None) is not None
                   for n in ast.walk(a.annotation)}
    bodies = (getattr(n, "body", None) for n in ast.walk(tree))
    last_returns = {id(body[-1]) for body in bodies          # deleting a closing `return None` changes nothing
                    if isinstance(body, list) and body and _returns_none(body[-1])}
    places = _places(tree)
    seen: dict[str, int] = {}
    for node in ast.walk(tree):
        if id(node) in annotations or id(node) in last_returns or not hasattr(node, "lineno"):
            continue
        scope, statement, in_function = places[id(node)]
        for what, replacement in _changes(node):
            mutated = copy.deepcopy(tree)
            target = next(n for n, o in zip(ast.walk(mutated), ast.walk(tree)) if o is node)
            new = _Replace(target, replacement).visit(mutated)
            ast.fix_missing_locations(new)
            description = f"{scope}: {what} in `{_code(node)}`"
            seen[description] = seen.get(description, 0) + 1
            if seen[description] > 1:                          # the same change twice in one scope
                description += f" #{seen[description]}"
            yield Mutant(statement, description, ast.unparse(new), in_function)


def equivalents(module: str) -> dict[str, str]:
    """description → why no test can tell this mutant from the module (tests/data/equivalent_mutants.yaml)."""
    data = yaml.safe_load(EQUIVALENT.read_text(encoding="utf-8")) if EQUIVALENT.exists() else {}
    return {entry["mutant"]: entry["why"] for entry in (data or {}).get(module, [])}


# --- running the tests in forked children -------------------------------------------------------------

class _Reach:
    """A pytest plugin: which test reaches which line of one file, and how long each test takes."""

    def __init__(self, filename: str):
        self.filename, self.current = filename, AT_IMPORT
        self.lines: dict[str, set[int]] = {}
        self.seconds: dict[str, float] = {}

    def _local(self, frame, event, arg):
        if event == "line":
            self.lines.setdefault(self.current, set()).add(frame.f_lineno)
        return self._local

    def _global(self, frame, event, arg):
        if frame.f_code.co_filename == self.filename:
            self.lines.setdefault(self.current, set()).add(frame.f_lineno)
            return self._local
        return None

    def start(self) -> None:
        import threading

        sys.settrace(self._global)
        threading.settrace(self._global)

    def pytest_runtest_logstart(self, nodeid, location):
        self.current, self.started = nodeid, time.perf_counter()

    def pytest_runtest_logfinish(self, nodeid, location):
        self.seconds[nodeid] = time.perf_counter() - self.started
        self.current = "<between>"


def _forked(work, timeout: float) -> int:
    """Run ``work()`` (returns an exit code) in a child in its own process group; -1 on timeout."""
    pid = os.fork()
    if pid == 0:                                               # the child: quiet, its own group
        code = 3
        try:
            os.setpgid(0, 0)
            null = os.open(os.devnull, os.O_WRONLY)
            os.dup2(null, 1)
            os.dup2(null, 2)
            code = work()
        finally:
            os._exit(code)
    deadline = time.monotonic() + timeout
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        if time.monotonic() > deadline:
            os.killpg(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            return -1
        time.sleep(0.01)
    try:
        os.killpg(pid, signal.SIGKILL)                         # workers the tests left behind
    except (ProcessLookupError, PermissionError):
        pass
    return os.waitstatus_to_exitcode(status)


def _pytest(args: list[str], plugins: list | None = None) -> int:
    import pytest

    return int(pytest.main(["-p", "no:cacheprovider", "-q", *args], plugins=plugins or []))


def _fresh(tree: Path, tests: list[str], timeout: float) -> int:
    """The tests in a new interpreter (a mutant of what runs at import); -1 on timeout."""
    try:
        return subprocess.run([sys.executable, "-m", "pytest", "-x", "-p", "no:cacheprovider", *tests], cwd=tree,
                              capture_output=True, timeout=timeout).returncode
    except subprocess.TimeoutExpired:
        return -1


def _functions(module) -> Iterator:
    """Every function object the module defines, methods, wrapped functions and those a decorator keeps in a
    dataclass (``@check`` returns a ``Check`` holding the function) included."""
    seen: set[int] = set()

    def of(value, depth=0) -> Iterator:
        if id(value) in seen or depth > 3:
            return
        seen.add(id(value))
        if isinstance(value, types.FunctionType) and hasattr(value, "__wrapped__") \
                and value.__module__ == module.__name__:
            yield value            # the wrapper itself: a decorator's closure (parse.py's ``_by_text`` cache)
        value = inspect.unwrap(value) if callable(value) else value
        if isinstance(value, (staticmethod, classmethod)):
            value = value.__func__
        if isinstance(value, property):
            for f in (value.fget, value.fset, value.fdel):
                yield from of(f, depth + 1)
        elif isinstance(value, types.FunctionType) and value.__module__ == module.__name__:
            yield value
        elif isinstance(value, type) and value.__module__ == module.__name__:
            for member in vars(value).values():
                yield from of(member, depth + 1)
        elif dataclasses.is_dataclass(value) and not isinstance(value, type):   # a registry's unit: @check's Check.run
            for member in vars(value).values():
                yield from of(member, depth + 1)

    for value in list(vars(module).values()):
        yield from of(value)


def _swap(module, source: str) -> bool:
    """Put the code of ``source``'s functions into the module's loaded functions (every holder of a
    function — a registry, a ``from … import`` — then runs the mutant); False when one cannot be."""
    compiled: dict[str, types.CodeType] = {}

    def collect(code: types.CodeType) -> None:
        for const in code.co_consts:
            if isinstance(const, types.CodeType):
                compiled.setdefault(const.co_qualname, const)
                collect(const)

    collect(compile(source, module.__file__, "exec"))
    for function in _functions(module):
        new = compiled.get(function.__code__.co_qualname)
        if new is None:                                        # not in the source: made by @dataclass
            continue
        if new.co_freevars != function.__code__.co_freevars:
            return False
        function.__code__ = new
    for cache in _CACHES:                                      # results cached before the swap
        cache.clear() if isinstance(cache, dict) else cache.cache_clear()
    return True


_CACHES: list = []
"""Every ``functools.lru_cache`` of the loaded program, and every dict a function keeps as its ``cache``
(parse.py's ``_by_text``: a parse of a text the baseline run read would hide the mutant), found once
after the baseline run."""


def _baseline(target: Path, tests: list[str]) -> tuple[dict, dict] | None:
    """Run the tests once, here, traced: (line → test ids reaching it, test id → seconds), None if they
    fail. Everything they import stays loaded for the forks."""
    reach = _Reach(str(target))
    reach.start()
    try:
        code = _pytest(tests, [reach])
    finally:
        sys.settrace(None)
        import threading

        threading.settrace(None)
    if code != 0:
        return None
    by_line: dict[int, set[str]] = {}
    for test, lines in reach.lines.items():
        for line in lines:
            by_line.setdefault(line, set()).add(test)
    return by_line, reach.seconds


def _tests_for(line: int, by_line: dict[int, set[str]], seconds: dict[str, float],
               tests: list[str]) -> list[str] | None:
    """The tests that reach a line, the files in the order given (the plan lists the fast ones first: a
    test's own time hides the shared fixture it needs), fastest first within a file; None when the line
    is reached only outside a test."""
    reached = by_line.get(line, set()) - {AT_IMPORT, "<between>"}
    files = {Path(t).as_posix(): i for i, t in enumerate(tests)}
    return sorted(reached, key=lambda t: (files.get(t.split("::")[0], len(files)), seconds.get(t, 0.0))) \
        if reached else None


def run(module: Path, tests: list[str], only: set[int], timeout: int, confirm: bool = False) -> Result | None:
    """The mutants of one module against the tests (a fork of this process runs each: call once per
    process, the module's tests stay loaded)."""
    name = str(module.resolve().relative_to(ROOT))
    source = module.read_text(encoding="utf-8")
    known = equivalents(name)
    result = Result(name)
    scratch = Path(tempfile.mkdtemp(prefix="mutants-"))
    here = os.getcwd()
    try:
        tree = scratch / "tree"
        shutil.copytree(ROOT, tree, ignore=shutil.ignore_patterns(".venv", ".git", "__pycache__",
                                                                  ".hypothesis", ".pytest_cache"))
        target = tree / name
        os.chdir(tree)
        sys.path.insert(0, str(tree))
        os.environ["PYTHONPATH"] = str(tree)
        os.environ["PYTHONDONTWRITEBYTECODE"] = "1"
        sys.dont_write_bytecode = True                         # a mutant never runs a stale .pyc
        reach = _baseline(target, tests)
        dotted = name.removesuffix(".py").replace("/", ".")
        if reach is None or dotted not in sys.modules:
            print(f"{name}: the tests fail (or never import it) before any mutation: "
                  f"python -m pytest {' '.join(tests)}")
            return None
        by_line, seconds = reach
        loaded = sys.modules[dotted]
        _CACHES[:] = [v for v in gc.get_objects() if isinstance(v, functools._lru_cache_wrapper)] + \
            [v.cache for v in gc.get_objects() if isinstance(v, types.FunctionType) and isinstance(getattr(v, "cache", None), dict)]
        gc.freeze()                           # a child's collector leaves the loaded heap alone: no page copied
        started = time.monotonic()
        used: set[str] = set()
        for m in mutants(source):
            if only and m.line not in only:
                continue
            result.total += 1
            if result.total % 50 == 0:
                print(f"... {result.total} mutants in {time.monotonic() - started:.0f} s", flush=True)
            target.write_text(m.source, encoding="utf-8")        # for a worker that starts a new interpreter
            chosen = _tests_for(m.line, by_line, seconds, tests) if m.in_function else None
            unreached = m.line not in by_line
            if unreached and not confirm:
                code = 0                                         # no test runs it: it stands whatever it says
            elif chosen is None:
                code = _fresh(tree, tests, timeout * 4)
            else:
                code = _forked(lambda: _pytest(["-x", *chosen]) if _swap(loaded, m.source) else 4, timeout)
                if code == 4:                                    # the code could not be swapped in
                    code = _fresh(tree, tests, timeout * 4)
                elif code == 0 and confirm and chosen != tests:
                    code = _fresh(tree, tests, timeout * 4)
            alive = code == 0
            if code == -1:
                print(f"timeout   {name}:{m.line}  {m.what}  (counted as killed)", flush=True)
            if m.what in known:
                used.add(m.what)
                result.equivalent += 1
                if not alive:
                    print(f"killed    {name}:{m.line}  {m.what}  (listed as equivalent: remove it)", flush=True)
                continue
            result.killed += not alive
            if alive:
                result.survivors.append(m)
                print(f"survived  {name}:{m.line}  {m.what}{'  (no test reaches it)' if unreached else ''}",
                      flush=True)
        target.write_text(source, encoding="utf-8")
        for stale in sorted(set(known) - used) if not only else []:
            print(f"stale     {name}: no mutant '{stale}' (tests/data/equivalent_mutants.yaml)")
        print(f"{name}: {result.killed}/{result.valid} valid mutants killed ({result.rate:.0%}); "
              f"{result.equivalent} equivalent left out", flush=True)
        return result
    finally:
        os.chdir(here)
        shutil.rmtree(scratch, ignore_errors=True)


def _table(results: list[Result]) -> str:
    today = datetime.date.today().isoformat()
    rows = ["| module | mutants | equivalent | killed | rate | date |", "|---|---:|---:|---:|---:|---|"]
    rows += [f"| `{r.module}` | {r.total} | {r.equivalent} | {r.killed}/{r.valid} | {r.rate:.0%} | {today} |"
             for r in results]
    return "\n".join(rows)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("module", type=Path, nargs="?")
    parser.add_argument("tests", nargs="*")
    parser.add_argument("--plan", action="store_true", help="every module of tests/data/mutation_plan.yaml")
    parser.add_argument("--only", default="", help="comma-separated line numbers")
    parser.add_argument("--timeout", type=int, default=60)
    parser.add_argument("--confirm", action="store_true", help="run a survivor again with all the tests")
    parser.add_argument("--json", type=Path, help="write the result here (used by --plan)")
    args = parser.parse_args()
    only = {int(x) for x in args.only.split(",") if x}
    if args.plan:
        plan = yaml.safe_load(PLAN.read_text(encoding="utf-8"))
        results = []
        for module, tests in plan.items():                     # one process each: a module's tests stay loaded
            out = Path(tempfile.mkstemp(suffix=".json")[1])
            subprocess.run([sys.executable, __file__, module, *tests, "--timeout", str(args.timeout), "--json",
                            str(out), *(["--confirm"] if args.confirm else [])], check=False)
            data = json.loads(out.read_text() or "null")
            out.unlink()
            results.append(Result(**data) if data else None)
        print(_table([r for r in results if r is not None]))
        return 0 if all(r is not None and r.rate >= 0.9 for r in results) else 1
    if args.module is None or not args.tests:
        parser.error("a module and its tests, or --plan")
    result = run(args.module, args.tests, only, args.timeout, args.confirm)
    if args.json:
        args.json.write_text(json.dumps(None if result is None else {
            "module": result.module, "total": result.total, "killed": result.killed,
            "equivalent": result.equivalent}))
    return 2 if result is None else 0

if __name__ == "__main__":
    sys.exit(main())
