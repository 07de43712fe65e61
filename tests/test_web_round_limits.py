"""The collection round under the server's bounds (issue 22, both halves together): ``--public-url`` is a
Host the server answers, every route of the round sits behind the same guards and renders off the event
loop, its checks run in the warm workers, a 单位 moves only once an upload of its is kept, the links it
shows, lists and adds are stored hashed, the joint verdict on a 单位's page is kept as compact as a stored
result, and a data folder written by the round before links were hashed is read as it was."""
from __future__ import annotations

import inspect
import io
import json
import socket
import sqlite3
import time

import httpx
import pytest
from openpyxl import load_workbook
from starlette.routing import Route
from starlette.testclient import TestClient

from amplified import amplify
from check_workbooks import build_department
import selfeval_xl.checks.registry  # noqa: F401  (registers the codes the made-up findings use)
from selfeval_xl.core.findings import FileReport, finding
from selfeval_xl.web import round as rounds
from selfeval_xl.web import views
from selfeval_xl.web.app import create_app
from selfeval_xl.web.limits import WebLimits, compact
from selfeval_xl.web.store import ROUND_SCHEMA, SCHEMA, SqliteStore, Submission
from test_web_limits import LIMIT, Server
from test_web_round import ORIGIN, links_of, new_collection, papers, post, send, site, status, unit_ids  # noqa: F401

# --------------------------------------------------------------------------- serve, hosts, the event loop


def _served_app(tmp_path, monkeypatch, *args):
    import uvicorn
    from click.testing import CliRunner

    from selfeval_xl.cli import serve

    started = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: started.update(kw, app=app))
    monkeypatch.setattr(serve, "lan_address", lambda: "10.1.2.3")
    result = CliRunner().invoke(serve.command, ["--data", str(tmp_path / "d"), "--no-browser", *args])
    assert result.exit_code == 0, result.output
    return started


@pytest.mark.parametrize("args, host, answered", [
    (["--host", "0.0.0.0", "--public-url", "https://jx.example.gov.cn/"], "jx.example.gov.cn", True),
    (["--host", "0.0.0.0", "--public-url", "https://jx.example.gov.cn/"], "rebind.attacker.example", False),
    (["--host", "127.0.0.1", "--public-url", "https://jx.example.gov.cn"], "jx.example.gov.cn:443", True),
    (["--host", "127.0.0.1"], "jx.example.gov.cn", False),
    (["--host", "0.0.0.0"], "10.1.2.3:8000", True),
])
def test_serve_answers_the_host_its_links_are_given_at_and_no_other(tmp_path, monkeypatch, args, host, answered):
    started = _served_app(tmp_path, monkeypatch, *args)
    assert started["http"] is not None and started["timeout_keep_alive"] == 5    # the bounded connections
    r = TestClient(started["app"], base_url="http://testserver").get("/", headers={"host": host})
    assert (r.status_code == 200) == answered, (host, r.status_code)


def test_serve_passes_keep_days_and_the_file_limit_with_the_public_url(tmp_path, monkeypatch):
    started = _served_app(tmp_path, monkeypatch, "--public-url", "https://jx.example.gov.cn", "--keep-days", "30",
                          "--max-upload-mb", "7")
    guards = started["app"]
    assert guards.limits.keep_days == 30 and guards.limits.file_bytes == 7 * 1024 * 1024


def _routes(client: TestClient) -> list[Route]:
    return [r for r in client.app.app.routes if isinstance(r, Route)]


def test_every_route_of_the_round_refuses_a_host_that_is_not_this_server(site):
    from selfeval_xl.web.security import allowed_hosts

    store, _ = site
    client = TestClient(create_app(store, jobs=1, hosts=allowed_hosts("127.0.0.1", "https://jx.example.gov.cn")),
                        base_url="http://testserver")
    for route in _routes(client):
        path = route.path.replace("{cid:int}", "1").replace("{uid:int}", "1").replace("{action:str}", "close")
        path = path.replace("{token}", "x").replace("{sub}", "x")
        for method in sorted(route.methods - {"HEAD"}):
            r = client.request(method, path, headers={"host": "rebind.attacker.example", **ORIGIN})
            assert r.status_code == 400 and "主机名" in r.text, (method, path, r.status_code)


def test_no_page_is_rendered_in_the_event_loop(site):
    """A handler that reads what the store keeps (a page, a download, a change of the round that shows the
    dashboard again) is a plain function, which Starlette runs in its thread pool; only those that must
    await a body are coroutines, and they hand their work to a thread or a worker."""
    _, client = site
    body_readers = {"api_check", "home_check", "unit_upload", "login", "create_collection", "round_action",
                    "draw", "filled", "rules"}          # the 复核 tab: a draw's form, a 底稿, a 口径 file
    coroutines = {r.endpoint.__name__ for r in _routes(client) if inspect.iscoroutinefunction(r.endpoint)}
    assert coroutines <= body_readers, sorted(coroutines - body_readers)
    assert "dashboard" not in coroutines and "unit_page" not in coroutines


def test_the_rounds_checks_run_in_the_warm_workers_never_a_child_of_their_own(site, papers, tmp_path, monkeypatch):
    """The 单位's page (its joint verdict), report.xlsx, summary.xlsx and the 单位's 检查结果 check in the
    pool: a child started per request would fail here."""
    import selfeval_xl.web.isolated as isolated

    def refused(*args, **kw):
        raise AssertionError("a child of its own was started")

    monkeypatch.setattr(isolated, "run_isolated", refused)
    _, client = site
    dashboard, links = new_collection(client)
    dept = build_department(tmp_path / "部门整体.xlsx").path.read_bytes()
    r = client.post(f"{links['甲单位']}/upload", headers=ORIGIN,
                    files=[("file", ("部门整体.xlsx", dept)), ("file", ("项目.xlsx", papers[0]))])
    assert r.status_code == 200 and 'id="verdict"' in r.text
    uid = unit_ids(client.get(dashboard).text)["甲单位"]
    for path in ("report.xlsx", "summary.xlsx", f"u/{uid}/report.xlsx"):
        got = client.get(f"{dashboard}/{path}")
        assert got.status_code == 200 and load_workbook(io.BytesIO(got.content)).sheetnames, path


# --------------------------------------------------------------------------- an upload and the round

def test_a_unit_whose_client_left_mid_upload_is_not_moved_along(tmp_path):
    """Five slow workbooks sent to a 单位's link, the client gone at once: its work is dropped, and the 单位
    stands 已提交 (with 上传文件 in the log) only if something of it was kept."""
    limits = WebLimits(file_bytes=LIMIT, header_seconds=1.5, body_idle_seconds=1.5, connections=60)
    store = SqliteStore(tmp_path / "data")
    collection, tokens = store.create_collection(2024, "", "t", ["甲单位"])
    unit = store.units(collection.id)[0]
    slow = amplify(build_department(tmp_path / "d.xlsx").path, tmp_path / "amp.xlsx").read_bytes()
    with Server(create_app(store, jobs=1, limits=limits), limits) as server:
        started = time.perf_counter()
        assert httpx.post(f"{server.url}/api/check", files={"file": ("a.xlsx", slow)}, timeout=60).status_code == 200
        each = time.perf_counter() - started
        body = b"".join(b'--zz\r\nContent-Disposition: form-data; name="file"; filename="%d.xlsx"\r\n\r\n' % n
                        + slow + b"\r\n" for n in range(5)) + b"--zz--\r\n"
        s = socket.create_connection(("127.0.0.1", server.port))
        s.sendall(b"POST /u/%s/upload HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: %d\r\n"
                  b"Content-Type: multipart/form-data; boundary=zz\r\n\r\n" % (tokens["甲单位"].encode(), len(body))
                  + body)
        time.sleep(0.5)
        s.close()
        time.sleep(5 * each + 1)                    # long enough for all five, had they gone on
        kept = len(store.submissions(unit.id))
        moved = [e.what for e in store.audit(collection.id)]
    assert kept <= 1
    assert rounds.status_of(store, unit).status == (rounds.SUBMITTED if kept else rounds.UNSUBMITTED)
    assert ("上传文件" in moved) == bool(kept) and ("未提交 → 已提交" in moved) == bool(kept)


def test_a_unit_of_a_collection_made_before_the_round_moves_from_what_its_submissions_say(site, papers):
    """A 单位 with files but no status kept (a folder from before the round) is 已提交; its next upload
    logs the upload and no move it did not make."""
    store, client = site
    dashboard, links = new_collection(client)
    send(client, links["甲单位"], "表.xlsx", papers[0])
    uid = int(unit_ids(client.get(dashboard).text)["甲单位"])
    store._run("DELETE FROM round_units WHERE unit_id = ?", (uid,))           # as a folder before the round
    assert status(client.get(dashboard).text, "甲单位") == "已提交"
    assert send(client, links["甲单位"], "表.xlsx", papers[1]).status_code == 200
    moves = [e.what for e in store.audit(int(dashboard.rsplit("/", 1)[1]))]
    assert moves[0] == "上传文件" and "未提交 → 已提交" not in moves[:2]
    assert status(client.get(dashboard).text, "甲单位") == "已提交"


# --------------------------------------------------------------------------- links, stored hashed

def test_the_links_shown_listed_and_added_are_stored_hashed_and_open_the_units_page(site):
    store, client = site
    dashboard, links = new_collection(client)
    assert post(client, f"{dashboard}/units", name="丙单位").status_code == 200
    page = client.get(dashboard).text
    links = links_of(page)
    assert set(links) == {"甲单位", "乙单位", "丙单位"}
    sheet = load_workbook(io.BytesIO(client.get(f"{dashboard}/links.xlsx").content))["提交链接"]
    listed = {row[0]: row[1] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert listed == {name: f"http://testserver{link}" for name, link in links.items()}
    assert f'data-copy="http://testserver{links["丙单位"]}"' in page
    database = b"".join(p.read_bytes() for p in store.folder.glob("selfeval.sqlite3*"))
    for name, link in links.items():
        assert client.get(link).status_code == 200, name
        assert link.rsplit("/", 1)[1].encode() not in database, name
    uid = unit_ids(page)["丙单位"]
    post(client, f"{dashboard}/u/{uid}/renew")
    assert client.get(links["丙单位"]).status_code == 404                    # the old link stops at once
    renewed = links_of(client.get(dashboard).text)["丙单位"]
    assert renewed != links["丙单位"] and client.get(renewed).status_code == 200


def test_a_folder_written_by_the_round_before_links_were_hashed_is_read_as_it_was(tmp_path):
    """The round's tables, plain links and results as JSON text (i22round's folder): the statuses, the
    comment, the deadline, the log and the links all read; a link renewed is stored hashed."""
    folder = tmp_path / "round"
    folder.mkdir()
    db = sqlite3.connect(folder / "selfeval.sqlite3")
    db.executescript(SCHEMA + ROUND_SCHEMA)
    db.execute("INSERT INTO collections (id, year, system, title, created) VALUES (1, 2024, '', 't', 0)")
    db.execute("INSERT INTO units (id, collection_id, name, token) VALUES (1, 1, '甲单位', 'plain-link-1')")
    db.execute("INSERT INTO submissions (unit_id, token, filename, blob, suffix, uploaded, table_key, result) "
               "VALUES (1, 'plain-result', 'a.xlsx', ?, '.xlsx', 0, 'k', ?)",
               ("0" * 64, '{"report": {"errors": 2, "warnings": 0, "findings": []}, "tables": [], "sheets": []}'))
    db.execute("INSERT INTO round_collections VALUES (1, '2025-03-31', NULL)")
    db.execute("INSERT INTO round_units VALUES (1, '已退回', '请改正', 5, 0)")
    db.execute("INSERT INTO audit (collection_id, unit_id, at, who, what, detail) VALUES (1, 1, 5, '财政局', "
               "'已提交 → 已退回', '请改正')")
    db.commit()
    db.close()
    store = SqliteStore(folder)
    unit = store.unit_by_token("plain-link-1")
    assert unit.name == "甲单位" and store.units(1)[0].token == "plain-link-1"
    assert rounds.status_of(store, unit, store.round_state(1).deadline) == rounds.UnitStatus("已退回", "请改正", True)
    assert store.round_state(1).deadline == "2025-03-31" and [e.what for e in store.audit(1)] == ["已提交 → 已退回"]
    assert store.submission_by_token("plain-result").result["report"]["errors"] == 2
    added = rounds.add_unit(store, store.collection(1), "乙单位", actor="x")
    renewed = store.renew_unit_token(1)
    raw = store._run("SELECT token FROM units ORDER BY id")
    assert [t for (t,) in raw] == [store._lookup(renewed)[0], store._lookup(added.token)[0]]
    assert store.unit_by_token(added.token).name == "乙单位" and store.unit_by_token("plain-link-1") is None


# --------------------------------------------------------------------------- the joint verdict, compact

def _report(path: str, own: int, across: list[str]) -> FileReport:
    report = FileReport(path, name="表", kind="project")
    report.findings += [finding("score-mismatch", f"第 {n} 行" + "长" * 50, file=path, cell=f"A{n}") for n in range(own)]
    report.findings += [finding("figure-inconsistent", text, file=path) for text in across]
    return report


def _stored(report: FileReport, limits: WebLimits) -> Submission:
    result = compact({"report": report.to_dict(), "tables": [], "sheets": [], "note": ""}, limits)
    return Submission(1, 1, "tok", report.path, "0" * 64, ".xlsx", 0.0, "k", result, None)


@pytest.mark.parametrize("own, across, shown", [(2, 1, 1), (10, 2, 2), (10, 7, 3), (0, 0, 0)])
def test_the_joint_verdict_keeps_what_a_stored_result_keeps(own, across, shown):
    """Findings cut to ``text_chars`` and at most ``findings`` of them, as on upload; a file's own findings
    past those its stored result kept are its own, not findings across the files."""
    limits = WebLimits(text_chars=20, findings=3)
    alone = _report("表.xlsx", own, [])
    together = _report("表.xlsx", own, [f"跨表{n}" + "差" * 40 for n in range(across)])
    sub = _stored(alone, limits)
    got = views.verdict(lambda subs, system: [together], [sub], f"merge-test-{own}-{across}", limits)
    assert got.across_total == across and len(got.across) == shown
    assert all(f["code"] == "figure-inconsistent" and len(f["message"]) <= 20 for f in got.across)
    assert got.errors == together.errors and got.warnings == together.warnings


def test_the_joint_verdict_is_no_bigger_than_a_stored_result():
    limits = WebLimits(text_chars=1000, findings=500, result_bytes=20_000)
    alone = _report("表.xlsx", 1, [])
    together = _report("表.xlsx", 1, [f"跨表{n}" + "差" * 900 for n in range(100)])
    got = views.verdict(lambda subs, system: [together], [_stored(alone, limits)], "merge-test-bytes", limits)
    size = len(json.dumps(got.across, ensure_ascii=False).encode("utf-8"))
    assert got.across_total == 100 and 0 < len(got.across) < 100 and size <= limits.result_bytes


def test_a_stored_result_of_an_older_store_with_whole_texts_still_matches_its_own_findings():
    limits = WebLimits(text_chars=20, findings=3)
    alone = _report("表.xlsx", 2, [])
    whole = Submission(1, 1, "tok", "表.xlsx", "0" * 64, ".xlsx", 0.0, "k",
                       {"report": alone.to_dict(), "tables": [], "sheets": []}, None)
    got = views.verdict(lambda subs, system: [alone], [whole], "merge-test-older", limits)
    assert got.across == [] and got.across_total == 0


def test_the_dashboard_reads_only_the_log_it_shows(site):
    store, client = site
    dashboard, _ = new_collection(client)
    cid = int(dashboard.rsplit("/", 1)[1])
    for n in range(250):
        store.log(cid, None, "x", "事", str(n))
    assert [e.detail for e in store.audit(cid, 3)] == ["249", "248", "247"] and len(store.audit(cid)) == 251
    page = client.get(dashboard).text
    assert page.count('<tr class="entry">') == 200 and "<td>249</td>" in page and "<td>49</td>" not in page
