"""Our own files (backups, temporaries, reports) are told apart from submissions."""
import zipfile

from openpyxl import Workbook

from selfeval_xl.files.ownfiles import backup_name, mark_openpyxl, output_kind, output_reason, own_name_reason


def test_names_of_backups_and_temporaries(tmp_path):
    assert own_name_reason(tmp_path / "表.bak.xlsx")
    assert own_name_reason(tmp_path / "表.BAK12.xlsm")
    assert own_name_reason(tmp_path / ".~selfeval-abc.xlsx")
    assert own_name_reason(tmp_path / "表.backup.xlsx") is None
    assert backup_name(tmp_path / "表.xlsx", 1).name == "表.bak.xlsx"
    assert backup_name(tmp_path / "表.xlsx", 2).name == "表.bak2.xlsx"


def test_a_marked_report_is_ours_and_an_unmarked_workbook_is_not(tmp_path):
    ours, theirs = tmp_path / "report.xlsx", tmp_path / "项目.xlsx"
    wb = Workbook(write_only=True)
    wb.create_sheet("汇总")
    mark_openpyxl(wb, "检查报告")
    wb.save(ours)
    Workbook().save(theirs)
    assert output_kind(ours) == "检查报告"
    with zipfile.ZipFile(ours) as zf, zipfile.ZipFile(theirs) as other:
        assert output_reason(zf) == "本工具生成的检查报告" and output_reason(other) is None
    assert output_kind(theirs) is None
    (tmp_path / "not-a-zip.xlsx").write_bytes(b"hello")
    assert output_kind(tmp_path / "not-a-zip.xlsx") is None


def test_the_mark_is_read_whatever_the_writer_declared_namespaces(tmp_path):
    """openpyxl with lxml declares ``xmlns:vt`` on the value element, without it on the root: both are ours."""
    path = tmp_path / "r.xlsx"
    part = ('<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties">'
            '<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" name="selfeval-xl-output">'
            '<vt:lpwstr xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">汇总表'
            '</vt:lpwstr></property></Properties>')
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("docProps/custom.xml", part)
    assert output_kind(path) == "汇总表"
