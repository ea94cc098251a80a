"""The shape of a statistical form as the level above sends it: its tables and their cells to fill.

A form is read from a grid of values (a read.cells.Sheet, from openpyxl or the reader) with its merged ranges. Three
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

This module holds the model (Grid, FormTable, FormCell) and the reading of grids; the vocabulary of
headers and labels is tables.headers (shared with the return parsers), tables.finder finds and reads
the tables, tables.relations the stated relations.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from gwstats.core.errors import GwstatsError
from gwstats.core.text import nfkc, squash, unit_in_brackets
from gwstats.read.cells import Sheet, cell_ref
from gwstats.tables.headers import MEASURES, TOTAL_LABELS  # noqa: F401  (TOTAL_LABELS: forms.from_form)

NUMBERING = re.compile(r"^\s*(?:[(（]?[一二三四五六七八九十]+[)）、.．]|[(（]\d+[)）]|\d+[、.．](?!\d))\s*")
_QIZHONG = re.compile(r"^\s*其中\s*[:：]?\s*")


class FormError(GwstatsError):
    exit_code = 1


# A form's sheet is the reader's Sheet (one grid class); `formulas` holds its formula cells.
Grid = Sheet


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
            out.append(Grid(ws.title, []))
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
        out.append(Grid(ws.title, rows, merged, formulas=formulas))
    return out


def open_workbook(path, **options):
    """openpyxl's load_workbook, its warnings about unsupported extensions kept off the console."""
    import warnings

    from openpyxl import load_workbook

    from gwstats.core.errors import UsageError, in_use, read_problem

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return load_workbook(path, **options)
        except OSError as exc:
            if in_use(exc):
                raise UsageError(read_problem(path, exc)) from None
            raise


def load_form(path) -> list[Grid]:
    from pathlib import Path

    path = Path(path)
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        raise FormError(f"表格 {path.name} 应为 .xlsx 文件（.xls 请先用 Excel/WPS 另存为 .xlsx）")
    try:
        wb = open_workbook(path)
    except FileNotFoundError:
        raise FormError(f"找不到表格文件：{path}") from None
    except GwstatsError:  # open in Excel or WPS
        raise
    except Exception as exc:  # not a workbook, damaged zip, encrypted
        raise FormError(f"表格 {path.name} 无法打开（{type(exc).__name__}）：请确认是 Excel .xlsx 文件且没有设置打开密码") from None
    return grids_from_openpyxl(wb)


def is_measure(text: str) -> bool:
    return text.strip("()（） ") in MEASURES


def clean_label(text: str) -> tuple[str, bool, str | None]:
    """(label without numbering, 其中 prefix and unit brackets; is a 其中 row; unit in brackets)."""
    t = nfkc(str(text)).strip()
    sub = bool(_QIZHONG.match(t)) and len(_QIZHONG.sub("", t)) > 0
    t = _QIZHONG.sub("", t)
    t = NUMBERING.sub("", t)
    unit = unit_in_brackets(t)
    if unit and is_measure(unit):
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
