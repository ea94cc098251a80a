"""Charts: every kind from a small stored dataset, in the house style, with nothing overlapping."""

import warnings
from decimal import Decimal

import matplotlib.image as mpimg
import pytest
from typer.testing import CliRunner

from gwstats.cli.app import app
from gwstats.render import chart_data as D
from gwstats.render import chart_layout as L
from gwstats.render import charts as C
from gwstats.render import style as S
from gwstats.render.fonts import font_in_use

ORG = "安庆市公安局关工委"
runner = CliRunner()


def _texts(fig):
    out = [t.get_text() for t in fig.texts]
    for name in ("_suptitle", "_supxlabel"):
        t = getattr(fig, name, None)
        if t is not None:
            out.append(t.get_text())
    for ax in fig.axes:
        out += [ax.title.get_text(), ax.xaxis.label.get_text(), ax.yaxis.label.get_text()]
        out += [t.get_text() for t in ax.get_xticklabels() + ax.get_yticklabels()]
        out += [t.get_text() for t in ax.texts if t.get_visible()]
        if ax.get_legend():
            out += [t.get_text() for t in ax.get_legend().get_texts()]
    return out


def _strict_draw(data):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a missing glyph is a failure
        fig = C.draw(data)
        fig.draw_without_rendering()
    return fig


# ---- end to end from the store, every kind ---------------------------------------------------
@pytest.mark.parametrize(
    "kind, metric, title_part",
    [
        ("bar", "legal_lessons", f"{ORG} 2018年 各县(市)局 法制课场次"),
        ("rate", "rate_wuhao", f"{ORG} 2018年 各县(市)局 五好达标率"),
        ("compare", "wulao_volunteers", f"{ORG} 2018年与2017年 各县(市)局 五老志愿者人数"),
        ("trend", "legal_audience", f"{ORG} 2016—2018年 受教育师生人次变化"),
        ("share", "donations_social+donations_wulao", f"{ORG} 2018年 各县(市)局 社会力量捐款、五老捐款捐物构成"),
    ],
)
def test_every_kind_renders_from_the_store(chart_ws, tmp_path, kind, metric, title_part):
    data = D.build_chart(chart_ws, 2018, metric, kind=kind)
    assert data.title == title_part
    assert data.footnote == "数据来源：各单位统计报表（已报 6/7）"
    fig = _strict_draw(data)
    assert L.label_overlaps(fig) == []
    texts = _texts(fig)
    assert title_part in texts
    assert any(t.startswith("数据来源：各单位统计报表（已报 6/7）") for t in texts)
    # axis label carries the unit of measure
    measure = {"bar": "场次", "rate": "%", "compare": "人", "trend": "人次", "share": "万元"}[kind]
    assert any(measure in t for t in (fig.axes[0].yaxis.label.get_text(), fig.axes[0].xaxis.label.get_text()))
    # 16:9 at the workspace's 200 dpi
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        paths = D.make_chart(chart_ws, 2018, metric=metric, kind=kind, output=tmp_path / f"{kind}.png")
    img = mpimg.imread(paths[0])
    assert img.shape[:2] == (1500, 2666)


def test_charts_use_the_cjk_font(chart_ws):
    from matplotlib import font_manager as fm

    from gwstats.render.fonts import _covers, setup_fonts

    fig = _strict_draw(D.build_chart(chart_ws, 2018, "legal_lessons"))
    used = fm.findfont(fig._suptitle.get_fontproperties())
    assert used == font_in_use() == setup_fonts().path
    assert _covers(used, fig._suptitle.get_text().replace(" ", ""))


def test_bar_is_sorted_with_values_total_and_missing_unit_last(chart_ws):
    data = D.build_chart(chart_ws, 2018, "legal_lessons")
    fig = _strict_draw(data)
    ax = fig.axes[0]
    ticks = [t.get_text().replace("\n", "") for t in ax.get_xticklabels()]
    # the 市局's own 本级 (10) is a bar of its own, last, so the bars add up to the 合计 in the subtitle
    assert ticks == ["岳西县公安局", "桐城市公安局", "望江县公安局", "怀宁县公安局", "潜山县公安局", "宿松县公安局",
                     "安庆市公安局本级"]
    labels = [t.get_text() for t in ax.texts]
    assert labels == ["212", "150", "128", "120", "90", "未报", "10"]  # 岳西 = 200 + its station's 12, from the rollup
    assert 212 + 150 + 128 + 120 + 90 + 10 == 710
    # 宿松 gave 60 in 2017 and nothing in 2018: the change is over the units that gave it both years
    assert ax.title.get_text().replace("\n", "").startswith(
        "合计710场次，比2017年增加12场次，宿松县公安局本年未报；按可比口径（剔除这个单位）比2017年增加72场次")
    assert "未报：宿松县公安局" in fig._supxlabel.get_text()


def test_rate_chart_has_target_line_and_marks_units_below(chart_ws):
    data = D.build_chart(chart_ws, 2018, "五好达标率", kind="rate")
    assert data.target == 80  # from gwstats.toml [targets]
    fig = _strict_draw(data)
    ax = fig.axes[0]
    lines = [ln for ln in ax.get_lines() if list(ln.get_ydata()) == [80, 80]]
    assert lines, "target line at 80%"
    colors = [p.get_facecolor() for p in ax.patches]
    import matplotlib.colors as mcolors

    red = mcolors.to_rgba(S.ACCENT)
    ticks = [t.get_text() for t in ax.get_xticklabels()]
    below = {ticks[i] for i, c in enumerate(colors) if c == red}
    assert below == {"潜山县公安局", "望江县公安局"}  # 70.0% and 65.8%
    assert "目标 80.0%" in _texts(fig)
    assert "低于目标 80.0%：望江县公安局、潜山县公安局" in fig._supxlabel.get_text()
    # --target overrides the settings
    data = D.build_chart(chart_ws, 2018, "rate_wuhao", kind="rate", target=89)
    assert data.target == 89
    assert "低于目标 89.0%：望江县公安局、潜山县公安局、怀宁县公安局、岳西县公安局" in "；".join(data.notes)


def test_rate_of_a_count_is_refused(chart_ws):
    from gwstats.core.errors import UsageError

    with pytest.raises(UsageError, match="不是比率"):
        D.build_chart(chart_ws, 2018, "legal_lessons", kind="rate")


def test_compare_labels_the_change_from_the_rollup(chart_ws):
    data = D.build_chart(chart_ws, 2018, "wulao_volunteers", kind="compare")
    assert data.series_names == ("2018年", "2017年")
    fig = _strict_draw(data)
    texts = _texts(fig)
    # 桐城 600 vs 540 (= 600 × 0.9): +60
    assert "+60" in texts and "600" in texts
    assert "2018年" in texts and "2017年" in texts
    assert data.subtitle == ("合计2503人，比2017年减少50人，主要是宿松县公安局本年未报；按可比口径（剔除这个单位）"
                             "比2017年增加250人（未报齐 6/7）")


def test_trend_covers_all_years_in_the_store(chart_ws):
    data = D.build_chart(chart_ws, 2018, "legal_audience", by="year")
    assert data.kind == "trend"
    # 2016 and 2018 lack one unit, 2017 has all seven: the incomplete years say so on their labels
    assert data.labels == ["2016年 已报6/7", "2017年", "2018年 已报6/7"]
    assert [int(v) for v in data.values] == [44100, 57600, 64000]
    assert data.subtitle == "2018年6.4万人次，比2017年增加0.6万人次"  # as the report writes it


def test_share_parts_and_subtitle(chart_ws):
    data = D.build_chart(chart_ws, 2018, "donations_social+donations_wulao", kind="share")
    assert [p[0] for p in data.parts] == ["社会力量捐款", "五老捐款捐物"]
    assert data.subtitle == "合计23.40万元：社会力量捐款15.20万元（65.0%），五老捐款捐物8.20万元（35.0%）"


def test_chart_without_data_is_refused_with_a_message(chart_ws):
    with pytest.raises(C.NoChartData, match="投入警力"):
        D.build_chart(chart_ws, 2018, "police_deployed")


def test_unit_and_level_choose_the_rows(chart_ws):
    data = D.build_chart(chart_ws, 2018, "legal_lessons", level=3)
    # 其他: the 本级 of the units above and the units without a station, so the bars add up to 合计
    assert data.labels == ["岳西县公安局城关派出所", "其他"]
    assert sum(v for v in data.values if v is not None) == 710
    data = D.build_chart(chart_ws, 2018, "legal_lessons", unit="岳西县公安局关工委")
    assert data.labels == ["岳西县公安局城关派出所", "岳西县公安局本级"]  # the bars add up to 合计
    assert "岳西县公安局" in data.title


# ---- drawing from plain data ------------------------------------------------------------------
def _plain(n, kind="bar", name_len=4, **kw):
    labels = [("单位" * name_len)[: name_len - 1] + str(i) for i in range(n)]
    values = [Decimal(i * 7 % 23 + 1) for i in range(n)]
    return C.ChartData(kind, "测试 2018年 各单位 法制课场次", labels, values, "场次", "count", "合计", "数据来源：各单位统计报表（已报 1/1）", **kw)


def test_many_units_switch_to_horizontal_bars(no_glyph_warnings):
    fig = C.draw(_plain(24))
    ax = fig.axes[0]
    assert len(ax.get_yticklabels()) == 24  # categories on the y axis
    assert L.label_overlaps(fig) == []
    fig = C.draw(_plain(12))
    assert len(fig.axes[0].get_xticklabels()) == 12


def test_long_unit_names_wrap_or_rotate_without_overlap(no_glyph_warnings):
    data = _plain(12, name_len=14)
    fig = C.draw(data)
    ax = fig.axes[0]
    ticks = ax.get_xticklabels()
    assert all("\n" in t.get_text() or t.get_rotation() != 0 for t in ticks)
    assert L.label_overlaps(fig) == []


def test_wrap_label_is_balanced():
    assert L.wrap_label("岳西县公安局", 5) == "岳西县\n公安局"
    assert L.wrap_label("桐城", 5) == "桐城"


def test_compare_with_many_units_is_horizontal_and_clean(no_glyph_warnings):
    data = _plain(14, kind="compare", prev_values=[Decimal(3)] * 14, changes=[Decimal(i - 7) for i in range(14)])
    fig = C.draw(data)
    assert len(fig.axes[0].get_yticklabels()) == 14
    assert L.label_overlaps(fig) == []


def test_pie_for_a_single_whole(no_glyph_warnings):
    data = C.ChartData("share", "x 2020年 捐款捐物构成", ["集安市关工委"], [None], "万元", "amount",
                       parts=[("社会力量捐款", [Decimal("20.4")]), ("五老捐款捐物", [Decimal("15.2")])])
    fig = C.draw(data)
    texts = _texts(fig)
    assert any("20.40万元（57.3%）" in t for t in texts)


def test_overlap_detector_detects_overlap():
    fig = C.draw(_plain(3))
    ax = fig.axes[0]
    ax.annotate("重叠的标签", (0, 1))
    ax.annotate("重叠的标签", (0, 1))
    assert L.label_overlaps(fig)


def test_svg_and_pdf_beside_the_png(chart_ws, tmp_path):
    paths = D.make_chart(chart_ws, 2018, metric="legal_lessons", output=tmp_path / "a.png", svg=True, pdf=True)
    assert [p.suffix for p in paths] == [".png", ".svg", ".pdf"]
    assert all(p.stat().st_size > 1000 for p in paths)


# ---- the standard set -------------------------------------------------------------------------
def test_fitted_set_for_a_new_workspace(chart_ws):
    # a new workspace writes no chart list: the set comes from the catalog and the year's data
    assert chart_ws.config.standard_charts == []
    fitted = D.fitted_chart_set(chart_ws, 2018)
    assert fitted == ["rate:rate_wuhao", "compare:wulao_volunteers", "compare:legal_lessons",
                      "compare:aided_students", "trend:rate_wuhao"], fitted
    assert chart_ws.store.years() == [2016, 2017, 2018]  # three years in the store: a line is tried
    assert not any(e.endswith(":police_deployed") for e in fitted)  # nobody gave it


def test_standard_set_with_index_and_skipped_note(chart_ws, tmp_path, monkeypatch):
    fitted = D.fitted_chart_set(chart_ws, 2018)
    monkeypatch.setattr(chart_ws.config, "standard_charts", fitted + ["trend:legal_lessons", "bar:police_deployed"])
    monkeypatch.setattr(D, "MIN_TREND_YEARS", 4)  # as if the store held fewer years than a line needs
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = D.make_standard_charts(chart_ws, 2018, tmp_path / "set")
    assert len(result.files) == len(fitted) + 1
    # too few years: a trend entry is drawn as a paired bar
    assert any("_compare_legal_lessons" in p.name for p in result.paths)
    assert all(p.is_file() for p in result.paths)
    # skipped charts are named in words, never by their codes
    assert result.skipped and result.skipped[0][0] == "柱状图：投入警力" and "没有数据" in result.skipped[0][1]
    index = (tmp_path / "set" / "index.md").read_text(encoding="utf-8")
    for p, title in result.files:
        assert p.name in index and title in index
    assert "未生成" in index and "柱状图：投入警力" in index and "police_deployed" not in index


# ---- command line -------------------------------------------------------------------------------
def test_cli_chart_and_charts(chart_ws, tmp_path):
    w = str(chart_ws.root)
    r = runner.invoke(app, ["chart", "-w", w, "--year", "2018", "--metric", "法制课场次", "-o", str(tmp_path / "a.png")])
    assert r.exit_code == 0, r.output
    assert (tmp_path / "a.png").is_file()
    r = runner.invoke(app, ["chart", "-w", w, "--year", "2018", "--metric", "五好率", "--kind", "rate", "--target", "85",
                            "-o", str(tmp_path / "b.png"), "--svg"])
    assert r.exit_code == 0 and (tmp_path / "b.svg").is_file()
    r = runner.invoke(app, ["chart", "-w", w, "--year", "2018", "--metric", "不存在的指标", "-o", str(tmp_path / "c.png")])
    assert r.exit_code == 2 and "不存在的指标" in r.output and "Traceback" not in r.output
    r = runner.invoke(app, ["chart", "-w", w, "--year", "2018", "--metric", "投入警力", "-o", str(tmp_path / "c.png")])
    assert r.exit_code == 1 and "没有数据" in r.output
    r = runner.invoke(app, ["charts", "-w", w, "--year", "2018", "-o", str(tmp_path / "set"), "-f", "json"])
    assert r.exit_code == 0, r.output
    assert (tmp_path / "set" / "index.md").is_file()
    assert "01_rate_rate_wuhao.png" in r.output and "_trend_" not in r.output  # 五好达标率 has two years


def test_long_titles_and_footnotes_wrap_inside_the_figure(no_glyph_warnings):
    org = "中共某某省某某市公安局机关委员会关心下一代工作委员会"
    data = _plain(10, kind="bar", name_len=16)
    data.title = f"{org} 2018年 各派出所关爱工作站 受教育师生人次"
    data.notes = ["未报：" + "、".join(f"第{i}派出所关爱工作站" for i in range(12))]
    fig = C.draw(data)
    assert "\n" in fig._suptitle.get_text() and "\n" in fig._supxlabel.get_text()
    assert L.label_overlaps(fig) == []
    fig.draw_without_rendering()
    r = fig.canvas.get_renderer()
    width = fig.bbox.width
    for t in (fig._suptitle, fig._supxlabel):
        box = t.get_window_extent(r)
        assert box.x0 >= 0 and box.x1 <= width


def test_many_long_names_in_horizontal_rows_do_not_touch(no_glyph_warnings):
    names = [f"{x}县公安局关工委城关派出所关爱工作站" for x in "甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未"]
    data = C.ChartData("rate", "测试 2018年 各派出所 五好达标率", names, [50 + i * 2.7 for i in range(18)], "%", "rate",
                       target=80)
    fig = C.draw(data)
    assert L.label_overlaps(fig) == []


def test_leaf_unit_has_no_rows_to_chart(chart_ws):
    with pytest.raises(C.NoChartData, match="没有下级单位"):
        D.build_chart(chart_ws, 2018, "legal_lessons", unit="岳西县公安局城关派出所")
    # ... but its trend is fine
    data = D.build_chart(chart_ws, 2018, "legal_lessons", unit="岳西县公安局城关派出所", kind="trend")
    assert [int(v) for v in data.values] == [8, 11, 12]


def test_level_names_from_the_config(chart_ws, monkeypatch):
    raw = dict(chart_ws.config.raw)
    raw["charts"] = {**raw.get("charts", {}), "level_names": {"2": "各县(市)局和直属单位"}}
    monkeypatch.setattr(chart_ws.config, "raw", raw)
    data = D.build_chart(chart_ws, 2018, "legal_lessons")
    assert data.title == f"{ORG} 2018年 各县(市)局和直属单位 法制课场次"


def test_chart_output_suffix_must_be_an_image_format(chart_ws, tmp_path):
    from gwstats.core.errors import UsageError

    with pytest.raises(UsageError, match="图表文件应为 .png、.svg 或 .pdf"):
        D.make_chart(chart_ws, 2018, metric="legal_lessons", output=tmp_path / "c.jpg")
    assert D.make_chart(chart_ws, 2018, metric="legal_lessons", output=tmp_path / "c")[0].name == "c.png"


def test_share_needs_two_parts(chart_ws):
    from gwstats.core.errors import UsageError

    with pytest.raises(UsageError, match="两个或更多部分"):
        D.build_chart(chart_ws, 2018, "legal_lessons", kind="share")


def test_target_line_never_crosses_the_legend_and_footnote_is_legible(chart_ws):
    from gwstats.render import style as S

    assert S.NOTE_SIZE >= 14  # at the default 16:9 size (scale 1)
    for metric in ("rate_wuhao", "rate_coverage"):
        data = D.build_chart(chart_ws, 2018, metric, kind="rate")
        data.target = 80.0 if metric == "rate_wuhao" else data.target  # a line under the top bars
        fig = C.draw(data)
        fig.draw_without_rendering()
        r = fig.canvas.get_renderer()
        ax = fig.axes[0]
        leg = ax.get_legend()
        box = leg.get_window_extent(r)
        assert not any(C._line_crosses(ln, box, r) for ln in ax.lines), metric
        assert fig._supxlabel is None or fig._supxlabel.get_fontsize() >= 14


def test_legend_moves_off_the_target_line(monkeypatch):
    """20 units (horizontal bars, the legend in the lower right): the target line at 80 % runs
    through the legend's default place; the guard in ``_legend`` moves the legend off it. Without
    the guard (``_line_crosses`` answering no) the same chart has the line through the legend."""
    real = C._line_crosses
    data = C.ChartData("rate", "测试 2018年 各单位 五好达标率", [f"单位{i}" for i in range(20)],
                       [Decimal(100 - 3 * i) for i in range(20)], "%", "rate", "", "数据来源", target=80.0)

    def crossed() -> bool:
        fig = C.draw(data)
        fig.draw_without_rendering()
        r = fig.canvas.get_renderer()
        ax = fig.axes[0]
        return any(real(ln, ax.get_legend().get_window_extent(r), r) for ln in ax.lines)

    assert not crossed()
    monkeypatch.setattr(C, "_line_crosses", lambda *a: False)
    assert crossed()  # the case is one the guard has to solve


def test_small_stacked_segments_are_labelled_outside(no_glyph_warnings):
    parts = [("社会力量", [Decimal(20), Decimal(18), Decimal(15)]), ("五老", [Decimal("0.5"), Decimal(6), Decimal(4)])]
    data = C.ChartData("share", "测试 2018年 各单位 捐款构成", ["甲县", "乙县", "丙县"], [None] * 3, "万元", "amount",
                       "合计", "数据来源：各单位统计报表（已报 3/3）", parts=parts)
    fig = C.draw(data)
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert "6.00" in texts and "4.00" in texts  # tall enough: labelled inside
    assert "0.50" not in texts and "20.50" in texts
    # 0.5 is too thin to hold a label inside a column: it is named in the footnote, outside the bars
    assert "柱内未标注的小数值——甲县：五老0.50" in fig._supxlabel.get_text()
    assert L.label_overlaps(fig) == []
    many = C.ChartData("share", "测试 2018年 各单位 捐款构成", [f"单位{i}" for i in range(20)], [None] * 20, "万元",
                       "amount", "合计", "数据来源",
                       parts=[("社会力量", [Decimal(20)] * 20), ("五老", [Decimal("0.5")] + [Decimal(6)] * 19)])
    fig = C.draw(many)  # horizontal bars: room to the right, named beside the total
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert any(t == "20.50（五老0.50）" for t in texts), texts


def test_rate_axis_fits_its_data_and_the_legend_moves_instead():
    """集安's 五好达标率: bars near 100 % fill every corner; the axis stays at 100 % and a little
    (it ran to 200 % when the legend was kept clear by widening the axis) and the legend sits where it
    covers nothing."""
    values = [Decimal(str(v)) for v in (90.5, 88.9, 89.5, 80.0, 81.8, 87.5, 78.6, 80.0, 76.9, 75.0, 83.3, 50.0, 90.0,
                                         90.0, 100.0, 100.0, 100.0, 100.0, 100.0, 100.0)]  # the sample's 20 units
    data = C.ChartData("rate", "集安市关工委 2020年 各单位 五好达标率", [f"单位{i}" for i in range(len(values))],
                       values, "%", "rate", "", "数据来源", target=80.0)
    fig = C.draw(data)
    fig.draw_without_rendering()
    ax = fig.axes[0]
    assert ax.get_xlim()[1] <= 100 * 1.15 + 1e-6  # horizontal bars: the value axis is x (was 201 %)
    r = fig.canvas.get_renderer()
    box = ax.get_legend().get_window_extent(r)
    assert not any(box.overlaps(p.get_window_extent(r)) for p in ax.patches if p.get_height())
    assert not any(box.overlaps(t.get_window_extent(r)) for t in ax.texts)
    assert not any(C._line_crosses(ln, box, r) for ln in ax.lines)


def test_legend_corners_are_tried_on_one_layout(monkeypatch):
    """Every legend corner is tried on one layout (a legend inside the axes moves nothing else): the
    layouts of a chart do not grow with the corners tried (at 100,000 units they were most of each
    chart's drawing). With every corner taken (the target line made to cross them all) the legend
    goes beside the plot, laid out once more."""
    from matplotlib.figure import Figure

    calls = []
    real = Figure.draw_without_rendering
    monkeypatch.setattr(Figure, "draw_without_rendering", lambda self: (calls.append(1), real(self))[1])
    data = C.ChartData("trend", "趋势", ["2017年", "2018年", "2019年"], [100.0, 90.0, 100.0], "%", "rate",
                       target=50.0, sort=False)
    fig = C.draw(data)
    free = len(calls)
    assert fig.axes[0].get_legend().get_bbox_to_anchor().bounds == fig.axes[0].bbox.bounds  # inside, a corner
    calls.clear()
    monkeypatch.setattr(C, "_line_crosses", lambda *a: True)
    fig = C.draw(data)
    assert fig.axes[0].get_legend().get_bbox_to_anchor().bounds != fig.axes[0].bbox.bounds  # beside the plot
    assert free == 1 and len(calls) == 2
