"""A batch never dies: every hostile path gets a verdict, every run ends within its limits, no input
byte changes, a worker that dies costs one file only.

Runs end because of the limits (``--limit seconds=…`` and the size guard), not because a test waits:
nothing here asserts on wall-clock time.
"""
from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from check_workbooks import build_department, build_project
from hostile import build_corpus, fingerprint, with_far_cell
from selfeval_xl.batch.worker import check_file, check_files
from selfeval_xl.files.discovery import scan
from selfeval_xl.cli import main
from selfeval_xl.core.limits import Limits

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are a POSIX thing")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    return folder, build_corpus(folder)


def _verdicts(json_path: Path) -> dict[str, list[str]]:
    data = json.loads(json_path.read_text(encoding="utf-8"))
    return {Path(f["path"]).name: [x["code"] for x in f["findings"]] + (["skipped"] if f["skipped"] else [])
            for f in data["files"]}


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_check_gives_every_hostile_path_its_verdict(corpus, tmp_path, jobs):
    folder, expected = corpus
    before = fingerprint(folder)
    out = tmp_path / "out.json"
    code = main(["check", str(folder), "--jobs", jobs, "--json", str(out), "-q", "--limit", "seconds=60"])
    verdicts = _verdicts(out)
    assert code == 1
    assert set(verdicts) == set(expected)            # every path, the FIFO and the folder included
    for name, wanted in expected.items():
        if wanted:
            assert wanted in verdicts[name], (name, verdicts[name])
        else:
            assert verdicts[name] == [], (name, verdicts[name])
    assert verdicts["正常.xlsx"] == []               # the first copy counts; the second is the duplicate
    assert fingerprint(folder) == before


def test_own_files_named_explicitly_are_checked(corpus, tmp_path):
    """A backup found in a folder is skipped; named on the command line it is what the user asked for."""
    folder, _ = corpus
    out = tmp_path / "out.json"
    main(["check", str(folder / "正常.bak.xlsx"), str(folder / "管道.xlsx"), "--json", str(out), "-q"])
    verdicts = _verdicts(out)
    assert verdicts["正常.bak.xlsx"] == []
    assert verdicts["管道.xlsx"] == ["unreadable"]


def test_same_input_twice_is_checked_once(corpus):
    folder, _ = corpus
    ok = folder / "正常.xlsx"
    found = scan([ok, Path(os.path.relpath(ok)), folder / "." / "正常.xlsx", folder])
    assert [p.name for p in found.paths].count("正常.xlsx") == 1


def test_summary_ends_with_every_file_and_counts_a_duplicate_once(tmp_path):
    folder = tmp_path / "in"
    expected = build_corpus(folder)
    (folder / "控制字符.xlsx").unlink()    # the writers' sanitising is tested where it is built
    build_department(folder / "部门.xlsx")
    before = fingerprint(folder)
    out = tmp_path / "summary.xlsx"
    assert main(["summary", str(folder), "-o", str(out), "--jobs", "2", "--limit", "seconds=60"]) == 1
    assert out.is_file() and fingerprint(folder) == before
    from openpyxl import load_workbook

    book = load_workbook(out, read_only=True)
    texts = [str(v) for ws in book.worksheets for row in ws.iter_rows(values_only=True) for v in row if v]
    for name in set(expected) - {"控制字符.xlsx"}:
        assert any(name in text for text in texts), name
    by_unit = [row for row in book["按单位"].iter_rows(values_only=True) if row[0] == "广州市档案发展中心"]
    assert [(row[1], row[2]) for row in by_unit] == [(1, 1014.4)]     # 正常 and 正常（2） count once


def test_duplicate_project_counts_once_in_the_unit_sum(tmp_path):
    """The department's 项目支出 214.4 against one project of 1014.4 (not two): one figure-inconsistent
    finding quoting 1 project, and the copy flagged."""
    from selfeval_xl.batch.holdback import run

    build_department(tmp_path / "a-部门.xlsx")
    build_project(tmp_path / "b-项目.xlsx")
    shutil.copyfile(tmp_path / "b-项目.xlsx", tmp_path / "b-项目（2）.xlsx")
    report = run(scan([tmp_path]).paths, jobs=1)
    codes = {Path(r.path).name: [f.code for f in r.findings] for r in report.files}
    assert codes["b-项目（2）.xlsx"] == ["duplicate-submission"]
    [cross] = [f for f in report.findings if f.code == "figure-inconsistent"]
    assert "1 个项目表" in cross.message and "1014.4" in cross.message


def test_score_gives_every_file_a_line_and_changes_no_input(corpus, tmp_path, capsys):
    folder, _ = corpus
    before = fingerprint(folder)
    files = [p for p in sorted(folder.iterdir()) if not p.is_dir() and os.path.exists(p)]
    code = main(["score", *map(str, files), "-o", str(tmp_path / "out"), "--limit", "seconds=60"])
    err = capsys.readouterr()
    lines = [line for line in (err.out + err.err).splitlines() if line.startswith("[")]
    assert code == 1
    assert len(lines) == len(files)
    for name in ("远单元格_XFD1048576.xlsx", "三百个工作表.xlsx", "管道.xlsx", "零设备.xlsx", "压缩炸弹.xlsx"):
        [line] = [x for x in lines if name in x]
        assert "未评分" in line and "限制项" in line or "不是普通文件" in line, line
    assert fingerprint(folder) == before


def test_a_worker_that_aborts_costs_its_file_only(tmp_path):
    """A real crash: the far-cell file with the size guard lifted makes calamine abort its worker."""
    good = [build_project(tmp_path / f"{i}.xlsx").path for i in range(3)]
    far = with_far_cell(good[0], tmp_path / "far.xlsx", "XFD1048576")
    paths = [good[0], far, good[1], good[2]]
    lifted = Limits(cells=10**12, memory_mb=1024)
    for jobs, group in ((1, 0), (2, 0), (1, 4), (2, 2)):      # one file per task, and files sent in groups
        results = list(check_files(paths, jobs=jobs, limits=lifted, group=group))
        assert [r.report.path for r in results] == [str(p) for p in paths]
        [died] = [r.report for r in results if r.report.findings]
        assert died.path == str(far)
        assert [f.code for f in died.findings] == ["check-failed"]
        assert "工作进程异常终止" in died.findings[0].message


@pytest.mark.skipif(not os.path.exists("/proc/self/statm"), reason="the mapped size is read from /proc")
def test_a_worker_forked_from_a_big_parent_still_reads_and_a_bomb_is_still_stopped(tmp_path):
    """The memory cap counts what a worker may add: a parent mapping 3 GB (a long test run, the web
    server) once left its forked workers no room at all — every file "unreadable: MemoryError" in CI."""
    import mmap

    good = build_project(tmp_path / "good.xlsx").path
    far = with_far_cell(good, tmp_path / "far.xlsx", "XFD1048576")
    held = mmap.mmap(-1, 3 << 30)                 # reserved, never touched: address space, not memory
    try:
        results = list(check_files([good, far], jobs=1, limits=Limits(cells=10**12, memory_mb=512)))
    finally:
        held.close()
    assert [f.code for f in results[0].report.findings] == []
    assert [f.code for f in results[1].report.findings] == ["check-failed"]


@pytest.mark.skipif("fork" not in __import__("multiprocessing").get_all_start_methods(),
                    reason="the patched reader reaches the workers by fork")
def test_a_file_that_overruns_its_seconds_is_stopped(tmp_path, monkeypatch):
    """Workers are forked from this process, so a patched reader is theirs too: one file never ends."""
    import time

    from selfeval_xl.read import workbook

    real = workbook._load

    def slow(path, *args):
        if "slow" in path.name:
            time.sleep(3600)
        return real(path, *args)

    monkeypatch.setattr(workbook, "_load", slow)
    paths = [build_project(tmp_path / "a.xlsx").path, build_project(tmp_path / "slow.xlsx").path,
             build_project(tmp_path / "b.xlsx").path]
    # the three go as one group, which overruns; each is then sent alone with its own 10 s (ample for a
    # and b under load): a and b are checked, the slow one alone is stopped
    results = list(check_files(paths, jobs=1, limits=Limits(seconds=10), group=3))
    assert [[f.code for f in r.report.findings] for r in results] == [[], ["check-failed"], []]
    assert "限制项 seconds" in results[1].report.findings[0].message


def test_limits_are_settings_with_usage_errors(tmp_path):
    assert Limits().with_settings(["seconds=5", "memory-mb=512"]) == Limits(seconds=5.0, memory_mb=512)
    build_project(tmp_path / "a.xlsx")
    assert main(["check", str(tmp_path), "--limit", "nonsense=1"]) == 2
    assert main(["check", str(tmp_path), "--limit", "cells=-1"]) == 2
    out = tmp_path / "o.json"
    assert main(["check", str(tmp_path / "a.xlsx"), "--limit", "rows=10", "--json", str(out), "-q"]) == 1
    assert _verdicts(out)["a.xlsx"] == ["sheet-too-large", "no-table"]


_VALID: dict[str, bytes] = {}


def _valid_bytes(tmp_path_factory) -> bytes:
    if "project" not in _VALID:
        _VALID["project"] = build_project(tmp_path_factory.mktemp("valid") / "v.xlsx").path.read_bytes()
    return _VALID["project"]


mutations = st.lists(st.tuples(st.floats(0, 1, exclude_max=True), st.integers(0, 255)), min_size=1, max_size=8)


@settings(deadline=None, max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(mutations, st.booleans())
def test_mutated_bytes_never_raise_in_process(tmp_path_factory, edits, truncate):
    blob = bytearray(_valid_bytes(tmp_path_factory))
    for where, byte in edits:
        blob[int(where * len(blob))] = byte
    if truncate:
        blob = blob[: int(edits[0][0] * len(blob))]
    path = tmp_path_factory.mktemp("m") / "m.xlsx"
    path.write_bytes(bytes(blob))
    result = check_file(path)
    assert result.report.path == str(path)


@settings(deadline=None, max_examples=5, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(mutations, min_size=2, max_size=4))
def test_mutated_bytes_through_the_pool_give_one_report_each(tmp_path_factory, batches):
    folder = tmp_path_factory.mktemp("pool")
    paths = []
    for n, edits in enumerate(batches):
        blob = bytearray(_valid_bytes(tmp_path_factory))
        for where, byte in edits:
            blob[int(where * len(blob))] = byte
        paths.append(folder / f"{n}.xlsx")
        paths[-1].write_bytes(bytes(blob))
    results = list(check_files(paths, jobs=2, limits=Limits(seconds=60)))
    assert [r.report.path for r in results] == [str(p) for p in paths]


def test_list_checks_names_the_reading_and_batch_codes(capsys):
    assert main(["check", "--list-checks"]) == 0
    out = capsys.readouterr().out
    for code in ("sheet-too-large", "duplicate-submission", "unreadable", "check-failed"):
        assert any(line.startswith(f"{code}  [") for line in out.splitlines()), code


def test_the_addin_refuses_a_saved_workbook_beyond_the_limits(tmp_path):
    from selfeval_xl.addin import button as addin

    far = with_far_cell(build_project(tmp_path / "ok.xlsx").path, tmp_path / "far.xlsx", "XFD4999")
    shown = []
    assert addin.run(None, lambda text, mode: shown.append((text, mode)), str(far)) is None
    [(text, mode)] = shown
    assert mode == "critical" and "XFD4999" in text and "限制项 cells" in text


def test_a_report_we_wrote_is_skipped_in_a_folder_and_counted_nowhere(tmp_path):
    from openpyxl import load_workbook

    from selfeval_xl.batch.holdback import run
    from selfeval_xl.files.ownfiles import mark_openpyxl

    build_project(tmp_path / "项目.xlsx")
    book = load_workbook(tmp_path / "项目.xlsx")
    mark_openpyxl(book, "检查报告")
    book.save(tmp_path / "上次的报告.xlsx")
    found = scan([tmp_path])
    report = run(found.paths, jobs=1, found=found)
    codes = {Path(r.path).name: [f.code for f in r.findings] for r in report.files}
    assert codes == {"上次的报告.xlsx": [], "项目.xlsx": []}                      # no duplicate-submission
    assert [Path(r.path).name for r in report.files if r.skipped] == ["上次的报告.xlsx"]
    assert report.valid
