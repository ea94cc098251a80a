"""What every response of the page carries, and forms over the upload limits said in Chinese."""

from __future__ import annotations

import pytest

from web_helpers import client, close_clients, csrf_token, sample_workspace


@pytest.fixture(autouse=True)
def _closed_after_each_test():
    yield
    close_clients()


@pytest.fixture
def fresh(tmp_path):
    return sample_workspace(tmp_path)


def test_no_page_can_be_framed_and_no_foreign_script_runs(fresh):
    ws, _ = fresh
    c = client(ws)
    for path in ("/", "/import", "/static/page.js", "/no-such-page"):
        r = c.get(path)
        assert r.headers["x-frame-options"] == "DENY", path
        csp = r.headers["content-security-policy"]
        assert "frame-ancestors 'none'" in csp and "script-src 'self'" in csp, path
    page = c.get("/").text
    assert "onchange=" not in page and "javascript:" not in page  # no inline script for the policy to block
    assert '<script src="/static/page.js">' in page


def test_more_files_than_an_upload_takes_gets_a_chinese_page(fresh):
    ws, _ = fresh
    c = client(ws)
    token = csrf_token(c)
    files = [("files", (f"{i}.csv", b"a,b\n", "text/csv")) for i in range(1001)]
    r = c.post("/import", data={"csrftoken": token}, files=files)
    assert r.status_code == 400
    assert "一次上传的文件太多" in r.text and "Too many" not in r.text
    assert r.headers["content-type"].startswith("text/html")


def test_a_form_with_too_many_fields_gets_a_chinese_page(fresh):
    ws, _ = fresh
    c = client(ws)
    token = csrf_token(c)
    data = {"csrftoken": token, **{f"f{i}": "x" for i in range(1001)}}
    r = c.post("/import", data=data, files=[("files", ("a.csv", b"a,b\n", "text/csv"))])
    assert r.status_code == 400
    assert "表单的项目太多" in r.text and "Too many" not in r.text


def test_an_organisation_name_with_a_slash_names_files_not_folders(fresh):
    from gwstats.web.views.outputs import _names

    ws, _ = fresh
    ws.update_settings(name='甲/乙:市"关工委?')
    names = _names(ws.__class__(ws.root), 2020)
    assert all("/" not in n and ":" not in n and '"' not in n and "?" not in n for n in names.values())
    assert names["workbook"] == "甲_乙_市_关工委_2020年度汇总.xlsx"
