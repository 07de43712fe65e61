"""Benchmark ``selfeval score``: 200 department-style workbooks scored by patching the package, against
``selfeval check`` on the same files, against the old openpyxl load + save, and against the floor
(python-calamine's bare read of every value); on two corpora in one run.

    python benchmarks/bench_score.py                  # 200 files of each corpus
    python benchmarks/bench_score.py --files 50 --workdir /tmp/bench-score   # keep the corpora
    python benchmarks/bench_score.py --python /other/checkout/.venv/bin/python   # another version

The corpora: the demo data set filled into our templates (as bench_check.py does), each 自评表 then
rebuilt the way a department builds one with openpyxl — one sheet, little styling, no meta sheet or
defined names, formulas with the values Excel caches (tests/department_style.py); "rich" is the same
files with what a careful department adds on the 自评表 sheet itself: a chart of its funds, two comments
and two data validations. Whole processes are timed (start-up included); CPU seconds of all processes
are given beside the wall clock, as other work on this shared machine moves the wall clock more than
the CPU; each command's rounds alternate with the others' (a drift of the machine's speed reaches all).
A benchmark, not a test.

Bar (issues 12 and 26): score ≤ 3 × check on the same files, on both corpora. It also lists the zip
members that differ between each file and its scored copy (union over each corpus).
"""
from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent / "tests")]

CLI = "import sys; from selfeval_xl.cli import main; sys.exit(main(sys.argv[1:]))"
OLD_PATH = ("import sys; import selfeval_xl.book.package_book as p; from selfeval_xl.book.openpyxl_book import "
            "OpenpyxlBook; p.PackageBook = OpenpyxlBook; from selfeval_xl.cli import main; sys.exit(main(sys.argv[1:]))")


CORPORA = {"department": False, "rich": True}
"""Each corpus's folder name → whether its files carry a chart, comments and data validations."""


def make_department_style(count: int, folder: Path) -> dict[str, list[Path]]:
    """Both corpora (:data:`CORPORA`) from one set of ``count`` filled workbooks."""
    from bench_check import make_corpus
    from department_style import department_style

    filled = make_corpus(count, folder / "filled")
    corpora = {}
    for name, rich in CORPORA.items():
        target = folder / name
        target.mkdir(parents=True, exist_ok=True)
        corpora[name] = [department_style(path, target / f"{n:04d}-{path.name}", rich=rich)
                         for n, path in enumerate(filled)]
    shutil.rmtree(folder / "filled")
    return corpora


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run(argv: list[str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one whole command."""
    cpu, start = _children_cpu(), time.perf_counter()
    code = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode
    wall, cpu = time.perf_counter() - start, _children_cpu() - cpu
    if code not in (0, 1):
        raise SystemExit(f"{' '.join(argv[:4])} … failed with exit status {code}")
    return wall, cpu


def calamine_floor(files: list[Path]) -> tuple[float, float]:
    """Every value of every sheet with python-calamine, in this process (no start-up)."""
    from python_calamine import CalamineWorkbook

    cpu, start = time.process_time(), time.perf_counter()
    for path in files:
        book = CalamineWorkbook.from_path(str(path))
        for name in book.sheet_names:
            book.get_sheet_by_name(name).to_python()
    return time.perf_counter() - start, time.process_time() - cpu


def differing_members(files: list[Path], out: Path) -> dict[str, int]:
    """Member name → in how many scored copies it differs from (or is missing in) the original."""
    counts: dict[str, int] = {}
    for path in files:
        with zipfile.ZipFile(path) as a, zipfile.ZipFile(out / path.name) as b:
            kinds = {i.filename: i.compress_type for i in b.infolist()}
            for info in a.infolist():
                if info.filename not in kinds or kinds[info.filename] != info.compress_type \
                        or a.read(info) != b.read(info.filename):
                    counts[info.filename] = counts.get(info.filename, 0) + 1
            for name in set(kinds) - set(a.namelist()):
                counts[f"+ {name}"] = counts.get(f"+ {name}", 0) + 1
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=200)
    parser.add_argument("--workdir", type=Path, default=None, help="keep the corpora here")
    parser.add_argument("--rounds", type=int, default=3, help="timed runs of each command (the median is shown)")
    parser.add_argument("--python", default=sys.executable, help="the Python whose selfeval_xl is timed")
    args = parser.parse_args(argv)
    work = args.workdir or Path(tempfile.mkdtemp(prefix="bench-score-"))
    found = {name: sorted((work / "corpus" / name).glob("*.xlsx")) for name in CORPORA}
    if any(len(files) < args.files for files in found.values()):
        print(f"生成 {args.files} 个部门式工作簿 / building {args.files} department-style workbooks …", flush=True)
        shutil.rmtree(work / "corpus", ignore_errors=True)
        found = make_department_style(args.files, work / "corpus")
    print(f"[{os.cpu_count()} cores; {args.python}]")
    ratios = {}
    for name, files in found.items():
        ratios[name] = bench(name, files[:args.files], work, args.python, args.rounds)
    print()
    for name, ratio in ratios.items():
        print(f"bar ({name}): score / check = {ratio:.2f} ≤ 3   {'OK' if ratio <= 3 else 'ABOVE BAR'}")
    if not args.workdir:
        shutil.rmtree(work, ignore_errors=True)
    return 0


def bench(name: str, files: list[Path], work: Path, python: str, rounds: int) -> float:
    """Print one corpus's table and its changed members; return score ÷ check (wall)."""
    n = len(files)
    corpus = files[0].parent
    out = work / f"out-{name}"
    print(f"\n{name}: {n} files, {sum(p.stat().st_size for p in files) / n / 1024:.1f} KB per file, in {corpus}",
          flush=True)
    commands = {
        "python-calamine, every value (floor)": None,
        "selfeval check --jobs 1": [python, "-c", CLI, "check", str(corpus), "--jobs", "1", "-q"],
        "selfeval score (package patch)": [python, "-c", CLI, "score", *map(str, files), "-o", str(out)],
        "score, old openpyxl load + save": [python, "-c", OLD_PATH, "score", *map(str, files), "-o",
                                            str(work / f"out-openpyxl-{name}")],
    }
    runs: dict[str, list[tuple[float, float]]] = {label: [] for label in commands}
    for _ in range(rounds):
        for label, argv in commands.items():
            if argv is not None and "-o" in argv:      # a second round must score again, not refuse to
                shutil.rmtree(argv[argv.index("-o") + 1], ignore_errors=True)     # overwrite the first's files
            runs[label].append(calamine_floor(files) if argv is None else run(argv))
    results = {label: sorted(times)[len(times) // 2] for label, times in runs.items()}
    load = os.getloadavg()
    check_wall, check_cpu = results["selfeval check --jobs 1"]
    print(f"{'':38}{'wall ms/file':>13}{'CPU ms/file':>12}{'wall ÷ check':>14}{'CPU ÷ check':>13}")
    for label, (wall, cpu) in results.items():
        print(f"{label:38}{wall * 1000 / n:13.2f}{cpu * 1000 / n:12.2f}{wall / check_wall:14.2f}{cpu / check_cpu:13.2f}")
    score_wall, score_cpu = results["selfeval score (package patch)"]
    old_wall, old_cpu = results["score, old openpyxl load + save"]
    floor_wall, _ = results["python-calamine, every value (floor)"]
    print(f"load average: {' '.join(f'{x:.2f}' for x in load)}; median of {rounds} runs")
    print(f"score / check      = {score_wall / check_wall:.2f} wall, {score_cpu / check_cpu:.2f} CPU  (bar ≤ 3)")
    print(f"old score / score  = {old_wall / score_wall:.2f} wall, {old_cpu / score_cpu:.2f} CPU")
    print(f"score / calamine   = {score_wall / floor_wall:.1f} wall (the floor is read in-process, no start-up)")
    print("zip members that differ after score (in how many of the files):")
    for member, count in sorted(differing_members(files, out).items()):
        print(f"  {member:45} {count}")
    return score_wall / check_wall


if __name__ == "__main__":
    sys.exit(main())
