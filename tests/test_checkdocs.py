"""Every check explained in Chinese first, the same words everywhere (issue 13), from the one registry (issue 23)."""
from __future__ import annotations

from pathlib import Path

from selfeval_xl.catalogue import UNITS, doc_of
from selfeval_xl.checks.catalogue import entries, markdown
from selfeval_xl.cli import main
from selfeval_xl.core.findings import CATALOGUE

ROOT = Path(__file__).resolve().parents[1]


def _chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" or ch == "—" for ch in text)


def test_every_unit_has_its_titles_chinese_explanation_example_fix_and_english():
    for unit in UNITS:
        text = unit.text
        for key in ("explain", "bad", "fix"):
            assert text.get(key) and _chinese(text[key]), (unit.code, key)
        assert text.get("title_en") and unit.title and unit.doc, unit.code
    assert [e.code for e in entries(UNITS)] == list(dict.fromkeys(e.code for e in entries(UNITS)))
    assert {e.code for e in entries(UNITS)} == set(CATALOGUE)       # every declared code is a unit


def test_docs_checks_md_is_up_to_date():
    """Regenerate with ``python -m selfeval_xl.catalogue docs/checks.md``."""
    assert (ROOT / "docs" / "checks.md").read_text(encoding="utf-8") == markdown(UNITS)


def test_list_checks_is_chinese_first_with_english_beside(capsys):
    assert main(["check", "--list-checks"]) == 0
    out = capsys.readouterr().out
    blocks = {block.split()[0]: block for block in out.strip().split("\n\n")}
    assert set(blocks) == set(CATALOGUE)
    for code in CATALOGUE:
        block, doc = blocks[code], doc_of(code)
        assert f"说明：{doc.explain}" in block and f"改法：{doc.fix}" in block and "English: " in block
        assert doc.title_en in block.splitlines()[0]
        assert block.index("说明：") < block.index("English: ")
