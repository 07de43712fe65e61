"""Package-level pieces openpyxl does not carry over: the relationships of a workbook's own ribbon;
the check that a saved package names each part once; and the one way we rewrite parts of a saved file.

openpyxl (``keep_vba``) copies the ``customUI/`` parts of an .xlsm but writes a relationship only for the
2006 ``customUI.xml``; a ribbon declared the Office 2010 way (``customUI14.xml``, relationship type
``…/2007/relationships/ui/extensibility``) would silently stop loading. We put such relationships back.
"""
from __future__ import annotations

import re
import zipfile
from collections import Counter
from pathlib import Path
from typing import Callable

UI_RELATIONSHIP = re.compile(r'<Relationship\b[^>]*ui/extensibility"[^>]*/>')
ROOT_RELS = "_rels/.rels"


class DuplicatePartError(OSError):
    """A saved package holds two zip entries of one name: Excel would call it damaged, so it is not kept."""


def check_unique_parts(path: str | Path) -> None:
    """Raise :class:`DuplicatePartError` when the zip at ``path`` holds an entry name more than once."""
    with zipfile.ZipFile(path) as z:
        twice = sorted(name for name, count in Counter(z.namelist()).items() if count > 1)
    if twice:
        raise DuplicatePartError(f"保存结果中有重复的部件，文件会损坏：{', '.join(twice)} / "
                                 f"the saved package would hold duplicate parts: {', '.join(twice)}")


def rewrite_parts(path: str | Path, change: Callable[[str, bytes], bytes]) -> None:
    """Rewrite the package at ``path`` in place: each part's bytes become ``change(name, data)``. Written
    to ``<name>.tmp`` in the same folder first, then renamed over ``path``."""
    path = Path(path)
    partial = path.with_name(path.name + ".tmp")
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(info, change(info.filename, zin.read(info)), compress_type=zipfile.ZIP_DEFLATED)
    partial.replace(path)


def ui_relationships(path: str | Path) -> list[str]:
    """The ribbon relationships (as XML elements) of a package's root ``_rels/.rels``."""
    with zipfile.ZipFile(path) as z:
        if ROOT_RELS not in z.namelist():
            return []
        return UI_RELATIONSHIP.findall(z.read(ROOT_RELS).decode("utf-8"))


def restore_ui_relationships(path: str | Path, wanted: list[str]) -> None:
    """Add to ``path`` each of ``wanted`` whose target part is in the package and whose target is not
    already related (rewritten in place, in the same folder)."""
    with zipfile.ZipFile(path) as z:
        names = set(z.namelist())
        rels = z.read(ROOT_RELS).decode("utf-8")
    present = {_target(r) for r in UI_RELATIONSHIP.findall(rels)}
    missing = [r for r in wanted if _target(r) in names and _target(r) not in present]
    if not missing:
        return
    ids = set(re.findall(r'\bId="([^"]+)"', rels))
    for n, rel in enumerate(missing, start=1):
        new_id = f"rIdSelfevalUi{n}"
        while new_id in ids:
            new_id += "x"
        rels = rels.replace("</Relationships>", re.sub(r'\bId="[^"]*"', f'Id="{new_id}"', rel) + "</Relationships>")
    rewrite_parts(path, lambda name, data: rels.encode("utf-8") if name == ROOT_RELS else data)


def _target(relationship: str) -> str:
    match = re.search(r'\bTarget="([^"]+)"', relationship)
    return match.group(1).lstrip("/") if match else ""
