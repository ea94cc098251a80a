"""The template we send down, filled in with openpyxl, imports cleanly and exactly."""

from decimal import Decimal

from gwstats.forms.template import write_unit_templates

from helpers_returns import filled_template, make_workspace, stored_values


def test_every_metric_of_the_template_round_trips(tmp_path):
    ws = make_workspace(tmp_path)
    values = {}
    expected = {}
    for i, m in enumerate(ws.catalog.metrics.values(), 1):
        if m.is_integer:
            values[m.name] = i * 7
            expected[m.code] = str(i * 7)
        else:
            values[m.name] = round(i * 1.1 + 0.05, 2)  # floats such as 13.55 must come back exact
            expected[m.code] = str(Decimal(repr(values[m.name])))
    path = filled_template(ws, tmp_path / "岳西县公安局关工委2018年度统计表.xlsx", "YX", 2018, values)
    report = ws.import_paths([path])
    f = report.files[0]
    assert f.status == "accepted" and not f.errors and not f.warnings, report.records()
    got = stored_values(ws, "YX")
    assert {k: v[0] for k, v in got.items()} == expected
    assert all(v[3] == "统计表" and v[4].startswith("D") for v in got.values())


def test_partly_filled_template_with_na_and_zero(tmp_path):
    ws = make_workspace(tmp_path)
    path = filled_template(ws, tmp_path / "t.xlsx", "WJ", 2018,
                           {"法制课场次": 128, "受教育师生人次": 30000, "资助金额": 13.55, "关爱工作站数": "—", "结对帮扶对数": 0})
    f = ws.import_paths([path]).files[0]
    assert f.status == "accepted" and not f.errors and not f.warnings
    got = {k: v[:2] for k, v in stored_values(ws, "WJ").items()}
    assert got == {"legal_lessons": ("128", "value"), "legal_audience": ("30000", "value"), "aid_amount": ("13.55", "value"),
                   "care_stations": (None, "na"), "mentoring_pairs": ("0", "value")}


def test_blank_templates_from_the_workspace_are_recognised_as_empty(tmp_path):
    ws = make_workspace(tmp_path)
    paths = write_unit_templates(ws.catalog, ws.hierarchy(), ["YX"], 2018, tmp_path / "out")
    f = ws.import_paths(paths).files[0]
    assert f.status == "rejected" and "没有填写任何数值" in f.errors[0].message


def test_summary_scope_template(tmp_path):
    ws = make_workspace(tmp_path)
    path = filled_template(ws, tmp_path / "s.xlsx", "YX", 2018, {"法制课场次": 300}, scope="汇总")
    f = ws.import_paths([path]).files[0]
    assert [(r.unit, r.scope) for r in f.returns] == [("YX", "汇总")]
    assert stored_values(ws, "YX", scope="汇总")["legal_lessons"][0] == "300"
