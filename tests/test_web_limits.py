"""The web server is bounded (issue 22): what it keeps of a hostile workbook, what /api/check leaves,
per-file and per-form limits, paused bodies and half-sent requests on a real socket, a client that
leaves, hashed links in a 0700 folder, logout, Host names, a full or read-only disk, odd ids, retention,
and the warm workers (fast, and a crashed one replaced)."""
from __future__ import annotations

import io
import json
import os
import socket
import sqlite3
import statistics
import stat
import subprocess
import threading
import time
from pathlib import Path

import httpx
import pytest
import uvicorn
from hypothesis import given
from hypothesis import strategies as st
from starlette.testclient import TestClient

from amplified import amplify
from check_workbooks import build_department, build_project
from selfeval_xl.web.app import create_app, set_admin_token
from selfeval_xl.web.connections import bounded_protocol
from selfeval_xl.web.limits import WebLimits
from selfeval_xl.web.security import allowed_hosts
from selfeval_xl.web.store import SqliteStore
from test_web import PASSWORD, admin, collection, upload

LIMIT = 2 * 1024 * 1024
ORIGIN = {"origin": "http://testserver"}


def _client(store: SqliteStore, **kw) -> TestClient:
    return TestClient(create_app(store, jobs=1, **kw), base_url="http://testserver")


@pytest.fixture()
def site(tmp_path):
    store = SqliteStore(tmp_path / "data")
    set_admin_token(store, PASSWORD)
    with _client(store, limits=WebLimits(file_bytes=LIMIT, form_files=5)) as client:
        yield store, client


def _size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def _files(folder: Path) -> dict[str, int]:
    return {str(p.relative_to(folder)): p.stat().st_size for p in folder.rglob("*")
            if p.is_file() and not p.name.startswith("selfeval.sqlite3")}


# --------------------------------------------------------------------------- what is kept

def test_the_amplification_workbook_grows_the_data_by_little_and_the_dashboard_stays_small(site, tmp_path):
    """What stalled the dashboard was the size of what it read (a 540 MB stored result, parsed for every
    view): the stored result, the page and --data are held to sizes here, not to a time — a clock on a
    shared machine fails a right program (it did, at load 14) and passes a wrong one."""
    store, client = site
    hostile = amplify(build_department(tmp_path / "d.xlsx").path, tmp_path / "amp.xlsx")
    assert hostile.stat().st_size < 40_000
    admin(client)
    board, links = collection(client)
    before = _size(store.folder)
    r = upload(client, f"{links['档案发展中心']}/upload", "amp.xlsx", hostile.read_bytes())
    assert r.status_code == 200 and len(r.content) < 1024 ** 2          # the page: under 1 MB
    assert _size(store.folder) - before < 3 * 1024 ** 2                  # --data: at most a few MB
    r = client.get(board)
    assert r.status_code == 200 and len(r.content) < 256 * 1024
    sub = store.submissions(store.units(store.collections()[0].id)[0].id)[0]
    assert len(json.dumps(sub.result, ensure_ascii=False).encode()) < 2 * 1024 ** 2
    longest = max(len(c) for s in sub.result["sheets"] for row in s["rows"] for c in row)
    assert longest <= WebLimits().cell_chars


def test_a_stored_result_keeps_its_counts_when_its_findings_are_cut():
    from selfeval_xl.web.limits import compact

    finding = {"code": "x", "severity": "error", "message": "长" * 5000, "file": "a", "sheet": "", "cell": "",
               "expected": None, "found": "长" * 5000, "position": None}
    result = {"report": {"errors": 900, "warnings": 0, "findings": [finding] * 900}, "sheets": [], "note": ""}
    kept = compact(result, WebLimits(findings=10, text_chars=100))
    assert kept["report"]["errors"] == 900 and len(kept["report"]["findings"]) == 10
    assert all(len(f["message"]) == 100 and len(f["found"]) == 100 for f in kept["report"]["findings"])
    assert "共 900 条" in kept["note"]


@given(st.lists(st.integers(0, 10_000), max_size=300), st.integers(100, 50_000), st.integers(8, 500))
def test_a_sheets_cells_share_its_budget_the_shortest_kept_whole(lengths, budget, most):
    from selfeval_xl.web.limits import fair_share

    each = fair_share(lengths, budget, most)
    assert 8 <= each <= most
    if each > 8:                                             # above the floor, the budget holds
        assert sum(min(n, each) for n in lengths) <= budget
    if sum(min(n, most) for n in lengths) <= budget:        # all fits: nothing cut below ``most``
        assert each == most
    else:                                                    # one more character each would not fit
        assert sum(min(n, each + 1, most) for n in lengths) > budget or each == most


def test_api_check_leaves_nothing_behind(site, tmp_path):
    store, client = site
    rows = store._run("SELECT COUNT(*) FROM submissions")
    before = _files(store.folder)
    content = build_project(tmp_path / "p.xlsx").path.read_bytes()
    for name, data in (("p.xlsx", content), ("x.xlsx", b"not a workbook")):
        r = upload(client, "/api/check", name, data)
        assert r.status_code == 200 and r.json()["files"][0]["path"] == name
    assert _files(store.folder) == before and store._run("SELECT COUNT(*) FROM submissions") == rows


# --------------------------------------------------------------------------- per file, per form

def test_the_size_limit_is_per_file_as_the_page_says(site):
    _, client = site
    assert "每个文件不超过 2 MB" in client.get("/").text
    r = upload(client, "/api/check", "exact.xlsx", b"\0" * LIMIT)      # exactly the limit: its verdict
    assert r.status_code == 200 and r.json()["files"][0]["findings"][0]["code"] == "unreadable"
    r = upload(client, "/api/check", "over.xlsx", b"\0" * (LIMIT + 1))
    assert r.status_code == 413 and "每个文件不超过 2 MB" in r.json()["error"]
    three = [("file", (f"{n}.xlsx", b"\0" * (LIMIT * 8 // 10))) for n in range(3)]   # 4.8 MB in one form
    r = client.post("/check", files=three, headers=ORIGIN)
    assert r.status_code == 200 and r.text.count("unreadable") >= 3


def test_a_form_takes_at_most_its_number_of_files(site):
    _, client = site
    many = [("file", (f"{n}.xlsx", b"x")) for n in range(6)]
    r = client.post("/check", files=many, headers=ORIGIN)
    assert r.status_code == 413 and "一次最多上传 5 个文件" in r.text and ".zip" in r.text


def test_a_form_over_its_whole_limit_is_cut_off_before_it_is_read(site):
    _, client = site
    whole = WebLimits(file_bytes=LIMIT, form_files=5).body_bytes

    def body():                        # chunked: no Content-Length for the guard to read
        yield b'--zz\r\nContent-Disposition: form-data; name="file"; filename="a.xlsx"\r\n\r\n'
        for _ in range(whole // 65536 + 8):
            yield b"x" * 65536

    r = client.post("/check", content=body(), headers={"content-type": "multipart/form-data; boundary=zz", **ORIGIN})
    assert r.status_code == 413 and "一次最多 5 个文件" in r.text
    r = client.post("/check", content=b"x", headers={"content-length": str(whole + 1), **ORIGIN,
                                                      "content-type": "multipart/form-data; boundary=zz"})
    assert r.status_code == 413


# --------------------------------------------------------------------------- a real socket

class Server:
    """The app under uvicorn with the bounded protocol, on a free port, in a thread."""

    def __init__(self, app, limits: WebLimits):
        config = uvicorn.Config(app, host="127.0.0.1", port=0, http=bounded_protocol(limits), log_level="error",
                                timeout_keep_alive=5, lifespan="on")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self):
        self.thread.start()
        deadline = time.time() + 30
        while not self.server.started:
            assert time.time() < deadline and self.thread.is_alive(), "the server did not start"
            time.sleep(0.05)
        self.port = self.server.servers[0].sockets[0].getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        return self

    def __exit__(self, *exc):
        self.server.should_exit = True
        self.thread.join(30)


@pytest.fixture()
def served(tmp_path):
    limits = WebLimits(file_bytes=LIMIT, header_seconds=1.5, body_idle_seconds=1.5, connections=60)
    store = SqliteStore(tmp_path / "data")
    with Server(create_app(store, jobs=1, limits=limits), limits) as server:
        yield store, server


def _upload_time(server: Server, content: bytes) -> float:
    started = time.perf_counter()
    r = httpx.post(f"{server.url}/api/check", files={"file": ("p.xlsx", content)}, timeout=60)
    assert r.status_code == 200 and r.json()["files"][0]["path"] == "p.xlsx"
    return time.perf_counter() - started


def test_three_hundred_half_sent_requests_do_not_lock_uploads_out(served, tmp_path):
    _, server = served
    content = build_project(tmp_path / "p.xlsx").path.read_bytes()
    held = []
    for n in range(300):
        s = socket.create_connection(("127.0.0.1", server.port))
        if n % 2:                 # headers that never end
            s.sendall(b"POST /api/check HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: multipart/form-data")
        else:                     # a body that never comes
            s.sendall(b"POST /api/check HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100000\r\n"
                      b"Content-Type: multipart/form-data; boundary=zz\r\n\r\n--zz\r\n")
        held.append(s)
    assert _upload_time(server, content) < 10               # while all 300 are open
    time.sleep(2.5)                                         # past both clocks: the server has closed them
    seen = []
    for s in held:
        s.settimeout(2)
        try:
            data = s.recv(4096)
            seen.append("closed" if data == b"" or b"408" in data.split(b"\r\n")[0] else data[:40])
        except ConnectionResetError:
            seen.append("closed")
        except socket.timeout:
            seen.append("open")
        s.close()
    assert seen == ["closed"] * 300, {repr(x): seen.count(x) for x in seen}
    assert _upload_time(server, content) < 5


def test_a_body_that_stops_is_answered_408(served):
    _, server = served
    s = socket.create_connection(("127.0.0.1", server.port))
    s.sendall(b"POST /api/check HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 5000\r\n"
              b"Content-Type: multipart/form-data; boundary=zz\r\n\r\n--zz\r\n")
    s.settimeout(10)
    started = time.time()
    answer = s.recv(4096)
    waited = time.time() - started
    while part := s.recv(4096):       # the body may come in a segment after the headers: read to the close
        answer += part
    assert answer.startswith(b"HTTP/1.1 408") and "上传中断".encode() in answer
    assert 1.0 < waited < 5


def test_work_for_a_client_that_has_gone_is_cancelled(served, tmp_path):
    """Five slow workbooks in one form, the client gone once they are sent: the one worker is free for the
    next upload at once, and the rest of the form is never checked (nothing of it is stored)."""
    store, server = served
    slow = amplify(build_department(tmp_path / "d.xlsx").path, tmp_path / "amp.xlsx").read_bytes()
    started = time.perf_counter()
    assert httpx.post(f"{server.url}/api/check", files={"file": ("a.xlsx", slow)}, timeout=60).status_code == 200
    each = time.perf_counter() - started
    body = b"".join(b'--zz\r\nContent-Disposition: form-data; name="file"; filename="%d.xlsx"\r\n\r\n' % n + slow
                    + b"\r\n" for n in range(5)) + b"--zz--\r\n"
    s = socket.create_connection(("127.0.0.1", server.port))
    s.sendall(b"POST /check HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: %d\r\n"
              b"Content-Type: multipart/form-data; boundary=zz\r\n\r\n" % len(body) + body)
    time.sleep(0.5)
    s.close()
    content = build_project(tmp_path / "p.xlsx").path.read_bytes()
    assert _upload_time(server, content) < max(2.5 * each, 3)
    time.sleep(5 * each + 1)                        # long enough for all five, had they gone on
    kept = store._run("SELECT COUNT(*) FROM submissions")[0][0]
    assert kept <= 1
    assert len(list((store.folder / "blobs").rglob("*.xlsx"))) <= 2 * kept    # nothing kept of what was dropped


# --------------------------------------------------------------------------- links, sessions, hosts

def test_the_data_folder_is_private_and_links_are_stored_hashed(site):
    store, client = site
    assert stat.S_IMODE(store.folder.stat().st_mode) == 0o700
    assert stat.S_IMODE((store.folder / "link.key").stat().st_mode) == 0o600
    admin(client)
    _, links = collection(client)
    token = links["档案发展中心"].rsplit("/", 1)[1]
    assert client.get(links["档案发展中心"]).status_code == 200
    database = b"".join(p.read_bytes() for p in store.folder.glob("selfeval.sqlite3*"))
    assert token.encode() not in database
    assert SqliteStore(store.folder).unit_by_token(token).name == "档案发展中心"      # the same link after a restart


def test_an_older_store_with_plain_links_is_still_read_and_its_folder_closed(tmp_path):
    folder = tmp_path / "old"
    folder.mkdir(mode=0o755)
    folder.chmod(0o755)
    db = sqlite3.connect(folder / "selfeval.sqlite3")
    from selfeval_xl.web.store import SCHEMA
    db.executescript(SCHEMA)
    db.execute("INSERT INTO collections (id, year, system, title, created) VALUES (1, 2024, '', 't', 0)")
    db.execute("INSERT INTO units (id, collection_id, name, token) VALUES (1, 1, '老单位', 'plain-old-link')")
    db.execute("INSERT INTO submissions (unit_id, token, filename, blob, suffix, uploaded, table_key, result) "
               "VALUES (1, 'plain-old-result', 'a.xlsx', ?, '.xlsx', 0, 'k', ?)",
               ("0" * 64, '{"report": {"errors": 0, "findings": []}}'))
    db.commit()
    db.close()
    store = SqliteStore(folder)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert store.unit_by_token("plain-old-link").name == "老单位"
    assert store.units(1)[0].token == "plain-old-link"                  # the link handed out still shown
    assert store.submission_by_token("plain-old-result").result["report"]["errors"] == 0
    renewed = store.renew_unit_token(1)
    assert store.unit_by_token("plain-old-link") is None and store.unit_by_token(renewed).name == "老单位"


def test_logout_ends_the_session_on_the_server(site):
    _, client = site
    admin(client)
    cookie = client.cookies.get("selfeval_admin")
    assert client.post("/admin/logout", headers=ORIGIN, follow_redirects=False).status_code == 303
    client.cookies.set("selfeval_admin", cookie)                # the browser (or a thief) kept it
    assert client.get("/admin", follow_redirects=False).headers["location"] == "/admin/login"


@pytest.mark.parametrize("bound, public, host, answered", [
    ("0.0.0.0", "https://jx.example.gov.cn", "jx.example.gov.cn", True),
    ("0.0.0.0", "https://jx.example.gov.cn", "JX.example.gov.cn:443", True),
    ("0.0.0.0", None, "192.168.1.20:8000", True),
    ("0.0.0.0", None, "[fe80::1]:8000", True),
    ("0.0.0.0", None, "rebind.attacker.example", False),
    ("0.0.0.0", "https://jx.example.gov.cn", "jx.example.gov.cn.attacker.example", False),
    ("127.0.0.1", None, "localhost:8000", True),
    ("127.0.0.1", None, "192.168.1.20", False),
    ("192.168.1.20", None, "192.168.1.20:8000", True),
    ("192.168.1.20", None, "", False),
])
def test_the_host_header_must_name_this_server(tmp_path, bound, public, host, answered):
    store = SqliteStore(tmp_path / "data")
    client = TestClient(create_app(store, jobs=1, hosts=allowed_hosts(bound, public)), base_url="http://testserver")
    r = client.get("/", headers={"host": host})
    assert (r.status_code == 200) == answered, r.text
    if not answered:
        assert r.status_code == 400 and "主机名" in r.text


@pytest.mark.parametrize("path", ["/admin/c/99999999999999999999", "/admin/c/0", "/admin/c/-1", "/admin/c/abc",
                                  "/admin/c/1/u/99999999999999999999/s/x", "/admin/c/99999999999999999999/report.xlsx",
                                  "/r/%00", "/u/" + "x" * 5000, "/r/" + "9" * 20 + "/scored"])
def test_malformed_and_huge_ids_are_404(site, path):
    _, client = site
    admin(client)
    collection(client)
    r = client.get(path, follow_redirects=False)
    assert r.status_code == 404, (path, r.status_code)


# --------------------------------------------------------------------------- disk, retention

def _mount(folder: Path, options: str) -> bool:
    folder.mkdir(parents=True, exist_ok=True)
    return subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(folder)],
                          capture_output=True).returncode == 0


@pytest.fixture()
def small_disk(tmp_path):
    folder = tmp_path / "disk"
    if os.geteuid() != 0 or not _mount(folder, "size=2m"):
        pytest.skip("needs root and tmpfs to make a small disk")
    yield folder
    subprocess.run(["umount", "-l", str(folder)], check=False)


def test_a_full_disk_is_said_in_chinese_not_a_500(small_disk, tmp_path):
    store = SqliteStore(small_disk / "data")
    with _client(store) as client:
        content = build_project(tmp_path / "p.xlsx").path.read_bytes()
        filler = small_disk / "filler"
        with open(filler, "wb") as out:
            try:
                while True:
                    out.write(b"\0" * 65536)
                    out.flush()
            except OSError:
                pass
        r = client.post("/check", files={"file": ("p.xlsx", content)}, headers=ORIGIN)
        assert r.status_code == 507 and "磁盘已满" in r.text and "Traceback" not in r.text


def test_a_read_only_data_folder_is_refused_at_start(small_disk, capsys):
    from selfeval_xl.cli import main

    SqliteStore(small_disk / "data")._db.close()
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    assert main(["serve", "--data", str(small_disk / "data"), "--no-browser"]) != 0
    said = capsys.readouterr().err
    assert "无法启动" in said and "不可写" in said and "Traceback" not in said


def test_a_folder_that_turns_read_only_is_said_on_a_request(site, tmp_path, monkeypatch):
    """(A mounted disk cannot be made read-only under the open database; the store says EROFS instead.)"""
    import errno

    store, client = site

    def read_only(*args, **kw):
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(store, "put_file", read_only)
    content = build_project(tmp_path / "p.xlsx").path.read_bytes()
    r = client.post("/check", files={"file": ("p.xlsx", content)}, headers=ORIGIN)
    assert r.status_code == 507 and "不可写" in r.text and "Traceback" not in r.text


def test_old_submissions_are_deleted_after_the_retention_days(tmp_path):
    store = SqliteStore(tmp_path / "data")
    old_content = build_project(tmp_path / "old.xlsx").path.read_bytes()
    with _client(store, limits=WebLimits(keep_days=30)) as client:
        client.post("/check", files={"file": ("old.xlsx", old_content)}, headers=ORIGIN)
        (old,) = store._run("SELECT id, blob FROM submissions")
        long_ago = time.time() - 31 * 86400
        store._run("UPDATE submissions SET uploaded = ? WHERE id = ?", (long_ago, old[0]))
        blob = store.file_path(old[1], ".xlsx")
        os.utime(blob, (long_ago, long_ago))
        new = build_department(tmp_path / "new.xlsx").path.read_bytes()
        client.post("/check", files={"file": ("new.xlsx", new)}, headers=ORIGIN)
    with _client(store, limits=WebLimits(keep_days=30)):            # at the next start (and hourly)
        assert [r[0] for r in store._run("SELECT filename FROM submissions")] == ["new.xlsx"]
        assert not blob.exists()
    with _client(store, limits=WebLimits(keep_days=0)):             # 0: kept for good
        assert len(store._run("SELECT filename FROM submissions")) == 1


# --------------------------------------------------------------------------- the warm workers

def test_api_check_of_a_department_workbook_takes_well_under_100_ms(site, tmp_path):
    _, client = site
    content = build_department(tmp_path / "d.xlsx").path.read_bytes()
    upload(client, "/api/check", "d.xlsx", content)                   # the workers are warm from the start
    times = []
    for _ in range(7):
        started = time.perf_counter()
        assert upload(client, "/api/check", "d.xlsx", content).status_code == 200
        times.append(time.perf_counter() - started)
    assert statistics.median(times) < 0.1, times


def test_a_crashed_worker_is_replaced_and_its_file_gets_a_verdict(tmp_path):
    from selfeval_xl.web.isolated import StepFailed
    from selfeval_xl.web.workers import ClientGone, WorkerPool
    from web_probe import crash, sleep_for

    pool = WorkerPool(1)
    try:
        with pytest.raises(StepFailed, match="异常退出"):
            pool.run(crash)
        with pytest.raises(StepFailed, match="超时"):
            pool.run(sleep_for, 30, time_limit=1)
        assert pool.run(len, "abc") == 3
        gone = threading.Event()
        threading.Timer(0.3, gone.set).start()
        started = time.perf_counter()
        with pytest.raises(ClientGone):
            pool.run(sleep_for, 30, gone=gone)
        assert time.perf_counter() - started < 3
        assert pool.run(len, "ab") == 2
    finally:
        pool.close()


def test_a_blank_report_is_not_a_clean_pass(site):
    _, client = site
    admin(client)
    _, links = collection(client)
    for name, content in (("报告.txt", b"   \n\n "), ("报告.pdf", _blank_pdf())):
        r = upload(client, f"{links['档案发展中心']}/upload", name, content)
        r = client.get(r.headers["location"]) if r.status_code == 303 else r
        assert "report-no-text" in r.text, name


def _blank_pdf() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
