"""A PDF's broken lines joined back into the paragraphs they were (narrative/reflow.py): sentences whole
across line ends, blank lines and pages; headings apart; figures never glued; page numbers and running
headers gone; in linear time."""
from __future__ import annotations

import time

from hypothesis import given, settings
from hypothesis import strategies as st

from selfeval_xl.narrative.reflow import paragraphs, squeeze

WIDTH = 30          # characters of a full line


def wrap(text: str, width: int = WIDTH) -> list[str]:
    """Lines of at most ``width`` Chinese characters' width (a Latin letter or digit is half), as a PDF
    sets them: every line but the last full."""
    lines, line, used = [], "", 0
    for ch in text:
        step = 1 if ch.isascii() else 2
        if used + step > width * 2:
            lines.append(line)
            line, used = "", 0
        line, used = line + ch, used + step
    return lines + [line] if line else lines


def pdf_pages(paragraphs_: list[str], blank_between: bool, per_page: int = 8) -> list[str]:
    """The text as a PDF gives it: lines cut at the width, a blank line between every two if asked, a
    page number on each page and a running header on each (three pages or more)."""
    lines = [line for p in paragraphs_ for line in wrap(p)]
    starts = range(0, len(lines), per_page)
    header = ["广州市档案发展中心2021年度自评报告"] if len(starts) >= 3 else []
    pages = []
    for n, start in enumerate(starts, 1):
        body = lines[start:start + per_page]
        if blank_between:
            body = [x for line in body for x in (line, "")]
        pages.append("\n".join([*header, *body, f"— {n} —"]))
    return pages


CJK = st.text(alphabet=st.sampled_from("预算执行项目产出效益指标完成情况档案展览资金管理"), min_size=1, max_size=12)
FIGURE = st.decimals(min_value=0, max_value=99999, places=2).map(str)
SENTENCE = st.builds(lambda words, figures: "".join(w + f + "万元，" for w, f in zip(words, figures)).rstrip("，") + "。",
                     st.lists(CJK, min_size=1, max_size=6), st.lists(FIGURE, min_size=6, max_size=6))


def _as_written(p: str) -> bool:
    """A paragraph of two lines or more whose last line ends short of the full width (one that ends a
    sentence exactly at the margin is joined to the next: the text does not say where it ends)."""
    lines = wrap(p)
    return len(lines) >= 2 and sum(1 if ch.isascii() else 2 for ch in lines[-1]) < WIDTH * 2 - 6


@settings(deadline=None, max_examples=60)
@given(st.lists(st.lists(SENTENCE, min_size=1, max_size=4).map("".join).filter(_as_written),
                min_size=3, max_size=25).filter(lambda ts: sum(len(wrap(t)) for t in ts) >= 6), st.booleans())
def test_wrapped_text_gives_back_its_paragraphs(texts, blank_between):
    """Whatever the sentences and figures, lines cut anywhere (inside a number too), blank lines between
    every line or none, page numbers and a running header: the paragraphs come back as written."""
    found = [text for _, text in paragraphs(pdf_pages(texts, blank_between))]
    assert found == texts


def test_figures_apart_stay_apart_and_a_row_stays_a_row():
    pages = ["预算执行 10 10 100% 9.92\n合计 1132.01 1011.98 89.40%\n得分为 5 5 分。"]
    found = [text for _, text in paragraphs(pages)]
    assert found[:2] == ["预算执行10 10 100% 9.92", "合计1132.01 1011.98 89.40%"]
    assert "5 5" in found[-1]
    assert squeeze("支出预算 1014.4 万元，LED 屏幕") == "支出预算1014.4万元，LED屏幕"


def test_headings_apart_and_a_glued_heading_split():
    filler = "档案展览资金管理预算执行项目产出效益指标完成情况" * 8        # full lines: the text is wrapped
    lines = ["（三）部门整体收支情况 2021 年支出预算 1132.01 万元，支出决算 1011.98",
             "万元，预算执行差额 120.03 万元。", "社会效益指标评价分析：分值 10 分，自评 10 分",
             "1. 开展档案修复，分值 5 分。", *wrap(filler + "。", 36)]
    found = [text for _, text in paragraphs(["\n".join(lines)])]
    assert found == ["（三）部门整体收支情况", "2021年支出预算1132.01万元，支出决算1011.98万元，预算执行差额120.03万元。",
                     "社会效益指标评价分析：分值10分，自评10分", "1.开展档案修复，分值5分。", filler + "。"]


def test_page_number_inside_a_line_dropped():
    found = [text for _, text in paragraphs(["确保业务系统 - 3 - 正常运行。"])]
    assert found == ["确保业务系统正常运行。"]


def test_a_long_paragraph_without_punctuation_is_linear():
    from selfeval_xl.narrative.statements import Names, extract
    from selfeval_xl.narrative.text import Paragraph

    text = "档案展览资金管理" * 25_000                                  # 200,000 characters, no mark
    started = time.process_time()
    found = paragraphs(["\n".join(wrap(text, 40))])
    extract([Paragraph(1, t) for _, t in found] + [Paragraph(2, "自评" + "项目" * 100_000 + "5分")],
            Names(("产出指标",)))
    assert time.process_time() - started < 10
