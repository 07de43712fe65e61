"""Benchmark ``selfeval fill``: the demo data set (24 project and 4 department workbooks) filled by this
checkout, against a baseline interpreter whose ``selfeval_xl`` is an older checkout (the openpyxl fill,
commit c181474 and before: a template styled with openpyxl per workbook).

    python benchmarks/bench_fill.py                                   # this checkout only
    python benchmarks/bench_fill.py --baseline /path/to/old/.venv/bin/python --rounds 5

Each interpreter imports ``selfeval_xl`` as it is installed for it (run from a scratch folder).

Per workbook: in a process of its own per implementation, one warm-up fill (imports, first use), then
``--rounds`` timed fills of the whole data set into fresh folders; the median, divided by the number of
workbooks (the template built once per kind is in it). CPU seconds beside the wall clock: other work on
this shared machine moves the wall clock more than the CPU. Then each implementation's whole command
(start-up included), also median of ``--rounds``. A benchmark, not a test.

Bar (issue 12): fill ≥ 5× faster per workbook than the openpyxl fill, with identical cell values
(tests/test_fill_package.py judges the values).
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

INNER = """
import json, statistics, sys, time
from pathlib import Path
from selfeval_xl.fill import fill
data, work, rounds = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
count = len(fill(data, work / "warm-up", year=2021).written)
walls, cpus = [], []
for n in range(rounds):
    cpu, start = time.process_time(), time.perf_counter()
    fill(data, work / f"round-{n}", year=2021)
    walls.append(time.perf_counter() - start)
    cpus.append(time.process_time() - cpu)
print(json.dumps({"workbooks": count, "wall": statistics.median(walls), "cpu": statistics.median(cpus)}))
"""
CLI = "import sys; from selfeval_xl.cli import main; sys.exit(main(sys.argv[1:]))"


def per_workbook(python: str, data: Path, work: Path, rounds: int) -> dict:
    """(workbooks, median wall s, median CPU s) of filling ``data`` in-process, under ``python``."""
    out = subprocess.run([python, "-c", INNER, str(data), str(work), str(rounds)], capture_output=True, text=True,
                         cwd=data.parent)              # not this checkout: ``-c`` imports from the cwd first
    if out.returncode:
        raise SystemExit(f"{python}: fill failed\n{out.stderr[-2000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def whole_command(python: str, data: Path, work: Path, rounds: int) -> tuple[float, float]:
    """Median (wall s, CPU s) of ``selfeval fill`` as a whole process, start-up included."""
    results = []
    for n in range(rounds):
        target = work / f"cli-{n}"
        cpu, start = _children_cpu(), time.perf_counter()
        code = subprocess.run([python, "-c", CLI, "fill", str(data), "-o", str(target), "--year", "2021"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=data.parent).returncode
        results.append((time.perf_counter() - start, _children_cpu() - cpu))
        if code not in (0, 1):
            raise SystemExit(f"{python}: selfeval fill failed with exit status {code}")
        shutil.rmtree(target, ignore_errors=True)
    results.sort()
    return results[len(results) // 2]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", help="a Python whose selfeval_xl is the old (openpyxl) fill")
    parser.add_argument("--rounds", type=int, default=3, help="timed runs of each (the median is shown)")
    args = parser.parse_args(argv)
    from selfeval_xl.demo_data import generate, write_xlsx

    work = Path(tempfile.mkdtemp(prefix="bench-fill-"))
    data = work / "data.xlsx"
    write_xlsx(generate(), data)
    pythons = {"fill (package patch)": sys.executable}
    if args.baseline:
        pythons["fill, old openpyxl per workbook"] = args.baseline
    rows = {}
    for label, python in pythons.items():
        inner = per_workbook(python, data, work / label.split()[0] / "in-process", args.rounds)
        whole = whole_command(python, data, work / label.split()[0], args.rounds)
        rows[label] = (inner["workbooks"], inner["wall"], inner["cpu"], *whole)
    load = os.getloadavg()
    print(f"{'':34}{'workbooks':>10}{'wall ms/wb':>12}{'CPU ms/wb':>11}{'command wall s':>16}{'command CPU s':>15}")
    for label, (n, wall, cpu, cmd_wall, cmd_cpu) in rows.items():
        print(f"{label:34}{n:10d}{wall * 1000 / n:12.1f}{cpu * 1000 / n:11.1f}{cmd_wall:16.2f}{cmd_cpu:15.2f}")
    print(f"\nload average: {' '.join(f'{x:.2f}' for x in load)} ({os.cpu_count()} cores); median of {args.rounds} runs")
    if args.baseline:
        new, old = rows["fill (package patch)"], rows["fill, old openpyxl per workbook"]
        ratio_wall, ratio_cpu = (old[1] / old[0]) / (new[1] / new[0]), (old[2] / old[0]) / (new[2] / new[0])
        print(f"old / new per workbook = {ratio_wall:.1f} wall, {ratio_cpu:.1f} CPU  (bar ≥ 5)   "
              f"{'OK' if min(ratio_wall, ratio_cpu) >= 5 else 'BELOW BAR'}")
        print(f"old / new whole command = {old[3] / new[3]:.1f} wall, {old[4] / new[4]:.1f} CPU (start-up included)")
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
