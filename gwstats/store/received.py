"""The received files kept in the workspace: the latest ones, and the original of a submission."""

from __future__ import annotations

from pathlib import Path

from gwstats.core.errors import UsageError

FILES_DIR = "files"  # the received copies, under the workspace


def stored_name(name: str, sha256: str) -> str:
    """The received copy's relative path: short and derived from the hash, so no file name
    (246 bytes of Chinese, characters the file system refuses) can break the copy; the name as
    received is kept in the store (``files.name``)."""
    suffix = Path(name).suffix.lower()
    if not (suffix.isascii() and len(suffix) <= 6 and suffix[1:].isalnum()):
        suffix = ""
    return f"{FILES_DIR}/{sha256[:2]}/{sha256[:16]}{suffix}"


def recent_files(ws, limit: int = 10) -> list[dict]:
    rows = ws.store.recent_files(limit)
    return [{"id": fid, "name": name, "size": size, "received_at": (received or "")[:19].replace("T", " "),
             "imported_by": by or "", "units": (units or "").replace(",", "、"), "years": (years or "").replace(",", "、")}
            for fid, name, size, received, by, units, years in rows]


def original_file(ws, submission: int) -> tuple[str, Path]:
    if not 0 < submission < 2**63:  # beyond SQLite's integers: no such return (not an OverflowError)
        raise UsageError(f"没有编号为 {submission} 的报表")
    row = ws.store.file_of_submission(submission)
    if row is None:
        raise UsageError(f"没有编号为 {submission} 的报表")
    name, rel = row
    path = (ws.root / rel).resolve()
    if ws.root.resolve() not in path.parents or not path.is_file():
        raise UsageError(f"工作区中找不到《{name}》的原件（{rel}）")
    return name, path
