"""A small seeded run of bench/fuzz_import.py: mutants of the bundled returns never crash the
import, never hang, and never change the store when refused."""

import importlib.util
from pathlib import Path

BENCH = Path(__file__).resolve().parents[1] / "bench" / "fuzz_import.py"


def load():
    spec = importlib.util.spec_from_file_location("fuzz_import", BENCH)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_mutants_are_refused_or_read_never_crash(tmp_path):
    fz = load()
    res = fz.run(72, seed=7, workdir=tmp_path, log=lambda *a: None)
    assert not res["problems"], "\n".join(res["problems"])
    refused = sum(v for k, v in res["outcomes"].items() if k.startswith("refused:"))
    assert refused >= 20 and res["outcomes"]["replaced"] >= 10  # the mutations bite, and good data still lands
    dup = res["by_mutation"]["duplicate-entry"]
    assert dup["rejected"] >= 5 and set(dup) == {"rejected"}  # every duplicated zip entry refused
