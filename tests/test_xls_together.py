"""A batch's .xls converted by LibreOffice together (issue 19): one soffice run for the batch instead of
one per file, the same verdicts as each file read alone, a conversion used only for the very file it
was made from, and a run that fails or stalls leaving each file to be converted alone as before."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from selfeval_xl.engines import libreoffice as recalc
from selfeval_xl.batch.worker import check_files
from selfeval_xl.demo.run import run_demo
from selfeval_xl.core.limits import DEFAULT_LIMITS
from selfeval_xl.read import converted_together, read_workbook
from selfeval_xl.read import xls_together
from selfeval_xl.read.xls_together import OLE_MAGIC


@settings(deadline=None, max_examples=200)
@given(st.lists(st.sampled_from(["a", "b", "c", "甲", "乙"]), max_size=70), st.integers(1, 6))
def test_chunks_hold_every_file_once_with_no_name_twice(stems, size):
    paths = [Path(f"/d{i}/{stem}.xls") for i, stem in enumerate(stems)]
    old, xls_together.CHUNK = xls_together.CHUNK, size
    try:
        chunks = list(xls_together._chunks(paths))
    finally:
        xls_together.CHUNK = old
    assert sorted(p for c in chunks for p in c) == sorted(paths)
    for chunk in chunks:
        assert 0 < len(chunk) <= size and len({p.stem for p in chunk}) == len(chunk)


def test_a_batch_with_one_xls_or_none_starts_no_shared_run(tmp_path):
    single = tmp_path / "one.xls"
    single.write_bytes(OLE_MAGIC + b"\0" * 100)
    text = tmp_path / "two.xls"
    text.write_text("not an xls")
    with converted_together([single, text], DEFAULT_LIMITS) as made:
        assert made == 0


def test_a_run_cut_short_trusts_nothing_it_wrote(tmp_path, monkeypatch):
    sources = [tmp_path / f"{n}.xls" for n in "ab"]
    for path in sources:
        path.write_bytes(OLE_MAGIC + b"\0" * 100)

    def stalled(paths, outdir, timeout):
        Path(outdir).mkdir(parents=True, exist_ok=True)
        (Path(outdir) / "a.xlsx").write_bytes(b"half")
        raise recalc.LibreOfficeTimeout("LibreOffice 超时 / timed out after 60 s")
    monkeypatch.setattr(recalc, "recalculate", stalled)
    monkeypatch.setattr(recalc, "soffice_available", lambda: True)
    with converted_together(sources, DEFAULT_LIMITS) as made:
        assert made == 0 and xls_together.converted(sources[0]) is None


@pytest.fixture(scope="module")
def xls_batch(tmp_path_factory):
    base = tmp_path_factory.mktemp("together")
    result = run_demo(base / "demo", recalc=False, jobs=1)
    chosen = [*sorted(result.clean)[:3], *[p.path for p in result.planted][:2]]
    folder = base / "xls"
    xls = recalc._convert(chosen, folder, "xls:MS Excel 97", ".xls")
    broken = folder / "坏文件.xls"
    broken.write_bytes(OLE_MAGIC + os.urandom(3000))       # an .xls by its bytes that soffice cannot open
    return [*xls, broken]


def _verdicts(results) -> list[list[tuple[str, str]]]:
    return [sorted((f.code, f.cell) for f in r.report.findings) for r in results]


@pytest.mark.libreoffice
def test_one_soffice_run_gives_the_verdicts_of_each_file_alone(xls_batch, tmp_path, monkeypatch):
    log = tmp_path / "runs.jsonl"
    real = recalc.recalculate

    def counted(paths, outdir, timeout=recalc.SOFFICE_TIMEOUT):
        paths = list(paths)
        with log.open("a") as handle:             # workers are forked processes: count in a file
            handle.write(json.dumps(len(paths)) + "\n")
        return real(paths, outdir, timeout)
    monkeypatch.setattr(recalc, "recalculate", counted)
    together = _verdicts(check_files(xls_batch, jobs=2))
    runs = [json.loads(line) for line in log.read_text().splitlines()]
    assert runs == [len(xls_batch)]               # the whole batch in one run (the broken file is
    #                                               unreadable before any conversion of its own)
    log.unlink()
    from selfeval_xl.batch.worker import check_file
    alone = _verdicts([check_file(p) for p in xls_batch])
    assert log.read_text().split() == ["1"] * (len(xls_batch) - 1)   # alone: one run per readable file
    assert together == alone
    assert any(together[:-1]) and [code for code, _ in together[-1]] == ["unreadable"]


@pytest.mark.libreoffice
def test_a_conversion_serves_only_the_file_it_was_made_from(xls_batch):
    first, second = xls_batch[0], xls_batch[1]
    with converted_together(xls_batch[:2], DEFAULT_LIMITS) as made:
        assert made == 2
        ready = xls_together.converted(first)
        assert ready is not None and ready.suffix == ".xlsx"
        assert read_workbook(first).tables                  # read through the shared conversion
        stat = second.stat()
        os.utime(second, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))   # changed since
        assert xls_together.converted(second) is None
    assert xls_together.converted(first) is None            # the block's conversions end with it
