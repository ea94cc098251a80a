"""Write every output of the bundled samples into one text file, to compare two code trees.

Runs `gwstats demo` in a fresh folder, then for both sample workspaces and both years: rollup json at
every level, status, check, trace of every root figure, export csv-long, the workbook's cells and the
report's text (markdown). Lines that carry times, paths or versions are left out.

    python tools/snapshot_outputs.py /tmp/before.txt
    (change the code)
    python tools/snapshot_outputs.py /tmp/after.txt && diff /tmp/before.txt /tmp/after.txt
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

SAMPLES = {"anqing-police": (2017, 2018), "jian-an": (2019, 2020)}
VOLATILE = re.compile(r"\d{4}-\d\d-\d\d[T ]\d\d:\d\d|\d+\.\d+ ?秒|/tmp/|gwstats \d|\d\d:\d\d:\d\d")


def gw(ws: Path, *args: str) -> str:
    env = dict(os.environ, COLUMNS="200", NO_COLOR="1")
    proc = subprocess.run([sys.executable, "-m", "gwstats", *args, "-w", str(ws)], capture_output=True,
                          text=True, env=env, encoding="utf-8")
    return f"$ {' '.join(args)} (exit {proc.returncode})\n{proc.stdout}{proc.stderr}"


def cells(path: Path) -> str:
    import openpyxl
    book = openpyxl.load_workbook(path)
    lines = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.value is not None:
                    lines.append(f"{sheet.title}!{cell.coordinate}={cell.value!r}")
    return "\n".join(lines)


def main(out: str) -> None:
    root = Path(tempfile.mkdtemp(prefix="gw-snap-"))
    subprocess.run([sys.executable, "-m", "gwstats", "demo"], cwd=root, check=True, capture_output=True)
    parts = []
    for name, years in SAMPLES.items():
        ws = root / "gwstats-demo" / name
        for year in years:
            y = str(year)
            for level in ("1", "2", "3", "4"):
                parts.append(gw(ws, "rollup", "--year", y, "--level", level, "-f", "json"))
            parts.append(gw(ws, "rollup", "--year", y, "-f", "json", "--prefer", "reported"))
            parts.append(gw(ws, "status", "--year", y, "-f", "json"))
            parts.append(gw(ws, "check", "--year", y, "-f", "json"))
            parts.append(gw(ws, "export", "--year", y, "--format", "csv-long"))
            rollup = json.loads(gw(ws, "rollup", "--year", y, "-f", "json").split("\n", 1)[1] or "[]")
            records = rollup if isinstance(rollup, list) else []
            for rec in records[:: max(1, len(records) // 25)]:
                unit, metric = rec.get("unit"), rec.get("metric")
                if unit and metric:
                    parts.append(gw(ws, "trace", "--year", y, "-u", str(unit), "-m", str(metric), "-f", "json"))
            book = root / f"{name}-{y}.xlsx"
            parts.append(gw(ws, "rollup", "--year", y, "-o", str(book)))
            if book.exists():
                parts.append(cells(book))
            md = root / f"{name}-{y}.md"
            parts.append(gw(ws, "report", "--year", y, "-o", str(md)))
            if md.exists():
                parts.append(md.read_text(encoding="utf-8"))
    text = "\n".join(line for line in "\n".join(parts).splitlines() if not VOLATILE.search(line))
    Path(out).write_text(text + "\n", encoding="utf-8")
    shutil.rmtree(root)
    print(f"{out}: {len(text.splitlines())} lines")


if __name__ == "__main__":
    main(sys.argv[1])
