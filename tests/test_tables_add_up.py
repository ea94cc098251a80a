"""Every table with a 合计 row adds up: in every format, on both bundled samples and at every level.

The rows of a table are the listed units plus the remainder row (the selected unit's 本级, or 其他);
the counts of the shown rows add up to the shown 合计 exactly, amounts within the rounding of the
shown decimals (and then the table carries the rounding note).
"""

from __future__ import annotations

import csv
import io
import json
import re
from decimal import Decimal

import pytest
from typer.testing import CliRunner

from gwstats.cli.app import app
from gwstats.render import report as R
from gwstats.render.chart_data import chart_data
from test_sample_data import _build


def _cli(*args):
    return CliRunner().invoke(app, [str(a) for a in args])


@pytest.fixture(scope="module")
def samples(tmp_path_factory):
    out = {
        "jian-an": (_build(tmp_path_factory.mktemp("ja") / "ws", "jian-an")[0], 2020),
        "anqing-police": (_build(tmp_path_factory.mktemp("aq") / "ws", "anqing-police")[0], 2018),
    }
    for ws, _ in out.values():
        RATES.update(i.name for i in ws.catalog.indicators.values())
    return out


def _d(text) -> Decimal | None:
    text = str(text).strip().rstrip("%")
    if not text or not re.fullmatch(r"-?\d+(\.\d+)?", text):
        return None
    return Decimal(text)


RATES: set[str] = set()


def _assert_adds_up(rows: list[list], header: list[str], skip=("已报",), where=""):
    """rows: data rows with 合计 last; header: column titles. Only columns whose 合计 is a count or amount."""
    total = rows[-1]
    assert total[0] == "合计", where
    for k, title in enumerate(header):
        if k == 0 or title in skip or "·" in title or "比上年" in title or any(title.startswith(r) for r in RATES):
            continue
        t = _d(total[k])
        if t is None:
            continue
        parts = [_d(r[k]) for r in rows[:-1]]
        s = sum((p for p in parts if p is not None), Decimal(0))
        places = -t.as_tuple().exponent
        tol = Decimal(len(rows)) * Decimal(5) / Decimal(10) ** (places + 1) if places else Decimal(0)
        assert abs(s - t) <= tol, f"{where} {title}: rows {s} vs 合计 {t}"


LEVELS = {"jian-an": (None, 2, 3), "anqing-police": (None, 2, 3)}


@pytest.mark.parametrize("name", ["jian-an", "anqing-police"])
def test_records_add_up_at_every_level(samples, name):
    ws, year = samples[name]
    for level in LEVELS[name]:
        res = ws.rollup(year, level=level)
        recs = res.records()
        for m in res.metrics:
            mine = [r for r in recs if r["metric"] == m]
            total = mine[-1]
            if total["kind"] == "rate" or total["value"] is None or ws.catalog.metrics[m].aggregation != "sum":
                continue
            s = sum((r["value"] for r in mine[:-1] if r["value"] is not None), Decimal(0))
            assert s == total["value"], (name, level, m)


@pytest.mark.parametrize("name", ["jian-an", "anqing-police"])
def test_console_csv_and_md_tables_add_up(samples, name):
    ws, year = samples[name]
    for level in LEVELS[name]:
        extra = [] if level is None else ["--level", level]
        out = _cli("rollup", "-w", ws.root, "--year", year, *extra, "-f", "csv")
        assert out.exit_code == 0, out.output
        rows = list(csv.reader(io.StringIO(out.output.lstrip("\ufeff"))))
        _assert_adds_up(rows[1:], rows[0], where=f"{name} csv level {level}")
        out = _cli("rollup", "-w", ws.root, "--year", year, *extra, "-f", "md")
        lines = [ln for ln in out.output.splitlines() if ln.startswith("|") and not set(ln) <= set("|-: ")]
        table = [[c.strip() for c in ln.strip("|").split("|")] for ln in lines]
        _assert_adds_up(table[1:], table[0], where=f"{name} md level {level}")
        out = _cli("rollup", "-w", ws.root, "--year", year, *extra, "-f", "json")
        data = json.loads(out.output)
        for m in {r["metric"] for r in data}:
            mine = [r for r in data if r["metric"] == m]
            if mine[-1]["kind"] == "rate" or mine[-1]["value"] is None:
                continue
            s = sum(Decimal(str(r["value"])) for r in mine[:-1] if r["value"] is not None)
            assert s == Decimal(str(mine[-1]["value"])), (name, level, m)


@pytest.mark.parametrize("name", ["jian-an", "anqing-police"])
def test_report_tables_add_up(samples, name):
    ws, year = samples[name]
    content = R.build_report(ws, year, charts=False)
    tables = [b for b in content.blocks if b.kind == "table" and b.rows and b.rows[-1][0] == "合计"]
    assert tables
    for b in tables:
        _assert_adds_up(b.rows, b.columns, where=f"{name} {b.text}")


@pytest.mark.parametrize("name", ["jian-an", "anqing-police"])
def test_chart_bars_add_up_to_the_subtitle(samples, name):
    ws, year = samples[name]
    res = ws.rollup(year)
    for code in ("wulao_volunteers", "org_total", "legal_lessons"):
        total = res.value(res.root, code)
        if total is None:
            continue
        data = chart_data(ws, res, code, "bar")
        assert sum(Decimal(str(v)) for v in data.values if v is not None) == total, (name, code)


def test_jian_an_level_2_rows_add_up_with_the_city_own_row(samples):
    ws, year = samples["jian-an"]
    res = ws.rollup(year, level=2)
    assert "集安市关工委（本级）" in [res.row_name(k) for k in res.row_keys]
    rows = [res.record(k, "org_total")["value"] for k in res.row_keys]
    assert sum(v for v in rows[:-1] if v is not None) == rows[-1] == 218
