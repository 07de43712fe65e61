"""A 总分 formula over deleted rows (#REF!, as in the 项目库 export converted to .xlsx) is reported."""
import openpyxl

from selfeval_xl.checks import check_workbook
from selfeval_xl.read import read_workbook


def _official_table(path, total_formula):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "项目支出绩效自评表"
    rows = [
        ["项目支出绩效自评表（2023年度）"],
        ["项目名称", "", "档案数字化"], ["主管部门", "", "市档案局", "", "", "实施单位", "", "档案中心"],
        ["项目资金（万元）", "", "", "", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "", "得分"],
        ["", "", "年度资金总额", "", 100, 100, 100, 10, 1, "", 10],
        ["绩效指标", "一级指标", "二级指标", "三级指标", "", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施"],
        ["", "产出指标", "数量指标", "扫描", "", "≥100页", "100页", 50, 50],
        ["", "效益指标", "社会效益指标", "利用", "", "≥10人次", "10人次", 30, 30],
        ["", "满意度指标", "服务对象满意度指标", "满意度", "", "≥90%", "95%", 10, 10],
        ["总分", "", "", "", "", "", "", "=H7+H8+H9+H5", total_formula],
    ]
    for row in rows:
        ws.append(row)
    wb.save(path)


def test_ref_error_in_total_formula_is_an_error_at_its_cell(tmp_path):
    path = tmp_path / "broken.xlsx"
    _official_table(path, "=I7+#REF!+I8+I9+K5")
    report = check_workbook(read_workbook(path))
    broken = [f for f in report.findings if f.code == "formula-broken"]
    assert [(f.cell, f.severity.value) for f in broken] == [("I10", "error")]
    assert "#REF!" in broken[0].message


def test_a_sound_total_formula_is_not_reported(tmp_path):
    path = tmp_path / "sound.xlsx"
    _official_table(path, "=I7+I8+I9+K5")
    report = check_workbook(read_workbook(path))
    assert not [f for f in report.findings if f.code == "formula-broken"]


def test_ref_error_is_found_in_any_case(tmp_path):
    """A program that wrote the file may spell the error in lower case; Excel reads it all the same."""
    path = tmp_path / "lower.xlsx"
    _official_table(path, "=I7+#ref!+I8+I9+K5")
    report = check_workbook(read_workbook(path))
    assert [f.cell for f in report.findings if f.code == "formula-broken"] == ["I10"]
