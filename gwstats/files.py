"""The received files kept in the workspace: the latest ones, and the original of a submission."""

from __future__ import annotations

from pathlib import Path

from .errors import UsageError


def recent_files(ws, limit: int = 10) -> list[dict]:
    rows = ws.store.conn.execute(
        "SELECT f.id, f.name, f.size, f.received_at, f.imported_by,"
        " group_concat(DISTINCT coalesce(u.name, s.unit)), group_concat(DISTINCT s.year)"
        " FROM files f LEFT JOIN submissions s ON s.file_id = f.id LEFT JOIN units u ON u.code = s.unit"
        " GROUP BY f.id ORDER BY f.received_at DESC, f.id DESC LIMIT ?",
        (int(limit),),
    ).fetchall()
    return [{"id": fid, "name": name, "size": size, "received_at": (received or "")[:19].replace("T", " "),
             "imported_by": by or "", "units": (units or "").replace(",", "、"), "years": (years or "").replace(",", "、")}
            for fid, name, size, received, by, units, years in rows]


def original_file(ws, submission: int) -> tuple[str, Path]:
    row = ws.store.conn.execute(
        "SELECT f.name, f.stored_path FROM submissions s JOIN files f ON f.id = s.file_id WHERE s.id = ?",
        (int(submission),),
    ).fetchone()
    if row is None:
        raise UsageError(f"没有编号为 {submission} 的报表")
    name, rel = row
    path = (ws.root / rel).resolve()
    if ws.root.resolve() not in path.parents or not path.is_file():
        raise UsageError(f"工作区中找不到《{name}》的原件（{rel}）")
    return name, path
