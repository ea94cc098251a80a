"""Benchmark: `gwstats import` end-to-end on N generated returns (wall time of the subprocess).

    .venv/bin/python bench/import_bench.py            # 1000 one-unit returns + 20 wide sheets
    .venv/bin/python bench/import_bench.py -n 200 --wide 5 --runs 3 --data /tmp/gwbench
    .venv/bin/python bench/import_bench.py --runs 5 --check   # also: serial and parallel stores identical

Each run imports the set twice into empty stores: with the CLI's default (a process pool for
reading and parsing when the batch is big, gwstats.ingest.pool) and serially
(GWSTATS_IMPORT_WORKERS=0) and with the pool forced (GWSTATS_IMPORT_WORKERS=1: one worker besides
the parent, even when the load average says the other core is busy), plus a batch of 20 files
(no pool is started for it). ``--check`` compares the forced-pool and serial stores.

The package is compiled to bytecode before timing (`python -m compileall`), as `pip install .` leaves
it; the workspaces go to the system's temporary folder unless ``--work DIR`` says where.

Returns are the workspace's own template (gwstats.forms.template.build_workbook) filled with openpyxl,
with the messy values real returns have ("200多", "1,000", blanks, "—", 13.55), plus one-row-per-unit
summary sheets (two-row merged header and a 合计 row) for the year before. Generating the files
takes a while (openpyxl) and is cached in --data; only the import is timed.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

YEAR = 2018
COUNTIES = 20


def units_csv(n_units: int) -> str:
    per = -(-n_units // COUNTIES)  # stations per county (ceil)
    lines = ["编码,单位名称,上级编码,别名", "R,某某市公安局关工委,,市局"]
    for c in range(1, COUNTIES + 1):
        lines.append(f"C{c:02d},第{c}县公安局关工委,R,第{c}县局")
        for s in range(1, per + 1):
            lines.append(f"C{c:02d}S{s:03d},第{c}县第{s}派出所关工小组,C{c:02d},第{c}县第{s}派出所")
    return "\n".join(lines) + "\n"


def messy(rng: random.Random, metric) -> object:
    roll = rng.random()
    if roll < 0.15:
        return None
    if roll < 0.18:
        return "—"
    if metric.kind == "amount":
        return round(rng.uniform(0, 50), 2)
    n = rng.randint(0, 3000)
    if roll < 0.22:
        return f"{n}多"
    if roll < 0.26:
        return f"{n:,}"
    if roll < 0.30:
        return str(n)
    return n


def generate(data: Path, n: int, n_wide: int, seed: int = 7):
    from openpyxl import Workbook

    from gwstats.model.catalog import load_default
    from gwstats.forms.template import SHEET_NAME, build_workbook, metric_rows

    rng = random.Random(seed)
    catalog = load_default()
    metrics = list(catalog.metrics.values())
    (data / "returns").mkdir(parents=True, exist_ok=True)
    (data / "units.csv").write_text(units_csv(n), encoding="utf-8")
    codes = [line.split(",")[:2] for line in units_csv(n).splitlines()[2:]]
    stations = [c for c in codes if "S" in c[0]][:n]
    t0 = time.perf_counter()
    for i, (code, name) in enumerate(stations):
        wb = build_workbook(catalog, year=YEAR, unit_name=name, unit_code=code, parent_name="")
        ws = wb[SHEET_NAME]
        rows = metric_rows(ws)
        for m in metrics:
            v = messy(rng, m)
            if v is not None:
                ws.cell(rows[m.name], 4, v)
        wb.save(data / "returns" / f"{name}{YEAR}年度统计表.xlsx")
        if i % 100 == 99:
            print(f"  生成 {i + 1}/{n} 份报表（{time.perf_counter() - t0:.0f} s）", file=sys.stderr)
    # one-row-per-unit summary sheets of the year before: a county's stations down the side
    groups = [("组织建设", metrics[:3]), ("法治教育", [m for m in metrics if m.group == "法治教育"][:4])]
    for c in range(1, n_wide + 1):
        wb = Workbook()
        ws = wb.active
        ws.title = "汇总表"
        ws.append([f"{YEAR - 1}年度关工委工作统计汇总表"])
        ws.append([f"填报单位：第{c}县公安局关工委", None, None, f"年度：{YEAR - 1}"])
        top, head = ["序号", "单位名称"], [None, None]
        col = 3
        for g, ms in groups:
            top += [g] + [None] * (len(ms) - 1)
            head += [m.name for m in ms]
            ws.merge_cells(start_row=3, start_column=col, end_row=3, end_column=col + len(ms) - 1)
            col += len(ms)
        ws.append(top)
        ws.append(head)
        members = [s for s in codes if s[0].startswith(f"C{c:02d}S")]
        totals = [0] * (len(head) - 2)
        for k, (code, name) in enumerate(members, 1):
            vals = [rng.randint(0, 500) for _ in totals]
            totals = [a + b for a, b in zip(totals, vals)]
            ws.append([k, name.replace("关工小组", ""), *vals])
        ws.append([None, "合计", *totals])
        wb.save(data / "returns" / f"第{c}县局{YEAR - 1}年汇总表.xlsx")


CPU: list[float] = []


def run(cmd: list[str], env) -> float:
    """Wall time of the command; its CPU time (user + sys) is appended to CPU."""
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    res = subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    CPU.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    if res.returncode not in (0,):
        print(res.stderr[-2000:], file=sys.stderr)
        raise SystemExit(f"gwstats import exited {res.returncode}")
    return wall


def same_store(a: Path, b: Path) -> bool:
    """Every row of the data tables equal, except the time of the import (received_at, a clock reading)."""
    import sqlite3

    def rows(path):
        conn = sqlite3.connect(path)
        out = {}
        for table in ("files", "submissions", "submission_values", "submission_notes", "units", "metric_ids"):
            cols = [r[1] for r in conn.execute(f"PRAGMA table_info({table})") if r[1] != "received_at"]
            if cols:
                out[table] = conn.execute(f"SELECT {', '.join(cols)} FROM {table} ORDER BY rowid").fetchall()
        conn.close()
        return out

    ra, rb = rows(a), rows(b)
    for table in ra:
        if ra[table] != rb[table]:
            print(f"  differs: {table}", file=sys.stderr)
    return ra == rb


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("-n", type=int, default=1000, help="one-unit returns (default 1000)")
    ap.add_argument("--wide", type=int, default=COUNTIES, help="one-row-per-unit sheets (default 20)")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--check", action="store_true", help="compare the serial and parallel stores (first run)")
    ap.add_argument("--data", type=Path, default=Path(tempfile.gettempdir()) / "gwstats-import-bench")
    ap.add_argument("--work", type=Path, default=None,
                    help="where the workspaces are made (default: the system's temporary folder); see docs/benchmarks.md "
                         "on what the folder's place on the disk costs per new file")
    args = ap.parse_args()
    data = args.data / f"n{args.n}-w{args.wide}"
    if not (data / "done").exists():
        shutil.rmtree(data, ignore_errors=True)
        print(f"生成测试数据到 {data} …", file=sys.stderr)
        generate(data, args.n, args.wide)
        (data / "done").write_text("ok")
    files = sorted((data / "returns").glob("*.xlsx"))
    size = sum(f.stat().st_size for f in files)
    gw = str(Path(sys.executable).with_name("gwstats"))
    env = dict(os.environ)

    from python_calamine import CalamineWorkbook

    t = time.perf_counter()
    for f in files:
        wb = CalamineWorkbook.from_path(str(f))
        for name in wb.sheet_names:
            wb.get_sheet_by_name(name).to_python()
    read_only = time.perf_counter() - t

    # As after `pip install .`, which compiles every module: the timed runs read the bytecode cache
    # instead of compiling gwstats's ~15,000 lines at every start (with PYTHONDONTWRITEBYTECODE=1 in
    # the environment and an editable install they would: +0.1 s per run).
    pkg = subprocess.run([str(Path(sys.executable)), "-c", "import gwstats, os; print(os.path.dirname(gwstats.__file__))"],
                         capture_output=True, text=True, check=True).stdout.strip()
    subprocess.run([sys.executable, "-m", "compileall", "-q", pkg], stdout=subprocess.DEVNULL, check=True)
    subprocess.run([gw, "--help"], stdout=subprocess.DEVNULL, check=True)  # warm the disk cache
    t = time.perf_counter()
    subprocess.run([gw, "--help"], stdout=subprocess.DEVNULL, check=True)
    startup = time.perf_counter() - t

    with open("/proc/loadavg") if Path("/proc/loadavg").exists() else open(os.devnull) as fh:
        load_before = fh.read().split()[:3]
    small = data / "small20"
    if not small.exists():
        small.mkdir()
        for f in files[:20]:
            shutil.copyfile(f, small / f.name)
    serial_env = dict(env, GWSTATS_IMPORT_WORKERS="0")
    pool_env = dict(env, GWSTATS_IMPORT_WORKERS="1")  # one worker besides the parent, whatever the load

    def fresh(work: Path, name: str) -> Path:
        ws = work / name
        subprocess.run([gw, "init", str(ws), "--name", "某某市公安局关工委", "--year", str(YEAR)],
                       stdout=subprocess.DEVNULL, check=True)
        subprocess.run([gw, "units", "import", str(data / "units.csv"), "-w", str(ws)], stdout=subprocess.DEVNULL, check=True)
        return ws

    firsts, again, dry, first_cpu, serial, serial_cpu, small_pool, small_serial = [], [], [], [], [], [], [], []
    pooled, pooled_cpu = [], []
    identical = None
    for k in range(args.runs):
        if args.work:
            args.work.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix="gwbench-", dir=args.work))
        ws, ws0, ws1 = fresh(work, "ws"), fresh(work, "ws0"), fresh(work, "ws1")
        cmd = [gw, "import", str(data / "returns"), "-w", str(ws), "-q", "-f", "json"]
        cmd0 = [gw, "import", str(data / "returns"), "-w", str(ws0), "-q", "-f", "json"]
        cmd1 = [gw, "import", str(data / "returns"), "-w", str(ws1), "-q", "-f", "json"]
        dry.append(run(cmd + ["--dry-run"], env))
        variants = [(cmd, env, firsts, first_cpu), (cmd0, serial_env, serial, serial_cpu), (cmd1, pool_env, pooled, pooled_cpu)]
        for c, e, sink, cpu in variants[k % 3:] + variants[:k % 3]:  # rotate which goes first
            sink.append(run(c, e))
            cpu.append(CPU[-1])
        again.append(run(cmd, env))
        if args.check and identical is None:
            identical = same_store(ws1 / "gwstats.sqlite", ws0 / "gwstats.sqlite")
        for name, sink, e in (("s1", small_pool, env), ("s0", small_serial, serial_env)):
            sws = fresh(work, name)
            sink.append(run([gw, "import", str(small), "-w", str(sws), "-q", "-f", "json"], e))
        shutil.rmtree(work)
    with open("/proc/loadavg") if Path("/proc/loadavg").exists() else open(os.devnull) as fh:
        load = fh.read().split()[:3]
    print(f"load average before: {' '.join(load_before)}")
    print(f"files: {len(files)} ({args.n} one-unit returns + {args.wide} one-row-per-unit sheets), {size / 1024 / 1024:.1f} MB")
    print(f"calamine reading alone (in-process): {read_only:.2f} s")
    print(f"gwstats --help startup:              {startup:.2f} s")
    print(f"import, empty store (wall):          best {min(firsts):.2f} s, runs {', '.join(f'{x:.2f}' for x in firsts)}"
          " (default: pool only when a core is idle)")
    print(f"import, empty store (CPU user+sys):  best {min(first_cpu):.2f} s (parent and workers)")
    print(f"same, pool forced GWSTATS_IMPORT_WORKERS=1: best {min(pooled):.2f} s, runs {', '.join(f'{x:.2f}' for x in pooled)}; "
          f"CPU best {min(pooled_cpu):.2f} s")
    print(f"same, serial GWSTATS_IMPORT_WORKERS=0: best {min(serial):.2f} s, runs {', '.join(f'{x:.2f}' for x in serial)}; "
          f"CPU best {min(serial_cpu):.2f} s")
    print(f"20 files, default (no pool):         best {min(small_pool):.2f} s, runs {', '.join(f'{x:.2f}' for x in small_pool)}")
    print(f"20 files, serial:                    best {min(small_serial):.2f} s, runs {', '.join(f'{x:.2f}' for x in small_serial)}")
    print(f"import --dry-run (wall):             best {min(dry):.2f} s")
    print(f"import again, all unchanged (wall):  best {min(again):.2f} s")
    if identical is not None:
        print(f"serial and parallel stores identical (received_at aside): {identical}")
    print(f"workspaces made in: {args.work or tempfile.gettempdir()}; gwstats compiled to bytecode first: {pkg}")
    print(f"machine: {os.cpu_count()} CPUs, Python {sys.version.split()[0]}, load average after: {' '.join(load)}")


if __name__ == "__main__":
    main()
