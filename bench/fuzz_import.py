"""Fuzz the import with mutants of the bundled returns (sample_data/jian-an/2020).

Run: .venv/bin/python bench/fuzz_import.py [--mutants 600] [--seed 1]
Mutations: truncation (at a random byte), byte flips inside a zip member (the member re-deflated,
so the zip itself stays valid and the damage reaches the XML), a duplicated worksheet (same or
changed values), huge numbers (1e308, 400 digits, INF, -0, 1e-30), huge strings (1 MB in a cell),
CSV line-end and delimiter changes, a duplicated zip entry. Each mutant goes through
`import --dry-run` and a real import (library API) in a workspace holding the unmutated 2020
returns. Prints how many mutants ran and what came out (accepted / replaced / unchanged /
refused, by reason); exits 1 if any raised an exception, took longer than 30 s, or changed the
store while refused. tests/test_fuzz.py runs a small seeded sample of the same.
"""

from __future__ import annotations

import argparse
import collections
import io
import random
import sys
import tempfile
import time
import traceback
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_data" / "jian-an"
HUGE_NUMBERS = [b"1e308", b"9" * 400, b"INF", b"-INF", b"NaN", b"-0", b"1e-30", b"123456789012345678901234567890"]


def _rezip(data: bytes, change) -> bytes:
    """Rewrite a zip: change(name, body) -> body, or a list of (name, body) pairs."""
    zin = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            got = change(info.filename, zin.read(info))
            for name, body in (got if isinstance(got, list) else [(info.filename, got)]):
                zout.writestr(name, body)
    return out.getvalue()


def truncate(rng, data, suffix):
    return data[: rng.randrange(0, max(1, len(data)))], "truncate"


def flip_in_member(rng, data, suffix):
    if not data.startswith(b"PK"):
        pos = rng.randrange(len(data))
        return data[:pos] + bytes([data[pos] ^ (1 << rng.randrange(8))]) + data[pos + 1:], "flip"
    names = [i.filename for i in zipfile.ZipFile(io.BytesIO(data)).infolist()]
    target = rng.choice([n for n in names if n.startswith("xl/")] or names)

    def change(name, body):
        if name != target or not body:
            return body
        body = bytearray(body)
        for _ in range(rng.randint(1, 8)):
            pos = rng.randrange(len(body))
            body[pos] ^= 1 << rng.randrange(8)
        return bytes(body)

    return _rezip(data, change), "flip-member"


def duplicate_sheet(rng, data, suffix):
    if not data.startswith(b"PK"):
        return data + data, "duplicate-rows"
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(data))
    src = wb.worksheets[0]
    copy = wb.copy_worksheet(src)
    if rng.random() < 0.5:  # the copy with other values: two versions of one return in one file
        for row in copy.iter_rows(min_row=8, min_col=4, max_col=4):  # the 数值 column, not the header fields
            for c in row:
                if isinstance(c.value, (int, float)) and not isinstance(c.value, bool):
                    c.value = c.value + rng.randint(1, 9)
                elif isinstance(c.value, str) and c.value.isdigit():
                    c.value = str(int(c.value) + rng.randint(1, 9))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue(), "duplicate-sheet"


def huge_number(rng, data, suffix):
    value = rng.choice(HUGE_NUMBERS)
    if not data.startswith(b"PK"):
        text = data.decode("utf-8-sig", "replace")
        digits = [i for i, ch in enumerate(text) if ch.isdigit() and (i + 1 == len(text) or text[i + 1] in ",\r\n")]
        if not digits:
            return data, "huge-number"
        i = rng.choice(digits)
        return (text[:i] + value.decode() + text[i + 1:]).encode("utf-8"), "huge-number"

    def change(name, body):
        if not name.startswith("xl/worksheets/") or b"<v>" not in body:
            return body
        parts = body.split(b"<v>")
        k = rng.randrange(1, len(parts))
        end = parts[k].find(b"</v>")
        parts[k] = value + parts[k][end:]
        return b"<v>".join(parts)

    return _rezip(data, change), "huge-number"


def huge_string(rng, data, suffix):
    big = "很" * rng.choice([10_000, 200_000, 400_000])
    if not data.startswith(b"PK"):
        lines = data.split(b"\n")
        k = rng.randrange(len(lines))
        lines[k] = lines[k].rstrip(b"\r") + b"," + big.encode("utf-8")
        return b"\n".join(lines), "huge-string"
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(data))
    sh = wb.worksheets[0]
    from openpyxl.cell.cell import MergedCell

    cell = sh.cell(rng.randint(1, 30), rng.randint(1, 6))
    while isinstance(cell, MergedCell):
        cell = sh.cell(rng.randint(1, 30), rng.randint(1, 6))
    cell.value = big
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue(), "huge-string"


def line_ends(rng, data, suffix):
    if data.startswith(b"PK"):
        return duplicate_entry(rng, data, suffix)
    return data.replace(b"\r\n", b"\n").replace(b"\n", rng.choice([b"\r", b"\n\n", b"\r\r\n"])), "line-ends"


def duplicate_entry(rng, data, suffix):
    import warnings

    def change(name, body):
        if name.startswith("xl/worksheets/sheet"):
            return [(name, body), (name, body.replace(b"<v>1", b"<v>7"))]
        return body

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return _rezip(data, change), "duplicate-entry"


MUTATORS = [truncate, flip_in_member, duplicate_sheet, huge_number, huge_string, line_ends]


def originals() -> list[Path]:
    return sorted(p for p in (SAMPLE / "2020").iterdir() if p.suffix in (".xlsx", ".csv"))


def make_workspace(root: Path):
    from gwstats import Workspace

    ws = Workspace.init(root, name="集安市关工委", year=2020)
    ws.import_units(SAMPLE / "units.csv")
    ws.import_paths([SAMPLE / "2020"])
    return ws


def digest(ws) -> tuple:
    c = ws.store.conn
    return tuple(c.execute(f"SELECT count(*), max(rowid) FROM {t}").fetchone()
                 for t in ("files", "submissions", "submission_values"))


def run(n: int, seed: int, workdir: Path, log=print) -> dict:
    rng = random.Random(seed)
    ws = make_workspace(workdir / "ws")
    files = originals()
    outcomes: collections.Counter = collections.Counter()
    by_mutation: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    problems: list[str] = []
    slowest = 0.0
    for k in range(n):
        src = rng.choice(files)
        mutate = MUTATORS[k % len(MUTATORS)]
        try:
            data, kind = mutate(rng, src.read_bytes(), src.suffix)
        except Exception as exc:  # the mutator could not apply (e.g. openpyxl on an odd file): skip
            outcomes["mutator-skipped"] += 1
            log(f"  mutator {mutate.__name__} skipped on {src.name}: {exc}")
            continue
        path = workdir / "in" / f"m{k:04d}" / src.name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        for dry in (True, False):
            before = digest(ws)
            t0 = time.perf_counter()
            try:
                report = ws.import_paths([path], dry_run=dry)
            except Exception:
                problems.append(f"{kind} {path.name} dry={dry}: {traceback.format_exc(limit=3)}")
                break
            took = time.perf_counter() - t0
            slowest = max(slowest, took)
            f = report.files[0]
            if took > 30:
                problems.append(f"{kind} {path.name}: {took:.1f} s")
            if (dry or f.status == "rejected") and digest(ws) != before:
                problems.append(f"{kind} {path.name} dry={dry}: store changed although {f.status}")
            if f.status == "rejected" and not f.errors:
                problems.append(f"{kind} {path.name}: refused without a message")
            if not dry:
                what = f.status if f.status != "rejected" else "refused:" + f.errors[0].code
                outcomes[what] += 1
                by_mutation[kind][f.status] += 1
    ws.store.close()
    return {"mutants": n, "outcomes": outcomes, "by_mutation": by_mutation, "problems": problems, "slowest": slowest}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mutants", type=int, default=600)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        res = run(args.mutants, args.seed, Path(tmp))
    print(f"mutants: {res['mutants']} (seed {args.seed}), each through --dry-run and a real import; "
          f"{time.perf_counter() - t0:.1f} s in all, slowest single import {res['slowest']:.2f} s")
    print("outcomes of the real import:")
    for what, count in res["outcomes"].most_common():
        print(f"  {count:5}  {what}")
    print("by mutation:")
    for kind, c in sorted(res["by_mutation"].items()):
        print(f"  {kind:16} " + ", ".join(f"{k} {v}" for k, v in c.most_common()))
    print(f"problems (exceptions, > 30 s, store changed on refusal, refusal without message): {len(res['problems'])}")
    for p in res["problems"][:20]:
        print("  " + p)
    sys.exit(1 if res["problems"] else 0)


if __name__ == "__main__":
    main()
