"""Benchmark ``selfeval fill``: the demo data set (24 project and 4 department workbooks) filled by this
checkout, against a baseline interpreter whose ``selfeval_xl`` is an older checkout (the openpyxl fill,
commit c181474 and before: a template styled with openpyxl per workbook).

    python benchmarks/bench_fill.py                                   # this checkout only
    python benchmarks/bench_fill.py --baseline /path/to/old/.venv/bin/python --rounds 5

Each interpreter imports ``selfeval_xl`` as it is installed for it (run from a scratch folder).

Per workbook: in a process of its own per implementation, one warm-up fill (imports, first use), then
``--rounds`` timed fills of the whole data set into fresh folders; the median, divided by the number of
workbooks (reading the data table and building each template once are in it). Then the same for the
demo data repeated ``--scale`` times (each copy's 单位 and projects renamed), and the cost of one more
workbook: the difference of the two medians over the difference in workbooks (what a larger data table
costs per workbook, the fixed costs left out). CPU seconds beside the wall clock: other work on this
shared machine moves the wall clock more than the CPU. Then each implementation's whole command on the
demo data (start-up included), also median of ``--rounds``. A benchmark, not a test.

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


def scaled(tables: dict[str, list[dict]], copies: int) -> dict[str, list[dict]]:
    """The demo tables ``copies`` times over, each copy's 单位 and project names made its own."""
    result: dict[str, list[dict]] = {}
    for name, rows in tables.items():
        result[name] = [{**row, **{key: f"{row[key]}{k}" for key in ("单位", "项目名称", "项目") if row.get(key)}}
                        if k else dict(row) for k in range(copies) for row in rows]
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", help="a Python whose selfeval_xl is the old (openpyxl) fill")
    parser.add_argument("--rounds", type=int, default=3, help="timed runs of each (the median is shown)")
    parser.add_argument("--scale", type=int, default=5, help="copies of the demo data for the marginal cost")
    args = parser.parse_args(argv)
    from selfeval_xl.demo.data import DemoData, generate, write_xlsx

    work = Path(tempfile.mkdtemp(prefix="bench-fill-"))
    data, big = work / "data.xlsx", work / "data-scaled.xlsx"
    demo = generate()
    write_xlsx(demo, data)
    write_xlsx(DemoData(scaled(demo.tables, args.scale), demo.planted), big)
    pythons = {"fill (package patch)": sys.executable}
    if args.baseline:
        pythons["fill, old openpyxl per workbook"] = args.baseline
    rows = {}
    for label, python in pythons.items():
        folder = work / label.split()[0]
        small = per_workbook(python, data, folder / "in-process", args.rounds)
        large = per_workbook(python, big, folder / "scaled", args.rounds)
        more = large["workbooks"] - small["workbooks"]
        rows[label] = (small["workbooks"], small["wall"] / small["workbooks"], small["cpu"] / small["workbooks"],
                       (large["wall"] - small["wall"]) / more, (large["cpu"] - small["cpu"]) / more,
                       *whole_command(python, data, folder, args.rounds))
    load = os.getloadavg()
    print(f"{'':34}{'workbooks':>10}{'wall ms/wb':>11}{'CPU ms/wb':>10}{'one more: wall':>15}{'CPU ms':>7}"
          f"{'command wall s':>15}{'CPU s':>6}")
    for label, (n, wall, cpu, more_wall, more_cpu, cmd_wall, cmd_cpu) in rows.items():
        print(f"{label:34}{n:10d}{wall * 1000:11.1f}{cpu * 1000:10.1f}{more_wall * 1000:15.1f}{more_cpu * 1000:7.1f}"
              f"{cmd_wall:15.2f}{cmd_cpu:6.2f}")
    print(f"\nload average: {' '.join(f'{x:.2f}' for x in load)} ({os.cpu_count()} cores); median of {args.rounds} "
          f"runs; demo data {rows['fill (package patch)'][0]} workbooks, scaled ×{args.scale}")
    if args.baseline:
        new, old = rows["fill (package patch)"], rows["fill, old openpyxl per workbook"]
        print(f"old / new per workbook, demo data   = {old[1] / new[1]:.1f} wall, {old[2] / new[2]:.1f} CPU  (bar ≥ 5)")
        print(f"old / new per additional workbook   = {old[3] / new[3]:.1f} wall, {old[4] / new[4]:.1f} CPU")
        print(f"old / new whole command, demo data  = {old[5] / new[5]:.1f} wall, {old[6] / new[6]:.1f} CPU "
              "(start-up included)")
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
