"""Issue 20, "Values that cannot be right are errors": a 万元 figure a thousand times its unit's last
year and its peers (元 written into 万元), and a share over 100 %."""

from store_builders import add_submission, make_ws

UNITS = [
    ("C", "测试县关工委", None),
    ("A", "白沙镇关工委", "C"),
    ("B", "城关镇关工委", "C"),
    ("D", "石门镇关工委", "C"),
    ("E", "东湖街道关工委", "C"),
]


def _ws(tmp_path, this_year):
    ws = make_ws(tmp_path, UNITS, name="测试县关工委", year=2020)
    last = {"A": 3.2, "B": 1.5, "D": 0.5, "E": 5}
    for u, v in last.items():
        add_submission(ws, u, 2019, {"donations": v})
        add_submission(ws, u, 2020, {"donations": this_year.get(u, v)})
    return ws


def _found(ws, code):
    return [f for f in ws.check(2020).findings if f.code == code]


def test_yuan_written_into_wanyuan_is_an_error_naming_cell_and_reading(tmp_path):
    ws = _ws(tmp_path, {"A": 8000})
    (f,) = _found(ws, "magnitude")
    assert f.severity == "error"
    assert f.extra["unit_name"] == "白沙镇关工委" and f.extra["metric_name"] == "捐款捐物"
    assert f.cell == "D5" and f.sheet == "Sheet1" and f.file
    assert "疑为以元填入万元栏：8000 元 = 0.80 万元" in f.message
    assert "2019 年为 3.2 万元" in f.message and "中位数" in f.message
    assert not _found(ws, "yoy-jump")  # the error says it; no 提醒 beside it
    assert ws.check(2020).has_errors


def test_a_large_but_plausible_rise_stays_a_warning(tmp_path):
    ws = _ws(tmp_path, {"A": 300})  # ~94× last year: a 提醒, not a wrong unit
    assert not _found(ws, "magnitude")
    assert _found(ws, "yoy-jump")


def test_peers_as_large_clear_the_figure(tmp_path):
    # every town gave thousands this year: 白沙镇's 8000 is 2500× its own last year but not its peers'
    ws = _ws(tmp_path, {"A": 8000, "B": 6000, "D": 4000, "E": 9000})
    assert not _found(ws, "magnitude")


def test_without_last_year_the_peers_decide(tmp_path):
    ws = make_ws(tmp_path, UNITS, name="测试县关工委", year=2020)
    for u, v in {"A": 12000, "B": 1.5, "D": 0.8, "E": 4}.items():
        add_submission(ws, u, 2020, {"aid_amount": v})
    (f,) = _found(ws, "magnitude")
    assert f.extra["unit"] == "A" and "12000 元 = 1.20 万元" in f.message


def _without_rule(tmp_path, code):
    """A workspace whose catalog lacks the rule ``code``."""
    ws = make_ws(tmp_path, UNITS, name="测试县关工委", year=2020)
    cat = (ws.root / "catalog.toml").read_text(encoding="utf-8")
    start = cat.index(f'[[rules]]\ncode = "{code}"')
    cat = cat[:start] + cat[cat.index("[[rules]]", start + 5):]
    (ws.root / "catalog.toml").write_text(cat, encoding="utf-8")
    from gwstats import Workspace

    return Workspace.open(ws.root)


def test_a_share_over_100_percent_is_an_error_when_no_rule_says_it(tmp_path):
    # an office's catalog with the rate but without the rule that compares its parts
    ws = _without_rule(tmp_path, "wuhao_le_orgs")
    add_submission(ws, "A", 2020, {"org_total": 10, "org_wuhao": 12})
    add_submission(ws, "B", 2020, {"org_total": 8, "org_wuhao": 4})
    add_submission(ws, "D", 2020, {"org_wuhao": 9})  # no 组织数: left out of the rate, never > 100 % at 合计
    found = _found(ws, "share-over-100")
    assert [(f.severity, f.extra["unit"]) for f in found] == [("error", "A")]  # 合计 16/18 = 88.9 %
    f = found[0]
    assert f.extra["unit_name"] == "白沙镇关工委" and "五好达标率为 120.0%" in f.message
    assert "达到五好标准组织数 12 多于关工委组织数 10" in f.message and f.cell
