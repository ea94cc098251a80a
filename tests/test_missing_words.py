"""Issue 20, "One meaning for 未报": 未报 is a unit that sent no return for the year; a return without an
item is 未填; a dissolved unit is 已撤销; a unit covered by its superior's 汇总 return is not missing."""

from gwstats.render import report as R
from store_builders import add_submission, make_ws

UNITS = [
    ("C", "测试县关工委", None),
    ("P", "县公安局关工委", "C"),
    ("P1", "城关派出所", "P"),
    ("P2", "城南派出所", "P"),
    ("T", "石门镇关工委", "C"),
    ("X", "东湖街道关工委", "C", None, 2019),  # dissolved after 2019
]


def test_a_return_without_the_item_is_not_unreported(tmp_path):
    ws = make_ws(tmp_path, UNITS, name="测试县关工委")
    add_submission(ws, "P", 2019, {"org_total": 3, "legal_vp": 5})
    add_submission(ws, "P1", 2019, {"org_total": 4})
    add_submission(ws, "P2", 2019, {"org_total": 4})
    add_submission(ws, "T", 2019, {"org_total": 20})
    add_submission(ws, "X", 2019, {"org_total": 6})
    add_submission(ws, "P", 2020, {"legal_vp": 5})  # reported, 组织数 left blank
    add_submission(ws, "P1", 2020, {"org_total": 4})
    add_submission(ws, "P2", 2020, {"org_total": 4})
    add_submission(ws, "T", 2020, {"org_total": 25})
    rec = ws.rollup(2020).record("C", "org_total")
    assert rec["left_out_why"] == {"县公安局": "本年未填", "东湖街道": "已撤销"}
    text = R.build_report(ws, 2020, charts=False).text()
    assert "县公安局本年未填" in text and "东湖街道已撤销" in text
    assert "县公安局本年未报" not in text and "东湖街道本年未报" not in text
    st = ws.status(2020)
    assert st.missing == []  # every unit in existence sent a return


def test_unit_under_a_superior_huizong_is_covered(tmp_path):
    ws = make_ws(tmp_path, UNITS, name="测试县关工委")
    add_submission(ws, "P", 2020, {"org_total": 11}, scope="汇总")  # 县公安局 for itself and its stations
    add_submission(ws, "T", 2020, {"org_total": 25})
    st = ws.status(2020)
    assert "城关派出所" not in st.missing and "城南派出所" not in st.missing
    assert st.covered == ["城关派出所", "城南派出所"]
    rows = {r["单位"]: r["状态"] for r in st.display_rows()}
    assert rows["城关派出所"] == "由县公安局关工委汇总表填报"


def test_report_never_says_not_counted_for_a_unit_whose_figures_it_prints(tmp_path):
    ws = make_ws(tmp_path, UNITS, name="测试县关工委")
    add_submission(ws, "P1", 2020, {"org_total": 4})  # 县公安局 itself sent nothing; its stations did
    add_submission(ws, "P2", 2020, {"org_total": 6})
    add_submission(ws, "T", 2020, {"org_total": 25})
    text = R.build_report(ws, 2020, charts=False).text()
    assert "未报送报表的有县公安局，其数据未计入本报告" not in text
    assert "县公安局本级未报送报表，其下属单位已报，下属单位的数据已计入本报告" in text
