"""``selfeval score``: scores written into copies or in place, losslessly, atomically, file by file."""
import hashlib
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest
import xlwings
from openpyxl.comments import Comment
from openpyxl.worksheet.datavalidation import DataValidation
from python_calamine import CalamineWorkbook

from selfeval_xl.cli import main as cli_main
from selfeval_xl.engines.libreoffice import recalculate
from selfeval_xl.score.writeback import RESULTS_SHEET
from test_addin import DEPARTMENT, PROJECT, department_workbook, project_workbook

from conftest import SAMPLES
QUICKSTART_XLSM = Path(xlwings.__file__).parent / "quickstart.xlsm"


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def values(path: Path, sheet: str) -> list[list]:
    return CalamineWorkbook.from_path(str(path)).get_sheet_by_name(sheet).to_python(skip_empty_area=False)


def value_at(path: Path, sheet: str, ref: str):
    col = ord(ref[0]) - 65
    row = int(ref[1:]) - 1
    rows = values(path, sheet)
    return rows[row][col] if row < len(rows) and col < len(rows[row]) else None


def macro_workbook(path: Path) -> Path:
    """Our project table in an .xlsm with a VBA project and a sheet of the department's own."""
    source, _ = project_workbook(path.with_suffix(".xlsx"))
    wb = openpyxl.load_workbook(source)
    notes = wb.create_sheet("附件说明")
    notes["A1"], notes["B1"], notes["B2"] = "合计", 12.5, "=B1*2"
    notes.merge_cells("A3:C3")
    notes["A3"] = "合并的说明"
    notes["A4"].comment = Comment("会计的批注", "会计")
    dv = DataValidation(type="list", formula1='"是,否"')
    notes.add_data_validation(dv)
    dv.add("D1")
    wb.vba_archive = zipfile.ZipFile(QUICKSTART_XLSM)
    wb.save(path)
    return path


def every_cell(ws) -> dict:
    return {c.coordinate: c.value for row in ws.iter_rows() for c in row if c.value is not None}


def test_output_folder_keeps_names_and_leaves_sources_alone(tmp_path, capsys, score_with):
    (tmp_path / "in").mkdir()
    source, _ = project_workbook(tmp_path / "in" / "城市档案.xlsx")
    before = digest(source)
    code = cli_main(["score", str(source), "-o", str(tmp_path / "out")])
    target = tmp_path / "out" / "城市档案.xlsx"
    assert target.is_file() and digest(source) == before
    assert code == 1                      # the planted problems are errors: exit 1, as `check` does
    # a values-only reader sees the scores (cached values of formula cells were written)
    assert value_at(target, PROJECT.sheet, PROJECT.funds[("total", "score")]) == 9.98
    assert value_at(target, PROJECT.sheet, PROJECT.grade) in ("优", "良", "中", "差")
    assert "总分" in capsys.readouterr().out


def test_in_place_keeps_a_backup(tmp_path, score_with):
    source, _ = project_workbook(tmp_path / "城市档案.xlsx")
    original = source.read_bytes()
    cli_main(["score", str(source), "--in-place"])
    backup = tmp_path / "城市档案.bak.xlsx"
    assert backup.read_bytes() == original
    assert RESULTS_SHEET in openpyxl.load_workbook(source).sheetnames
    assert value_at(source, PROJECT.sheet, PROJECT.funds[("total", "score")]) == 9.98
    assert sorted(p.name for p in tmp_path.iterdir()) == ["城市档案.bak.xlsx", "城市档案.xlsx"]
    scored_once = source.read_bytes()
    cli_main(["score", str(source), "--in-place"])                      # a second run keeps both backups
    assert backup.read_bytes() == original
    assert (tmp_path / "城市档案.bak2.xlsx").read_bytes() == scored_once


def test_a_bad_file_is_untouched_reported_and_the_rest_scored(tmp_path, capsys):
    good, _ = project_workbook(tmp_path / "好.xlsx")
    bad = tmp_path / "坏.xlsx"
    bad.write_bytes(b"PK\x03\x04 broken zip")
    empty = tmp_path / "没有表.xlsx"
    wb = openpyxl.Workbook()
    wb.active["A1"] = "不是自评表"
    wb.save(empty)
    digests = {p: digest(p) for p in (bad, empty)}
    code = cli_main(["score", str(bad), str(empty), str(good), "--in-place"])
    assert code != 0
    assert all(digest(p) == d for p, d in digests.items())
    assert not (tmp_path / "坏.bak.xlsx").exists() and not (tmp_path / "没有表.bak.xlsx").exists()
    assert (tmp_path / "好.bak.xlsx").exists()
    err = capsys.readouterr().err
    assert "坏.xlsx" in err and "文件已损坏（zip 结构错误" in err and "未找到绩效自评表" in err


def test_a_file_that_is_no_workbook_is_refused_with_the_reason_check_gives(tmp_path, capsys):
    """Not "BadZipFile" for all three: the user learns the file is empty, or not a workbook at all."""
    (tmp_path / "空.xlsx").write_bytes(b"")
    (tmp_path / "网页.xlsx").write_text("<html>登录超时</html>", encoding="utf-8")
    files = sorted(tmp_path.glob("*.xlsx"))
    assert cli_main(["score", *map(str, files), "-o", str(tmp_path / "out")]) != 0
    lines = capsys.readouterr().err.splitlines()
    assert any("空.xlsx" in line and "文件是空的（0 字节）" in line for line in lines)
    assert any("网页.xlsx" in line and "不是 Excel 工作簿" in line for line in lines)
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_an_interrupted_in_place_write_leaves_the_original_intact(tmp_path, monkeypatch, score_with):
    source, _ = project_workbook(tmp_path / "城市档案.xlsx")
    before = digest(source)
    real_save = score_with.save

    def save_then_crash(self, path):
        real_save(self, path)                                    # the temporary file is half done …
        Path(path).write_bytes(Path(path).read_bytes()[:100])
        raise OSError("磁盘已满（模拟）")                          # … and the write fails

    monkeypatch.setattr(score_with, "save", save_then_crash)
    assert cli_main(["score", str(source), "--in-place"]) == 1
    assert digest(source) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["城市档案.xlsx"]      # no temp file, no .bak


def test_ctrl_c_during_the_save_leaves_the_original_intact(tmp_path, monkeypatch, score_with):
    source, _ = project_workbook(tmp_path / "城市档案.xlsx")
    before = digest(source)

    def crash(self, path):
        Path(path).write_bytes(b"partial")
        raise KeyboardInterrupt

    monkeypatch.setattr(score_with, "save", crash)
    assert cli_main(["score", str(source), "--in-place"]) == 2          # click: 已取消 / aborted
    assert digest(source) == before
    assert [p.name for p in tmp_path.iterdir()] == ["城市档案.xlsx"]


def test_xlsm_keeps_vba_and_other_sheets(tmp_path, score_with):
    source = macro_workbook(tmp_path / "城市档案.xlsm")
    cli_main(["score", str(source), "-o", str(tmp_path / "out")])
    target = tmp_path / "out" / "城市档案.xlsm"
    with zipfile.ZipFile(source) as a, zipfile.ZipFile(target) as b:
        assert a.read("xl/vbaProject.bin") == b.read("xl/vbaProject.bin")
    old = openpyxl.load_workbook(source, keep_vba=True)
    new = openpyxl.load_workbook(target, keep_vba=True)
    assert new.sheetnames == old.sheetnames + [RESULTS_SHEET]
    for name in old.sheetnames:
        if name != PROJECT.sheet:
            assert every_cell(new[name]) == every_cell(old[name]), name
    notes_old, notes_new = old["附件说明"], new["附件说明"]
    assert notes_new.merged_cells.ranges == notes_old.merged_cells.ranges
    assert notes_new["A4"].comment.text == "会计的批注"
    assert [str(d.sqref) for d in notes_new.data_validations.dataValidation] == ["D1"]
    assert set(new.defined_names) == set(old.defined_names)
    assert new[PROJECT.sheet].merged_cells.ranges == old[PROJECT.sheet].merged_cells.ranges
    assert len(new[PROJECT.sheet].data_validations.dataValidation) == \
        len(old[PROJECT.sheet].data_validations.dataValidation)
    # the table's own input cells are unchanged too; only computed cells and marks differ
    for ref in (PROJECT.fields["project_name"], PROJECT.funds[("total", "budget")]):
        assert new[PROJECT.sheet][ref].value == old[PROJECT.sheet][ref].value
    for ref in (PROJECT.total, PROJECT.grade):
        assert new[PROJECT.sheet][ref].value == old[PROJECT.sheet][ref].value   # formulas kept


def test_official_copy_without_formulas_gets_numbers(tmp_path, score_with):
    source, _ = project_workbook(tmp_path / "官方.xlsx")
    wb = openpyxl.load_workbook(source)
    ws = wb[PROJECT.sheet]
    for ref in (PROJECT.funds[("total", "rate")], PROJECT.funds[("total", "score")], PROJECT.total, PROJECT.grade):
        ws[ref] = None
    ws[PROJECT.funds[("total", "score")]] = 7                     # typed, and wrong
    wb.save(source)
    cli_main(["score", str(source), "--in-place"])
    ws = openpyxl.load_workbook(source)[PROJECT.sheet]
    assert ws[PROJECT.funds[("total", "score")]].value == 9.98
    assert isinstance(ws[PROJECT.total].value, float)
    assert ws[PROJECT.grade].value in ("优", "良", "中", "差")


def test_usage_needs_exactly_one_destination(tmp_path):
    source, _ = project_workbook(tmp_path / "a.xlsx")
    assert cli_main(["score", str(source)]) == 2
    assert cli_main(["score", str(source), "--in-place", "-o", str(tmp_path)]) == 2


def test_output_folder_equal_to_the_input_folder_is_refused(tmp_path, capsys):
    source, _ = project_workbook(tmp_path / "a.xlsx")
    before = digest(source)
    assert cli_main(["score", str(source), "-o", str(tmp_path)]) == 1
    assert digest(source) == before and "--in-place" in capsys.readouterr().err


@pytest.mark.samples
def test_xls_without_libreoffice_says_what_to_do(tmp_path, monkeypatch, capsys):
    xls = tmp_path / "导出.xls"
    shutil.copy(SAMPLES / "项目库导出_已填指标.xls", xls)
    monkeypatch.setattr("selfeval_xl.engines.libreoffice.soffice_available", lambda: False)
    assert cli_main(["score", str(xls), "--in-place"]) == 1
    assert "LibreOffice" in capsys.readouterr().err
    assert [p.name for p in tmp_path.iterdir()] == ["导出.xls"]


@pytest.mark.libreoffice
@pytest.mark.samples
def test_xls_in_place_writes_an_xlsx_beside_it(tmp_path, capsys):
    xls = tmp_path / "导出.xls"
    shutil.copy(SAMPLES / "项目库导出_已填指标.xls", xls)
    before = digest(xls)
    cli_main(["score", str(xls), "--in-place"])
    assert digest(xls) == before
    out = tmp_path / "导出.xlsx"
    assert out.is_file()
    assert "已另存为 .xlsx" in capsys.readouterr().out
    wb = openpyxl.load_workbook(out)
    assert RESULTS_SHEET in wb.sheetnames and len(wb.sheetnames) > 5       # all eleven sheets came along


@pytest.mark.libreoffice
@pytest.mark.samples
def test_an_xls_named_xlsx_is_converted_like_an_xls(tmp_path, capsys):
    """An export that is an .xls inside but named .xlsx: converted by LibreOffice and scored (the package
    patch cannot open it), the original kept byte for byte."""
    source = tmp_path / "in" / "导出.xlsx"
    source.parent.mkdir()
    shutil.copy(SAMPLES / "项目库导出_已填指标.xls", source)
    before = digest(source)
    cli_main(["score", str(source), "-o", str(tmp_path / "out")])
    assert digest(source) == before and "已另存为 .xlsx" in capsys.readouterr().out
    assert RESULTS_SHEET in openpyxl.load_workbook(tmp_path / "out" / "导出.xlsx").sheetnames


@pytest.mark.libreoffice
def test_cached_values_agree_with_what_libreoffice_computes(tmp_path):
    """The values we store for formula cells are what a spreadsheet computes from them (both kinds)."""
    (tmp_path / "in").mkdir()
    sources = [project_workbook(tmp_path / "in" / "项目.xlsx")[0], department_workbook(tmp_path / "in" / "部门.xlsx")[0]]
    cli_main(["score", *map(str, sources), "-o", str(tmp_path / "out")])
    ours = [tmp_path / "out" / s.name for s in sources]
    (tmp_path / "stripped").mkdir()
    stripped = [tmp_path / "stripped" / s.name for s in sources]    # no cached values: LibreOffice computes all
    for a, b in zip(ours, stripped):
        openpyxl.load_workbook(a).save(b)
    theirs = recalculate(stripped, tmp_path / "lo")                 # one soffice run for both
    for plan, mine, lo in zip((PROJECT, DEPARTMENT), ours, theirs):
        assert value_at(mine, plan.sheet, plan.total) not in (None, "")
        refs = [plan.total, plan.grade, *(f"{plan.columns['score']}{r}" for r in plan.indicator_rows),
                *(ref for (row, col), ref in plan.funds.items()               # the rates the engine computes
                  if col in ("rate", "score") and (plan.kind == "department" or row == "total"))]
        for ref in refs:
            a, b = value_at(mine, plan.sheet, ref), value_at(lo, plan.sheet, ref)
            if a in (None, "") or b in (None, ""):
                assert a in (None, "") and b in (None, ""), (plan.kind, ref, a, b)
            elif isinstance(a, str) or isinstance(b, str):
                assert a == b, (plan.kind, ref)
            else:
                assert a == pytest.approx(b, abs=1e-12), (plan.kind, ref, a, b)


def test_system_option_and_a_bad_system(tmp_path, capsys):
    source, _ = project_workbook(tmp_path / "a.xlsx")
    cli_main(["score", str(source), "-o", str(tmp_path / "out"), "--system", "national-project"])
    assert (tmp_path / "out" / "a.xlsx").is_file()
    before = digest(source)
    assert cli_main(["score", str(source), "--in-place", "--system", "no-such-system"]) != 0
    assert digest(source) == before and not (tmp_path / "a.bak.xlsx").exists()
