"""Importing files into the store: all or nothing per file, unchanged/replaced, refusals, the CLI."""

import json

import pytest
from typer.testing import CliRunner

from gwstats.cli.app import app
from gwstats.core.errors import UsageError
from gwstats.ingest import importer
from gwstats.read.reader import CFB_MAGIC

from helpers_returns import (dump_store, long_rows, make_workspace, stored_values, wide_rows, write_csv, write_xls,
                             write_xlsx)

runner = CliRunner()


@pytest.fixture
def ws(tmp_path):
    return make_workspace(tmp_path)


def one(report):
    assert len(report.files) == 1
    return report.files[0]


def yx_file(tmp_path, name="岳西县局2018.xlsx", **values):
    vals = values or {"关工委组织数": 12, "五老志愿者人数": "2,503", "资助金额": 13.55, "法制课场次": "200多"}
    return write_xlsx(tmp_path / "in" / name, {"统计表": long_rows(vals)})


# ---- accepted / unchanged / replaced ----------------------------------------------------------
def test_accepted_values_with_origin(ws, tmp_path):
    path = yx_file(tmp_path)
    f = one(ws.import_paths([path]))
    assert f.status == "accepted" and not f.errors
    assert [(r.unit, r.year, r.scope, r.n_values) for r in f.returns] == [("YX", 2018, "本级", 4)]
    v = stored_values(ws, "YX")
    assert v["org_total"] == ("12", "value", 0, "统计表", "D7", "12")
    assert v["wulao_volunteers"] == ("2503", "value", 0, "统计表", "D8", "2,503")
    assert v["aid_amount"] == ("13.55", "value", 0, "统计表", "D9", "13.55")
    assert v["legal_lessons"] == ("200", "value", 1, "统计表", "D10", "200多")
    micro = ws.store.conn.execute("SELECT micro FROM submission_values WHERE metric='aid_amount'").fetchone()[0]
    assert micro == 13_550_000
    fid, name, size, stored, sha = ws.store.conn.execute("SELECT id, name, size, stored_path, sha256 FROM files").fetchone()
    assert name == path.name and size == path.stat().st_size
    assert (ws.root / stored).read_bytes() == path.read_bytes()
    sub = ws.store.conn.execute("SELECT sheet, source, filled_by, phone FROM submissions").fetchone()
    assert sub == ("统计表", "return", "张三", "0556-1234567")
    note = ws.store.conn.execute("SELECT severity, code, cell FROM submission_notes").fetchall()
    assert note == [("warning", "approximate", "D10"), ("info", "scope-missing", None)]  # YX has subordinates: 口径 decided from figures
    rec = ws.import_paths([path]).records()[0]
    assert rec["结果"] == "未变化" and rec["单位"] == "岳西县公安局关工委"


def test_same_bytes_again_changes_nothing(ws, tmp_path):
    path = yx_file(tmp_path)
    ws.import_paths([path])
    before = dump_store(ws)
    copy = tmp_path / "copy" / "另一个名字.xlsx"
    copy.parent.mkdir()
    copy.write_bytes(path.read_bytes())
    f = one(ws.import_paths([copy]))
    assert f.status == "unchanged" and "内容完全相同" in f.notes[0] and f.returns[0].unit == "YX"
    assert dump_store(ws) == before


def test_different_file_replaces_and_keeps_history(ws, tmp_path):
    ws.import_paths([yx_file(tmp_path, 关工委组织数=12, 法制课场次=100)])
    f = one(ws.import_paths([yx_file(tmp_path, "岳西县局2018(修改版).xlsx", 关工委组织数=14, 法制课场次=100)]))
    assert f.status == "replaced" and "替换了" in f.notes[0] and "岳西县局2018.xlsx" in f.notes[0]
    assert stored_values(ws, "YX")["org_total"][0] == "14"
    subs = ws.store.conn.execute("SELECT id, superseded_by FROM submissions ORDER BY id").fetchall()
    assert subs == [(1, 2), (2, None)]


def test_keep_existing_refuses(ws, tmp_path):
    ws.import_paths([yx_file(tmp_path, 关工委组织数=12)])
    before = dump_store(ws)
    f = one(ws.import_paths([yx_file(tmp_path, "新.xlsx", 关工委组织数=13)], keep_existing=True))
    assert f.status == "rejected" and "--keep-existing" in f.errors[0].message and "岳西县局2018.xlsx" in f.errors[0].message
    assert dump_store(ws) == before


def test_dry_run_writes_nothing(ws, tmp_path):
    ws.import_paths([yx_file(tmp_path, 关工委组织数=12)])
    before = dump_store(ws)
    files_before = sorted(p.name for p in ws.files_dir.rglob("*"))
    new = write_xlsx(tmp_path / "in" / "望江.xlsx", {"s": long_rows({"法制课场次": 128}, unit="望江县局")})
    report = ws.import_paths([yx_file(tmp_path, "改.xlsx", 关工委组织数=13), new], dry_run=True)
    assert [f.status for f in report.files] == ["replaced", "accepted"]
    assert [r["结果"] for r in report.records()] == ["将替换", "将导入"]
    assert dump_store(ws) == before
    assert sorted(p.name for p in ws.files_dir.rglob("*")) == files_before


# ---- layouts and formats ------------------------------------------------------------------------
def test_wide_sheet_rows_and_total_row(ws, tmp_path):
    rows, _ = wide_rows(["城关派出所", "天堂派出所"], ["法制课场次", "受教育师生人次"], [[10, 800], [12, 900]], total=[22, 1700],
                        unit_field="岳西县公安局关工委")
    f = one(ws.import_paths([write_xlsx(tmp_path / "岳西汇总.xlsx", {"汇总": rows})]))
    assert f.status == "accepted"
    assert {(r.unit, r.scope, r.source) for r in f.returns} == {("YX01", "本级", "row"), ("YX02", "本级", "row"), ("YX", "汇总", "total_row")}
    assert stored_values(ws, "YX01")["legal_lessons"][:4] == ("10", "value", 0, "汇总")
    assert stored_values(ws, "YX", scope="汇总")["legal_audience"][0] == "1700"
    assert stored_values(ws, "YX") == {}  # the 合计 row is never a 本级 return


def test_total_row_and_real_huizong_are_kept_side_by_side(ws, tmp_path):
    """岳西's summary sheet (stations + 合计 row) and its own 汇总 return: neither replaces the other."""
    rows, _ = wide_rows(["城关派出所", "天堂派出所"], ["法制课场次", "受教育师生人次"], [[10, 800], [12, 900]],
                        total=[22, 1700], unit_field="岳西县公安局关工委")
    sheet = write_xlsx(tmp_path / "岳西各所.xlsx", {"汇总": rows})
    ret = write_xlsx(tmp_path / "岳西县局汇总表.xlsx", {"统计表": long_rows({"法制课场次": 30}, unit="岳西县局", scope="汇总")})
    report = ws.import_paths([sheet, ret])
    assert [f.status for f in report.files] == ["accepted", "accepted"], [f.errors for f in report.files]
    live = ws.store.conn.execute("SELECT source FROM submissions WHERE unit='YX' AND scope='汇总' AND superseded_by IS NULL"
                                 " ORDER BY source").fetchall()
    assert live == [("return",), ("total_row",)]
    # again in the other order, as a second batch: still both, nothing replaced
    again = ws.import_paths([ret, sheet])
    assert [f.status for f in again.files] == ["unchanged", "unchanged"]
    res = ws.rollup(2018, compare=None, prefer="reported")
    assert res.reported_of(res.tree.index["YX"], "legal_lessons") == 30  # the real 汇总, not the 22 of the row
    assert not [f for f in ws.check(2018).findings if f.code == "total-row-mismatch"]


def test_county_rows_of_a_city_sheet_are_not_added_to_their_stations(ws, tmp_path):
    """A city sheet of county totals (no 口径) and the stations' own returns: 岳西 is 17, not 17 + 15."""
    rows, _ = wide_rows(["岳西县公安局关工委", "望江县公安局关工委"], ["法制课场次", "受教育师生人次"],
                        [[17, 900], [8, 400]], unit_field="安庆市公安局关工委")
    city = write_xlsx(tmp_path / "全市汇总.xlsx", {"汇总": rows})
    st1 = write_xlsx(tmp_path / "城关所.xlsx", {"表": long_rows({"法制课场次": 10}, unit="城关派出所")})
    st2 = write_xlsx(tmp_path / "天堂所.xlsx", {"表": long_rows({"法制课场次": 5}, unit="天堂派出所")})
    for batch in ([city, st1, st2], ):
        assert all(f.status == "accepted" for f in ws.import_paths(batch).files)
    res = ws.rollup(2018, compare=None)
    assert res.value("YX", "legal_lessons") == 17  # the row holds the stations: 本级 17 − 15 = 2
    assert res.value("AQ", "legal_lessons") == 25
    assert "按汇总数对待" in res.record("YX", "legal_lessons")["note"]
    assert res.value("WJ", "legal_lessons") == 8  # 望江 has no station returns: its row stays its 本级


def test_xls_and_gbk_csv(ws, tmp_path):
    xls = write_xls(tmp_path / "望江县局.xls", {"统计表": long_rows({"法制课场次": 128, "资助金额": 13.55}, unit="望江县局")})
    csv_ = write_csv(tmp_path / "怀宁县局.csv", long_rows({"法制课场次": "120", "受教育师生人次": "6,000"}, unit="怀宁县局"), "gbk")
    report = ws.import_paths([xls, csv_])
    assert [f.status for f in report.files] == ["accepted", "accepted"]
    assert stored_values(ws, "WJ")["aid_amount"][:2] == ("13.55", "value")
    hn = stored_values(ws, "HN")
    assert hn["legal_audience"][:5] == ("6000", "value", 0, "怀宁县局", "D8")


def test_several_returns_in_one_file_land_together(ws, tmp_path):
    path = write_xlsx(tmp_path / "两个单位.xlsx", {"岳西": long_rows({"法制课场次": 1}, unit="岳西县局"),
                                                "望江": long_rows({"法制课场次": 2}, unit="望江县局")})
    f = one(ws.import_paths([path]))
    assert f.status == "accepted" and len(f.returns) == 2
    assert stored_values(ws, "WJ")["legal_lessons"][0] == "2"


# ---- refusals: each leaves the store exactly as it was -----------------------------------------
def _refused(ws, path, expect, **opts):
    ws.import_paths([yx_file(path.parent.parent / "ok")])  # something in the store already
    before = dump_store(ws)
    files_before = sorted(p.name for p in ws.files_dir.rglob("*"))
    f = one(ws.import_paths([path], **opts))
    assert f.status == "rejected", f
    text = "；".join(e.message for e in f.errors)
    assert expect in text, text
    assert dump_store(ws) == before
    assert sorted(p.name for p in ws.files_dir.rglob("*")) == files_before
    return f


def test_refuse_truncated(ws, tmp_path):
    good = yx_file(tmp_path, "x.xlsx")
    bad = tmp_path / "in" / "截断.xlsx"
    bad.write_bytes(good.read_bytes()[:1500])
    _refused(ws, bad, "文件不完整或已损坏")


def test_refuse_empty(ws, tmp_path):
    bad = tmp_path / "in" / "空.xlsx"
    bad.parent.mkdir(parents=True, exist_ok=True)
    bad.write_bytes(b"")
    _refused(ws, bad, "文件是空的")


def test_refuse_renamed_non_excel(ws, tmp_path):
    bad = tmp_path / "in" / "报表.xlsx"
    bad.parent.mkdir(parents=True, exist_ok=True)
    bad.write_bytes("这不是表格".encode("utf-8") * 20)
    _refused(ws, bad, "不是 Excel/WPS 表格文件")


def test_refuse_password_protected(ws, tmp_path):
    bad = tmp_path / "in" / "加密.xlsx"
    bad.parent.mkdir(parents=True, exist_ok=True)
    bad.write_bytes(CFB_MAGIC + b"\0" * 512 + "EncryptionInfo".encode("utf-16-le") + b"\0" * 512)
    _refused(ws, bad, "设置了打开密码")


def test_refuse_no_table(ws, tmp_path):
    bad = write_xlsx(tmp_path / "in" / "信.xlsx", {"Sheet1": [["各位领导："], ["报表见附件。"]]})
    _refused(ws, bad, "没有找到可识别的统计表")


def test_refuse_xml_bomb(ws, tmp_path):
    import io
    import zipfile

    good = yx_file(tmp_path, "src.xlsx")
    buf = io.BytesIO()
    src = zipfile.ZipFile(good)
    with zipfile.ZipFile(buf, "w") as out:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = b'<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>' + data
            out.writestr(info, data)
    bad = tmp_path / "in" / "炸弹.xlsx"
    bad.write_bytes(buf.getvalue())
    _refused(ws, bad, "XML 炸弹")


def test_refuse_over_size_limit(ws, tmp_path):
    big = yx_file(tmp_path, "大.xlsx")
    f = _refused(ws, big, "超过上限", max_mb=0.001)
    assert "--max-mb" in f.errors[0].message


def test_refuse_duplicate_metric_rows(ws, tmp_path):
    bad = write_xlsx(tmp_path / "in" / "重复.xlsx", {"s": long_rows({"法制课场次": 120, "法制课": 130, "关工委组织数": 3})})
    _refused(ws, bad, "出现两次且数值不同")


def test_refuse_negative_and_decimal_counts(ws, tmp_path):
    bad = write_xlsx(tmp_path / "in" / "负数.xlsx", {"s": long_rows({"法制课场次": -5, "五老志愿者人数": 12.5, "资助金额": 3})})
    f = _refused(ws, bad, "不能为负数")
    assert any("应为整数" in e.message and e.cell == "D8" for e in f.errors)


def test_refuse_bad_year(ws, tmp_path):
    bad = write_xlsx(tmp_path / "in" / "年.xlsx", {"s": long_rows({"法制课场次": 5}, year=208)})
    _refused(ws, bad, "年度“208”不是有效年份")


def test_refuse_unknown_unit(ws, tmp_path):
    bad = write_xlsx(tmp_path / "in" / "u.xlsx", {"s": long_rows({"法制课场次": 5}, unit="岳西县公安分局")})
    _refused(ws, bad, "是否是：岳西县公安局关工委")


def test_refuse_formula_without_result(ws, tmp_path):
    bad = write_xlsx(tmp_path / "in" / "公式.xlsx", {"s": long_rows({"五老志愿者人数": 10, "五老骨干人数": "=D7/2"})})
    f = _refused(ws, bad, "请用 Excel 或 WPS 打开该文件并保存")
    assert f.errors[0].cell == "D8" and f.errors[0].sheet == "s"


def test_one_bad_sheet_rejects_the_whole_file(ws, tmp_path):
    bad = write_xlsx(tmp_path / "in" / "混.xlsx", {"岳西": long_rows({"法制课场次": 1}, unit="岳西县局"),
                                                "望江": long_rows({"法制课场次": "见附件"}, unit="望江县局")})
    f = _refused(ws, bad, "见附件")
    assert f.errors[0].sheet == "望江" and f.errors[0].cell == "D7"


def test_failure_while_writing_rolls_back(ws, tmp_path, monkeypatch):
    ws.import_paths([yx_file(tmp_path / "ok")])
    before = dump_store(ws)
    path = write_xlsx(tmp_path / "in" / "两个.xlsx", {"a": long_rows({"法制课场次": 1}, unit="望江县局"),
                                               "b": long_rows({"法制课场次": 2}, unit="怀宁县局")})
    calls = []
    original = ws.store.add_submission

    def flaky(conn, file_id, sub, **kw):
        calls.append(sub.unit)
        if len(calls) == 2:
            import sqlite3

            raise sqlite3.OperationalError("database or disk is full")  # what SQLite raises
        return original(conn, file_id, sub, **kw)

    monkeypatch.setattr(ws.store, "add_submission", flaky)
    f = one(ws.import_paths([path]))
    assert f.status == "rejected" and "写入数据库失败" in f.errors[0].message and "磁盘空间不足" in f.errors[0].message
    assert dump_store(ws) == before


# ---- batches -------------------------------------------------------------------------------------
def test_good_files_land_when_another_is_rejected(ws, tmp_path):
    good = yx_file(tmp_path)
    bad = write_xlsx(tmp_path / "in" / "坏.xlsx", {"s": long_rows({"法制课场次": "若干"}, unit="望江县局")})
    report = ws.import_paths([good, bad])
    assert [f.status for f in report.files] == ["accepted", "rejected"] and report.has_rejections
    assert stored_values(ws, "YX") and not stored_values(ws, "WJ")


def test_two_disagreeing_returns_in_a_batch_are_both_refused(ws, tmp_path):
    a = yx_file(tmp_path, "岳西A.xlsx", 法制课场次=100)
    b = yx_file(tmp_path, "岳西B.xlsx", 法制课场次=120)
    report = ws.import_paths([a, b])
    assert [f.status for f in report.files] == ["rejected", "rejected"]
    msg = report.files[0].errors[0].message
    assert "《岳西A.xlsx》" in msg and "《岳西B.xlsx》" in msg and "数值不同" in msg
    assert ws.store.counts()["submissions"] == 0


def test_revision_wins_in_a_batch(ws, tmp_path):
    rev = yx_file(tmp_path, "岳西县局2018年报表(修改版).xlsx", 法制课场次=120)
    orig = yx_file(tmp_path, "岳西县局2018年报表.xlsx", 法制课场次=100)
    report = ws.import_paths([rev, orig])  # the order given does not matter
    status = {f.name: f.status for f in report.files}
    assert status == {rev.name: "replaced", orig.name: "accepted"}
    assert stored_values(ws, "YX")["legal_lessons"][0] == "120"
    notes = {f.name: " ".join(f.notes) for f in report.files}
    assert "以本修改版为准" in notes[rev.name] and "被同批次的修改版" in notes[orig.name]
    assert ws.store.counts()["submissions"] == 2


def test_agreeing_duplicates_in_a_batch_are_fine(ws, tmp_path):
    a = yx_file(tmp_path, "a.xlsx", 法制课场次=100)
    b = write_xlsx(tmp_path / "in" / "b.xlsx", {"另一个表": long_rows({"法制课场次": 100}, title="岳西县局 2018年")})
    report = ws.import_paths([a, b])
    assert [f.status for f in report.files] == ["accepted", "replaced"]


# ---- paths ---------------------------------------------------------------------------------------
def test_folders_globs_lock_and_hidden_files(ws, tmp_path):
    d = tmp_path / "收到"
    write_xlsx(d / "岳西.xlsx", {"s": long_rows({"法制课场次": 1}, unit="岳西县局")})
    write_xlsx(d / "子文件夹" / "望江.xlsx", {"s": long_rows({"法制课场次": 2}, unit="望江县局")})
    (d / "~$岳西.xlsx").write_bytes(b"lock")
    (d / ".隐藏.xlsx").write_bytes(b"x")
    (d / "说明.docx").write_bytes(b"x")
    report = ws.import_paths([d])
    assert sorted(f.name for f in report.files) == ["岳西.xlsx", "望江.xlsx"]
    reasons = {p.name: why for p, why in report.skipped}
    assert "锁文件" in reasons["~$岳西.xlsx"] and "隐藏" in reasons[".隐藏.xlsx"] and "说明.docx" in reasons
    report = ws.import_paths([str(d / "**" / "*.xlsx")])
    assert sorted(f.status for f in report.files) == ["unchanged", "unchanged"]
    with pytest.raises(UsageError, match="找不到文件或文件夹"):
        ws.import_paths([tmp_path / "没有这个"])
    with pytest.raises(UsageError, match="没有文件匹配"):
        ws.import_paths([str(tmp_path / "*.xls")])


# ---- the command ---------------------------------------------------------------------------------
def test_cli_exit_codes_and_json(ws, tmp_path):
    good = yx_file(tmp_path)
    res = runner.invoke(app, ["import", str(good), "-w", str(ws.root), "-f", "json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert data[0]["结果"] == "已导入" and data[0]["年度"] == 2018 and data[0]["数值个数"] == 4
    assert set(data[0]) == {"文件", "结果", "单位", "年度", "口径", "数值个数", "提醒", "错误"}
    bad = write_xlsx(tmp_path / "in" / "坏.xlsx", {"s": long_rows({"法制课场次": "若干"}, unit="望江县局")})
    res = runner.invoke(app, ["import", str(bad), "-w", str(ws.root)])
    assert res.exit_code == 1 and "若干" in res.stdout and "Traceback" not in res.output
    res = runner.invoke(app, ["import", str(tmp_path / "nothing.xlsx"), "-w", str(ws.root)])
    assert res.exit_code == 2 and "找不到文件或文件夹" in res.output
    res = runner.invoke(app, ["import", str(good), "-w", str(ws.root), "--unit", "不存在的单位"])
    assert res.exit_code == 2


def test_cli_help_mentions_example():
    res = runner.invoke(app, ["import", "--help"])
    assert res.exit_code == 0 and "例：gwstats import" in res.output


def test_resaved_file_with_same_values_says_so(ws, tmp_path):
    ws.import_paths([yx_file(tmp_path, 关工委组织数=12)])
    f = one(ws.import_paths([write_xlsx(tmp_path / "in" / "另存.xlsx", {"另一个名字": long_rows({"关工委组织数": 12})})]))
    assert f.status == "replaced" and "数值与原报表完全相同" in f.notes[0]


def test_year_in_file_differs_from_option(ws, tmp_path):
    path = write_xlsx(tmp_path / "in" / "y.xlsx", {"s": long_rows({"关工委组织数": 1}, year=2017)})
    f = one(ws.import_paths([path], year=2018))
    assert f.status == "accepted" and f.returns[0].year == 2017
    assert "与 --year 2018 不同" in f.warnings[0].message


def test_progress_callback_in_two_phases(ws, tmp_path):
    paths = [write_xlsx(tmp_path / "in" / f"{u}.xlsx", {"s": long_rows({"法制课场次": i}, unit=u)})
             for i, u in enumerate(["岳西县局", "望江县局", "怀宁县局"], 1)]
    calls = []
    ws.import_paths(paths, progress=lambda done, total, phase: calls.append((done, total, phase)))
    assert calls == [(1, 3, "读取"), (2, 3, "读取"), (3, 3, "读取"), (1, 3, "写入"), (2, 3, "写入"), (3, 3, "写入")]



def test_no_cycle_collection_while_a_batch_is_imported(ws, tmp_path):
    """Issue 23: a province's form export holds millions of values at once; every full run of the cycle
    collector walked them all. It is off while the batch is read and written, and on again after,
    also when the import fails."""
    import gc

    paths = [write_xlsx(tmp_path / "in" / f"{u}.xlsx", {"s": long_rows({"法制课场次": i}, unit=u)})
             for i, u in enumerate(["岳西县局", "望江县局"], 1)]
    seen = []
    ws.import_paths(paths, progress=lambda done, total, phase: seen.append(gc.isenabled()))
    assert seen and not any(seen)
    assert gc.isenabled()
    with pytest.raises(ZeroDivisionError):
        ws.import_paths(paths[:1], progress=lambda *a: 1 / 0)
    assert gc.isenabled()
    assert stored_values(ws, "WJ")["legal_lessons"][0] == "2"  # the batch was written

def test_ods_and_xlsm(ws, tmp_path):
    from helpers_returns import write_ods

    ods = write_ods(tmp_path / "望江县局.ods", {"统计表": long_rows({"法制课场次": 128, "资助金额": "13.55万元"}, unit="望江县局")})
    xlsm = yx_file(tmp_path, "岳西.xlsx", 法制课场次=200).rename(tmp_path / "岳西.xlsm")
    report = ws.import_paths([ods, xlsm])
    assert [f.status for f in report.files] == ["accepted", "accepted"], report.records()
    assert stored_values(ws, "WJ")["aid_amount"][:2] == ("13.55", "value")
    assert stored_values(ws, "WJ")["legal_lessons"][4] == "D7"
    assert stored_values(ws, "YX")["legal_lessons"][0] == "200"


def test_refuse_ods_with_entities(ws, tmp_path):
    from helpers_returns import write_ods

    bad = write_ods(tmp_path / "in" / "炸弹.ods", {"s": long_rows({"法制课场次": 1})},
                    doctype=b'<!DOCTYPE x [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]>')
    _refused(ws, bad, "DTD/实体声明")


def test_refuse_unit_twice_in_a_summary_sheet_with_different_values(ws, tmp_path):
    rows, _ = wide_rows(["城关派出所", "天堂派出所", "城关派出所"], ["法制课场次", "受教育师生人次"], [[1, 2], [3, 4], [5, 6]])
    bad = write_xlsx(tmp_path / "in" / "重复行.xlsx", {"汇总": rows})
    f = _refused(ws, bad, "出现两次且数值不同")
    assert "第 3 行" in f.errors[0].message and "第 5 行" in f.errors[0].message


def _xls_that_aborts_calamine(path):
    """An .xls (xlwt output with 5 bytes changed) on which calamine 0.37 aborts the whole process
    (a failed multi-GB allocation, not a Python exception)."""
    import xlwt

    wb = xlwt.Workbook()
    sh = wb.add_sheet("表1")
    sh.write(0, 0, "填报单位")
    sh.write(1, 1, 13.55)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(str(path))
    data = bytearray(path.read_bytes())
    for offset, byte in ((1555, 191), (2042, 136), (3504, 14), (3573, 161), (5168, 204)):
        data[offset] = byte
    path.write_bytes(bytes(data))
    return path


def test_an_xls_that_crashes_the_reader_does_not_stop_the_batch(ws, tmp_path):
    bad = _xls_that_aborts_calamine(tmp_path / "in" / "东城区.xls")
    good = yx_file(tmp_path)
    before = dump_store(ws)
    report = ws.import_paths([bad, good])
    assert [f.status for f in report.files] == ["rejected", "accepted"]
    assert "文件已损坏" in report.files[0].errors[0].message
    after = dump_store(ws)
    assert after["files"] != before["files"] and len(after["files"]) == 1


def test_revision_rule_does_not_apply_with_keep_existing(ws, tmp_path):
    rev = yx_file(tmp_path, "岳西(修改版).xlsx", 法制课场次=120)
    orig = yx_file(tmp_path, "岳西.xlsx", 法制课场次=100)
    report = ws.import_paths([orig, rev], keep_existing=True)
    assert [f.status for f in report.files] == ["rejected", "rejected"]
    assert ws.store.counts()["submissions"] == 0


@pytest.mark.parametrize("case", [test_different_file_replaces_and_keeps_history, test_keep_existing_refuses,
                                  test_dry_run_writes_nothing, test_total_row_and_real_huizong_are_kept_side_by_side])
def test_a_file_of_many_returns_finds_what_is_in_force_the_same(case, ws, tmp_path, monkeypatch):
    """A form export (200 returns or more) looks up what is in force for its years in one query
    (Store.in_force_of_years), not return by return: the same decisions, as these cases show with
    every file counted as one of many returns."""
    calls = []
    real = type(ws.store).in_force_of_years
    monkeypatch.setattr(type(ws.store), "in_force_of_years", lambda self, years: calls.append(years) or real(self, years))
    monkeypatch.setattr(importer, "_MANY_RETURNS", 1)
    case(ws, tmp_path)
    assert calls
