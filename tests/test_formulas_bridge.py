"""A workbook whose cells call the SE_* UDFs is recomputed by `formulas` with the engine's numbers."""
import openpyxl
import pytest

from selfeval_xl import rules
from selfeval_xl.formulas_bridge import calculate


def test_udf_cells_compute_like_the_engine(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "自评表"
    ws.append([1014.4, 1011.98, "=SE_EXEC_RATE(A1,B1)", "=SE_EXEC_SCORE(A1,B1,10)"])
    ws.append([200, 114, "=SE_IND_SCORE(A2,B2,2.5,\"≥\")", "=SE_IND_SCORE(A2,B2,2.5,\"≤\")"])
    ws.append([90, 110, "=SE_RANGE_SCORE(A3,B3,120,5)", "=SE_QUAL_SCORE(\"部分达成年度指标并具有一定效果\",10)"])
    ws.append([0, None, "=SE_EXEC_SCORE(A4,B4)", "=SE_GRADE(C2+D1+80)"])
    path = tmp_path / "udf.xlsx"
    wb.save(path)
    values = {key.split("!")[1]: value for key, value in calculate(path).items()}
    assert values["C1"] == pytest.approx(rules.exec_rate(1014.4, 1011.98))
    assert values["D1"] == float(rules.exec_score(1014.4, 1011.98)) == 9.98
    assert values["C2"] == float(rules.indicator_score(200, 114, 2.5, "≥")) == 1.43
    assert values["D2"] == 2.5
    assert values["C3"] == float(rules.range_score(90, 110, 120, 5))
    assert values["D3"] == 8.0
    assert values["C4"] == "#全年预算数为0"
    assert values["D4"] == rules.grade(1.43 + 9.98 + 80) == "优"
