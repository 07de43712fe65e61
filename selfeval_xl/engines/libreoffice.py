"""LibreOffice headless: recalculate workbooks, render them to PDF and PNG.

Why: a workbook written by openpyxl holds formulas without values. ``soffice --convert-to xlsx``
recomputes every formula that has no stored value and saves the results, so tests and commands can
read what Excel, WPS or LibreOffice would show. Each call starts one soffice process for many files
(start-up costs seconds) with its own user profile, so parallel runs never collide.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import uuid
from pathlib import Path
from typing import Iterable

SOFFICE_TIMEOUT = 600


class LibreOfficeError(RuntimeError):
    """soffice is missing, failed, or did not write what it was asked to."""


class LibreOfficeTimeout(LibreOfficeError):
    """soffice ran past its time and was stopped: what it wrote may be half a file."""


def _unlimited_address_space() -> None:
    """In soffice's child only: the address-space cap a check worker sets on itself (its soft limit, see
    ``limits.cap_memory``) lifted back to the hard limit. soffice maps far more than it uses; the file it
    reads is bounded by its own process and the time-out instead."""
    import resource

    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    resource.setrlimit(resource.RLIMIT_AS, (hard, hard))


def soffice_path() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def soffice_available() -> bool:
    return soffice_path() is not None


def _convert(paths: Iterable[str | Path], outdir: str | Path, target: str, suffix: str,
             timeout: float = SOFFICE_TIMEOUT) -> list[Path]:
    """Run one soffice ``--convert-to`` over all ``paths``; the outputs in input order."""
    soffice = soffice_path()
    if soffice is None:
        raise LibreOfficeError("未找到 LibreOffice（soffice），请安装 libreoffice-calc / LibreOffice (soffice) "
                               "not found: install libreoffice-calc")
    sources = [Path(p).resolve() for p in paths]
    if not sources:
        return []
    outdir = Path(outdir).resolve()
    outdir.mkdir(parents=True, exist_ok=True)
    names = [s.stem for s in sources]
    if len(set(names)) != len(names):
        raise LibreOfficeError("同一批文件名重复，输出会互相覆盖 / duplicate file names in one batch")
    if outdir in {s.parent for s in sources} and suffix == ".xlsx":
        raise LibreOfficeError("输出目录不能与输入目录相同 / outdir must differ from the inputs' folder")
    with tempfile.TemporaryDirectory(prefix="lo-") as profile:
        command = [soffice, f"-env:UserInstallation=file://{profile}/{uuid.uuid4().hex}", "--headless",
                   "--norestore", "--calc", "--convert-to", target, "--outdir", str(outdir), *map(str, sources)]
        try:
            result = subprocess.run(command, capture_output=True, text=True, timeout=timeout,
                                    preexec_fn=_unlimited_address_space if hasattr(os, "fork") else None)
        except subprocess.TimeoutExpired as exc:
            raise LibreOfficeTimeout(f"LibreOffice 超时 / timed out after {timeout:g} s") from exc
    outputs = [outdir / f"{name}{suffix}" for name in names]
    missing = [p.name for p in outputs if not p.exists()]
    if result.returncode != 0 or missing:
        first = f"，如 {missing[0]} / e.g. {missing[0]}" if missing else ""
        raise LibreOfficeError(f"LibreOffice 转换失败 / conversion failed (exit {result.returncode}; "
                               f"{len(missing)} 个文件未生成 / {len(missing)} not written{first}): "
                               f"{result.stderr.strip()[-500:]}")
    return outputs


def recalculate(paths: Iterable[str | Path], outdir: str | Path, timeout: float = SOFFICE_TIMEOUT) -> list[Path]:
    """Recalculate workbooks with LibreOffice: ``outdir/<name>.xlsx`` holds every formula's value."""
    return _convert(paths, outdir, "xlsx:Calc MS Excel 2007 XML", ".xlsx", timeout)


def to_pdf(paths: Iterable[str | Path], outdir: str | Path) -> list[Path]:
    """Render workbooks to PDF as LibreOffice prints them (page setup, print areas, fonts)."""
    return _convert(paths, outdir, "pdf", ".pdf")


def pdf_to_png(pdf: str | Path, outdir: str | Path, dpi: int = 60) -> list[Path]:
    """One PNG per page (``pdftoppm`` from poppler-utils): ``<name>-1.png`` …, in page order."""
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        raise LibreOfficeError("未找到 pdftoppm，请安装 poppler-utils / pdftoppm not found: install poppler-utils")
    pdf, outdir = Path(pdf), Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    prefix = outdir / pdf.stem
    subprocess.run([pdftoppm, "-png", "-r", str(dpi), str(pdf), str(prefix)], check=True, capture_output=True)
    return sorted(outdir.glob(f"{pdf.stem}-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))
