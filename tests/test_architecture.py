"""The import contracts of setup.cfg hold: the core knows no Excel, no reader and no face."""
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_import_contracts_hold():
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(lint), str(ROOT / "setup.cfg")], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "BROKEN" not in result.stdout and "KEPT" in result.stdout


def test_package_import_is_cheap():
    code = ("import sys, selfeval_xl, selfeval_xl.cli; "
            "print(sorted(m for m in ('pandas','openpyxl','xlwings','formulas') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def _unit(dotted: str) -> str | None:
    """The unit of README's table a module of ours belongs to: a package (``read``, ``batch``), or inside
    ``core/`` the module itself (``rules``, ``parse``), since the core's modules are layered one by one."""
    parts = dotted.split(".")
    if parts[1] == "core":
        return parts[2] if len(parts) > 2 else None
    return parts[1]


def _ours(path: Path) -> set[str]:
    """The units of ours a file imports (lazy imports inside functions included)."""
    import ast

    package = ["selfeval_xl", *path.relative_to(ROOT / "selfeval_xl").parts[:-1]]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            module = ".".join(base + ([node.module] if node.module else []))
            names = [f"{module}.{a.name}" for a in node.names] if (
                not node.module or module == "selfeval_xl.core") else [module]
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        else:
            continue
        found |= {_unit(n) for n in names if n.startswith("selfeval_xl.")} - {None}
    return found


def _real_imports() -> dict[str, set[str]]:
    real: dict[str, set[str]] = {}
    for path in (ROOT / "selfeval_xl").rglob("*.py"):
        parts = path.relative_to(ROOT / "selfeval_xl").with_suffix("").parts
        unit = _unit(".".join(("selfeval_xl", *parts)))
        if unit not in (None, "__init__"):
            real.setdefault(unit, set()).update(_ours(path))
    return {unit: found - {unit} for unit, found in real.items()}


def _readme_table() -> list[tuple[set[str], set[str] | None]]:
    """README's module table: (the units of a row, the imports of ours it claims; None: ``anything``)."""
    import re

    rows, lines = [], (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    start = lines.index("| module | job | imports of ours |")
    end = next(n for n in range(start, len(lines)) if not lines[n].startswith("|"))
    for line in lines[start:end]:
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 3 or not cells[0].startswith("`") or "selfeval " in cells[0]:
            continue
        units = {u.removesuffix(".py").rstrip("/").removeprefix("core/")
                 for u in re.findall(r"`([\w./]+)`", cells[0])}
        words = cells[2]
        imports = None if words == "anything" else (
            set() if words in ("none", "—") else {w.strip().split(".")[0] for w in words.split(",")})
        rows.append((units - {"systems", "layouts", "udfs"}, imports))
    return rows


def test_readme_import_table_is_the_real_imports():
    real, rows = _real_imports(), _readme_table()
    listed = set().union(*(units for units, _ in rows))
    assert set(real) <= listed, f"modules missing from README's table: {sorted(set(real) - listed)}"
    wrong = {}
    for units, claimed in rows:
        found = set().union(*(real.get(u, set()) for u in units)) - units
        if claimed is not None and claimed != found:
            wrong[", ".join(sorted(units))] = (sorted(claimed), sorted(found))
    assert not wrong, f"README says (claimed, real): {wrong}"


def test_a_core_module_importing_a_worker_breaks_the_layers_contract(tmp_path):
    import shutil

    shutil.copytree(ROOT / "selfeval_xl", tmp_path / "selfeval_xl")
    shutil.copy(ROOT / "setup.cfg", tmp_path / "setup.cfg")
    shutil.copy(ROOT / "udfs.py", tmp_path / "udfs.py")
    with (tmp_path / "selfeval_xl" / "core" / "system.py").open("a", encoding="utf-8") as handle:
        handle.write("\nfrom .. import checks  # noqa: E402,F401  (a core module importing a worker)\n")
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(lint), "setup.cfg"], cwd=tmp_path, capture_output=True, text=True,
                            env={"PYTHONPATH": str(tmp_path), "PATH": "/usr/bin:/bin"})
    assert result.returncode != 0
    assert "selfeval_xl.core is not allowed to import selfeval_xl.checks" in result.stdout
    assert "selfeval_xl.core.system -> selfeval_xl.checks" in result.stdout
