"""Access password for a server shared on the LAN (``--host 0.0.0.0`` with a password).

Without a password (the default on 127.0.0.1) every request passes, with no login. With one, a
colleague logs in once on the login form with the password and their name; the server then keeps a
session under a random id, in memory only, and the browser carries that id in the ``gwstats_session``
cookie (HttpOnly, SameSite=Strict). The password never travels in an address, so it stays out of
browser history. 退出 ends the session; a server restart ends them all. The name given at login is
recorded with every file that colleague imports (导入记录, 概览).

Wrong passwords are limited per client address (:class:`Throttle`): after ``FREE_TRIES`` wrong tries
the address must wait ``FIRST_WAIT`` seconds, and each wrong try after a wait doubles it (up to
``MAX_WAIT``). Any other request without a session is refused: a page is redirected to the login
form, a POST gets 403.
"""

from __future__ import annotations

import hmac
import secrets
import threading
import time

from starlette.responses import PlainTextResponse, RedirectResponse

COOKIE = "gwstats_session"
OPEN_PATHS = ("/login", "/static/", "/fonts/")
REFUSED = "需要登录：请先在登录页输入姓名和访问口令。"
IDLE_SECONDS = 12 * 3600  # a session unused this long ends (a browser left open overnight logs in again)
MAX_NAME = 20
FREE_TRIES = 5
FIRST_WAIT = 60.0
MAX_WAIT = 3600.0


def password_ok(given: str | None, password: str) -> bool:
    return isinstance(given, str) and hmac.compare_digest(given.encode(), password.encode())


def clean_name(raw) -> str:
    """The colleague's name as given at login: spaces and control characters out, at most MAX_NAME characters."""
    text = "".join(ch for ch in str(raw or "") if ch.isprintable()).strip()
    return " ".join(text.split())[:MAX_NAME]


class Sessions:
    """Logged-in browsers: random id -> the colleague's name, kept in this process only."""

    def __init__(self, clock=time.monotonic):
        self.clock = clock
        self._by_id: dict[str, dict] = {}
        self._lock = threading.Lock()

    def start(self, name: str) -> str:
        sid = secrets.token_urlsafe(32)
        with self._lock:
            self._by_id[sid] = {"name": name, "seen": self.clock()}
        return sid

    def name(self, sid: str | None) -> str | None:
        """The name of a live session (its idle time starts again), None for an unknown or ended one."""
        if not sid:
            return None
        now = self.clock()
        with self._lock:
            s = self._by_id.get(sid)
            if s is None:
                return None
            if now - s["seen"] > IDLE_SECONDS:
                del self._by_id[sid]
                return None
            s["seen"] = now
            return s["name"]

    def end(self, sid: str | None):
        with self._lock:
            self._by_id.pop(sid or "", None)


class Throttle:
    """Wrong passwords per client address: FREE_TRIES free, then a wait that doubles with each wrong try."""

    def __init__(self, clock=time.monotonic):
        self.clock = clock
        self._by_addr: dict[str, dict] = {}
        self._lock = threading.Lock()

    def wait_left(self, addr: str) -> float:
        """Seconds this address must still wait before its next try (0: it may try)."""
        with self._lock:
            s = self._by_addr.get(addr)
            return max(0.0, s["until"] - self.clock()) if s else 0.0

    def failed(self, addr: str) -> float:
        """Count a wrong try; returns the wait it now has (0 while tries are left)."""
        with self._lock:
            s = self._by_addr.setdefault(addr, {"wrong": 0, "until": 0.0})
            s["wrong"] += 1
            over = s["wrong"] - FREE_TRIES
            if over < 0:
                return 0.0
            wait = min(MAX_WAIT, FIRST_WAIT * 2 ** over)
            s["until"] = self.clock() + wait
            return wait

    def succeeded(self, addr: str):
        with self._lock:
            self._by_addr.pop(addr, None)


def wait_text(seconds: float) -> str:
    seconds = int(seconds + 0.999)
    shown = f"{seconds} 秒" if seconds < 120 else f"{(seconds + 59) // 60} 分钟"
    return f"口令输错的次数太多，请 {shown}后再试。忘了口令请问启动 gwstats 的同事。"


def user_of(request) -> str | None:
    """The logged-in colleague's name (None without a password: the computer's account is recorded)."""
    return request.scope.get("state", {}).get("gwstats_user")


class AuthMiddleware:
    """Pure ASGI middleware (it does not read the body, so upload streaming is untouched)."""

    def __init__(self, app, *, sessions: Sessions):
        self.app = app
        self.sessions = sessions

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        from starlette.requests import Request

        request = Request(scope)
        name = self.sessions.name(request.cookies.get(COOKIE))
        if name is not None:
            scope.setdefault("state", {})["gwstats_user"] = name
        if name is not None or request.url.path.startswith(OPEN_PATHS):
            return await self.app(scope, receive, send)
        if request.method in ("GET", "HEAD"):
            response = RedirectResponse("/login?next=" + request.url.path, status_code=303)
        else:
            response = PlainTextResponse(REFUSED, status_code=403)
        return await response(scope, receive, send)
