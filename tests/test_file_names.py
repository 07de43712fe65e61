"""One file name for every name made from a stranger's text (issue 21): cut by UTF-8 bytes, suffix kept,
legal on Windows, never hidden, and two texts never share a name — proven over random Unicode, then
through every command that names a file after a 单位 or a project."""
from __future__ import annotations

import os
import unicodedata

from hypothesis import example, given, settings
from hypothesis import strategies as st

from selfeval_xl.core.sanitize import HASH_LENGTH, HASH_MARK, MAX_NAME_BYTES, file_name

FORBIDDEN = set('<>:"/\\|?*') | {chr(c) for c in range(32)}
RESERVED = {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$", *(f"COM{c}" for c in "0123456789¹²³"),
            *(f"LPT{c}" for c in "0123456789¹²³")}
TAILS = ["", ".xlsx", "-自评检查反馈.xlsx", "2021年度绩效自评报告.docx", "（2）.xlsx", ".bak2.xlsm"]
ANY_TEXT = st.text(st.characters(exclude_categories=()), max_size=120)      # surrogates and controls too
NAME_LIKE = st.text(st.sampled_from("广州市管理委员会服务中心项目（）.-_ /#\u202e\u3000AaCcOoNn1~"), max_size=90)
TEXTS = st.one_of(ANY_TEXT, NAME_LIKE)
LONG_UNIT = ("广州市黄埔区中新广州知识城管理委员会城市建设和综合管理服务中心" * 3)[:80]
"""A 单位 as real ones run (…管理委员会…服务中心…): 80 characters, 240 bytes, beyond any file name."""


def _stem(name: str, tail: str) -> str:
    assert name.endswith(tail)
    return name[:len(name) - len(tail)]


@settings(max_examples=500)
@given(TEXTS, st.sampled_from(TAILS))
@example("..／..／x", ".xlsx")
@example("CON", ".xlsx")
@example("报告\u202excod.exe", ".xlsx")
@example("中" * 80, "-自评检查反馈.xlsx")
def test_every_name_is_one_legal_visible_name_within_the_bytes(text, tail):
    name = file_name(text, tail)
    stem = _stem(name, tail)
    assert len(name.encode("utf-8")) <= MAX_NAME_BYTES
    assert stem and not FORBIDDEN & set(stem)
    assert not any(unicodedata.category(ch) in ("Cc", "Cf", "Cs") for ch in stem)
    assert not name.startswith((".", " ")) and not stem.endswith((".", " "))
    assert name.split(".")[0].rstrip(" ").upper() not in RESERVED
    assert not name.startswith("-")


@settings(max_examples=500)
@given(TEXTS, TEXTS, st.sampled_from(TAILS))
@example("A/B包", "A／B包", ".xlsx")
@example("报告.", "报告", ".xlsx")
@example("", "未命名", ".xlsx")
@example("x", "x~2d711642", "")
@example("中" * 80 + "甲", "中" * 80 + "乙", ".xlsx")
@example("Cafe\u0301", "Café", ".xlsx")
def test_two_texts_never_share_a_name(a, b, tail):
    if a != b:
        assert file_name(a, tail) != file_name(b, tail)


@settings(max_examples=300)
@given(TEXTS, st.sampled_from(TAILS))
def test_a_changed_name_never_meets_the_text_it_looks_like(text, tail):
    """The folded name, fed back as a text of its own, is another name (the mark makes the difference)."""
    name = file_name(text, tail)
    again = _stem(name, tail)
    if again != text:
        assert file_name(again, tail) != name


@given(st.text(st.sampled_from("广州市档案馆文化中心项目（）《》A1、·"), min_size=1, max_size=60),
       st.sampled_from(TAILS))
def test_a_plain_name_is_kept_as_it_is(text, tail):
    assert file_name(text, tail) == text + tail


def test_what_a_folded_name_looks_like():
    assert file_name("A/B包", ".xlsx").startswith("A／B包" + HASH_MARK)
    assert file_name("1#教学楼维修", ".xlsx").startswith("1＃教学楼维修" + HASH_MARK)
    assert file_name("../../x").startswith("．．／..／x" + HASH_MARK)        # a name, never hidden, never a path
    assert file_name("nul", ".xlsx").startswith("_nul" + HASH_MARK)
    assert file_name("-1+2-项目").startswith("_-1+2-项目" + HASH_MARK) and file_name("=1+1") == "=1+1"
    assert file_name("", ".xlsx", "未识别单位").startswith("未识别单位" + HASH_MARK)
    assert file_name("报告\u202excod.exe", ".xlsx").startswith("报告xcod.exe" + HASH_MARK)
    cut = file_name(LONG_UNIT + "-档案展厅运营项目", ".xlsx")                # which project it is survives
    assert cut.startswith(LONG_UNIT[:20]) and "…" in cut and cut.endswith("-档案展厅运营项目" + cut[-14:])
    long = file_name("中" * 80, ".xlsx")
    assert long.endswith(".xlsx") and len(long.encode()) <= MAX_NAME_BYTES
    assert long[:-5].rsplit(HASH_MARK, 1)[1].isalnum() and len(long[:-5].rsplit(HASH_MARK, 1)[1]) == HASH_LENGTH


@settings(max_examples=60)
@given(TEXTS, st.sampled_from(TAILS))
def test_the_file_system_takes_every_name(tmp_path_factory, text, tail):
    folder = tmp_path_factory.mktemp("names", numbered=True)
    path = folder / file_name(text, tail)
    path.write_bytes(b"")
    assert os.listdir(folder) == [path.name]


# --------------------------------------------------------------------------- through the commands

def test_an_80_character_unit_goes_through_fill_check_feedback_draft_and_the_web(tmp_path, capsys):
    import re
    import shutil
    from pathlib import Path
    from urllib.parse import unquote

    from openpyxl import load_workbook
    from starlette.testclient import TestClient

    from selfeval_xl.cli import main
    from selfeval_xl.files.ownfiles import output_kind
    from selfeval_xl.web.app import create_app
    from selfeval_xl.web.store import SqliteStore

    assert len(LONG_UNIT) == 80
    data = tmp_path / "csv"
    shutil.copytree(Path(__file__).resolve().parents[1] / "examples" / "csv", data)
    for table in data.glob("*.csv"):
        table.write_text(table.read_text(encoding="utf-8-sig").replace("广州市档案发展中心", LONG_UNIT),
                         encoding="utf-8-sig")
    assert main(["fill", str(data), "-o", str(tmp_path / "表")]) == 0
    filled = sorted((tmp_path / "表").iterdir())
    assert len(filled) == 4 and all(len(p.name.encode()) <= MAX_NAME_BYTES for p in filled)
    assert all(p.name.startswith(LONG_UNIT[:40]) for p in filled)
    projects = (data / "项目.csv").read_text(encoding="utf-8-sig").splitlines()[1:]
    assert all(any(f"-{line.split(',')[1]}{HASH_MARK}" in p.name for p in filled) for line in projects)

    assert main(["check", str(tmp_path / "表"), "-q", "--feedback", str(tmp_path / "反馈"), "-j", "1"]) == 0
    [feedback] = (tmp_path / "反馈").iterdir()
    assert feedback.name.endswith(HASH_MARK + feedback.name.rsplit(HASH_MARK, 1)[1])
    assert feedback.name.endswith("-自评检查反馈.xlsx") and output_kind(feedback) == "反馈表"
    assert LONG_UNIT in load_workbook(feedback).worksheets[0]["A1"].value      # the whole name inside

    assert main(["draft", str(tmp_path / "表"), "-o", str(tmp_path / "报告")]) == 0
    [drafted] = (tmp_path / "报告").iterdir()
    assert drafted.name.endswith("绩效自评报告.docx") and len(drafted.name.encode()) <= MAX_NAME_BYTES
    assert "Traceback" not in capsys.readouterr().err

    client = TestClient(create_app(SqliteStore(tmp_path / "site"), jobs=1), base_url="http://testserver")
    project = next(p for p in filled if "部门整体" not in p.name)
    r = client.post("/check", files={"file": (project.name, project.read_bytes())},
                    headers={"origin": "http://testserver"})
    token = re.search(r'href="/r/([\w-]+)/feedback"', r.text).group(1)
    got = client.get(f"/r/{token}/feedback")
    assert got.status_code == 200
    sent = unquote(re.search(r"filename\*=utf-8''([^;]+)", got.headers["content-disposition"]).group(1))
    assert sent.endswith("_反馈表.xlsx") and len(sent.encode()) <= MAX_NAME_BYTES
    (tmp_path / "dl").mkdir()
    (tmp_path / "dl" / sent).write_bytes(got.content)
    assert output_kind(tmp_path / "dl" / sent) == "反馈表"
