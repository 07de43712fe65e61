"""The digests of a run on disk (issue 26): the rules across 单位 and years find from the spilled store
exactly what they found from the digests held in lists (the list forms below are those rules as they
were, the mirror), and the store's folder is private and gone after a run, also after an error.
"""
from __future__ import annotations

import os
import stat
from collections import defaultdict
from dataclasses import replace

import pytest
from hypothesis import given, settings, strategies as st
from rapidfuzz import fuzz, process

from check_workbooks import build_department, build_project
from selfeval_xl.batch.holdback import check_batch, run
from selfeval_xl.checks.registry import ACROSS
from selfeval_xl.files.discovery import find_workbooks
from selfeval_xl.checks.quality.across import Across, at
from selfeval_xl.checks.quality.digest import IndicatorDigest, TableDigest
from selfeval_xl.checks.quality.pack import default_pack
from selfeval_xl.checks.quality.store import PREVIOUS, DigestStore, stored
from selfeval_xl.checks.quality.text import has_any, percent, similarity, squeeze
from selfeval_xl.checks.quality.yoy import Pair, _closeness, _greedy, pairs

PACK = default_pack()
UNIT = {unit.code: unit for unit in ACROSS}
LENIENT = replace(PACK.rule("all-full-score"), params={"share": 0.5, "min_projects": 1})
"""A 单位 reported when half its projects are full: several 单位 in a small case."""


# -- the rules across 单位 over lists, as they were before the store (the mirror) --------------------

def _rows(tables):
    return [(t, i) for t in tables for i in t.indicators]


def listed_wording(current, rule):
    seen = defaultdict(list)
    for table, ind in _rows(current):
        if table.unit and len(ind.key) >= rule.param("min_chars"):
            seen[ind.key, squeeze(ind.target_text)].append((table, ind))
    for group in seen.values():
        if len({t.unit for t, _ in group}) < 2:
            continue
        for table, ind in group:
            other, where = next((t, i) for t, i in group if t.unit != table.unit)
            yield at(rule, table, ind.name_cell,
                     rule.message(name=ind.name, target=ind.target_text, other_unit=other.unit,
                                  other_file=os.path.basename(other.file), other_cell=where.name_cell),
                     None, ind.name)


def listed_satisfaction(current, rule):
    rows = [(t, i, squeeze(i.text)) for t, i in _rows(current)
            if t.unit and has_any(i.level2 + i.name, rule.param("satisfaction_words"))]
    rows = [r for r in rows if len(r[2]) >= rule.param("min_chars")]
    if len(rows) < 2:
        return
    matrix = process.cdist([t for _, _, t in rows], [t for _, _, t in rows], scorer=fuzz.ratio,
                           score_cutoff=rule.param("similarity"))
    for (table, ind, _), scores in zip(rows, matrix):
        others = [b for b in range(len(rows)) if scores[b] and rows[b][0].unit != table.unit]
        if others:
            other, where, _ = rows[max(others, key=lambda k: scores[k])]
            yield at(rule, table, ind.actual_cell,
                     rule.message(name=ind.name, text=ind.text, other_unit=other.unit,
                                  other_file=os.path.basename(other.file), other_cell=where.actual_cell,
                                  similarity=f"{scores[max(others, key=lambda k: scores[k])]:.0f}"),
                     None, ind.text)


def listed_full(current, rule):
    by_unit = defaultdict(list)
    for table in current:
        if table.kind == "project" and table.unit:
            by_unit[table.unit].append(table)
    for unit, tables in by_unit.items():
        projects, full = {t.name for t in tables}, {t.name for t in tables if t.full}
        if len(projects) < rule.param("min_projects") or len(full) < rule.param("share") * len(projects):
            continue
        for table in (t for t in tables if t.full):
            yield at(rule, table, table.anchor,
                     rule.message(unit=unit, full=len(full), projects=len(projects),
                                  share=percent(len(full) / len(projects))), None, "满分")


def listed_pairs(current, previous, project_min, indicator_min):
    candidates = []
    for i, cur in enumerate(current):
        for j, old in enumerate(previous):
            if cur.kind != old.kind or not cur.unit or cur.unit != old.unit:
                continue
            if cur.kind == "department":
                candidates.append((100.0, i, j))
            elif (score := similarity(squeeze(cur.name), squeeze(old.name))) >= project_min:
                candidates.append((score + _closeness(cur.budget, old.budget) / 100, i, j))
    out = []
    for i, j in _greedy(candidates):
        cur, old = current[i], previous[j]
        matched = _greedy([(similarity(a.key, b.key), x, y) for x, a in enumerate(cur.indicators)
                           for y, b in enumerate(old.indicators)
                           if a.family == b.family and similarity(a.key, b.key) >= indicator_min])
        kept = {y for _, y in matched}
        out.append(Pair(cur, old, tuple((cur.indicators[x], old.indicators[y]) for x, y in matched),
                        tuple(b for y, b in enumerate(old.indicators) if y not in kept)))
    return out


LISTED = {"wording-shared-across-units": listed_wording, "satisfaction-copied-across-units": listed_satisfaction,
          "all-full-score": listed_full}


# -- small random digests, drawn from few words so that they collide ---------------------------------

LONG = ["全面完成市委市政府交办的各项档案工作任务", "全面完成市委市政府交办的各项档案工作任务。", "档案数字化加工页数达到年度计划"]
SATISFIED = ["经问卷调查，服务对象满意度达96%，群众普遍认可", "经问卷调查，服务对象满意度达95%，群众普遍认可",
             "发放问卷200份，回收180份，满意度93%", "发放问卷200份，回收180份，满意度93%\udc80", ""]
"""Texts a rule compares; one not valid Unicode (a lone surrogate), as a hostile file's may be."""


@st.composite
def indicators(draw, n):
    level2 = draw(st.sampled_from(["数量指标", "服务对象满意度指标", "质量指标"]))
    name = draw(st.sampled_from(LONG + ["满意度", "预算执行率", "服务对象满意度"]))
    weight = draw(st.sampled_from([None, 5.0, 10.0]))
    score = draw(st.sampled_from([None, 5.0, 10.0, 8.5]))
    target = draw(st.sampled_from([None, 100.0, 120.0]))
    direction = draw(st.sampled_from(["≥", "≤", "定性"]))
    return IndicatorDigest(draw(st.sampled_from(["产出指标", "效益指标", "满意度指标"])), level2, name, f"D{n}",
                           f"F{n}", f"H{n}", f"I{n}", draw(st.sampled_from(["全面完成", "≥100", "100"])),
                           draw(st.sampled_from(["件", "%", ""])), direction, target,
                           draw(st.sampled_from([None, 90.0, 130.0])), weight, score,
                           draw(st.sampled_from(SATISFIED)))


@st.composite
def tables(draw, prefix):
    count = draw(st.integers(0, 7))
    out = []
    for n in range(count):
        rows = draw(st.lists(indicators(n), max_size=4))
        if draw(st.booleans()):                  # self-scored full: every indicator at its 分值
            rows = [replace(i, score=i.weight) for i in rows]
        out.append(TableDigest(f"/in/{prefix}{n}.xlsx", "自评表", draw(st.sampled_from(["project", "department"])),
                               draw(st.sampled_from(["甲单位", "乙单位", "丙单位", "丙单位\udc80", ""])),
                               draw(st.sampled_from(["档案征集项目", "档案征集服务项目", "道路保洁项目"])),
                               draw(st.sampled_from([None, 100.0, 105.0])), f"J{n}", tuple(rows)))
    return out


@settings(deadline=None, max_examples=150)
@given(tables("今年"), tables("上年"), st.integers(1, 4))
def test_the_rules_find_from_the_store_what_they_found_from_lists(current, previous, block):
    with DigestStore() as store:
        store.block = block                      # several blocks of texts even in a small case
        for n in range(0, len(current), 2):      # as files arrive: some with two tables
            store.add(map(stored, current[n:n + 2]))
        store.add(map(stored, previous), PREVIOUS)
        for code, listed in LISTED.items():
            for rule in (PACK.rule(code), LENIENT) if code == LENIENT.code else (PACK.rule(code),):
                assert list(UNIT[code](store, rule, PACK)) == list(listed(current, rule)), code
        rule = PACK.rule("target-lowered")
        thresholds = rule.param("project_similarity"), rule.param("indicator_similarity")
        assert list(pairs(store, PACK)) == listed_pairs(current, previous, *thresholds)
        assert list(pairs(store, PACK)) == listed_pairs(current, previous, *thresholds)    # matched once, read twice


def test_the_store_is_private_and_gone_when_closed_also_after_an_error():
    with pytest.raises(KeyboardInterrupt):
        with Across(ACROSS) as across:
            folder = across.digests.folder
            assert stat.S_IMODE(folder.stat().st_mode) == 0o700
            assert os.listdir(folder) == ["digests.sqlite3"]
            raise KeyboardInterrupt
    assert not folder.exists()


@pytest.fixture
def scratch(tmp_path, monkeypatch):
    """The temporary folder of this process's runs, empty: whatever a run leaves there is seen."""
    import tempfile

    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    (tmp_path / "in").mkdir()
    build_project(tmp_path / "in" / "p.xlsx")
    build_department(tmp_path / "in" / "d.xlsx")
    return folder, find_workbooks([tmp_path / "in"])


def test_a_run_leaves_no_store_behind(scratch):
    folder, paths = scratch
    during = []
    reports = list(check_batch(paths, jobs=1, on_result=lambda _: during.append(os.listdir(folder))))
    assert len(reports) == 2 and any(name.startswith("selfeval-digests-") for name in during[0])
    assert os.listdir(folder) == []
    run(paths, jobs=1)
    assert os.listdir(folder) == []


def test_a_run_that_fails_leaves_no_store_behind(scratch):
    folder, paths = scratch

    def fails(_result):
        raise RuntimeError("a writer failed")

    with pytest.raises(RuntimeError):
        list(check_batch(paths, jobs=1, on_result=fails))
    assert os.listdir(folder) == []
    with pytest.raises(RuntimeError):
        run(paths, jobs=1, on_result=fails)
    assert os.listdir(folder) == []
    reports = check_batch(paths, jobs=1)         # a reader that stops after the first report (Ctrl-C in it)
    next(reports)
    assert any(name.startswith("selfeval-digests-") for name in os.listdir(folder))
    reports.close()
    assert os.listdir(folder) == []


@pytest.mark.skipif(not os.path.isdir("/proc/self/task") or (os.cpu_count() or 1) < 2,
                    reason="counts this process's threads (Linux, two cores or more)")
def test_comparing_texts_starts_no_blas_threads(tmp_path):
    """numpy (for cdist's answers) comes without OpenBLAS's thread per core: they spin at start-up, CPU the
    parent of a batch takes from its workers. A fresh process: numpy is loaded by the rule itself."""
    import subprocess
    import sys

    script = (
        "import os\n"
        "os.environ.pop('OPENBLAS_NUM_THREADS', None)\n"
        "from selfeval_xl.checks.quality import across\n"
        "from selfeval_xl.checks.quality.digest import IndicatorDigest, TableDigest\n"
        "from selfeval_xl.checks.quality.pack import default_pack\n"
        "from selfeval_xl.checks.quality.store import DigestStore, stored\n"
        "said = '经问卷调查，服务对象满意度达96%，群众对项目实施效果普遍认可'\n"
        "tables = [TableDigest(f'{n}.xlsx', '自评表', 'project', unit, '项目', 10.0, 'J20', (IndicatorDigest("
        "'满意度指标', '服务对象满意度指标', '群众满意度', 'D20', 'F20', 'H20', 'I20', '≥90%', '%', '≥', 90.0, 95.0,"
        " 10.0, 10.0, said),)) for n, unit in enumerate('甲乙')]\n"
        "pack = default_pack()\n"
        "with DigestStore() as store:\n"
        "    store.add(map(stored, tables))\n"
        "    found = list(across.satisfaction_copied_across_units(store, pack.rule('satisfaction-copied-across-units'), pack))\n"
        "print(len(found), len(os.listdir('/proc/self/task')))\n")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["2", "1"]


def test_the_store_indexes_its_digests_once_they_are_in_at_the_first_question():
    """Indexes built row by row as the digests arrived cost a third of adding them; built at the first
    question they are there for every question (the rules over 10,000 files need them)."""
    table = TableDigest("a.xlsx", "自评表", "project", "甲单位", "项目", 10.0, "J20", (IndicatorDigest(
        "产出指标", "数量指标", "征集档案资料", "D10", "F10", "H10", "I10", "≥1200", "件", "≥", 1200.0, 1250.0, 10.0,
        10.0, ""),))
    with DigestStore() as store:
        store.add([stored(table)])

        def indexes():
            return {name for name, in store._db.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
        assert indexes() == set()
        assert list(store.project_counts()) == [("甲单位", 1, 1)]
        assert indexes() == {"tables_by_unit", "rows_by_wording"}
        store.add([stored(table)])                  # a digest after a question: kept in the indexes
        assert list(store.project_counts()) == [("甲单位", 1, 1)] and len(list(store.full_projects("甲单位"))) == 2


def test_one_units_texts_are_not_compared():
    """A run over one 单位's files (a common one) has no other 单位's 满意度 text to compare with: numpy is
    not loaded for it. A fresh process; two 单位 with the same texts are compared and found."""
    import subprocess
    import sys

    script = (
        "import sys\n"
        "from selfeval_xl.checks.quality import across\n"
        "from selfeval_xl.checks.quality.digest import IndicatorDigest, TableDigest\n"
        "from selfeval_xl.checks.quality.pack import default_pack\n"
        "from selfeval_xl.checks.quality.store import DigestStore, stored\n"
        "said = '经问卷调查，服务对象满意度达96%，群众对项目实施效果普遍认可'\n"
        "pack = default_pack()\n"
        "for units in (sys.argv[1], sys.argv[2]):\n"
        "    tables = [TableDigest(f'{n}.xlsx', '自评表', 'project', unit, '项目', 10.0, 'J20', (IndicatorDigest("
        "'满意度指标', '服务对象满意度指标', '群众满意度', 'D20', 'F20', 'H20', 'I20', '≥90%', '%', '≥', 90.0, 95.0,"
        " 10.0, 10.0, said),)) for n, unit in enumerate(units)]\n"
        "    with DigestStore() as store:\n"
        "        store.add(map(stored, tables))\n"
        "        found = list(across.satisfaction_copied_across_units(store, pack.rule("
        "'satisfaction-copied-across-units'), pack))\n"
        "    print(len(found), 'numpy' in sys.modules)\n")
    out = subprocess.run([sys.executable, "-c", script, "甲甲甲", "甲乙"], capture_output=True, text=True,
                         check=True).stdout.split()
    assert out == ["0", "False", "2", "True"]
