"""A folder of hostile submissions, generated: what a stranger (or a careless colleague) might send.

Each entry is built in milliseconds by editing the XML of one valid workbook (never by asking a reader
to allocate what the file claims). :func:`build_corpus` returns the names expected to get which code,
so a test asserts on every path, not on a count.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import stat
import zipfile
from pathlib import Path

from check_workbooks import build_project

SHEET = "xl/worksheets/sheet1.xml"


def rewrite(source: Path, target: Path, edit) -> Path:
    """Copy an .xlsx part by part, ``edit(name, bytes) -> bytes`` applied to each part."""
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            out.writestr(info.filename, edit(info.filename, src.read(info)))
    return target


def with_far_cell(source: Path, target: Path, ref: str) -> Path:
    """``source`` with one more cell at ``ref`` (``XFD1048576``): 15 KB that asks for billions of cells."""
    row = "".join(ch for ch in ref if ch.isdigit())
    cell = f'<row r="{row}"><c r="{ref}" t="inlineStr"><is><t>x</t></is></c></row>'.encode()
    return rewrite(source, target, lambda n, b: b.replace(b"</sheetData>", cell + b"</sheetData>") if n == SHEET else b)


def with_text(source: Path, target: Path, old: str, new: str) -> Path:
    """``source`` with one inline string replaced (``new`` may hold ``_x0007_`` escapes)."""
    return rewrite(source, target, lambda n, b: b.replace(old.encode(), new.encode()) if n == SHEET else b)


def many_sheets(target: Path, count: int) -> Path:
    """A minimal .xlsx with ``count`` tiny worksheets."""
    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rel_ns = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
    sheets = "".join(f'<sheet name="S{i}" sheetId="{i}" r:id="rId{i}"/>' for i in range(1, count + 1))
    rels = "".join(f'<Relationship Id="rId{i}" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                   f'relationships/worksheet" Target="worksheets/sheet{i}.xml"/>' for i in range(1, count + 1))
    overrides = "".join(f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/'
                        f'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>' for i in range(1, count + 1))
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml",
                   '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                   '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                   '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
                   f'officedocument.spreadsheetml.sheet.main+xml"/>{overrides}</Types>')
        z.writestr("_rels/.rels", '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
                   'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
                   'officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
        z.writestr("xl/workbook.xml", f"<workbook {ns} {rel_ns}><sheets>{sheets}</sheets></workbook>")
        z.writestr("xl/_rels/workbook.xml.rels",
                   f'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{rels}'
                   "</Relationships>")
        for i in range(1, count + 1):
            z.writestr(f"xl/worksheets/sheet{i}.xml", f'<worksheet {ns}><sheetData><row r="1"><c r="A1">'
                       f"<v>{i}</v></c></row></sheetData></worksheet>")
    return target


def zip_bomb(source: Path, target: Path, inflated: int) -> Path:
    """``source`` plus a part of ``inflated`` zero bytes (a few hundred KB on disk)."""
    shutil.copyfile(source, target)
    chunk = bytes(1024 * 1024)
    with zipfile.ZipFile(target, "a", zipfile.ZIP_DEFLATED) as z, z.open("xl/media/zeros.bin", "w") as part:
        for _ in range(inflated // len(chunk) + 1):
            part.write(chunk)
    return target


def build_corpus(folder: Path) -> dict[str, str]:
    """Write the hostile folder; returns file name → the finding code its verdict must carry."""
    folder.mkdir(parents=True, exist_ok=True)
    ok = build_project(folder / "正常.xlsx").path
    expect = {"正常.xlsx": ""}
    with_far_cell(ok, folder / "远单元格_XFD1048576.xlsx", "XFD1048576")
    with_far_cell(ok, folder / "远单元格_XFD4999.xlsx", "XFD4999")
    expect.update({"远单元格_XFD1048576.xlsx": "sheet-too-large", "远单元格_XFD4999.xlsx": "sheet-too-large"})
    many_sheets(folder / "三百个工作表.xlsx", 300)
    expect["三百个工作表.xlsx"] = "unreadable"
    zip_bomb(ok, folder / "压缩炸弹.xlsx", 300 * 1024 * 1024)
    expect["压缩炸弹.xlsx"] = "unreadable"
    with_text(ok, folder / "控制字符.xlsx", "声像档案专辑制作项目", "声像_x0007_档案_x0000_专辑\x1b项目")
    expect["控制字符.xlsx"] = ""
    shutil.copyfile(ok, folder / "正常（2）.xlsx")
    expect["正常（2）.xlsx"] = "duplicate-submission"
    (folder / "乱码.xlsx").write_bytes(b"PK\x03\x04" + os.urandom(2000))
    expect["乱码.xlsx"] = "unreadable"
    (folder / "空.xlsx").write_bytes(b"")
    expect["空.xlsx"] = "unreadable"
    os.mkfifo(folder / "管道.xlsx")
    os.symlink(folder / "不存在.xlsx", folder / "断链.xlsx")
    os.symlink("/dev/zero", folder / "零设备.xlsx")
    (folder / "文件夹.xlsx").mkdir()
    expect.update({"管道.xlsx": "unreadable", "断链.xlsx": "unreadable", "零设备.xlsx": "unreadable",
                   "文件夹.xlsx": "unreadable"})
    shutil.copyfile(ok, folder / "正常.bak.xlsx")
    shutil.copyfile(ok, folder / ".~selfeval-1234.xlsx")
    expect.update({"正常.bak.xlsx": "skipped", ".~selfeval-1234.xlsx": "skipped"})
    return expect


def fingerprint(folder: Path) -> dict[str, str]:
    """A hash of every regular file under ``folder`` (links, FIFOs and devices are not opened)."""
    out = {}
    for root, _, files in os.walk(folder):
        for name in files:
            path = Path(root, name)
            if stat.S_ISREG(path.lstat().st_mode):
                out[str(path)] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out
