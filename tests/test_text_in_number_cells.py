"""Text in a number cell of our native template: reported where it was typed, never hidden by ``score``.

The native score formulas need numbers in 年度指标值 / 区间上限 / 实际完成值 of a 定量 row; text shows
``#年度指标值不是数字`` in Excel, WPS and LibreOffice. The engine reads the text, so without care
``selfeval score`` would cache its number where the spreadsheet shows an error.
"""
from __future__ import annotations

import math
from pathlib import Path

import openpyxl
import pytest

from selfeval_xl.book.cached import read_cached, to_python
from selfeval_xl.checks import check_workbook, system_for
from selfeval_xl.cli import main as cli_main
from selfeval_xl.core.excel_rules import ACTUAL_NOT_NUMBER, DIRECTION_BLANK, DIRECTION_UNKNOWN, RANGE_NEEDS_BOUNDS, TARGET_NOT_NUMBER, native_blocked_inputs
from selfeval_xl.core.layout import META_SHEET
from selfeval_xl.read import read_workbook
from selfeval_xl.engines.libreoffice import recalculate
from selfeval_xl.core.recompute import recompute
from selfeval_xl.template.writer import build_template, save_workbook
from selfeval_xl.template.plan import template_map

BAD_TARGET = "≥150天"


def filled(path: Path, formulas: str = "native", target=BAD_TARGET, ours: bool = True, kind: str = "project",
           direction: str | None = "≥") -> tuple[Path, str, str]:
    """A template filled with good 定量 rows, the first one's 年度指标值 being ``target``. Returns the
    path, the bad cell and that row's score cell. ``ours=False``: the hidden sheet removed (a copy of
    the department's own, whose formulas are not ours to judge)."""
    wb = build_template(kind, formulas=formulas, year=2024)
    plan = template_map(kind)
    ws = wb[plan.sheet]
    for key, ref in plan.fields.items():
        ws[ref] = f"测试{key}"
    rows = list(dict.fromkeys(row_key for row_key, _ in plan.funds))          # the total, then its parts
    for (row_key, column), ref in plan.funds.items():
        if row_key in rows[:2] and column in ("initial", "budget", "spent"):
            ws[ref] = 190.0 if column == "spent" else 200.0
    for r in plan.indicator_rows:
        ws[plan.cell(r, "level3")] = ws[plan.cell(r, "level3")].value or f"指标{r}"
        ws[plan.cell(r, "direction")] = "≥"
        ws[plan.cell(r, "target")] = 100
        ws[plan.cell(r, "actual")] = 100
        ws[plan.cell(r, "reason")] = "无"
    first = plan.indicator_rows[0]
    ws[plan.cell(first, "target")] = target
    ws[plan.cell(first, "actual")] = 120
    ws[plan.cell(first, "direction")] = direction
    if not ours:
        del wb[META_SHEET]
    save_workbook(wb, path)
    return path, plan.cell(first, "target"), plan.cell(first, "score")


def findings(path: Path, code: str | None = None):
    report = check_workbook(read_workbook(path))
    return [f for f in report.findings if code is None or f.code == code]


@pytest.mark.parametrize("kind", ["project", "department"])
def test_native_template_text_target_is_one_finding_at_its_cell(tmp_path, kind):
    path, bad, score = filled(tmp_path / "native.xlsx", kind=kind)
    found = findings(path, "text-in-number-cell")
    assert [(f.cell, f.found, f.expected) for f in found] == [(bad, BAD_TARGET, "150")]
    message = found[0].message
    assert TARGET_NOT_NUMBER in message and "150" in message and "单位“天”" in message and score in message
    assert ("度量单位" in message) == (kind == "project")          # the department table has no unit column
    assert found[0].severity.value == "error"


def test_text_percentage_advice_keeps_the_percent_sign(tmp_path):
    path, bad, _ = filled(tmp_path / "percent.xlsx", target="100%")
    [found] = findings(path, "text-in-number-cell")
    assert (found.cell, found.expected) == (bad, "100%") and "%" in found.message


def test_udf_template_reads_the_text(tmp_path):
    path, _, _ = filled(tmp_path / "udf.xlsx", formulas="udf")
    assert findings(path, "text-in-number-cell") == []


def test_department_copy_reads_the_text_and_scores_it(tmp_path):
    path, bad, score = filled(tmp_path / "own.xlsx", ours=False)
    data = read_workbook(path)
    assert not data.tables[0].from_template
    report = check_workbook(data)
    assert [f for f in report.findings if f.code == "text-in-number-cell"] == []
    assert not [f for f in report.findings if f.cell == bad]
    first = recompute(data.tables[0], system_for(data.tables[0])).rows[0]
    assert first.blocked == () and first.expected == (first.weight * 120 / 150).quantize(first.expected)


def test_native_row_with_text_is_left_out_of_the_recomputed_total(tmp_path):
    native = check_workbook(read_workbook(filled(tmp_path / "n.xlsx")[0]))
    own = check_workbook(read_workbook(filled(tmp_path / "o.xlsx", ours=False)[0]))
    assert native.total < own.total                  # as the spreadsheet's SUM skips the #… text


def test_blocked_inputs_follow_the_formulas_order():
    assert native_blocked_inputs("≥", "≥150天", None, 120, 10) == [("target", TARGET_NOT_NUMBER)]
    assert native_blocked_inputs("≥", "a", None, "b", 10) == [("target", TARGET_NOT_NUMBER),
                                                              ("actual", ACTUAL_NOT_NUMBER)]
    assert native_blocked_inputs("区间", 1, "9", 5, 10) == [("target_high", RANGE_NEEDS_BOUNDS)]
    assert native_blocked_inputs("定性", "好", None, "达成年度指标", 10) == []
    assert native_blocked_inputs("≥", "≥150天", None, None, 10) == []          # the cell stays blank
    assert native_blocked_inputs("≥", 150, None, 150.0, 10) == []
    assert native_blocked_inputs("≥", True, None, 1, 10) == [("target", TARGET_NOT_NUMBER)]
    assert native_blocked_inputs("正向", 150, None, 120, 10) == [("direction", DIRECTION_UNKNOWN)]
    assert native_blocked_inputs(None, "好", None, "达成", 10) == [("target", TARGET_NOT_NUMBER),
                                                                 ("actual", ACTUAL_NOT_NUMBER),
                                                                 ("direction", DIRECTION_BLANK)]
    assert native_blocked_inputs("定性", 1, None, 1, 10, banded=True) == []
    assert native_blocked_inputs("≥", 1, None, "3%", 10, banded=True) == [("actual", ACTUAL_NOT_NUMBER)]


@pytest.mark.parametrize("direction, shown", [(None, DIRECTION_BLANK), ("正向", DIRECTION_UNKNOWN)])
def test_direction_the_formula_does_not_know_is_reported_at_its_cell(tmp_path, direction, shown):
    path, bad, score = filled(tmp_path / "d.xlsx", target=150, direction=direction)
    found = findings(path)
    [finding] = [f for f in found if f.code == "direction-not-in-list"]
    assert finding.cell == "D" + bad[1:] and shown in finding.message and score in finding.message
    assert not [f for f in found if f.code == "text-in-number-cell"]
    udf = findings(filled(tmp_path / "u.xlsx", formulas="udf", target=150, direction=direction)[0])
    assert not [f for f in udf if f.code == "direction-not-in-list"]


def _same(a, b) -> bool:
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool):
        return math.isclose(a, b, rel_tol=0, abs_tol=1e-9)
    return a == b


@pytest.mark.libreoffice
def test_a_score_cell_showing_our_formulas_text_is_reported_once_and_plainly(tmp_path):
    """As saved by a spreadsheet: the score cells hold the ``#…`` text. The text input is reported at its
    cell and its score cell not again; a ``#…`` text with no such finding is worded as what it is."""
    path, bad, score = filled(tmp_path / "saved.xlsx")
    [saved] = recalculate([path], tmp_path / "lo")
    found = findings(saved)
    assert [f.cell for f in found if f.code == "text-in-number-cell"] == [bad]
    assert not [f for f in found if f.cell == score]
    data = read_workbook(saved)
    data.tables[0].formulas = None           # as if the reader had not seen our hidden sheet's formula set
    stated = [f for f in check_workbook(data).findings if f.cell == score]
    assert [f.code for f in stated] == ["not-a-number"] and f"公式显示“{TARGET_NOT_NUMBER}”" in stated[0].message


@pytest.mark.libreoffice
def test_score_caches_what_the_spreadsheet_shows(tmp_path):
    sources = [filled(tmp_path / f"{kind}.xlsx", kind=kind) for kind in ("project", "department")]
    sources.append(filled(tmp_path / "direction.xlsx", target=150, direction=None))
    out = tmp_path / "out"
    cli_main(["score", *(str(p) for p, _, _ in sources), "-o", str(out)])
    scored = [out / p.name for p, _, _ in sources]
    recalculated = recalculate(scored, tmp_path / "lo")
    for (source, bad, score), mine, theirs in zip(sources, scored, recalculated):
        plan = template_map("department" if source.stem == "department" else "project")
        cached = {ref: to_python(v) for ref, v in read_cached(mine)[plan.sheet].items()}
        assert cached[score] == (DIRECTION_BLANK if source.stem == "direction" else TARGET_NOT_NUMBER)
        values = openpyxl.load_workbook(theirs, data_only=True)[plan.sheet]
        # every score-column cell (scores, 小计, 总分, 等级) and the funds' 预算执行得分
        cells = [plan.cell(r, "score") for r in range(plan.header_row + 1, plan.last_row + 1)]
        cells += [ref for (row, column), ref in plan.funds.items() if column == "score" and ref in cached]
        assert len([ref for ref in cells if isinstance(cached.get(ref), (int, float))]) > 10
        differ = {ref: (cached.get(ref), values[ref].value) for ref in cells
                  if not _same(cached.get(ref), values[ref].value if values[ref].value != "" else None)}
        assert differ == {}, f"{source.name}: cached vs LibreOffice {differ}"
        after = findings(mine)
        code = "direction-not-in-list" if source.stem == "direction" else "text-in-number-cell"
        assert len([f for f in after if f.code == code]) == 1
        assert not [f for f in after if f.cell == score]          # explained at the input, not twice
