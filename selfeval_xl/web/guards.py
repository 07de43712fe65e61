"""ASGI guards around the whole app: the upload size limit, the cross-site request check, safe headers.

Why middleware, not a check in each handler: the size limit must act before any body is read (a 30 MB
upload is answered 413 from its Content-Length, or cut off once the streamed bytes pass the limit,
never held in memory), and the origin check must cover every form without each one remembering to.
"""
from __future__ import annotations

from urllib.parse import urlsplit

DEFAULT_LIMIT = 20 * 1024 * 1024
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
    """Wraps the app: 413 for bodies over ``limit``; 403 for a state-changing request whose Origin (or,
    lacking one, Referer) is another site; a bureau request carrying neither is refused too."""

    def __init__(self, app, limit: int = DEFAULT_LIMIT):
        self.app, self.limit = app, limit

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def with_headers(message):
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), *HEADERS]}
            await send(message)

        if scope["method"] in SAFE_METHODS:
            return await self.app(scope, receive, with_headers)
        if not self._same_origin(scope):
            return await _plain(send, 403, "跨站请求被拒绝 / cross-site request refused")
        length = _header(scope, b"content-length")
        if length is not None and (not length.isdigit() or int(length) > self.limit):
            return await _plain(send, 413, self._too_large())
        return await self._limited(scope, receive, with_headers)

    def _too_large(self) -> str:
        return f"文件过大：上传不能超过 {self.limit // (1024 * 1024)} MB / upload too large"

    def _same_origin(self, scope) -> bool:
        host = _header(scope, b"host")
        origin = _header(scope, b"origin")
        if origin is None:
            referer = _header(scope, b"referer")
            if referer is None:       # not a browser form (curl, the API): only the bureau's pages need it
                return not scope["path"].startswith("/admin")
            origin = "{0.scheme}://{0.netloc}".format(urlsplit(referer))
        return host is not None and origin in (f"http://{host}", f"https://{host}")

    async def _limited(self, scope, receive, send):
        """Count the body as it streams (a chunked upload has no Content-Length); past the limit the
        app is told the client left, and whatever it answers is replaced by 413."""
        state = {"received": 0, "over": False, "started": False}

        async def counted():
            if state["over"]:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                state["received"] += len(message.get("body", b""))
                if state["received"] > self.limit:
                    state["over"] = True
                    return {"type": "http.disconnect"}
            return message

        async def answer(message):
            if not state["over"]:
                state["started"] = True
                return await send(message)
            if message["type"] == "http.response.start" and not state["started"]:
                state["started"] = True
                await _plain(send, 413, self._too_large())

        try:
            await self.app(scope, counted, answer)
        except Exception:
            if not state["over"]:
                raise
        if state["over"] and not state["started"]:
            await _plain(send, 413, self._too_large())
