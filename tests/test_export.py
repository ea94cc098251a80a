"""The way up: a county's 汇总 return, imported by the city, and the city's by the province."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from typer.testing import CliRunner

from gwstats import Workspace
from gwstats.cli.app import app
from gwstats.forms.template import SHEET_NAME, build_workbook, metric_rows

runner = CliRunner()


def run(*args):
    return runner.invoke(app, [str(a) for a in args])


def make_ws(tmp_path, name: str, units: list[tuple[str, str, str]], toml_extra: str = "") -> Workspace:
    ws = Workspace.init(tmp_path / name, name=units[0][1], year=2018)
    if toml_extra:  # settings for [export]: the section is in the template, its keys commented out
        text = ws.config_path.read_text(encoding="utf-8")
        ws.config_path.write_text(text.replace("\n[export]\n", "\n[export]\n" + toml_extra + "\n", 1), encoding="utf-8")
    f = tmp_path / f"{name}-units.csv"
    f.write_text("编码,单位名称,上级编码,别名\n" + "".join(f"{c},{n},{p},\n" for c, n, p in units), encoding="utf-8")
    ws.import_units(f)
    return Workspace.open(ws.root)


def township_values(ws, k: int) -> dict[str, object]:
    """Figures of township k: counts, amounts with two decimals, one metric left blank."""
    out = {}
    for i, m in enumerate(ws.catalog.metrics.values(), 1):
        if (i + k) % 11 == 0:
            continue  # not reported by this township
        out[m.name] = (k * 13 + i * 7) if m.is_integer else float(Decimal(k * 3 + i) + Decimal("0.55"))
    return out


def fill(ws, path, unit_name: str, values: dict, scope: str = "本级"):
    wb = build_workbook(ws.catalog, year=2018, unit_name=unit_name, scope=scope)
    sheet = wb[SHEET_NAME]
    rows = metric_rows(sheet)
    for name, v in values.items():
        sheet.cell(rows[name], 4, v)
    wb.save(path)
    return path


def county(tmp_path, code: str, name: str, n_towns: int, offset: int):
    """A county workspace with n townships that have reported; returns (ws, {metric: exact sum})."""
    towns = [(f"{code}{t}", f"{name[:-3]}第{t}乡镇关工委", code) for t in range(1, n_towns + 1)]
    ws = make_ws(tmp_path, code, [(code, name, "")] + towns,
                 toml_extra='filled_by = "张三"\nphone = "0556-1234567"')
    sums: dict[str, Decimal] = {}
    paths = []
    for k, (_, tname, _) in enumerate(towns, offset):
        vals = township_values(ws, k)
        paths.append(fill(ws, tmp_path / f"{tname}.xlsx", tname, vals))
        for mname, v in vals.items():
            code_ = ws.catalog.match_label(mname)
            sums[code_] = sums.get(code_, Decimal(0)) + Decimal(repr(v) if isinstance(v, float) else v)
    report = ws.import_paths(paths)
    assert not report.has_rejections, report.records()
    return ws, sums


def add(a: dict, b: dict) -> dict:
    return {k: a.get(k, Decimal(0)) + b.get(k, Decimal(0)) for k in set(a) | set(b)}


def root_values(ws) -> dict[str, Decimal]:
    res = ws.rollup(2018)
    return {m: res.value(res.root, m) for m in ws.catalog.metrics if res.value(res.root, m) is not None}


def test_three_levels_county_city_province(tmp_path):
    a, sums_a = county(tmp_path, "XA", "甲县关工委", 5, 1)
    b, sums_b = county(tmp_path, "XB", "乙县关工委", 3, 10)
    assert root_values(a) == sums_a
    ret_a = tmp_path / "甲县2018汇总表.xlsx"
    r = run("export", "--allow-errors", "-w", a.root, "--year", 2018, "--as-return", "-o", ret_a)
    assert r.exit_code == 0, r.output
    assert "口径：汇总" in r.output and "5/5" in r.output
    ret_b = tmp_path / "乙县2018汇总表.xlsx"
    b.export_return(2018, ret_b)

    # the return carries the header fields the level above needs
    from openpyxl import load_workbook

    sh = load_workbook(ret_a)[SHEET_NAME]
    texts = [c.value for row in sh.iter_rows(max_row=6) for c in row if c.value is not None]
    assert {"甲县关工委", 2018, "汇总", "张三", "0556-1234567"} <= set(texts)

    city = make_ws(tmp_path, "city", [("SC", "丙市关工委", ""), ("SA", "甲县关工委", "SC"), ("SB", "乙县关工委", "SC")])
    rep = city.import_paths([ret_a, ret_b])
    assert not rep.has_rejections, rep.records()
    assert [(x.unit, x.scope) for f in rep.files for x in f.returns] == [("SA", "汇总"), ("SB", "汇总")]
    assert root_values(city) == add(sums_a, sums_b)
    res = city.rollup(2018)
    assert res.value("SA", "aid_amount") == sums_a["aid_amount"]  # amounts exact
    # rates are recomputed at the city from the added-up parts
    assert res.value("SC", "rate_wuhao") == float(
        (sums_a["org_wuhao"] + sums_b["org_wuhao"]) / (sums_a["org_total"] + sums_b["org_total"]) * 100)

    # the city's return, and another city's rollup -o workbook, go to the province
    ret_c = tmp_path / "丙市2018汇总表.xlsx"
    city.export_return(2018, ret_c)
    d, sums_d = county(tmp_path, "SD", "丁市关工委", 4, 20)
    book_d = tmp_path / "丁市2018汇总结果.xlsx"
    assert run("rollup", "-w", d.root, "--year", 2018, "-o", book_d).exit_code == 0
    prov = make_ws(tmp_path, "prov", [("P", "某省关工委", ""), ("C", "丙市关工委", "P"), ("D", "丁市关工委", "P")])
    rep = prov.import_paths([ret_c, book_d])
    assert not rep.has_rejections, rep.records()
    files = {f.name: f for f in rep.files}
    fd = files[book_d.name]
    assert [(x.unit, x.scope) for x in fd.returns] == [("D", "汇总")]
    notes = " ".join(w.message for w in fd.warnings)
    assert "gwstats 的汇总结果" in notes and "比率" in notes
    # the 丁市 workbook also lists its townships, which the province does not know: named, not imported
    assert "丁市第1乡镇关工委" in notes
    assert root_values(prov) == add(add(sums_a, sums_b), sums_d)
    assert prov.rollup(2018).value("D", "aid_amount") == sums_d["aid_amount"]


def test_a_second_export_of_the_same_figures_is_unchanged_upstairs(tmp_path):
    a, sums = county(tmp_path, "XA", "甲县关工委", 2, 1)
    city = make_ws(tmp_path, "city", [("SC", "丙市关工委", ""), ("SA", "甲县关工委", "SC")])
    p = tmp_path / "r.xlsx"
    a.export_return(2018, p)
    assert city.import_paths([p]).files[0].status == "accepted"
    p2 = tmp_path / "r2.xlsx"
    a.export_return(2018, p2)
    assert root_values(city) == sums


def test_approximate_totals_stay_approximate_upstairs(tmp_path):
    a = make_ws(tmp_path, "a", [("XA", "甲县关工委", ""), ("T1", "一乡关工委", "XA")])
    a.import_paths([fill(a, tmp_path / "t1.xlsx", "一乡关工委", {"五老志愿者人数": "800多", "法制课场次": 12})])
    p = tmp_path / "r.xlsx"
    info = a.export_return(2018, p)
    assert info.approx == ["五老志愿者人数"] and info.values == 2
    city = make_ws(tmp_path, "city", [("SC", "丙市关工委", ""), ("SA", "甲县关工委", "SC")])
    city.import_paths([p])
    rec = city.rollup(2018).record("SC", "wulao_volunteers")
    assert rec["value"] == 800 and rec["approx"] is True


def test_csv_long(tmp_path):
    a, sums = county(tmp_path, "XA", "甲县关工委", 2, 1)
    out = tmp_path / "long.csv"
    r = run("export", "--allow-errors", "-w", a.root, "--year", 2018, "--format", "csv-long", "-o", out)
    assert r.exit_code == 0, r.output
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert list(rows[0]) == ["单位编码", "单位名称", "年度", "指标编码", "指标名称", "数值", "计量单位", "口径"]
    top = {x["指标编码"]: x for x in rows if x["单位编码"] == "XA"}
    assert {k: Decimal(top[k]["数值"]) for k in sums} == sums
    assert top["aid_amount"]["计量单位"] == "万元" and top["aid_amount"]["口径"] == "汇总"
    assert "rate_wuhao" in top and top["rate_wuhao"]["计量单位"] == "%"
    towns = {x["单位编码"] for x in rows if x["口径"] == "本级"}
    assert towns == {"XA1", "XA2"}
    # to the screen, same rows without the BOM
    r = run("export", "--allow-errors", "-w", a.root, "--year", 2018, "--format", "csv-long")
    assert r.exit_code == 0 and r.stdout.splitlines()[0].startswith("单位编码,")  # the error list goes to stderr
    assert len(r.stdout.splitlines()) == len(rows) + 1


def test_csv_long_written_a_unit_at_a_time_is_the_long_records(tmp_path):
    """The file (read from the rollup's totals, a unit's rows at a time) holds exactly the rows of
    long_records as csv_long_text writes them: amounts, rates, whole figures, a unit's subtree."""
    from gwstats.forms.export import csv_long_text, long_records, write_csv_long

    a, sums = county(tmp_path, "XA", "甲县关工委", 3, 1)
    assert any(v != v.to_integral_value() for v in sums.values())  # an amount with decimals is in it
    for unit in (None, "XA2"):
        out = tmp_path / f"long-{unit}.csv"
        recs = long_records(a, 2018, unit=unit)
        assert write_csv_long(a, 2018, out, unit=unit) == (out, len(recs))
        assert out.read_bytes() == b"\xef\xbb\xbf" + csv_long_text(recs).encode("utf-8")


def test_csv_long_quotes_names_as_the_csv_writer_does(tmp_path):
    """Unit names with a quote and a formula start: the lines put together from pieces are
    csv.writer's rows of long_records, quoting and the ' before = included."""
    from gwstats.forms.export import csv_long_text, long_records, write_csv_long

    a, _sums = county(tmp_path, "XQ", '=甲"县"关工委', 2, 1)
    recs = long_records(a, 2018)
    assert {r["单位名称"] for r in recs} >= {'=甲"县"关工委', '=甲"县"第1乡镇关工委'}
    out = tmp_path / "long.csv"
    assert write_csv_long(a, 2018, out) == (out, len(recs))
    text = out.read_bytes().decode("utf-8-sig")
    assert text == csv_long_text(recs) and '"\'=甲""县""关工委"' in text


def test_marked_long_rows_are_the_rows_an_error_touches(tmp_path):
    """Only the units an error reaches are looked at; the rows named are those of every unit whose
    figure the error touches (the unit and the totals above it), in the long table's order."""
    from gwstats.analysis.marks import ErrorMarks
    from gwstats.forms.export import long_records, marked_long_rows
    from store_builders import TOWNS_UNITS, add_submission, make_ws as make_units_ws

    ws = make_units_ws(tmp_path, TOWNS_UNITS, name="测试县关工委", year=2020)
    add_submission(ws, "A", 2020, {"wulao_volunteers": 80, "wulao_core": 90, "org_total": 10})  # 骨干 > 志愿者
    add_submission(ws, "B", 2020, {"wulao_volunteers": 60, "wulao_core": 10, "org_total": 12})
    marks = ErrorMarks.of(ws, 2020)
    every = [(r["单位名称"], r["指标名称"]) for r in long_records(ws, 2020) if marks.affected(r["单位编码"], r["指标编码"])]
    assert every and {m for _u, m in every} == {"五老志愿者人数", "五老骨干人数", "五老骨干占比"}
    assert marked_long_rows(ws, 2020) == every
    assert len({u for u, _m in every}) == 2  # 石门镇 and the county's total above it


def test_export_usage_errors(tmp_path):
    a, _ = county(tmp_path, "XA", "甲县关工委", 1, 1)
    r = run("export", "--allow-errors", "-w", a.root, "--year", 2018)
    assert r.exit_code == 2 and "请选择一种导出方式" in r.output
    r = run("export", "--allow-errors", "-w", a.root, "--year", 2018, "--as-return")
    assert r.exit_code == 2 and "-o" in r.output
    r = run("export", "--allow-errors", "-w", a.root, "--year", 2018, "--as-return", "-o", tmp_path / "x.csv")
    assert r.exit_code == 2 and ".xlsx" in r.output
    r = run("export", "--allow-errors", "-w", a.root, "--year", 2018, "--format", "pdf")
    assert r.exit_code == 2 and "csv-long" in r.output
    assert not (tmp_path / "x.csv").exists()


def test_formula_like_unit_names_are_quoted_in_csv(tmp_path):
    a = make_ws(tmp_path, "a", [("XA", "甲县关工委", ""), ("T1", "=HYPERLINK(1)", "XA")])
    a.import_paths([fill(a, tmp_path / "t1.xlsx", "=HYPERLINK(1)", {"法制课场次": 12})])
    out = tmp_path / "l.csv"
    a.export_long(2018, out)
    assert "'=HYPERLINK(1)" in out.read_text(encoding="utf-8-sig")


def test_nothing_to_send_up(tmp_path):
    a, _ = county(tmp_path, "XA", "甲县关工委", 1, 1)
    for args in (["--as-return", "-o", tmp_path / "r.xlsx"], ["--format", "csv-long", "-o", tmp_path / "l.csv"]):
        r = run("export", "--allow-errors", "-w", a.root, "--year", 2016, *args)
        assert r.exit_code == 1 and "2016 年度还没有任何数字" in r.output, r.output
    assert not (tmp_path / "r.xlsx").exists() and not (tmp_path / "l.csv").exists()


def test_rollup_book_with_a_remainder_row_goes_up_whole(tmp_path):
    """The city has a 本级 return of its own besides its counties': its rollup -o workbook has a
    （本级） remainder row. A province that knows the city and both counties gets the city's totals."""
    a, _ = county(tmp_path, "XA", "甲县关工委", 2, 1)
    b, _ = county(tmp_path, "XB", "乙县关工委", 2, 5)
    city = make_ws(tmp_path, "city", [("SC", "丙市关工委", ""), ("SA", "甲县关工委", "SC"), ("SB", "乙县关工委", "SC")])
    a.export_return(2018, tmp_path / "a.xlsx")
    b.export_return(2018, tmp_path / "b.xlsx")
    own = fill(city, tmp_path / "sc.xlsx", "丙市关工委", township_values(city, 30))
    assert not city.import_paths([tmp_path / "a.xlsx", tmp_path / "b.xlsx", own]).has_rejections
    book = tmp_path / "book.xlsx"
    assert run("rollup", "-w", city.root, "--year", 2018, "-o", book).exit_code == 0
    prov = make_ws(tmp_path, "prov", [("P", "某省关工委", ""), ("C", "丙市关工委", "P"), ("A", "甲县关工委", "C"),
                                      ("B", "乙县关工委", "C")])
    f = prov.import_paths([book]).files[0]
    assert f.status == "accepted", f.errors
    assert sorted(x.unit for x in f.returns) == ["A", "B", "C"]
    assert any("余项行" in w.message for w in f.warnings)
    assert root_values(prov) == root_values(city)
    # the city's 汇总 agrees with its counties' 汇总 plus the 本级 derived from them
    assert not [x for x in prov.check(2018).findings if x.code in ("huizong-mismatch", "total-row-mismatch")]


def test_micro_texts_are_the_decimal_texts_of_the_figures():
    """The long table's figure texts, made in bulk and without Decimals, are decimal_text(from_micro)."""
    import random

    import numpy as np

    from gwstats.core.formatting import decimal_text
    from gwstats.forms.export import _micro_texts
    from gwstats.store.schema import from_micro

    rng = random.Random(7)
    values = [0, 1, -1, 500_000, -500_000, 999_999, -999_999, 10**6, -10**6, 2**62, -2**62]
    values += [rng.randint(-10**13, 10**13) for _ in range(3000)] + [rng.randint(-50, 50) * 10**6 for _ in range(300)]
    assert _micro_texts(np.array(values, dtype=np.int64)) == [decimal_text(from_micro(v)).encode() for v in values]


def test_csv_cells_are_written_as_the_csv_writer_writes_them():
    """The long table's unit cells joined by commas where nothing needs quoting: the csv.writer text."""
    import random

    from gwstats.forms.export import _csv_cells, _csv_line

    rng = random.Random(11)
    alphabet = ['a', '7', ' ', '关', '工', '委', ',', '"', "'", '=', '\r', '\n', '\t', ';', '-', '']
    for _ in range(5000):
        cells = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 6))) for _ in range(rng.randint(2, 4))]
        assert _csv_cells(cells) == _csv_line(cells), cells
