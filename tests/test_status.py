from store_builders import add_submission, make_ws

UNITS = [
    ("C", "安庆市公安局关工委", None),
    ("T", "桐城市公安局", "C"),
    ("Y", "岳西县公安局", "C"),
    ("W", "望江县公安局", "C"),
    ("H", "华亭分局", "C"),
    ("X", "已撤销分局", "C", None, 2017),
]


def test_status_counts_late_missing_and_summary(tmp_path):
    ws = make_ws(tmp_path, UNITS)  # deadline 01-15 of the next year
    add_submission(ws, "T", 2018, {"legal_lessons": 1}, received_at="2019-01-10T10:00:00", filled_by="张三", phone="0556-1")
    add_submission(ws, "Y", 2018, {"legal_lessons": 1}, received_at="2019-01-15T23:00:00")
    add_submission(ws, "W", 2018, {"legal_lessons": 1}, received_at="2019-01-20T08:00:00")  # late
    add_submission(ws, "W", 2018, {"legal_lessons": 2}, received_at="2019-01-25T08:00:00")  # a correction
    add_submission(ws, "H", 2017, {"legal_lessons": 1}, filled_by="李四", phone="13800000000", received_at="2018-01-05T08:00:00")
    st = ws.status(2018)
    assert (st.expected, st.reported, st.on_time) == (4, 3, 2)
    assert st.missing == ["华亭分局"]
    assert st.summary_line() == "应报 4 个单位，已报 3 个（75%），按时 2 个，未报：华亭分局"
    rows = {r["unit"]: r for r in st.rows}
    assert "X" not in rows  # not active in 2018
    assert rows["W"]["versions"] == 2 and rows["W"]["on_time"] is False
    assert rows["W"]["submitted_at"] == "2019-01-20"
    assert rows["T"]["填报人"] == "张三" and rows["T"]["联系电话"] == "0556-1"
    # contact of the missing unit from its latest earlier return
    assert rows["H"]["填报人"] == "李四" and rows["H"]["联系电话"] == "13800000000"
    chase = st.display_rows(missing_only=True)
    assert [r["单位"] for r in chase] == ["华亭分局"] and chase[0]["联系电话"] == "13800000000"
    full = {r["编码"]: r["状态"] for r in st.display_rows()}
    assert full == {"T": "已报", "Y": "已报", "W": "迟报", "H": "未报"}


def test_status_summary_with_percentage_and_subtree(tmp_path):
    units = [("C", "市", None)] + [(f"U{k}", f"单位{k}", "C") for k in range(13)]
    ws = make_ws(tmp_path, units)
    for k in range(12):
        late = "2019-02-01T00:00:00" if k < 2 else "2019-01-02T00:00:00"
        add_submission(ws, f"U{k}", 2018, {"legal_lessons": k}, received_at=late)
    st = ws.status(2018)
    assert st.summary_line() == "应报 13 个单位，已报 12 个（92.3%），按时 10 个，未报：单位12"
    sub = ws.status(2018, unit="单位3")
    assert sub.expected == 1 and sub.reported == 1 and sub.missing == []
    assert sub.summary_line().endswith("未报：无")


def test_status_cli(tmp_path):
    import json

    from typer.testing import CliRunner

    from gwstats.cli.app import app

    ws = make_ws(tmp_path, UNITS)
    add_submission(ws, "T", 2018, {"legal_lessons": 1}, received_at="2019-01-10T10:00:00")
    add_submission(ws, "H", 2017, {"legal_lessons": 1}, phone="13800000000")
    r = CliRunner().invoke(app, ["status", "-w", str(ws.root), "--year", "2018"])
    assert r.exit_code == 0, r.output
    assert "应报 4 个单位，已报 1 个（25%），按时 1 个，未报：岳西县公安局、望江县公安局、华亭分局" in r.output
    r = CliRunner().invoke(app, ["status", "-w", str(ws.root), "--year", "2018", "--missing", "-f", "json"])
    data = json.loads(r.output)
    assert [d["unit"] for d in data] == ["Y", "W", "H"] and data[2]["联系电话"] == "13800000000"


def test_fill_date_decides_on_time_when_readable(tmp_path):
    from gwstats.analysis.status import submitted_date

    assert submitted_date("2019年1月9日", "2019-03-01T10:00:00") == "2019-01-09"
    assert submitted_date("2019.01.20", None) == "2019-01-20"
    assert submitted_date("一月", "2019-03-01T10:00:00") == "2019-03-01"
    ws = make_ws(tmp_path, UNITS)
    # imported long after the deadline, but filled in (and sent) in time
    from store_builders import add_submission as add

    sid = add(ws, "T", 2018, {"legal_lessons": 1}, received_at="2019-03-01T10:00:00")
    ws.store.conn.execute("UPDATE submissions SET fill_date = '2019-01-12' WHERE id = ?", (sid,))
    add(ws, "Y", 2018, {"legal_lessons": 1}, received_at="2019-03-01T10:00:00")
    rows = {r["unit"]: r for r in ws.status(2018).rows}
    assert rows["T"]["on_time"] is True and rows["T"]["submitted_at"] == "2019-01-12"
    assert rows["Y"]["on_time"] is False


def test_import_time_never_makes_a_return_late(tmp_path):
    """A return without a readable 填报日期, imported after the deadline: 日期不详, not 迟报."""
    from store_builders import add_submission, make_ws

    ws = make_ws(tmp_path)
    add_submission(ws, "A1", 2018, {"legal_lessons": 1}, received_at="2019-06-30T09:00:00", arrived=False)
    st = ws.status(2018)
    row = next(r for r in st.rows if r["unit"] == "A1")
    assert row["on_time"] is None and row["submitted_at"] == "日期不详"
    assert next(r for r in st.display_rows() if r["编码"] == "A1")["状态"] == "已报"
    assert "报送日期不详 1 个" in st.summary_line()


def test_import_received_date_decides_when_no_fill_date(tmp_path):
    from typer.testing import CliRunner

    from gwstats.cli.app import app
    from helpers_returns import long_rows, make_workspace, write_xlsx

    ws = make_workspace(tmp_path)
    rows = [r for r in long_rows({"法制课场次": 3}) if not (r and str(r[0]).startswith("填报人"))]
    f = write_xlsx(tmp_path / "岳西.xlsx", {"表": rows})
    out = CliRunner().invoke(app, ["import", "-w", str(ws.root), str(f), "--received", "2019-03-01"])
    assert out.exit_code == 0, out.output
    row = next(r for r in ws.status(2018).rows if r["unit"] == "YX")
    assert row["submitted_at"] == "2019-03-01" and row["on_time"] is False  # deadline is in January
    bad = CliRunner().invoke(app, ["import", "-w", str(ws.root), str(f), "--received", "昨天"])
    assert bad.exit_code == 2 and "--received 应为日期" in bad.output
