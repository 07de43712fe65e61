import shutil

import pytest


def pytest_collection_modifyitems(config, items):
    """Tests marked ``libreoffice`` need soffice; on a machine without it they are skipped, loudly."""
    if shutil.which("soffice"):
        return
    skip = pytest.mark.skip(reason="LibreOffice (soffice) not installed: run .ci/run or apt-get install libreoffice-calc")
    for item in items:
        if "libreoffice" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(params=["openpyxl", "package"])
def Book(request):
    """Each file implementation of the workbook interface: what one must do, the other must too."""
    from selfeval_xl.book.openpyxl_book import OpenpyxlBook
    from selfeval_xl.book.package_book import PackageBook

    return {"openpyxl": OpenpyxlBook, "package": PackageBook}[request.param]


@pytest.fixture
def score_with(Book, monkeypatch):
    """``selfeval score`` run through each file Book (the command itself uses the package one)."""
    monkeypatch.setattr("selfeval_xl.book.package_book.PackageBook", Book)
    return Book
