"""``selfeval serve``: the web page for departments and the bureau, in the foreground.

Binds to 127.0.0.1 unless told otherwise; keeps its data (SQLite and the uploaded files) under
``--data``, by default a folder in the user's data directory. The bureau's password is shown once, when
it is made (first start, or ``--new-password``, which also ends every bureau session).
"""
from __future__ import annotations

import sys
from pathlib import Path

import click


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
@click.option("--keep-days", default=0, show_default=True, type=click.IntRange(0, 36500),
              help="提交的文件保留天数，过期自动删除；0 为一直保留 / delete submissions older than this (0: keep)")
@click.option("--new-password", is_flag=True, help="生成新的财政局管理口令（旧口令失效）/ new bureau password")
@click.option("--no-browser", is_flag=True, help="不自动打开浏览器 / do not open a browser")
def command(host: str, port: int, data_dir: Path | None, max_upload_mb: int, keep_days: int,
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
    click.echo(f"网页地址 / open: {url}  （按 Ctrl+C 停止 / Ctrl+C to stop）")
    if not no_browser and sys.stdout.isatty():
        import threading
        import webbrowser
        threading.Timer(1.0, webbrowser.open, args=(url,)).start()
    limits = WebLimits(file_bytes=max_upload_mb * 1024 * 1024, keep_days=keep_days)
    uvicorn.run(create_app(store, hosts=allowed_hosts(host), limits=limits), host=host, port=port,
                http=bounded_protocol(limits), timeout_keep_alive=5, log_level="warning")
    return 0
