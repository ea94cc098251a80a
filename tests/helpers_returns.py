"""Builders of messy returns for tests (both layouts, .xlsx/.xls/.csv), and store dumps.

Other test modules may reuse these: ``from helpers_returns import ...`` (tests/ is on sys.path
when pytest runs from the repository root with rootdir-relative imports) or
``from tests.helpers_returns import ...``.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

UNITS_CSV = """编码,单位名称,上级编码,别名
AQ,安庆市公安局关工委,,市局;安庆市公安局
YX,岳西县公安局关工委,AQ,岳西县局;岳西县公安局
YX01,岳西县公安局城关派出所,YX,城关派出所
YX02,岳西县公安局天堂派出所,YX,天堂派出所
WJ,望江县公安局关工委,AQ,望江县局;望江县公安局
HN,怀宁县公安局关工委,AQ,怀宁县局;怀宁县公安局
TC,桐城市公安局关工委,AQ,桐城市局;桐城市公安局
"""

LONG_HEADER = ("序号", "指标", "计量单位", "数值", "备注")


def make_workspace(tmp_path: Path, name: str = "安庆市公安局关工委", year: int = 2018):
    from gwstats import Workspace

    ws = Workspace.init(tmp_path / "ws", name=name, year=year)
    units = tmp_path / "units.csv"
    units.write_text(UNITS_CSV, encoding="utf-8")
    ws.import_units(units)
    return ws


def long_rows(values: dict, *, unit: str | None = "岳西县公安局关工委", year=2018, scope: str | None = None,
              title: str | None = "{year}年度关心下一代工作统计表", header=LONG_HEADER, inline_fields: bool = False,
              units_of_measure: dict | None = None, blank_rows: bool = False, group_headings: bool = True,
              footer: bool = True) -> list[list]:
    """A one-unit return: title, header fields, table ``序号 | 指标 | 计量单位 | 数值 | 备注``.

    ``values`` maps a label as written (e.g. "资助金额（元）") to the cell value.
    """
    rows: list[list] = []
    if title:
        rows.append([title.format(year=year), None, None, None, None])
    if inline_fields:
        line = []
        if unit is not None:
            line.append(f"填报单位：{unit}")
        if year is not None:
            line.append(f"年度：{year}")
        rows.append(["    ".join(line)])
        if scope:
            rows.append([f"口径：{scope}"])
    else:
        if unit is not None:
            rows.append(["填报单位", unit, None, None])
        if year is not None:
            rows.append(["年度", year, "口径", scope])
        elif scope:
            rows.append([None, None, "口径", scope])
    rows.append([])
    rows.append(list(header))
    label_col = header.index("指标") if "指标" in header else 1
    n = 0
    for i, (label, value) in enumerate(values.items()):
        if group_headings and i == 0:
            rows.append(["一、基本情况"])
        if blank_rows and i and i % 3 == 0:
            rows.append([])
        n += 1
        row = [None] * len(header)
        row[0] = n
        row[label_col] = label
        if "计量单位" in header and units_of_measure and label in units_of_measure:
            row[header.index("计量单位")] = units_of_measure[label]
        value_col = next(i for i, h in enumerate(header) if h in ("数值", "数量", "本年", "合计", "本年度") or str(h).endswith("年"))
        if isinstance(value, tuple):  # (prior year, this year) for headers with both
            prior_col = next(i for i, h in enumerate(header) if "上年" in str(h))
            row[prior_col], row[value_col] = value
        else:
            row[value_col] = value
        rows.append(row)
    if footer:
        rows.append([])
        rows.append(["填报人：张三", None, "联系电话：0556-1234567", None, None])
    return rows


def wide_rows(units: list[str], metrics: list[str], values: list[list], *, total: list | None = None,
              title: str | None = "{year}年度关工委工作统计汇总表", year=2018, unit_field: str | None = None,
              groups: list[tuple[str, int]] | None = None, total_label: str = "合计") -> tuple[list[list], list]:
    """A one-row-per-unit sheet; returns (rows, merged ranges for openpyxl as "A1:B2" strings).

    ``groups``: [(group name, number of metric columns)] for a two-row header with merged group cells.
    """
    rows: list[list] = []
    merged: list[str] = []
    if title:
        rows.append([title.format(year=year)])
    if unit_field:
        rows.append([f"填报单位：{unit_field}", None, None, f"年度：{year}"])
    head = ["序号", "单位名称", *metrics]
    if groups:
        top = ["序号", "单位名称"]
        col = 3
        for name, width in groups:
            top.extend([name] + [None] * (width - 1))
            if width > 1:
                merged.append(f"{_col(col)}{len(rows) + 1}:{_col(col + width - 1)}{len(rows) + 1}")
            col += width
        merged.append(f"A{len(rows) + 1}:A{len(rows) + 2}")
        merged.append(f"B{len(rows) + 1}:B{len(rows) + 2}")
        rows.append(top)
        head = [None, None, *metrics]
    rows.append(head)
    for i, (u, vals) in enumerate(zip(units, values), 1):
        rows.append([i, u, *vals])
    if total is not None:
        rows.append([None, total_label, *total])
    return rows, merged


def _col(n: int) -> str:
    s = ""
    while n:
        n, r = divmod(n - 1, 26)
        s = chr(65 + r) + s
    return s


def write_xlsx(path: Path, sheets: dict[str, list[list]], merged: dict[str, list[str]] | None = None) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for r, row in enumerate(rows, 1):
            for c, v in enumerate(row, 1):
                if v is not None:
                    ws.cell(r, c, v)
        for rng in (merged or {}).get(name, []):
            ws.merge_cells(rng)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def write_xls(path: Path, sheets: dict[str, list[list]]) -> Path:
    import xlwt

    wb = xlwt.Workbook(encoding="utf-8")
    for name, rows in sheets.items():
        ws = wb.add_sheet(name)
        for r, row in enumerate(rows):
            for c, v in enumerate(row):
                if v is not None:
                    ws.write(r, c, v)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(str(path))
    return path


def write_csv(path: Path, rows: list[list], encoding: str = "utf-8") -> Path:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    for row in rows:
        w.writerow(["" if v is None else v for v in row])
    data = buf.getvalue()
    path.parent.mkdir(parents=True, exist_ok=True)
    if encoding == "utf-8-sig":
        path.write_bytes(b"\xef\xbb\xbf" + data.encode("utf-8"))
    else:
        path.write_bytes(data.encode(encoding))
    return path


def filled_template(ws, path: Path, unit_code: str, year: int, values: dict[str, object], *, scope: str = "本级") -> Path:
    """The workspace's own template for a unit, filled with openpyxl (metric name -> value)."""
    from gwstats.forms.template import SHEET_NAME, build_workbook, metric_rows

    h = ws.hierarchy()
    u = h.units[unit_code]
    parent = h.units[u.parent].name if u.parent in h.units else ""
    wb = build_workbook(ws.catalog, year=year, unit_name=u.name, unit_code=u.code, parent_name=parent,
                        organisation=ws.config.organisation, scope=scope)
    sheet = wb[SHEET_NAME]
    rows = metric_rows(sheet)
    for name, value in values.items():
        sheet.cell(rows[name], 4, value)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def dump_store(ws) -> dict[str, list[tuple]]:
    """Every row of the data tables, for comparing the store before and after an import."""
    c = ws.store.conn
    return {t: sorted(c.execute(f"SELECT * FROM {t}").fetchall(), key=repr)
            for t in ("files", "submissions", "submission_values", "submission_notes", "units")}


def stored_values(ws, unit: str, year: int = 2018, scope: str = "本级") -> dict[str, tuple]:
    """metric -> (value, state, approx, sheet, cell, raw) of the submission in force."""
    rows = ws.store.conn.execute(
        "SELECT v.metric, v.value, v.state, v.approx, v.sheet, v.cell, v.raw FROM submission_values v"
        " JOIN submissions s ON s.id = v.submission_id"
        " WHERE s.unit=? AND s.year=? AND s.scope=? AND s.superseded_by IS NULL", (unit, year, scope)).fetchall()
    return {r[0]: tuple(r[1:]) for r in rows}


def write_ods(path: Path, sheets: dict[str, list[list]], *, doctype: bytes = b"") -> Path:
    """A minimal OpenDocument spreadsheet (no writer library needed); ``doctype`` for bomb tests."""
    import zipfile
    from xml.sax.saxutils import escape, quoteattr

    def cell(v):
        if v is None:
            return "<table:table-cell/>"
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            return f'<table:table-cell office:value-type="float" office:value="{v}"><text:p>{v}</text:p></table:table-cell>'
        return f'<table:table-cell office:value-type="string"><text:p>{escape(str(v))}</text:p></table:table-cell>'

    tables = "".join(
        f"<table:table table:name={quoteattr(name)}>"
        + "".join("<table:table-row>" + "".join(cell(v) for v in row) + "</table:table-row>" for row in rows)
        + "</table:table>"
        for name, rows in sheets.items()
    )
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'.encode() + doctype +
        ('<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
         ' xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
         ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
         f"<office:body><office:spreadsheet>{tables}</office:spreadsheet></office:body></office:document-content>").encode()
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
        '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>'
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", content)
        z.writestr("META-INF/manifest.xml", manifest)
    return path


def one_return_workspace(tmp_path):
    """A workspace with one 岳西 return imported (关工委组织数 12, 五老志愿者人数 2503), its store closed:
    what the output writers' fault tests write from."""
    ws = make_workspace(tmp_path)
    write_xlsx(tmp_path / "in" / "岳西.xlsx", {"统计表": long_rows({"关工委组织数": 12, "五老志愿者人数": 2503})})
    ws.import_paths([tmp_path / "in"])
    ws.store.close()
    return ws
