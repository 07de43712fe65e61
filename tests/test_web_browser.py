"""The web pages in a real headless browser (Debian's chromium + chromedriver, driven by selenium), against
``selfeval serve`` started as a user would start it. One server and one browser for the whole session.

Without chromium these tests skip on a developer's machine and FAIL in CI (``CI=true``).
``SELFEVAL_SCREENSHOTS=DIR`` saves the README's screenshots of the pages into DIR.
"""
from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from check_workbooks import build_project

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--window-size=1500,1000",
         "--lang=zh-CN")
WRONG_SCORE = 3


def _need_browser() -> None:
    missing = [p for p in (CHROMIUM, CHROMEDRIVER) if not os.access(p, os.X_OK)]
    try:
        import selenium  # noqa: F401
    except ImportError:
        missing.append("selenium (pip)")
    if not missing:
        return
    message = f"browser tests need {', '.join(missing)}: apt-get install chromium chromium-driver"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    """``selfeval serve`` on a free port; yields (base URL, the bureau's password, the process)."""
    _need_browser()
    data = tmp_path_factory.mktemp("serve-data")
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-u", "-c", "import sys; from selfeval_xl.cli import main; "
                             "sys.exit(main())", "serve", "--port", str(port), "--data", str(data), "--no-browser"],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, encoding="utf-8")
    password = None
    for line in proc.stdout:
        if "bureau password" in line:
            password = line.rsplit(":", 1)[1].strip()
        if "网页地址" in line:
            break
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.1)
    yield f"http://127.0.0.1:{port}", password, proc
    proc.terminate()
    proc.wait(10)


@pytest.fixture(scope="session")
def browser(server, tmp_path_factory):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}")
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(180)
    yield driver
    driver.quit()


@pytest.fixture(scope="session")
def links(server, browser):
    """The bureau logs in and creates a collection of two 单位; their links as the dashboard shows them."""
    from selenium.webdriver.common.by import By

    base, password, _ = server
    browser.get(f"{base}/admin")
    browser.find_element(By.ID, "password").send_keys(password)
    click_through(browser, "login")
    browser.find_element(By.ID, "year").send_keys("2024")
    browser.find_element(By.ID, "title").send_keys("2024 年度项目支出绩效自评")
    browser.find_element(By.ID, "units").send_keys("广州市档案发展中心\n广州市第二单位\n广州市第三单位")
    click_through(browser, "create")
    rows = browser.find_elements(By.CSS_SELECTOR, "tr.unit")
    found = {r.get_attribute("data-unit"): r.find_element(By.CSS_SELECTOR, "code.link").text for r in rows}
    assert len(found) == 3 and all(link.startswith(f"{base}/u/") for link in found.values())
    return {"dashboard": browser.current_url, **found}


def upload(browser, *paths: Path) -> None:
    """Choose the files, press 上传并检查, and wait for the next page."""
    from selenium.webdriver.common.by import By

    browser.find_element(By.ID, "file").send_keys("\n".join(str(p) for p in paths))
    click_through(browser, "upload")


def click_through(browser, button_id: str) -> None:
    """Press a form's button and wait until the next page has loaded (a click does not wait for it)."""
    from selenium.common.exceptions import WebDriverException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    browser.execute_script("window.selfevalOldPage = true")       # gone once the next page has loaded
    browser.find_element(By.ID, button_id).click()
    WebDriverWait(browser, 300, poll_frequency=0.2, ignored_exceptions=(WebDriverException,)).until(
        lambda b: b.execute_script("return !window.selfevalOldPage && document.readyState === 'complete'"))


def shot(browser, name: str) -> None:
    folder = os.environ.get("SELFEVAL_SCREENSHOTS")
    if folder:
        browser.save_screenshot(str(Path(folder) / name))


def headline(browser) -> dict[str, int]:
    from selenium.webdriver.common.by import By

    return {e.get_attribute("id")[2:]: int(e.text) for e in browser.find_elements(By.CSS_SELECTOR, "p.counts b")}


def test_a_unit_fixes_a_wrong_table_and_the_dashboard_counts_it_once(server, browser, links, tmp_path):
    from selenium.webdriver.common.by import By

    wrong = build_project(tmp_path / "声像档案专辑制作项目自评表.xlsx", edits={("ind", 0, "score"): WRONG_SCORE})
    bad_cell = wrong.ref(("ind", 0, "score"))
    browser.get(links["广州市档案发展中心"])
    upload(browser, wrong.path)
    marked = browser.find_elements(By.CSS_SELECTOR, "table.grid td.error")
    assert bad_cell in [td.get_attribute("data-ref") for td in marked]
    findings = [li.text for li in browser.find_elements(By.CSS_SELECTOR, "li.finding")]
    assert any(bad_cell in text and "得分" in text for text in findings), findings
    assert "总分" in browser.find_element(By.CSS_SELECTOR, "span.score").text
    shot(browser, "web-unit.png")

    browser.get(links["dashboard"])
    assert headline(browser) == {"expected": 3, "submitted": 1, "missing": 2, "errors": 1, "clean": 0, "tables": 1}

    fixed = build_project(tmp_path / "声像档案专辑制作项目自评表（修改后）.xlsx")
    browser.get(links["广州市档案发展中心"])
    upload(browser, fixed.path)
    assert not browser.find_elements(By.CSS_SELECTOR, "table.grid td.error")
    rows = browser.find_elements(By.CSS_SELECTOR, "#submissions tr.latest, #submissions tr.old")
    assert [r.get_attribute("class") for r in rows] == ["latest", "old"]

    browser.get(links["dashboard"])
    assert headline(browser) == {"expected": 3, "submitted": 1, "missing": 2, "errors": 0, "clean": 1, "tables": 1}
    row = browser.find_element(By.CSS_SELECTOR, 'tr.unit[data-unit="广州市档案发展中心"]')
    assert "修改后" in row.find_element(By.CSS_SELECTOR, "td.latest").text
    assert row.find_element(By.CSS_SELECTOR, "td.earlier").text == "1"


def test_a_second_unit_cannot_see_the_first_units_files(server, browser, links, tmp_path):
    from selenium.webdriver.common.by import By

    first, second = links["广州市档案发展中心"], links["广州市第二单位"]
    browser.get(first)
    upload(browser, build_project(tmp_path / "第一单位的表.xlsx").path)
    own = [a.get_attribute("href") for a in browser.find_elements(By.CSS_SELECTOR, "#submissions a")]
    assert own and all(href.startswith(first + "/s/") for href in own)

    browser.get(second)
    assert "第一单位的表" not in browser.page_source
    for href in own:
        browser.get(href.replace(first, second))
        assert "404" in browser.title and "第一单位的表" not in browser.page_source


def test_a_30_mb_upload_gets_413_and_the_server_keeps_serving(server, browser, tmp_path):
    from selenium.webdriver.common.by import By

    base, _, proc = server
    big = tmp_path / "big.xlsx"
    with big.open("wb") as handle:
        handle.truncate(30 * 1024 * 1024)
    with socket.create_connection(("127.0.0.1", int(base.rsplit(":", 1)[1]))) as s:
        s.sendall(b"POST /api/check HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: multipart/form-data; boundary=b\r\n"
                  b"Content-Length: %d\r\n\r\n" % big.stat().st_size)
        assert s.recv(200).startswith(b"HTTP/1.1 413")       # answered from the header: nothing read
    browser.get(base)
    upload(browser, big)
    assert browser.current_url.endswith("/check")
    assert "过大" in browser.find_element(By.TAG_NAME, "body").text
    browser.get(base)
    assert browser.find_element(By.ID, "upload").is_displayed()
    assert proc.poll() is None


def test_hostile_workbooks_get_their_verdict(server, browser, tmp_path):
    from openpyxl import Workbook
    from selenium.webdriver.common.by import By

    base, _, proc = server
    far = Workbook()
    far.active["A1"] = "项目支出绩效自评表"
    far.active["XFD1048576"] = 1
    far.save(tmp_path / "far-cell.xlsx")
    (tmp_path / "corrupt.xlsx").write_bytes(b"PK\x03\x04" + os.urandom(4000))
    browser.get(base)
    upload(browser, tmp_path / "far-cell.xlsx", tmp_path / "corrupt.xlsx")
    cards = browser.find_elements(By.CSS_SELECTOR, "div.card[id^=result-]")
    assert len(cards) == 2
    for card in cards:
        verdicts = [li.get_attribute("data-code") for li in card.find_elements(By.CSS_SELECTOR, "li.finding")]
        # the size guard refuses a far cell before any reader allocates (sheet-too-large, so no table)
        assert verdicts and set(verdicts) <= {"unreadable", "check-failed", "sheet-too-large", "no-table"}, verdicts
    assert proc.poll() is None
    browser.get(base)
    assert browser.find_element(By.ID, "upload").is_displayed()


def test_a_zip_runs_in_the_background_with_progress_on_the_page(server, browser, links, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    bundle = tmp_path / "第三单位全部.zip"
    with zipfile.ZipFile(bundle, "w") as zf:
        for n in range(3):
            wrong = {("ind", 0, "score"): WRONG_SCORE} if n == 1 else {}
            built = build_project(tmp_path / f"p{n}.xlsx", edits={("field", "project_name"): f"项目{n}", **wrong})
            zf.write(built.path, f"表/项目{n}.xlsx")
    browser.get(links["广州市第三单位"])
    upload(browser, bundle)
    assert browser.find_elements(By.CSS_SELECTOR, "div.job")
    WebDriverWait(browser, 300, poll_frequency=0.5).until(
        lambda b: "已完成" in b.find_element(By.CSS_SELECTOR, "div.job").text)
    names = [a.text for a in browser.find_elements(By.CSS_SELECTOR, "#submissions a")]
    assert sorted(names) == ["项目0.xlsx", "项目1.xlsx", "项目2.xlsx"]
    assert re.search(r"已检查 3 / 3", browser.find_element(By.CSS_SELECTOR, "div.job").text)
    browser.get(links["dashboard"])
    row = browser.find_element(By.CSS_SELECTOR, 'tr.unit[data-unit="广州市第三单位"]')
    assert "有错误" in row.find_element(By.CSS_SELECTOR, "td.state").text
    assert len(row.find_elements(By.CSS_SELECTOR, "td.latest a")) == 3
    shot(browser, "web-dashboard.png")


def test_without_chromium_ci_fails_and_a_desk_skips(monkeypatch):
    monkeypatch.setattr(sys.modules[__name__], "CHROMIUM", "/nonexistent/chromium")
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="chromium"):
        _need_browser()
    monkeypatch.setenv("CI", "")
    with pytest.raises(pytest.skip.Exception):
        _need_browser()


def test_a_name_rebound_to_this_pc_is_refused(server):
    base, _, _ = server
    port = int(base.rsplit(":", 1)[1])
    for host, status in ((b"evil.example", b"400"), (f"127.0.0.1:{port}".encode(), b"200")):
        with socket.create_connection(("127.0.0.1", port)) as s:
            s.sendall(b"GET / HTTP/1.1\r\nHost: " + host + b"\r\nConnection: close\r\n\r\n")
            assert s.recv(100).split()[1] == status, host


def _login(browser, base: str, password: str) -> None:
    from selenium.webdriver.common.by import By

    browser.get(f"{base}/admin")
    if browser.find_elements(By.ID, "password"):
        browser.find_element(By.ID, "password").send_keys(password)
        click_through(browser, "login")


def _fetch(browser, url: str) -> tuple[int, bytes]:
    """GET ``url`` with the browser's cookies (a download the test opens itself)."""
    import urllib.error
    import urllib.request

    cookie = "; ".join(f"{c['name']}={c['value']}" for c in browser.get_cookies())
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers={"Cookie": cookie}), timeout=60) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def _row(browser, unit: str):
    from selenium.webdriver.common.by import By

    return browser.find_element(By.CSS_SELECTOR, f'tr.unit[data-unit="{unit}"]')


def _press(browser, element) -> None:
    """Click a button inside a row and wait for the next page (the button has no id of its own)."""
    from selenium.common.exceptions import WebDriverException
    from selenium.webdriver.support.ui import WebDriverWait

    browser.execute_script("window.selfevalOldPage = true")
    element.click()
    WebDriverWait(browser, 300, poll_frequency=0.2, ignored_exceptions=(WebDriverException,)).until(
        lambda b: b.execute_script("return !window.selfevalOldPage && document.readyState === 'complete'"))


def _confirmed(browser, element, accept: bool) -> None:
    """Press a button that asks first; answer the browser's question."""
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import WebDriverWait

    browser.execute_script("window.selfevalOldPage = true")
    element.click()
    alert = WebDriverWait(browser, 10).until(expected_conditions.alert_is_present())
    assert "确定" in alert.text
    if not accept:
        alert.dismiss()
        return
    alert.accept()
    WebDriverWait(browser, 60, poll_frequency=0.2).until(
        lambda b: b.execute_script("return !window.selfevalOldPage && document.readyState === 'complete'"))


def test_the_bureau_runs_a_whole_round_in_the_browser(server, browser, tmp_path):
    """Create, send the links (copy, the .xlsx list), upload, 退回 with a comment, 重报, 通过, download the
    zip, revoke (asked first), close (asked first) — all in the browser, as a bureau without a terminal."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    base, password, _ = server
    _login(browser, base, password)
    browser.find_element(By.ID, "year").send_keys("2025")
    browser.find_element(By.ID, "title").send_keys("2025 年度收集轮次")
    browser.find_element(By.ID, "units").send_keys("市文化馆\n市图书馆")
    click_through(browser, "create")
    dashboard = browser.current_url
    links = {r.get_attribute("data-unit"): r.find_element(By.CSS_SELECTOR, "code.link").text
             for r in browser.find_elements(By.CSS_SELECTOR, "tr.unit")}
    assert set(links) == {"市文化馆", "市图书馆"} and all(v.startswith(f"{base}/u/") for v in links.values())
    assert browser.find_element(By.ID, "loopback").is_displayed()          # links at 127.0.0.1: warned

    copy = _row(browser, "市文化馆").find_element(By.CSS_SELECTOR, "button.copy")
    copy.click()
    WebDriverWait(browser, 5).until(lambda b: copy.text == "已复制")
    status, content = _fetch(browser, f"{dashboard}/links.xlsx")
    sheet = __import__("openpyxl").load_workbook(__import__("io").BytesIO(content))["提交链接"]
    assert status == 200 and [r[:3] for r in sheet.iter_rows(min_row=2, values_only=True)] == [
        ("市文化馆", links["市文化馆"], "未提交"), ("市图书馆", links["市图书馆"], "未提交")]

    # the 单位 sends a wrong table; the bureau returns it with a comment
    wrong = build_project(tmp_path / "文化馆项目自评表.xlsx", edits={("ind", 0, "score"): WRONG_SCORE})
    browser.get(links["市文化馆"])
    upload(browser, wrong.path)
    assert browser.find_element(By.ID, "round").get_attribute("data-status") == "已提交"
    assert browser.find_element(By.ID, "verdict").text.count("文化馆项目自评表.xlsx") == 1
    browser.get(dashboard)
    row = _row(browser, "市文化馆")
    assert row.get_attribute("data-status") == "已提交"
    row.find_element(By.CSS_SELECTOR, "details.return summary").click()
    row.find_element(By.CSS_SELECTOR, "details.return textarea").send_keys("人物专辑得分应为 15 分，请改正后重报")
    _press(browser, row.find_element(By.CSS_SELECTOR, "details.return button"))
    assert _row(browser, "市文化馆").get_attribute("data-status") == "已退回"
    _row(browser, "市文化馆").find_element(By.CSS_SELECTOR, "details.more summary").click()
    shot(browser, "web-dashboard-round.png")

    # the 单位 reads the comment and sends the table again
    browser.get(links["市文化馆"])
    assert "人物专辑得分应为 15 分" in browser.find_element(By.ID, "returned").text
    shot(browser, "web-returned.png")
    upload(browser, build_project(tmp_path / "文化馆项目自评表（改）.xlsx").path)
    assert browser.find_element(By.ID, "round").get_attribute("data-status") == "已重报"

    # the bureau accepts; the 单位 can send no more
    browser.get(dashboard)
    _press(browser, _row(browser, "市文化馆").find_element(By.CSS_SELECTOR, "button.accept"))
    assert _row(browser, "市文化馆").get_attribute("data-status") == "已通过"
    browser.get(links["市文化馆"])
    assert "已通过" in browser.find_element(By.ID, "refusal").text and not browser.find_elements(By.ID, "upload")

    # one zip of every 单位's latest files, built in the background
    browser.get(dashboard)
    click_through(browser, "make-zip")
    WebDriverWait(browser, 120, poll_frequency=0.5).until(lambda b: b.find_elements(By.ID, "get-zip"))
    status, content = _fetch(browser, browser.find_element(By.ID, "get-zip").get_attribute("href"))
    with zipfile.ZipFile(__import__("io").BytesIO(content)) as zf:
        assert status == 200 and sorted(zf.namelist()) == ["市文化馆/文化馆项目自评表（改）.xlsx",
                                                           "市文化馆/文化馆项目自评表（改）_已评分.xlsx"]

    # revoking asks first: "no" keeps the link, "yes" ends it
    revoke = _row(browser, "市图书馆").find_element(By.CSS_SELECTOR, "button.revoke")
    _confirmed(browser, revoke, accept=False)
    browser.execute_script("window.selfevalOldPage = false")
    assert _fetch(browser, links["市图书馆"])[0] == 200
    _confirmed(browser, _row(browser, "市图书馆").find_element(By.CSS_SELECTOR, "button.revoke"), accept=True)
    assert _fetch(browser, links["市图书馆"])[0] == 404

    # closing asks first, then the collection is read-only
    _confirmed(browser, browser.find_element(By.ID, "close"), accept=False)
    browser.execute_script("window.selfevalOldPage = false")
    assert not browser.find_elements(By.ID, "closed")
    _confirmed(browser, browser.find_element(By.ID, "close"), accept=True)
    assert browser.find_element(By.ID, "closed").is_displayed()
    assert not browser.find_elements(By.CSS_SELECTOR, "button.accept, details.return, #make-zip[disabled]")
    log = [tr.text for tr in browser.find_elements(By.CSS_SELECTOR, "#audit tr.entry")]
    for what in ("创建收集", "已提交 → 已退回", "已退回 → 已重报", "已重报 → 已通过", "收回链接", "结束收集"):
        assert any(what in line for line in log), what
    shot(browser, "web-round.png")
    browser.get(links["市文化馆"])
    assert "已结束" in browser.find_element(By.ID, "refusal").text


def test_the_review_round_in_the_browser_draw_sheet_filled_report(server, browser, links, tmp_path):
    """The bureau's 复核 tab: draw (a key project by hand, a seed), download the 底稿 through the browser,
    fill it with openpyxl as a reviewer would, upload it, and read each 单位's 复核结论 on the page; a
    workbook that is not a 底稿 is refused in Chinese."""
    from openpyxl import load_workbook
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    from selfeval_xl.review.columns import LETTER, META, META_COLUMNS

    tables = [build_project(tmp_path / f"{name}.xlsx", edits={("field", "project_name"): name}).path
              for name in ("复核甲项目", "复核乙项目")]
    browser.get(links["广州市第二单位"])
    upload(browser, *tables)
    browser.get(links["dashboard"])
    click_through(browser, "review-tab")
    browser.find_element(By.ID, "n").clear()
    browser.find_element(By.ID, "n").send_keys("2")
    browser.find_element(By.ID, "seed").send_keys("11")
    browser.find_element(By.CSS_SELECTOR, "#keys summary").click()
    browser.find_element(By.CSS_SELECTOR, 'input[name=key][value$="/复核乙项目"]').click()
    click_through(browser, "make-draw")
    card = browser.find_elements(By.CSS_SELECTOR, "div.draw")[0]
    draw_id = card.get_attribute("id").removeprefix("draw-")
    rows = [r.text for r in card.find_elements(By.CSS_SELECTOR, "tr.drawn-row")]
    assert len(rows) == 2 and rows[0].startswith("1 重点") and "复核乙项目" in rows[0], rows
    assert card.find_element(By.CSS_SELECTOR, ".seed").text == "11"

    downloads = tmp_path / "downloads"
    downloads.mkdir()
    browser.execute_cdp_cmd("Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)})
    browser.find_element(By.ID, f"sheet-{draw_id}").click()
    WebDriverWait(browser, 60, poll_frequency=0.2).until(
        lambda b: [p for p in downloads.glob("*.xlsx") if not p.name.endswith(".crdownload")])
    (sheet,) = downloads.glob("*.xlsx")
    assert "复核底稿" in sheet.name
    wb = load_workbook(sheet)
    info = dict(zip(META_COLUMNS, next(wb[META].iter_rows(min_row=2, values_only=True))))
    wb[info["sheet"]][f"{LETTER['basis']}{info['first'] + 1}"] = "K01 无佐证材料"
    filled = tmp_path / "填好的复核底稿.xlsx"
    wb.save(filled)

    browser.find_element(By.ID, f"filled-file-{draw_id}").send_keys(str(filled))
    click_through(browser, f"upload-filled-{draw_id}")
    conclusions = browser.find_elements(By.CSS_SELECTOR, "div.review-report tr.conclusion")
    assert conclusions and all("抽查复核" in c.text and "自评平均" in c.text for c in conclusions)
    assert "P0 1" in browser.find_element(By.CSS_SELECTOR, "div.review-report p.levels").text

    # 发布: the 单位 sees its 复核结论 on its own page, another 单位 sees nothing; 撤回发布 takes it back
    def share_button():
        return browser.find_element(By.CSS_SELECTOR, 'table.publish tr.share[data-unit="广州市第二单位"] button')

    _confirmed(browser, share_button(), accept=False)
    assert share_button().text == "发布"
    _confirmed(browser, share_button(), accept=True)
    assert share_button().text == "撤回发布"
    assert "已发布" in browser.find_element(By.CSS_SELECTOR, 'tr.share[data-unit="广州市第二单位"]').text
    shot(browser, "web-review.png")
    browser.get(links["广州市第二单位"])
    published = browser.find_element(By.ID, "review-published")
    assert "抽查复核" in published.text and "K01 无佐证材料" in published.text
    assert [r.text.split()[0] for r in published.find_elements(By.CSS_SELECTOR, "tr.published-row")] \
        == ["复核乙项目"]                        # K01 only on the first table drawn: the key project's row
    browser.execute_script("arguments[0].scrollIntoView()", published)
    shot(browser, "web-review-unit.png")
    browser.get(links["广州市第三单位"])
    assert not browser.find_elements(By.ID, "review-published")
    browser.get(links["dashboard"])
    assert "发布复核结论" in browser.find_element(By.TAG_NAME, "body").text
    click_through(browser, "review-tab")
    _confirmed(browser, share_button(), accept=True)
    assert share_button().text == "发布"
    browser.get(links["广州市第二单位"])
    assert not browser.find_elements(By.ID, "review-published")
    browser.get(links["dashboard"])
    assert "撤回复核结论" in browser.find_element(By.TAG_NAME, "body").text
    click_through(browser, "review-tab")

    browser.find_element(By.ID, f"filled-file-{draw_id}").send_keys(str(tables[0]))
    click_through(browser, f"upload-filled-{draw_id}")
    assert "不是 selfeval review sheet 生成的复核底稿" in browser.find_element(By.ID, "review-error").text
