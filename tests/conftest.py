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
