"""score replaces typed values with recomputed ones, and says so: which cell, what was there, what is now
(issue 13: a typed 总分 silently replaced and "未发现问题")."""
from __future__ import annotations

import openpyxl

from selfeval_xl.cli import main
from selfeval_xl.template.writer import save_workbook
from selfeval_xl.score.writeback import RESULTS_SHEET
from test_addin import PROJECT, project_workbook


def _typed(tmp_path, edits: dict[str, float]):
    source, _ = project_workbook(tmp_path / "表.xlsx")
    wb = openpyxl.load_workbook(source)
    for ref, value in edits.items():
        wb[PROJECT.sheet][ref] = value
    save_workbook(wb, source)
    return source


def test_typed_total_and_score_are_reported_with_what_they_were(tmp_path, capsys):
    score_ref = PROJECT.cell(PROJECT.indicator_rows[0], "score")
    source = _typed(tmp_path, {PROJECT.total: 95.95, score_ref: 5})
    main(["score", str(source), "-o", str(tmp_path / "out")])
    out = capsys.readouterr().out
    assert f"!{PROJECT.total}：95.95 → " in out and f"!{score_ref}：5 → " in out
    results = list(openpyxl.load_workbook(tmp_path / "out" / "表.xlsx")[RESULTS_SHEET].iter_rows(values_only=True))
    changed = {r[3].rsplit("!", 1)[1]: r for r in results[1:] if r[1] == "改写"}
    assert set(changed) == {PROJECT.total, score_ref}
    assert changed[PROJECT.total][6] == 95.95 and changed[PROJECT.total][5] != 95.95
    assert changed[score_ref][6] == 5 and "手工填写的 5 已改为重算值" in changed[score_ref][4]
    replaced = [r for r in results[1:] if r[7] == "formula-replaced" and r[3].endswith("!" + score_ref)]
    assert replaced and all("评分前为手工填写的 5" in r[4] for r in replaced)


def test_nothing_typed_nothing_reported(tmp_path, capsys):
    source, _ = project_workbook(tmp_path / "表.xlsx")
    main(["score", str(source), "-o", str(tmp_path / "out")])
    assert "改写" not in capsys.readouterr().out
    results = list(openpyxl.load_workbook(tmp_path / "out" / "表.xlsx")[RESULTS_SHEET].iter_rows(values_only=True))
    assert all(r[1] != "改写" for r in results)
