#!/usr/bin/env python3
"""Regenerate the sample workspaces from the readable definitions in sample_data/definition/.

    python sample_data/generate.py              # rewrite sample_data/<workspace>/ in place
    python sample_data/generate.py --out DIR    # write them under DIR instead (used by the tests)
    python sample_data/generate.py --totals     # print the intended totals per year and metric

Each definition (one TOML file per workspace) lists the units and, per return, the file to
write, its layout and the values as a person wrote them (numbers, or text such as "200多",
"3万", "１２０"). The output is deterministic: workbook properties and zip entry times are
fixed, so regenerating without changing a definition gives the same bytes.

Layouts: template (the gwstats return template filled in), wide (a county summary sheet,
one row per unit, two-row merged header, 合计 row), xls (an old .xls written with xlwt),
csv_gbk (long layout in a GBK-encoded .csv), free (a hand-made sheet with other labels),
word (a Word document saved under an .xlsx name: import must refuse it). A template return with
``crosstab`` also fills the cross-tab sheet that the sample's own catalog (``catalog_extra``) draws.
The level above 集安 (通化's units list and form, the province's cross-tab form) comes from superior.py.
"""

from __future__ import annotations

import argparse
import csv
import io
import re
import shutil
import sys
import tomllib
import unicodedata
import zipfile
from decimal import Decimal
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFINITIONS = HERE / "definition"
ZIP_TIME = (2021, 1, 1, 0, 0, 0)
CORE_TIME = "2021-01-01T00:00:00Z"
FULLWIDTH = str.maketrans("0123456789.,", "０１２３４５６７８９．，")


# ---- definitions ----------------------------------------------------------------------------
def load_definitions(folder: Path = DEFINITIONS) -> list[dict]:
    out = []
    for path in sorted(folder.glob("*.toml")):
        with path.open("rb") as fh:
            d = tomllib.load(fh)
        d["_source"] = path.name
        out.append(d)
    return out


def load_definition(folder_name: str, folder: Path = DEFINITIONS) -> dict:
    for d in load_definitions(folder):
        if d["workspace"]["folder"] == folder_name:
            return d
    raise KeyError(folder_name)


def _catalog():
    from gwstats.model.catalog import load_default

    return load_default()


# ---- values as written ------------------------------------------------------------------------
def cell_value(v, ret: dict):
    """The cell content for a defined value: int/float as a number, str as written."""
    if isinstance(v, Decimal):
        v = float(v) if v != v.to_integral_value() else int(v)
    if isinstance(v, bool):
        raise ValueError(f"布尔值不是数值：{v!r}")
    if isinstance(v, str):
        return v
    if isinstance(v, float):
        v = Decimal(repr(v))
    if ret.get("fullwidth"):
        return str(v).translate(FULLWIDTH)
    if ret.get("text_numbers"):
        return str(v)
    return v


def intended(v) -> tuple[Decimal, bool]:
    """What a written value stands for (for --totals and the wide sheet's 合计 row)."""
    if isinstance(v, (int, float)):
        return Decimal(repr(v)) if isinstance(v, float) else Decimal(v), False
    text = unicodedata.normalize("NFKC", v).replace(",", "").strip()
    approx = False
    if text.endswith(("多", "余")):
        text, approx = text[:-1], True
    factor = 1
    if text.endswith("万"):
        text, factor = text[:-1], 10000
    return Decimal(text) * factor, approx


def written_total(values: list) -> str | int | Decimal:
    total, approx = Decimal(0), False
    for v in values:
        d, a = intended(v)
        total += d
        approx = approx or a
    total = total.normalize() if total != total.to_integral_value() else int(total)
    return f"{total}多" if approx else total


# ---- deterministic files ---------------------------------------------------------------------
def normalize_zip(path: Path):
    """Fix zip entry times and the document's created/modified properties."""
    with zipfile.ZipFile(path) as zin:
        entries = [(i.filename, zin.read(i.filename)) for i in zin.infolist()]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zout:
        for name, data in entries:
            if name == "docProps/core.xml":
                text = data.decode("utf-8")
                text = re.sub(r"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)", rf"\g<1>{CORE_TIME}\g<3>", text)
                data = text.encode("utf-8")
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zout.writestr(info, data)
    path.write_bytes(buf.getvalue())


def save_openpyxl(wb, path: Path):
    import datetime as dt

    fixed = dt.datetime(2021, 1, 1)
    wb.properties.creator = "gwstats sample data"
    wb.properties.created = fixed
    wb.properties.modified = fixed
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    normalize_zip(path)


# ---- units file -------------------------------------------------------------------------------
UNIT_HEADER = ["编码", "单位名称", "上级编码", "别名", "层级", "启用年度", "停用年度"]


def unit_rows(d: dict) -> list[list]:
    rows = []
    for u in d["units"]:
        rows.append([u["code"], u["name"], u.get("parent", ""), "；".join(u.get("aliases", [])), u.get("level", ""),
                     u.get("active_from", ""), u.get("active_to", "")])
    return rows


def write_units(d: dict, folder: Path) -> Path:
    name = d["workspace"]["units_file"]
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if name.endswith(".csv"):
        with path.open("w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh, lineterminator="\n")
            w.writerow(UNIT_HEADER)
            w.writerows(unit_rows(d))
        return path
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = "单位名单"
    ws.append(UNIT_HEADER)
    for c in ws[1]:
        c.font = Font(bold=True)
    for r in unit_rows(d):
        ws.append([v if v != "" else None for v in r])
    for col, width in zip("ABCDEFG", (10, 28, 10, 36, 6, 9, 9)):
        ws.column_dimensions[col].width = width
    save_openpyxl(wb, path)
    return path


# ---- return layouts ---------------------------------------------------------------------------
def unit_of(d: dict, code: str) -> dict:
    for u in d["units"]:
        if u["code"] == code:
            return u
    raise KeyError(f"{d['_source']}: 没有单位 {code}")


def _label(catalog, code: str, ret: dict) -> str:
    labels = ret.get("labels", {})
    if code in labels:
        return labels[code]
    return catalog.label_of(code)


def write_template(catalog, d: dict, ret: dict, path: Path):
    from gwstats.forms.template import HEADER_ROW, build_workbook, metric_rows

    u = unit_of(d, ret["unit"])
    parent = unit_of(d, u["parent"])["name"] if u.get("parent") else ""
    wb = build_workbook(catalog, year=ret["year"], unit_name=ret.get("unit_label", u["name"]),
                        unit_code="" if ret.get("hide_code") else u["code"], parent_name=parent,
                        organisation=d["workspace"]["name"], scope=ret.get("scope", "本级"))
    ws = wb["统计表"]
    ws.cell(4, 2, ret.get("filled_by"))
    ws.cell(4, 4, ret.get("phone"))
    ws.cell(5, 2, ret.get("date"))
    rows = metric_rows(ws)
    for code, v in ret.get("values", {}).items():
        ws.cell(rows[catalog.metrics[code].name], 4, cell_value(v, ret))
    if ret.get("crosstab"):
        write_crosstab(catalog, wb, ret)
    for code, text in ret.get("notes", {}).items():
        ws.cell(rows[catalog.metrics[code].name], 5, text)
    last = max(rows.values()) if rows else HEADER_ROW
    n = len(rows)
    for code, v in ret.get("rates", {}).items():  # a rate written by the sender (checked, never added)
        last += 1
        n += 1
        ind = catalog.indicators[code]
        ws.cell(last, 1, n)
        ws.cell(last, 2, ind.name)
        ws.cell(last, 3, ind.display)
        ws.cell(last, 4, v)
    save_openpyxl(wb, path)


def write_crosstab(catalog, wb, ret: dict):
    """The cross-tab sheet that the sample catalog's template draws: each row [组织数, 五好数]; rows the
    unit does not have are 0, and the 合计 row is the sum of the others."""
    from gwstats.forms.crosstab import cell_of, crosstab_tables

    tables = crosstab_tables(catalog, ret["year"])
    for k, t in enumerate(tables.values()):
        sheet = wb[wb.sheetnames[1 + k]]
        totals = [0] * len(t["cols"])
        for row in t["rows"]:
            if row == "合计":
                continue
            vals = ret["crosstab"].get(row, [0] * len(t["cols"]))
            for j, col in enumerate(t["cols"]):
                totals[j] += vals[j]
                sheet.cell(*cell_of(sheet, row, col), cell_value(vals[j], ret))
        for j, col in enumerate(t["cols"]):
            sheet.cell(*cell_of(sheet, "合计", col), cell_value(totals[j], ret))


def sample_catalog(d: dict):
    """The sample's own catalog (the default one plus its catalog_extra), or None."""
    if not d.get("catalog_extra"):
        return None, None
    from gwstats.model.catalog import default_catalog_text, parse_catalog

    text = default_catalog_text() + d["catalog_extra"]
    return text, parse_catalog(text, d["workspace"]["catalog"])


def write_wide(catalog, d: dict, ret: dict, path: Path):
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side

    u = unit_of(d, ret["unit"])
    columns = ret["columns"]
    wb = Workbook()
    ws = wb.active
    ws.title = ret.get("sheet", "汇总表")
    ncol = 2 + len(columns)
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    center = Alignment(horizontal="center", vertical="center", wrap_text=True)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=ncol)
    ws.cell(1, 1, ret.get("title", f"{u['name']}{ret['year']}年度关心下一代工作统计汇总表")).font = Font(bold=True, size=14)
    ws.cell(1, 1).alignment = center
    ws.cell(2, 1, f"填报单位：{ret.get('unit_label', u['name'])}")
    ws.cell(2, ncol - 1, f"年度：{ret['year']}")
    # two-row header: group over metric names
    h1, h2 = 4, 5
    for c, text in ((1, "序号"), (2, "单位")):
        ws.merge_cells(start_row=h1, start_column=c, end_row=h2, end_column=c)
        ws.cell(h1, c, text)
    groups = [catalog.metrics[m].group for m in columns]
    start = 0
    while start < len(columns):
        end = start
        while end + 1 < len(columns) and groups[end + 1] == groups[start]:
            end += 1
        if end > start:
            ws.merge_cells(start_row=h1, start_column=3 + start, end_row=h1, end_column=3 + end)
        ws.cell(h1, 3 + start, groups[start])
        start = end + 1
    for i, m in enumerate(columns):
        ws.cell(h2, 3 + i, _label(catalog, m, ret))
    r = h2 + 1
    for n, row in enumerate(ret["rows"], 1):
        ws.cell(r, 1, n)
        ws.cell(r, 2, row["label"])
        for i, m in enumerate(columns):
            if m in row["values"]:
                ws.cell(r, 3 + i, cell_value(row["values"][m], ret))
        r += 1
    ws.cell(r, 2, "合计")
    overrides = ret.get("total", {})
    for i, m in enumerate(columns):
        parts = [row["values"][m] for row in ret["rows"] if m in row["values"]]
        if m in overrides:
            ws.cell(r, 3 + i, overrides[m])
        elif parts:
            ws.cell(r, 3 + i, cell_value(written_total(parts), ret))
    for row in ws.iter_rows(min_row=h1, max_row=r, max_col=ncol):
        for c in row:
            c.border = border
            if c.row <= h2:
                c.alignment = center
                c.font = Font(bold=True)
    ws.cell(r + 2, 1, f"填报人：{ret.get('filled_by', '')}    联系电话：{ret.get('phone', '')}    填报日期：{ret.get('date', '')}")
    ws.column_dimensions["A"].width = 6
    ws.column_dimensions["B"].width = 18
    for i in range(len(columns)):
        ws.column_dimensions[ws.cell(h2, 3 + i).column_letter].width = 12
    save_openpyxl(wb, path)


def _long_rows(catalog, ret: dict, all_metrics: bool) -> list[tuple]:
    values = ret.get("values", {})
    notes = ret.get("notes", {})
    codes = list(catalog.metrics) if all_metrics else [c for c in catalog.metrics if c in values]
    out = []
    for n, code in enumerate(codes, 1):
        m = catalog.metrics[code]
        v = cell_value(values[code], ret) if code in values else None
        out.append((n, _label(catalog, code, ret), m.unit, v, notes.get(code)))
    return out


def write_xls(catalog, d: dict, ret: dict, path: Path):
    import xlwt

    u = unit_of(d, ret["unit"])
    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("统计表")
    title = xlwt.easyxf("font: bold on, height 320; align: horiz center")
    bold = xlwt.easyxf("font: bold on")
    ws.write_merge(0, 0, 0, 4, f"{ret['year']}年度关心下一代工作统计表", title)
    fields = [("填报单位", ret.get("unit_label", u["name"])), ("年度", ret["year"]), ("口径", ret.get("scope", "本级")),
              ("填报人", ret.get("filled_by", "")), ("联系电话", ret.get("phone", "")), ("填报日期", ret.get("date", ""))]
    for i, (label, value) in enumerate(fields):
        r, c = 1 + i // 2, (i % 2) * 2
        ws.write(r, c, label, bold)
        ws.write(r, c + 1, value)
    hr = 5
    for c, text in enumerate(("序号", "指标", "计量单位", "数值", "备注")):
        ws.write(hr, c, text, bold)
    for i, row in enumerate(_long_rows(catalog, ret, all_metrics=True), hr + 1):
        for c, v in enumerate(row):
            if v is None:
                continue
            ws.write(i, c, float(v) if isinstance(v, Decimal) else v)
    ws.col(1).width = 256 * 30
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(str(path))


def write_csv_gbk(catalog, d: dict, ret: dict, path: Path):
    u = unit_of(d, ret["unit"])
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow([f"{ret['year']}年度关心下一代工作统计表"])
    w.writerow([f"填报单位：{ret.get('unit_label', u['name'])}"])
    w.writerow([f"年度：{ret['year']}"])
    w.writerow(["序号", "指标", "计量单位", "数值", "备注"])
    for row in _long_rows(catalog, ret, all_metrics=False):
        w.writerow(["" if v is None else v for v in row])
    w.writerow([f"填报人：{ret.get('filled_by', '')}", f"联系电话：{ret.get('phone', '')}", f"填报日期：{ret.get('date', '')}"])
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(buf.getvalue().encode("gbk"))


def write_free(catalog, d: dict, ret: dict, path: Path):
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    u = unit_of(d, ret["unit"])
    wb = Workbook()
    ws = wb.active
    ws.title = ret.get("sheet", "Sheet1")
    ws.merge_cells("A1:D1")
    ws["A1"] = ret.get("title", f"{u['name']}{ret['year']}年关心下一代工作情况统计")
    ws["A1"].font = Font(bold=True, size=14)
    ws["A1"].alignment = Alignment(horizontal="center")
    ws["A2"] = f"填报单位：{ret.get('unit_label', u['name'])}"
    ws["C2"] = f"年度：{ret['year']}年"
    ws.append([])
    ws.append(["序号", "项目", "数量", "说明"])
    rows = _long_rows(catalog, ret, all_metrics=False)
    split = ret.get("blank_after")
    for n, label, unit, v, note in rows:
        ws.append([n, label, v, note])
        if split and n == split:
            ws.append([])
    ws.append([])
    ws.append([f"填报人：{ret.get('filled_by', '')}", None, f"电话：{ret.get('phone', '')}"])
    ws.column_dimensions["B"].width = 30
    ws.column_dimensions["D"].width = 30
    save_openpyxl(wb, path)


def write_word(catalog, d: dict, ret: dict, path: Path):
    import docx

    doc = docx.Document()
    doc.core_properties.author = "gwstats sample data"
    doc.add_heading(ret.get("title", "工作总结"), level=1)
    for p in ret.get("paragraphs", []):
        doc.add_paragraph(p)
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(path))
    normalize_zip(path)


WRITERS = {
    "template": write_template,
    "wide": write_wide,
    "xls": write_xls,
    "csv_gbk": write_csv_gbk,
    "free": write_free,
    "word": write_word,
}


# ---- driver -----------------------------------------------------------------------------------
def generate(out_root: Path = HERE, definitions: list[dict] | None = None) -> list[Path]:
    catalog = _catalog()
    definitions = definitions if definitions is not None else load_definitions()
    written = []
    for d in definitions:
        folder = Path(out_root) / d["workspace"]["folder"]
        if folder.exists():
            shutil.rmtree(folder)
        folder.mkdir(parents=True)
        written.append(write_units(d, folder))
        own_text, own_catalog = sample_catalog(d)
        if own_text:
            (folder / d["workspace"]["catalog"]).write_text(own_text, encoding="utf-8")
            written.append(folder / d["workspace"]["catalog"])
        totals = intended_totals(d)
        for ret in d["returns"]:
            if ret.get("values") == "auto":  # a 汇总 return: the sum of that year's 本级 returns
                ret = dict(ret, values={k: (int(v) if v == v.to_integral_value() else v)
                                        for k, v in totals.get(ret["year"], {}).items()})
            path = folder / ret["file"]
            WRITERS[ret.get("layout", "template")](own_catalog if ret.get("crosstab") else catalog, d, ret, path)
            written.append(path)
    superior = _superior_module()
    shutil.rmtree(Path(out_root) / superior.FOLDER, ignore_errors=True)
    written += superior.generate(out_root, save_openpyxl)
    return written


def _superior_module():
    """sample_data/superior.py (the level above 集安), loaded by path: this file is also run as a script."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("gwstats_sample_superior", HERE / "superior.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def intended_totals(d: dict) -> dict[int, dict[str, Decimal]]:
    """year -> metric -> sum of every 本级 value (wide rows included, 合计/汇总 excluded, refused files excluded)."""
    out: dict[int, dict[str, Decimal]] = {}
    for ret in d["returns"]:
        if ret.get("refused") or ret.get("scope", "本级") != "本级" or ret.get("superseded") or ret.get("values") == "auto":
            continue
        tot = out.setdefault(ret["year"], {})
        value_sets = [row["values"] for row in ret["rows"]] if ret.get("layout") == "wide" else [ret.get("values", {})]
        for values in value_sets:
            for code, v in values.items():
                tot[code] = tot.get(code, Decimal(0)) + intended(v)[0]
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(description="重新生成示例数据（sample_data）")
    ap.add_argument("--out", type=Path, default=HERE, help="输出目录（默认：sample_data/ 本身）")
    ap.add_argument("--totals", action="store_true", help="只打印每年各指标的预期合计")
    args = ap.parse_args(argv)
    if args.totals:
        for d in load_definitions():
            print(f"== {d['workspace']['name']}")
            for year, tot in sorted(intended_totals(d).items()):
                print(f"  {year}: " + "，".join(f"{k}={v}" for k, v in tot.items()))
        return 0
    files = generate(args.out)
    print(f"已生成 {len(files)} 个文件于 {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
