"""The Word report's layout, read back through python-docx on both bundled samples' reports."""

from __future__ import annotations

import datetime as dt

import pytest
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from gwstats.core.errors import UsageError
from gwstats.render import docx_layout as L
from gwstats.render import report as R


def _docx_of(demo_run, name: str) -> Document:
    result, _ = demo_run
    run = next(r for r in result.runs if r.name == name)
    path = next(p for s in run.steps for p in s.outputs if p.suffix == ".docx")
    return Document(str(path))


@pytest.fixture(scope="module", params=["anqing-police", "jian-an"])
def doc(request, demo_run):
    return _docx_of(demo_run, request.param)


def _sizes(table) -> set[float]:
    return {r.font.size.pt for row in table.rows for c in row.cells for p in c.paragraphs for r in p.runs
            if r.font.size is not None}


def _next_paragraph(table):
    el = table._tbl.getnext()
    return el


def test_body_and_table_fonts(doc):
    normal = doc.styles["Normal"]
    assert normal.font.size == Pt(16)  # 三号
    assert normal.element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "仿宋"
    for t in doc.tables:
        sizes = _sizes(t)
        assert sizes and min(sizes) >= 9 and sizes <= {9.0, 10.5}, sizes
    # most tables at 五号
    assert sum(10.5 in _sizes(t) for t in doc.tables) >= len(doc.tables) // 2


def test_header_rows_repeat_and_rows_do_not_split(doc):
    for t in doc.tables:
        tr_pr = t.rows[0]._tr.trPr
        assert tr_pr is not None and tr_pr.find(qn("w:tblHeader")) is not None
        assert all(r._tr.trPr.find(qn("w:cantSplit")) is not None for r in t.rows)
        assert all(r._tr.trPr.find(qn("w:tblHeader")) is None for r in t.rows[1:])


def test_total_row_keeps_with_the_rows_before_it(doc):
    totals = [t for t in doc.tables if t.rows[-1].cells[0].text == "合计"]
    assert len(totals) >= 3
    for t in totals:
        before = t.rows[-2]
        assert all(p.paragraph_format.keep_with_next for c in before.cells for p in c.paragraphs)
        assert all(r.bold for c in t.rows[-1].cells for p in c.paragraphs for r in p.runs if r.text)


def test_numbers_right_aligned_and_name_column_widest(doc):
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    for t in doc.tables:
        if t.rows[0].cells[0].text != "单位" or t.rows[-1].cells[0].text != "合计":
            continue
        widths = [c.width for c in t.columns]
        assert widths[0] == max(widths)
        for row in t.rows[1:]:
            for cell in row.cells[1:]:
                if cell.text and L.is_number(cell.text):
                    assert cell.paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.RIGHT
        sec_width = max(s.page_width - s.left_margin - s.right_margin for s in doc.sections)
        assert sum(widths) <= sec_width + Cm(0.05)


def test_captions_keep_with_their_table_and_picture(doc):
    body = doc.element.body
    pictures = [p for p in doc.paragraphs if p._p.findall(".//" + qn("w:drawing"))]
    assert pictures
    for p in pictures:
        assert p.paragraph_format.keep_with_next
        cap = p._p.getnext()
        assert cap is not None and "图" in "".join(t.text for t in cap.iter(qn("w:t")))
    for t in doc.tables:
        cap = t._tbl.getprevious()
        while cap is not None and cap.tag == qn("w:p") and not "".join(x.text for x in cap.iter(qn("w:t"))):
            cap = cap.getprevious()
        assert cap is not None and cap.tag == qn("w:p")
        ppr = cap.find(qn("w:pPr"))
        assert ppr is not None and ppr.find(qn("w:keepNext")) is not None, "".join(x.text for x in cap.iter(qn("w:t")))
    assert body is not None


def test_page_number_field_and_production_date_in_footer(doc):
    footer = doc.sections[0].footer
    assert L.has_page_field(footer)
    text = "\n".join(p.text for p in footer.paragraphs)
    assert "年" in text and "月" in text and text.rstrip().endswith("制")
    # every later section shows the same footer
    assert all(s.footer.is_linked_to_previous for s in doc.sections[1:])


def test_title_is_a_report_for_the_year_without_a_blue_rule(doc):
    title = doc.paragraphs[0]
    assert "年度关心下一代工作统计分析" in title.text.replace("\n", "")
    ppr = doc.styles["Title"].element.pPr
    assert ppr is None or ppr.find(qn("w:pBdr")) is None
    for name in ("Title", "Heading 1", "Heading 2"):
        rpr = doc.styles[name].element.rPr
        assert rpr is None or rpr.find(qn("w:color")) is None


def test_a_wide_table_splits_into_portrait_tables_with_the_unit_column_repeated(demo_run):
    """集安's 表4 帮扶助学 (单位 and 9 figures, all filled) took a landscape page of its own, leaving the
    page before it mostly empty: it is two portrait tables now, 单位 first in each, the text flowing on."""
    doc = _docx_of(demo_run, "jian-an")
    assert all(s.page_width < s.page_height for s in doc.sections)
    caps = [p.text for p in doc.paragraphs if p.text.startswith("表4")]
    assert len(caps) == 2 and caps[1].startswith("表4（续） ") and caps[1].endswith(caps[0].partition(" ")[2])
    heads = [[c.text for c in t.rows[0].cells] for t in doc.tables]
    aid = [h for h in heads if any(x.startswith("资助困难") or x.startswith("社会") for x in h)]
    assert len(aid) == 2 and all(h[0] == "单位" and len(h) <= 6 for h in aid)
    assert len(aid[0]) + len(aid[1]) - 2 == 9  # the nine figures of 帮扶助学, each once
    rows = [len(t.rows) for t in doc.tables if [c.text for c in t.rows[0].cells] in aid]
    assert rows[0] == rows[1]  # every unit in both parts


def test_a_table_whose_parts_still_do_not_fit_goes_landscape():
    doc = L.default_document()
    cols = ["单位"] + [f"指标{k}（万元）" for k in range(8)]
    rows = [["甲县关工委"] + ["123456789012345.67"] * 8]
    L.add_table(doc, "表1 很宽的表", cols, rows)
    assert any(s.orientation == WD_ORIENT.LANDSCAPE and s.page_width > s.page_height for s in doc.sections)
    assert doc.sections[-1].page_width < doc.sections[-1].page_height  # back to portrait after it
    assert len(doc.tables) == 1


def test_picture_caption_is_not_drawn_in_the_picture(chart_ws):
    content = R.build_report(chart_ws, 2018, today=dt.date(2019, 1, 20))
    images = content.images()
    assert images and all(b.text.startswith("图") for b in images)


def test_column_widths_fit_content():
    cols = ["单位", "关工委组织数（个）", "五好达标率（%）"]
    rows = [["集安市关工委（本级）", "218", "80.7"], ["台上镇", "21", "90.5"]]
    w = L.column_widths(cols, rows, 100)
    assert w[0] > w[1] and w[0] > w[2]
    narrow = L.column_widths(cols, rows, 14)
    assert sum(narrow) <= 14.01 and narrow[1] >= L.text_width("218")


# ---- an office's own template ------------------------------------------------------------------
def _office_template(path):
    from docx import Document as New

    doc = New()
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Cm(21), Cm(29.7)
    sec.left_margin = Cm(3.3)
    sec.header.paragraphs[0].text = "某某市关心下一代工作委员会办公室"
    doc.add_paragraph("此处正文会被替换")
    doc.save(str(path))
    return path


def test_report_on_an_office_template(chart_ws, tmp_path):
    tpl = _office_template(tmp_path / "本单位模板.docx")
    out = R.make_report(chart_ws, 2018, tmp_path / "报告.docx", charts=False, template=tpl)
    doc = Document(str(out))
    assert doc.sections[0].header.paragraphs[0].text == "某某市关心下一代工作委员会办公室"
    assert abs(doc.sections[0].left_margin - Cm(3.3)) < Cm(0.01)  # twips round it
    assert "此处正文会被替换" not in "\n".join(p.text for p in doc.paragraphs)
    assert doc.paragraphs[0].text.replace("\n", "").endswith("年度关心下一代工作统计分析")
    assert L.has_page_field(doc.sections[0].footer)


def test_shipped_template_is_the_house_layout(chart_ws, tmp_path):
    from pathlib import Path

    tpl = Path(__file__).resolve().parent.parent / "templates" / R.DEFAULT_TEMPLATE
    assert tpl.is_file()
    shipped = Document(str(tpl))
    house = L.default_document()
    for name in L.STYLE_NAMES:
        assert shipped.styles[name].font.size == house.styles[name].font.size, name
    assert shipped.sections[0].top_margin == house.sections[0].top_margin
    out = R.make_report(chart_ws, 2018, tmp_path / "报告.docx", charts=False, template=tpl)
    doc = Document(str(out))
    assert doc.paragraphs[0].text.endswith("统计分析")
    assert sum(L.has_page_field(s.footer) for s in doc.sections if not s.footer.is_linked_to_previous) == 1


def test_bad_template_is_refused_before_writing(chart_ws, tmp_path):
    with pytest.raises(UsageError, match="找不到报告模板"):
        R.make_report(chart_ws, 2018, tmp_path / "out" / "报告.docx", template=tmp_path / "无.docx")
    bad = tmp_path / "坏.docx"
    bad.write_bytes(b"not a zip")
    with pytest.raises(UsageError, match="不是有效的 Word"):
        R.make_report(chart_ws, 2018, tmp_path / "out" / "报告.docx", template=bad)
    with pytest.raises(UsageError, match="只用于 Word"):
        R.make_report(chart_ws, 2018, tmp_path / "out" / "报告.md", template=bad)
    assert not (tmp_path / "out").exists()


def test_table_figures_read_as_the_text_says_them(demo_run):
    """Body and tables give one figure one form: 人均资助金额 1793.33 元 in the sentence and the table."""
    doc = _docx_of(demo_run, "jian-an")
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "人均资助金额1793.33元" in text.replace(" ", "")
    table = next(t for t in doc.tables if any("人均资助金额" in c.text.replace("\n", "") for c in t.rows[0].cells))
    col = next(k for k, c in enumerate(table.rows[0].cells) if "人均资助金额" in c.text.replace("\n", ""))
    total = next(r for r in table.rows if r.cells[0].text == "合计")
    assert total.cells[col].text == "1793.33"
    assert next(r for r in table.rows if r.cells[0].text == "财源镇").cells[col].text == "1000.00"


# ---- page and document set-up (issue 21) -------------------------------------------------------
def test_margins_are_gbt_9704_and_the_title_is_erhao_xiaobiaosong(doc):
    from docx.shared import Mm

    sec = doc.sections[0]
    for got, want in ((sec.top_margin, 37), (sec.bottom_margin, 35), (sec.left_margin, 28), (sec.right_margin, 26)):
        assert abs(got - Mm(want)) < Mm(0.1)
    title = doc.styles["Title"]
    assert title.font.size == Pt(22)  # 二号
    east = title.element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia"))
    assert (east, title.font.bold) in (("方正小标宋简体", False), ("宋体", True))


def test_title_font_is_xiaobiaosong_only_where_installed(monkeypatch):
    from gwstats.render import fonts

    monkeypatch.setattr(fonts, "installed", lambda family: family == "方正小标宋简体")
    assert L.title_font() == ("方正小标宋简体", False)
    monkeypatch.setattr(fonts, "installed", lambda family: False)
    assert L.title_font() == ("宋体", True)


def test_document_properties_are_the_offices_in_chinese(doc):
    cp = doc.core_properties
    assert cp.author and cp.author == cp.last_modified_by and "关工委" in cp.author
    assert cp.title.endswith("统计分析") and cp.language == "zh-CN"
    assert "python-docx" not in (cp.comments or "") and cp.created.year >= 2024
    lang = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr")).find(qn("w:lang"))
    assert lang.get(qn("w:val")) == "zh-CN" and lang.get(qn("w:eastAsia")) == "zh-CN"


def test_report_ends_with_the_organisation_and_the_chosen_date(chart_ws, tmp_path):
    out = R.make_report(chart_ws, 2018, tmp_path / "报告.docx", charts=False, date="2019-01-15")
    paras = Document(str(out)).paragraphs
    texts = [p.text for p in paras]
    i = texts.index("2019年1月15日")
    assert texts[i - 1] == "安庆市公安局关工委"
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    assert paras[i].alignment == paras[i - 1].alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert paras[i].paragraph_format.right_indent == Pt(4 * L.BODY_SIZE)  # 右空四字
    # the report ends with them: no appendix after (填报情况 and 数据核查 are the office's check list)
    assert i == len(texts) - 1 and not any(t.startswith("附录") for t in texts)
    assert any(t.endswith("、存在问题") for t in texts[:i])
