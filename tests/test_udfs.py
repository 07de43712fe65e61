"""The xlwings UDF module: importable on Linux, one-line wrappers, '#…' messages in cells."""
import inspect
import re

import pytest

import udfs
from selfeval_xl.core import cellfuncs

NAMES = ["SE_EXEC_RATE", "SE_EXEC_SCORE", "SE_IND_SCORE", "SE_RANGE_SCORE", "SE_QUAL_SCORE", "SE_GRADE"]


def test_exactly_the_issue_signatures():
    assert sorted(n for n in dir(udfs) if n.startswith("SE_")) == sorted(NAMES)
    signatures = {n: str(inspect.signature(getattr(udfs, n))) for n in NAMES}
    assert signatures == {
        "SE_EXEC_RATE": "(budget, spent)", "SE_EXEC_SCORE": "(budget, spent, weight=10)",
        "SE_IND_SCORE": "(target, actual, weight, direction)", "SE_RANGE_SCORE": "(lo, hi, actual, weight)",
        "SE_QUAL_SCORE": "(tier, weight)", "SE_GRADE": "(total)"}


def test_every_argument_has_a_chinese_doc():
    for name in NAMES:
        params = list(inspect.signature(getattr(udfs, name)).parameters)
        docs = cellfuncs.ARG_DOCS[name]
        assert list(docs) == params
        assert all(re.search(r"[\u4e00-\u9fff]", doc) for doc in docs.values())
        assert re.search(r"[\u4e00-\u9fff]", getattr(udfs, name).__doc__)


def test_values():
    assert udfs.SE_GRADE(94.43) == "优"
    assert udfs.SE_EXEC_RATE(1014.4, 1011.98) == pytest.approx(0.99761435)
    assert udfs.SE_EXEC_SCORE(1014.4, 1011.98) == 9.98
    assert udfs.SE_EXEC_SCORE(100, 50, 20) == 10.0
    assert udfs.SE_IND_SCORE(200, 114, 2.5, "≥") == 1.43
    assert udfs.SE_IND_SCORE(30, 40, 5, "反向") == 3.75
    assert udfs.SE_IND_SCORE(100, 80, 4, "等于") == 3.2
    assert udfs.SE_IND_SCORE(">=150", 162, 4, ">=") == 4.0
    assert udfs.SE_RANGE_SCORE(90, 110, 120, 5) == 4.58
    assert udfs.SE_QUAL_SCORE("部分达成", 10) == 7.0                   # 财预〔2020〕10号: inside [60%, 80%)
    assert udfs.SE_QUAL_SCORE("未达成年度指标且效果较差", 10) == 3.0    # inside [0, 60%)
    assert udfs.SE_QUAL_SCORE("基本达成", 10) == "#未知定性档次"         # not 达成: nothing is guessed


@pytest.mark.parametrize("call, message", [
    (lambda: udfs.SE_EXEC_RATE(0, 5), "#全年预算数为0"),
    (lambda: udfs.SE_EXEC_SCORE(None, 5), "#全年预算数为空"),
    (lambda: udfs.SE_EXEC_SCORE("abc", 5), "#全年预算数不是数字"),
    (lambda: udfs.SE_IND_SCORE(1, 1, 1, "大约"), "#未知指标性质"),
    (lambda: udfs.SE_IND_SCORE(1, 1, 1, None), "#指标性质为空"),
    (lambda: udfs.SE_QUAL_SCORE("还行", 1), "#未知定性档次"),
    (lambda: udfs.SE_GRADE(120), "#总分超出0-100"),
    (lambda: udfs.SE_RANGE_SCORE(110, 90, 100, 5), "#区间下限大于上限"),
])
def test_bad_input_shows_a_short_message(call, message):
    assert call() == message


def test_udfs_is_installed_as_a_top_level_module():
    import importlib.metadata as md
    files = [str(f) for f in md.files("selfeval-xl") or []]
    # an editable install maps it through a finder or .pth; a regular install ships udfs.py itself
    assert any(f == "udfs.py" or "editable" in f or f.endswith(".pth") for f in files)
