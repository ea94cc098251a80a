"""A large folder in the page: static/upload.js sends it in parts of at most 500 files to /import/stage,
all into one staged batch, then one dry run over the whole batch (/import/check); 确认导入 imports all.
The parts are posted here as the script posts them; a browser run with 1,001 files is below."""

import json
import re
import shutil
import threading
import time

import pytest

pytest.importorskip("starlette")

from web_helpers import client, csrf_token, sample_workspace, upload_files  # noqa: E402


def test_parts_of_an_upload_make_one_dry_run(tmp_path):
    ws, inputs = sample_workspace(tmp_path)
    files = sorted((inputs / "2020").iterdir())
    assert len(files) >= 6
    c = client(ws)
    token = csrf_token(c)
    assert c.post("/import/stage", data={}, files=upload_files(files[:1])).status_code == 403  # CSRF
    r = c.post("/import/stage", data={"csrftoken": token}, files=upload_files(files[:3]))
    assert r.status_code == 200, r.text
    batch = r.json()["batch"]
    assert r.json()["files"] == 3 and ws.store.counts()["files"] == 0
    r = c.post("/import/stage", data={"csrftoken": token, "batch": batch}, files=upload_files(files[3:]))
    assert r.json() == {"batch": batch, "files": len(files)}
    r = c.post("/import/check", data={"csrftoken": token, "batch": batch})
    assert r.status_code == 200 and "试运行结果（还没有写入）" in r.text
    assert re.search(r'id="summary">[^<]*共 (\d+) 个文件', r.text).group(1) == str(len(files))
    assert ws.store.counts()["files"] == 0  # a dry run writes nothing
    assert re.search(r'name="batch" value="([0-9a-f]{16})"', r.text).group(1) == batch
    r = c.post("/import/confirm", data={"csrftoken": token, "batch": batch})
    assert r.status_code == 200 and r.text.count("<td>已导入</td>") == len(files)
    assert ws.store.counts()["files"] == len(files)
    # a part for a batch that is gone (imported, cancelled, expired) is refused in Chinese
    r = c.post("/import/stage", data={"csrftoken": token, "batch": batch}, files=upload_files(files[:1]))
    assert r.status_code == 400 and "请重新上传" in json.loads(r.text)["error"]
    r = c.post("/import/stage", data={"csrftoken": token, "batch": "../../x"}, files=upload_files(files[:1]))
    assert r.status_code == 400


def test_a_browser_sends_1001_files_in_parts(tmp_path):
    """Debian's chromium: 1,001 files chosen at once (a single request was refused over 1,000) are
    sent in three parts and checked in one dry run."""
    from test_web_browser import _free_port, _need_browser

    _need_browser()
    import uvicorn
    from selenium import webdriver
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    ws, _ = sample_workspace(tmp_path / "sample")
    folder = tmp_path / "大文件夹"
    folder.mkdir()
    paths = []
    for i in range(1001):
        p = folder / f"表{i:04d}.csv"
        p.write_text("甲,乙\n1,2\n", encoding="utf-8")
        paths.append(str(p))
    from gwstats.web.app import make_app

    port = _free_port()
    srv = uvicorn.Server(uvicorn.Config(make_app(ws.root, allowed_hosts=["127.0.0.1"]), host="127.0.0.1", port=port,
                                        log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    opts = webdriver.ChromeOptions()
    for a in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1366,768"):
        opts.add_argument(a)
    from test_web_browser import CHROMIUM, DRIVER
    from selenium.webdriver.chrome.service import Service

    opts.binary_location = CHROMIUM
    driver = webdriver.Chrome(service=Service(DRIVER), options=opts)
    posts = []
    try:
        for _ in range(100):
            if srv.started:
                break
            time.sleep(0.1)
        driver.get(f"http://127.0.0.1:{port}/import")
        driver.find_element(By.ID, "files").send_keys("\n".join(paths))
        driver.find_element(By.ID, "dry-run").click()
        WebDriverWait(driver, 240).until(lambda d: d.find_elements(By.ID, "summary") or d.find_elements(By.ID, "upload-error"))
        summary = driver.find_element(By.ID, "summary").text
        assert "共 1001 个文件" in summary, summary
        assert "一次上传的文件太多" not in driver.page_source
        errors = [e for e in driver.get_log("browser") if e["level"] == "SEVERE" and "favicon.ico" not in e["message"]]
        assert errors == [], errors  # no script refused by the Content-Security-Policy
    finally:
        driver.quit()
        srv.should_exit = True
        thread.join(10)
    assert not list((ws.root / ".gwstats-uploads").glob("*/*"))  # every file refused: the batch is gone
    shutil.rmtree(folder)
