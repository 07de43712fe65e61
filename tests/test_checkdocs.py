"""Every check explained in Chinese first, the same words everywhere (issue 13)."""
from __future__ import annotations

from pathlib import Path

import selfeval_xl.checks  # noqa: F401  (declares every code)
from selfeval_xl.core.checkdocs import DOCS
from selfeval_xl.checks.catalogue import entries, markdown
from selfeval_xl.cli import main
from selfeval_xl.core.findings import CATALOGUE

ROOT = Path(__file__).resolve().parents[1]


def test_every_code_has_its_chinese_explanation_example_and_fix():
    assert set(CATALOGUE) <= set(DOCS)          # DOCS also explains codes other branches bring
    for code, doc in DOCS.items():
        for text in (doc.explain, doc.bad, doc.fix):
            assert text and any("\u4e00" <= ch <= "\u9fff" or ch == "—" for ch in text), code
    assert all(e.english for e in entries())
    assert [e.code for e in entries()] == list(dict.fromkeys(e.code for e in entries()))
    assert {e.code for e in entries()} == set(CATALOGUE)


def test_docs_checks_md_is_up_to_date():
    """Regenerate with ``python -m selfeval_xl.checks.catalogue docs/checks.md``."""
    assert (ROOT / "docs" / "checks.md").read_text(encoding="utf-8") == markdown()


def test_list_checks_is_chinese_first_with_english_beside(capsys):
    assert main(["check", "--list-checks"]) == 0
    out = capsys.readouterr().out
    blocks = {block.split()[0]: block for block in out.strip().split("\n\n")}
    assert set(blocks) == set(CATALOGUE)
    for code in CATALOGUE:
        block, doc = blocks[code], DOCS[code]
        assert f"说明：{doc.explain}" in block and f"改法：{doc.fix}" in block and "English: " in block
        assert block.index("说明：") < block.index("English: ")
