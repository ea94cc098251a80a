"""gwstats ui through Starlette's test client: every page, uploads good and bad, CSRF, password."""

from __future__ import annotations

import io
import re
import zipfile
from urllib.parse import unquote

import pytest

pytest.importorskip("starlette")
pytest.importorskip("httpx")

from web_helpers import client, close_clients, csrf_token, job_done, sample_workspace, upload_files  # noqa: E402

PAGES = {"/": "催报名单", "/import": "把报表文件或整个文件夹拖到这里", "/rollup": "点任何一个数字",
         "/checks": "年度数据校验", "/outputs": "汇总工作簿", "/units": "集安市关工委", "/templates": "下载全部模板"}


@pytest.fixture(autouse=True)
def _closed_after_each_test():
    """Every app a test starts is shut down after it, so none of its threads outlives the test."""
    yield
    close_clients()


@pytest.fixture(scope="module")
def loaded(tmp_path_factory):
    """The sample workspace with 2019 and 2020 imported through the library."""
    ws, inputs = sample_workspace(tmp_path_factory.mktemp("web"))
    ws.import_paths([inputs / "2019", inputs / "2020"])
    return ws, inputs


@pytest.fixture
def fresh(tmp_path):
    return sample_workspace(tmp_path)


def _counts(ws):
    return ws.store.counts()


@pytest.mark.parametrize("path", list(PAGES))
def test_every_page_renders_in_chinese(loaded, path):
    ws, _ = loaded
    r = client(ws).get(path + "?year=2020")
    assert r.status_code == 200
    assert PAGES[path] in r.text
    assert 'lang="zh-CN"' in r.text and "集安市关工委" in r.text
    for label in ("概览", "导入", "汇总", "校验", "成果", "单位", "模板"):
        assert f">{label}</a>" in r.text
    assert '<option value="2020" selected>' in r.text  # the year chosen at the top
    assert '<option value="2019">' in r.text


def test_overview_counts_reported_and_missing(loaded):
    ws, _ = loaded
    st = ws.status(2020)
    html = client(ws).get("/?year=2020").text
    tiles = dict((label, int(n)) for n, label in re.findall(r'<div class="num">(\d+)</div><div>([^<]+)</div>', html))
    assert tiles["应报"] == st.expected and tiles["已报"] == st.reported and tiles["未报"] == len(st.missing_rows)
    assert "最近导入的文件" in html and "集安市关工委2020年度统计表.xlsx" in html
    res = ws.check(2020)
    assert f'<div class="num">{res.count("warning")}</div><div>校验提醒</div>' in html


def test_upload_dry_run_writes_nothing_then_confirm_imports(fresh):
    ws, inputs = fresh
    c = client(ws)
    token = csrf_token(c)
    before = _counts(ws)
    files = sorted((inputs / "2020").iterdir())
    r = c.post("/import", data={"csrftoken": token}, files=upload_files(files))
    assert r.status_code == 200
    assert "试运行结果（还没有写入）" in r.text and "将导入" in r.text
    assert _counts(ws) == before  # a dry run writes nothing
    batch = re.search(r'name="batch" value="([0-9a-f]{16})"', r.text).group(1)
    r = c.post("/import/confirm", data={"csrftoken": token, "batch": batch})
    assert r.status_code == 200 and "导入结果" in r.text
    summary = re.search(r'id="summary">([^<]*)<', r.text).group(1)
    assert summary == f"共 {len(files)} 个文件，已导入 {len(files)}；数值 342 个"
    # the same per-file table as the CLI: one row per file with 已导入
    assert r.text.count("<td>已导入</td>") == len(files)
    assert _counts(ws)["files"] == len(files)
    assert not (ws.root / ".gwstats-uploads" / batch).exists()  # staging cleared
    # confirming the same batch again is refused, nothing doubled
    r = c.post("/import/confirm", data={"csrftoken": token, "batch": batch})
    assert r.status_code == 400 and "请重新上传" in r.text


def test_bad_files_are_refused_with_the_reason_and_cannot_be_confirmed(fresh, tmp_path):
    ws, _ = fresh
    c = client(ws)
    token = csrf_token(c)
    word = tmp_path / "总结.xlsx"
    word.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)  # an OLE file posing as .xlsx
    text = tmp_path / "说明.txt"
    text.write_text("不是报表", encoding="utf-8")
    r = c.post("/import", data={"csrftoken": token}, files=upload_files([word, text]))
    assert r.status_code == 200
    assert r.text.count("<td>未导入</td>") == 2
    assert "不支持的文件类型“.txt”" in r.text
    assert 'id="confirm"' not in r.text  # nothing to confirm
    assert _counts(ws)["files"] == 0


def test_oversize_file_gets_the_import_limit_message(fresh, tmp_path):
    ws, inputs = fresh
    cfg = ws.config_path.read_text(encoding="utf-8").replace("max_file_mb = 20", "max_file_mb = 0.001")
    ws.config_path.write_text(cfg, encoding="utf-8")
    c = client(ws)
    big = sorted((inputs / "2020").glob("*.xlsx"))[0]
    r = c.post("/import", data={"csrftoken": csrf_token(c)}, files=upload_files([big]))
    assert "超过上限" in r.text and "未读取" in r.text and "<td>未导入</td>" in r.text


def test_upload_names_never_reach_a_path_unsanitised(fresh):
    ws, inputs = fresh
    c = client(ws)
    good = sorted((inputs / "2020").glob("*.xlsx"))[0]
    r = c.post("/import", data={"csrftoken": csrf_token(c)},
               files=[("files", ("../../../逃出去.xlsx", good.read_bytes(), "application/octet-stream"))])
    assert r.status_code == 200 and "<td>逃出去.xlsx</td>" in r.text
    assert not (ws.root.parent.parent / "逃出去.xlsx").exists() and not (ws.root.parent / "逃出去.xlsx").exists()
    staged = list((ws.root / ".gwstats-uploads").rglob("逃出去.xlsx"))
    assert len(staged) == 1 and (ws.root / ".gwstats-uploads") in staged[0].parents


@pytest.mark.parametrize("raw, safe", [
    ("../../etc/passwd", "passwd"),
    ("..\\..\\Windows\\CON.xlsx", "_CON.xlsx"),
    ("报表\x00\x1f<>:\"|?*.xlsx", "报表_______.xlsx"),  # control characters dropped, the rest replaced
    ("  .隐藏.xlsx. ", "隐藏.xlsx"),
    ("", "未命名文件"),
    ("x" * 300 + ".xlsx", "x" * 175 + ".xlsx"),
    ("报" * 200 + ".xlsx", "报" * 58 + ".xlsx"),  # 174 + 5 bytes: a 246-byte name never reaches the disk
    ("岳西县局2018年报表(修改版).xlsx", "岳西县局2018年报表(修改版).xlsx"),
])
def test_safe_name(raw, safe):
    from gwstats.web.uploads import safe_name

    assert safe_name(raw) == safe


def test_csrf_refusal(fresh):
    ws, inputs = fresh
    c = client(ws)
    token = csrf_token(c)
    f = sorted((inputs / "2020").glob("*.xlsx"))[:1]
    for data in ({}, {"csrftoken": "forged"}):
        r = c.post("/import", data=data, files=upload_files(f))
        assert r.status_code == 403 and "安全校验未通过" in r.text
    r = c.post("/outputs/make/workbook", data={"year": "2020"})
    assert r.status_code == 403
    r = c.post("/templates", data={"year": "2020"})
    assert r.status_code == 403
    # the right token from another site (a cross-origin form post) is refused too
    r = c.post("/templates", data={"csrftoken": token, "year": "2020"}, headers={"Origin": "http://evil.example"})
    assert r.status_code == 403
    # a fresh browser without the cookie cannot reuse someone's token
    other = client(ws)
    r = other.post("/templates", data={"csrftoken": token, "year": "2020"})
    assert r.status_code == 403
    assert _counts(ws)["files"] == 0 and not list((ws.root / ".gwstats-uploads").glob("*/*"))
    # the right token on the same browser works
    assert c.post("/templates", data={"csrftoken": token, "year": "2020"}).status_code == 200


def test_password_refusal_and_login(fresh):
    ws, _ = fresh
    c = client(ws, password="口令123")
    r = c.get("/", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/login")
    assert c.post("/import", data={}).status_code == 403
    assert c.get("/rollup?year=2020", follow_redirects=False).status_code == 303
    page = c.get("/login")
    assert page.status_code == 200 and "请登录" in page.text and 'name="name"' in page.text
    token = re.search(r'name="csrftoken" value="([^"]+)"', page.text).group(1)
    r = c.post("/login", data={"csrftoken": token, "name": "张敏", "password": "wrong", "next": "/"}, follow_redirects=False)
    assert r.status_code == 403 and "口令不对" in r.text
    r = c.post("/login", data={"csrftoken": token, "name": "张敏", "password": "口令123", "next": "//evil.example/"},
               follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/"  # no open redirect
    assert c.get("/units").status_code == 200
    # the password in the address logs nobody in (it would stay in the browser's history)
    other = client(ws, password="abc")
    assert other.get("/units?token=abc", follow_redirects=False).status_code == 303
    assert other.get("/units", follow_redirects=False).headers["location"].startswith("/login")


def test_loopback_server_refuses_a_foreign_host_header(fresh):
    """DNS rebinding: a page from another site resolving to 127.0.0.1 does not get the data."""
    ws, _ = fresh
    c = client(ws, allowed_hosts=["127.0.0.1", "localhost"])
    assert c.get("/", headers={"host": "evil.example"}).status_code == 400
    assert c.get("/", headers={"host": "127.0.0.1:8765"}).status_code == 200


def test_rollup_figure_links_to_trace_down_to_the_cell_and_the_original(loaded):
    ws, inputs = loaded
    c = client(ws)
    html = c.get("/rollup?year=2020").text
    assert "<th>已报</th>" in html and "合计" in html
    links = re.findall(r'class="trace" href="([^"]+)"', html)
    assert links
    href = next(h for h in links if "unit=JA01&amp;" in h).replace("&amp;", "&")
    r = c.get(href)
    assert r.status_code == 200 and "这个数字从哪里来" in r.text
    rec = ws.rollup(2020).record("JA01", re.search(r"metric=([^&]+)", href).group(1))
    assert "台上镇关工委" in r.text and "工作表" in r.text and "单元格" in r.text
    dl = re.search(r'href="(/file/\d+)"', r.text).group(1)
    f = c.get(dl)
    assert f.status_code == 200
    name = unquote(f.headers["content-disposition"].split("''", 1)[1])
    assert f.content == (inputs / "2020" / name).read_bytes()
    assert rec["coverage"] in r.text
    assert c.get("/file/999999").status_code == 400


def test_rollup_shows_year_over_year_and_rates(loaded, tmp_path):
    ws, inputs = loaded
    c = client(ws)
    html = c.get("/rollup?year=2020&group=组织建设&level=2").text
    assert "五好达标率" in html and "对比 2019 年" in html
    from gwstats.render.rollup_table import fmt_change

    rec = ws.rollup(2020, metrics=["rate_wuhao"]).record("JA", "rate_wuhao")
    assert f'<div class="change">{fmt_change(rec)}</div>' in html and "个百分点" in fmt_change(rec)
    assert c.get("/rollup?year=2019").text.count('class="change"') == 0  # 2018 has no data: no 比上年
    r = c.get("/trace?year=2020&unit=JA&metric=rate_wuhao")
    assert r.status_code == 200 and "÷" in r.text


def test_checks_filter_by_severity_and_unit(loaded):
    ws, _ = loaded
    res = ws.check(2020)
    assert res.findings
    c = client(ws)
    all_rows = c.get("/checks?year=2020").text
    assert res.summary_line() in all_rows
    warn = c.get("/checks?year=2020&severity=warning").text
    assert warn.count('<tr class="warning">') == res.count("warning")
    assert '<tr class="error">' not in warn and '<tr class="info">' not in warn
    sub = ws.check(2020, unit="JA12")
    assert 0 < len(sub.findings) < len(res.findings)
    page = c.get("/checks?year=2020&unit=JA12").text
    assert page.count("<tr class=") == len(sub.findings)


def test_outputs_workbook_charts_report(loaded):
    import openpyxl

    ws, _ = loaded
    c = client(ws)
    token = csrf_token(c, "/outputs?year=2020")
    r = job_done(c, c.post("/outputs/make/workbook", data={"csrftoken": token, "year": "2020"}))
    assert r.status_code == 200 and "已生成汇总工作簿" in r.text
    href = re.search(r'id="download-workbook" href="([^"]+)"', r.text).group(1)
    x = c.get(href)
    assert x.status_code == 200 and x.headers["content-type"].startswith("application/vnd.openxmlformats")
    wb = openpyxl.load_workbook(io.BytesIO(x.content))
    assert "汇总" in wb.sheetnames
    r = job_done(c, c.post("/outputs/make/charts", data={"csrftoken": token, "year": "2020"}))
    imgs = re.findall(r'<img src="([^"]+)"', r.text)
    assert imgs and "张图表" in r.text
    assert re.search(r"<figcaption>集安市关工委 2020年 [^<]+</figcaption>", r.text)  # the chart's own title
    png = c.get(imgs[0])
    assert png.status_code == 200 and png.content[:8] == b"\x89PNG\r\n\x1a\n"
    r = job_done(c, c.post("/outputs/make/report", data={"csrftoken": token, "year": "2020"}))
    doc = c.get(re.search(r'id="download-report" href="([^"]+)"', r.text).group(1))
    assert doc.status_code == 200 and zipfile.ZipFile(io.BytesIO(doc.content)).testzip() is None
    # the office's check list beside it, as `gwstats report` writes it: a second download
    listed = re.search(r'id="download-checks" href="([^"]+)">下载 ([^<]+)</a>', r.text)
    assert listed and listed.group(2).endswith("年度统计分析_数据核查清单.docx")
    from docx import Document

    checks = Document(io.BytesIO(c.get(listed.group(1)).content))
    assert "数据核查清单" in checks.paragraphs[0].text
    assert "数据核查清单" in c.get("/outputs?year=2020").text  # listed when the page is opened again
    # only products are served, nothing else of the workspace
    assert c.get("/outputs/2020/../../gwstats.sqlite").status_code in (400, 404)
    assert c.get("/outputs/2020/%2E%2E/%2E%2E/gwstats.toml").status_code in (400, 404)


def test_templates_zip_has_one_return_per_expected_unit(loaded):
    ws, _ = loaded
    c = client(ws)
    r = job_done(c, c.post("/templates", data={"csrftoken": csrf_token(c, "/templates"), "year": "2020"}))
    link = re.search(r'id="download-zip" href="([^"]+)">下载 ([^<]+)</a>', r.text)
    assert link and link.group(2) == "集安市关工委2020年度统计表模板.zip"
    r = c.get(link.group(1))
    assert r.status_code == 200 and r.headers["content-type"] == "application/zip"
    assert unquote(r.headers["content-disposition"].split("''", 1)[1]) == link.group(2)
    names = zipfile.ZipFile(io.BytesIO(r.content)).namelist()
    assert len(names) == len(ws.hierarchy().expected(2020)) and all(n.endswith(".xlsx") for n in names)


def test_a_data_error_is_a_chinese_page_not_a_traceback(loaded):
    ws, _ = loaded
    r = client(ws).get("/trace?year=2019&unit=不存在的单位&metric=org_total")
    assert r.status_code == 400 and "单位名单中没有“不存在的单位”" in r.text and "Traceback" not in r.text


def test_trace_page_shows_each_subtotal_and_its_parts(loaded):
    from gwstats.core.formatting import decimal_text

    ws, _ = loaded
    html = client(ws).get("/trace?year=2020&unit=JA&metric=org_total").text
    rr = ws.rollup(2020)
    for code, name in (("JA02", "财源镇关工委"), ("JA03", "清河镇关工委")):
        total = decimal_text(rr.record(code, "org_total")["value"])
        assert re.search(rf'{name}：合计（已报 \d+/\d+）</td><td class="fig">{total}</td>', html)
    t = ws.trace(2020, "JA", "org_total")
    assert html.count('class="download"') == sum(1 for r in t.records() if r["role"] in ("own", "reported"))


def test_templates_static_and_font_are_package_data():
    """A wheel (python -m build) carries every template, asset and the font: the page needs no internet."""
    import fnmatch
    import tomllib
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    cfg = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    data = cfg["package-data"]
    assert {"gwstats.web", "gwstats.web.views"} <= set(cfg["packages"])
    for pkg, folder in (("gwstats.web", "gwstats/web"), ("gwstats", "gwstats")):
        base = root / folder
        for sub in (["templates", "static"] if pkg == "gwstats.web" else ["data/fonts"]):
            for f in (base / sub).iterdir():
                rel = f.relative_to(base).as_posix()
                assert any(fnmatch.fnmatch(rel, pat) for pat in data[pkg]), rel
    css = (root / "gwstats/web/static/style.css").read_text(encoding="utf-8")
    assert "http://" not in css and "https://" not in css  # nothing fetched from the internet


def test_remainder_row_is_shown_without_a_trace_link(loaded):
    """The rows add up to 合计: the root's own 本级 row is there, as plain figures (no unit to trace)."""
    ws, _ = loaded
    res = ws.rollup(2020)
    rest = [r for r in res.records() if r["row"] not in ("单位", "合计")]
    assert rest
    html = client(ws).get("/rollup?year=2020").text
    row = re.search(rf'<td class="unit">{re.escape(rest[0]["unit_name"])}</td>(.*?)</tr>', html, re.S).group(1)
    assert 'class="trace"' not in row and re.search(r'<td class="fig">\s*\d', row)
    from gwstats.render.rollup_table import table_notes

    shown = ws.rollup(2020, metrics=[ws.catalog.groups()[0]])  # the page opens on the first group
    for n in table_notes(shown):
        assert n in html


CORPUS = __import__("pathlib").Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "hostile"


def test_hostile_uploads_get_a_row_each_never_a_server_error(fresh):
    """The long name (246 bytes) and broken files of the corpus: one result row per file, a Chinese reason."""
    if not CORPUS.is_dir():
        pytest.skip(f"跳过：没有 {CORPUS}（共享测试语料）")
    ws, _ = fresh
    files = sorted((CORPUS / "longname").iterdir()) + [CORPUS / "tsz-mod.xlsx"]
    c = client(ws)
    r = c.post("/import", data={"csrftoken": csrf_token(c)}, files=upload_files(files))
    assert r.status_code == 200 and "Traceback" not in r.text
    assert r.text.count("<tr class=") == len(files)
    names = re.findall(r"<tr class=\"\w+\"><td>([^<]+)</td>", r.text)
    assert all(len(n.encode("utf-8")) <= 180 for n in names)
    assert _counts(ws)["files"] == 0  # a dry run


def test_year_chosen_at_the_top_for_returns_without_a_year(fresh, tmp_path):
    from helpers_returns import long_rows, write_xlsx

    ws, _ = fresh
    path = write_xlsx(tmp_path / "台上镇统计表.xlsx",
                      {"统计表": long_rows({"关工委组织数": 21}, unit="台上镇关工委", year=None, title=None)})
    c = client(ws)
    token = csrf_token(c, "/import?year=2020")
    r = c.post("/import?year=2020", data={"csrftoken": token}, files=upload_files([path]))
    assert "<td>未导入</td>" in r.text and "无法确定统计年度" in r.text
    r = c.post("/import?year=2020", data={"csrftoken": token, "year_fallback": "1"}, files=upload_files([path]))
    assert "<td>将导入</td>" in r.text and "<td>2020</td>" in r.text
    batch = re.search(r'name="batch" value="([0-9a-f]{16})"', r.text).group(1)
    r = c.post("/import/confirm?year=2020", data={"csrftoken": token, "batch": batch})
    assert "<td>已导入</td>" in r.text
    assert ws.rollup(2020).record("JA01", "org_total")["value"] == 21


def test_the_year_end_is_led_from_the_overview_and_every_button_says_what_it_makes(loaded):
    """概览 with returns in: the next steps (数据核查, 汇总, 成果, 封账) as links; 成果's buttons name their product;
    the import result leads on to them too."""
    c = client(loaded[0])
    page = c.get("/?year=2020").text
    steps = page[page.index('id="year-end"'):]
    for href in ("/checks?year=2020", "/rollup?year=2020", "/outputs?year=2020"):
        assert f'href="{href}"' in steps, href
    assert "生成统计分析报告（Word）" in steps and "封账" in steps
    outputs = c.get("/outputs?year=2020").text
    labels = [re.sub(r"<[^>]+>", "", b).strip().removeprefix("重新") for b in re.findall(r"<button[^>]*>(.*?)</button>", outputs, re.S)]
    assert {"生成汇总工作簿", "生成统计分析报告", "生成图表", "生成报上级汇总表", "填入本级汇总数"} <= set(labels), labels
    assert "生成" not in labels and "填写" not in labels
    checks = c.get("/checks?year=2020").text
    assert "数据核查" in checks and 'href="/outputs?year=2020"' in checks
    assert "year-end" not in c.get("/?year=2021").text  # nothing received yet: no next steps


def test_outputs_hold_a_product_over_open_errors_until_the_clerk_chooses(tmp_path):
    """The page's gate, as report/charts/export exit 1: over an open error the report is not made; the
    errors are listed (unit, metric, cell); 照样生成 makes it with ※ beside the affected figures."""
    from docx import Document
    from store_builders import add_submission, make_ws

    ws = make_ws(tmp_path, [("C", "测试县关工委", None), ("A", "石门镇关工委", "C"), ("B", "城关镇关工委", "C")],
                 name="测试县关工委", year=2020)
    add_submission(ws, "A", 2020, {"wulao_volunteers": 80, "wulao_core": 90, "org_total": 10}, file_name="石门镇.xlsx")
    add_submission(ws, "B", 2020, {"wulao_volunteers": 60, "wulao_core": 10, "org_total": 13})
    c = client(ws)
    token = csrf_token(c, "/outputs?year=2020")
    for kind in ("report", "charts", "return"):
        r = job_done(c, c.post(f"/outputs/make/{kind}", data={"csrftoken": token, "year": "2020"}))
        assert r.status_code == 200 and 'id="held"' in r.text, kind
        assert "错误未解决" in r.text and "石门镇关工委 · 五老骨干人数" in r.text and "石门镇.xlsx" in r.text
        assert "--allow-errors" not in r.text and f'id="download-{kind}"' not in r.text
    assert not list((ws.root / "成果").rglob("*.docx"))  # nothing written
    r = job_done(c, c.post("/outputs/make/report", data={"csrftoken": token, "year": "2020", "allow_errors": "1"}))
    assert 'id="held"' not in r.text
    doc = Document(io.BytesIO(c.get(re.search(r'id="download-report" href="([^"]+)"', r.text).group(1)).content))
    cells = {cell.text for t in doc.tables for row in t.rows for cell in row.cells}
    assert "90※" in cells and "10" in cells  # the doubtful figure marked, the others not


def test_the_trace_page_of_a_big_unit_opens_down_to_the_counties(tmp_path, monkeypatch):
    import gwstats.analysis.brief as brief
    from store_builders import add_submission, make_ws

    ws = make_ws(tmp_path)
    add_submission(ws, "A1", 2018, {"legal_lessons": 12})
    add_submission(ws, "B", 2018, {"legal_lessons": 40}, scope="汇总")
    monkeypatch.setattr(brief, "BIG_UNITS", 3)
    monkeypatch.setattr(brief, "BRIEF_DEPTH", 1)
    html = client(ws).get("/trace?year=2018&unit=C&metric=legal_lessons").text
    assert "测试市关工委下有 7 个单位，这里展开到下 1 级" in html and "甲县一站" not in html
    assert '甲县关工委：合计（已报 1/3） <a href="/trace?year=2018&amp;unit=A&amp;metric=legal_lessons">展开</a>' in html
    opened = client(ws).get("/trace?year=2018&unit=A&metric=legal_lessons").text
    assert "甲县一站" in opened and "展开</a>" not in opened
