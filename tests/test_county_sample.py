"""The county of tools/county_sample.py (units missing, moved, changing 口径, leaving items blank) through
import → rollup → report (docx text) → workbook → export --as-return → charts' data, and every change
on those pages checked with a calculator against figures on the page or in last year's rollup (issue 20).
"""

from __future__ import annotations

import importlib.util
import re
from decimal import Decimal
from pathlib import Path

import pytest

from gwstats.core.rounding import shown

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("county_sample", ROOT / "tools" / "county_sample.py")
cs = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(cs)

NUM = r"\d[\d,]*(?:\.\d+)?"
# “共有关工委组织19个，比上年减少4个”, “占94.7%，比上年提高25.1个百分点”, “1.5万人次，比上年增加0.1万人次”
RAW = re.compile(rf"(?P<x>{NUM})(?P<xw>万)?(?P<apx>余|多)?(?P<u>[^\d，。；、（）]{{0,4}})，比上年(?P<d>增加|减少|提高|下降)"
                 rf"(?P<n>{NUM})(?P<nw>万)?")
# “按可比口径（剔除这个单位）比上年增加1人”, “剔除上述单位后比上年增加12人”, “…与上年持平”
COMP = re.compile(rf"(按可比口径（剔除[^）]*）|剔除上述单位后)(?:比上年(?P<d>增加|减少|提高|下降)(?P<n>{NUM})(?P<nw>万)?(?P<u>[^\d，。；（]{{0,4}})|与上年持平)")
# 主要亮点：“法制课场次比上年增加8场次（增长8.1%）”
HIGH = re.compile(rf"(?P<name>[^；：，。]+?)比上年增加(?P<n>{NUM})(?P<nw>万)?(?P<u>[^（]*)（增长(?P<p>{NUM})%）")


@pytest.fixture(scope="module")
def county(tmp_path_factory):
    out = tmp_path_factory.mktemp("county")
    files = cs.write_county(out / "收到的报表")
    ws, reports = cs.make_workspace(out / "工作区", files)
    return ws, reports, out


def _num(text: str, wan: bool = False, measure: str = "") -> Decimal:
    d = Decimal(text.replace(",", ""))
    return d * 10000 if wan and not measure.startswith("元") else d  # 8.80万元 is in 万元, 1.5万人次 is 15000


def _tol(*texts_scaled) -> Decimal:
    """Half a unit of the last digit shown, for figures rounded for reading (1.5万, 530余)."""
    out = Decimal(0)
    for text, scale in texts_scaled:
        places = len(text.split(".")[1]) if "." in text else 0
        out += Decimal(5) / Decimal(10) ** (places + 1) * scale
    return out


def _docx_text(path: Path) -> tuple[str, list[list[list[str]]]]:
    from docx import Document

    doc = Document(str(path))
    return "\n".join(p.text for p in doc.paragraphs), [[[c.text for c in row.cells] for row in t.rows] for t in doc.tables]


def test_import_reads_every_file_and_the_moved_unit_as_its_successor(county):
    ws, reports, _ = county
    for rep in reports.values():
        assert all(f.status == "accepted" for f in rep.files), [(f.name, [e.message for e in f.errors]) for f in rep.files]
    notes = [(f.name, w) for f in reports[2020].files for w in f.warnings if w.code == "unit-successor"]
    assert [(name, w.extra["old"], w.extra["new"]) for name, w in notes] == [("河西村关工小组2020年统计表.xlsx", "CG3", "SM3")]
    status = ws.status(2020)
    assert status.missing == ["白沙镇关工委"] and sorted(status.covered) == ["城关派出所关工小组", "石门派出所关工小组"]
    assert not ws.check(2020).has_errors


def test_rollup_figures(county):
    ws, _, _ = county
    rr = ws.rollup(2020)
    org = rr.record("DH", "org_total")
    assert (org["value"], org["prev_value"], org["prev_comparable"], org["change"]) == (19, 23, 19, 0)
    assert org["left_out_why"] == {"白沙镇": "本年未报"}
    assert rr.record("SM", "org_total")["value"] == 5  # 河西村 counted under 石门镇
    police = rr.record("GA", "org_total")
    assert (police["value"], police["change"], police["source"]) == (3, 0, "reported")  # 汇总 3 vs 本级 + stations 3
    vp = rr.record("DH", "legal_vp")
    assert (vp["value"], vp["prev_value"], vp["change"], vp["left_out_why"]) == (17, 36, 1, {"县教育局": "本年未填"})
    rate = rr.record("DH", "rate_wuhao")
    assert rate["left_out_prev"] == "白沙镇"  # not the police stations: the bureau's 汇总 is like with like


def _prev_figures(ws, year: int) -> dict[str, Decimal]:
    """Last year's published figures at the top (last year's rollup), as displayed, by metric name."""
    rr = ws.rollup(year, compare=None)
    out = {}
    for rec in rr.records():
        if rec["unit"] == rr.root and rec["value"] is not None:
            out[rec["metric_name"]] = shown(rec["value"], rec["kind"], rec["measure"])
    return out


def check_report_changes(ws, path: Path, year: int) -> tuple[int, int]:
    """Every “比上年增加/减少 N” of the report at ``path`` recomputed: the figure before it ∓ N is last
    year's published total; every comparable change is the two totals without the units left out; the
    highlights' percentages are the increase over last year's total; the section tables add up.
    Returns how many raw and comparable changes were checked."""
    text, tables = _docx_text(path)
    prev = _prev_figures(ws, year - 1)
    rr = ws.rollup(year)
    by_name = {r["metric_name"]: r for r in rr.records() if r["unit"] == rr.root}
    prev_values = set(prev.values())
    raw_seen = comp_seen = 0
    for sentence in re.split(r"[。\n]", text):
        last = None  # the records of the figure the sentence is about (for its 剔除 clause)
        for clause in sentence.split("；"):
            for m in RAW.finditer(clause):
                scale = 10000 if m["xw"] and not m["u"].startswith("元") else 1
                x = _num(m["x"], bool(m["xw"]), m["u"])
                n = _num(m["n"], bool(m["nw"]), m["u"])
                before = x - n if m["d"] in ("增加", "提高") else x + n
                # figures in the text are rounded for reading (99.8万元, 1.5万人次, 530余): half a unit of
                # the last digit shown (0 in effect for whole counts)
                tol = _tol((m["x"], scale), (m["n"], scale if m["nw"] else 1))
                # the figure a calculator gets is last year's published one
                assert any(abs(before - p) <= tol for p in prev_values), (clause, before)
                raw_seen += 1
                last = [r for r in by_name.values() if r["value"] is not None
                        and abs(x - shown(r["value"], r["kind"], r["measure"])) <= tol
                        and ((m["xw"] or "") + m["u"]).endswith(r["measure"])]
            for m in COMP.finditer(clause):
                assert last, clause
                comp_seen += 1
                n = Decimal(0) if m["n"] is None else _num(m["n"], bool(m["nw"]), m["u"])
                n = n if m["d"] in (None, "增加", "提高") else -n
                # a change the text rounds for reading (0.7万, 8.8万元) is the difference of two rounded
                # figures: within one unit of its last digit of the exact one
                s = 10000 if m["nw"] and not m["u"].startswith("元") else 1
                tol = _tol((m["n"], s), (m["n"], s)) if m["n"] is not None else 0
                assert any(abs(_comparable_recomputed(ws, r, year) - n) <= tol for r in last), (clause, n)
    # highlights: the increase and its percentage from last year's total and this year's on the page
    for m in HIGH.finditer(text.split("主要亮点")[1].split("存在问题")[0] if "主要亮点" in text else ""):
        rec = by_name[m["name"].split("：")[-1]]
        n = _num(m["n"], bool(m["nw"]))
        assert not rec["comparable"]
        assert shown(rec["value"], rec["kind"], rec["measure"]) - n == prev[rec["metric_name"]] or m["nw"]
        assert Decimal(m["p"]) == shown(Decimal(rec["change"]) / Decimal(prev[rec["metric_name"]]) * 100, "rate", "%")
    # the coverage sentence adds up: 已报 + 由上级汇总表填报 + 未报 = 应报
    cov = re.search(r"应报(\d+)个单位，已报(\d+)个(?:，由上级汇总表填报(\d+)个)?(?:，未报(\d+)个)?", text)
    assert cov and int(cov[1]) == int(cov[2]) + int(cov[3] or 0) + int(cov[4] or 0)
    # the section tables: rows add up to 合计, each rate is its row's parts
    for table in tables:
        head = table[0]
        if "单位" not in head[0] or table[-1][0] != "合计":
            continue
        for k, h in enumerate(head[1:], 1):
            if "（%）" in h or "（元）" in h:
                continue
            cells = [row[k] for row in table[1:-1] if row[k]]
            if cells and all(re.fullmatch(NUM, c) for c in cells + [table[-1][k]]):
                assert sum(Decimal(c.replace(",", "")) for c in cells) == Decimal(table[-1][k].replace(",", "")), (h, cells)
        if head[1:] == ["关工委组织数（个）", "达到五好标准组织数（个）", "五好达标率（%）"]:
            for row in table[1:]:
                if row[1] and row[2] and row[3]:
                    assert Decimal(row[3]) == shown(Decimal(row[2]) / Decimal(row[1]) * 100, "rate", "%")
    return raw_seen, comp_seen


def test_every_change_in_the_report_is_recomputable(county):
    ws, _, out = county
    raw_seen, comp_seen = check_report_changes(ws, ws.report(2020, out / "报告.docx"), 2020)
    assert raw_seen >= 8 and comp_seen >= 4


@pytest.mark.parametrize("sample", ["jian-an", "anqing-police"])
def test_the_samples_reports_are_recomputable(demo_run, sample):
    from gwstats import Workspace

    result, _ = demo_run
    run = next(r for r in result.runs if r.name == sample)
    path = next(p for s in run.steps for p in s.outputs if p.suffix == ".docx")
    raw_seen, _ = check_report_changes(Workspace.open(run.workspace), path, run.years[1])
    assert raw_seen >= 3


def _comparable_recomputed(ws, rec, year: int) -> Decimal:
    """The comparable change of a top record as a reader gets it: this year's total and last year's, both
    without the units left out (their figures from the two years' rollups by unit)."""
    rr_prev, rr_cur = ws.rollup(year - 1, compare=None), ws.rollup(year, compare=None)
    h = ws.store.hierarchy()
    gone = [h.match(n) for n in filter(None, rec["left_out_prev"].split("、"))]
    new = [h.match(n) for n in filter(None, rec["left_out_cur"].split("、"))]
    metric = rec["metric"]
    if rec["kind"] == "rate":
        def parts(rr, units):
            top = rr.record(rr.root, metric)
            num, den = Decimal(top["numerator"]), Decimal(top["denominator"])
            for u in units:
                r = rr.record(u, metric)
                num -= Decimal(r["numerator"] or 0)
                den -= Decimal(r["denominator"] or 0)
            return shown(num / den * 100, "rate", "%")
        return parts(rr_cur, new) - parts(rr_prev, gone)
    cur = Decimal(rr_cur.value(rr_cur.root, metric)) - sum(Decimal(rr_cur.value(u, metric) or 0) for u in new)
    before = Decimal(rr_prev.value(rr_prev.root, metric)) - sum(Decimal(rr_prev.value(u, metric) or 0) for u in gone)
    return shown(cur - before, rec["kind"], rec["measure"])


def test_workbook_yoy_rows_add_up(county):
    import openpyxl

    ws, _, out = county
    path = out / "汇总.xlsx"
    from gwstats.render.workbook import write_workbook

    write_workbook(ws, ws.rollup(2020), path)
    sheet = openpyxl.load_workbook(path)["同比"]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    head_at = next(i for i, r in enumerate(rows) if r and r[0] == "单位")
    head = rows[head_at]
    cur_col = head.index("2020年（可比口径）") if "2020年（可比口径）" in head else head.index("2020年")
    prev_col, chg_col = head.index("2019年（可比口径）"), head.index("增减")
    checked = 0
    for r in rows[head_at + 1:]:
        if r[chg_col] is None or r[cur_col] is None or not isinstance(r[chg_col], (int, float)):
            continue
        cur, before, change = (Decimal(str(v)) for v in (r[cur_col], r[prev_col], r[chg_col]))
        if r[2] == "%":  # rates as fractions, changes in 百分点
            cur, before = shown(cur * 100, "rate", "%"), shown(before * 100, "rate", "%")
        elif r[2] == "元":  # 人均资助金额: 元/人 to two places, as shown
            cur, before = shown(cur, "rate", "元"), shown(before, "rate", "元")
        assert cur - before == change, r
        checked += 1
    assert checked >= 20


def test_the_return_sent_up_and_the_charts_show_the_rollup_figures(county):
    import openpyxl

    from gwstats.render import chart_data as D

    ws, _, out = county
    rr = ws.rollup(2020)
    exp = ws.export_return(2020, out / "上报.xlsx")
    rows = [[c.value for c in row] for s in openpyxl.load_workbook(exp.path).worksheets for row in s.iter_rows()]
    for metric, name in (("org_total", "关工委组织数"), ("wulao_volunteers", "五老志愿者人数"), ("legal_vp", "法制副校长人数")):
        row = next(r for r in rows if name in r)
        assert Decimal(str(rr.value("DH", metric))) in [Decimal(str(v)) for v in row if isinstance(v, (int, float))]
    for metric in ("org_total", "wulao_volunteers", "legal_vp", "legal_lessons"):
        data = D.build_chart(ws, 2020, metric, kind="compare")
        for v, p, c in zip(data.values, data.prev_values, data.changes):
            if v is not None and p is not None:
                assert Decimal(str(c)) == Decimal(str(v)) - Decimal(str(p)), (metric, v, p, c)  # the label is the bars' difference


@pytest.mark.parametrize("prefer", ["computed", "reported"])
def test_figures_for_equal_the_full_records(county, prefer):
    """The workbook's 汇总 rows of deeper units (RollupResult.figures_for) are the full records' figures:
    moved units, stood-in 汇总 returns, partial rates, year over year all present in this county."""
    ws, _, _ = county
    r = ws.rollup(2020, prefer=prefer)
    codes = list(r.tree.codes)
    full = r.records_for(codes)
    assert any(rec["kind"] == "rate" and rec["value"] is not None for rec in full)
    assert r.figures_for(codes) == [{k: rec[k] for k in r.FIGURE_FIELDS} for rec in full]
