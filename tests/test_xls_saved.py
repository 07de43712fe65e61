"""A clean workbook saved as .xls by LibreOffice checks clean (issue 19): LibreOffice writes a formula's
text result ("" or "优") as the number 0 into .xls when the cell has a number format, so the file's
cached values are not what any spreadsheet shows on opening it. The reader lets LibreOffice recalculate
an .xls (as ``score`` does), so ``check`` and ``score`` agree on it."""
from __future__ import annotations

from pathlib import Path

import pytest

from selfeval_xl.cli import main
from selfeval_xl.demo.run import run_demo
from selfeval_xl.read import read_workbook
from selfeval_xl.engines.libreoffice import _convert

pytestmark = pytest.mark.libreoffice


@pytest.fixture(scope="module")
def demo_as_xls(tmp_path_factory):
    base = tmp_path_factory.mktemp("xls")
    result = run_demo(base / "demo", recalc=False, jobs=1)
    clean = sorted(result.clean)[:2]
    planted = [p.path for p in result.planted][:1]
    chosen = [*clean, *planted]
    xls = _convert(chosen, base / "xls", "xls:MS Excel 97", ".xls")
    return list(zip(chosen, xls))


def _found(path: Path) -> set[tuple[str, str]]:
    from selfeval_xl.checks import check_workbook
    return {(f.code, f.cell) for f in check_workbook(read_workbook(path)).findings}


def test_an_xls_saved_by_libreoffice_checks_as_its_xlsx(demo_as_xls):
    for xlsx, xls in demo_as_xls:
        assert read_workbook(xls).format == "xls"
        assert _found(xls) == _found(xlsx), xls.name


def test_check_and_score_agree_on_an_xls(demo_as_xls, tmp_path):
    xlsx, xls = demo_as_xls[0]                              # a clean one
    assert main(["check", str(xls), "-q"]) == 0
    assert main(["score", str(xls), "-o", str(tmp_path / "scored")]) == 0
    scored = next((tmp_path / "scored").glob("*.xlsx"))
    assert main(["check", str(scored), "-q"]) == 0
