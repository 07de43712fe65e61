"""``selfeval template``: writes the chosen table, never overwrites silently, explains bad input."""
from __future__ import annotations

import openpyxl
import pytest

from selfeval_xl.cli import main
from selfeval_xl.core.layout import META_SHEET


def test_writes_a_project_template_with_the_year(tmp_path, capsys):
    out = tmp_path / "自评表.xlsx"
    assert main(["template", "project", "--year", "2024", "-o", str(out)]) == 0
    wb = openpyxl.load_workbook(out)
    assert wb.worksheets[0]["A1"].value == "项目支出绩效自评表（2024年度）"
    assert wb[META_SHEET]["B5"].value == "native"
    assert "已生成" in capsys.readouterr().out


def test_udf_department_with_a_named_system(tmp_path):
    out = tmp_path / "dept.xlsx"
    assert main(["template", "department", "--system", "guangzhou-department", "--formulas", "udf",
                 "-o", str(out)]) == 0
    wb = openpyxl.load_workbook(out)
    assert wb[META_SHEET]["B2"].value == "guangzhou-department"
    assert "SE_GRADE(" in str(wb.worksheets[0][wb.defined_names["SE_DEPT_GRADE"].attr_text.split("!")[1]
                                              .replace("$", "")].value)


def test_refuses_to_overwrite_unless_forced(tmp_path, capsys):
    out = tmp_path / "t.xlsx"
    out.write_bytes(b"keep me")
    assert main(["template", "project", "-o", str(out)]) == 2
    assert out.read_bytes() == b"keep me"
    err = capsys.readouterr().err
    assert "文件已存在" in err and "--force" in err
    assert main(["template", "project", "-o", str(out), "--force"]) == 0
    assert openpyxl.load_workbook(out).worksheets[0].title == "项目支出绩效自评表"


@pytest.mark.parametrize("args, message", [
    (["template", "project", "--system", "no-such", "-o", "{out}"], "no-such"),
    (["template", "department", "--system", "national-project", "-o", "{out}"], "project"),
    (["template", "project", "-o", "{dir}/t.xls"], ".xlsx"),
    (["template", "budget", "-o", "{out}"], "budget"),
    (["template", "project", "--year", "12", "-o", "{out}"], "12"),
])
def test_usage_errors_exit_2_with_a_bilingual_reason(tmp_path, capsys, args, message):
    args = [a.format(out=tmp_path / "t.xlsx", dir=tmp_path) for a in args]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert message in err
    assert not (tmp_path / "t.xlsx").exists()
