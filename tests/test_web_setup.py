"""首次使用: ``gwstats ui`` on a folder that is not yet a workspace leads to the set-up page, which makes
the workspace (settings, unit list, optionally the catalog from the superior's form) in one step."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

pytest.importorskip("starlette")

from forms import long_form  # noqa: E402
from web_helpers import TOKEN_RE, close_clients  # noqa: E402

from gwstats import Workspace  # noqa: E402
from gwstats.model.config import CONFIG_NAME  # noqa: E402

SAMPLE = Path(__file__).resolve().parents[1] / "sample_data" / "jian-an"


@pytest.fixture(autouse=True)
def _closed_after_each_test():
    yield
    close_clients()


@pytest.fixture
def empty(tmp_path):
    root = tmp_path / "新工作区"
    root.mkdir()
    return root


def _client(root):
    from starlette.testclient import TestClient

    from gwstats.web.app import make_app
    from web_helpers import OPEN

    c = TestClient(make_app(root))
    c.__enter__()
    OPEN.append(c)
    return c


def _fields(**kw):
    base = {"name": "集安市关工委", "year": "2020", "deadline": "01-20", "filled_by": "张敏", "phone": "0435-6222222"}
    base.update(kw)
    return base


def _post(c, data, units: Path | None = None, units_bytes: bytes | None = None, form: Path | None = None):
    token = TOKEN_RE.search(c.get("/setup").text).group(1)
    files = []
    if units is not None:
        files.append(("units", (units.name, units_bytes if units_bytes is not None else units.read_bytes(), "text/csv")))
    if form is not None:
        files.append(("form", (form.name, form.read_bytes(), "application/octet-stream")))
    return c.post("/setup", data={"csrftoken": token, **data}, files=files or None, follow_redirects=False)


def test_every_page_leads_to_setup_until_the_folder_is_a_workspace(empty):
    c = _client(empty)
    for path in ("/", "/import", "/checks", "/units"):
        r = c.get(path, follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"] == "/setup", path
    page = c.get("/setup").text
    assert "首次使用" in page and "报送截止日期" in page and "填报人" in page and "单位名单" in page
    assert not (empty / CONFIG_NAME).exists()


def test_setup_makes_the_workspace_with_its_settings_and_units(empty):
    c = _client(empty)
    r = _post(c, _fields(), units=SAMPLE / "units.csv")
    assert r.status_code == 303 and r.headers["location"] == "/units?year=2020"
    settings = tomllib.loads((empty / CONFIG_NAME).read_text(encoding="utf-8"))
    assert settings["organisation"]["name"] == "集安市关工委"
    assert settings["report"] == {"default_year": 2020, "deadline": "01-20"}
    assert settings["export"] == {"filled_by": "张敏", "phone": "0435-6222222"}
    assert "# 报送截止日期" in (empty / CONFIG_NAME).read_text(encoding="utf-8")  # the comments kept
    ws = Workspace(empty)
    assert len(ws.hierarchy().units) == len((SAMPLE / "units.csv").read_text(encoding="utf-8").splitlines()) - 1
    ws.store.close()
    page = c.get("/units?year=2020").text
    assert "集安市关工委" in page and "财源中学关工委" in page
    assert c.get("/setup", follow_redirects=False).headers["location"] == "/"


def test_a_bad_unit_list_gets_the_units_import_message_and_leaves_the_folder_as_it_was(empty, tmp_path):
    bad = tmp_path / "单位名单.csv"
    bad.write_text("编码,单位名称,上级编码\nA,甲,\nA01,乙,ZZ\n", encoding="utf-8")
    c = _client(empty)
    r = _post(c, _fields(), units=bad)
    assert r.status_code == 400
    from gwstats.core.errors import HierarchyError
    from gwstats.model.unit_edit import units_or_refuse as _units_or_refuse

    with pytest.raises(HierarchyError) as expected:
        _units_or_refuse(bad)
    assert expected.value.message in r.text and expected.value.details[0] in r.text
    assert list(empty.iterdir()) == []
    assert 'value="张敏"' in r.text  # what was typed is kept


@pytest.mark.parametrize("field, value, words", [
    ("year", "20", "统计年度“20”"),
    ("deadline", "1月20日", "报送截止日期“1月20日”"),
    ("name", "", "本级组织名称"),
])
def test_bad_settings_are_named_and_nothing_is_written(empty, field, value, words):
    c = _client(empty)
    r = _post(c, _fields(**{field: value}), units=SAMPLE / "units.csv")
    assert r.status_code == 400 and words in r.text
    assert list(empty.iterdir()) == []


def test_no_unit_list_is_asked_for(empty):
    r = _post(_client(empty), _fields())
    assert r.status_code == 400 and "请选择单位名单文件" in r.text


def test_the_superiors_form_becomes_the_catalog(empty, tmp_path):
    form = long_form(tmp_path / "省关工委统计表.xlsx")
    c = _client(empty)
    r = _post(c, _fields(), units=SAMPLE / "units.csv", form=form)
    assert r.status_code == 303
    from gwstats.forms.from_form import derive
    from gwstats.model.catalog import load_default

    ws = Workspace(empty)
    assert set(ws.catalog.metrics) == {m.code for m in derive(form, load_default()).metrics} != set(load_default().metrics)
    ws.store.close()


def test_a_post_before_setup_elsewhere_is_refused(empty):
    c = _client(empty)
    r = c.post("/import", data={}, follow_redirects=False)
    assert r.status_code == 409 and "首次使用" in r.text
