"""设置: gwstats.toml's name, year, 报送截止日期 and contacts edited in the page, written safely."""

from __future__ import annotations

import tomllib

import pytest

pytest.importorskip("starlette")

from web_helpers import client, close_clients, csrf_token, sample_workspace  # noqa: E402

from gwstats.model.config import CONFIG_NAME  # noqa: E402


@pytest.fixture(autouse=True)
def _closed_after_each_test():
    yield
    close_clients()


@pytest.fixture
def ws(tmp_path):
    return sample_workspace(tmp_path)[0]


def _values(**kw):
    v = {"name": "集安市关心下一代工作委员会", "year": "2021", "deadline": "02-10", "filled_by": "李华",
         "phone": "0435-1234567", "unit_name": "集安市"}
    v.update(kw)
    return v


def test_the_page_shows_the_settings_and_saves_them(ws):
    c = client(ws)
    page = c.get("/settings").text
    assert 'value="集安市关工委"' in page and 'value="2020"' in page and 'value="01-15"' in page
    r = c.post("/settings", data={"csrftoken": csrf_token(c, "/settings"), **_values()}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/settings?notice=saved"
    text = (ws.root / CONFIG_NAME).read_text(encoding="utf-8")
    data = tomllib.loads(text)
    assert data["organisation"]["name"] == "集安市关心下一代工作委员会"
    assert data["report"]["default_year"] == 2021 and data["report"]["deadline"] == "02-10"
    assert data["export"] == {"filled_by": "李华", "phone": "0435-1234567", "unit_name": "集安市"}
    assert "# 报送截止日期：统计年度次年的 月-日" in text  # comments kept
    page = c.get("/settings?notice=saved").text
    assert "设置已保存" in page and "集安市关心下一代工作委员会" in c.get("/").text


@pytest.mark.parametrize("field, value, words", [
    ("year", "21", "统计年度“21”"), ("deadline", "二月十日", "报送截止日期“二月十日”"), ("name", " ", "本级组织名称不能为空"),
    ("filled_by", "李\n华", "不能换行"),
])
def test_a_bad_value_is_named_and_the_file_left_as_it_was(ws, field, value, words):
    before = (ws.root / CONFIG_NAME).read_bytes()
    c = client(ws)
    r = c.post("/settings", data={"csrftoken": csrf_token(c, "/settings"), **_values(**{field: value})})
    assert r.status_code == 400 and words in r.text
    assert (ws.root / CONFIG_NAME).read_bytes() == before


def test_empty_optional_values_leave_the_examples(ws):
    c = client(ws)
    c.post("/settings", data={"csrftoken": csrf_token(c, "/settings"), **_values(filled_by="", phone="", unit_name="")})
    text = (ws.root / CONFIG_NAME).read_text(encoding="utf-8")
    assert '# filled_by = "张三"' in text and tomllib.loads(text)["export"] == {}
