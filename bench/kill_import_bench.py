"""kill -9 during a CLI import, again and again, then the same import to the end: does the store
converge to what one uninterrupted import gives, with nothing half-written and no lock left behind?

    .venv/bin/python bench/kill_import_bench.py [--kills 10] [-n 1000] [--seed 3]

Uses the import bench's generated returns (bench/import_bench.py's generator). Each round starts
`gwstats import` on the same workspace and kills it (SIGKILL: no clean-up code runs) after a random
0.2–3 s; after the last round the import runs to its end. Compared with a workspace that imported once
without interruption (every data row equal, import times aside: import_bench.same_store), and the
workspace lock must be free (a second import starts at once). Prints one line per kill.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import import_bench  # noqa: E402  (the generator and the store comparison)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--kills", type=int, default=10)
    ap.add_argument("-n", type=int, default=1000, help="one-unit returns (default 1000)")
    ap.add_argument("--seed", type=int, default=3)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    data = Path(tempfile.gettempdir()) / f"gwstats-kill-bench-{args.n}"
    if not (data / "done").exists():
        shutil.rmtree(data, ignore_errors=True)
        import_bench.generate(data, args.n, import_bench.COUNTIES)
        (data / "done").write_text("ok")
    gw = str(Path(sys.executable).with_name("gwstats"))
    work = Path(tempfile.mkdtemp(prefix="gwkill-"))

    def fresh(name: str) -> Path:
        ws = work / name
        subprocess.run([gw, "init", str(ws), "--name", "某某市公安局关工委", "--year", str(import_bench.YEAR)],
                       stdout=subprocess.DEVNULL, check=True)
        subprocess.run([gw, "units", "import", str(data / "units.csv"), "-w", str(ws)], stdout=subprocess.DEVNULL,
                       check=True)
        return ws

    clean, killed = fresh("clean"), fresh("killed")
    cmd = [gw, "import", str(data / "returns"), "-q", "-f", "json", "-w"]
    subprocess.run(cmd + [str(clean)], stdout=subprocess.DEVNULL, check=True)
    for k in range(args.kills):
        proc = subprocess.Popen(cmd + [str(killed)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        delay = rng.uniform(0.2, 3.0)
        time.sleep(delay)
        finished = proc.poll() is not None
        if not finished:
            os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        print(f"kill {k + 1}: after {delay:.2f} s{'（已自行结束）' if finished else ''}", flush=True)
    t = time.perf_counter()
    last = subprocess.run(cmd + [str(killed)], capture_output=True, text=True, timeout=900)
    waited = time.perf_counter() - t
    same = import_bench.same_store(clean / "gwstats.sqlite", killed / "gwstats.sqlite")
    traceback = "Traceback" in last.stderr
    leftovers = [p for p in (killed / "files").rglob("*") if ".incoming" in p.parts and p.is_file()]
    print(f"final import: exit {last.returncode} in {waited:.1f} s; store equal to the uninterrupted one: {same}; "
          f"traceback: {traceback}; staged copies left: {len(leftovers)}")
    shutil.rmtree(work, ignore_errors=True)
    return 0 if same and last.returncode == 0 and not traceback else 1


if __name__ == "__main__":
    sys.exit(main())
