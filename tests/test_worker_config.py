"""The bureau's choices reach pooled workers with their tasks (batch.worker.Choices in WorkerConfig), not
through the environment: its 指标质量 pack, the codes it skips (never run in the worker), and — in
tests/test_gallery.py — its own layouts. Each test fails if the choice is dropped on the way to a worker."""
from __future__ import annotations

import os

import pytest

from check_workbooks import build_project
from selfeval_xl.batch.holdback import check_batch
from selfeval_xl.batch.worker import Choices, check_files
from selfeval_xl.checks import registry

POOLED = 2      # two workers: the choices cross a process boundary with each task


@pytest.fixture
def files(tmp_path):
    """Two project tables, each with a 时效 target “及时” (time-without-date) and a wrong 总分."""
    edits = {("ind", 2, "level3"): "资金拨付及时性", ("ind", 2, "target"): "及时",
             ("ind", 2, "actual"): "达成年度指标", "total": 95.95}
    return [build_project(tmp_path / f"{n}.xlsx", edits=edits).path for n in ("甲", "乙")]


def _codes(results) -> list[dict[str, str]]:
    return [{f.code: f.severity.value for f in r.report.findings} for r in results]


def test_the_quality_pack_reaches_pooled_workers(files, tmp_path):
    pack = tmp_path / "本局规则.yaml"
    pack.write_text("rules:\n  time-without-date: {severity: error}\n  vague-target: {severity: 'off'}\n",
                    encoding="utf-8")
    packaged = _codes(check_files(files, jobs=POOLED))
    assert all(c.get("time-without-date") == "warning" for c in packaged), packaged
    bureau = _codes(check_files(files, jobs=POOLED, choices=Choices(quality=str(pack))))
    assert all(c.get("time-without-date") == "error" for c in bureau), bureau
    assert "SELFEVAL_QUALITY" not in os.environ


def test_skipped_codes_are_not_run_in_pooled_workers(files):
    """Not filtered afterwards: the worker's own result lacks them (a crashing skipped check cannot cost
    the file), while the codes not skipped still come."""
    assert all("total-mismatch" in c for c in _codes(check_files(files, jobs=POOLED)))
    skip = frozenset({"total-mismatch", "time-without-date"})
    kept = _codes(check_files(files, jobs=POOLED, choices=Choices(skip=skip)))
    assert all(not skip & c.keys() and "grade-mismatch" not in c for c in kept), kept
    assert registry.table_checks((), skip) == tuple(c for c in registry.TABLE if c.code not in skip)


def test_a_skipped_check_that_crashes_costs_nothing(files, monkeypatch):
    """A check that crashes is a check-failed finding; skipped, it never runs (forked workers inherit the
    crashing check, so this holds in the pool too)."""
    from dataclasses import replace

    def crash(ctx):
        raise RuntimeError("boom")

    broken = tuple(replace(c, run=crash) if c.code == "total-mismatch" else c for c in registry.TABLE)
    monkeypatch.setattr(registry, "TABLE", broken)
    registry.table_checks.cache_clear()
    try:
        crashed = _codes(check_files(files, jobs=1))
        assert all("check-failed" in c for c in crashed), crashed
        skipped = _codes(check_files(files, jobs=1, choices=Choices(skip=frozenset({"total-mismatch"}))))
        assert all("check-failed" not in c for c in skipped), skipped
    finally:
        registry.table_checks.cache_clear()


def test_the_rules_across_files_follow_the_pack_and_the_skip(tmp_path):
    """wording-shared-across-units runs in the parent over the workers' digests: a pack turning it to
    error, and a skip leaving it out, both reach it."""
    edits = {("ind", 0, "level3"): "全面完成市委市政府交办的各项档案工作任务", ("ind", 0, "target"): "全面完成",
             ("ind", 0, "actual"): "全面完成", ("field", "implementer"): None}
    paths = []
    for unit in ("甲单位", "乙单位"):
        edits[("field", "implementer")] = unit
        paths.append(build_project(tmp_path / f"{unit}.xlsx", edits=dict(edits)).path)
    code = "wording-shared-across-units"

    def found(choices: Choices) -> list[str]:
        return [f.severity.value for r in check_batch(paths, jobs=POOLED, choices=choices)
                for f in r.findings if f.code == code]

    assert found(Choices()) and set(found(Choices())) == {"warning"}
    pack = tmp_path / "p.yaml"
    pack.write_text(f"rules:\n  {code}: {{severity: error}}\n", encoding="utf-8")
    assert set(found(Choices(quality=str(pack)))) == {"error"}
    assert found(Choices(skip=frozenset({code}))) == []
