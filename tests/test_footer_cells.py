"""A footer row laid out in cells is not an unknown metric (issue 20: 未识别的指标“王芳”)."""

from __future__ import annotations

from helpers_returns import long_rows, write_xlsx
from store_builders import make_ws


def test_footer_row_in_cells_is_not_a_metric(tmp_path):
    ws = make_ws(tmp_path, year=2020)
    rows = long_rows({"关工委组织数": 10}, unit="市直单位", year=2020, footer=False)
    rows.append(["填报人", "王芳", "填报日期", "2021-01-05", None])
    f = ws.import_paths([write_xlsx(tmp_path / "in" / "d.xlsx", {"Sheet1": rows})]).files[0]
    assert f.status == "accepted"
    assert not [w for w in f.warnings if w.code == "unknown-label"], [w.message for w in f.warnings]
