"""In CI a missing LibreOffice or a missing samples folder fails the run instead of skipping it."""
import subprocess
import sys
import textwrap

from conftest import ROOT


def _run(tmp_path, env_ci: str, path_without_soffice: bool) -> subprocess.CompletedProcess:
    test = tmp_path / "test_probe.py"
    test.write_text(textwrap.dedent("""
        import pytest

        @pytest.mark.libreoffice
        def test_needs_soffice():
            pass

        @pytest.mark.samples
        def test_needs_samples():
            pass
    """), encoding="utf-8")
    (tmp_path / "conftest.py").write_text((ROOT / "tests" / "conftest.py").read_text(encoding="utf-8"),
                                          encoding="utf-8")
    env = {"CI": env_ci, "PATH": str(tmp_path) if path_without_soffice else "/usr/bin:/bin",
           "SELFEVAL_SAMPLES": str(tmp_path / "no-such-folder"), "HOME": str(tmp_path)}
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-o",
                           "markers=libreoffice\nsamples", str(test)], cwd=tmp_path, env=env,
                          capture_output=True, text=True)


def test_ci_fails_when_soffice_and_samples_are_missing(tmp_path):
    result = _run(tmp_path, "true", path_without_soffice=True)
    assert result.returncode != 0, result.stdout
    assert "2 errors" in result.stdout and "CI=true" in result.stdout and "skipped" not in result.stdout


def test_outside_ci_they_are_skipped_with_the_reason(tmp_path):
    result = _run(tmp_path, "", path_without_soffice=True)
    assert result.returncode == 0, result.stdout
    assert "2 skipped" in result.stdout
