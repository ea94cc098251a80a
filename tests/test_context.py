"""parse.context.Context: a unit found by name in a text, the unit keys made only when needed."""

from gwstats.model.catalog import load_default
from gwstats.model.hierarchy import Hierarchy, parse_units
from gwstats.parse.context import Context

from helpers_returns import UNITS_CSV


def _context():
    rows = [line.split(",") for line in UNITS_CSV.strip().splitlines()]
    units, _ = parse_units(rows, "units.csv")
    return Context(load_default(), Hierarchy({u.code: u for u in units}), year=2018)


def test_rows_that_name_their_units_never_make_the_unit_keys():
    """A form export's rows name their units: the list of every unit's keys (100,000 units: 200,000
    keys, 0.4 s) is not made for them."""
    ctx = _context()
    assert ctx.unit_named("岳西县公安局关工委") == "YX"
    assert ctx.unit_named("天堂派出所") == "YX02"
    assert ctx._keys_by_length is None


def test_names_inside_a_text_are_still_found_longest_first():
    ctx = _context()
    assert ctx.unit_in_text("2018年岳西县公安局城关派出所关工委统计表") == "YX01"
    assert ctx.unit_in_text("2018年岳西县公安局关工委统计表") == "YX"
    assert ctx.unit_named("岳西县局机关") == "YX"
    assert ctx._keys_by_length is not None
    assert ctx.unit_in_text("某某统计表") is None
