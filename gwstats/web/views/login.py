"""登录 (only when the server has a password): the form, and the POST that sets the cookie."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse
from starlette.routing import Route

from gwstats.web import auth
from gwstats.web import csrf
from gwstats.web.pages import render


def _next(target: str | None) -> str:
    return target if target and target.startswith("/") and not target.startswith("//") and "\\" not in target else "/"


async def page(request: Request):
    ctx = {"organisation": "gwstats", "nav": [], "year": None, "years": [], "next": _next(request.query_params.get("next"))}
    return render(request, "login.html", ctx)


@csrf.protect
async def submit(request: Request):
    web = request.app.state.web
    form = await request.form()
    target = _next(form.get("next"))
    if web.password is None:
        return RedirectResponse(target, status_code=303)
    if not auth.password_ok(form.get("password"), web.password):
        ctx = {"organisation": "gwstats", "nav": [], "year": None, "years": [], "next": target, "error": "口令不对，请重新输入。"}
        return render(request, "login.html", ctx, status_code=403)
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(auth.COOKIE, auth.cookie_value(request.app.state.key, web.password), httponly=True,
                        samesite="strict", path="/")
    return response


routes = [Route("/login", page, methods=["GET"]), Route("/login", submit, methods=["POST"])]
