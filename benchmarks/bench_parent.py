"""Benchmark the parent process of a batch: ``check --jobs 2 -r report.xlsx --json f.json`` on a folder,
the parent's own CPU (``RUSAGE_SELF``, its threads included) beside its workers' (``RUSAGE_CHILDREN``).

Why its own figure: with two workers on two cores the parent's CPU is taken from them (issue 26:
``--jobs 2 -r --json`` ≥ 1.7 × ``--jobs 1``), and the whole-process CPU of ``bench_check.py`` cannot
tell the two apart. Each run is a fresh process from bytecode (the timed package is compiled first, as
an installed package is); with ``--against`` another checkout's package takes turns with this one,
round after round, so that a drift of a shared machine's speed reaches both; each figure is a median.

    python benchmarks/bench_parent.py /tmp/mem-bench/department
    python benchmarks/bench_parent.py /tmp/mem-bench/department --rounds 7 --against /other/checkout
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent
RUN = ("import resource, sys\nfrom selfeval_xl.cli import main\n"
       "try:\n    main(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
       "s, c = (resource.getrusage(w) for w in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))\n"
       "print(s.ru_utime + s.ru_stime, c.ru_utime + c.ru_stime)\n")


def parent_and_workers(checkout: Path, folder: Path, work: Path) -> tuple[float, float]:
    """CPU seconds of one run's parent and of its workers, the package taken from ``checkout``."""
    env = {**os.environ, "PYTHONPATH": str(checkout)}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    argv = ["check", str(folder), "--jobs", "2", "-q", "--force", "-r", str(work / "report.xlsx"),
            "--json", str(work / "findings.json")]
    out = subprocess.run([sys.executable, "-c", RUN, *argv], env=env, capture_output=True, text=True, check=True,
                         cwd=work)         # not a checkout's folder: ``-c`` puts the current one first on the path
    parent, workers = map(float, out.stdout.split()[-2:])
    return parent, workers


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--against", type=Path, help="another checkout, timed in turn with this one")
    args = parser.parse_args(argv)
    checkouts = {"this": HERE, **({"against": args.against.resolve()} if args.against else {})}
    for checkout in checkouts.values():
        subprocess.run([sys.executable, "-m", "compileall", "-q", str(checkout / "selfeval_xl")], check=True,
                       stdout=subprocess.DEVNULL)
    runs: dict[str, list[tuple[float, float]]] = {name: [] for name in checkouts}
    with tempfile.TemporaryDirectory(prefix="bench-parent-") as tmp:
        for _ in range(args.rounds):
            for name, checkout in checkouts.items():
                runs[name].append(parent_and_workers(checkout, args.folder, Path(tmp)))
    for name, measured in runs.items():
        parent = statistics.median(p for p, _ in measured)
        workers = statistics.median(w for _, w in measured)
        print(f"{name:8} parent {parent:.3f} s CPU (runs {', '.join(f'{p:.2f}' for p, _ in measured)}), "
              f"workers {workers:.3f} s; load {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
