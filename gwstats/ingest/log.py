"""导入记录: every import (not the dry runs) with its per-file results and refusal reasons, kept in the
workspace as JSON lines (``导入记录.jsonl``), so they stay visible after the result page is left.

One line per import, appended in one write; a line cut short by a power cut is skipped on reading.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

LOG_NAME = "导入记录.jsonl"


def _account() -> str:
    import getpass

    try:
        return getpass.getuser()
    except Exception:  # no account name (a service, a stripped environment)
        return ""


def append(root: Path, report, imported_by: str | None) -> None:
    entry = {
        "at": dt.datetime.now().replace(microsecond=0).isoformat(),
        "by": imported_by or _account(),
        "summary": report.summary_line(),
        "files": report.records(),
        "skipped": [f"{Path(p).name}：{why}" for p, why in report.skipped],
    }
    line = json.dumps(entry, ensure_ascii=False, default=str) + "\n"
    with open(Path(root) / LOG_NAME, "a", encoding="utf-8") as f:
        f.write(line)


def event(root: Path, by: str | None, summary: str) -> None:
    """A change that is not an import (封账, 解除封账, 恢复版本), with who made it, among the imports."""
    entry = {"at": dt.datetime.now().replace(microsecond=0).isoformat(), "by": by or _account(),
             "summary": summary, "files": [], "skipped": []}
    with open(Path(root) / LOG_NAME, "a", encoding="utf-8") as f:
        f.write(json.dumps(entry, ensure_ascii=False) + "\n")


def entries(root: Path, limit: int = 50) -> list[dict]:
    """The latest ``limit`` imports, newest first."""
    path = Path(root) / LOG_NAME
    if not path.is_file():
        return []
    out = []
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        if isinstance(entry, dict) and isinstance(entry.get("files"), list):
            out.append(entry)
    return out[::-1][:limit]
