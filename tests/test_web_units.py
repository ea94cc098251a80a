"""单位 page: one change at a time through Workspace.edit_units, with errors and the year lock shown."""

from __future__ import annotations

import pytest

pytest.importorskip("starlette")

from web_helpers import client, close_clients, csrf_token, job_done, sample_workspace  # noqa: E402


@pytest.fixture(autouse=True)
def _closed_after_each_test():
    yield
    close_clients()


@pytest.fixture
def ws(tmp_path):
    return sample_workspace(tmp_path)[0]


def _post(c, **data):
    return c.post("/units", data={"csrftoken": csrf_token(c, "/units"), "shown_year": "2020", **data}, follow_redirects=False)


def test_the_page_adds_renames_moves_and_stops(ws):
    c = client(ws)
    page = c.get("/units?year=2020").text
    assert 'id="unit-add"' in page and 'id="unit-stop"' in page
    r = _post(c, action="add", code="JA99", name="新区关工委", parent="JA", year="2021")
    assert r.status_code == 303 and r.headers["location"] == "/units?year=2020&done=add&code=JA99"
    assert "已新增：新区关工委[JA99]" in c.get(r.headers["location"]).text
    assert _post(c, action="rename", code="JA99", name="开发区关工委").status_code == 303
    assert _post(c, action="move", code="JA99", parent="JA02").status_code == 303
    assert _post(c, action="stop", code="JA01", year="2020").status_code == 303
    units = {u.code: u for u in ws.store.load_units()}
    assert units["JA99"].name == "开发区关工委" and units["JA99"].parent == "JA02" and units["JA01"].active_to == 2020
    page = c.get("/units?year=2021").text
    assert "开发区关工委" in page


def test_an_error_is_shown_on_the_page(ws):
    c = client(ws)
    r = _post(c, action="move", code="JA", parent="JA01")
    assert r.status_code == 400 and "成环" in r.text and "未保存" in r.text


def test_a_locked_year_refuses_the_change(ws):
    ws.lock_year(2020)
    c = client(ws)
    r = _post(c, action="rename", code="JA01", name="台上镇关心下一代工作委员会")
    assert r.status_code == 400 and "这次修改会改变该年度的单位" in r.text
    assert {u.code: u for u in ws.store.load_units()}["JA01"].name == "台上镇关工委"


def test_the_message_comes_from_known_actions_only(ws):
    c = client(ws)
    assert "假消息" not in c.get("/units?done=假消息&code=JA01").text
    assert "已停用：台上镇关工委[JA01]" in c.get("/units?done=stop&code=JA01").text


@pytest.fixture
def no_units(tmp_path):
    from gwstats import Workspace
    from gwstats.cli.demo import copy_sample

    copy_sample("jian-an", tmp_path / "收到的报表")
    return Workspace.init(tmp_path / "ws", name="集安市关工委", year=2020), tmp_path / "收到的报表" / "units.csv"


def _upload(c, name, data):
    token = csrf_token(c, "/units?year=2020")
    return c.post("/units/import", data={"csrftoken": token, "shown_year": "2020"},
                  files=[("units", (name, data, "text/csv"))], follow_redirects=False)


def test_without_a_unit_list_the_page_offers_its_upload(no_units):
    ws, units = no_units
    c = client(ws)
    page = c.get("/units?year=2020").text
    assert 'id="units-import"' in page and 'name="units"' in page and "命令行" not in page and "units import" not in page
    assert 'href="/units"' in c.get("/?year=2020").text  # 概览 leads there
    r = _upload(c, units.name, units.read_bytes())
    assert r.status_code == 303
    page = c.get(r.headers["location"]).text
    n = len(ws.store.load_units())
    assert n > 5 and f"已导入单位名单：{n} 个单位" in page and 'id="unit-add"' in page and 'id="units-import"' not in page


def test_a_bad_unit_list_gets_the_same_message_as_units_import(no_units, tmp_path):
    ws, _ = no_units
    from gwstats.core.errors import HierarchyError
    from gwstats.model.unit_edit import units_or_refuse

    bad = tmp_path / "单位名单.csv"
    bad.write_text("编码,单位名称,上级编码\nA,甲,\nA01,乙,ZZ\n", encoding="utf-8")
    c = client(ws)
    r = _upload(c, bad.name, bad.read_bytes())
    with pytest.raises(HierarchyError) as expected:
        units_or_refuse(bad)
    assert r.status_code == 400 and expected.value.message in r.text and expected.value.details[0] in r.text
    assert not ws.store.load_units() and 'id="units-import"' in r.text
    r = _upload(c, "名单.docx", b"x")
    assert r.status_code == 400 and "“名单.docx”不是 .xlsx / .xls / .csv 文件" in r.text


def test_no_page_tells_the_clerk_to_type_a_command():
    """Every page template: no `gwstats <command>`, no 命令行 instruction, no --option (what the page does
    is a button; 导入记录 may say that imports come from the page and the command line)."""
    import re
    from pathlib import Path

    import gwstats.web

    templates = Path(gwstats.web.__file__).parent / "templates"
    for t in templates.glob("*.html"):
        text = re.sub(r"<!--.*?-->", "", t.read_text(encoding="utf-8"), flags=re.S)
        text = text.replace("（网页和命令行）", "")
        assert not re.search(r"gwstats [a-z]|命令行|\s--[a-z]", text), t.name


def test_pages_that_need_the_unit_list_say_where_to_upload_it(no_units):
    """汇总, 模板, a product of 成果: without a unit list the page names the 单位 page, not a command."""
    ws, _ = no_units
    c = client(ws)
    for path in ("/rollup?year=2020", "/templates?year=2020"):
        r = c.get(path)
        assert r.status_code == 400 and "请先到“单位”页导入单位名单" in r.text and "gwstats units" not in r.text, path
    r = job_done(c, c.post("/outputs/make/report", data={"csrftoken": csrf_token(c, "/outputs"), "year": "2020"}))
    assert "请先到“单位”页导入单位名单" in r.text and "gwstats units" not in r.text


@pytest.fixture
def big_list(tmp_path):
    """A workspace whose unit list is too long for lists to pick from (a province's, in small)."""
    from gwstats import Workspace
    from gwstats.web.views.units import PICK_LIMIT

    lines = ["编码,单位名称,上级编码,别名,层级,启用年度,停用年度", "P,某某省关工委,,省关工委,1,,"]
    for i in range(1, PICK_LIMIT + 100):
        lines.append(f"P{i:04d},第{i}学校关工委,P,{i}号学校,2,,")
    (tmp_path / "units.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    ws = Workspace.init(tmp_path / "ws", name="某某省关工委", year=2020)
    ws.import_units(tmp_path / "units.csv")
    return ws


def test_a_long_list_is_paged_and_searchable(big_list):
    c = client(big_list)
    page = c.get("/units?year=2020").text
    assert "单位名单（600 个）" in page
    assert page.count("报送记录</a>") == 100 and "第 1–100 条，共 600 条（第 1/6 页）" in page
    assert page.count("<option") < 10 and page.count('placeholder="编码或名称"') == 5  # no lists of 600 units, five times over
    last = c.get("/units?year=2020&page=6").text
    assert "第599学校关工委" in last and "第1学校关工委<" not in last and 'page=5' in last
    found = c.get("/units?year=2020&q=123号学校").text  # by alias
    assert "找到 1 个单位" in found and "第123学校关工委" in found and found.count("报送记录</a>") == 1
    assert "找到 0 个单位" in c.get("/units?year=2020&q=没有这个").text


def test_a_long_list_takes_a_unit_by_its_name(big_list):
    c = client(big_list)
    r = _post(c, action="rename", code="第7学校关工委", name="第七学校关工委")
    assert r.status_code == 303 and r.headers["location"] == "/units?year=2020&done=rename&code=P0007"
    assert "已改名：第七学校关工委[P0007]" in c.get(r.headers["location"]).text
    assert _post(c, action="add", code="P9000", name="新学校关工委", parent="省关工委").status_code == 303
    assert {u.code: u for u in big_list.store.load_units()}["P9000"].parent == "P"
    r = _post(c, action="stop", code="不存在的学校", year="2020")
    assert r.status_code == 400 and "单位名单中没有编码 不存在的学校" in r.text
