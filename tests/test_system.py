"""Indicator systems and layouts load by name or path and are validated, every problem listed."""
from decimal import Decimal

from pathlib import Path

import pytest

from selfeval_xl.core.datafiles import DataFileError
from selfeval_xl.core.layout import load_layout, normalize_label
from selfeval_xl.core.rules import Direction, ReverseFormula
from selfeval_xl.core.system import available_systems, load_system


def test_builtin_systems():
    assert {"national-project", "guangzhou-department"} <= set(available_systems())


def test_national_project_weights():
    system = load_system("national-project")
    assert system.kind == "project"
    assert system.budget_execution_weight == 10
    assert [(lv.name, lv.weight) for lv in system.levels] == [
        ("产出指标", 50), ("效益指标", 30), ("满意度指标", 10)]
    assert [c.name for c in system.level("产出指标").children] == ["数量指标", "质量指标", "时效指标", "成本指标"]
    assert system.settings.reverse_formula is ReverseFormula.RATIO
    assert system.settings.overachievement_ratio == 1.2
    assert system.settings.exec_rate_explain_below == 0.9


def test_guangzhou_department_weights():
    system = load_system(kind="department")
    assert system.name == "guangzhou-department"
    assert {lv.name: lv.weight for lv in system.levels} == {"管理效能": 45, "履职效能": 50, "加减分项": 5}
    mgmt = system.level("管理效能")
    assert {c.name: c.weight for c in mgmt.children} == {
        "资金管理": 16, "采购管理": 2, "信息公开管理": 4, "资产管理": 4, "成本管理": 4, "绩效管理": 15}
    assert sum(len(c.indicators) for c in mgmt.children) >= 14
    assert system.bonus_level.name == "加减分项"
    assert (system.settings.bonus_min, system.settings.bonus_max) == (-5, 5)
    band_rule = next(i for i in mgmt.child("资金管理").indicators if i.name == "预算调整率")
    assert band_rule.direction is Direction.LE and not band_rule.bands   # no published bands: not built in


def test_load_by_path(tmp_path):
    path = tmp_path / "mine.yaml"
    path.write_text("name: mine\nkind: project\nbudget_execution_weight: 20\nlevels:\n"
                    "  - {name: 产出指标, weight: 40}\n  - {name: 效益指标, weight: 30}\n"
                    "  - {name: 满意度指标, weight: 10}\nsettings: {reverse_formula: linear}\n",
                    encoding="utf-8")
    system = load_system(path)
    assert system.total == 100 and system.settings.reverse_formula is ReverseFormula.LINEAR


def test_validation_lists_every_problem(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("name: bad\nkind: project\nlevels:\n"
                    "  - name: 产出指标\n    weight: 50\n    children:\n"
                    "      - {name: 数量指标, weight: 20}\n      - {name: 质量指标, weight: 20}\n"
                    "  - name: 效益指标\n    weight: 30\n    children:\n"
                    "      - {name: 社会效益指标, indicators: [{name: x, direction: 大约}]}\n"
                    "settings: {reverse_formula: cubic}\n", encoding="utf-8")
    with pytest.raises(DataFileError) as info:
        load_system(path)
    text = "\n".join(info.value.problems)
    assert "40 ≠ 50" in text                    # children do not sum to their parent
    assert "80 ≠ 总分 100" in text               # first-level weights do not sum to the total
    assert "未知的指标性质" in text
    assert "reverse_formula" in text
    assert len(info.value.problems) == 4


@pytest.mark.parametrize("name", ["no-such-system", "missing.yaml"])
def test_unknown_system_is_a_clear_error(name):
    with pytest.raises(DataFileError, match="national-project|not found"):
        load_system(name)


def test_yaml_syntax_error(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("name: [unclosed\n", encoding="utf-8")
    with pytest.raises(DataFileError, match="YAML"):
        load_system(path)


def test_layouts_declare_the_official_labels():
    project = load_layout("project")
    assert project.title_text(2024) == "项目支出绩效自评表（2024年度）"
    assert [r.label for r in project.funds.rows] == ["年度资金总额", "其中：当年财政拨款", "上年结转资金", "其他资金"]
    assert project.funds.row("current").matches("其中:当年财政拨款")
    assert project.indicators.column("reason").matches("偏差原因分析及改进措施")
    department = load_layout("department")
    assert department.indicators.column("score").matches("自评得分")
    assert department.field("unit_name").matches("部门(单位)名称")
    names = [lbl.name for lbl in (*project.fields, *project.funds.rows, project.total, project.grade) if lbl.name]
    assert len(names) == len(set(names))


def test_normalize_label():
    assert normalize_label(" 项目资金(万元) ") == "项目资金"          # a unit annotates, it does not name
    assert normalize_label("部门(单位)名称") == "部门（单位）名称"     # brackets that name are kept, folded


def test_exec_rate_explanation_words_are_a_setting(tmp_path):
    assert load_system("national-project").settings.exec_rate_explain_words == ("执行", "尾款", "结余", "未支付", "未付")
    path = tmp_path / "words.yaml"
    path.write_text("name: w\nkind: project\nbudget_execution_weight: 10\nlevels:\n"
                    "  - {name: 产出指标, weight: 50}\n  - {name: 效益指标, weight: 30}\n"
                    "  - {name: 满意度指标, weight: 10}\nsettings: {exec_rate_explain_words: [执行, 支付]}\n",
                    encoding="utf-8")
    assert load_system(path).settings.exec_rate_explain_words == ("执行", "支付")


def test_restated_figures_and_bands_are_read_from_the_system():
    system = load_system("guangzhou-department")
    assert system.restating("funds_rate") == ("预算完成率",)
    assert system.restating("no-such-figure") == ()
    assert system.banded == {} and system.bands_for(" 预算调整率 ") == ()
    assert len(system.specs) >= 14


def test_guangzhou_case_adjustment_rate_is_scored_on_its_own_target():
    """The issue's real case: a department whose own 年度指标值 is ≤10% and whose 预算调整率 is 8% earns
    its full 2 points (the invented bands gave 1.20)."""
    from selfeval_xl.core.scoring import score_indicator

    system = load_system("guangzhou-department")
    bands = system.bands_for("预算调整率")
    assert score_indicator("≤10%", "8%", 2, bands=bands, settings=system.settings).score == Decimal("2.00")


def test_the_department_layout_declares_the_bonus_rows():
    bonus = load_layout("department").bonus
    assert bonus.label == "加减分项" and "加减分" in bonus.aliases
    assert load_layout("project").bonus is None


def test_a_misspelt_setting_is_refused_not_ignored(tmp_path):
    """``overachievment_ratio: 1.5`` must not silently leave the 1.2 default in force."""
    from selfeval_xl.core.datafiles import DataFileError
    from selfeval_xl.core.system import load_system

    source = (Path(__file__).resolve().parents[1] / "selfeval_xl" / "systems" / "national-project.yaml").read_text(
        encoding="utf-8")
    bad = tmp_path / "typo.yaml"
    bad.write_text(source.replace("settings:", "settings:\n  overachievment_ratio: 1.5", 1), encoding="utf-8")
    with pytest.raises(DataFileError, match="overachievment_ratio"):
        load_system(str(bad))
