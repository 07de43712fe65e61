"""fill and the header row a person typed: a misspelt column is named, never silently dropped (issue 13)."""
from __future__ import annotations

import openpyxl
import pytest

from selfeval_xl.cli import main
from selfeval_xl.demo.data import generate, write_xlsx


@pytest.fixture(scope="module")
def data_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("data") / "data.xlsx"
    write_xlsx(generate(), path)
    return path


def _renamed(data_file, tmp_path, sheet: str, renames: dict[str, str], extra: str = ""):
    wb = openpyxl.load_workbook(data_file)
    ws = wb[sheet]
    for cell in ws[1]:
        cell.value = renames.get(cell.value, cell.value)
    if extra:
        ws.cell(1, ws.max_column + 1, extra)
    path = tmp_path / "edited.xlsx"
    wb.save(path)
    return path


def test_misspelt_optional_column_stops_fill_with_the_closest_name(data_file, tmp_path, capsys):
    edited = _renamed(data_file, tmp_path, "指标", {"实际完成值": "实际完成"})
    assert main(["fill", str(edited), "-o", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert "未知的列“实际完成”，是否应为“实际完成值”" in err
    assert not list((tmp_path / "out").glob("*.xlsx"))


def test_misspelt_required_column_names_what_was_found(data_file, tmp_path, capsys):
    edited = _renamed(data_file, tmp_path, "项目", {"全年预算数": "全年预算"})
    assert main(["fill", str(edited), "-o", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert "缺少必需的列 / missing column: 全年预算数（表中有“全年预算”" in err
    assert "未知的列“全年预算”" not in err                 # said once, not twice


def test_unrelated_extra_column_is_ignored_and_said_so(data_file, tmp_path, capsys):
    edited = _renamed(data_file, tmp_path, "指标", {}, extra="备注")
    assert main(["fill", str(edited), "-o", str(tmp_path / "out")]) == 0
    assert "未用到的列 / columns not used: 备注" in capsys.readouterr().out
