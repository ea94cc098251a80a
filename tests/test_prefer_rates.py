"""`--prefer reported` builds a rate and the counts printed beside it on the same units (issue 20: one
line said 20 organisations beside a rate of 11/14 = 78.6 %; a calculator gets 11/20 = 55 %)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from typer.testing import CliRunner

from gwstats.cli.app import app
from store_builders import add_submission, make_ws


def _printed(ws, *args) -> dict[str, str]:
    """The console table of `gwstats rollup`: metric name -> the 本年 figure as printed."""
    r = CliRunner().invoke(app, ["rollup", "-w", str(ws.root), "-y", "2020", *args])
    assert r.exit_code == 0, r.output
    out = {}
    for line in r.output.splitlines():
        parts = line.split()
        if len(parts) >= 2 and parts[0] in ("关工委组织数", "达到五好标准组织数", "五好达标率"):
            out[parts[0]] = parts[1]
    return out


@pytest.fixture
def ws(tmp_path):
    """甲县 sends a 汇总 with 组织数 12 but no 五好数 while only 一站 of its two reported."""
    ws = make_ws(tmp_path, year=2020)
    add_submission(ws, "A", 2020, {"org_total": 12}, scope="汇总")
    add_submission(ws, "A1", 2020, {"org_total": 6, "org_wuhao": 5})
    for unit in ("B1", "B2"):
        add_submission(ws, unit, 2020, {"org_total": 4, "org_wuhao": 3})
    for unit in ("B", "D", "C"):
        add_submission(ws, unit, 2020, {"org_total": 0, "org_wuhao": 0})
    return ws


@pytest.mark.parametrize("prefer", ["computed", "reported"])
def test_printed_rate_is_recomputable_from_printed_counts(ws, prefer):
    shown = _printed(ws, "--prefer", prefer)
    total, wuhao, rate = Decimal(shown["关工委组织数"]), Decimal(shown["达到五好标准组织数"]), Decimal(shown["五好达标率"])
    assert rate == (wuhao / total * 100).quantize(Decimal("0.1"))  # was 20 beside 11/14 = 78.6
    assert (total, wuhao) == (14, 11)


def test_record_count_equals_rate_denominator(ws):
    rr = ws.rollup(2020, prefer="reported")
    for unit in ("C", "A"):
        total, wuhao, rate = (rr.record(unit, m) for m in ("org_total", "org_wuhao", "rate_wuhao"))
        assert rate["denominator"] == total["value"] and rate["numerator"] == wuhao["value"]
    # the 汇总's figure is not lost: the county's record says what it reported
    assert "本单位汇总表填报 12" in rr.record("A", "org_total")["note"]


def test_a_huizong_with_every_part_still_stands_in(tmp_path):
    ws = make_ws(tmp_path, year=2020)
    add_submission(ws, "A", 2020, {"org_total": 12, "org_wuhao": 9}, scope="汇总")
    add_submission(ws, "A1", 2020, {"org_total": 6, "org_wuhao": 5})
    for unit in ("B", "B1", "B2", "D", "C"):
        add_submission(ws, unit, 2020, {"org_total": 4, "org_wuhao": 3})
    rr = ws.rollup(2020, prefer="reported")
    total, wuhao, rate = (rr.record("C", m) for m in ("org_total", "org_wuhao", "rate_wuhao"))
    assert (total["value"], wuhao["value"]) == (32, 24)  # 12 + 5 × 4, 9 + 5 × 3
    assert (rate["numerator"], rate["denominator"]) == (24, 32)


def test_silent_subordinates_rate_names_the_unit_left_out(tmp_path):
    """A 汇总-only county (towns silent) giving 组织数 but not 五好数: its 22 counts (the only figure there
    is), and the rate says it leaves that county out, in both modes."""
    ws = make_ws(tmp_path, year=2020)
    add_submission(ws, "A", 2020, {"org_total": 22}, scope="汇总")
    for unit, (t, w) in {"B1": (4, 3), "B2": (4, 3), "B": (0, 0), "D": (6, 5), "C": (0, 0)}.items():
        add_submission(ws, unit, 2020, {"org_total": t, "org_wuhao": w})
    for prefer in ("computed", "reported"):
        rr = ws.rollup(2020, prefer=prefer)
        assert rr.record("C", "org_total")["value"] == 36
        rate = rr.record("C", "rate_wuhao")
        assert (rate["numerator"], rate["denominator"]) == (11, 14)
        assert rate["rate_left_out"] == "不含未填达到五好标准组织数的甲县"
    found = [f for f in ws.check(2020).findings if f.code == "rate-part-missing"]
    assert any("甲县" in f.message and "关工委组织数 22" in f.message for f in found)
