"""The collection round over HTTP (Starlette's test client): each 单位's status moves only as the round
allows (未提交 → 已提交 → 已退回 with a comment the 单位 sees → 已重报 → 已通过), the deadline marks the
late, 单位 are added, renamed and removed after creation, a closed collection is read-only, every move is
in the audit log; the bureau takes out originals, scored copies, one zip by 单位, the link list; names
and numbers read as the submitter and Excel show them."""
from __future__ import annotations

import datetime as dt
import io
import re
import time
import zipfile

import pytest
from openpyxl import load_workbook
from starlette.testclient import TestClient

from check_workbooks import build_department, build_project
from selfeval_xl.web import round as rounds
from selfeval_xl.web.app import create_app, set_admin_token
from selfeval_xl.web.store import SqliteStore
from selfeval_xl.web.zipnames import member_name

PASSWORD = "bureau-test-password"
ORIGIN = {"origin": "http://testserver"}
WRONG_SCORE = 3


@pytest.fixture()
def site(tmp_path):
    store = SqliteStore(tmp_path / "data")
    set_admin_token(store, PASSWORD)
    with TestClient(create_app(store, limit=4 * 1024 * 1024, jobs=1), base_url="http://testserver") as client:
        r = client.post("/admin/login", data={"password": PASSWORD}, headers=ORIGIN)
        assert r.status_code == 200
        yield store, client          # the app's lifespan: its warm worker ended after the test, not at exit


def new_collection(client, units="甲单位\n乙单位", title="2024 年度项目绩效自评") -> tuple[str, dict[str, str]]:
    r = client.post("/admin/collections", data={"year": "2024", "title": title, "units": units, "system": ""},
                    headers=ORIGIN)
    assert r.status_code == 200, r.text
    return str(r.url).removeprefix("http://testserver"), links_of(r.text)


def links_of(html: str) -> dict[str, str]:
    return dict(re.findall(r'data-unit="([^"]+)">.*?<code class="link">http://testserver(/u/[\w-]+)</code>', html,
                           re.S))


def unit_ids(html: str) -> dict[str, str]:
    return {name: uid for uid, name in re.findall(r'/u/(\d+)/rename"><input name="name" size="18" value="([^"]+)"',
                                                  html)}


def status(html: str, name: str) -> str:
    return re.search(rf'data-status="([^"]+)" data-unit="{re.escape(name)}"', html).group(1)


def send(client, link: str, name: str, content: bytes):
    return client.post(f"{link}/upload", files={"file": (name, content)}, headers=ORIGIN)


def post(client, path: str, **data):
    return client.post(path, data=data, headers=ORIGIN)


@pytest.fixture()
def papers(tmp_path):
    wrong = build_project(tmp_path / "wrong.xlsx", edits={("ind", 0, "score"): WRONG_SCORE})
    fixed = build_project(tmp_path / "fixed.xlsx")
    return wrong.path.read_bytes(), fixed.path.read_bytes()


# --------------------------------------------------------------------------- the round

def test_a_unit_goes_through_the_round_and_sees_the_bureaus_comment(site, papers):
    store, client = site
    wrong, fixed = papers
    dashboard, links = new_collection(client)
    ids = unit_ids(client.get(dashboard).text)
    link, uid = links["甲单位"], ids["甲单位"]
    assert status(client.get(dashboard).text, "甲单位") == "未提交"
    assert post(client, f"{dashboard}/u/{uid}/accept").status_code == 409        # nothing to accept yet

    send(client, link, "表.xlsx", wrong)
    assert status(client.get(dashboard).text, "甲单位") == "已提交"
    assert post(client, f"{dashboard}/u/{uid}/return", comment="").status_code == 409    # a reason is needed
    post(client, f"{dashboard}/u/{uid}/return", comment="第一项得分应为 15，请改正后重报")
    page = client.get(link).text
    assert 'data-status="已退回"' in page and "第一项得分应为 15，请改正后重报" in page

    send(client, link, "表（改）.xlsx", fixed)
    assert status(client.get(dashboard).text, "甲单位") == "已重报"
    post(client, f"{dashboard}/u/{uid}/accept")
    assert status(client.get(dashboard).text, "甲单位") == "已通过"
    page = client.get(link).text
    assert 'data-status="已通过"' in page and 'id="refusal"' in page and 'id="upload"' not in page
    r = send(client, link, "再来.xlsx", fixed)
    assert r.status_code == 409 and "已通过" in r.text
    assert [s.filename for s in store.submissions(int(uid))] == ["表.xlsx", "表（改）.xlsx"]

    log = [(e.who, e.what, e.detail) for e in reversed(store.audit(int(dashboard.rsplit("/", 1)[1])))]
    moves = [what for _, what, _ in log]
    assert moves == ["创建收集", "未提交 → 已提交", "上传文件", "已提交 → 已退回", "已退回 → 已重报", "上传文件",
                     "已重报 → 已通过"]
    assert log[3][0].startswith("财政局") and log[3][2] == "第一项得分应为 15，请改正后重报"
    assert log[1][0].startswith("甲单位")
    assert "已重报 → 已通过" in client.get(dashboard).text                      # the log on the dashboard


ROUND = {   # the round: 未提交 → 已提交 → 已退回 (comment) → 已重报 → 已通过; 退回 again until closed
    "upload": {"未提交": "已提交", "已提交": "已提交", "已退回": "已重报", "已重报": "已重报"},
    "return": {"已提交": "已退回", "已重报": "已退回", "已通过": "已退回"},
    "accept": {"已提交": "已通过", "已重报": "已通过"},
}


@pytest.mark.parametrize("event, start", [(e, s) for e in ROUND for s in rounds.STATUSES])
def test_every_move_is_allowed_exactly_as_the_round_says(tmp_path, event, start):
    store = SqliteStore(tmp_path)
    collection, _ = store.create_collection(2024, "", "t", ["甲"])
    unit = store.units(collection.id)[0]
    store.set_unit_round(unit.id, start, "")
    if start in ROUND[event]:
        assert rounds.decide(store, unit, "原因", event=event, actor="x") == ROUND[event][start]
    else:
        with pytest.raises(rounds.RoundError):
            rounds.decide(store, unit, "原因", event=event, actor="x")
        assert store.unit_round(unit.id).status == start


def test_a_deadline_marks_those_who_still_owe_a_submission(site, papers):
    _, client = site
    wrong, _ = papers
    dashboard, links = new_collection(client)
    assert post(client, f"{dashboard}/deadline", deadline="31/3/2025").status_code == 409
    yesterday = (dt.date.today() - dt.timedelta(days=1)).isoformat()
    post(client, f"{dashboard}/deadline", deadline=yesterday)
    send(client, links["甲单位"], "表.xlsx", wrong)
    page = client.get(dashboard).text
    late = re.findall(r'data-unit="([^"]+)">(?:(?!</tr>).)*?class="badge b-err overdue"', page, re.S)
    assert late == ["乙单位"]
    assert "已逾期" in client.get(links["乙单位"]).text and "已逾期" not in client.get(links["甲单位"]).text
    assert rounds.overdue(yesterday, rounds.RETURNED) and not rounds.overdue(yesterday, rounds.ACCEPTED)
    assert not rounds.overdue(dt.date.today().isoformat(), rounds.UNSUBMITTED)   # the deadline day itself


def test_units_are_added_renamed_and_removed_after_creation(site, papers):
    store, client = site
    _, fixed = papers
    dashboard, links = new_collection(client)
    post(client, f"{dashboard}/units", name="丙单位")
    page = client.get(dashboard).text
    assert set(links_of(page)) == {"甲单位", "乙单位", "丙单位"}
    assert post(client, f"{dashboard}/units", name="甲单位").status_code == 409        # taken
    ids = unit_ids(page)
    assert post(client, f"{dashboard}/u/{ids['乙单位']}/rename", name="甲单位").status_code == 409
    post(client, f"{dashboard}/u/{ids['乙单位']}/rename", name="乙单位（更名后）")
    send(client, links["甲单位"], "表.xlsx", fixed)
    post(client, f"{dashboard}/u/{ids['甲单位']}/remove")
    page = client.get(dashboard).text
    assert set(links_of(page)) == {"乙单位（更名后）", "丙单位"}
    assert '<b id="n-expected">2</b>' in page and '<b id="n-submitted">0</b>' in page
    assert client.get(links["甲单位"]).status_code == 404                  # its link stops working
    assert links_of(page)["乙单位（更名后）"] == links["乙单位"]             # a new name keeps the link
    assert store.submissions(int(ids["甲单位"]))                            # its files are kept
    whats = [e.what for e in store.audit(int(dashboard.rsplit("/", 1)[1]))]
    assert {"添加单位", "单位改名", "移除单位"} <= set(whats)


def test_a_closed_collection_is_read_only_but_its_downloads_work(site, papers):
    store, client = site
    wrong, _ = papers
    dashboard, links = new_collection(client)
    send(client, links["甲单位"], "表.xlsx", wrong)
    ids = unit_ids(client.get(dashboard).text)
    post(client, f"{dashboard}/close")
    page = client.get(dashboard).text
    assert 'id="closed"' in page and 'id="close"' not in page and "/accept" not in page
    r = send(client, links["乙单位"], "表.xlsx", wrong)
    assert r.status_code == 409 and "已结束" in r.text
    assert not store.submissions(int(ids["乙单位"]))
    for action, data in (("u/{}/accept", {}), ("u/{}/return", {"comment": "x"}), ("units", {"name": "丁"}),
                         ("deadline", {"deadline": "2030-01-01"}), ("u/{}/revoke", {}), ("u/{}/remove", {})):
        r = post(client, f"{dashboard}/{action.format(ids['甲单位'])}", **data)
        assert r.status_code == 409 and "已结束" in r.text, action
    assert client.get(links["甲单位"]).status_code == 200
    assert client.get(f"{dashboard}/report.xlsx").status_code == 200
    post(client, f"{dashboard}/reopen")
    assert send(client, links["乙单位"], "表.xlsx", wrong).status_code == 200


def test_the_dashboard_asks_before_revoking_removing_and_closing(site):
    """The confirmations run in the browser (round.js, a file: the CSP allows no inline script); each of
    these forms carries its question."""
    _, client = site
    dashboard, _ = new_collection(client)
    page = client.get(dashboard).text
    assert '<script src="/static/round.js" defer></script>' in page
    for action in ("revoke", "remove", "close"):
        form = re.search(rf'<form[^>]*action="[^"]*/{action}"[^>]*>', page).group(0)
        assert 'data-confirm="' in form, action
    script = client.get("/static/round.js")
    assert script.status_code == 200 and "confirm(" in script.text and "data-copy" in script.text


# --------------------------------------------------------------------------- links

def test_links_are_given_at_the_public_url(tmp_path):
    store = SqliteStore(tmp_path / "data")
    set_admin_token(store, PASSWORD)
    client = TestClient(create_app(store, public_url="https://jx.example.gov.cn/"), base_url="http://testserver")
    client.post("/admin/login", data={"password": PASSWORD}, headers=ORIGIN)
    r = client.post("/admin/collections", data={"year": "2024", "units": "甲单位"}, headers=ORIGIN)
    link = re.search(r'<code class="link">([^<]+)</code>', r.text).group(1)
    assert link.startswith("https://jx.example.gov.cn/u/") and 'data-copy="' + link in r.text
    assert 'id="loopback"' not in r.text
    cid = str(r.url).rsplit("/", 1)[1]
    sheet = load_workbook(io.BytesIO(client.get(f"/admin/c/{cid}/links.xlsx").content))["提交链接"]
    assert list(sheet.iter_rows(values_only=True)) == [("单位", "提交链接", "状态", "截止日期"),
                                                       ("甲单位", link, "未提交", None)]
    assert sheet.page_setup.paperSize == 9


def test_serve_gives_the_public_url_else_the_bound_address_and_warns_at_127(monkeypatch):
    import click

    from selfeval_xl.cli import serve

    assert serve.links_url("https://jx.example.gov.cn/", "127.0.0.1", 8000) == "https://jx.example.gov.cn"
    assert serve.links_url(None, "192.168.1.20", 8765) == "http://192.168.1.20:8765"
    monkeypatch.setattr(serve, "lan_address", lambda: "10.1.2.3")
    assert serve.links_url(None, "0.0.0.0", 8765) == "http://10.1.2.3:8765"
    with pytest.raises(click.BadParameter):
        serve.links_url("jx.example.gov.cn", "127.0.0.1", 8000)


def test_the_dashboard_warns_when_links_open_on_this_pc_only(site):
    store = site[0]
    client = TestClient(create_app(store, public_url="http://127.0.0.1:8000"), base_url="http://testserver")
    client.post("/admin/login", data={"password": PASSWORD}, headers=ORIGIN)
    dashboard, _ = new_collection(client)
    assert 'id="loopback"' in client.get(dashboard).text


# --------------------------------------------------------------------------- getting things out

def test_originals_scored_copies_and_one_zip_by_unit(site, papers):
    _, client = site
    wrong, fixed = papers
    dashboard, links = new_collection(client, title="2024年度 项目/绩效自评")
    send(client, links["甲单位"], "自评表.xlsx", wrong)
    send(client, links["乙单位"], "自评表.xlsx", fixed)
    page = client.get(dashboard).text
    originals = re.findall(r'href="(/admin/c/\d+/u/\d+/s/[\w-]+)/original"', page)
    assert len(originals) == 2
    got = client.get(originals[0] + "/original")
    assert got.content == wrong and "filename*=utf-8''%E8%87%AA%E8%AF%84%E8%A1%A8.xlsx" in got.headers[
        "content-disposition"]
    scored = client.get(originals[0] + "/scored")
    assert scored.status_code == 200 and scored.content != wrong

    assert client.get(f"{dashboard}/zip").status_code == 404                  # not built yet
    assert post(client, f"{dashboard}/zip").status_code == 200
    for _ in range(100):
        if 'id="get-zip"' in client.get(dashboard).text:
            break
        time.sleep(0.1)
    r = client.get(f"{dashboard}/zip")
    assert r.status_code == 200 and "2024%E5%B9%B4%E5%BA%A6" in r.headers["content-disposition"]
    with zipfile.ZipFile(io.BytesIO(r.content)) as zf:
        names = sorted(zf.namelist())
        assert names == ["乙单位/自评表.xlsx", "乙单位/自评表_已评分.xlsx", "甲单位/自评表.xlsx", "甲单位/自评表_已评分.xlsx"]
        assert zf.read("甲单位/自评表.xlsx") == wrong
        assert all(info.flag_bits & 0x800 for info in zf.infolist())        # names flagged UTF-8
    for name in ("report.xlsx", "summary.xlsx"):
        disposition = client.get(f"{dashboard}/{name}").headers["content-disposition"]
        assert "2024%E5%B9%B4%E5%BA%A6%20%E9%A1%B9%E7%9B%AE%EF%BC%8F" in disposition, disposition   # / folded


def test_a_units_folder_names_each_file_once():
    from pathlib import Path

    from selfeval_xl.core.sanitize import file_name
    from selfeval_xl.web.exports import Folder

    folder = Folder("A/B 单位")
    names = [folder.member("表.xlsx", "", ".xlsx", Path("x")).arcname for _ in range(3)]
    top = file_name("A/B 单位")
    assert top.startswith("A／B 单位") and "/" not in top                   # one folder, never a path
    assert names == [f"{top}/表.xlsx", f"{top}/表（2）.xlsx", f"{top}/表（3）.xlsx"]


# --------------------------------------------------------------------------- readable

def gbk_zip(entries: dict[bytes, bytes]) -> bytes:
    """A zip as Windows' 压缩文件夹 writes it on a Chinese PC: names in GBK, no UTF-8 flag."""
    buffer = io.BytesIO()
    stand_ins = {f"~{n}~".ljust(len(raw), "_").encode(): raw for n, raw in enumerate(entries)}
    with zipfile.ZipFile(buffer, "w") as zf:       # zipfile flags any non-ASCII name: ASCII stand-ins first
        for stand_in, content in zip(stand_ins, entries.values()):
            zf.writestr(stand_in.decode(), content)
    data = buffer.getvalue()
    for stand_in, raw in stand_ins.items():        # then the raw bytes, in the local and central headers
        assert data.count(stand_in) == 2
        data = data.replace(stand_in, raw)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert not any(i.flag_bits & 0x800 for i in zf.infolist())
    return data


def test_zip_member_names_are_read_as_their_maker_wrote_them():
    data = gbk_zip({"项目一.xlsx".encode("gbk"): b"", "表/汇总.xlsx".encode("utf-8"): b"", b"\x81\x20bad.xlsx": b"",
                    b"plain.xlsx": b""})
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        got = [member_name(i) for i in zf.infolist()]
    assert got[0] == ("项目一.xlsx", True) and got[1] == ("表/汇总.xlsx", True) and got[3] == ("plain.xlsx", True)
    assert got[2][1] is False                                    # neither UTF-8 nor GBK: as stored, flagged
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("已标记.xlsx", b"")
    with zipfile.ZipFile(buffer) as zf:
        assert member_name(zf.infolist()[0]) == ("已标记.xlsx", True)


def test_a_gbk_zip_shows_its_names_on_the_page_and_in_report_xlsx(site, tmp_path):
    _, client = site
    dashboard, links = new_collection(client)
    content = build_project(tmp_path / "p.xlsx").path.read_bytes()
    other = build_project(tmp_path / "q.xlsx", edits={("field", "project_name"): "另一项目"}).path.read_bytes()
    send(client, links["甲单位"], "全部.zip", gbk_zip({"表格/声像档案项目.xlsx".encode("gbk"): content,
                                                     b"\x81\x20odd.xlsx": other}))
    for _ in range(300):
        page = client.get(links["甲单位"]).text
        if "已完成" in page or "失败" in page:
            break
        time.sleep(0.2)
    assert "声像档案项目.xlsx" in page and "1 个文件名的编码无法识别" in page
    report = load_workbook(io.BytesIO(client.get(f"{dashboard}/report.xlsx").content))
    assert "声像档案项目.xlsx" in [row[0] for row in report["汇总"].iter_rows(min_row=2, values_only=True)]


def test_cells_and_findings_read_as_excel_shows_them(site, tmp_path):
    _, client = site
    _, links = new_collection(client)
    built = build_project(tmp_path / "p.xlsx", edits={("funds", "total", "rate"): 0.5})
    book = load_workbook(built.path)
    sheet = book[built.sheet]
    sheet[built.ref(("funds", "total", "rate"))].number_format = "0.00%"
    sheet[built.ref(("ind", 0, "score"))].number_format = "0.00"
    sheet[built.ref(("funds", "total", "budget"))].number_format = "#,##0.00"
    book.save(built.path)
    page = send(client, links["甲单位"], "p.xlsx", built.path.read_bytes()).text
    cell = lambda ref: re.search(rf'<td[^>]*data-ref="{ref}"[^>]*>([^<]*)<', page)  # noqa: E731 - marked cells
    assert cell(built.ref(("funds", "total", "rate"))).group(1) == "50.00%"
    assert re.search(r"<td>15\.00</td>", page) and re.search(r"<td>1,014\.40</td>", page)
    finding = re.search(r'data-code="exec-rate-mismatch".*?</li>', page, re.S).group(0)
    assert "应为 99.76%，实为 50.00%" in finding


def test_systems_and_layouts_show_their_chinese_names(site, tmp_path):
    _, client = site
    assert "项目支出绩效自评（财预〔2020〕10号）" in client.get("/admin").text
    r = client.post("/admin/collections", data={"year": "2024", "units": "甲", "system": "national-project"},
                    headers=ORIGIN)
    assert "项目支出绩效自评（财预〔2020〕10号）" in r.text and "national-project" not in r.text.split("<main>")[1]
    link = links_of(r.text)["甲"]
    page = send(client, link, "p.xlsx", build_project(tmp_path / "p.xlsx").path.read_bytes()).text
    assert "项目支出绩效自评表 · 声像档案专辑制作项目 · 项目支出绩效自评（财预〔2020〕10号）" in page


def test_a_units_page_gives_the_bureaus_verdict_with_the_cross_file_findings(site, tmp_path):
    """A 部门整体 table whose 项目支出 disagrees with its projects' funds: the finding across the files is
    on the 单位's page, as it is in the bureau's report.xlsx, and the counts on top are report.xlsx's."""
    _, client = site
    dashboard, links = new_collection(client)
    link = links["甲单位"]
    dept = build_department(tmp_path / "部门整体.xlsx")
    project = build_project(tmp_path / "项目.xlsx")
    r = client.post(f"{link}/upload", headers=ORIGIN,
                    files=[("file", ("部门整体.xlsx", dept.path.read_bytes())),
                           ("file", ("项目.xlsx", project.path.read_bytes()))])
    page = r.text
    summary = page[page.index('id="verdict"'):page.index("</table>", page.index('id="verdict"'))]
    assert summary.count('<tr class="file">') == 2
    report = load_workbook(io.BytesIO(client.get(f"{dashboard}/report.xlsx").content))
    rows = list(report["汇总"].iter_rows(values_only=True))
    errors, warnings = (sum(row[rows[0].index(h)] for row in rows[1:]) for h in ("错误数", "警告数"))
    assert f"错误 {errors}，警告 {warnings}</h2>" in page and warnings, re.findall(r"<h2>.*?</h2>", page)
    across = re.search(r'<ol class="finding-list across">(.*?)</ol>', page, re.S).group(1)
    codes = [row[5] for row in report["问题清单"].iter_rows(min_row=2, values_only=True)]
    assert re.findall(r'data-code="([\w-]+)"', across) == codes == ["figure-inconsistent"]
    assert "部门整体.xlsx" in across and "（应为 1,014.40，实为 214.40）" in across


def test_a_department_sending_several_files_gets_a_summary_list_on_top(site, tmp_path):
    _, client = site
    wrong = build_project(tmp_path / "w.xlsx", edits={("ind", 0, "score"): WRONG_SCORE}).path.read_bytes()
    fixed = build_project(tmp_path / "f.xlsx").path.read_bytes()
    r = client.post("/check", headers=ORIGIN, files=[("file", ("错.xlsx", wrong)), ("file", ("对.xlsx", fixed))])
    page = r.text
    top = page.index('id="summary-list"')
    assert top < page.index('id="result-')
    rows = re.findall(r'<tr class="file"><td><a href="#result-[\w-]+">([^<]+)</a>.*?</tr>', page, re.S)
    assert rows == ["错.xlsx", "对.xlsx"]


@pytest.mark.parametrize("args, links, warned", [
    ([], "http://127.0.0.1:8123", True),
    (["--public-url", "https://jx.example.gov.cn/"], "https://jx.example.gov.cn", False),
    (["--host", "0.0.0.0"], "http://10.1.2.3:8123", False),
])
def test_serve_says_where_the_links_point_and_warns_when_only_this_pc_opens_them(tmp_path, monkeypatch, args,
                                                                                 links, warned):
    import uvicorn
    from click.testing import CliRunner

    from selfeval_xl.cli import serve

    started = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: started.update(kw, app=app))
    monkeypatch.setattr(serve, "lan_address", lambda: "10.1.2.3")
    result = CliRunner().invoke(serve.command, ["--port", "8123", "--data", str(tmp_path / "d"), "--no-browser",
                                                *args])
    assert result.exit_code == 0, result.output
    assert f"单位提交链接的地址 / links at: {links}" in result.output
    assert ("只能在本机打开" in result.output) is warned
    assert started["port"] == 8123


def test_serve_refuses_a_public_url_that_is_not_one(tmp_path):
    from click.testing import CliRunner

    from selfeval_xl.cli import serve

    result = CliRunner().invoke(serve.command, ["--data", str(tmp_path / "d"), "--public-url", "jx.example.gov.cn"])
    assert result.exit_code == 2 and "--public-url" in result.output and not (tmp_path / "d").exists()
