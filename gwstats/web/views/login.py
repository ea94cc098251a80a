"""登录 and 退出 (only when the server has a password): the form asks for the colleague's name and the
password; a right password starts a session (auth.Sessions), wrong ones are limited (auth.Throttle)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse
from starlette.routing import Route

from gwstats.web import auth
from gwstats.web import csrf
from gwstats.web.pages import render


def _next(target: str | None) -> str:
    return target if target and target.startswith("/") and not target.startswith("//") and "\\" not in target else "/"


def _form(request: Request, status: int = 200, **extra):
    ctx = {"organisation": "gwstats", "nav": [], "year": None, "years": [], **extra}
    ctx.setdefault("next", _next(request.query_params.get("next")))
    return render(request, "login.html", ctx, status_code=status)


async def page(request: Request):
    return _form(request)


def _address(request: Request) -> str:
    return request.client.host if request.client else "?"


@csrf.protect
async def submit(request: Request):
    web = request.app.state.web
    form = await request.form()
    target = _next(form.get("next"))
    if web.password is None:
        return RedirectResponse(target, status_code=303)
    throttle: auth.Throttle = request.app.state.throttle
    addr, name = _address(request), auth.clean_name(form.get("name"))
    again = {"next": target, "name": name}
    left = throttle.wait_left(addr)
    if left > 0:  # waiting: not even a right password is tried
        return _form(request, 429, error=auth.wait_text(left), **again)
    if not auth.password_ok(form.get("password"), web.password):
        wait = throttle.failed(addr)
        return _form(request, 429 if wait else 403, error=auth.wait_text(wait) if wait else "口令不对，请重新输入。", **again)
    if not name:
        return _form(request, 400, error="请填写您的姓名（导入的报表会记下是谁导入的）。", **again)
    throttle.succeeded(addr)
    sessions: auth.Sessions = request.app.state.sessions
    sessions.end(request.cookies.get(auth.COOKIE))  # a new id at each login
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(auth.COOKIE, sessions.start(name), httponly=True, samesite="strict", path="/")
    return response


@csrf.protect
async def logout(request: Request):
    request.app.state.sessions.end(request.cookies.get(auth.COOKIE))
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(auth.COOKIE, path="/", httponly=True, samesite="strict")
    return response


routes = [Route("/login", page, methods=["GET"]), Route("/login", submit, methods=["POST"]),
          Route("/logout", logout, methods=["POST"])]
