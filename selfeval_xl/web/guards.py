"""ASGI guards around the whole app: the Host check, the size of a request's body and the pauses in it,
the cross-site request check, safe headers.

Why middleware, not a check in each handler: the size limit must act before any body is read (a body
over the form's limit is answered 413 from its Content-Length, or cut off once the streamed bytes pass
it, never held in memory; each file's own limit is the handler's, as the page says), a body that stops
arriving is answered 408 instead of holding its request, and the Host and origin checks must cover
every route without each one remembering to.
"""
from __future__ import annotations

import asyncio
from urllib.parse import urlsplit

from .limits import WebLimits
from .security import HostRule

DEFAULT_LIMIT = WebLimits.file_bytes
ONE_FILE = ("/api/check",)
"""Routes that take one file: their body may be that file and its multipart envelope, no more."""
ENVELOPE = 64 * 1024
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
HEADERS = [(b"x-content-type-options", b"nosniff"), (b"x-frame-options", b"DENY"),
           (b"referrer-policy", b"same-origin"),      # a 单位's link never leaks to another site
           (b"content-security-policy", b"default-src 'self'; img-src 'self' data:; style-src 'self' "
                                        b"'unsafe-inline'; frame-ancestors 'none'; form-action 'self'")]


async def _plain(send, status: int, text: str) -> None:
    body = text.encode("utf-8")
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"text/plain; charset=utf-8"),
                            (b"content-length", str(len(body)).encode()), (b"connection", b"close"), *HEADERS]})
    await send({"type": "http.response.body", "body": body})


def _header(scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key == name:
            return value.decode("latin-1")
    return None


class Guards:
    """Wraps the app: 400 for a Host that is not this server (``hosts``; None: any); 413 for bodies over
    the form's limit; 408 for a body that pauses too long; 403 for a state-changing request whose
    Origin (or, lacking one, Referer) is another site; a bureau request carrying neither is refused too."""

    def __init__(self, app, limits: WebLimits = WebLimits(), hosts: HostRule | None = None):
        self.app, self.limits, self.hosts = app, limits, hosts

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        if self.hosts is not None and not self.hosts.allows(_header(scope, b"host")):
            return await _plain(send, 400, "主机名不是本服务器 / this server does not answer to that host name")

        async def with_headers(message):
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), *HEADERS]}
            await send(message)

        if scope["method"] in SAFE_METHODS:
            return await self.app(scope, receive, with_headers)
        if not self._same_origin(scope):
            return await _plain(send, 403, "跨站请求被拒绝 / cross-site request refused")
        limit = self._limit(scope)
        length = _header(scope, b"content-length")
        if length is not None and (not length.isdigit() or int(length) > limit):
            return await _plain(send, 413, self._too_large(limit))
        return await self._limited(scope, receive, with_headers, limit)

    def _limit(self, scope) -> int:
        """A body's limit: one file and its envelope for the API, a form of files for the pages."""
        return self.limits.file_bytes + ENVELOPE if scope["path"] in ONE_FILE else self.limits.body_bytes

    def _too_large(self, limit: int) -> str:
        files = self.limits.form_files if limit > self.limits.file_bytes + ENVELOPE else 1
        return f"上传过大：一次最多 {files} 个文件、合计不超过 {limit // (1024 * 1024)} MB / upload too large"

    def _same_origin(self, scope) -> bool:
        host = _header(scope, b"host")
        origin = _header(scope, b"origin")
        if origin is None:
            referer = _header(scope, b"referer")
            if referer is None:       # not a browser form (curl, the API): only the bureau's pages need it
                return not scope["path"].startswith("/admin")
            origin = "{0.scheme}://{0.netloc}".format(urlsplit(referer))
        return host is not None and origin in (f"http://{host}", f"https://{host}")

    async def _limited(self, scope, receive, send, limit: int):
        """Count the body as it streams (a chunked upload has no Content-Length); past the limit, or
        after a pause of ``body_idle_seconds``, the app is told the client left, and whatever it
        answers is replaced by 413 (408 for the pause)."""
        state = {"received": 0, "over": False, "started": False, "status": 413, "body_done": False}

        async def counted():
            if state["over"]:
                return {"type": "http.disconnect"}
            if not state["body_done"]:          # while the body arrives, each part on a clock
                try:
                    message = await asyncio.wait_for(receive(), self.limits.body_idle_seconds)
                except asyncio.TimeoutError:
                    state["over"], state["status"] = True, 408
                    return {"type": "http.disconnect"}
            else:
                message = await receive()
            if message["type"] == "http.request":
                state["body_done"] = not message.get("more_body", False)
                state["received"] += len(message.get("body", b""))
                if state["received"] > limit:
                    state["over"] = True
                    return {"type": "http.disconnect"}
            return message

        async def answer(message):
            if not state["over"]:
                state["started"] = True
                return await send(message)
            if message["type"] == "http.response.start" and not state["started"]:
                state["started"] = True
                await _plain(send, state["status"], self._refusal(state["status"], limit))

        try:
            await self.app(scope, counted, answer)
        except Exception:
            if not state["over"]:
                raise
        if state["over"] and not state["started"]:
            await _plain(send, state["status"], self._refusal(state["status"], limit))

    def _refusal(self, status: int, limit: int) -> str:
        if status == 408:
            return f"上传中断：超过 {self.limits.body_idle_seconds:g} 秒未收到数据 / the upload stalled"
        return self._too_large(limit)
