"""The amplification workbook of issue 22: a table's sheet that also holds 11,200 cells (280 rows × 40
columns) sharing one 8,000-character shared string — about 30 KB on disk, 90 million characters read."""
import re
import zipfile
from pathlib import Path


def amplify(source: Path, target: Path, rows: int = 280, cols: int = 40, chars: int = 8000) -> Path:
    """``source`` (an .xlsx openpyxl wrote, with inline strings) with the shared cells added, as ``target``."""
    zin = zipfile.ZipFile(source)
    sheet = zin.read("xl/worksheets/sheet1.xml").decode()
    def col(n):
        s = ""
        while n: n, r = divmod(n - 1, 26); s = chr(65 + r) + s
        return s
    def add(m):
        r = int(m.group(1))
        extra = "".join(f'<c r="{col(c)}{r}" t="s"><v>0</v></c>' for c in range(20, 20 + cols)) if r <= rows else ""
        return m.group(0).replace("</row>", extra + "</row>")
    sheet = re.sub(r'<row r="(\d+)"[^>]*>.*?</row>', add, sheet, flags=re.S)
    have = {int(x) for x in re.findall(r'<row r="(\d+)"', sheet)}
    missing = "".join(f'<row r="{r}">' + "".join(f'<c r="{col(c)}{r}" t="s"><v>0</v></c>' for c in range(20, 20 + cols)) + "</row>" for r in range(1, rows + 1) if r not in have)
    sheet = sheet.replace("</sheetData>", missing + "</sheetData>")
    # rows must be in order: rebuild sorted
    body = re.search(r"<sheetData>(.*)</sheetData>", sheet, re.S).group(1)
    rowsx = sorted(re.findall(r'<row r="\d+".*?</row>', body, re.S), key=lambda x: int(re.match(r'<row r="(\d+)"', x).group(1)))
    sheet = sheet.replace(body, "".join(rowsx))
    sheet = re.sub(r'<dimension ref="[^"]*"/>', "", sheet)
    sst = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>' + "长" * chars + "</t></si></sst>")
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = sheet.encode()
            elif item.filename == "[Content_Types].xml":
                data = data.replace(b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>') if b"sharedStrings" not in data else data
            elif item.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace(b"</Relationships>", b'<Relationship Id="rIdSST" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>') if b"sharedStrings" not in data else data
            zout.writestr(item, data)
        if "xl/sharedStrings.xml" not in zin.namelist():
            zout.writestr("xl/sharedStrings.xml", sst)
    return target
