"""Benchmark ``selfeval check`` against the floor (python-calamine's bare read of every value of the same
files) and against openpyxl's default load, on our templates' output, on department-style files and on
rich department-style files; ``--jobs 2`` against ``--jobs 1`` with report.xlsx and JSON (same
outputs); ``selfeval score`` against ``check`` on the same files; peak memory for 1,000 against 10,000
files. Every ratio of issues 12 and 26 in one run.

    python benchmarks/bench_check.py                             # 1,000 files, memory with 10,000
    python benchmarks/bench_check.py --files 200 --big 0 --workdir /tmp/bench-check   # keep the corpora
    python benchmarks/bench_check.py --python /other/checkout/.venv/bin/python      # another version
    python benchmarks/bench_check.py --rounds 3                  # each figure the median of 3 runs
    python benchmarks/bench_check.py --memory-only --workdir /tmp/bench-check   # only the memory figures

Corpora: "templates" is the demo data set (4 单位, 24 projects and 4 部门整体 tables per seed, with its
planted mistakes) filled into our templates by ``selfeval fill`` with a new seed per 28 files, each
set's 单位 under names of their own, as in one year's batch; "department" is each of those 自评表 rebuilt
the way a department builds one with openpyxl: one sheet, little styling, no meta sheet or defined
names, formulas with the values Excel caches (tests/department_style.py); "rich" is the same with what a
careful department adds on the sheet: a chart of its funds, two comments and two data validations. The
10,000-file corpus repeats the department 1,000 in ten folders.

Every figure is a whole process (start-up included, from bytecode as an installed package has it: the
timed package is compiled first): the floor and openpyxl are each one Python process reading every file
in turn. CPU seconds of all processes are printed beside the wall clock, and the load average beside
each figure: this is a shared 2-core machine, and other work moves the wall clock more than the CPU.
With ``--rounds`` the commands of a corpus take turns, round after round (a drift of the machine's
speed reaches them all), and each figure is the median. A benchmark, not a test: it prints numbers and
the bars.

Two more rows show the floor of our own design: "our guarded read" is what every file costs before any
table is looked for (the guard's measures, calamine, the workbook part, the formula and format scan),
"read_workbook" adds finding and reading the tables; both in one process like the floor.

Bars (issues 12 and 26): on department-style files ``check --jobs 1`` ≥ 6 × openpyxl's default load and
≥ 30 % of calamine's bare-read rate; ``--jobs 2 -r --json`` ≥ 1.7 × ``--jobs 1`` with the same outputs;
peak memory for 10,000 files within 1.2 × that for 1,000; ``score`` ≤ 3 × ``check --jobs 1`` on
department-style and on rich files.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
PYTHON = sys.executable
FLOOR = ("import sys\nfrom python_calamine import CalamineWorkbook\n"
         "for p in sys.argv[1:]:\n    b = CalamineWorkbook.from_path(p)\n"
         "    for n in b.sheet_names: b.get_sheet_by_name(n).to_python()\n")
OPENPYXL = "import sys\nfrom openpyxl import load_workbook\nfor p in sys.argv[1:]: load_workbook(p)\n"
GUARDED = ("import sys\nfrom pathlib import Path\nfrom selfeval_xl.core.limits import DEFAULT_LIMITS\n"
           "from selfeval_xl.read.workbook import MAX_ROWS, _load\nfor p in sys.argv[1:]:\n"
           "    grids, _, formulas = _load(Path(p), MAX_ROWS, DEFAULT_LIMITS, [], True)\n"
           "    for g in grids: formulas(g.name)\n")
"""Our reading before any table is looked for (the floor of our design): the guard's measures (path, zip
directory, each sheet's extent), calamine, the workbook part and the formula and format scan, in one
process like the floor (no worker)."""
READER = "import sys\nfrom selfeval_xl.read import read_workbook\nfor p in sys.argv[1:]: read_workbook(p, skip_ours=True)\n"


def make_corpus(count: int, folder: Path) -> list[Path]:
    """``count`` filled workbooks in ``folder`` (one demo data set per 28 files, new seed each)."""
    from selfeval_xl.demo import data as demo_data
    from selfeval_xl.fill import fill

    folder.mkdir(parents=True, exist_ok=True)
    files: list[Path] = []
    seed = 0
    while len(files) < count:
        data = folder / f"_data{seed}.xlsx"
        demo_data.write_xlsx(_own_units(demo_data.generate(seed), seed), data)
        fill(data, folder / f"set{seed:03d}")
        data.unlink()
        files += sorted((folder / f"set{seed:03d}").glob("*.xlsx"))
        seed += 1
    for extra in files[count:]:
        extra.unlink()
    return files[:count]


def _own_units(data, seed: int):
    """Each data set's 单位 under names of their own, as in one year's batch (the cross-file check adds
    up the projects of one 单位: the same four names in every set would add up 36 sets)."""
    units = {row["单位"] for rows in data.tables.values() for row in rows if "单位" in row}
    for rows in data.tables.values():
        for row in rows:
            for key, value in row.items():
                if value in units:
                    row[key] = f"{value}{seed:03d}"
    return data


def repeat_corpus(files: list[Path], times: int, folder: Path) -> Path:
    for i in range(times):
        target = folder / f"copy{i}"
        target.mkdir(parents=True, exist_ok=True)
        for j, path in enumerate(files):
            shutil.copy(path, target / f"{j:05d}-{path.name}")
    return folder


def department_corpus(files: list[Path], folder: Path, rich: bool = False) -> list[Path]:
    """Each filled workbook rebuilt as a department would (tests/department_style.py); ``rich``: with a
    chart, comments and data validations on the sheet."""
    sys.path.insert(0, str(HERE.parent / "tests"))
    from department_style import department_style

    folder.mkdir(parents=True, exist_ok=True)
    return [department_style(path, folder / f"{n:04d}-{path.name}", rich=rich) for n, path in enumerate(files)]


def compile_package(python: str) -> None:
    """Bytecode for the timed package, as ``pip install`` leaves it: a process started with
    PYTHONDONTWRITEBYTECODE would otherwise compile every module from source at each start."""
    where = subprocess.run([python, "-c", "import os, selfeval_xl; print(os.path.dirname(selfeval_xl.__file__))"],
                           capture_output=True, text=True, check=True, cwd=tempfile.gettempdir()).stdout.strip()
    subprocess.run([python, "-m", "compileall", "-q", where], check=True, stdout=subprocess.DEVNULL)


def load() -> str:
    return "/".join(f"{x:.1f}" for x in os.getloadavg())


def _cpu_of_children() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(argv: list[str]) -> tuple[float, float, int]:
    """(wall seconds, CPU seconds of all its processes, exit status) of one whole command."""
    cpu, start = _cpu_of_children(), time.perf_counter()
    code = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode
    return time.perf_counter() - start, _cpu_of_children() - cpu, code


def check_command(folder: Path, jobs: int, out: Path | None) -> list[str]:
    outputs = ["--json", str(out / "findings.json"), "-r", str(out / "report.xlsx")] if out else []
    return [PYTHON, "-c", "import sys; from selfeval_xl.cli import main; sys.exit(main(sys.argv[1:]))",
            "check", str(folder), "--jobs", str(jobs), "-q", *outputs]


def check(folder: Path, count: int, jobs: int, out: Path | None) -> tuple[float, float]:
    if out:
        (out / "findings.json").unlink(missing_ok=True)
    wall, cpu, code = timed(check_command(folder, jobs, out))
    checked = len(json.loads((out / "findings.json").read_text(encoding="utf-8"))["files"]) \
        if out and (out / "findings.json").is_file() else count
    if code not in (0, 1) or checked != count:
        raise SystemExit(f"selfeval check failed: exit status {code}, {checked} of {count} files reported")
    return wall, cpu


def outputs_of(out: Path) -> tuple:
    """What a run wrote, to compare two runs: the JSON and every cell of report.xlsx."""
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_path(str(out / "report.xlsx"))
    cells = [book.get_sheet_by_name(n).to_python() for n in book.sheet_names]
    return json.loads((out / "findings.json").read_text(encoding="utf-8")), cells


def peak_memory_mb(folder: Path, jobs: int, out: Path) -> tuple[float, float, float]:
    """The largest resident set of any process of one ``selfeval check`` run (fresh wrapper process),
    in MB, with the run's wall clock and the CPU seconds of all its processes."""
    wrapper = ("import resource, subprocess, sys; subprocess.run(sys.argv[1:], check=False, "
               "stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL); "
               "u = resource.getrusage(resource.RUSAGE_CHILDREN); print(u.ru_maxrss, u.ru_utime + u.ru_stime)")
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", wrapper, *check_command(folder, jobs, out)],
                          capture_output=True, text=True, check=True)
    rss, cpu = done.stdout.split()
    return int(rss) / 1024, time.perf_counter() - start, float(cpu)


def score_command(files: list[Path], out: Path) -> list[str]:
    return [PYTHON, "-c", "import sys; from selfeval_xl.cli import main; sys.exit(main(sys.argv[1:]))",
            "score", *map(str, files), "-o", str(out)]


def bench(name: str, folder: Path, files: list[Path], out: Path, rounds: int) -> dict[str, float]:
    """Print one corpus's table; return check --jobs 1 ÷ openpyxl and ÷ floor (rates), --jobs 2 ÷
    --jobs 1, and score ÷ check (wall)."""
    n = len(files)
    paths = [str(p) for p in files]
    commands = (("calamine bare read (floor)", [PYTHON, "-c", FLOOR, *paths], "floor"),
                ("openpyxl load_workbook (default)", [PYTHON, "-c", OPENPYXL, *paths], "openpyxl"),
                ("our guarded read (no tables)", [PYTHON, "-c", GUARDED, *paths], "guarded"),
                ("read_workbook (tables found)", [PYTHON, "-c", READER, *paths], "reader"),
                ("check --jobs 1", None, "one"), ("check --jobs 1 -r --json", None, "one-out"),
                ("check --jobs 2 -r --json", None, "two-out"),
                ("score (package patch)", score_command(files, out / "scored"), "score"))
    runs: dict[str, list[tuple[float, float, str]]] = {kind: [] for _, _, kind in commands}
    for _ in range(rounds):
        for label, argv, kind in commands:
            before = load()
            shutil.rmtree(out / "scored", ignore_errors=True)
            if argv:
                wall, cpu, code = timed(argv)
                if code not in ((0, 1) if kind == "score" else (0,)):
                    raise SystemExit(f"{label} failed: exit status {code}")
            else:
                jobs = 2 if kind == "two-out" else 1
                wall, cpu = check(folder, n, jobs, out / kind if kind != "one" else None)
            runs[kind].append((wall, cpu, before))
    by = {kind: sorted(times)[len(times) // 2] for kind, times in runs.items()}
    print(f"\n{name}: {n} files, {sum(p.stat().st_size for p in files) / n / 1024:.1f} KB per file"
          + (f", median of {rounds} rounds" if rounds > 1 else ""))
    print(f"{'':34}{'ms/file':>9}{'CPU ms/file':>13}{'÷ floor':>9}{'× openpyxl':>12}{'÷ check':>9}   load avg")
    for label, _, kind in commands:
        wall, cpu, before = by[kind]
        print(f"{label:34}{wall * 1000 / n:9.2f}{cpu * 1000 / n:13.2f}{by['floor'][0] / wall:9.2f}"
              f"{by['openpyxl'][0] / wall:12.2f}{wall / by['one'][0]:9.2f}   {before}")
    same = outputs_of(out / "one-out") == outputs_of(out / "two-out")
    return {"openpyxl": by["openpyxl"][0] / by["one"][0], "floor": by["floor"][0] / by["one"][0],
            "guarded": by["openpyxl"][0] / by["guarded"][0], "reader": by["openpyxl"][0] / by["reader"][0],
            "jobs": by["one-out"][0] / by["two-out"][0], "same": same, "score": by["score"][0] / by["one"][0],
            "score_cpu": by["score"][1] / by["one"][1]}


def main(argv: list[str] | None = None) -> int:
    global PYTHON
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--big", type=int, default=10000, help="files for the memory comparison (0: skip)")
    parser.add_argument("--workdir", type=Path, default=None, help="keep the corpora here")
    parser.add_argument("--python", default=sys.executable, help="the Python whose selfeval_xl is timed")
    parser.add_argument("--rounds", type=int, default=1, help="runs of each command (the median is shown)")
    parser.add_argument("--memory-only", action="store_true",
                        help="only peak memory for --files against --big (no timings; a shared machine's "
                             "load moves the clock, not the memory)")
    args = parser.parse_args(argv)
    PYTHON = args.python
    work = args.workdir or Path(tempfile.mkdtemp(prefix="bench-check-"))
    corpus = work / "corpus"
    files = sorted(corpus.rglob("*.xlsx")) if corpus.is_dir() else []
    if len(files) < args.files:
        print(f"生成 {args.files} 个已填报工作簿 / generating {args.files} filled workbooks …", flush=True)
        shutil.rmtree(corpus, ignore_errors=True)
        for kind in ("department", "rich"):
            shutil.rmtree(work / kind, ignore_errors=True)
        files = make_corpus(args.files, corpus)
    files = files[:args.files]
    styled = {}
    for kind in ("department",) if args.memory_only else ("department", "rich"):
        found = sorted((work / kind).glob("*.xlsx")) if (work / kind).is_dir() else []
        if len(found) < len(files):
            print(f"改写为部门自制样式 / rebuilding them department-style ({kind}) …", flush=True)
            shutil.rmtree(work / kind, ignore_errors=True)
            found = department_corpus(files, work / kind, rich=kind == "rich")
        styled[kind] = found[:len(files)]
    out = work / "out"
    for kind in ("one-out", "two-out", "memory-small", "memory-big"):
        (out / kind).mkdir(parents=True, exist_ok=True)
    compile_package(PYTHON)
    print(f"[{os.cpu_count()} cores; {PYTHON}]")
    if not args.memory_only:
        timings(corpus, files, work, styled, out, args.rounds)
    if args.big:
        memory(work, styled["department"], out, args.big)
    if not args.workdir:
        shutil.rmtree(work, ignore_errors=True)
    return 0


def timings(corpus: Path, files: list[Path], work: Path, styled: dict[str, list[Path]], out: Path,
            rounds: int) -> None:
    """Every timed ratio of issues 12 and 26 on the three corpora, and the bars."""
    results = {"templates' output": bench("templates' output", corpus, files, out, rounds),
               "department-style": bench("department-style", work / "department", styled["department"], out,
                                         rounds),
               "rich": bench("rich department-style", work / "rich", styled["rich"], out, rounds)}
    print()
    for name, r in results.items():
        print(f"{name:18} check --jobs 1 = {r['openpyxl']:.2f} × openpyxl, {r['floor']:.0%} of the floor;"
              f"  --jobs 2 / --jobs 1 (-r --json) = {r['jobs']:.2f}, outputs {'the same' if r['same'] else 'DIFFER'};"
              f"  score / check = {r['score']:.2f} ({r['score_cpu']:.2f} CPU)")
    d, rich = results["department-style"], results["rich"]
    print(f"bars (department-style): × openpyxl {d['openpyxl']:.2f} ≥ 6 {'OK' if d['openpyxl'] >= 6 else 'BELOW'};"
          f"  floor {d['floor']:.0%} ≥ 30% {'OK' if d['floor'] >= 0.3 else 'BELOW'};"
          f"  jobs {d['jobs']:.2f} ≥ 1.7 {'OK' if d['jobs'] >= 1.7 and d['same'] else 'BELOW'}")
    print(f"the floor of our design (department-style, × openpyxl): the guarded read alone {d['guarded']:.2f},"
          f" read_workbook {d['reader']:.2f}, check --jobs 1 {d['openpyxl']:.2f}")
    print(f"bars (score ≤ 3 × check): department-style {d['score']:.2f} {'OK' if d['score'] <= 3 else 'ABOVE'};"
          f"  rich {rich['score']:.2f} {'OK' if rich['score'] <= 3 else 'ABOVE'}")


def memory(work: Path, plain: list[Path], out: Path, count: int) -> None:
    """Peak memory of the largest process for the department-style files against ``count`` of them
    (the same files repeated in folders), ``--jobs 2 -r --json``; each run's findings.json and report.xlsx
    stay in ``out/memory-small`` and ``out/memory-big`` (to compare two versions' findings)."""
    big = work / "big"
    if len(list(big.rglob("*.xlsx"))) < count:
        shutil.rmtree(big, ignore_errors=True)
        repeat_corpus(plain, -(-count // len(plain)), big)
    small_mb, small_wall, small_cpu = peak_memory_mb(work / "department", 2, out / "memory-small")
    big_mb, big_wall, big_cpu = peak_memory_mb(big, 2, out / "memory-big")
    n_big = len(list(big.rglob("*.xlsx")))
    ratio = big_mb / small_mb
    print(f"\npeak memory (largest process), --jobs 2 -r --json, department-style (load avg {load()}):")
    for n, mb, wall, cpu in ((len(plain), small_mb, small_wall, small_cpu), (n_big, big_mb, big_wall, big_cpu)):
        print(f"  {n:>6} files: {mb:7.1f} MB   {wall * 1000 / n:6.2f} ms/file, {cpu * 1000 / n:6.2f} CPU ms/file")
    print(f"  {ratio:.2f} ×, bar ≤ 1.2   {'OK' if ratio <= 1.2 else 'BELOW BAR'}")


if __name__ == "__main__":
    sys.exit(main())
