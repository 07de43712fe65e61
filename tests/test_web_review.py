"""The 复核 tab over HTTP (Starlette's test client): a draw from a collection's latest submissions
(seeded, key projects first, 部门整体 tables when asked) recorded with its seed, who and when in the audit
log; its 复核底稿 downloaded, filled with openpyxl, uploaded and read back in a worker into the 复核报告
and each 单位's 复核结论 on the page; the bureau's 口径 as an Excel file; and a 底稿 that is not ours, of
another draw, tampered with or too big, each refused with a clear message."""
from __future__ import annotations

import io
import os
import re
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook
from starlette.testclient import TestClient

from selfeval_xl.review import Draw, load_rules, review_report
from selfeval_xl.review.columns import LETTER, META, META_COLUMNS
from selfeval_xl.web.app import create_app, set_admin_token
from selfeval_xl.web.store import SqliteStore

PASSWORD = "bureau-test-password"
ORIGIN = {"origin": "http://testserver"}
UNITS = ("广州市地方志馆", "广州市文化馆")
LIMIT = 4 * 1024 * 1024


@pytest.fixture(scope="module")
def tables(tmp_path_factory) -> dict[str, list[Path]]:
    """The demo's workbooks of two 单位 (their project tables and 部门整体 table)."""
    from selfeval_xl.demo.data import generate, write_xlsx
    from selfeval_xl.fill import fill

    root = tmp_path_factory.mktemp("web-review")
    write_xlsx(generate(), root / "data.xlsx")
    assert fill(root / "data.xlsx", root / "workbooks", year=2021).ok
    return {unit: sorted((root / "workbooks").glob(f"{unit}-*.xlsx")) for unit in UNITS}


@pytest.fixture()
def site(tmp_path, tables):
    store = SqliteStore(tmp_path / "data")
    set_admin_token(store, PASSWORD)
    with TestClient(create_app(store, limit=LIMIT, jobs=1), base_url="http://testserver") as client:
        assert client.post("/admin/login", data={"password": PASSWORD}, headers=ORIGIN).status_code == 200
        r = client.post("/admin/collections", data={"year": "2021", "title": "2021 年度绩效自评",
                                                    "units": "\n".join(UNITS), "system": ""}, headers=ORIGIN)
        dashboard = str(r.url).removeprefix("http://testserver")
        links = dict(re.findall(r'data-unit="([^"]+)">.*?<code class="link">http://testserver(/u/[\w-]+)</code>',
                                r.text, re.S))
        for unit, paths in tables.items():
            files = [("file", (p.name, p.read_bytes())) for p in paths]
            assert client.post(f"{links[unit]}/upload", files=files, headers=ORIGIN).status_code == 200
        yield store, client, dashboard


def post(client, path: str, data=None, files=None):
    return client.post(path, data=data or {}, files=files, headers=ORIGIN)


def drawn_rows(html: str, draw_id: str) -> list[tuple[str, str, str, str]]:
    """(order, 方式, 单位, 表) of a draw's table on the page."""
    block = html.split(f'id="draw-{draw_id}"')[1].split('class="card')[0]
    return re.findall(r'<tr class="drawn-row"><td>(\d+)</td><td>(.*?)</td><td>(.*?)</td><td>(.*?)(?: <span.*?)?</td>',
                      block)


def make_draw(client, dashboard: str, **form) -> tuple[str, str]:
    r = post(client, f"{dashboard}/review/draw", form)
    assert r.status_code == 200, r.text[-2000:]
    return re.search(r"#draw-(\d+)$", str(r.url)).group(1), r.text


def fill(data: bytes, target: Path) -> tuple[Path, dict]:
    """Fill a 底稿 as a reviewer would: a 口径 on the first indicator of each project sheet (K01 无佐证材料
    on the first, K04 on the others), and the 加减分 of a 部门整体 sheet kept as self-scored."""
    wb = load_workbook(io.BytesIO(data))
    meta = [dict(zip(META_COLUMNS, line)) for line in wb[META].iter_rows(min_row=2, values_only=True)]
    for n, info in enumerate(meta):
        ws = wb[info["sheet"]]
        for r in range(info["first"], info["last"] + 1):
            if ws[f"{LETTER['level1']}{r}"].value == "加减分":
                ws[f"{LETTER['review_score']}{r}"] = ws[f"{LETTER['self_score']}{r}"].value or 0
        first = info["first"] + (1 if info["kind"] == "project" else 0)      # past 预算执行
        ws[f"{LETTER['basis']}{first}"] = "K01 无佐证材料" if n == 0 else "K04 难以评估（轻微）"
        ws[f"{LETTER['opinion']}{first}"] = "复核意见"
    wb.save(target)
    return target, meta


def test_a_review_round_in_the_browser_pages_draw_sheet_filled_report(site, tmp_path):
    store, client, dashboard = site
    page = client.get(f"{dashboard}/review")
    assert page.status_code == 200 and "还没有抽样" in page.text
    key = f"{UNITS[1]}/" + re.search(r'name="key" value="广州市文化馆/([^"]+)"', page.text).group(1)
    did, html = make_draw(client, dashboard, n="4", seed="2026", key=key, department="1")
    rows = drawn_rows(html, did)
    assert [r[0] for r in rows] == ["1", "2", "3", "4"] and rows[0][1] == "重点" and key.endswith(rows[0][3])
    assert {r[1] for r in rows[1:]} == {"随机加权"}
    assert 'class="seed">2026<' in html
    again, html2 = make_draw(client, dashboard, n="4", seed="2026", key=key, department="1")
    assert drawn_rows(html2, again) == rows                     # the same files and seed: the same draw
    audit = client.get(dashboard).text
    assert audit.count("复核抽样") == 2 and "种子 2026，抽取 4 个（重点 1 个）" in audit and "财政局" in audit

    sheet = client.get(f"{dashboard}/review/d/{did}/sheet.xlsx")
    assert sheet.status_code == 200 and "attachment" in sheet.headers["content-disposition"]
    filled, meta = fill(sheet.content, tmp_path / "填好的底稿.xlsx")
    assert [m["name"] for m in meta] == [r[3] for r in rows] and [m["unit"] for m in meta] == [r[2] for r in rows]
    assert all(m["path"].split("/")[0] in UNITS and m["path"].endswith(".xlsx") for m in meta)  # 单位/upload name
    r = post(client, f"{dashboard}/review/d/{did}/filled", files={"file": (filled.name, filled.read_bytes())})
    assert r.status_code == 200 and re.search(r"#report-\d+$", str(r.url))
    expected = review_report(filled, tmp_path / "独立.xlsx", load_rules())
    shown = dict(re.findall(r'<tr class="conclusion" data-unit="([^"]+)"><td>[^<]*</td><td>([^<]*)</td>', r.text))
    assert shown == {c.unit: c.text for c in expected.conclusions} and len(shown) >= 1
    p0 = sum(i.level == "P0" for i in expected.issues)
    assert f"P0 {p0}</span>" in r.text and p0 >= 1                      # K01 无佐证材料 is a P0
    link = re.search(r'href="([^"]+/report\.xlsx)"', r.text.split("复核报告 <span")[1]).group(1)
    report = load_workbook(io.BytesIO(client.get(link).content))
    assert {"复核结论", "复核问题清单"} <= set(report.sheetnames)
    assert "复核报告" in client.get(dashboard).text
    assert store.review_reports(int(did))[0].summary["conclusions"]


def test_a_draw_names_each_table_by_its_unit_and_upload_and_a_bad_form_is_said(site):
    store, client, dashboard = site
    r = post(client, f"{dashboard}/review/draw", {"n": "0"})
    assert r.status_code == 400 and "抽取数应为" in r.text
    r = post(client, f"{dashboard}/review/draw", {"n": "2", "seed": "x"})
    assert r.status_code == 400
    r = post(client, f"{dashboard}/review/draw", {"n": "2", "key": "没有这个项目"})
    assert r.status_code == 422 and "重点项目未找到：没有这个项目" in r.text
    did, html = make_draw(client, dashboard, n="50")          # more than there are: every table once
    rows = drawn_rows(html, did)
    assert len(rows) == len({(u, t) for _, _, u, t in rows}) > 0
    assert not any("部门整体" in t for _, _, _, t in rows)    # 部门整体 only when asked
    record = Draw.from_json(store.draws(int(did))[0].record)
    assert all(c.path.split("/")[0] in UNITS and not c.path.startswith("/") for c in record.candidates)


@pytest.mark.parametrize("spoil, says", [
    ("not-ours", "不是 selfeval review sheet 生成的复核底稿"),
    ("other-draw", "不是本次抽样的复核底稿"),
    ("not-xlsx", "不是 .xlsx 工作簿"),
    ("zip-bomb", "解压"),
    ("too-big", "文件过大"),
])
def test_a_filled_sheet_that_is_not_this_draws_is_refused_with_a_clear_message(site, tables, tmp_path, spoil, says):
    store, client, dashboard = site
    did, _ = make_draw(client, dashboard, n="2", seed="1")
    other, _ = make_draw(client, dashboard, n="2", seed="99", key=f"{UNITS[0]}/{UNITS[0]}", department="1")
    name, data = "底稿.xlsx", client.get(f"{dashboard}/review/d/{other}/sheet.xlsx").content
    if spoil == "not-ours":
        data = tables[UNITS[0]][0].read_bytes()
    elif spoil == "not-xlsx":
        name, data = "底稿.txt", "复核".encode()
    elif spoil == "zip-bomb":
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
            zf.writestr("xl/worksheets/sheet1.xml", b"0" * (600 * 1024 * 1024))
        data = buffer.getvalue()
    elif spoil == "too-big":
        data = b"PK" + b"0" * (LIMIT + 1)
    r = post(client, f"{dashboard}/review/d/{did}/filled", files={"file": (name, data)})
    assert r.status_code in (413, 422) and says in r.text, r.text[-1500:]
    assert store.review_reports(int(did)) == []


def test_a_tampered_sheet_is_reported_with_its_problems_at_their_cells(site, tmp_path):
    store, client, dashboard = site
    did, _ = make_draw(client, dashboard, n="2", seed="5")
    filled, meta = fill(client.get(f"{dashboard}/review/d/{did}/sheet.xlsx").content, tmp_path / "改.xlsx")
    wb = load_workbook(filled)
    wb["口径"]["C2"] = 0.9                            # K01's keep share edited in the 底稿 alone
    ws = wb[meta[0]["sheet"]]
    ws[f"{LETTER['review_score']}{meta[0]['total_row']}"] = 12.5     # a total typed over
    wb.save(filled)
    r = post(client, f"{dashboard}/review/d/{did}/filled", files={"file": (filled.name, filled.read_bytes())})
    assert r.status_code == 200
    assert "与规则文件" in r.text and "复核总分被改写为 12.5" in r.text and "底稿本身有" in r.text


def test_the_bureaus_kouji_workbook_is_downloaded_edited_uploaded_and_used(site, tmp_path):
    store, client, dashboard = site
    kouji = client.get(f"{dashboard}/review/kouji.xlsx")
    assert kouji.status_code == 200
    wb = load_workbook(io.BytesIO(kouji.content))
    ws = wb["口径"]
    assert [c.value for c in ws[2]][:4] == ["代码", "名称", "表述", "效果"] and ws["A3"].value == "K01"
    ws["D3"], ws["E3"] = "按比例保留", 0.5                # K01 no longer zero: keeps half
    wb.save(tmp_path / "本局口径.xlsx")
    r = post(client, f"{dashboard}/review/rules", files={"file": ("本局口径.xlsx", (tmp_path / "本局口径.xlsx").read_bytes())})
    assert r.status_code == 200 and 'id="rules-name">本局口径.xlsx<' in r.text
    did, _ = make_draw(client, dashboard, n="1", seed="3")
    sheet = load_workbook(io.BytesIO(client.get(f"{dashboard}/review/d/{did}/sheet.xlsx").content))
    assert [c.value for c in sheet["口径"][2]][1:4] == ["K01 无佐证材料", 0.5, 0]
    assert "复核口径" in client.get(dashboard).text
    ws["D4"] = "清零"
    ws["J5"] = None
    wb.save(tmp_path / "坏口径.xlsx")
    r = post(client, f"{dashboard}/review/rules", files={"file": ("坏口径.xlsx", (tmp_path / "坏口径.xlsx").read_bytes())})
    assert r.status_code == 422 and "口径 第 4 行" in r.text and "清零" in r.text and "口径 第 5 行" in r.text
    assert 'id="rules-name">本局口径.xlsx<' in r.text                      # the one in use stays


def test_retention_keeps_the_files_of_draws_and_reports_while_their_rows_stay(site, tmp_path):
    store, client, dashboard = site
    did, _ = make_draw(client, dashboard, n="1", seed="8")
    filled, _ = fill(client.get(f"{dashboard}/review/d/{did}/sheet.xlsx").content, tmp_path / "f.xlsx")
    post(client, f"{dashboard}/review/d/{did}/filled", files={"file": (filled.name, filled.read_bytes())})
    done = store.review_reports(int(did))[0]
    for blob in (store.draws(int(dashboard.rsplit("/", 1)[1]))[0].sheet, done.filled, done.report):
        path = store.file_path(blob[:64], blob[64:])
        os.utime(path, (1, 1))                   # as old as the submissions about to go
    assert store.purge_before(4_000_000_000) > 0                   # every submission deleted …
    assert client.get(f"{dashboard}/review/d/{did}/sheet.xlsx").status_code == 200      # … the 底稿 kept
    assert client.get(f"{dashboard}/review/d/{did}/r/{done.id}/report.xlsx").status_code == 200


def unit_links(client, dashboard: str) -> dict[str, str]:
    return dict(re.findall(r'data-unit="([^"]+)">.*?<code class="link">http://testserver(/u/[\w-]+)</code>',
                           client.get(dashboard).text, re.S))


def published_rows(html: str) -> list[tuple[str, str, str, str, str, str]]:
    """(表, 指标, 自评得分, 复核得分, 口径, 意见) of the 复核结论 a 单位's page shows."""
    if 'id="review-published"' not in html:
        return []
    card = html.split('id="review-published"')[1].split('<div class="card')[0]
    return re.findall(r'<tr class="published-row"><td>(.*?)</td><td>(.*?)</td>\s*<td>(.*?)</td>\s*<td>(.*?)</td>'
                      r'\s*<td>(.*?)</td><td>(.*?)</td></tr>', card)


def publish_form(html: str, report_id: int, unit: str) -> str:
    """The action of the 发布 (or 撤回发布) form of ``unit`` under a report."""
    table = html.split(f'id="publish-{report_id}"')[1].split("</table>")[0]
    row = table.split(f'data-unit="{unit}"')[1].split("</tr>")[0]
    return re.search(r'action="([^"]+)"', row).group(1)


def test_each_units_conclusion_is_published_to_its_page_alone_and_withdrawn(site, tmp_path):
    store, client, dashboard = site
    links = unit_links(client, dashboard)
    did, _ = make_draw(client, dashboard, n="50", seed="7", department="1")     # every table of both 单位
    filled, meta = fill(client.get(f"{dashboard}/review/d/{did}/sheet.xlsx").content, tmp_path / "填好的底稿.xlsx")
    wb = load_workbook(filled)
    for info in meta:                     # each 单位's own words on its first indicator, one with markup
        ws = wb[info["sheet"]]
        first = info["first"] + (1 if info["kind"] == "project" else 0)
        ws[f"{LETTER['opinion']}{first}"] = f"<b>{info['path'].split('/')[0]}的意见</b>"
    wb.save(filled)
    assert {m["path"].split("/")[0] for m in meta} == set(UNITS)
    r = post(client, f"{dashboard}/review/d/{did}/filled", files={"file": (filled.name, filled.read_bytes())})
    done = store.review_reports(int(did))[0]
    assert all(published_rows(client.get(links[u]).text) == [] for u in UNITS)     # nothing until published
    expected = review_report(filled, tmp_path / "独立.xlsx", load_rules())

    mine, other = UNITS
    r = post(client, publish_form(r.text, done.id, mine))
    assert r.status_code == 200 and 'class="badge b-ok published"' in r.text
    page = client.get(links[mine]).text
    rows = published_rows(page)
    ours = next(c for c in expected.conclusions if c.unit == mine)
    want = [(p.project.name, row.name, f"{row.self_score:.2f}", f"{row.score:.2f}", row.basis_text,
             row.opinion.replace("<", "&lt;").replace(">", "&gt;"))
            for p in ours.projects for row in p.project.rows if row.changed or row.basis_text or row.opinion]
    assert rows == want and len(rows) >= 2
    assert f"<b>{mine}的意见</b>" not in page and f"&lt;b&gt;{mine}的意见&lt;/b&gt;" in page    # escaped
    assert ours.text.split("，")[0] in page and other not in page.split('id="review-published"')[1]
    assert published_rows(client.get(links[other]).text) == []           # the other 单位 sees nothing
    totals = re.findall(r"<td>(\d+\.\d\d)</td><td>([^<]*)</td>\s*<td>(\d+\.\d\d)</td><td>([^<]*)</td></tr>",
                        page.split('class="list small published-totals"')[1].split("</table>")[0])
    assert totals == [(f"{p.self_total:.2f}", p.self_grade, f"{p.review_total:.2f}", p.review_grade)
                      for p in ours.projects]
    log = client.get(dashboard).text
    assert log.count("发布复核结论") == 1 and f"{mine}：第 {did} 次抽样的复核报告“{filled.name}”" in log

    # a later report of the same draw changes nothing the 单位 sees until the bureau publishes again
    wb = load_workbook(filled)
    wb[meta[0]["sheet"]][f"{LETTER['opinion']}{meta[0]['first'] + 1}"] = "第二份报告的意见"
    wb.save(tmp_path / "第二份.xlsx")
    r = post(client, f"{dashboard}/review/d/{did}/filled",
             files={"file": ("第二份.xlsx", (tmp_path / "第二份.xlsx").read_bytes())})
    later = store.review_reports(int(did))[0]
    assert later.id != done.id and "发布（替换已发布的）" in r.text.split(f'id="publish-{later.id}"')[1]
    assert published_rows(client.get(links[mine]).text) == rows
    assert "第二份报告的意见" not in client.get(links[mine]).text

    r = post(client, publish_form(r.text, done.id, mine))                   # 撤回发布
    assert r.status_code == 200 and 'id="review-published"' not in client.get(links[mine]).text
    assert "撤回复核结论" in client.get(dashboard).text
    assert store.publication(store.unit_by_token(links[mine].rsplit("/", 1)[1]).id) is None


def test_a_closed_collection_publishes_and_withdraws_nothing(site, tmp_path):
    store, client, dashboard = site
    links = unit_links(client, dashboard)
    did, _ = make_draw(client, dashboard, n="50", seed="7")
    filled, _ = fill(client.get(f"{dashboard}/review/d/{did}/sheet.xlsx").content, tmp_path / "f.xlsx")
    page = post(client, f"{dashboard}/review/d/{did}/filled", files={"file": (filled.name, filled.read_bytes())}).text
    done = store.review_reports(int(did))[0]
    publish = publish_form(page, done.id, UNITS[0])
    assert post(client, publish).status_code == 200
    withdraw = publish_form(client.get(f"{dashboard}/review").text, done.id, UNITS[0])
    assert post(client, f"{dashboard}/close").status_code == 200
    for action in (publish, withdraw):
        r = post(client, action)
        assert r.status_code == 409 and "本次收集已结束，不能发布或撤回复核结论" in r.text
    assert 'id="review-published"' in client.get(links[UNITS[0]]).text          # as it was
    assert "收集已结束" in client.get(f"{dashboard}/review").text
    assert client.get(dashboard).text.count("复核结论") == 1                     # only the publishing
    client.cookies.clear()                                   # logged out: neither step, a login asked for
    for action in (publish, withdraw):
        r = client.post(action, headers=ORIGIN, follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"] == "/admin/login"


def test_a_conclusion_gathering_tables_of_two_units_uploads_is_published_to_neither():
    from selfeval_xl.web.review_parts import publishable
    from selfeval_xl.web.store import ReviewReport, Unit
    from selfeval_xl.web.views import UnitState

    def table(folder: str, opinion: str) -> dict:
        return {"name": "项目", "kind": "project", "self_total": 90.0, "review_total": 80.0, "self_grade": "优",
                "review_grade": "良", "folder": folder,
                "rows": [{"name": "指标", "level2": "", "self_score": 5.0, "review_score": 0.0, "basis": "K01",
                          "opinion": opinion}]}

    units = [Unit(1, 1, "甲单位", False, "t1"), Unit(2, 1, "乙/单位", False, "t2"), Unit(3, 1, "乙／单位", False, "t3")]
    conclusions = [{"unit": "甲", "text": "结论甲\x07", "projects": [table("甲单位", "意见\x00甲")]},
                   {"unit": "混", "text": "结论混", "projects": [table("甲单位", ""), table("丙单位", "")]},
                   {"unit": "乙", "text": "结论乙", "projects": [table("乙／单位", "")]}]
    done = ReviewReport(1, 1, 0.0, "财政局", "f.xlsx", "", "", {"conclusions": conclusions})
    shares = publishable(done, [UnitState(u, [], 0) for u in units])
    assert list(shares) == [1, 3]         # 混 spans two uploads' folders; 乙/单位's folder is not 乙／单位's
    unit, (mine,) = shares[1]
    assert unit.name == "甲单位" and mine["text"] == "结论甲\ufffd" and mine["projects"][0]["rows"][0]["opinion"] == "意见\ufffd甲"
