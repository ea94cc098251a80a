"""Access password for a server shared on the LAN (``--host 0.0.0.0 --password …``).

Without a password (the default on 127.0.0.1) every request passes. With one, a browser must log in
once (the login form, or ``?token=…`` in the address printed at start); it then carries a signed
``gwstats_auth`` cookie. Any other request is refused: a page is redirected to the login form, a
POST gets 403.
"""

from __future__ import annotations

import hashlib
import hmac

from starlette.responses import PlainTextResponse, RedirectResponse

COOKIE = "gwstats_auth"
OPEN_PATHS = ("/login", "/static/", "/fonts/")
REFUSED = "需要访问口令：请先在登录页输入口令。"


def cookie_value(key: bytes, password: str) -> str:
    return hmac.new(key, b"auth:" + password.encode(), hashlib.sha256).hexdigest()


def password_ok(given: str | None, password: str) -> bool:
    return isinstance(given, str) and hmac.compare_digest(given.encode(), password.encode())


class AuthMiddleware:
    """Pure ASGI middleware (it does not read the body, so upload streaming is untouched)."""

    def __init__(self, app, *, password: str, key: bytes):
        self.app = app
        self.password = password
        self.expected = cookie_value(key, password)

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        from starlette.requests import Request

        request = Request(scope)
        path = request.url.path
        if path.startswith(OPEN_PATHS) or hmac.compare_digest(request.cookies.get(COOKIE, ""), self.expected):
            return await self.app(scope, receive, send)
        token = request.query_params.get("token")
        if request.method == "GET" and password_ok(token, self.password):
            response = RedirectResponse(path, status_code=303)
            response.set_cookie(COOKIE, self.expected, httponly=True, samesite="strict", path="/")
            return await response(scope, receive, send)
        if request.method in ("GET", "HEAD"):
            response = RedirectResponse("/login?next=" + path, status_code=303)
        else:
            response = PlainTextResponse(REFUSED, status_code=403)
        return await response(scope, receive, send)
