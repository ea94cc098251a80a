"""Uploaded files: safe names and the staging folder a dry run and its confirmation share.

A name from the browser never reaches a path as sent: only its last component is kept, characters
that Windows or POSIX refuse (and control characters) are replaced, leading/trailing dots and spaces
dropped, reserved device names (CON, NUL, COM1, …) prefixed, the length capped in UTF-8 bytes. Each file goes into
its own numbered folder of a batch folder named by a random id, so two uploads never collide.
"""

from __future__ import annotations

import re
import secrets
import shutil
import time
import unicodedata
from pathlib import Path

STAGING = ".gwstats-uploads"
MAX_NAME_BYTES = 180  # file systems allow 255 bytes (ext4) or 255 UTF-16 units (NTFS); Chinese is 3 bytes each
BATCH_RE = re.compile(r"^[0-9a-f]{16}$")
_BAD = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}
STALE_SECONDS = 2 * 3600  # an upload not confirmed (or cancelled) within 2 hours is dropped


def safe_name(raw: str | None) -> str:
    """A file name safe on Windows and POSIX, keeping the Chinese name and the extension."""
    text = unicodedata.normalize("NFC", raw or "")
    text = re.split(r"[/\\]", text)[-1]
    text = "".join(ch for ch in text if unicodedata.category(ch) not in ("Cc", "Cf", "Zl", "Zp"))
    text = _BAD.sub("_", text).strip(" .")
    if not text:
        return "未命名文件"
    stem, dot, suffix = text.rpartition(".")
    if not dot:
        stem, suffix = text, ""
    if stem.split(".")[0].upper() in _RESERVED:
        stem = "_" + stem
    suffix = suffix[:10]
    room = MAX_NAME_BYTES - len(suffix.encode("utf-8")) - (1 if suffix else 0)
    while len(stem.encode("utf-8")) > room:
        stem = stem[:-1]
    stem = stem or "未命名文件"
    return f"{stem}.{suffix}" if suffix else stem


class Staging:
    """``<workspace>/.gwstats-uploads/<batch>/<n>/<name>``."""

    def __init__(self, root: Path):
        self.base = Path(root) / STAGING

    def new_batch(self) -> tuple[str, Path]:
        self.drop_stale()  # batches shown but never confirmed nor cancelled (a tab closed)
        batch = secrets.token_hex(8)
        path = self.base / batch
        path.mkdir(parents=True)
        return batch, path

    def batch_dir(self, batch: str) -> Path | None:
        if not isinstance(batch, str) or not BATCH_RE.match(batch):
            return None
        path = self.base / batch
        return path if path.is_dir() else None

    @staticmethod
    def add(batch_path: Path, n: int, name: str, fileobj) -> Path:
        folder = batch_path / f"{n:04d}"
        folder.mkdir()
        dest = folder / safe_name(name)
        with open(dest, "wb") as out:
            shutil.copyfileobj(fileobj, out, 1024 * 1024)
        return dest

    @staticmethod
    def files(batch_path: Path) -> list[Path]:
        return [f for d in sorted(batch_path.iterdir()) if d.is_dir() for f in sorted(d.iterdir()) if f.is_file()]

    def drop(self, batch: str):
        path = self.batch_dir(batch)
        if path is not None:
            shutil.rmtree(path, ignore_errors=True)

    def drop_all(self):
        """Every batch (the page starting: one server per workspace, so none is waiting for a confirmation)."""
        shutil.rmtree(self.base, ignore_errors=True)

    def drop_stale(self, now: float | None = None):
        if not self.base.is_dir():
            return
        now = now or time.time()
        for d in self.base.iterdir():
            try:
                if d.is_dir() and now - d.stat().st_mtime > STALE_SECONDS:
                    shutil.rmtree(d, ignore_errors=True)
            except OSError:
                pass
