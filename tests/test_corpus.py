"""Every file of ../shared/corpus (foreign spreadsheets and the hostile reproductions) through
`gwstats import --dry-run` and a real `gwstats import`, one file at a time.

Per file and run: exit status 0, 1 or 2; a refused file has a Chinese message and leaves the store
as it was; no Python traceback; under 30 s; the import process and its reader worker stay under
500 MB resident. Two driver processes run side by side (one per core); see corpus_driver.py.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
CORPUS = Path(os.environ.get("GWSTATS_CORPUS", HERE.parent.parent / "shared" / "corpus"))
SAMPLE = HERE.parent / "sample_data" / "jian-an"
MAX_SECONDS = 30
MAX_RSS = 500 * 1024 * 1024
SHARDS = 2
CHINESE = re.compile(r"[\u4e00-\u9fff]")

pytestmark = pytest.mark.skipif(
    not (CORPUS / "foreign").is_dir(),
    reason=f"语料库 {CORPUS} 不存在（在本项目之外的检出中跳过）: corpus test skipped",
)


def corpus_files() -> list[Path]:
    return sorted(p for sub in ("foreign", "hostile") for p in (CORPUS / sub).rglob("*") if p.is_file())


def _workspace(root: Path) -> Path:
    """The jian-an sample workspace with its 2020 returns in force (hostile files target them)."""
    from gwstats import Workspace

    ws = Workspace.init(root, name="集安市关工委", year=2020)
    ws.import_units(SAMPLE / "units.csv")
    report = ws.import_paths([SAMPLE / "2020"])
    assert not report.has_rejections
    ws.store.close()
    return ws.root


def _run_shards(files: list[Path], tmp_path: Path) -> list[dict]:
    procs = []
    for k in range(SHARDS):
        ws = _workspace(tmp_path / f"ws{k}")
        todo = "".join(f"{p}\n" for p in files[k::SHARDS])
        proc = subprocess.Popen([sys.executable, str(HERE / "corpus_driver.py"), str(ws)], stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8")
        procs.append((proc, todo))
    # feed both, then read both (communicate on one would serialise them)
    import threading

    outs: list[tuple[str, str]] = [("", "")] * SHARDS

    def talk(k):
        proc, todo = procs[k]
        outs[k] = proc.communicate(todo, timeout=600)

    threads = [threading.Thread(target=talk, args=(k,)) for k in range(SHARDS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    runs = []
    for (proc, _), (out, err) in zip(procs, outs):
        assert proc.returncode == 0, f"driver failed: {err[-3000:]}"
        runs += [json.loads(line) for line in out.splitlines() if line.strip()]
    return runs


def check_run(run: dict) -> list[str]:
    """What is wrong with one run (empty when all is well)."""
    bad = []
    if run["exit"] not in (0, 1, 2):
        bad.append(f"exit {run['exit']}")
    if run["escaped"] or "Traceback" in run["stderr"]:
        bad.append(f"traceback: {run['escaped'] or run['stderr'][-300:]}")
    if run["seconds"] > MAX_SECONDS:
        bad.append(f"{run['seconds']} s")
    records = run["records"]
    if run["exit"] != 0:
        if isinstance(records, list):
            refused = [r for r in records if r["结果"] == "未导入"]
            if run["exit"] == 1 and not refused:
                bad.append("exit 1 but no file refused")
            for r in refused:
                if not CHINESE.search(r["错误"] or ""):
                    bad.append(f"refused without a Chinese message: {r['错误']!r}")
        elif not CHINESE.search(run["stderr"]):
            bad.append(f"exit {run['exit']} without a Chinese message: {run['stderr'][-300:]!r}")
    elif not isinstance(records, list):
        bad.append(f"exit 0 without the per-file table: {records!r}")
    refused_all = run["exit"] != 0 and (not isinstance(records, list) or all(r["结果"] == "未导入" for r in records))
    if run["mode"] == "dry" and run["store_changed"]:
        bad.append("dry run changed the store")
    if run["mode"] == "real" and refused_all and run["store_changed"]:
        bad.append("refused but the store changed")
    return bad


def test_every_corpus_file_is_refused_or_read_never_crashes(tmp_path):
    files = corpus_files()
    assert len(files) > 1300
    runs = _run_shards(files, tmp_path)
    assert len(runs) == 2 * len(files), "a driver stopped early"
    problems = []
    peak = 0
    for run in runs:
        bad = check_run(run)
        rss = max(run["rss"], run["child_rss"])
        if rss > MAX_RSS and rss > peak:
            bad.append(f"peak memory {rss // 2**20} MB")  # the first run that raised the peak past the limit
        peak = max(peak, rss)
        if bad:
            problems.append(f"{Path(run['file']).relative_to(CORPUS)} [{run['mode']}]: " + "; ".join(bad))
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems[:60])
    refused = sum(1 for r in runs if r["mode"] == "real" and r["exit"] != 0)
    print(f"\ncorpus: {len(files)} files, refused {refused}, accepted {len(files) - refused}, "
          f"slowest {max(r['seconds'] for r in runs):.2f} s, peak {peak // 2**20} MB")
