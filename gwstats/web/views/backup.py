"""备份: one consistent copy of the store (Workspace.backup: SQLite's online backup, safe during an
import), written to ``<workspace>/备份/`` and offered as a download, so the clerk can keep it on a USB
stick or another computer. Files are served from that folder only."""

from __future__ import annotations

import datetime as dt
import re

from starlette.requests import Request
from starlette.responses import FileResponse, PlainTextResponse, RedirectResponse
from starlette.routing import Route

from gwstats.web import csrf

BACKUP_DIR = "备份"
NAME_RE = re.compile(r"^[^/\\\x00-\x1f]{1,120}\.sqlite$")


def _backup(ws) -> str:
    from gwstats.forms.template import safe_filename

    folder = ws.root / BACKUP_DIR
    folder.mkdir(exist_ok=True)
    name = f"{safe_filename(ws.config.organisation)}-备份-{dt.datetime.now():%Y%m%d-%H%M%S}.sqlite"
    return ws.backup(folder / name).name


def find(ws, name: str) -> dict | None:
    """The backup ``name`` in the backup folder (its path and size), None for any other name."""
    if not isinstance(name, str) or not NAME_RE.match(name) or name.startswith("."):
        return None
    path = ws.root / BACKUP_DIR / name
    if not path.is_file():
        return None
    return {"name": name, "path": str(path), "href": "/backup/" + name, "size": f"{path.stat().st_size / 1024:,.0f} KB"}


@csrf.protect
async def make(request: Request):
    from urllib.parse import quote

    name = await request.app.state.web.read(_backup)  # a read of the store: it does not wait for an import
    return RedirectResponse("/settings?backup=" + quote(name), status_code=303)


async def download(request: Request):
    found = await request.app.state.web.read(find, request.path_params["name"])
    if found is None:
        return PlainTextResponse("没有这个备份文件。", status_code=404)
    return FileResponse(found["path"], media_type="application/vnd.sqlite3", filename=found["name"])


routes = [Route("/backup", make, methods=["POST"]), Route("/backup/{name}", download, methods=["GET"])]
