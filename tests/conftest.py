"""Test-session rules: tools the end-to-end tests need, the real samples, and hypothesis without deadlines.

Locally a missing LibreOffice or a missing samples folder skips the tests that need them, loudly; in CI
(``CI=true``) it FAILS them: a run that silently skipped its end-to-end tests is not a green run.
"""
import os
import shutil
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings

ROOT = Path(__file__).resolve().parents[1]

# property tests must not fail spuriously on a loaded 2-core machine
hypothesis_settings.register_profile("selfeval", deadline=None)
hypothesis_settings.load_profile("selfeval")


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in ("true", "1", "yes")


def samples_dir() -> Path | None:
    """The real .xls exports: ``$SELFEVAL_SAMPLES``, else ``shared/samples`` beside the project root
    (``../shared/samples``) or beside a folder above it (a git worktree lives deeper than the checkout)."""
    given = os.environ.get("SELFEVAL_SAMPLES")
    if given:
        return Path(given) if Path(given).is_dir() else None
    for folder in ROOT.parents:
        candidate = folder / "shared" / "samples"
        if candidate.is_dir():
            return candidate
    return None


SAMPLES = samples_dir() or ROOT.parent / "shared" / "samples"


def missing(what: str, reason: str) -> None:
    """Skip locally, fail in CI."""
    if in_ci():
        pytest.fail(f"CI=true and {what} is missing: {reason}", pytrace=False)
    pytest.skip(f"{what} missing: {reason}")


def pytest_runtest_setup(item):
    if "libreoffice" in item.keywords and not shutil.which("soffice"):
        missing("LibreOffice (soffice)", "run .ci/run or apt-get install libreoffice-calc")
    if "samples" in item.keywords and samples_dir() is None:
        missing("the real samples (../shared/samples)", "set SELFEVAL_SAMPLES or check out shared/ beside the project")


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
