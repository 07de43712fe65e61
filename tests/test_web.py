"""The web face over HTTP (Starlette's test client): the JSON API is ``check --json``, uploads are
limited and stored by content hash, a 单位 sees only its own files, the bureau's pages need a login
and refuse cross-site forms, and the dashboard counts the latest version of each table once."""
from __future__ import annotations

import hashlib
import io
import json
import re
import time
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from starlette.testclient import TestClient

from check_workbooks import PROJECT_ROWS, build_department, build_project
from selfeval_xl.cli import main
from selfeval_xl.web.app import create_app, set_admin_token
from selfeval_xl.web.store import SqliteStore

LIMIT = 2 * 1024 * 1024
PASSWORD = "bureau-test-password"
WRONG_SCORE = 3          # the first indicator's 得分 typed as 3 where the rule gives 15


@pytest.fixture()
def site(tmp_path):
    store = SqliteStore(tmp_path / "data")
    set_admin_token(store, PASSWORD)
    with TestClient(create_app(store, limit=LIMIT, jobs=1), base_url="http://testserver") as client:
        yield store, client          # the app's lifespan: its workers started, and ended after the test


def admin(client: TestClient) -> TestClient:
    r = client.post("/admin/login", data={"password": PASSWORD}, headers={"origin": "http://testserver"})
    assert r.status_code == 200 and "新建收集" in r.text
    return client


def collection(client: TestClient, units: str = "档案发展中心\n第二单位") -> tuple[str, dict[str, str]]:
    """Create a collection; returns its dashboard URL and each 单位's link path."""
    r = client.post("/admin/collections", data={"year": "2024", "title": "测试收集", "units": units, "system": ""},
                    headers={"origin": "http://testserver"})
    assert r.status_code == 200, r.text
    links = dict(re.findall(r'data-unit="([^"]+)">.*?<code class="link">http://testserver(/u/[\w-]+)</code>',
                            r.text, re.S))
    return str(r.url), links


def upload(client: TestClient, path: str, filename: str, content: bytes) -> "object":
    return client.post(path, files={"file": (filename, content)}, headers={"origin": "http://testserver"})


def wrong_and_fixed(tmp_path: Path) -> tuple[bytes, bytes, str]:
    wrong = build_project(tmp_path / "wrong.xlsx", edits={("ind", 0, "score"): WRONG_SCORE})
    fixed = build_project(tmp_path / "fixed.xlsx")
    return wrong.path.read_bytes(), fixed.path.read_bytes(), wrong.ref(("ind", 0, "score"))


# --------------------------------------------------------------------------- the JSON API

def test_api_check_returns_what_check_json_writes(site, tmp_path):
    _, client = site
    built = build_project(tmp_path / "表.xlsx", edits={("ind", 0, "score"): WRONG_SCORE})
    out = tmp_path / "cli.json"
    assert main(["check", "--json", str(out), "-q", "-j", "1", str(built.path)]) == 1
    expected = json.loads(out.read_text(encoding="utf-8"))

    r = upload(client, "/api/check", "表.xlsx", built.path.read_bytes())
    assert r.status_code == 200
    got = r.json()
    for data in (expected, got):                  # the CLI names the path it was given, the API the upload's name
        for f in data["files"]:
            f["path"] = Path(f["path"]).name
            for item in f["findings"]:
                item["file"] = Path(item["file"]).name if item["file"] else ""
    assert got == expected
    assert any(f["cell"] == built.ref(("ind", 0, "score")) for f in got["files"][0]["findings"])


def test_the_page_counts_the_rows_it_could_not_review(site, tmp_path):
    """A 完成值 not understood leaves its row unreviewed: the page says how many, beside those reviewed,
    and never 未发现问题 for that file (as report.xlsx and summary.xlsx count them)."""
    _, client = site
    built = build_project(tmp_path / "表.xlsx", edits={("ind", 2, "actual"): "约一百六十天"})
    page = upload(client, "/check", "表.xlsx", built.path.read_bytes()).text
    card = page[page.index("<h2>表.xlsx"):]
    head = card[:card.index("</h2>")]
    assert "未复核指标 1" in head and "未发现问题" not in head and re.search(r"已复核指标 \d+", head)


@pytest.mark.parametrize("name, content", [("notes.txt", b"just text"), ("fake.xlsx", b"PK\x03\x04 broken zip"),
                                           ("empty.xls", b"")])
def test_api_check_gives_a_non_workbook_its_unreadable_finding(site, name, content):
    _, client = site
    r = upload(client, "/api/check", name, content)
    assert r.status_code == 200
    codes = [f["code"] for f in r.json()["files"][0]["findings"]]
    assert codes == ["unreadable"]
    assert r.json()["valid"] is False


def test_api_check_without_a_file_is_a_usage_error(site):
    _, client = site
    r = client.post("/api/check", data={"x": "1"})
    assert r.status_code == 400 and "file" in r.json()["error"]


# --------------------------------------------------------------------------- limits and storage

def test_an_upload_over_the_limit_is_refused_with_413_and_the_server_keeps_serving(site, tmp_path):
    _, client = site
    r = upload(client, "/api/check", "big.xlsx", b"\0" * (LIMIT + 1))
    assert r.status_code == 413 and "过大" in r.text
    assert client.get("/").status_code == 200


def test_a_streamed_upload_without_length_is_cut_off_at_the_limit(site):
    _, client = site
    sent = []

    def body():                        # chunked: no Content-Length for the guard to read
        yield b'--zz\r\nContent-Disposition: form-data; name="file"; filename="a.xlsx"\r\n\r\n'
        for _ in range(LIMIT // 65536 + 8):                          # the API takes one file
            sent.append(1)
            yield b"x" * 65536

    r = client.post("/api/check", content=body(), headers={"content-type": "multipart/form-data; boundary=zz"})
    assert r.status_code == 413 and "合计" in r.text          # the body's limit, before the file is read
    assert client.get("/").status_code == 200


def test_uploads_are_stored_by_content_hash_never_by_the_clients_name(site, tmp_path):
    store, client = site
    content = build_project(tmp_path / "p.xlsx").path.read_bytes()
    before = set(tmp_path.parent.rglob("evil*"))          # what other tests of the session made there
    r = upload(client, "/api/check", "../../../evil.xlsx", content)
    assert r.status_code == 200
    assert r.json()["files"][0]["path"] == "evil.xlsx"
    r = upload(client, "/check", "../../../evil.xlsx", content)        # the page keeps what it is given
    assert r.status_code == 200 and "evil.xlsx" in r.text
    digest = hashlib.sha256(content).hexdigest()
    assert store.file_path(digest, ".xlsx").read_bytes() == content
    # nothing named after the client anywhere the ../ could reach: compared by name with what was there
    # before (not by time: a file's clock is coarser than time.time() and may read earlier)
    around = set(tmp_path.parent.rglob("evil*")) - before
    everything = [p.name for p in (tmp_path / "data").rglob("*")] + [p.name for p in around]
    assert not any("evil" in name for name in everything)


# --------------------------------------------------------------------------- 单位 and the bureau

def test_the_bureau_pages_need_the_password(site):
    _, client = site
    assert client.get("/admin", follow_redirects=False).headers["location"] == "/admin/login"
    r = client.post("/admin/login", data={"password": "wrong"}, headers={"origin": "http://testserver"})
    assert "口令不正确" in r.text
    assert client.get("/admin", follow_redirects=False).status_code == 303
    assert client.get("/admin/c/1/report.xlsx", follow_redirects=False).status_code == 303


def test_cross_site_forms_are_refused(site):
    _, client = site
    admin(client)
    for headers in ({"origin": "http://evil.example"}, {"referer": "http://evil.example/page"}, {}):
        r = client.post("/admin/collections", data={"year": "2024", "units": "甲"}, headers=headers)
        assert r.status_code == 403, headers
    assert client.post("/admin/collections", data={"year": "2024", "units": "甲"},
                       headers={"origin": "http://testserver"}).status_code == 200


def test_the_admin_cookie_is_strict_and_http_only(site):
    _, client = site
    r = client.post("/admin/login", data={"password": PASSWORD}, headers={"origin": "http://testserver"},
                    follow_redirects=False)
    cookie = r.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie


def test_a_unit_sees_only_its_own_submissions(site, tmp_path):
    _, client = site
    admin(client)
    _, links = collection(client)
    wrong, _, _ = wrong_and_fixed(tmp_path)
    first, second = links["档案发展中心"], links["第二单位"]
    r = upload(client, f"{first}/upload", "我们的表.xlsx", wrong)
    own = re.search(rf'href="{first}/s/([\w-]+)"', r.text).group(1)
    assert client.get(f"{first}/s/{own}").status_code == 200
    assert client.get(f"{first}/s/{own}/feedback").status_code == 200

    fresh = TestClient(client.app, base_url="http://testserver")      # the second 单位: no bureau cookie
    page = fresh.get(second)
    assert page.status_code == 200 and "我们的表" not in page.text
    for path in (f"{second}/s/{own}", f"{second}/s/{own}/scored", f"{second}/s/{own}/feedback", f"/r/{own}",
                 f"/r/{own}/scored"):
        r = fresh.get(path)
        assert r.status_code == 404 and "我们的表" not in r.text, path
    assert fresh.get(f"/u/{'x' * 32}").status_code == 404


def test_a_renewed_or_revoked_link_stops_working(site, tmp_path):
    _, client = site
    admin(client)
    dashboard, links = collection(client)
    cid = dashboard.rsplit("/", 1)[1]
    old = links["档案发展中心"]
    page = client.get(dashboard).text
    uid = re.search(rf'/admin/c/{cid}/u/(\d+)/renew', page).group(1)
    r = client.post(f"/admin/c/{cid}/u/{uid}/renew", headers={"origin": "http://testserver"})
    new = collection_links(r.text)["档案发展中心"]
    assert new != old
    assert client.get(old).status_code == 404 and client.get(new).status_code == 200
    client.post(f"/admin/c/{cid}/u/{uid}/revoke", headers={"origin": "http://testserver"})
    assert client.get(new).status_code == 404


def collection_links(html: str) -> dict[str, str]:
    return dict(re.findall(r'data-unit="([^"]+)">.*?<code class="link">http://testserver(/u/[\w-]+)</code>', html,
                           re.S))


def test_the_dashboard_counts_the_latest_version_of_each_table_once(site, tmp_path):
    _, client = site
    admin(client)
    dashboard, links = collection(client)
    wrong, fixed, ref = wrong_and_fixed(tmp_path)
    unit = links["档案发展中心"]
    r = upload(client, f"{unit}/upload", "表.xlsx", wrong)
    assert f'data-ref="{ref}"' in r.text and 'class="error"' in r.text

    page = client.get(dashboard).text
    assert counted(page) == {"expected": 2, "submitted": 1, "missing": 1, "errors": 1, "clean": 0, "tables": 1}
    upload(client, f"{unit}/upload", "表（改）.xlsx", fixed)
    page = client.get(dashboard).text
    assert counted(page) == {"expected": 2, "submitted": 1, "missing": 1, "errors": 0, "clean": 1, "tables": 1}
    assert "表（改）.xlsx" in page and '<td class="earlier">1</td>' in page

    cid = dashboard.rsplit("/", 1)[1]
    summary = load_workbook(io.BytesIO(client.get(f"/admin/c/{cid}/summary.xlsx").content))
    numbered = [row for row in summary["汇总"].iter_rows(values_only=True) if isinstance(row[0], int)]
    assert [row[-1] for row in numbered] == ["表（改）.xlsx"]       # the one table, in its latest version
    report = load_workbook(io.BytesIO(client.get(f"/admin/c/{cid}/report.xlsx").content))
    assert [row[0] for row in report["汇总"].iter_rows(min_row=2, values_only=True)] == ["表（改）.xlsx"]


def counted(page: str) -> dict[str, int]:
    return {key: int(value) for key, value in re.findall(r'<b id="n-(\w+)">(\d+)</b>', page)}


def test_no_formula_from_a_submission_reaches_a_download(site, tmp_path):
    _, client = site
    admin(client)
    dashboard, links = collection(client)
    planted = '=HYPERLINK("http://evil.example","x")'
    built = build_project(tmp_path / "p.xlsx", edits={"total": 90})
    wb = load_workbook(built.path)
    cell = wb[built.sheet][built.ref(("field", "project_name"))]
    cell.value, cell.data_type = planted, "s"              # text that reads as a formula, as a stranger may type
    wb.save(built.path)
    unit = links["档案发展中心"]
    r = upload(client, f"{unit}/upload", "p.xlsx", built.path.read_bytes())
    own = re.search(rf'href="{unit}/s/([\w-]+)"', r.text).group(1)
    cid = dashboard.rsplit("/", 1)[1]
    for path in (f"/admin/c/{cid}/summary.xlsx", f"/admin/c/{cid}/report.xlsx", f"{unit}/s/{own}/feedback"):
        wb = load_workbook(io.BytesIO(client.get(path).content))
        seen = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row
                if isinstance(c.value, str) and "evil.example" in c.value]
        assert seen, path
        # text as typed (sanitize's rule): a string cell, with the quote prefix when it reads as a formula
        assert all(c.data_type == "s" and (c.quotePrefix or not c.value.startswith("=")) for c in seen), path


def test_the_scored_workbook_is_the_score_write_back(site, tmp_path):
    _, client = site
    wrong, _, ref = wrong_and_fixed(tmp_path)
    r = upload(client, "/check", "表.xlsx", wrong)
    token = re.search(r'href="/r/([\w-]+)/scored"', r.text).group(1)
    scored = load_workbook(io.BytesIO(client.get(f"/r/{token}/scored").content))
    original = load_workbook(tmp_path / "wrong.xlsx")
    assert original["自评表"][ref].value == WRONG_SCORE
    assert scored["自评表"][ref].value == PROJECT_ROWS[0][6]       # recomputed as `selfeval score` writes it
    assert "检查结果" in scored.sheetnames


def test_the_feedback_download_is_the_feedback_workbook_of_check(site, tmp_path):
    """What ``check --feedback`` writes for a 单位: each finding, what to type instead, a link to its cell."""
    from selfeval_xl.files.ownfiles import output_kind
    from selfeval_xl.report.feedback import HEADER_ROW, ISSUES

    _, client = site
    wrong, _, ref = wrong_and_fixed(tmp_path)
    r = upload(client, "/check", "表.xlsx", wrong)
    token = re.search(r'href="/r/([\w-]+)/feedback"', r.text).group(1)
    got = client.get(f"/r/{token}/feedback")
    assert got.status_code == 200
    path = tmp_path / "feedback.xlsx"
    path.write_bytes(got.content)
    assert output_kind(path) == "反馈表"
    rows = list(load_workbook(path)[ISSUES].iter_rows(min_row=HEADER_ROW + 1, values_only=True))
    assert any(ref in (row[2] or "") and row[7] for row in rows), rows     # the cell, and how to fix it


def test_hostile_workbooks_get_their_verdict_and_the_server_keeps_serving(site, tmp_path):
    _, client = site
    far = Workbook()
    far.active["A1"] = "项目支出绩效自评表"
    far.active["XFD1048576"] = 1
    far.save(tmp_path / "far.xlsx")
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/worksheets/sheet1.xml", b"<" * (8 * 1024 * 1024))
    for name, content in (("far.xlsx", (tmp_path / "far.xlsx").read_bytes()), ("bomb.xlsx", bomb.getvalue()),
                          ("cut.xlsx", build_project(tmp_path / "c.xlsx").path.read_bytes()[:3000])):
        r = upload(client, "/check", name, content)
        assert r.status_code == 200, name
        assert "发现的问题" in r.text and 'class="finding"' in r.text, name
    assert client.get("/").status_code == 200


def test_a_zip_of_workbooks_is_checked_in_the_background(site, tmp_path):
    _, client = site
    admin(client)
    dashboard, links = collection(client)
    wrong, _, _ = wrong_and_fixed(tmp_path)
    other = build_project(tmp_path / "o.xlsx", edits={("field", "project_name"): "另一个项目"}).path.read_bytes()
    bundle = io.BytesIO()
    with zipfile.ZipFile(bundle, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("a/表一.xlsx", wrong)
        zf.writestr("b/表二.xlsx", other)
        zf.writestr("readme.txt", "not a workbook")
        zf.writestr("c/太大.xlsx", b"\0" * (LIMIT + 1))
    unit = links["档案发展中心"]
    upload(client, f"{unit}/upload", "all.zip", bundle.getvalue())
    for _ in range(600):
        page = client.get(unit).text
        if "已完成" in page:
            break
        assert "失败" not in page
        time.sleep(0.2)
    assert "已检查 3 / 3（1 个文件超过大小上限，未检查）" in page and '<progress max="3" value="3">' in page
    assert "表一.xlsx" in page and "表二.xlsx" in page and "太大.xlsx" not in page
    assert counted(client.get(dashboard).text)["tables"] == 2


def test_the_collections_units_can_be_imported_from_a_spreadsheet(site, tmp_path):
    _, client = site
    admin(client)
    wb = Workbook()
    for row in (["单位名称"], ["甲单位"], ["乙单位"], [None], ["甲单位"]):
        wb.active.append(row)
    wb.save(tmp_path / "units.xlsx")
    r = client.post("/admin/collections", data={"year": "2024", "units": "丙单位"},
                    files={"units_file": ("units.xlsx", (tmp_path / "units.xlsx").read_bytes())},
                    headers={"origin": "http://testserver"})
    assert list(collection_links(r.text)) == ["丙单位", "甲单位", "乙单位"]


@pytest.mark.parametrize("form", [{"year": "2024", "units": ""}, {"year": "20x4", "units": "甲"},
                                  {"year": "2024", "units": "甲", "system": "../../etc/passwd"}])
def test_a_collection_needs_a_year_units_and_a_known_system(site, form):
    _, client = site
    admin(client)
    r = client.post("/admin/collections", data=form, headers={"origin": "http://testserver"})
    assert r.status_code == 400 and "请填写年度" in r.text
    assert "/admin/c/" not in r.text


@pytest.mark.libreoffice
def test_a_real_xls_export_is_shown_marked_and_scored_as_xlsx(site):
    _, client = site
    sample = Path("/work/shared/samples/项目库导出_已填指标.xls")
    if not sample.exists():
        pytest.skip("real samples not present")
    r = upload(client, "/check", sample.name, sample.read_bytes())
    assert "工作表：项目支出绩效自评表" in r.text and 'class="error"' in r.text
    token = re.search(r'href="/r/([\w-]+)/scored"', r.text).group(1)
    scored = client.get(f"/r/{token}/scored")
    assert "_%E5%B7%B2%E8%AF%84%E5%88%86.xlsx" in scored.headers["content-disposition"]     # 已评分.xlsx
    assert {"项目支出绩效自评表", "检查结果"} <= set(load_workbook(io.BytesIO(scored.content)).sheetnames)


def test_serve_binds_to_this_pc_unless_told_otherwise():
    from selfeval_xl.cli.serve import command

    assert {p.name: p.default for p in command.params}["host"] == "127.0.0.1"


def test_a_stored_file_is_named_by_a_content_hash_only(tmp_path):
    store = SqliteStore(tmp_path)
    digest = hashlib.sha256(b"x").hexdigest()
    assert store.file_path(digest, ".xlsx") == tmp_path / "blobs" / digest[:2] / f"{digest}.xlsx"
    for name in ("../../etc/passwd", digest[:63] + "/", digest.upper()):
        with pytest.raises(ValueError):
            store.file_path(name, ".xlsx")


def test_a_new_bureau_password_ends_every_session(site):
    store, client = site
    admin(client)
    assert client.get("/admin", follow_redirects=False).status_code == 200
    set_admin_token(store, "another-password")
    assert client.get("/admin", follow_redirects=False).status_code == 303


def test_names_and_cells_from_a_submission_are_shown_as_text(site, tmp_path):
    _, client = site
    hostile = '<img src=x onerror="alert(1)">'
    built = build_project(tmp_path / "p.xlsx", edits={("field", "project_name"): hostile})
    r = upload(client, "/check", f"{hostile}.xlsx", built.path.read_bytes())
    assert r.status_code == 200 and "onerror" in r.text
    assert "<img" not in r.text and "&lt;img src=x onerror=" in r.text


def corrupt_deflate() -> bytes:
    """A zip whose directory is sound but whose entry's compressed bytes are not (zlib fails, not zipfile)."""
    bundle = io.BytesIO()
    with zipfile.ZipFile(bundle, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("a.xlsx", b"hello world " * 5000)
    data = bytearray(bundle.getvalue())
    data[40:60] = b"\xff" * 20
    return bytes(data)


@pytest.mark.parametrize("content", [b"not a zip at all", b"PK\x03\x04" + b"\x14" * 200, corrupt_deflate()])
def test_a_broken_zip_ends_its_job_visibly(site, content):
    _, client = site
    admin(client)
    _, links = collection(client)
    unit = links["档案发展中心"]
    upload(client, f"{unit}/upload", "bad.zip", content)
    for _ in range(300):
        page = client.get(unit).text
        if 'http-equiv="refresh"' not in page:
            break
        time.sleep(0.1)
    assert "失败" in page and "压缩包无法读取" in page


def test_a_restart_ends_the_jobs_it_cut_off(site, tmp_path):
    from selfeval_xl.web.app import recover

    store, client = site
    admin(client)
    _, links = collection(client)
    unit = store.unit_by_token(links["档案发展中心"].rsplit("/", 1)[1])
    job = store.start_job(unit.id, 5)
    (store.scratch() / "half-upload.xlsx").write_bytes(b"x")
    recover(store)
    assert [j.state for j in store.jobs(unit.id)] == ["failed"] and store.jobs(unit.id)[0].id == job.id
    assert not list(store.scratch().iterdir())


def test_the_bureaus_reports_include_the_checks_across_a_units_files(site, tmp_path):
    _, client = site
    admin(client)
    dashboard, links = collection(client)
    unit = links["档案发展中心"]
    upload(client, f"{unit}/upload", "项目.xlsx", build_project(tmp_path / "p.xlsx").path.read_bytes())
    upload(client, f"{unit}/upload", "部门整体.xlsx", build_department(tmp_path / "d.xlsx").path.read_bytes())
    upload(client, f"{unit}/upload", "坏.xlsx", b"PK\x03\x04 not really")
    cid = dashboard.rsplit("/", 1)[1]
    page = client.get(dashboard).text
    uid = re.search(rf'/admin/c/{cid}/u/(\d+)/renew', page).group(1)
    for path in (f"/admin/c/{cid}/report.xlsx", f"/admin/c/{cid}/u/{uid}/report.xlsx"):
        report = load_workbook(io.BytesIO(client.get(path).content))
        rows = list(report["问题清单"].iter_rows(min_row=2, values_only=True))
        code = [c.value for c in report["问题清单"][1]].index("代码")
        assert ("部门整体.xlsx", "figure-inconsistent") in [(r[0], r[code]) for r in rows], path
        assert ("坏.xlsx", "unreadable") in [(r[0], r[code]) for r in rows], path
        assert sorted(r[0] for r in report["汇总"].iter_rows(min_row=2, values_only=True)) == \
            ["坏.xlsx", "部门整体.xlsx", "项目.xlsx"]


def test_an_overrun_step_is_killed_with_every_process_it_started(tmp_path):
    from selfeval_xl.web.isolated import StepFailed, run_isolated
    from web_probe import start_and_sleep

    pidfile = tmp_path / "worker.pid"
    with pytest.raises(StepFailed, match="超时"):
        run_isolated(start_and_sleep, str(pidfile), scratch=tmp_path, time_limit=6)
    worker = int(pidfile.read_text())
    for _ in range(100):                       # killed; reaped by whoever adopted it
        state = Path(f"/proc/{worker}/stat")
        if not state.exists() or state.read_text().split(")")[1].split()[0] in ("Z", "X"):
            break
        time.sleep(0.1)
    else:
        pytest.fail(f"process {worker} started by the step still runs")


# --------------------------------------------------------------------------- the 绩效自评报告

@pytest.fixture(scope="module")
def unit_papers(tmp_path_factory):
    """The demo's real 单位: its workbooks (filled) and its report drafted from them, as .txt text."""
    from drafted import unit_papers as drafted_papers
    from selfeval_xl.demo.data import REAL_UNIT
    from selfeval_xl.narrative.text import read_report

    books, _, docx = drafted_papers(tmp_path_factory.mktemp("web-report"), REAL_UNIT)
    return books, "\n\n".join(p.text for p in read_report(docx))


def with_a_score_changed(text: str) -> str:
    """The report with the first stated 二级 自评 changed (44.43 → 44.34): a figure the tables contradict."""
    changed, n = re.subn(r"(评价分析：分值\d+分，自评\d+)\.(\d)(\d)分", lambda m: f"{m[1]}.{m[3]}{m[2]}分", text,
                         count=1)
    assert n == 1 and changed != text
    return changed


def report_findings(page: str, name: str) -> list[tuple[str, str]]:
    """(code, severity) of each finding shown in the result card of the upload called ``name``."""
    card = page[page.index(f"<h2>{name}"):]
    card = card[:card.index('<div class="card"')] if '<div class="card"' in card else card
    return re.findall(r'class="finding" data-code="([\w-]+)".*?<span class="sev-(\w+)">', card, re.S)


def test_a_report_is_checked_against_the_units_latest_tables(site, unit_papers):
    store, client = site
    admin(client)
    _, links = collection(client)
    unit = links["档案发展中心"]
    books, text = unit_papers
    for book in books:
        upload(client, f"{unit}/upload", book.name, book.read_bytes())
    r = upload(client, f"{unit}/upload", "自评报告.txt", text.encode("utf-8"))
    assert r.status_code == 200
    shown = report_findings(r.text, "自评报告.txt")
    assert not [c for c, sev in shown if sev == "error"], shown
    blob = hashlib.sha256(text.encode("utf-8")).hexdigest()
    assert store.file_path(blob, ".txt").read_bytes() == text.encode("utf-8")      # stored by content hash

    changed = with_a_score_changed(text)
    r = upload(client, f"{unit}/upload", "改过的报告.txt", changed.encode("utf-8"))
    shown = report_findings(r.text, "改过的报告.txt")
    assert ("report-table-mismatch", "error") in shown, shown
    card = r.text[r.text.index("<h2>改过的报告.txt"):]
    sentence = re.search(r"评价分析：分值\d+分，自评\d+\.\d\d分", changed)[0]
    assert re.search(rf'data-code="report-table-mismatch".*?<span class="muted">[^<]*第\d+段</span>[^<]*{sentence}',
                     card, re.S), card[:3000]                          # where it is, and the sentence quoted

    alone = TestClient(client.app, base_url="http://testserver")         # a 单位 with no tables yet: no match
    r = upload(alone, f"{links['第二单位']}/upload", "改过的报告.txt", changed.encode("utf-8"))
    assert ("report-table-mismatch", "error") not in report_findings(r.text, "改过的报告.txt")


def test_a_report_sent_before_its_tables_is_checked_again_once_they_are_in(site, unit_papers):
    """Sent alone, the report has no tables to be held against; once the 单位's workbooks are in — one by
    one, or in a zip checked in the background — its verdict is the one against them."""
    _, client = site
    admin(client)
    _, links = collection(client)
    books, text = unit_papers
    changed = with_a_score_changed(text)
    unit = links["档案发展中心"]
    r = upload(client, f"{unit}/upload", "先交的报告.txt", changed.encode("utf-8"))
    assert ("report-table-mismatch", "error") not in report_findings(r.text, "先交的报告.txt")
    for book in books:
        upload(client, f"{unit}/upload", book.name, book.read_bytes())
    assert ("report-table-mismatch", "error") in report_findings(_submission_page(client, unit, "先交的报告.txt"),
                                                                 "先交的报告.txt")

    _, links = collection(client)
    unit = links["档案发展中心"]
    upload(client, f"{unit}/upload", "先交的报告.txt", changed.encode("utf-8"))
    bundle = io.BytesIO()
    with zipfile.ZipFile(bundle, "w") as zf:
        for book in books:
            zf.writestr(book.name, book.read_bytes())
    upload(client, f"{unit}/upload", "全部表格.zip", bundle.getvalue())
    for _ in range(600):
        page = client.get(unit).text
        if "已完成" in page:
            break
        time.sleep(0.2)
    assert ("report-table-mismatch", "error") in report_findings(_submission_page(client, unit, "先交的报告.txt"),
                                                                 "先交的报告.txt")


def _submission_page(client: TestClient, unit: str, name: str) -> str:
    """The result page of the upload called ``name``, opened from the 单位's page."""
    link = re.search(rf'<a href="([^"]+/s/[^"]+)">{re.escape(name)}</a>', client.get(unit).text)[1]
    return client.get(link).text


def test_a_report_sent_first_in_one_form_is_checked_against_the_workbooks_sent_with_it(site, unit_papers):
    _, client = site
    admin(client)
    _, links = collection(client)
    unit = links["档案发展中心"]
    books, text = unit_papers
    changed = with_a_score_changed(text)
    files = [("file", ("改过的报告.txt", changed.encode("utf-8"), "text/plain"))] + \
        [("file", (b.name, b.read_bytes(), "application/octet-stream")) for b in books]
    r = client.post(f"{unit}/upload", files=files, headers={"origin": "http://testserver"}, follow_redirects=True)
    assert r.status_code == 200
    assert ("report-table-mismatch", "error") in report_findings(r.text, "改过的报告.txt")


def test_a_garbage_report_gets_its_verdict_not_a_500(site):
    _, client = site
    admin(client)
    _, links = collection(client)
    for name, content in (("报告.pdf", b"%PDF-1.4 garbage \x00\xff" * 50), ("报告.docx", b"not a zip")):
        r = upload(client, f"{links['档案发展中心']}/upload", name, content)
        assert r.status_code == 200
        codes = {c for c, _ in report_findings(r.text, name)}
        assert codes & {"unreadable", "check-failed"}, (name, codes)


def test_the_page_shows_the_sheet_as_submitted_beside_the_scored_download(tmp_path):
    """The sheet on the page is the one sent (its wrong 3 where the finding points), not the scored copy:
    scoring writes into the same grids the page is drawn from."""
    from selfeval_xl.read.grid import parse_ref
    from selfeval_xl.web.processing import score_and_show

    built = build_project(tmp_path / "w.xlsx", edits={("ind", 0, "score"): WRONG_SCORE})
    shown = score_and_show(str(built.path), str(tmp_path), None)
    row, col = parse_ref(built.ref(("ind", 0, "score")))
    assert shown["sheets"][0]["rows"][row][col] == str(WRONG_SCORE)
    scored = load_workbook(shown["scored"])[built.sheet][built.ref(("ind", 0, "score"))].value
    assert scored != WRONG_SCORE                                     # the download carries the recomputed score
