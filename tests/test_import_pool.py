"""The process pool for reading and parsing (gwstats.ingest.pool) gives what the serial path gives."""

import importlib.util
import sys
from pathlib import Path

import pytest

from gwstats import Workspace
from gwstats.ingest import pool as import_pool

from helpers_returns import dump_store, long_rows, wide_rows, write_csv, write_ods, write_xls, write_xlsx

ROOT = Path(__file__).resolve().parents[1]


def _bench():
    spec = importlib.util.spec_from_file_location("import_bench", ROOT / "bench" / "import_bench.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("import_bench", mod)
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    """The bench's generated returns (small), plus files for every other path through the importer."""
    data = tmp_path_factory.mktemp("batch")
    bench = _bench()
    bench.generate(data, 24, 2)
    extra = data / "returns"
    rows = long_rows({"关工委组织数": "十二", "法制课场次": "三千五百余"}, unit="第13县第1派出所关工小组")
    write_xlsx(extra / "z1-中文数字.xlsx", {"统计表": rows})
    write_xlsx(extra / "z2-坏值.xlsx", {"统计表": long_rows({"关工委组织数": "若干"}, unit="第13县第2派出所关工小组")})
    write_csv(extra / "z3-表单.csv", [["提交者", "提交时间", "填报单位", "年度", "关工委组织数", "法制课场次"],
                                       ["甲", "2019-01-02 09:00", "第14县第1派出所", 2018, 1, 2],
                                       ["乙", "2019-01-03 10:00", "第14县第1派出所", 2018, 3, 4]])
    write_ods(extra / "z4-东城.ods", {"统计表": long_rows({"关工委组织数": 5}, unit="第15县第1派出所关工小组")})
    write_xls(extra / "z5-旧格式.xls", {"统计表": long_rows({"关工委组织数": 6}, unit="第15县第2派出所关工小组")})
    # two files for one unit that disagree (both refused), and an original with its revision (the revision wins)
    write_xlsx(extra / "z6-a.xlsx", {"统计表": long_rows({"关工委组织数": 7}, unit="第16县第1派出所关工小组")})
    write_xlsx(extra / "z6-b.xlsx", {"统计表": long_rows({"关工委组织数": 8}, unit="第16县第1派出所关工小组")})
    write_xlsx(extra / "z7(修改版).xlsx", {"统计表": long_rows({"关工委组织数": 9}, unit="第16县第2派出所关工小组")})
    write_xlsx(extra / "z7.xlsx", {"统计表": long_rows({"关工委组织数": 1}, unit="第16县第2派出所关工小组")})
    (extra / "z8-空.xlsx").write_bytes(b"")
    (extra / "z9-同一文件.xlsx").write_bytes((extra / "z1-中文数字.xlsx").read_bytes())
    return data


def _import(tmp_path, batch, monkeypatch, workers: str):
    monkeypatch.setenv("GWSTATS_IMPORT_WORKERS", workers)
    monkeypatch.setattr("gwstats.ingest.importer._now", lambda: "2019-02-01T08:00:00")
    ws = Workspace.init(tmp_path / f"ws{workers}", name="某某市公安局关工委", year=2018)
    ws.import_units(batch / "units.csv")
    seen = []
    report = ws.import_paths([batch / "returns"], progress=lambda d, t, phase: seen.append((d, t, phase)))
    return ws, report, seen


def test_serial_and_parallel_give_identical_stores_and_summaries(tmp_path, batch, monkeypatch):
    ws0, rep0, seen0 = _import(tmp_path, batch, monkeypatch, "0")
    ws2, rep2, seen2 = _import(tmp_path, batch, monkeypatch, "2")
    statuses = {f.name: f.status for f in rep0.files}
    assert statuses["z1-中文数字.xlsx"] == "accepted" and statuses["z9-同一文件.xlsx"] == "unchanged"
    assert statuses["z2-坏值.xlsx"] == statuses["z6-a.xlsx"] == statuses["z6-b.xlsx"] == statuses["z8-空.xlsx"] == "rejected"
    assert statuses["z7(修改版).xlsx"] == "replaced" and statuses["z4-东城.ods"] == statuses["z5-旧格式.xls"] == "accepted"
    assert rep0.records() == rep2.records()  # same order, same words
    assert dump_store(ws0) == dump_store(ws2)
    assert seen0 == seen2 and seen0[len(rep0.files) - 1] == (len(rep0.files), len(rep0.files), "读取")
    assert len(rep0.files) == 24 + 2 + 11
    assert import_pool.last_stats["pool"] > 0 and import_pool.last_stats["workers"] == 2  # the pool did take part


def test_refused_files_change_nothing_on_the_parallel_path(tmp_path, batch, monkeypatch):
    ws2, rep2, _ = _import(tmp_path, batch, monkeypatch, "2")
    refused = {f.name for f in rep2.files if f.status == "rejected"}
    stored = {r[0] for r in ws2.store.conn.execute("SELECT name FROM files")}
    assert refused and not refused & stored


def test_small_batches_start_no_pool(monkeypatch):
    monkeypatch.delenv("GWSTATS_IMPORT_WORKERS", raising=False)
    monkeypatch.setattr(import_pool, "_ENABLED", True)
    monkeypatch.setattr("os.cpu_count", lambda: 2)
    monkeypatch.setattr("os.getloadavg", lambda: (0.3, 0.3, 0.3), raising=False)
    assert [import_pool.worker_count(n) for n in (1, 20, import_pool.MIN_FILES - 1)] == [0, 0, 0]
    assert import_pool.worker_count(1000) == 1  # and the parent parses too
    monkeypatch.setattr("os.getloadavg", lambda: (4.5, 2.0, 1.0), raising=False)
    assert import_pool.worker_count(1000) == 0  # both cores busy with other work: a pool would only add to it
    monkeypatch.setattr("os.getloadavg", lambda: (0.3, 0.3, 0.3), raising=False)
    monkeypatch.setattr(import_pool, "_ENABLED", False)  # library callers opt in (spawn imports their main module)
    assert import_pool.worker_count(1000) == 0
    monkeypatch.setenv("GWSTATS_IMPORT_WORKERS", "3")
    assert import_pool.worker_count(1000) == 3
    monkeypatch.setenv("GWSTATS_IMPORT_WORKERS", "0")
    assert import_pool.worker_count(1000) == 0


def test_the_cli_turns_the_pool_on(tmp_path, monkeypatch):
    import gwstats.cli.app as cli

    monkeypatch.setattr(import_pool, "_ENABLED", False)
    monkeypatch.setattr(cli, "app", lambda **kw: None)
    frozen = []
    monkeypatch.setattr("gc.freeze", lambda: frozen.append(True))  # what main does as the process ends
    cli.main()
    assert import_pool._ENABLED and frozen == [True]


@pytest.mark.parametrize("value", ["1.20", "1E+3", "-0", "13.55", "0.000001", "3500", None])
def test_a_value_crosses_to_the_parent_exactly(value):
    import pickle
    from decimal import Decimal

    from gwstats.parse.parsed import Value

    v = Value("org_total", None if value is None else Decimal(value), "value", True, "统计表", "D7", "三千五百余", "约数")
    back = pickle.loads(pickle.dumps(v, protocol=pickle.HIGHEST_PROTOCOL))
    assert back == v and type(back) is Value
    assert (back.value is None) if value is None else str(back.value) == value  # trailing zeros and exponents kept
