"""The bureau's login: one password (stored hashed), a session cookie, every bureau page behind it."""
from __future__ import annotations

import hmac

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from .pages import page
from .state import app_state, form_of
from .store import Store, token_hash

ADMIN_COOKIE = "selfeval_admin"
ADMIN_HASH = "admin_token_hash"


def set_admin_token(store: Store, token: str) -> None:
    """Make ``token`` the bureau's password; every open bureau session ends."""
    store.set_setting(ADMIN_HASH, token_hash(token))
    store.end_sessions()


def need_admin(request: Request) -> None:
    """A bureau page without a valid session goes to the login."""
    session = request.cookies.get(ADMIN_COOKIE)
    if not (session and app_state(request).store.session_valid(session)):
        raise HTTPException(303, headers={"location": "/admin/login"})


def login_page(request: Request) -> Response:
    return page(request, "login.html", failed=False)


async def login(request: Request) -> Response:
    store = app_state(request).store
    form = await form_of(request)
    expected = store.setting(ADMIN_HASH)
    given = str(form.get("password", ""))
    if not expected or not given or not hmac.compare_digest(token_hash(given), expected):
        return page(request, "login.html", failed=True)
    response = RedirectResponse("/admin", status_code=303)
    response.set_cookie(ADMIN_COOKIE, store.new_session(), httponly=True, samesite="strict", path="/")
    return response


def logout(request: Request) -> Response:
    need_admin(request)
    app_state(request).store.end_session(request.cookies[ADMIN_COOKIE])
    response = RedirectResponse("/admin/login", status_code=303)
    response.delete_cookie(ADMIN_COOKIE, path="/")
    return response


ROUTES = [Route("/admin/login", login_page), Route("/admin/login", login, methods=["POST"]),
          Route("/admin/logout", logout, methods=["POST"])]
