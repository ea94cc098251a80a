"""Writing one sheet of the rollup workbook: title and header rows, borders and number formats,
column widths measured from the longest value as shown, wrapping and row heights. The sheets are
written by XlsxWriter in constant_memory mode (each row goes to disk as the next one starts)."""

from __future__ import annotations

import datetime as dt
import unicodedata
from functools import lru_cache
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import xlsxwriter
from xlsxwriter.exceptions import FileCreateError
from xlsxwriter.utility import xl_col_to_name

from gwstats.core.formatting import RISKY_START, fixed

PAGE_COLUMNS = 15  # columns of figures a landscape A4 page holds legibly


MAX_WIDTH = 40  # widest column (display width); longer text wraps onto more lines


MAX_ROWS = 100_000  # per detail sheet; beyond that the sheet says so (see gwstats trace)


FMT = {"count": "#,##0", "amount": "#,##0.00", "rate": "0.0%", "number": "0.00", "change_pp": '+0.0"个百分点";-0.0"个百分点";0.0"个百分点"'}
FONT_NAME = "宋体"  # one family on every sheet (Calibri for figures and a fallback for Chinese otherwise)
GREY = "#666666"
BORDER = {"border": 1, "border_color": "#999999"}  # thin, all four sides
HEAD_FILL = {"pattern": 1, "bg_color": "#DDEBF7"}
TOTAL_FILL = {"pattern": 1, "bg_color": "#F2F2F2"}
TITLE_FONT = {"font_name": FONT_NAME, "bold": True, "font_size": 14}
SUB_FONT = {"font_name": FONT_NAME, "font_color": GREY}
NOTE_FONT = {"font_name": FONT_NAME, "italic": True, "font_color": GREY}
BOLD = {"font_name": FONT_NAME, "bold": True}
BODY_FONT = {"font_name": FONT_NAME}
WRAP = {"text_wrap": True, "valign": "top"}
CENTER = {"align": "center", "valign": "vcenter", "text_wrap": True}
# XlsxWriter stores a width w as (round(7 w) + 5) / 7 (Excel's 5 pixels of padding); passing the
# width less 5/7 stores exactly the width asked for, as the openpyxl writer did
_PADDING = 5 / 7


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


class Book:
    """The workbook being written: sheets stream into an XlsxWriter workbook (constant_memory) as each
    SheetWriter finishes; :meth:`save` writes the file (through ``write_whole``: a temporary name, then
    renamed, so a target is never left half-written). Text is never turned into a formula or a link."""

    def __init__(self):
        self._xw = xlsxwriter.Workbook(None, {"constant_memory": True, "strings_to_formulas": False,
                                              "strings_to_urls": False, "strings_to_numbers": False})
        self._formats: dict = {}

    def sheet(self, title: str):
        return self._xw.add_worksheet(title)

    def format(self, key: tuple):
        """One format per (kind, number format, quote prefix, wrap), made on first use."""
        f = self._formats.get(key)
        if f is None:
            f = self._formats[key] = self._xw.add_format(_style(*key))
        return f

    def save(self, path) -> None:
        self._xw.filename = str(Path(path))  # the file is only opened here (close), the sheets are on disk
        try:
            self._xw.close()
        except FileCreateError as exc:
            cause = exc.args[0] if exc.args else None
            raise cause if isinstance(cause, OSError) else OSError(str(exc)) from None


def _style(kind: str, fmt: str | None, quote: bool, wrap: bool) -> dict:
    if kind == "title":
        props = dict(TITLE_FONT)
    elif kind == "subtitle":
        props = dict(SUB_FONT)
    elif kind == "note":
        props = {**NOTE_FONT, **WRAP}
    elif kind == "block":
        props = dict(BOLD)
    elif kind == "header":
        props = {**BOLD, **HEAD_FILL, **BORDER, **CENTER}
    else:
        props = {**BORDER, **(BOLD if kind == "total" else BODY_FONT)}
        if wrap:
            props.update(WRAP)
        if fmt:
            props["num_format"] = fmt
        if kind == "total":
            props.update(TOTAL_FILL)
    if quote:
        props["quote_prefix"] = True
    return props


def _number(v) -> float:
    """A figure as the openpyxl writer stored it: 16 significant digits of the float (XlsxWriter writes
    ``%.16G`` of the float given; an exact Decimal goes through float as openpyxl's did)."""
    return float(v)


_FIGURES = {Decimal, int, float}  # exactly these classes (a bool is 是/否)


class SheetWriter:
    """Collects a sheet's rows, then streams them into the workbook (column widths must be known
    before the first row is written, and streaming keeps big sheets fast and small)."""

    def __init__(self, wb: Book, title: str, heading: str, subtitle: str | None = None,
                 print_header: str = ""):
        self.wb = wb
        self.print_header = print_header or heading
        self.title = title
        # (kind, values, number formats, the cells that may take more than one line)
        self.rows: list[tuple[str, list, list | None, list | None]] = [("title", [heading], None, None)]
        if subtitle:
            self.rows.append(("subtitle", [subtitle], None, None))
        self.widths: dict[int, int] = {}
        self.freeze: str | None = None
        self.ncols = 0
        self.hidden: set[int] = set()  # columns kept for machines (gwstats reads them back), not printed

    def hide(self, k: int):
        self.hidden.add(k)

    def block(self, text: str):
        """A row naming the block of rows below it (汇总: one hierarchy level per block)."""
        self.rows.append(("block", [text], None, None))

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
        self.freeze = f"{xl_col_to_name(freeze_cols)}{len(self.rows) + 2}"
        names = list(names)
        self.rows.append(("header", names, None, [(k, [display_width(part) for part in str(name).split("\n")])
                                                  for k, name in enumerate(names, 1) if name is not None]))

    def write(self, values: list, formats: list[str | None] | None = None, total: bool = False):
        widths = self.widths
        tall = None  # cells that may need more than one line: text wider than MAX_WIDTH, or a line break
        for k, v in enumerate(values, 1):
            if v.__class__ is str:  # most cells of a big sheet: text shown as it is
                text = v
            else:
                text = shown_text(v, formats[k - 1] if formats and k - 1 < len(formats) else None)
            w = len(text) if text.isascii() else _wide_width(text)
            if w > widths.get(k, 0):
                widths[k] = min(w, MAX_WIDTH)  # longer text wraps (see finish)
            if w > MAX_WIDTH or "\n" in text:
                tall = tall or []
                tall.append((k, [display_width(part) for part in text.split("\n")]))
        self.rows.append(("total" if total else "body", values, formats, tall))

    def note(self, text: str):
        self.rows.append(("note", [text], None, None))

    def finish(self):
        ws = self.wb.sheet(self.title)
        for k, w in self.widths.items():
            ws.set_column(k - 1, k - 1, max(6, w + 2) - _PADDING, None, {"hidden": True} if k in self.hidden else None)
        if self.freeze:
            ws.freeze_panes(self.freeze)
        self._print_setup(ws)
        widths = self.widths
        shown_width = sum(max(6, w + 2) for k, w in widths.items() if k not in self.hidden) or 60
        last_col = self.ncols - 1
        fmt_of, blank, string, number = self.wb.format, ws.write_blank, ws.write_string, ws.write_number
        for r, (kind, values, formats, tall) in enumerate(self.rows):
            # wrapped text: as many lines as the longest cell needs (set before the row is written; Excel
            # and LibreOffice do not grow a row for wrapped text when the file is opened). A cell no
            # wider than MAX_WIDTH and without a line break fits its column (measured in write).
            if kind == "note" and self.ncols > 1:
                lines = -(-display_width(values[0]) // shown_width)
            elif tall:
                lines = max(sum(-(-w // max(6, widths.get(k, 0))) for w in parts) for k, parts in tall)
            else:
                lines = 1
            if lines > 1:
                ws.set_row(r, 15 * lines)
            if (kind == "note" or kind == "title") and self.ncols > 1:
                v = values[0]
                f = fmt_of(self._key(kind, 0, v, formats))
                ws.merge_range(r, 0, r, last_col if kind == "note" else min(self.ncols, 12) - 1, "", f)
                self._put(ws, r, 0, kind, v, formats)
                continue
            body = kind == "body" or kind == "total"
            for k, v in enumerate(values):
                # the format of a cell: (kind, number format, quote prefix, wrap), as _key, inline
                if v is None or v == "":
                    blank(r, k, None, fmt_of((kind, None, False, kind == "note" and v == "")))
                elif v.__class__ is str:
                    # text wraps where it is wider than its column (only text wider than MAX_WIDTH can be,
                    # and display width is at most twice the length)
                    wrap = kind == "note" or (body and len(v) * 2 > MAX_WIDTH and display_width(v) > widths.get(k + 1, 0))
                    string(r, k, v, fmt_of((kind, None, v.startswith(RISKY_START), wrap)))
                elif v.__class__ in _FIGURES:
                    fmt = formats[k] if body and formats and k < len(formats) else None
                    number(r, k, _number(v), fmt_of((kind, fmt, False, False)))
                else:
                    self._put(ws, r, k, kind, v, formats)
        self.rows = []

    def _print_setup(self, ws):
        """Prints as it comes: A4 landscape, one page wide, the title and header rows on every page,
        organisation and year at the top, page numbers at the foot, the print area the filled cells."""
        ws.set_landscape()
        ws.set_paper(9)  # A4
        # one page wide; a sheet of many figures (汇总: a column per metric) would print too small to
        # read on one page, so it takes a page per PAGE_COLUMNS columns with the names repeated
        wide = max(1, -(-(self.ncols - 1) // PAGE_COLUMNS)) if self.ncols > PAGE_COLUMNS + 1 else 1
        ws.fit_to_pages(wide, 0)  # as many pages down as it takes
        if wide > 1:
            ws.repeat_columns(0, 0)
        ws.center_horizontally()
        ws.set_margins(left=0.5, right=0.5, top=0.75, bottom=0.75)
        last = max(self.ncols, 1)
        head = getattr(self, "header_row", 1)
        ws.repeat_rows(0, head - 1)
        ws.print_area(0, 0, max(len(self.rows), 1) - 1, last - 1)
        # the title is row 1, repeated on every page with the header rows: not again in the page header
        ws.set_footer("&C第 &P 页，共 &N 页&R" + self.title.replace("&", "&&"), {"margin": 0.5})
        ws.set_header("", {"margin": 0.5})  # header and footer 0.5 in from the edge, as before

    def _key(self, kind: str, k: int, v, formats) -> tuple:
        quote = isinstance(v, str) and v.startswith(RISKY_START)
        fmt = None
        if kind in ("body", "total") and v is not None and not isinstance(v, str):
            fmt = formats[k] if formats and k < len(formats) else None
        wrap = kind in ("body", "total", "note") and isinstance(v, str) and (
            kind == "note" or display_width(v) > self.widths.get(k + 1, 0))
        return (kind, fmt, quote, wrap)

    def _put(self, ws, r: int, k: int, kind: str, v, formats):
        """One cell: text always as text (quote prefix where Excel could read it as a formula), 是/否
        for a yes/no, figures as numbers, dates as dates."""
        f = self.wb.format(self._key(kind, k, v, formats))
        if v is None or v == "":
            ws.write_blank(r, k, None, f)  # an empty text is a blank cell, as openpyxl wrote it
        elif isinstance(v, str):
            ws.write_string(r, k, v, f)
        elif isinstance(v, bool):
            ws.write_string(r, k, "是" if v else "否", f)
        elif isinstance(v, (dt.date, dt.datetime, dt.time)):
            ws.write_datetime(r, k, v, f)
        else:
            ws.write_number(r, k, _number(v), f)


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
