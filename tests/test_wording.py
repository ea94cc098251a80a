"""The Chinese wording of summaries, case by case."""

from decimal import Decimal as D

import pytest

from gwstats.model.catalog import load_default
from gwstats.render import wording as w


@pytest.mark.parametrize(
    "value, measure, kind, approx, expected",
    [
        (218, "个", "count", False, "218个"),
        (D("218"), "个", "count", False, "218个"),
        (0, "人", "count", False, "0人"),
        (6000, "人次", "count", False, "6000人次"),
        (9999, "人次", "count", False, "9999人次"),
        (10000, "人次", "count", False, "1.0万人次"),
        (30000, "人次", "count", False, "3.0万人次"),
        (34560, "人次", "count", False, "3.5万人次"),
        (34550, "人次", "count", False, "3.5万人次"),  # 3.455 -> 3.5 (half up)
        (12000, "人", "count", False, "12000人"),  # only person-times switch to 万 at 10 000
        (250000, "人", "count", False, "25.0万人"),
        (D("13.55"), "万元", "amount", False, "13.55万元"),
        (D("35.6"), "万元", "amount", False, "35.60万元"),
        (D("0.005"), "万元", "amount", False, "0.01万元"),
        (D("13.65"), "万元", "amount", False, "13.65万元"),
        (850, "元", "amount", False, "850元"),
        (D("850.5"), "元", "amount", False, "850.50元"),
        (135500, "元", "amount", False, "13.55万元"),
        (800, "人", "count", True, "800余人"),
        (457, "人", "count", True, "450余人"),  # rounded down to a round figure: never more than it was
        (2503, "人", "count", True, "2500余人"),
        (7, "个", "count", True, "约7个"),  # no round figure below 10
        (42000, "人次", "count", True, "4万余人次"),
        (D("35.60"), "万元", "amount", True, "35万余元"),
        (D("0.60"), "万元", "amount", True, "约0.60万元"),
        (None, "人", "count", False, ""),
    ],
)
def test_number(value, measure, kind, approx, expected):
    assert w.number(value, measure, kind, approx=approx) == expected


def test_amount_sum_is_exact_in_words():
    assert w.number(D("13.55") + D("0.1"), "万元", "amount") == "13.65万元"


@pytest.mark.parametrize(
    "delta, measure, kind, expected",
    [
        (6, "个", "count", "比上年增加6个"),
        (-3, "人", "count", "比上年减少3人"),
        (0, "个", "count", "与上年持平"),
        (D("0"), "场次", "count", "与上年持平"),
        (12000, "人次", "count", "比上年增加1.2万人次"),
        (-500, "人次", "count", "比上年减少500人次"),
        (D("1.2"), "万元", "amount", "比上年增加1.20万元"),
        (D("-0.5"), "万元", "amount", "比上年减少0.50万元"),
        (D("0.001"), "万元", "amount", "与上年持平"),  # rounds to 0.00: never 增加0.00万元
        (None, "个", "count", ""),
    ],
)
def test_change_of_counts_and_amounts(delta, measure, kind, expected):
    assert w.change(delta, measure, kind) == expected


@pytest.mark.parametrize(
    "delta, expected",
    [
        (8.0, "比上年提高8.0个百分点"),
        (8, "比上年提高8.0个百分点"),
        (-1.2, "比上年下降1.2个百分点"),
        (0.0, "与上年持平"),
        (0.04, "与上年持平"),
        (-0.04, "与上年持平"),
        (0.05, "比上年提高0.1个百分点"),
        (None, ""),
    ],
)
def test_change_of_rates_is_in_percentage_points(delta, expected):
    assert w.change(delta, kind="rate") == expected


def test_never_increase_zero():
    for delta in (0, D("0.0"), 0.0, D("-0")):
        for kind, measure in (("count", "个"), ("amount", "万元"), ("rate", "%")):
            text = w.change(delta, measure, kind)
            assert text == "与上年持平", (delta, kind, text)
            assert "0个" not in text and "0.0个百分点" not in text


def test_rates_and_shares():
    assert w.rate(80.7) == "80.7%"
    assert w.rate(80.66) == "80.7%"
    assert w.rate(100.0) == "100.0%"
    assert w.share(80.7) == "占80.7%"
    assert w.share(None) == ""
    assert w.rate(D("1539.77"), "元") == "1539.77元"


def test_signed_labels():
    assert w.signed(6) == "+6"
    assert w.signed(-3) == "-3"
    assert w.signed(0) == "持平"
    assert w.signed(8.04, "rate") == "+8"  # as the text writes a whole 百分点 change
    assert w.signed(D("7.84"), "rate") == "+7.8"
    assert w.signed(D("-1.5"), "amount") == "-1.50"


def test_plain_number_for_tables():
    assert w.plain_number(D("218")) == "218"
    assert w.plain_number(D("13.5"), "amount") == "13.50"
    assert w.plain_number(80.666, "rate") == "80.7"
    assert w.plain_number(80.666, "rate", "%") == "80.7"
    assert w.plain_number(D("1793.333"), "rate", "元") == "1793.33"  # as the sentence and the console say it
    assert w.plain_number(None) == ""


def _rec(name, measure, kind, value, change=None):
    return {"metric_name": name, "measure": measure, "kind": kind, "value": value, "change": change}


def test_group_sentence_like_the_jian_an_summary():
    records = {
        "org_total": _rec("关工委组织数", "个", "count", D(218), D(6)),
        "org_wuhao": _rec("达到五好标准组织数", "个", "count", D(176), D(30)),
        "rate_wuhao": _rec("五好达标率", "%", "rate", 176 / 218 * 100, 8.0),
    }
    cat = load_default()
    text = w.catalog_group_sentence(cat, "组织建设", records, scope="全市")
    assert text == "全市共有关工委组织218个，比上年增加6个；其中达到“五好”标准的176个，占80.7%，比上年提高8个百分点。"


def test_group_sentence_skips_metrics_without_data_and_says_nothing_for_an_empty_group():
    cat = load_default()
    records = {
        "wulao_volunteers": _rec("五老志愿者人数", "人", "count", D(2503), D(135)),
        "wulao_core": _rec("五老骨干人数", "人", "count", D(802), None),
        "retired_police": _rec("参与关工工作退休民警人数", "人", "count", None, None),
        "rate_wulao_core": _rec("五老骨干占比", "%", "rate", 802 / 2503 * 100, None),
    }
    text = w.catalog_group_sentence(cat, "五老队伍", records, scope="全市")
    assert text == "全市共有五老志愿者2503人，比上年增加135人；其中五老骨干802人，占32%。"
    assert "退休民警" not in text
    assert w.catalog_group_sentence(cat, "宣传", {}, scope="全市") == ""


def test_group_sentence_with_unchanged_count_and_a_standalone_indicator():
    cat = load_default()
    records = {
        "aided_students": _rec("资助困难学生人数", "人", "count", D(88), D(0)),
        "aid_amount": _rec("资助金额", "万元", "amount", D("13.55"), D("-1.2")),
        "avg_aid": _rec("人均资助金额", "元", "rate", 1539.77, None),
    }
    text = w.catalog_group_sentence(cat, "帮扶助学", records, scope="全县")
    assert text == "全县资助困难学生88人，与上年持平；资助金额13.6万元，比上年减少1.2万元；人均资助金额1539.77元。"


def test_approximate_values_say_yue():
    rec = _rec("法制课场次", "场次", "count", D(200), None)
    rec["approx"] = True
    assert w.value_clause(rec) == "开展法制课200余场次"
    rec = _rec("五老志愿者人数", "人", "count", D(457), D(12))
    rec["approx"] = True
    assert w.value_clause(rec) == "共有五老志愿者450余人，比上年增加12人"
    assert "约457" not in w.value_clause(rec)


def test_person_times_in_wan_keep_one_form_in_a_sentence():
    rec = _rec("受教育师生人次", "人次", "count", D(80000), D(6000))
    assert w.value_clause(rec) == "受教育师生8万人次，比上年增加0.6万人次"
    rec = _rec("受教育师生人次", "人次", "count", D(80000), D(-600))
    assert w.value_clause(rec) == "受教育师生8万人次，比上年减少0.1万人次"
    rec = _rec("受教育师生人次", "人次", "count", D(9600), D(600))
    assert w.value_clause(rec) == "受教育师生9600人次，比上年增加600人次"


@pytest.mark.parametrize(
    "names, expected",
    [
        (["桐城市公安局关工委", "潜山县公安局关工委", "怀宁县局"], "各县(市)局"),
        (["迎江分局", "大观分局"], "各分局"),
        (["东城街道关工委", "西山镇关工委", "清河乡关工委"], "各乡镇(街道)"),
        (["台上镇关工委", "财源镇关工委"], "各镇"),
        (["东城区关工委", "西山县关工委"], "各县(市、区)"),
        (["东城区关工委", "市教育局关工委"], "各单位"),
        (["鼓楼派出所", "建邺派出所"], "各派出所"),
    ],
)
def test_level_word(names, expected):
    assert w.level_word(names) == expected


def test_scope_titles_and_notes():
    assert w.scope_word("集安市关工委") == "全市"
    assert w.scope_word("西山县关工委") == "全县"
    assert w.scope_word("东城街道关工委") == "全街道"
    assert w.scope_word("某某关工委") == "全系统"
    assert w.short_unit("桐城市公安局关工委") == "桐城市公安局"
    assert w.source_note("12/13") == "数据来源：各单位统计报表（已报 12/13）"
    assert w.chart_title("安庆市公安局关工委", 2018, "各县(市)局", "法制课场次") == "安庆市公安局关工委 2018年 各县(市)局 法制课场次"
    assert w.report_title("安庆市公安局关工委", 2018) == "安庆市公安局关工委2018年度关心下一代工作统计分析"
    assert w.coverage_sentence(12, 13, ["岳西县局"]) == "应报13个单位，已报12个，未报1个（岳西县局）。"
    assert w.coverage_sentence(13, 13) == "应报13个单位，已报13个。"


def test_parts_of_a_total_follow_it_with_qizhong():
    cat = load_default()
    assert w.total_parts(cat)["donations"] == ["donations_social", "donations_wulao"]
    records = {
        "donations": _rec("捐款捐物", "万元", "amount", D("35.60"), D("3.33")),
        "donations_social": _rec("社会力量捐款", "万元", "amount", D("20.40"), D("1.63")),
        "donations_wulao": _rec("五老捐款捐物", "万元", "amount", D("15.20"), D("1.70")),
    }
    text = w.catalog_group_sentence(cat, "帮扶助学", records, scope="全市")
    assert text == "全市捐款捐物35.6万元，比上年增加3.3万元，其中社会力量20.4万元、五老15.2万元。"
    # without the total the parts are said on their own
    del records["donations"]
    text = w.catalog_group_sentence(cat, "帮扶助学", records, scope="全市")
    assert text.startswith("全市协调社会力量捐款20.4万元，比上年增加1.6万元；五老捐款捐物15.2万元")


def test_part_name_drops_what_the_total_says():
    assert w.part_name("社会力量捐款", "捐款捐物") == "社会力量"
    assert w.part_name("五老捐款捐物", "捐款捐物") == "五老"
    assert w.part_name("五老骨干人数", "五老志愿者人数") == "五老骨干人数"


def test_cross_tab_cells_stay_out_of_the_group_sentence():
    from gwstats.model.catalog import Catalog, Metric

    from gwstats.render.wording import catalog_group_sentence

    metrics = {"org_total": Metric("org_total", "关工委组织数", "个", group="组织建设"),
               "t1_r1_c1": Metric("t1_r1_c1", "村·关工委组织数", "个", group="组织建设", table="表1", row="村", column="关工委组织数")}
    cat = Catalog(metrics, {}, [])
    recs = {c: {"metric_name": m.name, "measure": "个", "kind": "count", "value": 5} for c, m in metrics.items()}
    text = catalog_group_sentence(cat, "组织建设", recs)
    assert text == "全市共有关工委组织5个。"


def test_coverage_sentence_counts_units_covered_by_a_huizong_apart():
    from gwstats.render import wording as w

    # 12 expected: 9 sent a return, 2 police stations came in the bureau's 汇总, 白沙镇 sent nothing
    assert (w.coverage_sentence(9, 12, ["白沙镇关工委"], 2)
            == "应报12个单位，已报9个，由上级汇总表填报2个，未报1个（白沙镇关工委）。")
