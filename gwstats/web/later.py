"""The request that waits for what a placeholder stands for (templates/later.html, static/later.js)."""

from __future__ import annotations

from urllib.parse import urlencode

from starlette.requests import Request


def later_url(request: Request) -> str:
    """This page's address with ``wait=1``: the page computed, however long it takes."""
    params = [(k, v) for k, v in request.query_params.multi_items() if k != "wait"] + [("wait", "1")]
    return f"{request.url.path}?{urlencode(params)}"
