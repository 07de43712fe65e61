"""``selfeval serve``: the web page for departments and the bureau, in the foreground.

Binds to 127.0.0.1 unless told otherwise; keeps its data (SQLite and the uploaded files) under
``--data``, by default a folder in the user's data directory. The bureau's password is shown once, when
it is made (first start, or ``--new-password``, which also ends every bureau session).
"""
from __future__ import annotations

import sys
from pathlib import Path
from urllib.parse import urlsplit

import click


LOOPBACK = ("127.0.0.1", "localhost", "::1")


def lan_address() -> str:
    """This PC's address on the office network (the interface a route out would use; nothing is sent),
    127.0.0.1 when there is none."""
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("10.255.255.255", 1))
            return probe.getsockname()[0]
        except OSError:
            return "127.0.0.1"


def links_url(public_url: str | None, host: str, port: int) -> str:
    """Where the 单位' links point: ``--public-url``, else the address the server is bound to (this PC's
    network address when bound to every interface)."""
    if public_url:
        parts = urlsplit(public_url.strip())
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise click.BadParameter("请写完整的网址，如 https://jx.example.gov.cn / a full http(s) URL",
                                     param_hint="--public-url")
        return public_url.strip().rstrip("/")
    shown = lan_address() if host in ("0.0.0.0", "::") else host
    return f"http://{f'[{shown}]' if ':' in shown else shown}:{port}"


def default_data_dir() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("selfeval-xl", appauthor=False)) / "web"


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="监听地址；局域网内共享请用 0.0.0.0 / address to listen on")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="端口 / port")
@click.option("--data", "data_dir", type=click.Path(file_okay=False, path_type=Path),
              help="数据文件夹（默认在用户数据目录中）/ data folder")
@click.option("--max-upload-mb", default=20, show_default=True, type=click.IntRange(1, 1024),
              help="单个上传的大小上限 / upload size limit")
@click.option("--public-url", help="各单位打开链接用的地址，如 https://jx.example.gov.cn（默认为本机监听的地址）"
                                   " / the address the 单位' links are given at")
@click.option("--keep-days", default=0, show_default=True, type=click.IntRange(0, 36500),
              help="提交的文件保留天数，过期自动删除；0 为一直保留 / delete submissions older than this (0: keep)")
@click.option("--new-password", is_flag=True, help="生成新的财政局管理口令（旧口令失效）/ new bureau password")
@click.option("--no-browser", is_flag=True, help="不自动打开浏览器 / do not open a browser")
def command(host: str, port: int, data_dir: Path | None, max_upload_mb: int, public_url: str | None, keep_days: int,
            new_password: bool, no_browser: bool) -> int:
    """启动网页：部门上传检查，财政局收集汇总 / start the web page for departments and the bureau."""
    import sqlite3

    import uvicorn

    from ..web.app import ADMIN_HASH, create_app, recover, set_admin_token
    from ..web.connections import bounded_protocol
    from ..web.limits import WebLimits
    from ..web.security import allowed_hosts
    from ..web.storage_errors import storage_problem, writable_problem
    from ..web.store import SqliteStore, new_token

    links = links_url(public_url, host, port)
    data_dir = data_dir or default_data_dir()
    problem = writable_problem(data_dir)
    if problem:
        raise click.ClickException(f"无法启动 / cannot start: {problem}")
    try:
        store = SqliteStore(data_dir)
        recover(store)
    except (OSError, sqlite3.Error) as exc:
        raise click.ClickException(f"无法启动 / cannot start: {storage_problem(exc) or exc}（{data_dir}）") from None
    if new_password or store.setting(ADMIN_HASH) is None:
        password = new_token()
        set_admin_token(store, password)
        click.echo(f"财政局管理口令（请妥善保存，只显示这一次）/ bureau password (shown once): {password}")
    url = f"http://{'127.0.0.1' if host in ('0.0.0.0', '::') else host}:{port}/"
    click.echo(f"数据文件夹 / data: {data_dir}")
    click.echo(f"单位提交链接的地址 / links at: {links}")
    if urlsplit(links).hostname in LOOPBACK:
        click.echo("注意：单位链接以 127.0.0.1 开头，只能在本机打开。要让各单位访问，请用 --host 0.0.0.0 启动，"
                   "或用 --public-url 指定对外地址 / warning: links at 127.0.0.1 open on this PC only", err=True)
    click.echo(f"网页地址 / open: {url}  （按 Ctrl+C 停止 / Ctrl+C to stop）")
    if not no_browser and sys.stdout.isatty():
        import threading
        import webbrowser
        threading.Timer(1.0, webbrowser.open, args=(url,)).start()
    limits = WebLimits(file_bytes=max_upload_mb * 1024 * 1024, keep_days=keep_days)
    uvicorn.run(create_app(store, hosts=allowed_hosts(host, links), limits=limits, public_url=links), host=host,
                port=port, http=bounded_protocol(limits), timeout_keep_alive=5, log_level="warning")
    return 0
