"""The hand-in report of both bundled samples, read in the files a superior receives (docx, html, md)
and the workbook the office keeps (issue 21): no data checks, no software or file words, numbered
sections headed by summary sentences, figures rounded as the published texts write them."""

import re
import zipfile

import pytest
from docx import Document
from openpyxl import load_workbook

from gwstats.render import report as R
from gwstats.workspace import Workspace

SOFTWARE_WORDS = ("gwstats", "docs/rules.md", "rules.md", "Sheet1", ".csv", ".xlsx", "附录", "附表", "数据核查",
                  "核实更正", "口径变化", "--allow", "--checks")
HEADINGS = {
    "jian-an": ["一、总体情况", "二、组织建设稳步推进，“五好”达标率提高到80.7%", "三、五老队伍进一步壮大，五老志愿者增加到2503人",
                "四、法治教育稳步推进，受教育师生增加到4.2万人次", "五、帮扶助学工作稳步推进，关爱留守、困境儿童增加到273人",
                "六、宣传工作稳步推进，上报宣传稿件增加到171篇", "七、主要亮点", "八、存在问题"],
    "anqing-police": ["一、总体情况", "二、组织建设稳步推进，组织覆盖率提高到100%", "三、五老队伍进一步壮大，参与关工工作的退休民警增加到233人",
                      "四、法治教育稳步推进，法制副校长配备率提高到95.7%", "五、帮扶助学工作稳步推进，资助困难学生增加到820余人",
                      "六、预防犯罪工作稳步推进，帮教对象增加到142人", "七、校园安全工作稳步推进，投入警力增加到2900余人次",
                      "八、主要亮点", "九、存在问题"],
}


def _run(demo_run, name):
    result, _ = demo_run
    return next(r for r in result.runs if r.name == name)


def _outputs(demo_run, name, suffix):
    return [p for s in _run(demo_run, name).steps for p in s.outputs if p.suffix == suffix]


def _codes(ws) -> set[str]:
    return set(ws.catalog.metrics) | set(ws.catalog.indicators)


def _docx_text(path) -> str:
    doc = Document(str(path))
    parts = [p.text for p in doc.paragraphs]
    parts += [c.text for t in doc.tables for row in t.rows for c in row.cells]
    for sec in doc.sections:
        parts += [p.text for p in sec.footer.paragraphs + sec.header.paragraphs]
    cp = doc.core_properties
    parts += [cp.title or "", cp.author or "", cp.comments or "", cp.subject or "", cp.keywords or ""]
    with zipfile.ZipFile(path) as z:  # picture names and anything else inside the file
        parts += z.namelist()
    return "\n".join(parts)


@pytest.fixture(scope="module", params=["jian-an", "anqing-police"])
def sample(request, demo_run, tmp_path_factory):
    run = _run(demo_run, request.param)
    ws = Workspace.open(run.workspace)
    md = R.make_report(ws, run.years[1], tmp_path_factory.mktemp("md") / "报告.md")
    report_docx = next(p for p in _outputs(demo_run, request.param, ".docx") if "数据核查清单" not in p.name)
    return request.param, ws, report_docx, _outputs(demo_run, request.param, ".html")[0], md


def test_no_check_appendix_and_no_software_or_file_words_in_any_form(sample):
    name, ws, docx_path, html_path, md_path = sample
    md_text = md_path.read_text(encoding="utf-8") + "\n".join(p.name for p in md_path.parent.rglob("*"))
    for form, text in (("docx", _docx_text(docx_path)), ("html", html_path.read_text(encoding="utf-8")), ("md", md_text)):
        for word in SOFTWARE_WORDS:
            assert word not in text, (name, form, word)
        for code in _codes(ws):  # metric codes (org_total), as words of their own
            assert not re.search(rf"(?<![A-Za-z0-9_]){re.escape(code)}(?![A-Za-z0-9_])", text), (name, form, code)


def test_the_workbook_shows_no_code_words_and_no_pointer_to_the_software(demo_run):
    """The workbook is the office's working file: file names of the returns belong in its 数据来源 and
    校验问题 sheets; metric codes (kept in a hidden column for reading it back) and software pointers do not."""
    for name in ("jian-an", "anqing-police"):
        ws = Workspace.open(_run(demo_run, name).workspace)
        book = load_workbook(_outputs(demo_run, name, ".xlsx")[0])
        codes = _codes(ws)
        for sheet in book.worksheets:
            hidden = {k for k, d in sheet.column_dimensions.items() if d.hidden}
            for row in sheet.iter_rows():
                for c in row:
                    if c.value is None or c.column_letter in hidden:
                        continue
                    text = str(c.value)
                    assert "docs/rules.md" not in text and "gwstats" not in text, (name, sheet.title, c.coordinate, text)
                    assert text not in codes, (name, sheet.title, c.coordinate, text)
        # a cross-tab cell's header reads as words (村关工委组织数), as in the report
        for title in ("汇总", "同比"):
            shown = [str(c.value) for row in book[title].iter_rows() for c in row if isinstance(c.value, str)]
            assert not [t for t in shown if "·" in t and not t.endswith(("分子", "分母"))], (name, title)


def test_sections_are_numbered_and_headed_by_summary_sentences(sample):
    name, _ws, docx_path, html_path, _md = sample
    doc = Document(str(docx_path))
    heads = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert heads == HEADINGS[name]
    html = html_path.read_text(encoding="utf-8")
    assert re.findall(r"<h2>([^<]*)</h2>", html) == HEADINGS[name]


def test_title_on_two_balanced_lines_and_the_ending_last(sample):
    name, ws, docx_path, html_path, md_path = sample
    doc = Document(str(docx_path))
    title = doc.paragraphs[0]
    org = ws.config.organisation
    first, second = title.text.split("\n")
    assert first.startswith(org) and first.endswith("年度") and second == "关心下一代工作统计分析"
    assert len(title._p.findall(".//" + "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}br")) == 1
    texts = [p.text for p in doc.paragraphs if p.text]
    assert texts[-2] == org and re.fullmatch(r"\d{4}年\d{1,2}月\d{1,2}日", texts[-1])
    html = html_path.read_text(encoding="utf-8")
    assert re.search(rf'<p class="ending">{org}<br>\d{{4}}年\d{{1,2}}月\d{{1,2}}日</p>\n</body></html>$', html)
    assert md_path.read_text(encoding="utf-8").rstrip().endswith("日</p>")


def test_amounts_and_points_as_published(sample):
    name, _ws, docx_path, _html, _md = sample
    body = "\n".join(p.text for p in Document(str(docx_path)).paragraphs if not p.style.name.startswith("Caption"))
    assert not re.search(r"\d+\.\d{2}万元", body)  # 35.6万元, never 35.60万元
    assert not re.search(r"\d+\.0个百分点|\d+\.0%|\d+\.0万", body)  # 8个百分点, 100%, 8万人次
    if name == "jian-an":
        assert "捐款捐物35.6万元，比上年增加3.3万元，其中社会力量20.4万元、五老15.2万元" in body
        assert "五好达标率80.7%，比上年提高8个百分点" in body


def test_mostly_blank_cross_tab_is_not_printed(sample):
    """集安's 组织类型表 (村/社区/学校/机关 × 组织数/五好) came from 4 units of 20: its columns are not printed;
    the note under the table says so. Where printed, a cell's header reads 村关工委组织数, not 村·关工委组织数."""
    name, _ws, docx_path, *_ = sample
    doc = Document(str(docx_path))
    heads = [c.text for t in doc.tables for c in t.rows[0].cells]
    assert not any("·" in h for h in heads)
    assert not any(h.startswith(("村", "社区", "学校", "机关企事业单位")) for h in heads)
    if name == "jian-an":
        org_table = doc.tables[0]
        assert len(org_table.columns) == 4  # 单位, 关工委组织数, 达到五好标准组织数, 五好达标率
        notes = [p.text for p in doc.paragraphs if p.text.startswith("注：")]
        assert "注：组织类型表只有4个单位填报，本表未列出" in notes


def test_check_list_beside_the_word_report_holds_the_findings(demo_run):
    checks = [p for p in _outputs(demo_run, "jian-an", ".docx") if p.name.endswith("_数据核查清单.docx")]
    assert len(checks) == 1
    text = _docx_text(checks[0])
    assert "一、填报情况" in text and "二、数据核查" in text and "五老骨干占比" in text


def test_charts_and_the_report_read_the_same_figures(demo_run):
    """集安's 五好达标率 rose by a whole 8 points: the report says ``提高8个百分点``, and so do the charts'
    subtitles (not ``8.0个百分点``) and the compare chart's change label (``+8``); amounts as the text
    writes them (``35.6万元``). Bar value labels keep the exact figures of the tables."""
    from gwstats.render import chart_data as D
    from gwstats.render import charts as C

    ws = Workspace.open(_run(demo_run, "jian-an").workspace)
    for kind in ("rate", "compare"):
        assert D.build_chart(ws, 2020, "五好达标率", kind=kind).subtitle == "全市80.7%，比2019年提高8个百分点"
    assert D.build_chart(ws, 2020, "五好达标率", by="year").subtitle == "2020年80.7%，比2019年提高8个百分点"
    money = D.build_chart(ws, 2020, "捐款捐物", kind="bar")
    assert money.subtitle.startswith("合计35.6万元，比2019年增加3.3万元"), money.subtitle
    fig = C.draw(D.build_chart(ws, 2020, "五好达标率", kind="compare"))
    labels = [t.get_text() for ax in fig.axes for t in ax.texts]
    changes = [c for t in labels for c in re.findall(r"(?<![\d.])[+-]\d+(?:\.\d+)?", t)]
    assert changes and not [c for c in changes if c.endswith(".0")], changes  # +20, not +20.0
    assert any("90.0%" in t for t in labels)  # the bars keep the exact figure
