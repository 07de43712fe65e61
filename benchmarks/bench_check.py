"""Benchmark ``selfeval check``: workbooks per second with 1 and 2 workers, against merely opening the
same files with openpyxl (default mode), and peak memory for 1,000 against 5,000 files.

    python benchmarks/bench_check.py                 # 1,000 files, memory with 5,000
    python benchmarks/bench_check.py --files 200 --big 0

The corpus is realistic: the demo data set (4 单位, 24 projects and 4 部门整体 tables per seed, with its
planted mistakes: weights that do not add up, a missing 满意度 level, a missing deviation reason …)
filled into our templates by ``selfeval fill`` with a new seed per 28 files. Each set's 单位 get names
of their own, as in one year's batch. The 5,000-file corpus repeats the 1,000 files in five folders. A benchmark, not a test: it prints numbers and the bars.

Bars (issue 4): check --jobs 1 ≥ 4 × openpyxl-load throughput; --jobs 2 ≥ 1.7 × --jobs 1; peak
memory for 5,000 files within 20% of that for 1,000.
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

WRAPPER = ("import resource, subprocess, sys; subprocess.run(sys.argv[1:], check=False, "
           "stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL); "
           "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")


def make_corpus(count: int, folder: Path) -> list[Path]:
    """``count`` filled workbooks in ``folder`` (one demo data set per 28 files, new seed each)."""
    from selfeval_xl import demo_data
    from selfeval_xl.fill import fill

    folder.mkdir(parents=True, exist_ok=True)
    files: list[Path] = []
    seed = 0
    while len(files) < count:
        data = folder / f"_data{seed}.xlsx"
        demo_data.write_xlsx(_own_units(demo_data.generate(seed), seed), data)
        result = fill(data, folder / f"set{seed:03d}")
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


def openpyxl_rate(files: list[Path]) -> tuple[float, float]:
    from openpyxl import load_workbook

    load_workbook(files[0])
    cpu, start = time.process_time(), time.perf_counter()
    for path in files:
        load_workbook(path)
    return len(files) / (time.perf_counter() - start), time.process_time() - cpu


def check_command(folder: Path, jobs: int, out: Path) -> list[str]:
    return [sys.executable, "-c", "import sys; from selfeval_xl.cli import main; sys.exit(main(sys.argv[1:]))",
            "check", str(folder), "--jobs", str(jobs), "-q",
            "--json", str(out / "findings.json"), "-r", str(out / "report.xlsx")]


def _cpu_of_children() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def check_rate(folder: Path, count: int, jobs: int, out: Path) -> tuple[float, float]:
    """Files per second of the whole command (start-up, report and JSON included), and the CPU
    seconds it used in all its processes (what a busy machine cannot distort)."""
    (out / "findings.json").unlink(missing_ok=True)
    cpu = _cpu_of_children()
    start = time.perf_counter()
    code = subprocess.run(check_command(folder, jobs, out), stdout=subprocess.DEVNULL).returncode
    elapsed = time.perf_counter() - start
    cpu = _cpu_of_children() - cpu
    checked = len(json.loads((out / "findings.json").read_text(encoding="utf-8"))["files"]) \
        if (out / "findings.json").is_file() else 0
    if code not in (0, 1) or checked != count:
        raise SystemExit(f"selfeval check failed: exit status {code}, {checked} of {count} files reported")
    return count / elapsed, cpu


def peak_memory_mb(folder: Path, jobs: int, out: Path) -> float:
    """The largest resident set of any process of one ``selfeval check`` run (fresh wrapper process)."""
    done = subprocess.run([sys.executable, "-c", WRAPPER, *check_command(folder, jobs, out)],
                          capture_output=True, text=True, check=True)
    return int(done.stdout.strip()) / 1024


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--big", type=int, default=5000, help="files for the memory comparison (0: skip)")
    parser.add_argument("--workdir", type=Path, default=None, help="keep the corpus here")
    args = parser.parse_args(argv)
    work = args.workdir or Path(tempfile.mkdtemp(prefix="bench-check-"))
    corpus = work / "corpus"
    print(f"生成 {args.files} 个已填报工作簿 / generating {args.files} filled workbooks in {corpus} …", flush=True)
    start = time.perf_counter()
    files = sorted(corpus.rglob("*.xlsx")) if corpus.is_dir() else []
    if len(files) < args.files:
        shutil.rmtree(corpus, ignore_errors=True)
        files = make_corpus(args.files, corpus)
    files = files[:args.files]
    print(f"  {time.perf_counter() - start:.1f} s, {sum(p.stat().st_size for p in files) / len(files) / 1024:.1f} KB"
          " per file", flush=True)
    out = work / "out"
    out.mkdir(exist_ok=True)
    (load, load_cpu), (one, one_cpu), (two, two_cpu) = (openpyxl_rate(files), check_rate(corpus, len(files), 1, out),
                                                        check_rate(corpus, len(files), 2, out))
    n = len(files)
    print(f"\n{'':34}{'workbooks/s':>12}{'ms/workbook':>13}{'ratio':>8}{'CPU ms/workbook':>17}")
    for label, rate, cpu in (("openpyxl load_workbook (default)", load, load_cpu),
                             ("selfeval check --jobs 1", one, one_cpu), ("selfeval check --jobs 2", two, two_cpu)):
        print(f"{label:34}{rate:12.1f}{1000 / rate:13.2f}{rate / load:8.2f}{cpu * 1000 / n:17.2f}")
    print(f"load average now: {' '.join(f'{x:.2f}' for x in os.getloadavg())} (other work on the machine"
          " slows the wall clock, not the CPU per workbook)")
    print(f"\n--jobs 1 / openpyxl = {one / load:.2f}  (bar ≥ 4)     {'OK' if one / load >= 4 else 'BELOW BAR'}")
    print(f"--jobs 2 / --jobs 1 = {two / one:.2f}  (bar ≥ 1.7)   {'OK' if two / one >= 1.7 else 'BELOW BAR'}"
          f"   [{os.cpu_count()} cores]")
    if args.big:
        big = work / "big"
        if not big.is_dir():
            repeat_corpus(files, -(-args.big // len(files)), big)
        small_mb = peak_memory_mb(corpus, 2, out)
        big_mb = peak_memory_mb(big, 2, out)
        n_big = len(list(big.rglob("*.xlsx")))
        growth = big_mb / small_mb - 1
        print(f"\npeak memory (largest process), --jobs 2 with report.xlsx and JSON:")
        print(f"  {len(files):>5} files: {small_mb:7.1f} MB\n  {n_big:>5} files: {big_mb:7.1f} MB   "
              f"(+{growth:.1%}, bar < 20%)   {'OK' if growth < 0.2 else 'BELOW BAR'}")
    if not args.workdir:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
