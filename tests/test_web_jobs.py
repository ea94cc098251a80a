"""gwstats.web.jobs: long work of a page (report, workbook, charts, template zip) as a background job:
other pages answer while it runs, its progress is on the page and in /jobs/<id>, its file is offered
when it is done, what went wrong is said in Chinese, and the page shows the same job after a reload."""

from __future__ import annotations

import io
import re
import threading
import zipfile

import pytest

pytest.importorskip("starlette")
pytest.importorskip("httpx")

from web_helpers import client, close_clients, csrf_token, job_done, sample_workspace  # noqa: E402

from gwstats.web import jobs  # noqa: E402
from gwstats.web.views import outputs  # noqa: E402

WAIT = 30  # seconds; a test that waits this long has failed


@pytest.fixture(autouse=True)
def _closed_after_each_test():
    yield
    close_clients()


@pytest.fixture
def fresh(tmp_path):
    ws, _ = sample_workspace(tmp_path)
    return ws


@pytest.fixture(scope="module")
def loaded(tmp_path_factory):
    ws, inputs = sample_workspace(tmp_path_factory.mktemp("jobs"))
    ws.import_paths([inputs / "2020"])
    return ws


def _job_of(r) -> str:
    return re.search(r"[?&]job=([\w-]+)", r.headers["location"]).group(1)


def _recorded(monkeypatch) -> list[tuple]:
    """Every progress call of every job, as (step, steps, words)."""
    calls = []
    real = jobs.Job.progress

    def record(self, step, steps, words):
        calls.append((step, steps, words))
        real(self, step, steps, words)

    monkeypatch.setattr(jobs.Job, "progress", record)
    return calls


def test_a_job_under_way_shows_its_progress_while_every_other_page_answers(fresh, monkeypatch):
    started, release = threading.Event(), threading.Event()
    ran_on = []

    def held_report(ws, year, progress=None):  # a long report: stops at its second step until told
        ran_on.append(threading.current_thread().name)
        progress(2, 3, "正在排版报告")
        started.set()
        assert release.wait(WAIT)
        return "已生成统计分析报告。"

    monkeypatch.setitem(outputs.MAKERS, "report", held_report)
    c = client(fresh)
    token = csrf_token(c, "/outputs?year=2020")
    try:
        r = c.post("/outputs/make/report", data={"csrftoken": token, "year": "2020"}, follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"].startswith("/outputs?year=2020&job=")
        job = _job_of(r)
        assert started.wait(WAIT)
        for path in ("/units", "/checks?year=2020", "/rollup?year=2020", "/", "/import"):  # nothing waits for it
            assert c.get(path).status_code == 200, path
        assert not release.is_set()
        page = c.get(r.headers["location"])
        box = re.search(r'<div class="card job" id="job-report" data-job="([^"]+)"[^>]*>(.*?)</div>', page.text, re.S)
        assert box and box.group(1) == job
        assert "正在生成统计分析报告……" in box.group(2) and '<progress max="3" value="1">' in box.group(2)
        assert "正在排版报告 2/3" in box.group(2)
        assert '<script src="/static/jobs.js"></script>' in page.text and "<script>" not in page.text
        answer = c.get(f"/jobs/{job}").json()
        assert (answer["state"], answer["step"], answer["steps"], answer["text"], answer["over"]) == \
            ("running", 2, 3, "正在排版报告 2/3", False)
        # the page opened again without the job's address still shows it under way
        assert f'data-job="{job}"' in c.get("/outputs?year=2020").text
        # asked again while under way: the same job, not a second report
        again = c.post("/outputs/make/report", data={"csrftoken": token, "year": "2020"}, follow_redirects=False)
        assert _job_of(again) == job
    finally:
        release.set()
    done = job_done(c, r)
    assert '<p class="notice" id="notice">已生成统计分析报告。</p>' in done.text and "data-job=" not in done.text
    assert "已生成统计分析报告。" in c.get(str(done.url)).text  # the page reloaded: the same result
    assert len(ran_on) == 1 and ran_on[0].startswith("gwstats-write")
    assert c.get(f"/jobs/{job}").json()["state"] == "done"


def test_the_charts_job_counts_its_charts_and_the_page_shows_them(loaded, monkeypatch):
    calls = _recorded(monkeypatch)
    c = client(loaded)
    r = c.post("/outputs/make/charts", data={"csrftoken": csrf_token(c, "/outputs?year=2020"), "year": "2020"},
               follow_redirects=True)
    page = job_done(c, r)
    charts = [call for call in calls if call[2] == "正在生成图表"]
    n = charts[0][1]
    assert [step for step, _, _ in charts] == list(range(1, n + 1)) and n >= 3
    made = len(re.findall(r"<img src=", page.text))
    assert made and f"已生成 {made} 张图表" in page.text


def test_the_workbook_and_the_report_say_their_steps(loaded, monkeypatch):
    calls = _recorded(monkeypatch)
    c = client(loaded)
    token = csrf_token(c, "/outputs?year=2020")
    for kind, text in (("workbook", "已生成汇总工作簿"), ("report", "已生成统计分析报告")):
        page = job_done(c, c.post(f"/outputs/make/{kind}", data={"csrftoken": token, "year": "2020"}))
        assert text in page.text and f'id="download-{kind}"' in page.text
    steps = [(step, steps, words) for step, steps, words in calls if steps]
    assert steps == [(1, 4, "正在汇总数据"), (2, 4, "正在核查数据"), (3, 4, "正在统计填报情况"), (4, 4, "正在写入工作簿"),
                     (1, 3, "正在汇总分析数据、作图"), (2, 3, "正在排版报告"), (3, 3, "正在生成数据核查清单")]


def test_the_template_zip_is_made_with_its_progress_and_offered(loaded, monkeypatch):
    calls = _recorded(monkeypatch)
    c = client(loaded)
    r = c.post("/templates", data={"csrftoken": csrf_token(c, "/templates?year=2020"), "year": "2020"})
    page = job_done(c, r)
    expected = len(loaded.hierarchy().expected(2020))
    made = [call for call in calls if call[2] == "正在生成空白统计表"]
    assert [step for step, _, _ in made] == list(range(1, expected + 1)) and {n for _, n, _ in made} == {expected}
    assert (expected, expected, "正在打包") in calls
    link = re.search(r'id="download-zip" href="(/jobs/[\w-]+/file)">下载 集安市关工委2020年度统计表模板.zip</a>', page.text)
    assert link
    got = c.get(link.group(1))
    assert got.status_code == 200 and got.headers["content-type"] == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(got.content)).namelist()
    assert len(names) == expected and "台上镇关工委2020年度统计表.xlsx" in names
    # the page opened again later still offers the zip it made
    assert link.group(1) in c.get("/templates?year=2020").text
    # made again: the new zip is offered, the earlier one is gone (a province's zip is large)
    again = job_done(c, c.post("/templates", data={"csrftoken": csrf_token(c, "/templates?year=2020"), "year": "2020"}))
    second = re.search(r'id="download-zip" href="(/jobs/[\w-]+/file)"', again.text).group(1)
    assert second != link.group(1) and c.get(second).status_code == 200
    assert c.get(link.group(1)).status_code == 400
    elsewhere = c.get("/outputs?year=2020&job=" + second.split("/")[2])  # another page's job: not shown there
    assert elsewhere.status_code == 200 and 'id="notice"' not in elsewhere.text and "data-job" not in elsewhere.text


def test_what_went_wrong_is_said_in_chinese_on_the_page(fresh):
    (fresh.root / "成果").write_text("not a folder", encoding="utf-8")  # the products' folder cannot be made
    c = client(fresh)
    token = csrf_token(c, "/outputs?year=2020")
    page = job_done(c, c.post("/outputs/make/workbook", data={"csrftoken": token, "year": "2020"}))
    error = re.search(r'<div class="bad" role="alert" id="job-error">(.*?)</div>', page.text, re.S)
    assert error and "无法读写“" in error.group(1) and "成果" in error.group(1)
    assert "Traceback" not in page.text and "Error" not in error.group(1)
    job = re.search(r"job=([\w-]+)", str(page.url)).group(1)
    answer = c.get(f"/jobs/{job}").json()
    assert answer["state"] == "failed" and answer["error"].startswith("无法读写“")


def test_an_unexpected_fault_is_an_internal_error_in_chinese(fresh, monkeypatch):
    def broken(ws, year, progress=None):
        raise ZeroDivisionError("x")

    monkeypatch.setitem(outputs.MAKERS, "workbook", broken)
    c = client(fresh)
    page = job_done(c, c.post("/outputs/make/workbook", data={"csrftoken": csrf_token(c, "/outputs"), "year": "2020"}))
    assert "内部错误：ZeroDivisionError。请把 gwstats 窗口" in page.text


def test_a_job_the_server_does_not_know_is_said_in_chinese(fresh):
    c = client(fresh)
    r = c.get("/jobs/nothing-like-this")
    assert r.status_code == 404 and "没有这项工作" in r.json()["error"]
    r = c.get("/jobs/nothing-like-this/file")
    assert r.status_code == 400 and "这个文件已经不在了" in r.text
    assert c.get("/outputs?year=2020&job=nothing-like-this").status_code == 200  # an old address: the page as it is


def test_the_jobs_files_go_when_the_server_stops(loaded):
    c = client(loaded)
    job_done(c, c.post("/templates", data={"csrftoken": csrf_token(c, "/templates?year=2020"), "year": "2020"}))
    folder = c.app.state.web.jobs.folder().parent
    assert list(folder.rglob("*.zip"))
    close_clients()
    assert not folder.exists()


def test_a_long_import_shows_its_files_on_its_page_then_its_result(tmp_path, monkeypatch):
    """A dry run or an import not over at once (here: at once is 0 s) answers with its progress page:
    files read and checked (or written) of how many; then the same result as when answered in place."""
    from web_helpers import upload_files

    from gwstats.web.views import imports

    ws, inputs = sample_workspace(tmp_path)
    monkeypatch.setattr(imports, "INLINE_SECONDS", 0)
    calls = _recorded(monkeypatch)
    files = sorted((inputs / "2020").glob("*.xlsx"))
    c = client(ws)
    r = c.post("/import?year=2020", data={"csrftoken": csrf_token(c)}, files=upload_files(files), follow_redirects=False)
    assert r.status_code == 303 and "job=" in r.headers["location"]
    shown = c.get(r.headers["location"])  # the page as the upload's answer shows it: the job, no upload form yet
    assert ('data-job="' in shown.text and 'id="upload-form"' not in shown.text) or 'id="confirm"' in shown.text
    page = job_done(c, r)
    assert "试运行结果（还没有写入）" in page.text and 'id="confirm"' in page.text
    words = {w for _, _, w in calls}
    assert {"正在读取报表文件", "正在检查报表文件"} <= words
    assert (len(files), len(files), "正在检查报表文件") in calls
    batch = re.search(r'name="batch" value="([^"]+)"', page.text).group(1)
    done = job_done(c, c.post("/import/confirm?year=2020", data={"csrftoken": csrf_token(c), "batch": batch}))
    assert "导入结果" in done.text and f"共 {len(files)} 个文件，已导入 " in done.text
    assert (len(files), len(files), "正在写入报表文件") in calls
    assert ws.store.counts()["files"] == len(files)
    again = job_done(c, c.post("/import/confirm?year=2020", data={"csrftoken": csrf_token(c), "batch": batch}))
    assert "这批文件已经导入或已取消" in again.text  # the batch is gone: said on the page


def test_the_server_stopping_ends_a_zip_under_way_at_its_next_step(fresh, monkeypatch):
    """Ctrl+C does not wait for a long template zip (an import, which writes, is finished first)."""
    import time

    from gwstats.workspace import Workspace

    started = threading.Event()

    def endless(self, year, out_dir, unit=None, scope="本级", *, progress=None):  # a zip of very many units
        for i in range(1, 10**9):
            started.set()
            progress(i, 10**9, "正在生成空白统计表")
            time.sleep(0.01)

    monkeypatch.setattr(Workspace, "write_templates", endless)
    c = client(fresh)
    r = c.post("/templates", data={"csrftoken": csrf_token(c, "/templates?year=2020"), "year": "2020"},
               follow_redirects=False)
    job = c.app.state.web.jobs.get(_job_of(r))
    assert started.wait(WAIT)
    t = time.monotonic()
    close_clients()
    assert time.monotonic() - t < 10 and job.state == "failed" and "gwstats 已停止" in job.error
