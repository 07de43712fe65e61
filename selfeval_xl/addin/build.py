"""Build ``selfeval_xl.xlam``: xlwings' own ribbon add-in, relabelled for the 绩效自评 and pointed at ``udfs``.

Why start from ``xlwings quickstart NAME --addin --ribbon``: its VBA project (RunPython, the UDF
machinery, the ribbon callback) matches the installed xlwings, and nothing on Linux can write VBA. We
only rewrite XML parts with :mod:`zipfile` (openpyxl refuses .xlam): the ribbon (``customUI.xml``,
2006 schema, under the relationship type every Excel since 2007 reads), and the config sheet. The VBA
project is copied byte for byte; the ribbon keeps the callback name the VBA defines.

The file must be called ``selfeval_xl.xlam``: the callback runs ``import <file name>;<file name>.main()``.
"""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from defusedxml import ElementTree

from ..book.cached import MAIN_NS, REL_NS, sheet_parts
from ..book.package import ROOT_RELS, UI_RELATIONSHIP

ADDIN_NAME = "selfeval_xl"
ADDIN_FILE = f"{ADDIN_NAME}.xlam"

TAB_LABEL = "绩效自评"
GROUP_LABEL = "自评表"
BUTTON_LABEL = "计算得分"
BUTTON_TIP = "重新计算执行率、各指标得分、总分和等级，写入本工作簿，标出问题单元格并列出检查结果"

CUSTOMUI_NS = "http://schemas.microsoft.com/office/2006/01/customui"
UI_REL_2006 = "http://schemas.microsoft.com/office/2006/relationships/ui/extensibility"
UI_REL_2007 = "http://schemas.microsoft.com/office/2007/relationships/ui/extensibility"
CUSTOMUI_PART = "customUI/customUI.xml"

CONFIG = {
    "UDF Modules": "udfs",                  # the SE_* functions (udfs.py, installed top-level)
    "ADD_WORKBOOK_TO_PYTHONPATH": "false",  # a user's folder must not shadow the installed package
}
"""Config entries the add-in's sheet states (xlwings keys; values written beside them in column B).
Text, not a boolean cell, where VBA turns the value into text: ``CStr(False)`` is localized."""


class AddinBuildError(RuntimeError):
    """The installed xlwings did not give the add-in we start from."""


@dataclass(frozen=True)
class ConfEntry:
    key: str
    value: str | bool | None


def build_addin(out_dir: str | Path, interpreter: str | None = None) -> Path:
    """Write ``selfeval_xl.xlam`` into ``out_dir`` and return its path.

    ``interpreter`` (``Interpreter_Win``) names the Python that RunPython starts; left empty, xlwings
    starts ``python`` from PATH.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="selfeval-addin-") as tmp:
        source = _quickstart(Path(tmp))
        target = out / ADDIN_FILE
        partial = out / (ADDIN_FILE + ".tmp")
        config = dict(CONFIG)
        if interpreter:
            config["Interpreter_Win"] = interpreter
        _rewrite(source, partial, config)
        partial.replace(target)
    return target


def _quickstart(tmp: Path) -> Path:
    """Run ``xlwings quickstart selfeval_xl --addin --ribbon`` with the installed xlwings."""
    cmd = [sys.executable, "-c", "import sys, xlwings.cli; sys.argv[0] = 'xlwings'; xlwings.cli.main()",
           "quickstart", ADDIN_NAME, "--addin", "--ribbon"]
    done = subprocess.run(cmd, cwd=tmp, capture_output=True, text=True)
    source = tmp / ADDIN_NAME / ADDIN_FILE
    if done.returncode or not source.exists():
        raise AddinBuildError(f"xlwings quickstart 失败 / failed: {done.stderr.strip() or done.stdout.strip()}")
    return source


def _rewrite(source: Path, target: Path, config: dict[str, str | bool | None]) -> None:
    with zipfile.ZipFile(source) as zin:
        parts = {info.filename: zin.read(info) for info in zin.infolist()}
        infos = zin.infolist()
        sheet_part, sheet_name = _conf_sheet(sheet_parts(zin))
    callback = _button_callback(_customui_part(parts), parts)
    parts[CUSTOMUI_PART] = customui_xml(callback).encode("utf-8")
    parts[ROOT_RELS] = _point_ribbon_relationship(parts[ROOT_RELS].decode("utf-8")).encode("utf-8")
    parts["xl/workbook.xml"] = parts["xl/workbook.xml"].decode("utf-8").replace(
        f"name={quoteattr(sheet_name)}", f"name={quoteattr(active_conf_name(sheet_name))}", 1).encode("utf-8")
    entries = _read_conf(parts[sheet_part].decode("utf-8"), _shared_strings(parts))
    parts[sheet_part] = _write_conf(parts[sheet_part].decode("utf-8"), _merge(entries, config)).encode("utf-8")
    names = [i.filename for i in infos]
    if CUSTOMUI_PART not in names:
        names.append(CUSTOMUI_PART)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout:
        for name in names:
            zout.writestr(zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0)), parts[name],
                          compress_type=zipfile.ZIP_DEFLATED)


def customui_xml(callback: str) -> str:
    """The ribbon: tab 绩效自评, one large 计算得分 button calling the VBA's ``callback``."""
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<customUI xmlns="{CUSTOMUI_NS}">\n'
            f'  <ribbon>\n'
            f'    <tabs>\n'
            f'      <tab id="selfevalTab" label={quoteattr(TAB_LABEL)}>\n'
            f'        <group id="selfevalGroup" label={quoteattr(GROUP_LABEL)}>\n'
            f'          <button id="selfevalScore" label={quoteattr(BUTTON_LABEL)} size="large"\n'
            f'                  screentip={quoteattr(BUTTON_LABEL)} supertip={quoteattr(BUTTON_TIP)}\n'
            f'                  onAction={quoteattr(callback)} imageMso="MacroPlay" />\n'
            f'        </group>\n'
            f'      </tab>\n'
            f'    </tabs>\n'
            f'  </ribbon>\n'
            f'</customUI>\n')


def _customui_part(parts: dict[str, bytes]) -> str:
    rels = ElementTree.fromstring(parts[ROOT_RELS])
    for rel in rels.iter(f"{{{REL_NS}}}Relationship"):
        if rel.get("Type") in (UI_REL_2006, UI_REL_2007):
            return rel.get("Target").lstrip("/")
    raise AddinBuildError("xlwings 加载项中没有功能区定义 / the xlwings add-in has no ribbon part")


def _button_callback(part: str, parts: dict[str, bytes]) -> str:
    root = ElementTree.fromstring(parts[part])
    for element in root.iter():
        if element.tag.endswith("}button") and element.get("onAction"):
            return element.get("onAction")
    raise AddinBuildError("xlwings 加载项的功能区没有按钮 / the xlwings ribbon has no button")


def _point_ribbon_relationship(rels: str) -> str:
    """Make the package's ribbon relationship the 2006 type, aimed at ``customUI/customUI.xml``."""
    ours = f'<Relationship Id="rIdSelfevalUI" Type="{UI_REL_2006}" Target="{CUSTOMUI_PART}" />'
    if UI_RELATIONSHIP.search(rels):
        return UI_RELATIONSHIP.sub(lambda _: ours, rels, count=1)
    return rels.replace("</Relationships>", ours + "</Relationships>")


def _conf_sheet(sheets: dict[str, str]) -> tuple[str, str]:
    """The quickstart's config sheet (``_myaddin.conf``) among the sheets (name → part): its part and name."""
    for name, part in sheets.items():
        if name.endswith(".conf"):
            return part, name
    raise AddinBuildError("xlwings 加载项中没有配置表 / the xlwings add-in has no config sheet")


def active_conf_name(quickstart_name: str) -> str:
    """xlwings ships the sheet as ``_myaddin.conf``; its VBA reads ``myaddin.conf`` (PROJECT_NAME & ".conf")."""
    return quickstart_name.lstrip("_")


def _shared_strings(parts: dict[str, bytes]) -> list[str]:
    if "xl/sharedStrings.xml" not in parts:
        return []
    root = ElementTree.fromstring(parts["xl/sharedStrings.xml"])
    return ["".join(t.text or "" for t in si.iter(f"{{{MAIN_NS}}}t")) for si in root.iter(f"{{{MAIN_NS}}}si")]


def _read_conf(sheet_xml: str, shared: list[str]) -> list[ConfEntry]:
    """Keys in column A, values in column B, in row order (as xlwings' GetConfigFromSheet reads them)."""
    rows: dict[int, dict[str, str | bool | None]] = {}
    for cell in ElementTree.fromstring(sheet_xml).iter(f"{{{MAIN_NS}}}c"):
        ref = cell.get("r")
        column, row = re.match(r"([A-Z]+)(\d+)", ref).groups()
        value = cell.find(f"{{{MAIN_NS}}}v")
        kind = cell.get("t")
        if kind == "s" and value is not None:
            rows.setdefault(int(row), {})[column] = shared[int(value.text)]
        elif kind == "b" and value is not None:
            rows.setdefault(int(row), {})[column] = value.text == "1"
        elif kind == "inlineStr":
            rows.setdefault(int(row), {})[column] = "".join(t.text or "" for t in cell.iter(f"{{{MAIN_NS}}}t"))
        elif value is not None:
            rows.setdefault(int(row), {})[column] = value.text
    return [ConfEntry(str(r["A"]), r.get("B")) for _, r in sorted(rows.items()) if r.get("A")]


def _merge(entries: list[ConfEntry], config: dict[str, str | bool | None]) -> list[ConfEntry]:
    wanted = {k.upper(): (k, v) for k, v in config.items()}
    merged = [ConfEntry(e.key, wanted.pop(e.key.upper())[1]) if e.key.upper() in wanted else e for e in entries]
    return merged + [ConfEntry(k, v) for k, v in wanted.values()]


def _write_conf(sheet_xml: str, entries: list[ConfEntry]) -> str:
    """Replace the sheet's cells with the ``entries`` that have a value, contiguous from A1.

    xlwings reads A1 down to the first blank (``End(xlDown)``), so the rows must not have gaps; and a
    key with an empty value would still win over the user's own config file, so it is left out.
    """
    entries = [e for e in entries if e.value not in (None, "")]
    rows = [f'<row r="{i}">{_cell(f"A{i}", e.key)}{_cell(f"B{i}", e.value)}</row>'
            for i, e in enumerate(entries, start=1)]
    body = f"<sheetData>{''.join(rows)}</sheetData>"
    sheet_xml = re.sub(r"<sheetData\b.*?</sheetData>|<sheetData\s*/>", lambda _: body, sheet_xml, count=1,
                       flags=re.S)
    return re.sub(r'<dimension ref="[^"]*"\s*/>', f'<dimension ref="A1:B{max(len(entries), 1)}" />', sheet_xml,
                  count=1)


def _cell(ref: str, value: str | bool) -> str:
    if isinstance(value, bool):
        return f'<c r="{ref}" s="1" t="b"><v>{int(value)}</v></c>'
    return f'<c r="{ref}" s="1" t="inlineStr"><is><t>{escape(str(value))}</t></is></c>'


IMPORT_MACRO = "ImportPythonUDFsToAddin"
"""The Sub of xlwings' VBA that writes the VBA wrappers of the ``UDF Modules`` into the add-in itself."""


def import_functions(addin: Path) -> None:
    """Windows with Excel only: open the add-in in a hidden Excel, let xlwings import the SE_* functions
    into it, save. Excel must trust access to the VBA project object model (信任中心 → 宏设置)."""
    import xlwings as xw

    with xw.App(visible=False, add_book=False) as app:
        book = app.books.open(str(addin))
        app.macro(f"'{addin.name}'!{IMPORT_MACRO}")()
        book.save()


def copy_to(built: Path, folder: Path) -> tuple[Path, bool]:
    """Copy the add-in into ``folder``; say whether an earlier copy was replaced."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / built.name
    replaced = target.exists()
    shutil.copyfile(built, target)
    return target, replaced
