"""The shape of a statistical form as the level above sends it: its tables and their cells to fill.

A form is read from a grid of values (openpyxl or the reader's Sheet) with its merged ranges. Three
kinds of table are recognised:

* ``long``: a list of indicators, ``序号 | 指标 | 计量单位 | 数值 | 备注`` (one cell per row);
* ``wide``: units down the side (header 单位/单位名称/县市区…), indicators across (one per column);
* ``crosstab``: 主栏 rows (乡镇、村、社区、学校…) × 宾栏 columns (应建数、已建数…), one cell per
  row × column; 其中 rows, 合计 rows and columns, a 计量单位 row or column, a row of column numbers
  (甲 乙 1 2 3) are understood.

Titles (``表1 基层组织建设情况``, 表号, 制表机关) above a table name it; notes below it and 填表说明
sheets may state relations (``1=2+3``, ``4≥5``, ``第1栏=第2栏+第3栏``). What cannot be told apart
(a value column without a heading, the same row label twice, a relation that names no row or column
of the table) raises :class:`FormError` naming the cell.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .errors import GwstatsError
from .normalize import nfkc, squash, unit_in_brackets
from .reader import cell_ref

LABEL_HEADERS = {"指标", "指标名称", "项目", "统计指标", "项目名称", "内容", "统计项目", "指标项目", "统计内容", "工作指标"}
VALUE_HEADERS = {"数值", "数量", "本年", "本年度", "本年数", "本期", "本期数", "填报数", "数据", "完成数", "统计数",
                 "年度数", "本年实际", "本年完成", "数额"}
UNIT_HEADERS = {"计量单位", "计量", "单位"}
SEQ_HEADERS = {"序号", "编号", "行次", "栏次", "代码", "行号"}
NOTE_HEADERS = {"备注", "说明", "附注"}
UNIT_COL_HEADERS = {"单位", "单位名称", "填报单位", "地区", "部门", "县市区", "县(市、区)", "乡镇街道", "基层单位", "下属单位",
                    "所属单位", "市州", "县区", "县(市)区"}
CORNER_HEADERS = LABEL_HEADERS | {"类别", "主栏", "名称", "分类", "类型", "组织类型", "单位类型"}
TOTAL_LABELS = {"合计", "总计", "小计", "总数", "共计", "全部"}
MEASURES = {"个", "人", "所", "场次", "场", "人次", "次", "对", "篇", "万元", "元", "%", "名", "户", "家", "件", "期", "天"}
FOOTER = ("填报人", "填表人", "审核人", "单位负责人", "负责人", "制表", "注", "说明", "备注", "联系电话", "填报日期", "填表说明")
_NUMBERING = re.compile(r"^\s*(?:[(（]?[一二三四五六七八九十]+[)）、.．]|[(（]\d+[)）]|\d+[、.．](?!\d))\s*")
_QIZHONG = re.compile(r"^\s*其中\s*[:：]?\s*")
_TABLE_TITLE = re.compile(r"^\s*(表\s*[0-9一二三四五六七八九十]+)")
_YEAR_PREFIX = re.compile(r"^(19|20)\d{2}年度?")
_TABLE_NO = re.compile(r"表\s*号\s*[:：]\s*(\S+)")
_COLNUM = re.compile(r"^[(（]?(\d+|[甲乙丙丁戊])[)）]?$")
_MEASURE_NOTE = re.compile(r"(?:计量)?单位\s*[:：]\s*([人个所场次对篇万元户名件]+)\s*$")
_REL_TERM = r"第?\d+(?:栏|行|列)?"
_RELATION = re.compile(rf"({_REL_TERM}(?:[+\-]{_REL_TERM})*)(>=|<=|≥|≤|=|>|<)({_REL_TERM}(?:[+\-]{_REL_TERM})*)")
MAX_BLANK_ROWS = 3  # blank rows inside a table body; more end the table
OPS = {"=": "==", ">=": ">=", "≥": ">=", "<=": "<=", "≤": "<=", ">": ">", "<": "<"}


class FormError(GwstatsError):
    exit_code = 1


@dataclass
class Grid:
    name: str
    rows: list[list]
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)  # (r0, c0, r1, c1) inclusive, 0-based
    formulas: set[tuple[int, int]] = field(default_factory=set)

    def cell(self, r: int, c: int):
        if 0 <= r < len(self.rows) and 0 <= c < len(self.rows[r]):
            return self.rows[r][c]
        return None

    def text(self, r: int, c: int) -> str:
        v = self.cell(r, c)
        return nfkc(str(v)).strip() if isinstance(v, str) else ("" if v is None else str(v))

    @property
    def width(self) -> int:
        return max((len(r) for r in self.rows), default=0)


@dataclass
class FormCell:
    row: int  # 0-based position in the grid
    col: int
    name: str  # 学校·已建关工委数, or the indicator name of a long list
    unit: str | None
    row_label: str | None = None
    col_label: str | None = None
    sub_of: int | None = None  # index (in table.cells) of the total this 其中 cell is part of
    formula: bool = False

    @property
    def ref(self) -> str:
        return cell_ref(self.row, self.col)


@dataclass
class FormTable:
    sheet: str
    kind: str  # long | wide | crosstab
    title: str
    code: str  # 表号 or 表N
    group: str
    top: int
    bottom: int  # last row of the table body (inclusive)
    cells: list[FormCell] = field(default_factory=list)
    row_labels: list[str] = field(default_factory=list)  # crosstab/long, in order
    col_labels: list[str] = field(default_factory=list)  # crosstab/wide, in order
    col_groups: dict[str, str] = field(default_factory=dict)  # column label -> merged heading above it
    row_numbers: dict[str, str] = field(default_factory=dict)  # 序号/行次 -> row label
    col_numbers: dict[str, str] = field(default_factory=dict)  # 栏号 -> column label
    total_rows: list[str] = field(default_factory=list)
    total_cols: list[str] = field(default_factory=list)
    sub_rows: dict[str, str] = field(default_factory=dict)  # 其中 row -> its total row
    relations: list[tuple[str, str, str]] = field(default_factory=list)  # (text, sheet, cell)
    label_col: int = 0
    value_cols: list[int] = field(default_factory=list)  # wide/crosstab; long: [value col]
    body_rows: list[int] = field(default_factory=list)
    groups_of_rows: dict[str, str] = field(default_factory=dict)  # long list: row label -> group heading
    aliases: list[str] = field(default_factory=list)  # 表号, 表N: how notes and 填表说明 name the table

    def cell_at(self, row_label: str | None, col_label: str | None) -> FormCell | None:
        for c in self.cells:
            if c.row_label == row_label and c.col_label == col_label:
                return c
        return None


# ---- reading grids -------------------------------------------------------------------------------
MAX_FORM_ROWS, MAX_FORM_COLS = 5000, 300  # a form sent down is a few pages, never a data dump


def grids_from_openpyxl(wb) -> list[Grid]:
    out = []
    for ws in wb.worksheets:
        # only the cells that hold something: a sheet's stated dimension can be A1:XFD1048576
        cells = getattr(ws, "_cells", None)
        if cells is None:  # a read-only or chart sheet
            continue
        used = [(r, c, cell.value) for (r, c), cell in cells.items() if cell.value is not None]
        if not used:
            out.append(Grid(ws.title, [], [], set()))
            continue
        n_rows = max(r for r, _, _ in used)
        n_cols = max(c for _, c, _ in used)
        if n_rows > MAX_FORM_ROWS or n_cols > MAX_FORM_COLS:
            raise FormError(f"工作表“{ws.title}”有 {n_rows} 行、{n_cols} 列内容，不像上级下发的统计表格"
                            f"（最多 {MAX_FORM_ROWS} 行、{MAX_FORM_COLS} 列）")
        rows = [[None] * n_cols for _ in range(n_rows)]
        formulas = set()
        for r, c, v in used:
            rows[r - 1][c - 1] = v
            if isinstance(v, str) and v.startswith("="):
                formulas.add((r - 1, c - 1))
        merged = [(m.min_row - 1, m.min_col - 1, m.max_row - 1, m.max_col - 1) for m in ws.merged_cells.ranges]
        out.append(Grid(ws.title, rows, merged, formulas))
    return out


def open_workbook(path, **options):
    """openpyxl's load_workbook, its warnings about unsupported extensions kept off the console."""
    import warnings

    from openpyxl import load_workbook

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return load_workbook(path, **options)


def load_form(path) -> list[Grid]:
    from pathlib import Path

    path = Path(path)
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        raise FormError(f"表格 {path.name} 应为 .xlsx 文件（.xls 请先用 Excel/WPS 另存为 .xlsx）")
    try:
        wb = open_workbook(path)
    except FileNotFoundError:
        raise FormError(f"找不到表格文件：{path}") from None
    except Exception as exc:  # not a workbook, damaged zip, encrypted
        raise FormError(f"表格 {path.name} 无法打开（{type(exc).__name__}）：请确认是 Excel .xlsx 文件且没有设置打开密码") from None
    return grids_from_openpyxl(wb)


def _merged_fill(g: Grid) -> dict[tuple[int, int], object]:
    fill = {}
    for r0, c0, r1, c1 in g.merged:
        v = g.cell(r0, c0)
        for r in range(r0, r1 + 1):
            for c in range(c0, c1 + 1):
                fill[(r, c)] = v
    return fill


def _is_measure(text: str) -> bool:
    return text.strip("()（） ") in MEASURES


def clean_label(text: str) -> tuple[str, bool, str | None]:
    """(label without numbering, 其中 prefix and unit brackets; is a 其中 row; unit in brackets)."""
    t = nfkc(str(text)).strip()
    sub = bool(_QIZHONG.match(t)) and len(_QIZHONG.sub("", t)) > 0
    t = _QIZHONG.sub("", t)
    t = _NUMBERING.sub("", t)
    unit = unit_in_brackets(t)
    if unit and _is_measure(unit):
        t = re.sub(r"[(（][^()（）]*[)）]\s*$", "", t).strip()
    else:
        unit = None
    return squash(t), sub, unit


def guess_unit(label: str) -> str | None:
    for ends, unit in (("万元", "万元"), ("金额", "万元"), ("人次", "人次"), ("场次", "场次"), ("人数", "人"), ("对数", "对"),
                       ("篇数", "篇"), ("次数", "次"), ("所数", "所"), ("学校数", "所"), ("户数", "户")):
        if label.endswith(ends):
            return unit
    if label.endswith(("人", "名")):
        return "人"
    if label.endswith(("数", "个")):
        return "个"
    return None


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
        elif label is not None and value is None and (k in VALUE_HEADERS or re.match(r"^(19|20)\d{2}年?度?(数)?$", k)):
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
    from .parser.headers import find_fields

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
                if nxt < len(g.rows) and any(isinstance(g.cell(nxt, c), str) and g.text(nxt, c) and not _is_measure(g.text(nxt, c))
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
                            t.relations.extend(_relations_in(v, g.name, cell_ref(rr, c)))
                            break
        if len(sheet_tables) == 0:
            pass
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
    bottom = _header_band(g, hr, c_lo, c_hi)
    # column labels: the lowest text in the band, the merged heading above it as its group
    heads: dict[int, list[str]] = {}
    for c in range(c_lo, c_hi + 1):
        seen: list[str] = []
        for r in range(hr, bottom + 1):
            v = fill.get((r, c), g.cell(r, c))
            if isinstance(v, str) and v.strip():
                s = squash(v)
                if s not in seen:
                    seen.append(s)
        heads[c] = seen
    # rows under the band: units of measure, column numbers
    r = bottom + 1
    col_units: dict[int, str] = {}
    col_nums: dict[int, str] = {}
    for _ in range(2):
        if r >= len(g.rows):
            break
        vals = {c: g.text(r, c) for c in range(c_lo, c_hi + 1) if g.text(r, c)}
        if vals and all(_is_measure(v) or squash(v) in UNIT_HEADERS for v in vals.values()) and any(_is_measure(v) for v in vals.values()):
            col_units = {c: v.strip("()（） ") for c, v in vals.items() if _is_measure(v)}
            r += 1
        elif vals and all(_COLNUM.match(squash(v)) for v in vals.values()) and len(vals) >= 2:
            col_nums = {c: squash(v).strip("()（）") for c, v in vals.items()}
            r += 1
    body_start = r
    # which columns are labels (主栏, 序号, 计量单位) and which are to be filled
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
    label_cols = [c for c, k in corner.items() if k == "label"]
    if not label_cols:
        return None
    label_col = label_cols[0]
    unit_col = next((c for c, k in corner.items() if k == "unit"), None)
    seq_col = next((c for c, k in corner.items() if k == "seq"), None)
    value_cols = [c for c in range(c_lo, c_hi + 1) if c not in corner and squash(heads[c][-1] if heads[c] else "") not in NOTE_HEADERS]
    if len(value_cols) < 1:
        return None
    corner_text = heads[label_col][-1] if heads[label_col] else ""
    # the body: rows with a label (blank rows allowed in between)
    body: list[int] = []
    blanks = 0
    rr = body_start
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
    if not body:
        return None
    wide = squash(corner_text) in UNIT_COL_HEADERS
    labelled = [r for r in body if g.text(r, label_col)]
    t = FormTable(g.name, "wide" if wide else "crosstab", "", "", "", hr, body[-1], label_col=label_col, value_cols=value_cols)
    default_unit = _table_unit(g, hr, 0)
    # column labels, unique within the table
    leaf = {c: (heads[c][-1] if heads[c] else "") for c in value_cols}
    for c in value_cols:
        if not leaf[c]:
            raise FormError(f"工作表“{g.name}”{cell_ref(bottom, c)}：这一列没有栏目名称，无法确定要填什么")
    names: dict[int, str] = {}
    for c in value_cols:
        name = leaf[c]
        if list(leaf.values()).count(name) > 1 and len(heads[c]) > 1:
            name = heads[c][-2] + name
        names[c] = name
        if len(heads[c]) > 1:
            t.col_groups[name] = heads[c][-2]
    dup = [n for n in names.values() if list(names.values()).count(n) > 1]
    if dup:
        c = next(c for c, n in names.items() if n == dup[0])
        raise FormError(f"工作表“{g.name}”{cell_ref(bottom, c)}：栏目“{dup[0]}”在表中出现两次，无法区分")
    t.col_labels = [names[c] for c in value_cols]
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
    if not labelled:
        return None
    seen: dict[str, str] = {}
    last_total: str | None = None
    in_qizhong = False
    block = ""
    for r in labelled:
        raw = g.cell(r, label_col)
        label, sub, bracket_unit = clean_label(raw)
        # a 主栏 heading merged across the figures (or alone on its row): a block of rows
        if fill.get((r, value_cols[0])) is raw or (
                _NUMBERING.match(str(raw)) and re.match(r"^\s*[(（]?[一二三四五六七八九十]", str(raw))
                and all(g.cell(r, c) in (None, "") for c in value_cols)):
            block = label
            continue
        if label == "其中":
            in_qizhong = True
            continue
        indented = isinstance(raw, str) and raw[:1] in (" ", "\u3000")
        sub = sub or (in_qizhong and indented)
        if not sub:
            in_qizhong = False
        if label in seen and sub and last_total is not None:
            label = f"{last_total}·{label}"  # the same 其中 row under two totals
        if label in seen:
            raise FormError(f"工作表“{g.name}”{cell_ref(r, label_col)}：主栏“{label}”在表中出现两次（另一处 {seen[label]}），无法区分")
        seen[label] = cell_ref(r, label_col)
        row_unit = (g.text(r, unit_col).strip("()（） ") if unit_col is not None and g.text(r, unit_col) else None) or bracket_unit
        t.row_labels.append(label)
        t.body_rows.append(r)
        if block:
            t.groups_of_rows[label] = block
        if seq_col is not None and g.text(r, seq_col):
            t.row_numbers[squash(g.text(r, seq_col)).strip("()（）.、")] = label
        if label in TOTAL_LABELS:
            t.total_rows.append(label)
        elif sub and last_total is not None:
            t.sub_rows[label] = last_total
            in_qizhong = True
        else:
            last_total = label
        for c in value_cols:
            col_label = names[c]
            _, _, col_bracket = clean_label(col_label)
            unit = col_units.get(c) or row_unit or col_bracket or default_unit
            t.cells.append(FormCell(r, c, f"{label}·{clean_label(col_label)[0]}", unit, row_label=label,
                                    col_label=col_label, formula=(r, c) in g.formulas))
    return t


def _numberlike(v) -> bool:
    if isinstance(v, (int, float)):
        return True
    from .numbers import NumberError, parse_value

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



# ---- relations ---------------------------------------------------------------------------------------
def _relations_in(text: str, sheet: str, cell: str) -> list[tuple[str, str, str]]:
    flat = squash(text).replace("＝", "=").replace("＋", "+")
    return [(m.group(0), sheet, cell) for m in _RELATION.finditer(flat) if "+" in m.group(0) or m.group(2) != "="
            or re.search(r"栏|行|列", m.group(0))]


def assign_help_relations(tables: list[FormTable], grids: list[Grid]):
    """Relations written on a 填表说明 sheet (a sheet with no table) go to the table they name
    (表1、表2 …), or to the only table; otherwise the form is ambiguous."""
    with_tables = {t.sheet for t in tables}
    for g in grids:
        if g.name in with_tables:
            continue
        for r, row in enumerate(g.rows):
            for c, v in enumerate(row):
                if not isinstance(v, str):
                    continue
                rels = _relations_in(v, g.name, cell_ref(r, c))
                if not rels:
                    continue
                named = [t for t in tables if any(squash(a) in squash(v) for a in t.aliases) or (t.title and t.title in squash(v))]
                if len(named) == 1:
                    named[0].relations.extend(rels)
                elif len(tables) == 1:
                    tables[0].relations.extend(rels)
                else:
                    raise FormError(f"工作表“{g.name}”{cell_ref(r, c)}：表内关系“{rels[0][0]}”没有写明属于哪张表"
                                    f"（本表格有 {'、'.join(t.code for t in tables)}）；请在这一行写上表号，如“表1：{rels[0][0]}”")


def relation_terms(t: FormTable, rel: str, sheet: str, cell: str):
    """(axis 'row'|'col', [(sign, label)] left, op, [(sign, label)] right) for one stated relation."""
    m = _RELATION.fullmatch(rel)
    left, op, right = m.group(1), OPS[m.group(2)], m.group(3)
    kinds = set(re.findall(r"栏|行|列", rel))
    if kinds == {"行"}:
        axis = "row"
    elif kinds and kinds <= {"栏", "列"}:
        axis = "col"
    elif kinds:
        raise FormError(f"工作表“{sheet}”{cell}：关系“{rel}”中行和栏混在一起，无法判断")
    elif t.kind == "long":
        axis = "row"
    elif t.col_numbers and not t.row_numbers:
        axis = "col"
    elif t.row_numbers and not t.col_numbers:
        axis = "row"
    else:
        raise FormError(f"工作表“{sheet}”{cell}：关系“{rel}”没有写明是行还是栏（如“第1栏=第2栏+第3栏”），"
                        f"而{t.code}的行和栏都有编号")
    numbers = t.row_numbers if axis == "row" else t.col_numbers

    def side(expr: str):
        out = []
        for sign, num in re.findall(r"([+\-]?)第?(\d+)(?:栏|行|列)?", expr):
            if num not in numbers:
                what = "行（序号）" if axis == "row" else "栏（栏号）"
                raise FormError(f"工作表“{sheet}”{cell}：关系“{rel}”中的 {num} 在{t.code}中找不到对应的{what}")
            out.append((sign or "+", numbers[num]))
        return out

    return axis, side(left), op, side(right)
