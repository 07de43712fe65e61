"""Benchmark the web server's ``POST /api/check`` against ``selfeval check --jobs 1`` on the same files.

    python benchmarks/bench_web.py                       # 40 department workbooks, 4 clients
    python benchmarks/bench_web.py --files 80 --clients 8 --workdir /tmp/bench-web   # keep the corpus

The corpus is bench_check's: the demo data set filled into our templates, each 自评表 rebuilt the way a
department builds one (tests/department_style.py). ``selfeval serve`` runs as its own process (its warm
workers started before the clock starts, as on a bureau's PC); ``--clients`` threads post the files, each
its share, one at a time; the figure is the wall clock from the first post to the last answer. The
command line's figure is one whole ``selfeval check FOLDER --jobs 1`` process (start-up included), as a
user runs it. Every answer is compared with the command's JSON for that file: same codes, same cells.
Also printed: one client's latency per request (median and worst of 20), where the bar is well under
100 ms. A benchmark, not a test: it prints numbers and the bar (issue 22: the web ≤ 3.5 × the command).
"""
from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_check import PYTHON, check_command, department_corpus, load, make_corpus, timed  # noqa: E402

BAR = 3.5


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(data: Path, port: int) -> subprocess.Popen:
    server = subprocess.Popen([PYTHON, "-c", "import sys; from selfeval_xl.cli import main; sys.exit(main(sys.argv[1:]))",
                               "serve", "--port", str(port), "--data", str(data), "--no-browser"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    import httpx

    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/", timeout=2).status_code == 200:
                return server
        except httpx.HTTPError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit(f"selfeval serve did not start: {server.stderr.read().decode(errors='replace')[-2000:]}")


def post_all(url: str, files: list[Path], clients: int) -> tuple[float, dict[str, dict]]:
    """Wall seconds for ``clients`` threads to post every file once; the answer of each file."""
    import httpx

    answers: dict[str, dict] = {}
    failures: list[str] = []

    def client(share: list[Path]) -> None:
        with httpx.Client(timeout=120) as http:
            for path in share:
                r = http.post(url, files={"file": (path.name, path.read_bytes())})
                if r.status_code != 200:
                    failures.append(f"{path.name}: {r.status_code}")
                    continue
                answers[path.name] = r.json()["files"][0]

    threads = [threading.Thread(target=client, args=(files[n::clients],)) for n in range(clients)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if failures:
        raise SystemExit("uploads failed: " + "; ".join(failures[:5]))
    return time.perf_counter() - started, answers


def latencies(url: str, files: list[Path]) -> tuple[list[float], list[float]]:
    """Seconds per request as one client sees them (one connection kept), and the server's own
    milliseconds from each answer's Server-Timing header."""
    import httpx

    seen, server = [], []
    with httpx.Client(timeout=120) as http:
        for path in files:
            content = path.read_bytes()
            started = time.perf_counter()
            r = http.post(url, files={"file": (path.name, content)})
            seen.append(time.perf_counter() - started)
            server.append(float(r.headers["server-timing"].split("dur=")[1]))
    return seen, server


def across_files() -> set[str]:
    """Codes the command's check over a folder adds across its files — within one 单位 (its 部门整体 table
    against its projects, a file sent twice) and across 单位 (the 指标质量 rules over several files): a
    file posted alone cannot draw them."""
    from selfeval_xl.checks.registry import ACROSS

    return {"figure-inconsistent", "duplicate-submission", *(unit.code for unit in ACROSS)}


def same_findings(posted: dict, command: dict) -> bool:
    """The answer is the command's report of the file, but for the findings across files."""
    mine = sorted((f["code"], f["sheet"], f["cell"], f["message"]) for f in posted["findings"])
    theirs = sorted((f["code"], f["sheet"], f["cell"], f["message"]) for f in command["findings"])
    extra = list(theirs)
    for item in mine:
        if item not in extra:
            return False
        extra.remove(item)
    across = across_files()
    return all(code in across for code, *_ in extra)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=40)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--workdir", type=Path)
    args = parser.parse_args(argv)
    work = args.workdir or Path(tempfile.mkdtemp(prefix="bench-web-"))
    department = work / "department"
    files = sorted(department.glob("*.xlsx")) if department.is_dir() else []
    if len(files) != args.files:
        print(f"生成 {args.files} 个部门自制样式的工作簿 / making the corpus …", flush=True)
        filled = make_corpus(args.files, work / "filled")
        files = department_corpus(filled, department)

    out = work / "out"
    out.mkdir(exist_ok=True)
    (out / "findings.json").unlink(missing_ok=True)
    cli_wall, cli_cpu, code = timed(check_command(department, 1, out))
    if code not in (0, 1):
        raise SystemExit(f"selfeval check failed: exit status {code}")
    expected = {Path(r["path"]).name: r for r in json.loads((out / "findings.json").read_text("utf-8"))["files"]}

    port = free_port()
    server = start_server(work / f"data-{os.getpid()}", port)
    try:
        url = f"http://127.0.0.1:{port}/api/check"
        post_all(url, files[:4], 2)                      # warm: the server's first requests
        load_before = load()
        web_wall, answers = post_all(url, files, args.clients)
        single, server_ms = latencies(url, files[:20])
    finally:
        server.terminate()
        server.wait(30)

    differ = [n for n, r in answers.items() if not same_findings(r, expected[n])]
    ratio = web_wall / cli_wall
    print(f"files {len(files)}, load {load_before}")
    print(f"selfeval check --jobs 1       {cli_wall:7.2f} s wall  {cli_cpu:7.2f} s CPU")
    print(f"POST /api/check × {args.clients} clients  {web_wall:7.2f} s wall  ({ratio:.2f} × the command; bar ≤ {BAR})")
    print(f"one client, per request: median {statistics.median(single) * 1000:.0f} ms, worst "
          f"{max(single) * 1000:.0f} ms; the server's time (Server-Timing) median {statistics.median(server_ms):.0f} ms, "
          f"worst {max(server_ms):.0f} ms (bar: well under 100 ms)")
    print(f"answers equal to check --json: {len(answers) - len(differ)} / {len(answers)}"
          + (f" (differ: {', '.join(differ[:5])})" if differ else ""))
    return 0 if ratio <= BAR and not differ else 1


if __name__ == "__main__":
    sys.exit(main())
