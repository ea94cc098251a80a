"""The report's Word layout: page set-up, styles, tables, pictures and footer (python-docx).

A report is written either on the house document (:func:`default_document`, also shipped as
``templates/报告模板.docx``) or on an office's own .docx: its styles, page set-up and header/footer
(letterhead) are kept and only its body is replaced.
"""

from __future__ import annotations

import io
import unicodedata
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Emu, Mm, Pt

from gwstats.core.errors import UsageError
from gwstats.render import head_words as HW
from gwstats.render.docx_rows import RowWriter
from gwstats.render.table_split import split_columns
from gwstats.render.docx_document import APPENDIX_WORD, add_ending, set_language, set_properties, title_font
from gwstats.core.output import write_whole

BODY_FONT, BODY_SIZE = "仿宋", 16  # 三号
HEADING_FONT, HEADING_SIZE = "黑体", 16  # 三号
HEADING2_SIZE = 14  # 四号
TITLE_FONT, TITLE_SIZE = "宋体", 22  # 二号; bold 宋体 stands in for 小标宋 where it is not installed
MARGINS_MM = (37, 35, 28, 26)  # top, bottom, left, right: GB/T 9704 (版心 156 mm × 225 mm)
TABLE_FONT = "宋体"
TABLE_SIZE, TABLE_SIZE_WIDE = 10.5, 9  # 五号; 小五 only for tables too wide for 五号
CAPTION_FONT, CAPTION_SIZE = "黑体", 12  # 小四
FOOTER_SIZE = 10.5
LATIN_FONT = "Times New Roman"
STYLE_NAMES = ("Normal", "Title", "Heading 1", "Heading 2", "Caption")


# ---- the house document ------------------------------------------------------------------------
def _fonts(style, east: str, size: float | None = None, bold: bool | None = None, latin: str = LATIN_FONT):
    style.font.name = latin
    rpr = style.element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    for attr in list(rfonts.attrib):  # theme fonts would win over the names below
        if attr.endswith("Theme"):
            del rfonts.attrib[attr]
    rfonts.set(qn("w:ascii"), latin)
    rfonts.set(qn("w:hAnsi"), latin)
    rfonts.set(qn("w:eastAsia"), east)
    rfonts.set(qn("w:cs"), latin)
    if size:
        style.font.size = Pt(size)
    if bold is not None:
        style.font.bold = bold
    style.font.color.rgb = None
    color = rpr.find(qn("w:color"))
    if color is not None:
        rpr.remove(color)


def _no_border(style):
    """Word's default Title has a blue rule under it; an official report has none."""
    ppr = style.element.get_or_add_pPr()
    for tag in ("w:pBdr",):
        el = ppr.find(qn(tag))
        if el is not None:
            ppr.remove(el)


def default_document():
    """A4, 公文-like margins, 仿宋 三号 body, 黑体 headings, 宋体 title without a rule, page numbers."""
    doc = Document()
    sec = doc.sections[0]
    sec.orientation = WD_ORIENT.PORTRAIT
    sec.page_width, sec.page_height = Cm(21), Cm(29.7)
    top, bottom, left, right = MARGINS_MM
    sec.top_margin, sec.bottom_margin = Mm(top), Mm(bottom)
    sec.left_margin, sec.right_margin = Mm(left), Mm(right)
    sec.footer_distance = Cm(1.5)
    st = doc.styles
    _fonts(st["Normal"], BODY_FONT, BODY_SIZE)
    pf = st["Normal"].paragraph_format
    pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    pf.line_spacing = Pt(28)
    pf.space_before = pf.space_after = Pt(0)
    east, bold = title_font()
    _fonts(st["Title"], east, TITLE_SIZE, bold)
    _no_border(st["Title"])
    tf = st["Title"].paragraph_format
    tf.alignment = WD_ALIGN_PARAGRAPH.CENTER
    tf.space_before, tf.space_after = Pt(12), Pt(18)
    tf.line_spacing_rule = WD_LINE_SPACING.SINGLE
    for name, size in (("Heading 1", HEADING_SIZE), ("Heading 2", HEADING2_SIZE)):
        _fonts(st[name], HEADING_FONT, size, False)
        st[name].font.italic = False
        hf = st[name].paragraph_format
        hf.space_before, hf.space_after = Pt(12), Pt(6)
        hf.keep_with_next = True
        hf.first_line_indent = Pt(2 * size)
    _fonts(st["Caption"], CAPTION_FONT, CAPTION_SIZE, False)
    cf = st["Caption"].paragraph_format
    cf.alignment = WD_ALIGN_PARAGRAPH.CENTER
    cf.line_spacing_rule = WD_LINE_SPACING.SINGLE
    cf.space_before, cf.space_after = Pt(6), Pt(6)
    set_language(doc)
    set_properties(doc, "关心下一代工作统计分析", "")
    return doc


def write_default_template(path: Path) -> Path:
    """templates/报告模板.docx: the house document with an empty body, for an office to adapt."""
    doc = default_document()
    _page_footer(doc, "")
    write_whole(path, lambda p: doc.save(str(p)))
    return path


def open_template(path: Path):
    """An office's own .docx with its body emptied (styles, sections, header and footer kept)."""
    path = Path(path)
    if not path.is_file():
        raise UsageError(f"找不到报告模板“{path}”")
    if path.suffix.lower() != ".docx":
        raise UsageError(f"报告模板应为 .docx 文件，实际为“{path.name}”")
    try:
        doc = Document(str(path))
    except Exception as exc:  # a damaged or non-Word file
        raise UsageError(f"无法读取报告模板“{path.name}”：不是有效的 Word（.docx）文件（{type(exc).__name__}）") from exc
    body = doc.element.body
    last_sect = body.find(qn("w:sectPr"))
    for child in list(body):
        if child is not last_sect:
            body.remove(child)
    return doc


# ---- pieces ------------------------------------------------------------------------------------
def _style(doc, name: str):
    try:
        return doc.styles[name]
    except KeyError:
        return None


def _para(doc, text: str, style: str | None = None):
    st = _style(doc, style) if style else None
    p = doc.add_paragraph(text, style=st) if st is not None else doc.add_paragraph(text)
    return p


def _field(paragraph, instr: str, size: float | None = None):
    """A Word field (PAGE, NUMPAGES) inside ``paragraph``; LibreOffice and Word fill it in."""
    def run_with(el):
        r = paragraph.add_run()
        if size:
            r.font.size = Pt(size)
        r._r.append(el)
        return r

    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    run_with(begin)
    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = f" {instr} "
    run_with(text)
    sep = OxmlElement("w:fldChar")
    sep.set(qn("w:fldCharType"), "separate")
    run_with(sep)
    r = paragraph.add_run("1")
    if size:
        r.font.size = Pt(size)
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run_with(end)


def has_page_field(part) -> bool:
    return any("PAGE" in (t.text or "") for t in part._element.iter(qn("w:instrText"))) or any(
        "PAGE" in (f.get(qn("w:instr")) or "") for f in part._element.iter(qn("w:fldSimple")))


def _page_footer(doc, produced: str):
    """Page number (— 1 —) centred in every section's footer, unless the template has one; the date
    the report was produced at the right."""
    for n, sec in enumerate(doc.sections):
        footer = sec.footer
        if n and footer.is_linked_to_previous:
            continue  # the same footer as the section before
        if not has_page_field(footer):
            p = footer.paragraphs[0] if footer.paragraphs and not footer.paragraphs[0].text else footer.add_paragraph()
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            p.add_run("— ").font.size = Pt(FOOTER_SIZE + 3)
            _field(p, "PAGE", FOOTER_SIZE + 3)
            p.add_run(" —").font.size = Pt(FOOTER_SIZE + 3)
        if produced:
            q = footer.add_paragraph()
            q.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            q.add_run(produced).font.size = Pt(FOOTER_SIZE)


def text_width(text: str) -> float:
    """Width of ``text`` in ems: a Chinese character is 1, a digit or Latin letter about 0.55."""
    return sum(map(_EMS.__getitem__, text))  # the same sum, each character looked up once per process


class _Ems(dict):
    """A character's width in ems, from unicodedata once (a city's check list: 19 M characters)."""

    def __missing__(self, ch: str) -> float:
        w = self[ch] = 1.0 if unicodedata.east_asian_width(ch) in "WF" else 0.55
        return w


_EMS = _Ems()


PAD_EM = 1.3  # Word's and LibreOffice's default cell margins (0.19 cm each side) and a little air


def _wrapped(head: str, lines: int) -> float:
    """The width a header needs to fit on ``lines`` lines broken between its words (达到五好标准 / 组织数,
    :mod:`.head_words`), its unit （个） kept on a line of its own."""
    main, _, unit = head.partition("（")
    unit_w = text_width("（" + unit) + 0.6 if unit else 0  # full-width brackets render wider than 1 em
    main_w = max((text_width(x) for x in HW.balanced(main, lines)), default=0) + (0.2 if main else 0)
    return max(main_w, unit_w)


def _numeric(columns, rows) -> list[bool]:
    return [k > 0 and all(not r[k] or is_number(r[k]) for r in rows if k < len(r)) for k in range(len(columns))]


def _floors(columns, rows) -> list[float]:
    """The narrowest each column may be: figures unbroken, headers over up to 4 lines, text 4 ems."""
    numeric = _numeric(columns, rows)
    out = []
    for k, head in enumerate(columns):
        if numeric[k]:
            body = max((text_width(r[k]) for r in rows if k < len(r)), default=0)
            out.append(max(body, _wrapped(head, 4), 2.0) + PAD_EM)
        else:
            out.append(min(max((text_width(r[k]) for r in rows if k < len(r)), default=0), 4.0, ) + PAD_EM
                       if k else 6.0 + PAD_EM)
    return out


def column_widths(columns: list[str], rows: list[list[str]], available_em: float) -> list[float]:
    """Widths in ems fitted to the content: a name column as wide as its longest name (so it stays on
    one line where it can), numbers as wide as their longest figure, headers wrapped over up to 4
    lines; shrunk in proportion (numbers first) when the table is wider than the page."""
    n = len(columns)
    cells = [[text_width(r[k]) if k < len(r) else 0 for r in rows] for k in range(n)]
    numeric = _numeric(columns, rows)
    widths = []
    for k, head in enumerate(columns):
        body = max(cells[k], default=0)
        if numeric[k]:
            w = max(body, _wrapped(head, 3), 2.5)
        else:
            w = max(min(body, 16.0), _wrapped(head, 2) if k else text_width(head), 2.5)
        widths.append(w + PAD_EM)
    total = sum(widths)
    if total > available_em:
        # numbers can wrap their headers further; text columns give up room last
        floor = _floors(columns, rows)
        extra = sum(w - f for w, f in zip(widths, floor))
        need = total - available_em
        if extra > 0:
            ratio = min(1.0, need / extra)
            widths = [w - (w - f) * ratio for w, f in zip(widths, floor)]
        total = sum(widths)
        if total > available_em:
            widths = [w * available_em / total for w in widths]
    return widths


def is_number(text: str) -> bool:
    try:
        float(text.replace(",", ""))
    except ValueError:
        return False
    return True


def _borders(table):
    """Single-line grid borders set on the table itself (a template may lack the Table Grid style)."""
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "single")
        el.set(qn("w:sz"), "8" if edge in ("top", "bottom") else "4")
        el.set(qn("w:space"), "0")
        el.set(qn("w:color"), "000000")
        borders.append(el)
    tbl_pr.append(borders)


def _row_flags(row, *, header: bool = False):
    tr_pr = row._tr.get_or_add_trPr()
    cant = OxmlElement("w:cantSplit")
    tr_pr.append(cant)
    if header:
        h = OxmlElement("w:tblHeader")  # repeated at the top of every page the table runs onto
        tr_pr.append(h)


def _cell_text(cell, text: str, size: float, *, bold: bool = False, align=None, keep: bool = False,
               head: bool = False):
    p = cell.paragraphs[0]
    pf = p.paragraph_format
    pf.first_line_indent = Pt(0)
    pf.line_spacing_rule = WD_LINE_SPACING.SINGLE
    pf.space_before = pf.space_after = Pt(1)
    pf.keep_with_next = keep
    if align is not None:
        p.alignment = align
    mark = p._p.get_or_add_pPr()
    mark_rpr = OxmlElement("w:rPr")  # the paragraph mark's size sets an empty cell's height
    for tag in ("w:sz", "w:szCs"):
        el = OxmlElement(tag)
        el.set(qn("w:val"), str(int(size * 2)))
        mark_rpr.append(el)
    mark.append(mark_rpr)
    main, paren, unit = text.partition("（") if head else (text, "", "")
    first, *more = main.split("\n") if head else [main]
    run = p.add_run(first)
    for line in more:  # a header's lines broken between its words (head_text)
        run.add_break()
        run.add_text(line)
    if paren and main:
        run.add_break()  # a header's unit （个） on a line of its own
        run.add_text(paren + unit)
    elif paren:
        run.add_text(paren + unit)
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.name = LATIN_FONT
    rpr = run._r.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    rfonts.set(qn("w:eastAsia"), TABLE_FONT)


def _available(doc) -> Emu:
    sec = doc.sections[-1]
    return Emu(sec.page_width - sec.left_margin - sec.right_margin)


def _fits(columns, rows, avail) -> bool:
    """Whether the table fits at 小五 with its figures unbroken (text columns may wrap)."""
    return sum(_floors(columns, rows)) * Pt(TABLE_SIZE_WIDE) <= avail


def _orient(doc, landscape: bool):
    """Start a new section on a new page turned to ``landscape`` (or back), margins kept."""
    from docx.enum.section import WD_SECTION

    prev = doc.sections[-1]
    sec = doc.add_section(WD_SECTION.NEW_PAGE)
    w, h = prev.page_width, prev.page_height
    if landscape != (w > h):
        sec.page_width, sec.page_height = h, w
        sec.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
        sec.top_margin, sec.right_margin, sec.bottom_margin, sec.left_margin = (
            prev.left_margin, prev.top_margin, prev.right_margin, prev.bottom_margin)
    return sec


def add_table(doc, caption: str, columns: list[str], rows: list[list[str]], note: str = ""):
    """A table with its caption; one too wide for the portrait page at 小五 is split into portrait
    tables of its columns with the 单位 column repeated (``表4（续）``), so the text before it flows
    on; one that still does not fit goes on landscape pages of its own."""
    turned = False
    portrait = doc.sections[-1].page_width < doc.sections[-1].page_height
    if portrait and not _fits(columns, rows, _available(doc)):
        avail = _available(doc)
        parts = split_columns(columns, rows, lambda cols, sub: _fits(cols, sub, avail))
        if parts:
            number, _sp, rest = caption.partition(" ")
            for i, idx in enumerate(parts):
                cap = caption if i == 0 else (f"{number}（续） {rest}" if rest else f"{caption}（续）")
                _table(doc, cap, [columns[k] for k in idx], [[r[k] if k < len(r) else "" for k in idx] for r in rows],
                       note if i == len(parts) - 1 else "")
            return
    if not _fits(columns, rows, _available(doc)) and portrait:
        _orient(doc, True)
        turned = True
    _table(doc, caption, columns, rows, note)
    if turned:
        _orient(doc, False)


def _table(doc, caption: str, columns: list[str], rows: list[list[str]], note: str = ""):
    cap = _para(doc, caption, "Caption")
    cap.alignment = WD_ALIGN_PARAGRAPH.CENTER
    cap.paragraph_format.keep_with_next = True  # the caption goes with its table
    cap.paragraph_format.first_line_indent = Pt(0)
    avail = _available(doc)
    size = TABLE_SIZE
    widths = column_widths(columns, rows, avail / Pt(size))
    if sum(column_widths(columns, rows, 1e9)) * Pt(size) > avail or len(columns) > 8:
        size = TABLE_SIZE_WIDE
        widths = column_widths(columns, rows, avail / Pt(size))
    table = doc.add_table(rows=1, cols=len(columns))
    _borders(table)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for k, w in enumerate(widths):
        table.columns[k].width = Emu(int(w * Pt(size)))
    numeric = [k > 0 and any(is_number(r[k]) for r in rows if k < len(r) and r[k]) for k in range(len(columns))]
    head = table.rows[0]
    _row_flags(head, header=True)
    for k, (cell, text) in enumerate(zip(head.cells, columns)):
        cell.width = table.columns[k].width
        _cell_text(cell, HW.head_text(text, widths[k] - PAD_EM), size, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, keep=True,
                   head=True)
    total_at = len(rows) - 1 if rows and rows[-1] and rows[-1][0] == "合计" else None
    col_widths = [c.width for c in table.columns]

    def fill(cell, text, *, k, bold, align, keep):
        cell.width = col_widths[k]
        _cell_text(cell, text, size, bold=bold, align=align, keep=keep)

    writer = RowWriter(table, fill, _row_flags)  # cells copied from the first of their look
    for i, row in enumerate(rows):
        # the two rows before 合计 keep with it, so 合计 never stands alone at the top of a page
        keep = (total_at is not None and total_at - 2 <= i < total_at) or i == 0  # nor the header alone at the foot
        texts = [row[k] if k < len(row) else "" for k in range(len(columns))]
        looks = [(("align", WD_ALIGN_PARAGRAPH.RIGHT if numeric[k] and is_number(text) else None),
                  ("bold", i == total_at), ("k", k), ("keep", keep)) for k, text in enumerate(texts)]
        writer.add(texts, looks)
    if note:
        p = _para(doc, f"注：{note}", "Caption")
        p.alignment = WD_ALIGN_PARAGRAPH.LEFT
        p.paragraph_format.first_line_indent = Pt(0)
        for r in p.runs:
            r.font.size = Pt(TABLE_SIZE)
    return table


def add_picture(doc, png: bytes, caption: str):
    avail = _available(doc)
    doc.add_picture(io.BytesIO(png), width=Emu(int(min(avail, Cm(16)))))
    pic = doc.paragraphs[-1]
    pic.alignment = WD_ALIGN_PARAGRAPH.CENTER
    pf = pic.paragraph_format
    pf.keep_with_next = True  # the chart stays with its caption
    pf.first_line_indent = Pt(0)
    pf.line_spacing_rule = WD_LINE_SPACING.SINGLE
    cap = _para(doc, caption, "Caption")
    cap.alignment = WD_ALIGN_PARAGRAPH.CENTER
    cap.paragraph_format.first_line_indent = Pt(0)


def render(content, path: Path, template: Path | None = None) -> Path:
    """Write ``content`` (a :class:`ReportContent`) as .docx, on ``template`` or the house document."""
    doc = open_template(template) if template else default_document()
    body_indent = Pt(2 * BODY_SIZE)
    lines = content.title_lines() if hasattr(content, "title_lines") else [content.title]
    title = _para(doc, lines[0], "Title")
    for line in lines[1:]:  # a long title on two balanced lines, broken where the words allow
        run = title.runs[0]
        run.add_break()
        run.add_text(line)
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    ended = False
    for b in content.blocks:
        if not ended and b.kind == "heading" and b.text.startswith(APPENDIX_WORD):
            add_ending(doc, content.organisation, content.date, BODY_SIZE)
            ended = True
        if b.kind == "heading":
            st = f"Heading {b.level}"
            if _style(doc, st) is not None:
                doc.add_heading(b.text, level=b.level)
            else:
                p = doc.add_paragraph()
                p.add_run(b.text).bold = True
                p.paragraph_format.keep_with_next = True
        elif b.kind in ("para", "note"):
            p = doc.add_paragraph(b.text)
            p.paragraph_format.first_line_indent = body_indent
            p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        elif b.kind == "table":
            add_table(doc, b.text, b.columns, b.rows, b.note)
        elif b.kind == "image":
            add_picture(doc, b.png, b.text)
    if not ended:
        add_ending(doc, content.organisation, content.date, BODY_SIZE)
    _page_footer(doc, f"{content.organisation}　{content.date}制")
    set_properties(doc, content.title, content.organisation)
    set_language(doc)
    write_whole(path, lambda p: doc.save(str(p)))
    return path
