"""Outputs never clobber: written whole or not at all, never over an input, never over a file we did not
write unless --force; a file given twice is scored once, two inputs of one name are both kept."""
from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import openpyxl
import pytest

from check_workbooks import build_department, build_project
from selfeval_xl.cli import main
from selfeval_xl.files.outputs import OutputError, check_output, check_outputs, our_output, replacing
from selfeval_xl.files.ownfiles import TEMP_PREFIX, mark_openpyxl, output_kind
from test_addin import project_workbook


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def leftovers(folder: Path) -> list[str]:
    return [p.name for p in folder.rglob(f"{TEMP_PREFIX}*")]


# --------------------------------------------------------------------------- the module

def test_a_failed_write_leaves_the_last_good_file_and_no_temporary(tmp_path):
    target = tmp_path / "report.xlsx"
    target.write_bytes(b"the last good report")
    with pytest.raises(OSError):
        with replacing(target) as temporary:
            temporary.write_bytes(b"half")
            raise OSError(28, "No space left on device")
    assert target.read_bytes() == b"the last good report" and leftovers(tmp_path) == []
    with replacing(target) as temporary:
        temporary.write_bytes(b"new")
    assert target.read_bytes() == b"new" and leftovers(tmp_path) == []
    umask = os.umask(0)
    os.umask(umask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~umask            # not mkstemp's private 0600


def mode(path: Path) -> int:
    return path.stat().st_mode & 0o7777


@pytest.mark.parametrize("umask", [0o022, 0o027, 0o077])
def test_a_new_file_gets_the_mode_the_umask_gives(tmp_path, umask):
    old = os.umask(umask)
    try:
        with replacing(tmp_path / "new.xlsx") as temporary:
            temporary.write_bytes(b"x")
    finally:
        os.umask(old)
    assert mode(tmp_path / "new.xlsx") == 0o666 & ~umask                 # not mkstemp's 0600


@pytest.mark.parametrize("kept", [0o644, 0o664, 0o640, 0o600, 0o444])
def test_a_replaced_file_keeps_its_mode_whatever_the_umask(tmp_path, kept):
    target = tmp_path / "表.xlsx"
    target.write_bytes(b"old")
    os.chmod(target, kept)
    old = os.umask(0o077)
    try:
        with replacing(target) as temporary:
            temporary.write_bytes(b"new")
    finally:
        os.umask(old)
    assert target.read_bytes() == b"new" and mode(target) == kept


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="only root may give a file away")
def test_a_replaced_file_keeps_its_owner(tmp_path):
    target = tmp_path / "表.xlsx"
    target.write_bytes(b"old")
    os.chown(target, 4321, 8765)                                         # a colleague's file on the share
    with replacing(target, tmp_path / "表.bak.xlsx") as temporary:
        temporary.write_bytes(b"new")
    assert (target.stat().st_uid, target.stat().st_gid) == (4321, 8765)
    backup = (tmp_path / "表.bak.xlsx").stat()
    assert (backup.st_uid, backup.st_gid) == (4321, 8765)


def test_score_in_place_keeps_the_workbooks_mode_and_a_new_copy_follows_the_umask(tmp_path):
    source, _ = project_workbook(tmp_path / "表.xlsx")
    os.chmod(source, 0o644)
    old = os.umask(0o022)
    try:
        assert main(["score", str(source), "--in-place"]) == 1              # scored; the table has errors
        assert mode(source) == 0o644 and mode(tmp_path / "表.bak.xlsx") == 0o644
        (tmp_path / "out").mkdir()
        assert main(["score", str(source), "-o", str(tmp_path / "out")]) == 1
        assert mode(tmp_path / "out" / "表.xlsx") == 0o644
    finally:
        os.umask(old)


def test_a_replacement_dropped_without_commit_leaves_no_temporary(tmp_path):
    import gc

    from selfeval_xl.files.outputs import Replacement

    replacement = Replacement(tmp_path / "f.json")
    replacement.temporary.write_text("{", encoding="utf-8")          # a run dies in the middle
    del replacement
    gc.collect()
    assert leftovers(tmp_path) == [] and not (tmp_path / "f.json").exists()


def test_disk_full_while_saving_report_keeps_the_old_one(tmp_path, monkeypatch):
    from xlsxwriter import Workbook

    from selfeval_xl.report import write_report

    target = tmp_path / "report.xlsx"
    write_report(target, [])
    before = digest(target)

    close = Workbook.close

    def full(self):
        close(self)
        Path(self.filename).write_bytes(b"")             # the disk filled up: 0 bytes written
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Workbook, "close", full)
    with pytest.raises(OSError):
        write_report(target, [])
    assert digest(target) == before and output_kind(target) == "检查报告" and leftovers(tmp_path) == []


def test_what_may_be_replaced(tmp_path):
    ours, theirs = tmp_path / "ours.xlsx", tmp_path / "theirs.xlsx"
    wb = openpyxl.Workbook()
    mark_openpyxl(wb, "检查报告")
    wb.save(ours)
    openpyxl.Workbook().save(theirs)
    assert check_output(ours) == ours
    with pytest.raises(OutputError, match="--force"):
        check_output(theirs)
    assert check_output(theirs, force=True) == theirs
    with pytest.raises(OutputError, match="输入"):                   # an input: never, --force or not
        check_output(tmp_path / "." / "theirs.xlsx", [theirs], force=True)
    with pytest.raises(OutputError, match="输入"):                   # a submission under a folder checked
        check_output(theirs, [tmp_path], force=True)
    assert check_output(ours, [tmp_path]) == ours                     # our old report in that folder
    with pytest.raises(OutputError, match="文件夹"):
        check_output(tmp_path)
    with pytest.raises(OutputError, match="cannot write"):
        check_output(tmp_path / "missing" / "r.xlsx")
    with pytest.raises(OutputError, match="同一个"):
        check_outputs([tmp_path / "a.json", tmp_path / "." / "a.json"])


def test_links_and_hard_links_are_the_same_input(tmp_path):
    source = tmp_path / "表.xlsx"
    openpyxl.Workbook().save(source)
    os.link(source, tmp_path / "硬链接.xlsx")
    (tmp_path / "链接.xlsx").symlink_to(source)
    for other in ("硬链接.xlsx", "链接.xlsx"):
        with pytest.raises(OutputError, match="输入"):
            check_output(tmp_path / other, [source], force=True)


def test_a_fifo_at_the_output_is_refused_without_opening_it(tmp_path):
    fifo = tmp_path / "r.xlsx"
    os.mkfifo(fifo)
    assert our_output(fifo) is None                      # returns at once: a FIFO is never opened
    with pytest.raises(OutputError, match="--force"):
        check_output(fifo)


def test_our_json_is_known_by_its_shape(tmp_path):
    from selfeval_xl.core.findings import Report
    from selfeval_xl.report import JsonReport

    stream, whole, other = tmp_path / "a.json", tmp_path / "b.json", tmp_path / "c.json"
    JsonReport(stream).close()
    whole.write_text(Report([]).to_json(), encoding="utf-8")
    other.write_text(json.dumps({"files": ["x"], "mine": 1}), encoding="utf-8")
    assert our_output(stream) and our_output(whole) and our_output(other) is None


# --------------------------------------------------------------------------- check and summary

def test_check_never_writes_over_an_input(tmp_path, capsys):
    (tmp_path / "in").mkdir()
    book = build_project(tmp_path / "in" / "p.xlsx").path
    before = digest(book)
    for option in ("-r", "--json"):
        for args in ([str(book), option, str(book)], [str(tmp_path / "in"), option, str(book)]):
            assert main(["check", *args, "--force", "--jobs", "1"]) == 2
            assert "输入" in capsys.readouterr().err
    assert digest(book) == before


def test_check_refuses_a_file_not_ours_unless_forced_and_replaces_its_own(tmp_path, capsys):
    (tmp_path / "in").mkdir()
    build_project(tmp_path / "in" / "p.xlsx")
    report, data = tmp_path / "report.xlsx", tmp_path / "f.json"
    openpyxl.Workbook().save(report)
    data.write_text('{"mine": 1}', encoding="utf-8")
    for out in (["-r", str(report)], ["--json", str(data)]):
        assert main(["check", str(tmp_path / "in"), *out, "-q", "--jobs", "1"]) == 2
        assert "--force" in capsys.readouterr().err
    assert main(["check", str(tmp_path / "in"), "-r", str(report), "--json", str(data), "-q", "--force",
                 "--jobs", "1"]) == 0
    assert output_kind(report) == "检查报告" and json.loads(data.read_text(encoding="utf-8"))["valid"]
    assert main(["check", str(tmp_path / "in"), "-r", str(report), "--json", str(data), "-q",
                 "--jobs", "1"]) == 0                                   # ours now: replaced without --force
    assert leftovers(tmp_path) == []


def test_check_report_inside_the_folder_checked_is_not_read_next_time(tmp_path, capsys):
    build_project(tmp_path / "p.xlsx")
    build_department(tmp_path / "d.xlsx")
    report = tmp_path / "report.xlsx"
    for _ in range(2):
        assert main(["check", str(tmp_path), "-r", str(report), "--jobs", "1"]) == 0
        assert "检查了 2 个文件" in capsys.readouterr().out


def test_summary_replaces_its_own_refuses_others_and_marks_its_workbook(tmp_path, capsys):
    (tmp_path / "books").mkdir()
    build_project(tmp_path / "books" / "p.xlsx")
    out, other = tmp_path / "summary.xlsx", tmp_path / "other.xlsx"
    assert main(["summary", str(tmp_path / "books"), "-o", str(out), "--jobs", "1"]) == 0
    assert output_kind(out) == "汇总表"
    assert main(["summary", str(tmp_path / "books"), "-o", str(out), "--jobs", "1"]) == 0
    openpyxl.Workbook().save(other)
    assert main(["summary", str(tmp_path / "books"), "-o", str(other), "--jobs", "1"]) == 2
    book = tmp_path / "books" / "p.xlsx"
    before = digest(book)
    assert main(["summary", str(tmp_path / "books"), "-o", str(book), "--force", "--jobs", "1"]) == 2
    assert digest(book) == before and "输入" in capsys.readouterr().err


# --------------------------------------------------------------------------- score

def test_the_same_file_twice_in_place_is_scored_once_and_the_original_kept(tmp_path, monkeypatch, capsys):
    source, _ = project_workbook(tmp_path / "x.xlsx")
    original = digest(source)
    os.link(source, tmp_path / "y.xlsx")
    monkeypatch.chdir(tmp_path)
    main(["score", "x.xlsx", "./x.xlsx", str(source), "y.xlsx", "--in-place"])
    out = capsys.readouterr().out
    assert out.count("[1/1]") == 1 and "已评分 1 个" in out
    assert digest(tmp_path / "x.bak.xlsx") == original                    # the original, not a scored copy
    assert not (tmp_path / "x.bak2.xlsx").exists() and not (tmp_path / "y.bak.xlsx").exists()


def test_two_inputs_of_one_name_are_both_kept_and_nothing_is_overwritten(tmp_path, capsys):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first, _ = project_workbook(tmp_path / "a" / "t.xlsx")
    second, _ = project_workbook(tmp_path / "b" / "t.xlsx")
    out = tmp_path / "out"
    main(["score", str(first), str(second), "-o", str(out)])
    assert sorted(p.name for p in out.iterdir()) == ["t.xlsx", "t（2）.xlsx"]
    assert "t（2）.xlsx" in capsys.readouterr().out
    before = digest(out / "t.xlsx")
    assert main(["score", str(first), "-o", str(out)]) == 1               # exists: refused, not overwritten
    assert "--force" in capsys.readouterr().err and digest(out / "t.xlsx") == before
    main(["score", str(first), "-o", str(out), "--force"])
    assert "已评分 1 个" in capsys.readouterr().out


def test_an_xls_converted_beside_an_xlsx_given_too_takes_another_name():
    from selfeval_xl.cli.score import plan

    jobs = plan([Path("/d/t.xls"), Path("/d/t.xlsx")], None)
    assert [j.target.name for j in jobs] == ["t（2）.xlsx", "t.xlsx"]
