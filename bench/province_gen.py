"""A realistic province for bench/province_bench.py: a unit list and one online form export per year.

province → 16 cities → 128 counties → ~1,800 townships → leaves (schools, villages, communities,
police stations) up to ``n_units`` units in all. The unit list (units.csv, as `gwstats units import`
reads it) has aliases for every leaf and a few moves: leaves merged into a sibling after the first
year (停用年度 + 并入) and new leaves from the second year (启用年度). Each year's form export is what
腾讯文档 / 金数据 give a clerk: one row per submission, 提交者 / 提交时间 / numbered questions, rows in
submission order; about 97.7 % of the leaves submit, 0.5 % of them twice (the later one wins), now and
then a value breaks a catalog rule, a few cells are blank, and some rows name the unit by an alias.

``shape="city"`` is a city office instead (issue 23's city goal): 市关工委 → 8 counties → 14 townships
each → leaves up to ``n_units``; the same export, aliases and moves.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

CITIES = ["长安", "临江", "青山", "白水", "东湖", "西岭", "南川", "北固", "平阳", "安远", "清河", "云台", "石门", "桃源", "金川", "玉屏"]
COUNTY_WORDS = ["城关区", "新华区", "东山县", "西河县", "南岗县", "北塘县", "高坪县", "龙泉县"]
LEAF_KINDS = ["小学", "中学", "村", "社区", "派出所"]
TOWNS_PER_COUNTY = 14
YEARS = (2018, 2019)
SHAPES = ("province", "city")
SUBMIT_SHARE = 0.977
RESUBMIT_SHARE = 0.005


def _metrics():
    import tomllib

    data = tomllib.loads((Path(__file__).resolve().parents[1] / "gwstats/data/default_catalog.toml").read_text("utf-8"))
    return [(m["code"], m["name"], m.get("kind", "count")) for m in data["metrics"]]


def build_units(n_units: int, seed: int = 23, shape: str = "province"):
    """[(code, name, parent, aliases, level, active_from, active_to, merged_into)], leaves listed.

    ``shape``: "province" (省 → 16 cities → 8 counties each → 14 townships each → leaves) or "city"
    (the first city alone as the root: 市 → 8 counties → 14 townships each → leaves)."""
    if shape not in SHAPES:
        raise ValueError(f"shape: {shape!r}, expected one of {SHAPES}")
    rng = random.Random(seed)
    city_root = shape == "city"
    rows = [] if city_root else [("P", "某某省关工委", "", "省关工委", 1, "", "", "")]
    top = 0 if city_root else 1  # levels above a city
    towns = []
    for ci, city in enumerate(CITIES[:1] if city_root else CITIES, 1):
        cc = f"C{ci:02d}"
        rows.append((cc, f"{city}市关工委", "" if city_root else "P", f"{city}市", top + 1, "", "", ""))
        for ki, county in enumerate(COUNTY_WORDS, 1):
            kc = f"{cc}{ki:02d}"
            kname = f"{city}{county}"
            rows.append((kc, f"{kname}关工委", cc, kname, top + 2, "", "", ""))
            for ti in range(1, TOWNS_PER_COUNTY + 1):
                tc = f"{kc}T{ti:02d}"
                tname = f"{kname}第{ti}镇"
                rows.append((tc, f"{tname}关工委", kc, tname, top + 3, "", "", ""))
                towns.append((tc, tname))
    n_leaves = max(len(towns), n_units - len(rows))
    # uneven townships, as real ones are: a weight per township, then the leaves dealt out by weight
    weights = [rng.uniform(0.4, 1.6) for _ in towns]
    total = sum(weights)
    counts = [int(n_leaves * w / total) for w in weights]
    for i in range(n_leaves - sum(counts)):
        counts[i % len(counts)] += 1
    leaves = []
    for (tc, tname), count in zip(towns, counts):
        siblings = []
        for li in range(1, count + 1):
            kind = LEAF_KINDS[(li * 7 + len(tc)) % len(LEAF_KINDS)]
            code = f"{tc}L{li:03d}"
            name = f"{tname}{kind}{li}关工委"
            alias = f"{tname}{li}号{kind}"
            leaves.append([code, name, tc, alias, top + 4, "", "", ""])
            siblings.append(leaves[-1])
        if len(siblings) > 3 and rng.random() < 0.05:  # a move: one leaf merged into its sibling
            gone = siblings[-1]
            gone[6], gone[7] = str(YEARS[0]), siblings[0][0]
        if len(siblings) > 3 and rng.random() < 0.05:  # a new leaf from the second year
            siblings[-2][5] = str(YEARS[1])
    rows.extend(tuple(x) for x in leaves)
    return rows


def _leaf_level(units) -> int:
    return max(u[4] for u in units)


def write_units(path: Path, units) -> None:
    with open(path, "w", newline="", encoding="utf-8-sig") as f:
        w = csv.writer(f)
        w.writerow(["编码", "单位名称", "上级编码", "别名", "层级", "启用年度", "停用年度", "并入"])
        w.writerows(units)


def _values(rng: random.Random, metrics, kind: str, scale: float) -> dict[str, object]:
    v: dict[str, object] = {}
    base = {"小学": 1.0, "中学": 1.3, "村": 0.6, "社区": 0.8, "派出所": 0.9}[kind] * scale
    for code, _, mkind in metrics:
        x = rng.randint(0, 40) * base
        v[code] = round(x * 0.37, 2) if mkind == "amount" else int(x)
    v["org_total"] = max(1, int(v["org_total"]) // 10)
    v["org_wuhao"] = rng.randint(0, v["org_total"])
    v["units_expected"] = rng.randint(1, 3)
    v["units_built"] = rng.randint(0, v["units_expected"])
    v["wulao_core"] = rng.randint(0, int(v["wulao_volunteers"]))
    v["schools_with_vp"] = rng.randint(0, int(v["schools"]))
    v["zero_crime_communities"] = rng.randint(0, int(v["communities"]))
    v["articles_adopted"] = rng.randint(0, int(v["articles_submitted"]))
    v["aid_amount"] = round(rng.uniform(0, 2) * int(v["aided_students"]), 2)
    v["donations_social"] = round(rng.uniform(0, 5), 2)
    v["donations_wulao"] = round(rng.uniform(0, 2), 2)
    v["donations"] = round(v["donations_social"] + v["donations_wulao"], 2)
    roll = rng.random()
    if roll < 0.003:  # now and then a value breaks a rule
        v["wulao_core"] = int(v["wulao_volunteers"]) + rng.randint(1, 9)
    elif roll < 0.005:
        v["donations"] = round(v["donations"] + 1.5, 2)
    for code in list(v):  # a blank cell now and then
        if rng.random() < 0.02:
            v[code] = ""
    return v


def form_rows(units, year: int, seed: int = 23):
    """(header, rows) of one year's form export, rows in submission order."""
    rng = random.Random(seed * 1000 + year)
    metrics = _metrics()
    header = ["序号", "提交者", "提交时间", "1. 填报单位*", "2. 年度"]
    header += [f"{i}. {name}" for i, (_, name, _) in enumerate(metrics, 3)]
    subs = []
    start = dt.datetime(year + 1, 1, 3, 8, 0, 0)
    leaf = _leaf_level(units)
    for code, name, parent, alias, level, since, until, _ in units:
        if level != leaf or (since and int(since) > year) or (until and int(until) < year):
            continue
        if rng.random() > SUBMIT_SHARE:
            continue
        base = name[:-3].rstrip("0123456789")  # 某镇派出所1234关工委 -> 某镇派出所
        kind = next(k for k in LEAF_KINDS if base.endswith(k))
        times = [start + dt.timedelta(seconds=rng.randint(0, 20 * 86400))]
        if rng.random() < RESUBMIT_SHARE:
            times.append(times[0] + dt.timedelta(seconds=rng.randint(600, 5 * 86400)))
        for at in times:
            roll = rng.random()
            shown = alias if roll < 0.03 else (f" {name[:-3]} " if roll < 0.04 else name)
            vals = _values(rng, metrics, kind, 1.0 + (year - YEARS[0]) * 0.05)
            subs.append((at, [f"用户{rng.randint(1, 99999)}", at.strftime("%Y-%m-%d %H:%M:%S"), shown, year,
                              *(vals[c] for c, _, _ in metrics)]))
    subs.sort(key=lambda s: s[0])
    return header, [[i, *row] for i, (_, row) in enumerate(subs, 1)]


def write_form(path: Path, header, rows) -> None:
    if path.suffix == ".csv":
        with open(path, "w", newline="", encoding="utf-8-sig") as f:
            w = csv.writer(f)
            w.writerow(header)
            w.writerows(rows)
    else:
        write_xlsx(path, "收集结果", [header, *rows])


def _cell(ref: str, value) -> str:
    if value in ("", None):
        return ""
    if isinstance(value, (int, float)):
        return f'<c r="{ref}"><v>{value}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t>{escape(str(value))}</t></is></c>'


def _col(i: int) -> str:
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


def write_xlsx(path: Path, sheet: str, rows) -> None:
    """A minimal xlsx (inline strings), written as fast as a form service exports it."""
    body = "".join(f'<row r="{r}">' + "".join(_cell(f"{_col(c)}{r}", v) for c, v in enumerate(row)) + "</row>"
                   for r, row in enumerate(rows, 1))
    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                   '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                   '<Default Extension="xml" ContentType="application/xml"/>'
                   '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
                   '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>')
        z.writestr("_rels/.rels", f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                   f'<Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>')
        z.writestr("xl/workbook.xml", f'<?xml version="1.0" encoding="UTF-8"?><workbook {ns} xmlns:r="{rel}"><sheets>'
                   f'<sheet name="{escape(sheet)}" sheetId="1" r:id="rId1"/></sheets></workbook>')
        z.writestr("xl/_rels/workbook.xml.rels", f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                   f'<Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>')
        z.writestr("xl/worksheets/sheet1.xml", f'<?xml version="1.0" encoding="UTF-8"?><worksheet {ns}><sheetData>{body}</sheetData></worksheet>')


def write_returns(folder: Path, units, year: int, n_files: int, seed: int = 23) -> None:
    """``n_files`` single-unit returns (指标 / 数值 lists with 填报单位 and 年度), one xlsx each."""
    rng = random.Random(seed + year)
    metrics = _metrics()
    folder.mkdir(parents=True, exist_ok=True)
    leaf = _leaf_level(units)
    leaves = [u for u in units if u[4] == leaf and not u[5] and not u[6]][:n_files]
    for code, name, *_ in leaves:
        base = name[:-3].rstrip("0123456789")  # 某镇派出所1234关工委 -> 某镇派出所
        kind = next(k for k in LEAF_KINDS if base.endswith(k))
        vals = _values(rng, metrics, kind, 0.95)
        rows = [[f"{year}年关心下一代工作统计表"], ["填报单位", name, "年度", year], ["指标", "数值"]]
        rows += [[mname, vals[c]] for c, mname, _ in metrics]
        write_xlsx(folder / f"{code}-{name}.xlsx", "统计表", rows)


def generate(data: Path, n_units: int, fmt: str = "csv", n_files: int = 0, shape: str = "province") -> dict:
    """Everything the bench imports, in ``data`` (reused when it is already there)."""
    import json

    marker = data / "province.json"
    want = {"units": n_units, "format": fmt, "files": n_files, "version": 1}
    if shape != "province":  # a province's marker stays as it was, so its data is reused
        want["shape"] = shape
    if marker.exists():
        have = json.loads(marker.read_text())
        if {k: have.get(k) for k in want} == want and have.get("shape", "province") == shape:
            return have
    data.mkdir(parents=True, exist_ok=True)
    units = build_units(n_units, shape=shape)
    write_units(data / "units.csv", units)
    for year in YEARS:
        header, rows = form_rows(units, year)
        write_form(data / f"收集结果{year}.{fmt}", header, rows)
    if n_files:
        write_returns(data / "returns", units, YEARS[0] - 1, n_files)
    want["unit_count"] = len(units)
    marker.write_text(json.dumps(want))
    return want
