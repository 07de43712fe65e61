"""Batch: which files are found, results streamed in order, parallel equals serial."""
from __future__ import annotations

from check_workbooks import build_department, build_project
from selfeval_xl.batch.worker import check_files
from selfeval_xl.files.discovery import find_workbooks
from selfeval_xl.batch.holdback import run


def test_find_workbooks_recursive_skips_lock_files_and_report(tmp_path):
    (tmp_path / "a" / "b").mkdir(parents=True)
    build_project(tmp_path / "a" / "b" / "p.xlsx")
    (tmp_path / "a" / "~$p.xlsx").write_bytes(b"lock")
    (tmp_path / "a" / "notes.txt").write_text("x")
    (tmp_path / "old.XLS").write_bytes(b"x")
    (tmp_path / "report.xlsx").write_bytes(b"x")
    found = find_workbooks([tmp_path], exclude=[tmp_path / "report.xlsx"])
    assert [p.name for p in found] == ["p.xlsx", "old.XLS"]


def test_parallel_results_equal_serial_and_keep_order(tmp_path):
    paths = []
    for i in range(6):
        built = (build_project if i % 2 else build_department)(tmp_path / f"{i}.xlsx",
                                                               edits={"total": 90} if i == 3 else None)
        paths.append(built.path)
    serial = [r.report.to_dict() for r in check_files(paths, jobs=1)]
    parallel = [r.report.to_dict() for r in check_files(paths, jobs=2)]
    assert serial == parallel
    assert [d["path"] for d in serial] == [str(p) for p in paths]
    assert [f["code"] for f in serial[3]["findings"]] == ["total-mismatch"]


def test_run_streams_each_result_and_cross_findings(tmp_path):
    build_project(tmp_path / "p.xlsx")
    build_department(tmp_path / "d.xlsx")
    seen, cross = [], []
    report = run(find_workbooks([tmp_path]), jobs=1, on_result=seen.append, on_cross=cross.extend)
    assert len(seen) == 2 and [f.code for f in cross] == ["figure-inconsistent"]
    assert report.warnings == 1 and report.valid


def test_check_batch_holds_department_files_for_cross_checks(tmp_path):
    from selfeval_xl.batch.holdback import check_batch

    build_department(tmp_path / "a-dept.xlsx")
    build_project(tmp_path / "b-project.xlsx")
    streamed = list(check_batch(find_workbooks([tmp_path]), jobs=1))
    assert [r.path.rsplit("/", 1)[-1] for r in streamed] == ["b-project.xlsx", "a-dept.xlsx"]
    assert [f.code for f in streamed[1].findings] == ["figure-inconsistent"]


def _this_process(_item) -> int:
    import os

    return os.getpid()


def test_a_process_isolated_already_checks_here_with_the_same_reports(tmp_path, monkeypatch):
    """The web page's child is the isolation: its batch starts no pool, and reports what a pool would."""
    import os

    from selfeval_xl.batch.worker import failed
    from selfeval_xl.core.limits import DEFAULT_LIMITS
    from selfeval_xl.isolation import pool

    paths = [build_project(tmp_path / "p.xlsx").path, build_department(tmp_path / "d.xlsx").path]
    pooled = [r.report.to_dict() for r in check_files(paths, jobs=2)]
    monkeypatch.setattr(pool, "_ISOLATED_ALREADY", False)
    pool.isolated_already()
    assert set(pool.isolated(_this_process, paths, 2, DEFAULT_LIMITS, failed)) == {os.getpid()}
    assert [r.report.to_dict() for r in check_files(paths, jobs=2)] == pooled


def test_a_folder_that_cannot_be_listed_gets_a_verdict_not_silence(tmp_path, monkeypatch):
    import os

    from selfeval_xl.files.discovery import scan

    build_project(tmp_path / "p.xlsx")
    (tmp_path / "锁住的").mkdir()
    build_project(tmp_path / "锁住的" / "q.xlsx")
    real = os.scandir

    def scandir(path):
        if str(path).endswith("锁住的"):
            raise PermissionError(13, "Permission denied")
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    found = scan([tmp_path])
    report = run(found.paths, jobs=1, found=found)
    verdicts = {r.path: [(f.code, f.message) for f in r.findings] for r in report.files}
    assert set(verdicts) == {str(tmp_path / "p.xlsx"), str(tmp_path / "锁住的")}
    [(code, message)] = verdicts[str(tmp_path / "锁住的")]
    assert code == "unreadable" and "文件夹无法打开" in message and "Permission denied" in message


def test_other_spreadsheets_in_a_folder_get_a_verdict_that_says_save_as_xlsx(tmp_path):
    """WPS's .et, Excel's binary .xlsb and OpenDocument .ods are not read; each is named, not passed over."""
    import zipfile

    from selfeval_xl.files.discovery import scan

    build_project(tmp_path / "p.xlsx")
    with zipfile.ZipFile(tmp_path / "b.xlsb", "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.bin", b"\x83\x01\x00")
    with zipfile.ZipFile(tmp_path / "o.ods", "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", "<office:document-content/>")
    (tmp_path / "w.et").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    found = scan([tmp_path])
    report = run(found.paths, jobs=1, found=found)
    verdicts = {r.path.rsplit("/", 1)[-1]: [(f.code, f.message) for f in r.findings] for r in report.files}
    assert set(verdicts) == {"p.xlsx", "b.xlsb", "o.ods", "w.et"}
    for name, hint in (("b.xlsb", ".xlsb"), ("o.ods", ".ods"), ("w.et", ".et")):
        [(code, message)] = verdicts[name]
        assert code == "unreadable" and hint in message and "另存为 .xlsx" in message, (name, message)
