"""The built selfeval_xl.xlam, opened as the zip Excel opens: ribbon, VBA callback, config sheet."""
import re
import zipfile
from pathlib import Path

import pytest
from defusedxml import ElementTree

from selfeval_xl.addin import build as addin_build
from selfeval_xl.addin.build import build_addin
from selfeval_xl.cli import main as cli_main

REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
UI_NS = "http://schemas.microsoft.com/office/2006/01/customui"
MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


@pytest.fixture(scope="module")
def xlam(tmp_path_factory) -> Path:
    return build_addin(tmp_path_factory.mktemp("addin"))


@pytest.fixture(scope="module")
def parts(xlam) -> dict[str, bytes]:
    with zipfile.ZipFile(xlam) as z:
        assert z.testzip() is None
        return {n: z.read(n) for n in z.namelist()}


@pytest.fixture(scope="module")
def vba(xlam) -> str:
    from oletools.olevba import VBA_Parser

    parser = VBA_Parser(str(xlam))
    try:
        return "\n".join(code for _, _, _, code in parser.extract_macros())
    finally:
        parser.close()


def _ribbon_rel(parts):
    rels = ElementTree.fromstring(parts["_rels/.rels"])
    return [r for r in rels.iter(f"{{{REL_NS}}}Relationship") if "ui/extensibility" in r.get("Type")]


def test_file_is_named_as_the_module_the_callback_imports(xlam):
    assert xlam.name == "selfeval_xl.xlam"
    assert xlam.stem.isidentifier()


def test_ribbon_part_uses_the_relationship_type_excel_reads_for_its_namespace(parts):
    rels = _ribbon_rel(parts)
    assert len(rels) == 1, "exactly one ribbon relationship"
    rel = rels[0]
    assert rel.get("Type") == "http://schemas.microsoft.com/office/2006/relationships/ui/extensibility"
    target = rel.get("Target").lstrip("/")
    assert target in parts
    root = ElementTree.fromstring(parts[target])          # well-formed, or this raises
    assert root.tag == f"{{{UI_NS}}}customUI"              # the 2006 schema pairs with the 2006 type


def test_ribbon_has_the_chinese_tab_and_button_calling_the_vba_callback(parts, vba):
    root = ElementTree.fromstring(parts[_ribbon_rel(parts)[0].get("Target").lstrip("/")])
    tabs = list(root.iter(f"{{{UI_NS}}}tab"))
    assert [t.get("label") for t in tabs] == ["绩效自评"]
    buttons = list(tabs[0].iter(f"{{{UI_NS}}}button"))
    assert [b.get("label") for b in buttons] == ["计算得分"]
    module, sub = buttons[0].get("onAction").split(".")
    # the callback the ribbon names is a Sub of that VBA module, taking the ribbon control
    assert re.search(rf"Sub {sub}\(control As IRibbonControl\)", vba)
    assert module in vba


def test_vba_callback_runs_selfeval_xl_main_through_the_file_name(vba, xlam):
    body = re.search(r"Sub RunMain\(control As IRibbonControl\)(.*?)End Sub", vba, re.S).group(1)
    assert 'RunPython "import " & mymodule & ";" & mymodule & ".main()"' in body
    assert "Left(ThisWorkbook.Name" in body          # mymodule = the add-in's file name without extension
    command = f"import {xlam.stem};{xlam.stem}.main()"
    assert command == "import selfeval_xl;selfeval_xl.main()"
    import selfeval_xl
    assert callable(selfeval_xl.main)


def _sheets(parts):
    book = ElementTree.fromstring(parts["xl/workbook.xml"])
    rels = {r.get("Id"): r.get("Target") for r in
            ElementTree.fromstring(parts["xl/_rels/workbook.xml.rels"]).iter(f"{{{REL_NS}}}Relationship")}
    return book, {s.get("name"): "xl/" + rels[s.get(f"{{{R_NS}}}id")] for s in book.iter(f"{{{MAIN_NS}}}sheet")}


def _conf(parts, part):
    rows = {}
    for c in ElementTree.fromstring(parts[part]).iter(f"{{{MAIN_NS}}}c"):
        col, row = re.match(r"([A-Z]+)(\d+)", c.get("r")).groups()
        text = "".join(t.text or "" for t in c.iter(f"{{{MAIN_NS}}}t"))
        v = c.find(f"{{{MAIN_NS}}}v")
        rows.setdefault(int(row), {})[col] = text if c.get("t") == "inlineStr" else (v.text if v is not None else "")
    return rows


def test_hidden_config_sheet_is_the_one_the_vba_reads_and_names_udfs(parts, vba):
    project = re.search(r'PROJECT_NAME As String = "([^"]+)"', vba).group(1)
    book, sheets = _sheets(parts)
    assert f"{project}.conf" in sheets                    # GetConfigFromSheet: wb.Sheets(PROJECT_NAME & ".conf")
    view = book.find(f"{{{MAIN_NS}}}bookViews/{{{MAIN_NS}}}workbookView")
    assert view.get("visibility") == "hidden"              # an add-in's sheets are never shown
    rows = _conf(parts, sheets[f"{project}.conf"])
    # xlwings reads column A from A1 down to the first blank: no gaps allowed
    assert sorted(rows) == list(range(1, len(rows) + 1))
    conf = {r["A"].upper(): r.get("B") for r in rows.values()}
    assert conf["UDF MODULES"] == "udfs"
    assert conf["ADD_WORKBOOK_TO_PYTHONPATH"] == "false"
    assert all(v not in (None, "") for v in conf.values())  # an empty key would hide the user's own config


def test_vba_project_is_xlwings_own_byte_for_byte(parts, tmp_path):
    quickstart = addin_build._quickstart(tmp_path)
    with zipfile.ZipFile(quickstart) as z:
        assert z.read("xl/vbaProject.bin") == parts["xl/vbaProject.bin"]


def test_interpreter_goes_into_the_config(tmp_path):
    path = build_addin(tmp_path, interpreter=r"C:\Python312\pythonw.exe")
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    _, sheets = _sheets(parts)
    conf = {r["A"]: r.get("B") for r in _conf(parts, next(iter(sheets.values()))).values()}
    assert conf["Interpreter_Win"] == r"C:\Python312\pythonw.exe"


def test_cli_build_writes_the_file(tmp_path, capsys):
    assert cli_main(["addin", "build", "-o", str(tmp_path)]) == 0
    assert (tmp_path / "selfeval_xl.xlam").is_file()
    assert "selfeval_xl.xlam" in capsys.readouterr().out


def test_cli_install_off_windows_says_so_writes_nothing_and_exits_2(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr("sys.platform", "linux")
    monkeypatch.chdir(tmp_path)
    assert cli_main(["addin", "install"]) == 2
    captured = capsys.readouterr()
    assert captured.err.startswith("Excel 加载项只能在 Windows 的 Excel 中安装") and "addin build" in captured.err
    assert list(tmp_path.iterdir()) == []                            # nothing written, here or elsewhere


def test_cli_install_on_windows_copies_into_xlstart(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr("sys.platform", "win32")
    monkeypatch.setenv("APPDATA", str(tmp_path / "AppData"))
    assert cli_main(["addin", "install"]) == 0
    target = tmp_path / "AppData" / "Microsoft" / "Excel" / "XLSTART" / "selfeval_xl.xlam"
    assert target.is_file()
    out = capsys.readouterr().out
    assert "已安装" in out and str(target) in out
    assert cli_main(["addin", "install"]) == 0
    assert "已更新" in capsys.readouterr().out          # a second install says it replaced the first


def test_the_function_import_macro_is_a_sub_of_the_vba(vba):
    """`install --functions` runs this Sub of xlwings' VBA (in Excel): it must exist, without arguments."""
    assert re.search(rf"^Sub {addin_build.IMPORT_MACRO}\(\)$", vba, re.M)


def test_cli_install_functions_failure_explains_the_trust_setting(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr("sys.platform", "win32")
    monkeypatch.setenv("APPDATA", str(tmp_path / "AppData"))

    def no_excel(path):
        raise OSError("Excel 未安装（模拟）")

    monkeypatch.setattr(addin_build, "import_functions", no_excel)
    assert cli_main(["addin", "install", "--functions"]) == 1
    err = capsys.readouterr().err
    assert "信任对 VBA 工程对象模型的访问" in err and addin_build.IMPORT_MACRO in err
    assert not (tmp_path / "AppData" / "Microsoft" / "Excel" / "XLSTART" / "selfeval_xl.xlam").exists()
