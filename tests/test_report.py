"""The summary report: docx opened with python-docx, Markdown and self-contained HTML."""

import datetime as dt
import re
import warnings

import pytest
from docx import Document
from docx.oxml.ns import qn
from typer.testing import CliRunner

from gwstats.cli.app import app
from gwstats.render import report as R

ORG = "安庆市公安局关工委"
# From the stored dataset: 2018 188 organisations (2017: 189), 152 of them 五好 (80.9%, +1.5 points).
# 宿松 reported 2017 but not 2018: every change of a figure it gave is on the comparable basis (the
# raw differences, 减少1个 and 减少50人, came from its not reporting)
ORG_SENTENCE = ("全市共有关工委组织188个，比上年减少1个，主要是宿松县公安局本年未报；按可比口径（剔除这个单位）比上年增加19个；"
                "其中达到“五好”标准的152个，占80.9%，比上年提高1.5个百分点，剔除上述单位后比上年提高0.4个百分点；"
                "应建关工委的单位59个，比上年增加5个；其中已建关工委的56个，占94.9%，比上年提高0.5个百分点。")
WULAO_SENTENCE = ("全市共有五老志愿者2503人，比上年减少50人，主要是宿松县公安局本年未报；按可比口径（剔除这个单位）"
                  "比上年增加250人；其中五老骨干802人，占32.0%，比上年提高3.7个百分点，剔除上述单位后与上年持平。")
# a figure written in 万 keeps that form in its change (6.4万人次，比上年增加0.6万人次)
LEGAL_SENTENCE = ("全市开展法制课710场次，比上年增加12场次，宿松县公安局本年未报；按可比口径（剔除这个单位）比上年增加72场次；"
                  "受教育师生6.4万人次，比上年增加0.6万人次。")


@pytest.fixture(scope="module")
def content(chart_ws):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return R.build_report(chart_ws, 2018, today=dt.date(2019, 1, 20))


@pytest.fixture(scope="module")
def docx_path(chart_ws, tmp_path_factory):
    out = tmp_path_factory.mktemp("report") / "统计分析.docx"
    return R.make_report(chart_ws, 2018, out)


def test_content_has_title_overview_groups_and_appendices(content):
    assert content.title == f"{ORG}2018年度关心下一代工作统计分析"
    assert content.date == "2019年1月20日"
    headings = [b.text for b in content.blocks if b.kind == "heading"]
    assert headings == ["总体情况", "一、组织建设", "二、五老队伍", "三、法治教育", "四、帮扶助学",
                        "主要亮点", "存在问题", "附录一 填报情况", "附录二 数据核查"]
    text = content.text()
    for sentence in (ORG_SENTENCE, WULAO_SENTENCE, LEGAL_SENTENCE):
        assert sentence in text
    # No sentence and no section for metrics and groups without data; never 增加0.
    assert "投入警力" not in text and "校园安全" in text  # named once, in the overview, as 从略
    assert not re.search(r"(增加|减少|提高|下降)0(\.0+)?(?!\d|\.\d)", text)
    assert "应报7个单位，已报6个，未报1个（宿松县公安局关工委）" in text
    assert re.search(r"数据核查发现(错误\d+处|提醒\d+处)(、提醒\d+处)?，详见附录二。", text)


def test_group_table_has_units_metrics_and_total_row(content):
    tables = [b for b in content.blocks if b.kind == "table"]
    org = tables[0]
    assert org.columns[:3] == ["单位", "关工委组织数（个）", "达到五好标准组织数（个）"]
    assert "五好达标率（%）" in org.columns
    assert [r[0] for r in org.rows] == ["桐城市公安局", "潜山县公安局", "怀宁县公安局", "岳西县公安局", "望江县公安局",
                                        "宿松县公安局", "安庆市公安局关工委（本级）", "合计"]
    total = org.rows[-1]
    assert total[1] == "188" and total[2] == "152" and total[org.columns.index("五好达标率（%）")] == "80.9"
    assert org.rows[5][1:] == [""] * (len(org.columns) - 1)  # 宿松 did not report: blank, not 0
    aid = next(t for t in tables if "帮扶助学" in t.text)
    col = aid.columns.index("资助金额（万元）")
    assert aid.rows[-1][col] == "90.00"  # 18.35 + 12.4 + 20.1 + 25.6 + 13.55, exact


def test_docx_has_sentences_tables_pictures_and_chinese_fonts(docx_path):
    doc = Document(str(docx_path))
    paras = [p.text for p in doc.paragraphs]
    assert paras[0] == f"{ORG}2018年度关心下一代工作统计分析"
    assert paras[1] == "总体情况"  # no date line under the title: the footer says when it was produced
    footer = "\n".join(p.text for p in doc.sections[0].footer.paragraphs)
    assert ORG in footer and "制" in footer
    assert ORG_SENTENCE in paras and WULAO_SENTENCE in paras and LEGAL_SENTENCE in paras
    assert "附录一 填报情况" in paras and "附录二 数据核查" in paras
    # 4 group tables + the 填报情况 table + the 数据核查 table
    assert len(doc.tables) == 6
    findings = doc.tables[-1]
    assert [c.text for c in findings.rows[0].cells] == ["级别", "单位", "指标", "说明", "来源"]
    assert any("桐城" in r.cells[1].text and "95" in r.cells[3].text for r in findings.rows[1:])
    first = doc.tables[0]
    assert first.rows[0].cells[0].text == "单位"
    assert first.rows[-1].cells[0].text == "合计" and first.rows[-1].cells[1].text == "188"
    status_table = next(t for t in doc.tables if t.rows[0].cells[1].text == "状态")
    states = {r.cells[0].text: r.cells[1].text for r in status_table.rows[1:]}
    assert states["宿松县公安局关工委"] == "未报"
    # one chart per group section
    assert len(doc.inline_shapes) == 4
    # East Asian fonts on the styles, so Word shows 宋体/黑体
    normal = doc.styles["Normal"].element.rPr.find(qn("w:rFonts"))
    assert normal.get(qn("w:eastAsia")) == "仿宋"
    heading = doc.styles["Heading 1"].element.rPr.find(qn("w:rFonts"))
    assert heading.get(qn("w:eastAsia")) == "黑体"


def test_markdown_report_writes_charts_beside_it(chart_ws, tmp_path):
    path = R.make_report(chart_ws, 2018, tmp_path / "报告.md")
    text = path.read_text(encoding="utf-8")
    assert text.startswith(f"# {ORG}2018年度关心下一代工作统计分析")
    assert ORG_SENTENCE in text
    assert "| 合计 | 188 | 152 |" in text
    links = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", text)
    assert len(links) == 4
    assert all((tmp_path / link).is_file() for link in links)


def test_html_report_is_self_contained(chart_ws, tmp_path):
    path = R.make_report(chart_ws, 2018, tmp_path / "报告", fmt="html")
    assert path.suffix == ".html"
    text = path.read_text(encoding="utf-8")
    assert ORG_SENTENCE in text
    assert text.count("data:image/png;base64,") == 4
    assert not re.search(r'src="(?!data:)', text)  # nothing to fetch
    assert '<tr class="total"><td>合计</td>' in text


def test_report_for_one_unit(chart_ws):
    content = R.build_report(chart_ws, 2018, unit="岳西县公安局关工委", charts=False)
    text = content.text()
    assert "全县开展法制课212场次" in text
    assert not content.images()


def test_unknown_format_is_refused(chart_ws, tmp_path):
    from gwstats.core.errors import UsageError

    with pytest.raises(UsageError, match="报告格式"):
        R.make_report(chart_ws, 2018, tmp_path / "x", fmt="pdf")
    with pytest.raises(UsageError, match="报告文件应为 .docx、.md 或 .html，实际为“x.pdf”"):
        R.make_report(chart_ws, 2018, tmp_path / "x.pdf")
    assert not list(tmp_path.iterdir())  # nothing written


def test_cli_report(chart_ws, tmp_path):
    runner = CliRunner()
    r = runner.invoke(app, ["report", "-w", str(chart_ws.root), "--year", "2018", "-o", str(tmp_path / "r.docx")])
    assert r.exit_code == 0, r.output
    assert (tmp_path / "r.docx").is_file()
    r = runner.invoke(app, ["report", "-w", str(chart_ws.root), "--year", "2018", "-o", str(tmp_path / "r.md"),
                            "--format", "md"])
    assert r.exit_code == 0 and (tmp_path / "r.md").is_file()


def test_format_option_wins_over_the_suffix(chart_ws, tmp_path):
    path = R.make_report(chart_ws, 2018, tmp_path / "报告.docx", fmt="md", charts=False)
    assert path.name == "报告.md" and path.read_text(encoding="utf-8").startswith("# ")


def test_overview_highlights_and_problems(content):
    blocks = content.blocks
    heads = [b.text for b in blocks if b.kind == "heading"]

    def section(name):
        i = next(k for k, b in enumerate(blocks) if b.kind == "heading" and b.text == name)
        out = []
        for b in blocks[i + 1:]:
            if b.kind == "heading":
                break
            out.append(b.text)
        return "\n".join(out)

    overview = section("总体情况")
    # the headline figures with their changes, not a methods note
    assert "全市共有关工委组织188个，比上年减少1个，主要是宿松县公安局本年未报；按可比口径（剔除这个单位）比上年增加19个" in overview
    assert "五老志愿者2503人" in overview and "逐级汇总形成" not in overview
    good = section("主要亮点")
    # only increases a reader can check against last year's total: none that holds on the comparable basis alone
    assert "增幅较大的有：" in good and "最多的是" in good and "可比口径" not in good
    bad = section("存在问题")
    assert "未报送报表的有宿松县公安局" in bad
    assert "数据核查发现" in bad and "-" not in bad  # finding types in words, never codes
    assert heads.index("主要亮点") < heads.index("存在问题") < heads.index("附录一 填报情况")
    # the appendix writes counts as the body does: no spaces around the figures
    appendix = section("附录一 填报情况")
    assert "应报7个单位，已报6个" in appendix and " 个" not in appendix
    # the methods note closes the report
    assert blocks[-1].text.startswith("说明：同比变化均与2017年比较")


def test_group_charts_only_where_most_units_gave_the_figure(demo_run):
    """集安 2020: 法制副校长人数 came from 1 unit of 25 and 资助困难学生人数 from 5; their groups are
    charted by a figure every unit gave (受教育师生人次, 结对帮扶对数), the tables keep them all."""
    result, _ = demo_run
    run = next(r for r in result.runs if r.name == "jian-an")
    path = next(p for s in run.steps for p in s.outputs if p.suffix == ".docx")
    captions = [p.text for p in Document(str(path)).paragraphs if re.match(r"图\d+ ", p.text)]
    # 组织建设 by its coverage rate: 集安 set no target for 五好达标率, so it is drawn without a target line
    assert [c.split("各单位 ")[1] for c in captions] == ["五好达标率", "五老志愿者人数", "受教育师生人次",
                                                       "结对帮扶对数", "上报宣传稿件"]


def test_html_report_escapes_what_it_is_given(tmp_path):
    """The HTML comes from templates/report.html with autoescape: a unit named like markup stays text."""
    content = R.ReportContent("标题<b>", "某单位", "2026年1月1日", [
        R.Block("heading", "一、组织<建设>", 1),
        R.Block("para", "说明 <script>alert(1)</script> & 其他"),
        R.Block("table", "表1", columns=["单位", "人数（人）"], rows=[["<i>甲</i>", "12"], ["合计", "12"]], note="注<x>"),
        R.Block("image", "图1 <图>", png=b"\x89PNG"),
    ])
    text = R.render_html(content, tmp_path / "r.html").read_text(encoding="utf-8")
    assert "<script>" not in text and "<i>" not in text and "<b>" not in text
    assert "<h2>一、组织&lt;建设&gt;</h2>" in text and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; 其他" in text
    assert '<tr><td>&lt;i&gt;甲&lt;/i&gt;</td><td class="num">12</td></tr>' in text
    assert '<tr class="total"><td>合计</td><td class="num">12</td></tr>' in text
    assert '<p class="caption">注：注&lt;x&gt;</p>' in text and 'alt="图1 &lt;图&gt;" src="data:image/png;base64,iVBORw=="' in text
    assert text.startswith("<!DOCTYPE html>\n") and text.endswith("</body></html>")


def test_check_list_is_its_own_document(chart_ws, tmp_path):
    runner = CliRunner()
    r = runner.invoke(app, ["report", "-w", str(chart_ws.root), "--year", "2018", "-o", str(tmp_path / "r.docx"),
                            "--date", "2019年1月15日", "--checks", str(tmp_path / "核查清单.docx")])
    assert r.exit_code == 0, r.output
    assert "核查清单" in r.output
    checks = Document(str(tmp_path / "核查清单.docx"))
    text = "\n".join(p.text for p in checks.paragraphs)
    assert checks.paragraphs[0].text == f"{ORG}2018年度统计数据核查清单"
    assert "一、填报情况" in text and "二、数据核查" in text and "附录" not in text
    assert "2019年1月15日" in text
    cells = {c.text for t in checks.tables for row in t.rows for c in row.cells}
    assert {"级别", "单位", "指标", "说明"} <= cells
    r = runner.invoke(app, ["report", "-w", str(chart_ws.root), "--year", "2018", "-o", str(tmp_path / "r2.docx"),
                            "--date", "下周一"])
    assert r.exit_code != 0 and "成文日期应写作" in r.output and "Traceback" not in r.output
