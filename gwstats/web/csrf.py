"""CSRF protection for every writing request (double-submit cookie, signed with the server's key).

A page carries the token in a hidden ``csrftoken`` field; the same token is in the ``gwstats_csrf``
cookie (SameSite=Strict). A POST is accepted only when the field matches the cookie's signed value
and, when the browser sends an Origin header, the origin is this server.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from functools import wraps
from urllib.parse import urlsplit

from starlette.requests import Request

COOKIE = "gwstats_csrf"
FIELD = "csrftoken"
REFUSED = "安全校验未通过（CSRF 令牌缺失或不符），请求已拒绝。请回到页面刷新后再操作。"


class CsrfError(Exception):
    pass


def _sign(key: bytes, nonce: str) -> str:
    return hmac.new(key, nonce.encode(), hashlib.sha256).hexdigest()


def token_for(request: Request) -> str:
    """The token for forms on this page (the cookie's nonce, new when the browser has none)."""
    nonce = getattr(request.state, "csrf_nonce", None)
    if nonce is None:
        nonce = request.cookies.get(COOKIE) or secrets.token_urlsafe(24)
        request.state.csrf_nonce = nonce
    return _sign(request.app.state.key, nonce)


def set_cookie(request: Request, response):
    nonce = getattr(request.state, "csrf_nonce", None)
    if nonce is not None and request.cookies.get(COOKIE) != nonce:
        response.set_cookie(COOKIE, nonce, httponly=True, samesite="strict", path="/")
    return response


def _same_origin(request: Request) -> bool:
    origin = request.headers.get("origin")
    if not origin or origin == "null":
        return origin is None
    return urlsplit(origin).netloc == request.headers.get("host", "")


async def verify(request: Request):
    form = await request.form()
    nonce = request.cookies.get(COOKIE)
    sent = form.get(FIELD)
    if not nonce or not isinstance(sent, str) or not _same_origin(request):
        raise CsrfError(REFUSED)
    if not hmac.compare_digest(sent, _sign(request.app.state.key, nonce)):
        raise CsrfError(REFUSED)


def protect(endpoint):
    """Decorator for POST endpoints: refuse (403) unless the CSRF check passes."""

    @wraps(endpoint)
    async def wrapper(request: Request):
        await verify(request)
        return await endpoint(request)

    return wrapper
