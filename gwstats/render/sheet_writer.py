"""Writing one sheet of the rollup workbook: title and header rows, borders and number formats,
column widths measured from the longest value as shown, wrapping and row heights."""

from __future__ import annotations

import unicodedata
from copy import copy
from functools import lru_cache
from decimal import ROUND_HALF_UP, Decimal

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from gwstats.core.formatting import RISKY_START, fixed

PAGE_COLUMNS = 15  # columns of figures a landscape A4 page holds legibly


MAX_WIDTH = 40  # widest column (display width); longer text wraps onto more lines


MAX_ROWS = 100_000  # per detail sheet; beyond that the sheet says so (see gwstats trace)


THIN = Side(style="thin", color="999999")


BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)


HEAD_FILL = PatternFill("solid", fgColor="DDEBF7")


TOTAL_FILL = PatternFill("solid", fgColor="F2F2F2")


FMT = {"count": "#,##0", "amount": "#,##0.00", "rate": "0.0%", "number": "0.00", "change_pp": '+0.0"个百分点";-0.0"个百分点";0.0"个百分点"'}
FONT_NAME = "宋体"  # one family on every sheet (Calibri for figures and a fallback for Chinese otherwise)
TITLE_FONT = Font(name=FONT_NAME, bold=True, size=14)
SUB_FONT = Font(name=FONT_NAME, color="666666")
NOTE_FONT = Font(name=FONT_NAME, italic=True, color="666666")
BOLD = Font(name=FONT_NAME, bold=True)
BODY_FONT = Font(name=FONT_NAME)
WRAP = Alignment(wrap_text=True, vertical="top")
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)


def display_width(text) -> int:
    if text is None:
        return 0
    text = str(text)
    if text.isascii():  # figures, codes, dates: one column a character
        return len(text)
    return _wide_width(text)


@lru_cache(maxsize=4096)
def _wide_width(text: str) -> int:
    """Kept per text: a cell's width is measured when it is written and again for its row's height, and
    a province's 同比 names the same 200 units left out in many cells (23 MB of sheet XML at 100k)."""
    return sum(map(_WIDTHS.__getitem__, text))


class _Widths(dict):
    """Display width of a character (2: East Asian wide or full-width), looked up once per character."""

    def __missing__(self, c: str) -> int:
        w = self[c] = 2 if unicodedata.east_asian_width(c) in ("W", "F") else 1
        return w


_WIDTHS = _Widths()


def safe_text(cell, value: str):
    """Write user-supplied text so that Excel never evaluates it."""
    cell.value = value
    if value.startswith(RISKY_START) or cell.data_type == "f":
        cell.data_type = "s"
        cell.quotePrefix = True


class SheetWriter:
    """Collects a sheet's rows, then streams them into a write-only workbook (column widths must be
    known before the first row is written, and streaming keeps big sheets fast and small)."""

    def __init__(self, wb: Workbook, title: str, heading: str, subtitle: str | None = None,
                 print_header: str = ""):
        self.wb = wb
        self.print_header = print_header or heading
        self.title = title
        self.rows: list[tuple[str, list, list | None]] = [("title", [heading], None)]
        if subtitle:
            self.rows.append(("subtitle", [subtitle], None))
        self.widths: dict[int, int] = {}
        self.freeze: str | None = None
        self.ncols = 0
        self.hidden: set[int] = set()  # columns kept for machines (gwstats reads them back), not printed
        self._styles: dict = {}

    def hide(self, k: int):
        self.hidden.add(k)

    def block(self, text: str):
        """A row naming the block of rows below it (汇总: one hierarchy level per block)."""
        self.rows.append(("block", [text], None))

    def header(self, names: list[str], freeze_cols: int = 1):
        self.header_row = len(self.rows) + 1
        self.ncols = max(self.ncols, len(names))
        names = [header_lines(n) if isinstance(n, str) else n for n in names]
        for k, name in enumerate(names, 1):
            # longer headers wrap; a unit （个） is never split from its brackets; a header with other
            # words in brackets (2019年（可比口径）) gets the room to stay whole
            widest = HEAD_WIDTH_BRACKETS if "（" in str(name) and "\n" not in str(name) else HEAD_WIDTH
            need = max((min(display_width(part), widest) for part in str(name).split("\n")), default=0)
            self.widths[k] = max(self.widths.get(k, 0), need)
        self.freeze = f"{get_column_letter(freeze_cols + 1)}{len(self.rows) + 2}"
        self.rows.append(("header", list(names), None))

    def write(self, values: list, formats: list[str | None] | None = None, total: bool = False):
        for k, v in enumerate(values, 1):
            fmt = formats[k - 1] if formats and k - 1 < len(formats) else None
            w = display_width(shown_text(v, fmt))
            if w > self.widths.get(k, 0):
                self.widths[k] = min(w, MAX_WIDTH)  # longer text wraps (see finish)
        self.rows.append(("total" if total else "body", values, formats))

    def note(self, text: str):
        self.rows.append(("note", [text], None))

    def finish(self):
        ws = self.wb.create_sheet(self.title)
        for k, w in self.widths.items():
            ws.column_dimensions[get_column_letter(k)].width = max(6, w + 2)
            if k in self.hidden:
                ws.column_dimensions[get_column_letter(k)].hidden = True
        if self.freeze:
            ws.freeze_panes = self.freeze
        if self.ncols > 1:
            ws.merged_cells.add(f"A1:{get_column_letter(min(self.ncols, 12))}1")
        self._print_setup(ws)
        shown_width = sum(max(6, w + 2) for k, w in self.widths.items() if k not in self.hidden) or 60
        for n, (kind, values, formats) in enumerate(self.rows, 1):
            # wrapped text: as many lines as the longest cell needs (set before rows stream; Excel and
            # LibreOffice do not grow a row for wrapped text when the file is opened)
            if kind == "note" and self.ncols > 1:
                ws.merged_cells.add(f"A{n}:{get_column_letter(self.ncols)}{n}")
                lines = -(-display_width(values[0]) // shown_width)
            elif kind in ("header", "body", "total"):
                lines = max((sum(-(-display_width(part) // max(6, self.widths.get(k, 0)))
                                 for part in shown_text(v, formats[k - 1] if formats and k - 1 < len(formats) else None).split("\n"))
                             for k, v in enumerate(values, 1)), default=1)
            else:
                lines = 1
            if lines > 1:
                ws.row_dimensions[n].height = 15 * lines
        for kind, values, formats in self.rows:
            ws.append([self._cell(ws, kind, k, v, formats) for k, v in enumerate(values)])
        self.rows = []

    def _print_setup(self, ws):
        """Prints as it comes: A4 landscape, one page wide, the title and header rows on every page,
        organisation and year at the top, page numbers at the foot, the print area the filled cells."""
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = 9  # A4
        # one page wide; a sheet of many figures (汇总: a column per metric) would print too small to
        # read on one page, so it takes a page per PAGE_COLUMNS columns with the names repeated
        wide = max(1, -(-(self.ncols - 1) // PAGE_COLUMNS)) if self.ncols > PAGE_COLUMNS + 1 else 1
        ws.page_setup.fitToWidth = wide
        ws.page_setup.fitToHeight = 0  # as many pages down as it takes
        if wide > 1:
            ws.print_title_cols = "A:A"
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.print_options.horizontalCentered = True
        ws.page_margins.left = ws.page_margins.right = 0.5
        ws.page_margins.top = ws.page_margins.bottom = 0.75
        last = max(self.ncols, 1)
        head = getattr(self, "header_row", 1)
        ws.print_title_rows = f"1:{head}"
        ws.print_area = f"A1:{get_column_letter(last)}{max(len(self.rows), 1)}"
        # the title is row 1, repeated on every page with the header rows: not again in the page header
        ws.oddFooter.center.text = "第 &P 页，共 &N 页"
        ws.oddFooter.right.text = self.title.replace("&", "&&")

    def _cell(self, ws, kind: str, k: int, v, formats):
        c = WriteOnlyCell(ws)
        quote = False
        if v is None:
            pass
        elif isinstance(v, str):
            c.value = v
            if v.startswith(RISKY_START) or c.data_type == "f":
                c.data_type = "s"  # user-supplied text: never a formula
                quote = True
        elif isinstance(v, bool):
            c.value = "是" if v else "否"
        else:
            c.value = v
        fmt = None
        if kind in ("body", "total"):
            fmt = formats[k] if formats and k < len(formats) else None
            if v is None or isinstance(v, str):
                fmt = None
        # Styles are set once per combination on a template cell and copied (setting a Border or
        # Font on every cell hashes it each time: minutes for a province-sized sheet).
        wrap = kind in ("body", "total", "note") and isinstance(v, str) and (
            display_width(v) > self.widths.get(k + 1, 0) or kind == "note")
        key = (kind, fmt, quote, wrap)
        style = self._styles.get(key)
        if style is None:
            t = WriteOnlyCell(ws)
            if kind == "title":
                t.font = TITLE_FONT
            elif kind == "subtitle":
                t.font = SUB_FONT
            elif kind == "note":
                t.font = NOTE_FONT
                t.alignment = WRAP
            elif kind == "block":
                t.font = BOLD
            elif kind == "header":
                t.font, t.fill, t.border, t.alignment = BOLD, HEAD_FILL, BORDER, CENTER
            else:
                t.border, t.font = BORDER, BODY_FONT
                if wrap:
                    t.alignment = WRAP
                if fmt:
                    t.number_format = fmt
                if kind == "total":
                    t.font, t.fill = BOLD, TOTAL_FILL
            if quote:
                t.quotePrefix = True
            style = self._styles[key] = t._style
        c._style = copy(style)
        return c


HEAD_WIDTH = 12  # a header wider than this wraps
HEAD_WIDTH_BRACKETS = 20  # room for a header with words in brackets: 2019年（可比口径）
# units of measure a header names in brackets: （个） （万元） （场次）, not （可比口径） or （全部）
MEASURES = {"个", "人", "所", "场次", "人次", "次", "对", "篇", "万元", "元", "千元", "%", "件", "户", "名", "场",
            "期", "份", "处", "项", "天", "小时", "万人次", "套", "本", "册", "台"}


def header_lines(name: str) -> str:
    """A header too wide for its column breaks before its unit of measure, and its words break where
    the words allow (:mod:`.head_words`): ``达到五好标准\n组织数\n（个）``, so the wrap never falls
    inside （个）, before its ）, or before the 数 of 组织数."""
    from gwstats.render.head_words import lines

    if display_width(name) <= HEAD_WIDTH or "\n" in name:
        return name
    main, paren, unit = name.partition("（")
    if not paren:
        return "\n".join(lines(name, HEAD_WIDTH))
    if not main or unit[:-1] not in MEASURES or not unit.endswith("）"):
        return name  # other words in brackets (2019年（可比口径）): room to stay whole (HEAD_WIDTH_BRACKETS)
    return "\n".join(lines(main, HEAD_WIDTH)) + f"\n（{unit}"


def shown_text(v, fmt) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and fmt == FMT["rate"]:
        return f"{fixed(v * 100, 1)}%"
    if isinstance(v, (int, float, Decimal)) and fmt == FMT["change_pp"]:
        return f"{fixed(v, 1, sign=True)}个百分点"  # +7.8个百分点: the 增减 of a rate row
    if isinstance(v, (int, Decimal)) and fmt == FMT["count"]:
        return f"{int(v):,}"
    if isinstance(v, (Decimal, float)) and fmt == FMT["amount"]:
        return f"{Decimal(repr(v) if isinstance(v, float) else v).quantize(Decimal('0.01'), rounding=ROUND_HALF_UP):,f}"
    return str(v)
