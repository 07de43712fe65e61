"""LibreOffice helpers: one soffice call for many files, clear errors when it cannot run."""
from __future__ import annotations

import openpyxl
import pytest

from selfeval_xl.engines import libreoffice as recalc
from selfeval_xl.engines.libreoffice import LibreOfficeError, pdf_to_png, recalculate, soffice_available, to_pdf


def _book(path, a, b):
    wb = openpyxl.Workbook()
    wb.active["A1"], wb.active["A2"], wb.active["A3"] = a, b, "=ROUND(A1/A2*2.5,2)"
    wb.save(path)
    return path


def test_missing_soffice_is_a_clear_error(monkeypatch, tmp_path):
    monkeypatch.setattr(recalc, "soffice_path", lambda: None)
    assert not soffice_available()
    with pytest.raises(LibreOfficeError, match="soffice"):
        recalculate([_book(tmp_path / "a.xlsx", 1, 2)], tmp_path / "out")


@pytest.mark.libreoffice
def test_duplicate_names_and_same_folder_are_refused(tmp_path):
    (tmp_path / "x").mkdir()
    a, b = _book(tmp_path / "a.xlsx", 1, 2), _book(tmp_path / "x" / "a.xlsx", 1, 2)
    with pytest.raises(LibreOfficeError, match="duplicate"):
        recalculate([a, b], tmp_path / "out")
    with pytest.raises(LibreOfficeError, match="outdir"):
        recalculate([a], tmp_path)


@pytest.mark.libreoffice
def test_recalculates_many_files_in_one_call_and_renders(tmp_path):
    books = [_book(tmp_path / f"b{i}.xlsx", 114 + i, 200) for i in range(3)]
    outputs = recalculate(books, tmp_path / "out")
    assert [p.name for p in outputs] == ["b0.xlsx", "b1.xlsx", "b2.xlsx"]
    values = [openpyxl.load_workbook(p, data_only=True).active["A3"].value for p in outputs]
    assert values == [1.43, 1.44, 1.45]
    (pdf,) = to_pdf(books[:1], tmp_path / "pdf")
    pages = pdf_to_png(pdf, tmp_path / "png", dpi=30)
    assert len(pages) == 1 and pages[0].read_bytes()[:4] == b"\x89PNG"
