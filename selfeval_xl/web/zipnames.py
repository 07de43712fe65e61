"""The names of a zip's members as their maker wrote them.

Why: a zip records a name's encoding only by one flag (bit 11: UTF-8). Without it Python reads the bytes
as CP437, so a zip made by Windows' 发送到 → 压缩文件夹 on a Chinese PC (GBK names, no flag) shows
``╧ε─┐1.xlsx`` for ``项目1.xlsx`` — on the page and in report.xlsx. Unflagged names are read as UTF-8
when they are valid UTF-8 (macOS, Linux and 7-Zip write UTF-8 without the flag; GBK text is almost
never valid UTF-8, while UTF-8 text often decodes as GBK garbage), else as GBK (CP936), else as stored,
and the caller is told so that it can warn.
"""
from __future__ import annotations

import zipfile

UTF8_FLAG = 0x800


def member_name(info: zipfile.ZipInfo) -> tuple[str, bool]:
    """(the member's name, whether it was understood): False when its bytes are neither UTF-8 nor GBK."""
    if info.flag_bits & UTF8_FLAG:
        return info.filename, True
    try:
        raw = info.orig_filename.encode("cp437")          # zipfile decoded the bytes as CP437: undo it
    except UnicodeEncodeError:
        return info.filename, True
    for encoding in ("utf-8", "gbk"):
        try:
            return raw.decode(encoding).replace("\\", "/"), True
        except UnicodeDecodeError:
            continue
    return info.filename, False
