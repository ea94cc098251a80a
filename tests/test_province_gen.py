"""bench/province_gen.py: the province of issue 23's bench, and a city office (``shape="city"``)."""

import sys
from collections import Counter
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
import province_gen as gen  # noqa: E402


def test_a_city_is_one_city_office_with_its_counties_townships_and_leaves():
    units = gen.build_units(2000, shape="city")
    assert len(units) == 2000
    assert Counter(u[4] for u in units) == {1: 1, 2: 8, 3: 112, 4: 1879}
    root = units[0]
    assert root[1] == "长安市关工委" and root[2] == ""
    assert {u[2] for u in units if u[4] == 2} == {root[0]}
    assert any(u[6] and u[7] for u in units) and any(u[5] for u in units)  # moves: merged away, new
    header, rows = gen.form_rows(units, gen.YEARS[1])
    leaves = {u[1] for u in units if u[4] == 4}
    named = {r[3].strip() for r in rows}
    assert 0.9 * len(leaves) < len(rows) and named - leaves  # most leaves report, some by alias or name
    assert not any(n.endswith(("镇关工委", "县关工委", "区关工委", "市关工委")) for n in named)  # leaves only


def test_the_province_stays_as_it_was():
    units = gen.build_units(2000)
    assert len(units) == 3729 and units[0][:2] == ("P", "某某省关工委")
    assert Counter(u[4] for u in units)[2] == 16
    with pytest.raises(ValueError):
        gen.build_units(2000, shape="county")
