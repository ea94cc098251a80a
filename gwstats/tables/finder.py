"""Finding and reading the tables of a form (see tables.grid for what a form is): long lists, wide
tables and cross-tabs, their titles, notes and the catalog metric each cell stands for."""

from __future__ import annotations

import re

from gwstats.tables.grid import FormCell, FormError, FormTable, Grid, clean_label, is_measure
from gwstats.tables.headers import (CORNER_HEADERS, FOOTER, GENERIC_HEADERS, LABEL_HEADERS, NOTE_HEADERS, SEQ_HEADERS,
                                    TOTAL_LABELS, UNIT_COL_HEADERS, UNIT_HEADERS, VALUE_HEADERS, year_header)
from gwstats.tables.grid_body import column_names, crosstab_rows
from gwstats.tables.relations import relations_in
from gwstats.core.text import nfkc, squash
from gwstats.read.reader import cell_ref

MAX_BLANK_ROWS = 3  # blank rows inside a table body; more end the table
_COLNUM = re.compile(r"^[(（]?(\d+|[甲乙丙丁戊])[)）]?$")
_MEASURE_NOTE = re.compile(r"(?:计量)?单位\s*[:：]\s*([人个所场次对篇万元户名件]+)\s*$")
_TABLE_NO = re.compile(r"表\s*号\s*[:：]\s*(\S+)")
_TABLE_TITLE = re.compile(r"^\s*(表\s*[0-9一二三四五六七八九十]+)")
_YEAR_PREFIX = re.compile(r"^(19|20)\d{2}年度?")


def _merged_fill(g: Grid) -> dict[tuple[int, int], object]:
    fill = {}
    for r0, c0, r1, c1 in g.merged:
        v = g.cell(r0, c0)
        for r in range(r0, r1 + 1):
            for c in range(c0, c1 + 1):
                fill[(r, c)] = v
    return fill


def _footer(text: str) -> bool:
    key = squash(text)
    return key.startswith(FOOTER) and (len(key) <= 6 or ":" in key or "：" in key or key.startswith(("注", "说明", "填表说明")))


# ---- finding tables --------------------------------------------------------------------------------
def _row_texts(g: Grid, r: int) -> list[tuple[int, str]]:
    return [(c, g.text(r, c)) for c in range(len(g.rows[r])) if isinstance(g.cell(r, c), str) and g.text(r, c)]


def _long_header(g: Grid, r: int):
    """(label col, value col, unit col, seq col) when row r is ``指标 | 数值`` header, else None."""
    label = value = unit = seq = None
    for c, t in _row_texts(g, r):
        k = squash(t)
        if k in LABEL_HEADERS and label is None:
            label = c
        elif label is not None and value is None and (k in VALUE_HEADERS or year_header(k)):
            value = c
        elif k in UNIT_HEADERS and unit is None and label is not None:
            unit = c
        elif k in SEQ_HEADERS and seq is None:
            seq = c
    if label is not None and value is not None:
        return label, value, unit, seq
    return None


def _spans_columns(g: Grid, r: int, c: int) -> bool:
    return any(r0 == r and c0 == c and c1 > c0 for r0, c0, r1, c1 in g.merged)


def _is_field_row(texts: list[tuple[int, str]]) -> bool:
    from gwstats.tables.headers import find_fields

    return any(":" in t or "：" in t for _, t in texts) or bool(find_fields([[t for _, t in texts]]))


def _grid_header(g: Grid, r: int) -> bool:
    texts = _row_texts(g, r)
    if len(texts) < 3 or _is_field_row(texts):
        return False
    if any(_TABLE_TITLE.match(t) for _, t in texts):
        return False
    # a body row below: a text label at the left, numbers/blank/formulas to its right
    return r + 1 < len(g.rows)


def _header_band(g: Grid, r: int, c_lo: int, c_hi: int) -> int:
    bottom = r
    changed = True
    while changed:
        changed = False
        for r0, c0, r1, c1 in g.merged:
            if r <= r0 <= bottom and c1 >= c_lo and c0 <= c_hi and r1 > bottom and r1 - r0 < 4:
                bottom, changed = r1, True
        # a heading merged across columns with sub-headings under it
        for r0, c0, r1, c1 in g.merged:
            if r <= r0 <= bottom and r1 == bottom and c1 > c0 and c0 >= c_lo:
                nxt = bottom + 1
                if nxt < len(g.rows) and any(isinstance(g.cell(nxt, c), str) and g.text(nxt, c) and not is_measure(g.text(nxt, c))
                                             and not _COLNUM.match(g.text(nxt, c)) for c in range(c0, c1 + 1)):
                    bottom, changed = nxt, True
                    break
    return bottom


def find_tables(grids: list[Grid], *, lists: bool = True,
                skipped_grids: list | None = None) -> tuple[list[FormTable], list[tuple[str, str, str]]]:
    """Every table of the form, and the notes (text, sheet, cell) outside tables.

    ``lists=False`` (import, looking for cross-tabs only): a list of indicators is passed over
    (the return parser reads it, with its own rules for labels written twice) and not checked, and
    a grid that cannot be read as a table goes to ``skipped_grids`` as (FormError, header texts).
    """
    tables: list[FormTable] = []
    notes: list[tuple[str, str, str]] = []
    skipped = skipped_grids if skipped_grids is not None else []
    for g in grids:
        fill = _merged_fill(g)
        taken: set[int] = set()
        r = 0
        last_end = -1
        sheet_tables = []
        while r < len(g.rows):
            t = None
            lh = _long_header(g, r)
            if lh is not None and _spans_columns(g, r, lh[1]):
                lh = None  # 本年 over 城镇 | 农村 …: indicators down the side, several columns — a cross-tab
            if lh is not None:
                t = _read_long(g, r, lh, fill) if lists else _skip_long(g, r, lh, fill)
            elif _grid_header(g, r):
                if lists:
                    t = _read_grid(g, r, fill)
                else:  # import: an unreadable grid is kept aside; the caller decides if it was meant to be a table
                    try:
                        t = _read_grid(g, r, fill)
                    except FormError as exc:
                        skipped.append((exc, {squash(x) for _, x in _row_texts(g, r)}))
                        t = None
            if t is None or not t.cells:
                r += 1
                continue
            _name_table(g, t, last_end + 1, len(tables) + len(sheet_tables) + 1)
            sheet_tables.append(t)
            taken.update(range(t.top - 0, t.bottom + 1))
            last_end = t.bottom
            r = t.bottom + 1
        for rr, row in enumerate(g.rows):
            if rr in taken:
                continue
            for c, v in enumerate(row):
                if isinstance(v, str) and v.strip():
                    notes.append((v.strip(), g.name, cell_ref(rr, c)))
                    for t in reversed(sheet_tables):
                        if rr > t.bottom:
                            t.relations.extend(relations_in(v, g.name, cell_ref(rr, c)))
                            break
        tables.extend(sheet_tables)
    return tables, notes


def _name_table(g: Grid, t: FormTable, start: int, n: int):
    """Code (表号, else 表N of the title, else 表n) and title of the table from the rows above it."""
    title, number, short = "", "", ""
    for r in range(max(start, 0), t.top):
        for c, text in _row_texts(g, r):
            m = _TABLE_NO.search(text)
            if m:
                number = number or m.group(1)
                continue
            if _is_field_row([(c, text)]) or _MEASURE_NOTE.search(text):
                continue
            m = _TABLE_TITLE.match(text)
            if m:
                short = short or squash(m.group(1))
            if len(text) > len(title):
                title = text
    t.code = number or short or f"表{n}"
    t.aliases = [a for a in dict.fromkeys((number, short, f"表{n}")) if a]
    title = _YEAR_PREFIX.sub("", squash(_TABLE_TITLE.sub("", title)))
    t.title = title or t.code
    t.group = t.title


def _table_unit(g: Grid, top: int, start: int) -> str | None:
    for r in range(max(start, 0), top):
        for _, text in _row_texts(g, r):
            m = _MEASURE_NOTE.search(squash(text))
            if m:
                return m.group(1)
    return None


def _skip_long(g: Grid, hr: int, head, fill) -> FormTable | None:
    """A list's extent without judging its labels; None stops nothing (r moves on by one row)."""
    try:
        return _read_long(g, hr, head, fill)
    except FormError:
        return None


# ---- long lists ------------------------------------------------------------------------------------
def _read_long(g: Grid, hr: int, head, fill) -> FormTable:
    label_col, value_col, unit_col, seq_col = head
    t = FormTable(g.name, "long", "", "", "", hr, hr, label_col=label_col, value_cols=[value_col])
    default_unit = _table_unit(g, hr, 0)
    group = ""
    last_total: int | None = None
    in_qizhong = False
    blanks = 0
    seen: dict[str, str] = {}
    r = _header_band(g, hr, label_col, value_col) + 1  # a header merged over two rows is not a body row
    while r < len(g.rows):
        raw = fill.get((r, label_col), g.cell(r, label_col))
        text = nfkc(raw).strip() if isinstance(raw, str) else ""
        if not text:
            others = [g.text(r, c) for c in range(len(g.rows[r])) if g.text(r, c)]
            if others and any(_footer(o) or _TABLE_TITLE.match(o) for o in others):
                break
            blanks += 1
            if blanks > MAX_BLANK_ROWS:
                break
            r += 1
            continue
        blanks = 0
        if _footer(text) or _TABLE_TITLE.match(text) or _long_header(g, r) is not None:
            break
        label, sub, bracket_unit = clean_label(text)
        merged_across = fill.get((r, value_col)) is raw and raw is not None
        has_unit = unit_col is not None and g.text(r, unit_col)
        if merged_across or (not has_unit and g.cell(r, value_col) in (None, "") and re.match(r"^[一二三四五六七八九十]+[、.]", text)):
            group = label
            r += 1
            continue
        if label == "其中" or not label:
            in_qizhong = True
            r += 1
            continue
        indented = isinstance(raw, str) and raw[:1] in (" ", "\u3000")
        if not sub and in_qizhong and indented:
            sub = True
        if not sub:
            in_qizhong = False
        if label in seen and sub and last_total is not None:
            label = f"{t.cells[last_total].name}·{label}"  # 其中：女 under two totals: 五老志愿者人数·女
        if label in seen:
            raise FormError(f"工作表“{g.name}”{cell_ref(r, label_col)}：指标“{label}”在表中出现两次（另一处 {seen[label]}），"
                            "无法确定各填哪一格")
        seen[label] = cell_ref(r, label_col)
        unit = (g.text(r, unit_col).strip("()（） ") if has_unit else None) or bracket_unit or default_unit
        cell = FormCell(r, value_col, label, unit, row_label=label, formula=(r, value_col) in g.formulas)
        if sub and last_total is not None:
            cell.sub_of = last_total
            in_qizhong = True
            t.sub_rows[label] = t.cells[last_total].name
        elif not sub:
            last_total = len(t.cells)
        t.cells.append(cell)
        t.row_labels.append(label)
        t.body_rows.append(r)
        if group:
            t.groups_of_rows[label] = group
        if seq_col is not None and g.text(r, seq_col):
            t.row_numbers[squash(g.text(r, seq_col)).strip("()（）.、")] = label
        t.bottom = r
        r += 1
    return t


# ---- wide tables and cross-tabs --------------------------------------------------------------------
def _read_grid(g: Grid, hr: int, fill) -> FormTable | None:
    c_lo, c_hi = _grid_columns(g, hr)
    bottom = _header_band(g, hr, c_lo, c_hi)
    heads = _column_heads(g, fill, range(hr, bottom + 1), range(c_lo, c_hi + 1))
    col_units, col_nums, body_start = _rows_under_header(g, bottom + 1, c_lo, c_hi)
    corner = _corner_columns(heads, c_lo, c_hi)
    label_cols = [c for c, k in corner.items() if k == "label"]
    if not label_cols:
        return None
    label_col = label_cols[0]
    value_cols = [c for c in range(c_lo, c_hi + 1) if c not in corner and squash(heads[c][-1] if heads[c] else "") not in NOTE_HEADERS]
    if len(value_cols) < 1:
        return None
    corner_text = heads[label_col][-1] if heads[label_col] else ""
    body = _body_rows(g, body_start, label_col, value_cols)
    if not body:
        return None
    wide = squash(corner_text) in UNIT_COL_HEADERS - GENERIC_HEADERS
    t = FormTable(g.name, "wide" if wide else "crosstab", "", "", "", hr, body[-1], label_col=label_col, value_cols=value_cols)
    default_unit = _table_unit(g, hr, 0)
    names = column_names(g, t, heads, value_cols, bottom)
    for c, num in col_nums.items():
        if c in names:
            t.col_numbers[num] = names[c]
    for c in value_cols:
        if clean_label(names[c])[0] in TOTAL_LABELS:
            t.total_cols.append(names[c])
    if wide:
        for c in value_cols:
            lab, _, bu = clean_label(names[c])
            t.cells.append(FormCell(body[0], c, names[c], col_units.get(c) or bu or default_unit, col_label=names[c]))
        t.body_rows = body
        t.kind = "wide"
        return t
    labelled = [r for r in body if g.text(r, label_col)]
    if not labelled:
        return None
    units = (col_units, default_unit)
    seq_col = next((c for c, k in corner.items() if k == "seq"), None)
    unit_col = next((c for c, k in corner.items() if k == "unit"), None)
    crosstab_rows(g, t, fill, labelled, (label_col, unit_col, seq_col), names, units)
    return t


def _grid_columns(g: Grid, hr: int) -> tuple[int, int]:
    """First and last column of a grid whose header is row hr."""
    texts = _row_texts(g, hr)
    c_lo = texts[0][0]
    c_hi = max(c for c, _ in texts)
    # a blank corner: the 主栏 labels stand in the column left of the first heading
    while c_lo > 0 and not g.text(hr, c_lo - 1) and sum(
            1 for r in range(hr + 1, min(hr + 7, len(g.rows))) if isinstance(g.cell(r, c_lo - 1), str) and g.text(r, c_lo - 1)) >= 2:
        c_lo -= 1
    for r0, c0, r1, c1 in g.merged:
        if r0 == hr and c0 <= c_hi:
            c_hi = max(c_hi, c1)
    return c_lo, c_hi


def _column_heads(g: Grid, fill, band: range, columns: range) -> dict[int, list[str]]:
    """Column -> its headings top to bottom in the header band (the lowest is its label, the one above
    its group)."""
    heads: dict[int, list[str]] = {}
    for c in columns:
        seen: list[str] = []
        for r in band:
            v = fill.get((r, c), g.cell(r, c))
            if isinstance(v, str) and v.strip():
                s = squash(v)
                if s not in seen:
                    seen.append(s)
        heads[c] = seen
    return heads


def _rows_under_header(g: Grid, r: int, c_lo: int, c_hi: int):
    """(units of measure by column, column numbers by column, first body row): a row of units of
    measure and a row of column numbers (甲 乙 1 2 3) may stand under the header band."""
    col_units: dict[int, str] = {}
    col_nums: dict[int, str] = {}
    for _ in range(2):
        if r >= len(g.rows):
            break
        vals = {c: g.text(r, c) for c in range(c_lo, c_hi + 1) if g.text(r, c)}
        if vals and all(is_measure(v) or squash(v) in UNIT_HEADERS for v in vals.values()) and any(is_measure(v) for v in vals.values()):
            col_units = {c: v.strip("()（） ") for c, v in vals.items() if is_measure(v)}
            r += 1
        elif vals and all(_COLNUM.match(squash(v)) for v in vals.values()) and len(vals) >= 2:
            col_nums = {c: squash(v).strip("()（）") for c, v in vals.items()}
            r += 1
    return col_units, col_nums, r


def _corner_columns(heads: dict[int, list[str]], c_lo: int, c_hi: int) -> dict[int, str]:
    """The columns left of the figures: label (主栏), label2, seq (序号), unit (计量单位), note."""
    corner: dict[int, str] = {}
    for c in range(c_lo, c_hi + 1):
        h = heads[c]
        key = h[-1] if h else ""
        first = h[0] if h else ""
        if key in SEQ_HEADERS or first in SEQ_HEADERS:
            corner[c] = "seq"
        elif (key in UNIT_HEADERS or first in UNIT_HEADERS) and not (key in UNIT_COL_HEADERS and c == c_lo):
            corner[c] = "unit"
        elif key in NOTE_HEADERS:
            corner[c] = "note"
        elif c == c_lo or key in CORNER_HEADERS or key in UNIT_COL_HEADERS or "\\" in key or "/" in key:
            if not any(corner.get(k) == "label" for k in corner):
                corner[c] = "label"
            else:
                corner[c] = "label2"
        else:
            break
    return corner


def _body_rows(g: Grid, rr: int, label_col: int, value_cols: list[int]) -> list[int]:
    """The body from row rr: rows with a label (blank rows allowed in between) up to a footer, title,
    another header or text where figures belong."""
    body: list[int] = []
    blanks = 0
    while rr < len(g.rows):
        lab = g.text(rr, label_col)
        row_has = [g.text(rr, c) for c in range(len(g.rows[rr])) if g.text(rr, c)]
        if not row_has:
            blanks += 1
            if blanks > MAX_BLANK_ROWS:
                break
            rr += 1
            continue
        blanks = 0
        if any(_footer(x) or _TABLE_TITLE.match(x) or _TABLE_NO.search(x) for x in row_has[:2]) or _long_header(g, rr) is not None:
            break
        if not lab and any(isinstance(g.cell(rr, c), str) and g.text(rr, c) and not _numberlike(g.cell(rr, c)) for c in value_cols):
            break  # text where figures belong: another table's heading
        body.append(rr)
        rr += 1
    return body


def _numberlike(v) -> bool:
    if isinstance(v, (int, float)):
        return True
    from gwstats.core.values import NumberError, parse_value

    try:
        return parse_value(v) is not None
    except NumberError:
        return False
    except Exception:
        return False


def metric_for_cell(catalog, t: FormTable, cell) -> str | None:
    """The catalog metric a cell of the form stands for: by 主栏 × 宾栏 place, else by name; or None."""
    if t.kind == "crosstab":
        col = clean_label(cell.col_label or "")[0]
        placed = [m.code for m in catalog.metrics.values() if m.row == cell.row_label and m.column == col
                  and (not m.table or m.table in t.aliases)]
        if len(placed) == 1:
            return placed[0]
        names = [cell.name, f"{t.code}·{cell.name}"]
        if cell.row_label in TOTAL_LABELS:
            names.append(col)
        if col in TOTAL_LABELS:
            names.append(cell.row_label)
    elif t.kind == "wide":
        label = clean_label(cell.col_label or "")[0]
        names = [label, t.col_groups.get(cell.col_label or "", "") + label]
    else:
        names = [cell.name, f"{t.code}·{cell.name}"]
    for n in names:
        code = catalog.match_label(n)
        if code:
            return code
    return None
