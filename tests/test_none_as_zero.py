"""“无” in a count cell is read as 0, with an import note (issue 20); — stays “not applicable”."""

from __future__ import annotations

from decimal import Decimal

from helpers_returns import long_rows, write_xlsx
from store_builders import make_ws


def test_none_word_in_a_count_cell_is_zero_with_a_note(tmp_path):
    ws = make_ws(tmp_path, year=2020)
    path = write_xlsx(tmp_path / "in" / "d.xlsx", {"Sheet1": long_rows(
        {"关工委组织数": 10, "达到五好标准组织数": "无", "帮教对象人数": "—"}, unit="市直单位", year=2020)})
    f = ws.import_paths([path]).files[0]
    assert f.status == "accepted"
    notes = [w for w in f.warnings if w.code == "none-as-zero"]
    assert len(notes) == 1 and "按 0 计" in notes[0].message and notes[0].cell
    rr = ws.rollup(2020)
    assert rr.value("D", "org_wuhao") == Decimal(0)
    assert rr.value("C", "rate_wuhao") == 0.0  # the rate keeps the unit: 0 of 10
    assert rr.value("D", "supervised_youth") is None
