"""A narrative report is a stranger's file too: each is read and checked in an isolated worker under the
batch's limits, so a zip bomb, a damaged PDF, a FIFO, a huge text or a report whose reading never ends
gets its own verdict while every other file gets its own. And a workbook is read once, by the worker
that checks it, even when reports are checked against it.

Runs end because of the limits (the path guard, ``seconds``), not because a test waits.
"""
from __future__ import annotations

import json
import os
import random
import shutil
import zipfile
from pathlib import Path

import pytest

import drafted
from selfeval_xl.cli import main
from selfeval_xl.core.limits import DEFAULT_LIMITS, Limits
from selfeval_xl.narrative import check_reports

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are a POSIX thing")
UNIT = "广州市文化馆"                      # tables with warnings only: its drafted report checks clean
FORK = "fork" in __import__("multiprocessing").get_all_start_methods()


@pytest.fixture(scope="module")
def unit_files(tmp_path_factory):
    """One 单位's workbooks (from the demo, filled) and its report drafted from them."""
    books, unit, report = drafted.unit_papers(tmp_path_factory.mktemp("narrative-hostile"), UNIT)
    return books, report, unit


def zip_bomb(path: Path) -> Path:
    """A .docx whose word/document.xml inflates to 300 MB (300 KB on disk): past ``uncompressed_bytes``."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        with zf.open("word/document.xml", "w", force_zip64=True) as part:
            for _ in range(300):
                part.write(b" " * (1 << 20))
    return path


def damaged_pdfs(folder: Path) -> list[Path]:
    """A PDF cut in half, and bytes that only start like a PDF."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    writer.write(folder / "whole.tmp")
    whole = (folder / "whole.tmp").read_bytes()
    (folder / "whole.tmp").unlink()
    (folder / "truncated.pdf").write_bytes(whole[:len(whole) // 2])
    noise = random.Random(7)
    (folder / "garbage.pdf").write_bytes(b"%PDF-1.7\n" + bytes(noise.randrange(256) for _ in range(5000)))
    return [folder / "truncated.pdf", folder / "garbage.pdf"]


@pytest.fixture(scope="module")
def hostile(unit_files, tmp_path_factory):
    """A folder: the 单位's workbooks, its drafted report, and hostile reports beside them. Returns the
    folder and the verdict (codes, a word of the message) each report must get."""
    books, report, _ = unit_files
    folder = tmp_path_factory.mktemp("hostile-reports")
    for book in books:
        shutil.copy(book, folder)
    shutil.copy(report, folder / "good.docx")
    zip_bomb(folder / "bomb.docx")
    damaged_pdfs(folder)
    os.mkfifo(folder / "r.pdf")                                      # never opened: a reader would block
    with open(folder / "huge.txt", "wb") as handle:                  # 1 GB on paper, sparse on disk
        handle.truncate(1 << 30)
    (folder / "folder.pdf").mkdir()
    expected = {
        "good.docx": (["report-placeholder"], ""),
        "bomb.docx": (["unreadable"], "uncompressed_bytes"),
        "truncated.pdf": (["unreadable"], "PDF"),
        "garbage.pdf": (["unreadable"], "PDF"),
        "r.pdf": (["unreadable"], "命名管道"),
        "huge.txt": (["unreadable"], "file_bytes"),
        "folder.pdf": (["unreadable"], "文件夹"),
    }
    return folder, expected


def _files(json_path: Path) -> dict[str, dict]:
    return {Path(f["path"]).name: f for f in json.loads(json_path.read_text(encoding="utf-8"))["files"]}


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_every_hostile_report_gets_its_verdict_and_the_tables_theirs(unit_files, hostile, tmp_path, jobs):
    books = unit_files[0]
    folder, expected = hostile
    alone = tmp_path / "alone.json"                 # the workbooks' verdicts without any report
    main(["check", *map(str, books), "-j", jobs, "-q", "--json", str(alone)])
    out = tmp_path / "all.json"
    assert main(["check", str(folder), "-j", jobs, "-q", "--json", str(out)]) == 1
    files = _files(out)
    for name, (codes, word) in expected.items():
        got = files[name]
        assert [f["code"] for f in got["findings"]] == codes, (name, got["findings"])
        assert all(word in f["message"] for f in got["findings"]), (name, got["findings"])
    assert files["good.docx"]["unit"] == UNIT                        # checked against its tables, in a worker
    for name, verdict in _files(alone).items():
        assert [f["code"] for f in files[name]["findings"]] == [f["code"] for f in verdict["findings"]]
    assert set(files) == set(expected) | {b.name for b in books}


def _hang_or_crash(monkeypatch) -> None:
    """Reading a .txt named ``slow…`` never ends, one named ``crash…`` aborts its process (the workers
    are forked from this one, so the patch is theirs)."""
    import time

    from selfeval_xl.narrative import text

    real = text._txt

    def patched(path):
        if path.name.startswith("slow"):
            time.sleep(3600)
        if path.name.startswith("crash"):
            os.abort()
        return real(path)

    monkeypatch.setattr(text, "_txt", patched)


@pytest.mark.skipif(not FORK, reason="the patched reader reaches the workers by fork")
@pytest.mark.parametrize("jobs", [1, 2])
def test_a_report_that_hangs_or_crashes_costs_itself_only(unit_files, tmp_path, monkeypatch, jobs):
    _, report, unit = unit_files
    from selfeval_xl.narrative.text import read_report

    txt = "\n\n".join(p.text for p in read_report(report))
    paths = []
    for name in ("a.txt", "slow.txt", "b.txt", "crash.txt", "c.docx"):
        path = tmp_path / name
        if name.endswith(".docx"):
            shutil.copy(report, path)
        else:
            path.write_text(txt, encoding="utf-8")
        paths.append(path)
    _hang_or_crash(monkeypatch)
    results = list(check_reports(paths, [unit], jobs, Limits(seconds=15, memory_mb=1024)))   # ample under CI load
    assert [r.path for r in results] == [str(p) for p in paths]
    codes = {Path(r.path).name: [f.code for f in r.findings] for r in results}
    assert codes == {"a.txt": ["report-placeholder"], "slow.txt": ["check-failed"], "b.txt": ["report-placeholder"],
                     "crash.txt": ["check-failed"], "c.docx": ["report-placeholder"]}
    slow, crash = results[1].findings[0].message, results[3].findings[0].message
    assert "限制项 seconds" in slow and "工作进程异常终止" in crash
    assert all(r.unit == UNIT for r in results if r.findings[0].code == "report-placeholder")


def test_the_report_reader_keeps_the_limits_it_is_given(unit_files, tmp_path):
    """In process too: the same file refused under a smaller ``file_bytes`` / ``uncompressed_bytes``."""
    from selfeval_xl.narrative.report import check_report

    report, unit = unit_files[1], unit_files[2]
    assert [f.code for f in check_report(report, [unit]).findings] == ["report-placeholder"]
    size = report.stat().st_size
    small = Limits(file_bytes=size - 1)
    assert [f.code for f in check_report(report, [unit], small).findings] == ["unreadable"]
    with zipfile.ZipFile(report) as zf:
        inflated = sum(i.file_size for i in zf.infolist())
    tight = Limits(uncompressed_bytes=inflated - 1)
    (finding,) = check_report(report, [unit], tight).findings
    assert finding.code == "unreadable" and "uncompressed_bytes" in finding.message
    assert inflated < DEFAULT_LIMITS.uncompressed_bytes


@pytest.mark.skipif(not FORK, reason="the counting reader reaches the workers by fork")
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_each_workbook_is_read_once_when_reports_are_given(unit_files, tmp_path, monkeypatch, jobs):
    """Every read appends its path to a log (the workers are forked, so they share the patch and the
    file): with a report beside the tables, each workbook is still read exactly once, and the report
    is checked against them (its 单位 found, no table mismatch)."""
    import selfeval_xl.read as read

    books, report, _ = unit_files
    folder = tmp_path / "in"
    folder.mkdir()
    for book in books:
        shutil.copy(book, folder)
    shutil.copy(report, folder)
    log = tmp_path / "reads.log"
    real = read.read_workbook

    def counting(path, *args, **kwargs):
        with open(log, "a", encoding="utf-8") as handle:
            handle.write(f"{Path(path).name}\n")
        return real(path, *args, **kwargs)

    monkeypatch.setattr(read, "read_workbook", counting)
    out = tmp_path / "f.json"
    assert main(["check", str(folder), "-j", jobs, "-q", "--json", str(out)]) == 0
    reads = log.read_text(encoding="utf-8").split()
    assert sorted(reads) == sorted(b.name for b in books)
    checked = _files(out)[report.name]
    assert checked["unit"] == UNIT and [f["code"] for f in checked["findings"]] == ["report-placeholder"]


def test_a_unit_named_like_a_path_stays_inside_the_output_folders(tmp_path):
    """A 单位 typed as ``..／..／逃出去`` (NFKC makes it ``../../逃出去``) names a file, never a way out: the
    drafted report and the feedback workbook land inside the folders given."""
    from check_workbooks import build_department

    folder = tmp_path / "a" / "b"
    folder.mkdir(parents=True)
    build_department(folder / "d.xlsx", edits={("field", "unit_name"): "..／..／逃出去"})
    assert main(["draft", str(folder / "d.xlsx"), "-o", str(folder / "报告")]) == 0
    assert main(["check", str(folder / "d.xlsx"), "-q", "--feedback", str(folder / "反馈")]) in (0, 1)
    written = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file())
    assert [Path(w).parent.as_posix() for w in written] == ["a/b", "a/b/反馈", "a/b/报告"], written
    names = [Path(w).name for w in written[1:]]
    assert all("逃出去" in n and not n.startswith(".") for n in names), names       # a name, never hidden
    assert names[0].endswith("-自评检查反馈.xlsx") and names[1].endswith("2021年度绩效自评报告.docx")
