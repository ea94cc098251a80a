"""The received files kept in the workspace: the latest ones, and the original of a submission."""

from __future__ import annotations

from pathlib import Path

from .errors import UsageError


def recent_files(ws, limit: int = 10) -> list[dict]:
    rows = ws.store.recent_files(limit)
    return [{"id": fid, "name": name, "size": size, "received_at": (received or "")[:19].replace("T", " "),
             "imported_by": by or "", "units": (units or "").replace(",", "、"), "years": (years or "").replace(",", "、")}
            for fid, name, size, received, by, units, years in rows]


def original_file(ws, submission: int) -> tuple[str, Path]:
    row = ws.store.file_of_submission(submission)
    if row is None:
        raise UsageError(f"没有编号为 {submission} 的报表")
    name, rel = row
    path = (ws.root / rel).resolve()
    if ws.root.resolve() not in path.parents or not path.is_file():
        raise UsageError(f"工作区中找不到《{name}》的原件（{rel}）")
    return name, path
