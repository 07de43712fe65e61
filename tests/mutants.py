"""A small mutation run: does a module's test file notice when the module's behaviour changes?

    python tests/mutants.py selfeval_xl/read/guard.py tests/test_guard.py [more tests] [--only LINE,LINE]

Each mutant is one change to one node of the module — a comparison flipped or moved across its
boundary (``<`` ↔ ``<=``, ``==`` ↔ ``!=``), ``and`` ↔ ``or``, ``not`` dropped, a number moved by one,
a statement deleted, a returned value replaced by ``None`` — written into a scratch copy of the
checkout; the tests run against the copy and a mutant *survives* when they all still pass. Prints
each survivor with its line and the kill rate. Not collected by pytest (its name is not test_*); the
README's testing section gives the rates measured with it.
"""
from __future__ import annotations

import argparse
import ast
import copy
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

ROOT = Path(__file__).resolve().parent.parent
FLIP = {ast.Lt: ast.LtE, ast.LtE: ast.Lt, ast.Gt: ast.GtE, ast.GtE: ast.Gt, ast.Eq: ast.NotEq,
        ast.NotEq: ast.Eq, ast.In: ast.NotIn, ast.NotIn: ast.In, ast.Is: ast.IsNot, ast.IsNot: ast.Is}


@dataclass(frozen=True)
class Mutant:
    line: int
    what: str
    source: str


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


def mutants(source: str) -> Iterator[Mutant]:
    tree = ast.parse(source)
    annotations = {id(n) for a in ast.walk(tree) if getattr(a, "annotation", None) is not None
                   for n in ast.walk(a.annotation)}
    bodies = (getattr(n, "body", None) for n in ast.walk(tree))
    last_returns = {id(body[-1]) for body in bodies          # deleting a closing `return None` changes nothing
                    if isinstance(body, list) and body and _returns_none(body[-1])}
    for node in ast.walk(tree):
        if id(node) in annotations or id(node) in last_returns or not hasattr(node, "lineno"):
            continue
        for what, replacement in _changes(node):
            mutated = copy.deepcopy(tree)
            target = next(n for n, o in zip(ast.walk(mutated), ast.walk(tree)) if o is node)
            new = _Replace(target, replacement).visit(mutated)
            ast.fix_missing_locations(new)
            yield Mutant(node.lineno, what, ast.unparse(new))


def run(module: Path, tests: list[str], only: set[int], timeout: int) -> int:
    source = module.read_text(encoding="utf-8")
    scratch = Path(tempfile.mkdtemp(prefix="mutants-"))
    try:
        shutil.copytree(ROOT, scratch / "tree", ignore=shutil.ignore_patterns(".venv", ".git", "__pycache__",
                                                                               ".hypothesis", ".pytest_cache"))
        target = scratch / "tree" / module.resolve().relative_to(ROOT)
        env = {**os.environ, "PYTHONPATH": str(scratch / "tree"), "PYTHONDONTWRITEBYTECODE": "1"}
        command = [sys.executable, "-m", "pytest", "-x", "-p", "no:cacheprovider", *tests]
        base = subprocess.run(command, cwd=scratch / "tree", env=env, capture_output=True, timeout=timeout * 4)
        if base.returncode:
            print("the tests fail before any mutation:\n", base.stdout.decode()[-2000:])
            return 2
        killed = total = 0
        for m in mutants(source):
            if only and m.line not in only:
                continue
            total += 1
            target.write_text(m.source, encoding="utf-8")
            try:
                alive = subprocess.run(command, cwd=scratch / "tree", env=env, capture_output=True,
                                       timeout=timeout).returncode == 0
            except subprocess.TimeoutExpired:
                alive = False
            killed += not alive
            if alive:
                print(f"survived  {module}:{m.line}  {m.what}", flush=True)
        target.write_text(source, encoding="utf-8")
        print(f"{module}: {killed}/{total} mutants killed ({killed / max(total, 1):.0%})")
        return 0
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("module", type=Path)
    parser.add_argument("tests", nargs="+")
    parser.add_argument("--only", default="", help="comma-separated line numbers")
    parser.add_argument("--timeout", type=int, default=120)
    args = parser.parse_args()
    only = {int(x) for x in args.only.split(",") if x}
    return run(args.module, args.tests, only, args.timeout)


if __name__ == "__main__":
    sys.exit(main())
