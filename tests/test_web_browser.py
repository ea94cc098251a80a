"""gwstats ui in a real browser: Debian's chromium + chromium-driver driven by selenium.

Open the page, upload the bundled sample returns (dry run, then 确认导入), see the result table,
open 汇总, follow a trace link, produce and download the xlsx and open it with openpyxl; a
screenshot of every page goes to $GWSTATS_SCREENSHOTS (or the test's tmp folder).

A clerk at 1366×768 goes from an empty folder to the return for the level above, all in the page
(the set-up, the unit list, the returns, a unit renamed, export --as-return downloaded), then from
概览's next steps to 数据核查 and to the Word report, downloaded and opened with python-docx.

Skips with a notice where no Chromium is installed; under CI (CI=true) a missing browser is a
failure, so the test cannot silently stop running there (.ci/run installs it), unless .ci/run found
apt unusable and said so (GWSTATS_BROWSER_UNAVAILABLE, the reason, printed as SKIPPED).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from web_helpers import sample_workspace

SAMPLE = Path(__file__).resolve().parents[1] / "sample_data" / "jian-an"
CHROMIUM = next((p for p in (shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome")) if p), None)
DRIVER = shutil.which("chromedriver")


def _need_browser():
    unavailable = os.environ.get("GWSTATS_BROWSER_UNAVAILABLE")
    if unavailable:  # .ci/run found no browser and no working apt to install one, and printed SKIPPED
        pytest.skip("跳过浏览器测试：" + unavailable)
    missing = [what for what, found in (("chromium", CHROMIUM), ("chromedriver", DRIVER)) if not found]
    try:
        import selenium  # noqa: F401
    except ImportError:
        missing.append("selenium")
    if missing:
        why = "没有 " + "、".join(missing) + "（apt-get install chromium chromium-driver; pip install selenium）"
        if os.environ.get("CI"):
            pytest.fail("CI 必须运行浏览器测试：" + why)
        pytest.skip("跳过浏览器测试：" + why)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def server(tmp_path):
    _need_browser()
    import uvicorn

    from gwstats.web.app import make_app

    ws, inputs = sample_workspace(tmp_path / "sample")
    ws.import_paths([inputs / "2019"])  # last year in the store, so 汇总 shows 比上年
    port = _free_port()
    app = make_app(ws.root, allowed_hosts=["127.0.0.1", "localhost"])
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("gwstats ui 没有启动")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}", ws, inputs
    srv.should_exit = True
    thread.join(10)


def _chrome(tmp_path, width: int, height: int):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    downloads = tmp_path / "downloads"
    downloads.mkdir()
    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--no-default-browser-check", f"--window-size={width},{height}",
                f"--user-data-dir={tmp_path / 'profile'}"):
        opts.add_argument(arg)
    opts.add_experimental_option("prefs", {"download.default_directory": str(downloads),
                                           "download.prompt_for_download": False})
    driver = webdriver.Chrome(service=Service(executable_path=DRIVER), options=opts)
    driver.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)})
    driver.implicitly_wait(0)
    driver.downloads = downloads
    return driver


@pytest.fixture
def browser(tmp_path):
    driver = _chrome(tmp_path, 1400, 1000)
    yield driver
    driver.quit()


def _wait(driver, css: str, timeout: float = 60):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, timeout).until(ec.presence_of_element_located((By.CSS_SELECTOR, css)))


def _go(driver, element, css: str):
    """Click what navigates, wait until the old page is gone and ``css`` is on the new one."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    old = driver.find_element(By.TAG_NAME, "html")
    element.click()
    WebDriverWait(driver, 60).until(ec.staleness_of(old))
    return _wait(driver, css)


def _shots_dir(tmp_path) -> Path:
    d = Path(os.environ.get("GWSTATS_SCREENSHOTS") or tmp_path / "screenshots")
    d.mkdir(parents=True, exist_ok=True)
    return d


def test_upload_rollup_trace_and_download_in_chromium(server, browser, tmp_path):
    import openpyxl
    from selenium.webdriver.common.by import By

    base, ws, inputs = server
    shots = _shots_dir(tmp_path)
    d = browser

    def shot(name):
        d.save_screenshot(str(shots / f"{name}.png"))

    d.get(base + "/")
    assert "概览" in d.title and "集安市关工委" in d.page_source
    shot("01-概览-导入前")

    # 导入: choose the sample's 2020 returns, dry run first
    _go(d, d.find_element(By.LINK_TEXT, "导入"), "#upload-form")
    files = sorted((inputs / "2020").iterdir())
    d.find_element(By.ID, "files").send_keys("\n".join(str(p) for p in files))
    assert d.find_element(By.ID, "chosen").text == f"已选择 {len(files)} 个文件"
    shot("02-导入-选择文件")
    summary = _go(d, d.find_element(By.ID, "dry-run"), "#summary")
    assert summary.text.startswith("试运行（未写入）") and "将导入" in summary.text
    assert ws.store.counts()["files"] == 26  # 2019 only: the dry run wrote nothing
    shot("03-导入-试运行")
    _go(d, d.find_element(By.ID, "confirm"), "#result h2")
    assert d.find_element(By.CSS_SELECTOR, "#result h2").text == "导入结果"
    rows = d.find_elements(By.CSS_SELECTOR, "#result table.data tbody tr")
    assert len(rows) == len(files)
    assert all(r.find_elements(By.TAG_NAME, "td")[1].text == "已导入" for r in rows)
    assert d.find_element(By.ID, "summary").text == f"共 {len(files)} 个文件，已导入 {len(files)}；数值 342 个"
    shot("04-导入-结果")

    # 汇总, then a figure's trace
    _go(d, d.find_element(By.LINK_TEXT, "汇总"), "#rollup")
    assert "对比 2019 年" in d.find_element(By.TAG_NAME, "h1").text
    shot("05-汇总")
    link = d.find_elements(By.CSS_SELECTOR, "#rollup tr.total a.trace")[0]
    figure = link.text
    _go(d, link, "#trace-table")
    assert d.find_element(By.TAG_NAME, "h1").text == "这个数字从哪里来"
    assert figure in d.find_element(By.CSS_SELECTOR, ".trace .big").text
    cells = d.find_elements(By.CSS_SELECTOR, "#trace-table a.download")
    assert cells, "trace shows no file to download"
    shot("06-追溯")

    # 成果: the workbook, downloaded by the browser and opened with openpyxl
    button = _go(d, d.find_element(By.LINK_TEXT, "成果"), "#make-workbook")
    dl = _go(d, button, "#download-workbook")
    name = dl.text.removeprefix("下载 ").strip()
    dl.click()
    target = d.downloads / name
    deadline = time.monotonic() + 30
    while not target.is_file() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert target.is_file(), f"the browser did not download {name}: {list(d.downloads.iterdir())}"
    wb = openpyxl.load_workbook(target)
    assert "汇总" in wb.sheetnames
    _go(d, d.find_element(By.ID, "make-charts"), ".charts img")
    assert d.execute_script("return Array.from(document.images).every(i => i.complete && i.naturalWidth > 0)")
    shot("07-成果")

    for label, css, name in (("校验", "h1", "08-校验"), ("单位", "table.tree", "09-单位"),
                             ("模板", "#download-templates", "10-模板"), ("概览", ".tiles", "11-概览")):
        _go(d, d.find_element(By.LINK_TEXT, label), css)
        shot(name)
    # every page drew its Chinese with a real font: the bundled one was loaded where no system font has it
    fonts_ok = d.execute_script("return document.fonts.check('16px \"GWStats Sans SC\"', '关工委') || "
                                "document.fonts.check('16px sans-serif', '关工委')")
    assert fonts_ok


def _downloaded(driver, name: str, timeout: float = 30) -> Path:
    """The file once the browser has finished it: chromium puts an empty file under the final name
    first and writes into ``*.crdownload`` beside it until the download is whole."""
    target = driver.downloads / name

    def done() -> bool:
        return (target.is_file() and target.stat().st_size > 0
                and not any(p.suffix == ".crdownload" for p in driver.downloads.iterdir()))

    deadline = time.monotonic() + timeout
    while not done() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert done(), f"the browser did not finish downloading {name}: {list(driver.downloads.iterdir())}"
    return target


def _in_view(driver, element_id: str) -> bool:
    return driver.execute_script(
        "const r = document.getElementById(arguments[0]).getBoundingClientRect();"
        "return r.top >= 0 && r.bottom <= window.innerHeight && r.height > 0;", element_id)


@pytest.fixture
def empty_folder_ui(tmp_path):
    """``gwstats ui`` started as the Start-menu entry starts it, on a folder that is not a workspace yet."""
    _need_browser()
    root = tmp_path / "关工委统计"  # not there yet: ui makes it, as on a clerk's first start
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k != "GWSTATS_WORKSPACE"}
    log = (tmp_path / "ui.log").open("wb")
    proc = subprocess.Popen([sys.executable, "-m", "gwstats", "ui", "--no-browser", "--port", str(port), "-w", str(root)],
                            cwd=tmp_path, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(base + "/setup", timeout=5).read()
            break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                log.close()
                pytest.fail("gwstats ui 没有启动：" + (tmp_path / "ui.log").read_text(encoding="utf-8", errors="replace"))
            time.sleep(0.2)
    driver = _chrome(tmp_path, 1366, 768)
    yield driver, base, root
    driver.quit()
    proc.terminate()
    proc.wait(30)
    log.close()


def test_a_clerk_goes_from_an_empty_folder_to_the_return_sent_up(empty_folder_ui, tmp_path):
    """No command line after ``gwstats ui``: set up, units, returns (dry run, 确认导入), a unit renamed,
    the return for the level above downloaded, at 1366×768."""
    import openpyxl
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    d, base, root = empty_folder_ui
    shots = _shots_dir(tmp_path)

    def shot(name):
        d.save_screenshot(str(shots / f"{name}.png"))

    # 首次使用: every page leads to the set-up form
    d.get(base + "/")
    form = _wait(d, "form[action='/setup']")
    assert d.current_url.endswith("/setup") and "首次使用" in d.find_element(By.TAG_NAME, "h1").text
    assert str(root) in d.page_source
    for field, text in (("name", "集安市关工委"), ("year", "2020"), ("deadline", "01-20"), ("filled_by", "张敏"),
                        ("phone", "0435-6222222")):
        box = form.find_element(By.NAME, field)
        box.clear()
        box.send_keys(text)
    form.find_element(By.NAME, "units").send_keys(str(SAMPLE / "units.csv"))
    shot("clerk-01-首次使用")
    _go(d, form.find_element(By.CSS_SELECTOR, "button[type=submit]"), "table.tree")
    assert d.current_url.endswith("/units?year=2020")
    assert d.find_element(By.TAG_NAME, "h1").text == "单位名单（26 个）"
    assert (root / "gwstats.toml").is_file()

    # 导入: the year's returns, dry run first; 确认导入 in sight without scrolling at 1366×768
    _go(d, d.find_element(By.LINK_TEXT, "导入"), "#upload-form")
    files = sorted((SAMPLE / "2020").iterdir())
    d.find_element(By.ID, "files").send_keys("\n".join(str(p) for p in files))
    summary = _go(d, d.find_element(By.ID, "dry-run"), "#summary")
    assert summary.text.startswith("试运行（未写入）") and "将导入" in summary.text
    assert d.execute_script("return document.documentElement.scrollHeight > innerHeight")  # a long page
    assert _in_view(d, "confirm"), "确认导入 is below the fold at 1366×768"
    shot("clerk-02-试运行")
    _go(d, d.find_element(By.ID, "confirm"), "#result h2")
    assert d.find_element(By.CSS_SELECTOR, "#result h2").text == "导入结果"
    states = [r.find_elements(By.TAG_NAME, "td")[1].text for r in d.find_elements(By.CSS_SELECTOR, "#result tbody tr")]
    assert len(states) == len(files) and "未导入" not in states
    assert d.find_element(By.ID, "summary").text.startswith(f"共 {len(files)} 个文件，已导入 ")

    # 概览: every unit expected has reported; 模板 counts the same units
    _go(d, d.find_element(By.LINK_TEXT, "概览"), ".tiles")
    tiles = {t.text.split("\n")[-1]: t.find_element(By.CLASS_NAME, "num").text
             for t in d.find_elements(By.CSS_SELECTOR, ".tiles .tile") if t.find_elements(By.CLASS_NAME, "num")}
    assert tiles["应报"] == tiles["已报"] == "25", tiles
    shot("clerk-03-概览")
    _go(d, d.find_element(By.LINK_TEXT, "模板"), "#download-templates")
    assert "2020 年度共 25 个应报单位" in d.page_source

    # 单位: a township renamed mid-year; the old name stays as an alias
    _go(d, d.find_element(By.LINK_TEXT, "单位"), "#unit-rename")
    rename = d.find_element(By.ID, "unit-rename")
    Select(rename.find_element(By.NAME, "code")).select_by_value("JA04")
    rename.find_element(By.NAME, "name").send_keys("凉水朝鲜族乡关工委")
    notice = _go(d, rename.find_element(By.CSS_SELECTOR, "button[type=submit]"), ".notice")
    assert notice.text == "已改名：凉水朝鲜族乡关工委[JA04]"
    row = next(r for r in d.find_elements(By.CSS_SELECTOR, "table.tree tbody tr")
               if r.find_elements(By.TAG_NAME, "td")[1].text == "JA04")
    cells = [c.text for c in row.find_elements(By.TAG_NAME, "td")]
    assert cells[0] == "凉水朝鲜族乡关工委" and "凉水乡关工委" in cells[3]
    shot("clerk-04-单位改名")

    # 成果 → 报上级: export --as-return made and downloaded by the browser
    _go(d, d.find_element(By.LINK_TEXT, "成果"), "#make-return")
    link = _go(d, d.find_element(By.ID, "make-return"), "#download-return")
    assert "已生成报上级汇总表" in d.page_source
    name = link.text.removeprefix("下载 ").strip()
    assert name == "集安市关工委2020年度报上级汇总表.xlsx"
    d.execute_script("arguments[0].scrollIntoView({block: 'center'})", link)
    shot("clerk-05-报上级")
    link.click()
    sheet = openpyxl.load_workbook(_downloaded(d, name))["统计表"]
    assert (sheet["B2"].value, sheet["B3"].value, sheet["D3"].value) == ("集安市关工委", 2020, "汇总")
    assert (sheet["B4"].value, sheet["D4"].value) == ("张敏", "0435-6222222")  # from the set-up page
    figures = {row[1].value: row[3].value for row in sheet.iter_rows(min_row=8) if row[1].value}
    assert figures["关工委组织数"] == 218  # 集安's 2020 total: the 25 returns rolled up

    # the end of the year from 概览: its next steps lead to 数据核查 and to the report, downloaded
    _go(d, d.find_element(By.LINK_TEXT, "概览"), "#year-end")
    _go(d, d.find_element(By.ID, "next-checks"), "p.summary")
    assert "数据核查" in d.find_element(By.TAG_NAME, "h1").text
    assert d.find_element(By.CSS_SELECTOR, "p.summary").text.startswith("2020 年度数据校验：错误 0 处")
    shot("clerk-06-数据核查")
    _go(d, d.find_element(By.LINK_TEXT, "概览"), "#year-end")
    button = _go(d, d.find_element(By.ID, "next-outputs"), "#make-report")
    labels = [b.text for b in d.find_elements(By.CSS_SELECTOR, "main button, .content button, button.primary")]
    assert button.text == "生成统计分析报告" and "生成" not in labels, labels  # every button says what it makes
    link = _go(d, button, "#download-report")
    name = link.text.removeprefix("下载 ").strip()
    assert name == "集安市关工委2020年度统计分析.docx"
    shot("clerk-07-报告")
    link.click()
    import docx

    title = docx.Document(_downloaded(d, name)).paragraphs[0]
    assert title.style.name == "Title" and title.text.replace("\n", "").startswith("集安市关工委2020年度"), title.text
    assert "统计分析" in title.text
