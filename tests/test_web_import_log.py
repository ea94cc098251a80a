"""导入记录 (gwstats.ingest.log + the page): every import, from the command line or the page, stays
visible with its per-file results and refusal reasons; dry runs are not recorded."""

from __future__ import annotations

import pytest

pytest.importorskip("starlette")

from web_helpers import client, close_clients, sample_workspace  # noqa: E402

from gwstats.ingest.log import LOG_NAME  # noqa: E402


@pytest.fixture(autouse=True)
def _closed_after_each_test():
    yield
    close_clients()


def test_every_import_with_its_files_and_refusals(tmp_path):
    ws, inputs = sample_workspace(tmp_path)
    broken = tmp_path / "坏文件.xlsx"
    broken.write_bytes(b"not a workbook")
    ws.import_paths([inputs / "2020", broken], dry_run=True)
    assert ws.import_log() == []  # a dry run is not an import
    ws.import_paths([inputs / "2020", broken], imported_by="王芳")
    ws.import_paths([inputs / "2019"])
    log = ws.import_log()
    assert len(log) == 2 and log[1]["by"] == "王芳" and log[0]["by"]  # newest first; default: the account
    assert any(r["imported_by"] == "王芳" for r in ws.recent_files(50))
    refused = [f for f in log[1]["files"] if f["文件"] == "坏文件.xlsx"]
    assert refused and refused[0]["错误"]
    (ws.root / LOG_NAME).open("a", encoding="utf-8").write('{"at": "cut sho')  # a line cut by a power cut
    assert len(ws.import_log()) == 2
    page = client(ws).get("/import/log").text
    assert "王芳" in page and "坏文件.xlsx" in page and refused[0]["错误"][:20] in page
    assert "1 个文件未导入" in page and "导入记录" in page


def test_an_empty_log_says_so(tmp_path):
    ws, _ = sample_workspace(tmp_path)
    assert "还没有导入过报表" in client(ws).get("/import/log").text


def test_the_next_year_is_in_the_year_list(tmp_path):
    ws, _ = sample_workspace(tmp_path)
    page = client(ws).get("/").text
    assert '<option value="2020" selected>' in page and '<option value="2021">' in page
