"""成果 → 报上级: ``export --as-return`` as a download, and ``--into`` by uploading the superior's form,
with the cells that could not be filled listed in the page."""

from __future__ import annotations

import io
import re

import pytest

pytest.importorskip("starlette")

from openpyxl import load_workbook  # noqa: E402

from forms import city_long_form  # noqa: E402
from test_export import county  # noqa: E402
from web_helpers import client, close_clients, csrf_token, job_done  # noqa: E402


@pytest.fixture(autouse=True)
def _closed_after_each_test():
    yield
    close_clients()


def test_the_return_for_the_level_above_is_made_and_downloaded(tmp_path):
    ws, sums = county(tmp_path, "XA", "甲县关工委", 3, 1)
    c = client(ws)
    # the county's made-up figures break the catalog's rules (骨干 more than 志愿者): the page holds the
    # return over them (tests/test_web.py), and 照样生成 makes it
    token = csrf_token(c, "/outputs?year=2018")
    held = job_done(c, c.post("/outputs/make/return", data={"csrftoken": token, "year": "2018"}))
    assert 'id="held"' in held.text and 'id="download-return"' not in held.text
    r = job_done(c, c.post("/outputs/make/return", data={"csrftoken": token, "year": "2018", "allow_errors": "1"}))
    assert r.status_code == 200 and "已生成报上级汇总表" in r.text
    href = re.search(r'id="download-return" href="([^"]+)"', r.text).group(1)
    got = c.get(href)
    assert got.status_code == 200 and "attachment" in got.headers["content-disposition"]
    book = load_workbook(io.BytesIO(got.content))
    values = [c.value for row in book.active.iter_rows() for c in row]
    assert sums["wulao_volunteers"] in values


def test_the_superiors_form_is_filled_and_unmatched_cells_listed(tmp_path):
    ws, sums = county(tmp_path, "XA", "甲县关工委", 3, 1)
    form = city_long_form(tmp_path / "丙市下发统计表.xlsx", year=2018)
    c = client(ws)
    token = csrf_token(c, "/outputs?year=2018")
    r = c.post("/outputs/fill", data={"csrftoken": token, "year": "2018"},
               files=[("form", (form.name, form.read_bytes(), "application/octet-stream"))])
    assert r.status_code == 200
    assert 'id="unmatched"' in r.text and "市统计表!D13" in r.text and "关爱老党员人数" in r.text
    assert "已把 甲县关工委 2018 年度汇总数填入" in r.text
    href = re.search(r'id="download-filled" href="([^"]+)"', r.text).group(1)
    filled = load_workbook(io.BytesIO(c.get(href).content))["市统计表"]
    assert filled["D5"].value == sums["wulao_volunteers"]


def test_a_form_that_is_not_xlsx_is_named(tmp_path):
    ws, _ = county(tmp_path, "XA", "甲县关工委", 2, 1)
    c = client(ws)
    r = c.post("/outputs/fill", data={"csrftoken": csrf_token(c, "/outputs?year=2018"), "year": "2018"},
               files=[("form", ("上级表.doc", b"x", "application/octet-stream"))])
    assert r.status_code == 400 and "上级表格“上级表.doc”不是 .xlsx 文件" in r.text
