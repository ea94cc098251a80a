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
                  "比上年增加250人；其中五老骨干802人，占32%，比上年提高3.7个百分点，剔除上述单位后与上年持平。")
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


def test_content_has_title_and_numbered_sections_headed_by_summary_sentences(content):
    assert content.title == f"{ORG}2018年度关心下一代工作统计分析"
    assert content.date == "2019年1月20日"
    headings = [b.text for b in content.blocks if b.kind == "heading"]
    # 总体情况, 主要亮点 and 存在问题 inside the numbering; a group's heading states its headline figure
    # and where it went, in words the figure bears out: 五老志愿者 fell 50 over all units but rose 250
    # on the comparable basis, so its heading takes no direction at all
    assert headings == ["一、总体情况", "二、组织建设稳步推进，“五好”达标率提高到80.9%", "三、五老队伍：五老志愿者2503人",
                        "四、法治教育稳步推进，法制课增加到710场次", "五、帮扶助学工作稳步推进，资助困难学生增加到633人",
                        "六、主要亮点", "七、存在问题"]
    text = content.text()
    for sentence in (ORG_SENTENCE, WULAO_SENTENCE, LEGAL_SENTENCE):
        assert sentence in text
    # No sentence and no section for metrics and groups without data; never 增加0.
    assert "投入警力" not in text and "校园安全" in text  # named once, in the overview, as 从略
    assert not re.search(r"(增加|减少|提高|下降)0(\.0+)?(?!\d|\.\d)", text)
    assert "应报7个单位，已报6个，未报1个（宿松县公安局关工委）" in text
    # what the superior should not receive: no data checks, no appendix of them, no software words
    for word in ("数据核查", "附录", "附表", "核实更正", "口径变化", "gwstats", "docs/rules.md", ".xlsx", "Sheet"):
        assert word not in text, word


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
    assert paras[0] == f"{ORG}2018年度\n关心下一代工作统计分析"  # two balanced lines, broken after the year
    assert paras[1] == "一、总体情况"  # no date line under the title: the footer says when it was produced
    footer = "\n".join(p.text for p in doc.sections[0].footer.paragraphs)
    assert ORG in footer and "制" in footer
    assert ORG_SENTENCE in paras and WULAO_SENTENCE in paras and LEGAL_SENTENCE in paras
    assert not any(p.startswith("附录") for p in paras)
    # the 4 group tables only: 填报情况 and 数据核查 are the office's check list
    assert len(doc.tables) == 4
    first = doc.tables[0]
    assert first.rows[0].cells[0].text == "单位"
    assert first.rows[-1].cells[0].text == "合计" and first.rows[-1].cells[1].text == "188"
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
        i = next(k for k, b in enumerate(blocks) if b.kind == "heading" and b.text.endswith("、" + name))
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
    # problems of the work (units below the target, units not reported), never of the data checks
    assert bad.split("\n")[:-1] == ["五好达标率低于80%目标的有潜山县公安局、望江县公安局。",
                               "组织覆盖率低于100%目标的有潜山县公安局、望江县公安局。",
                               "未报送报表的有宿松县公安局，其数据未计入本报告。"]
    assert heads.index("六、主要亮点") < heads.index("七、存在问题") == len(heads) - 1
    # the methods note closes the report, in plain words
    assert blocks[-1].text.startswith("说明：同比变化均与2017年比较")
    assert "gwstats" not in blocks[-1].text and "rules.md" not in blocks[-1].text


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
    assert f"已生成数据核查清单（填报情况和数据核查，供本单位核实，不随报告上报）：{tmp_path / '核查清单.docx'}" in r.output
    assert not (tmp_path / "r_数据核查清单.docx").exists()  # --checks FILE: there, not beside
    checks = Document(str(tmp_path / "核查清单.docx"))
    text = "\n".join(p.text for p in checks.paragraphs)
    assert checks.paragraphs[0].text == f"{ORG}\n2018年度统计数据核查清单"
    assert "一、填报情况" in text and "二、数据核查" in text and "附录" not in text
    assert "2019年1月15日" in text
    cells = {c.text for t in checks.tables for row in t.rows for c in row.cells}
    assert {"级别", "单位", "指标", "说明"} <= cells
    # the findings the report no longer holds are all here, with the cell they come from
    assert any("桐城" in r.cells[1].text and "95" in r.cells[3].text for t in checks.tables for r in t.rows[1:]
               if len(r.cells) == 5)
    r = runner.invoke(app, ["report", "-w", str(chart_ws.root), "--year", "2018", "-o", str(tmp_path / "r2.docx"),
                            "--date", "下周一"])
    assert r.exit_code != 0 and "成文日期应写作" in r.output and "Traceback" not in r.output


def test_cli_writes_the_check_list_beside_the_report_and_says_where(chart_ws, tmp_path):
    runner = CliRunner()
    r = runner.invoke(app, ["report", "-w", str(chart_ws.root), "--year", "2018", "-o", str(tmp_path / "分析.docx")])
    assert r.exit_code == 0, r.output
    beside = tmp_path / "分析_数据核查清单.docx"
    assert beside.is_file() and f"已生成数据核查清单（填报情况和数据核查，供本单位核实，不随报告上报）：{beside}" in r.output
    text = "\n".join(p.text for p in Document(str(beside)).paragraphs)
    assert "一、填报情况" in text and "二、数据核查" in text
    r = runner.invoke(app, ["report", "-w", str(chart_ws.root), "--year", "2018", "-o", str(tmp_path / "b.html"),
                            "--no-checks"])
    assert r.exit_code == 0 and "数据核查清单" not in r.output and not (tmp_path / "b_数据核查清单.html").exists()


def test_html_and_markdown_end_with_the_organisation_and_date(chart_ws, tmp_path):
    html_text = R.make_report(chart_ws, 2018, tmp_path / "r.html", charts=False, date="2019-01-15").read_text("utf-8")
    assert html_text.endswith(f'<p class="ending">{ORG}<br>2019年1月15日</p>\n</body></html>')
    assert f"<h1>{ORG}2018年度<br>关心下一代工作统计分析</h1>" in html_text
    md = R.make_report(chart_ws, 2018, tmp_path / "r.md", charts=False, date="2019-01-15").read_text("utf-8")
    assert md.rstrip().endswith(f'<p align="right">{ORG}<br>2019年1月15日</p>')
    assert md.count("2019年1月15日") == 1  # once, at the end (not under the title)


@pytest.mark.parametrize("title, lines", [
    ("青溪县关工委2020年度关心下一代工作统计分析", ["青溪县关工委2020年度", "关心下一代工作统计分析"]),
    ("安庆市公安局关工委2018年度关心下一代工作统计分析", ["安庆市公安局关工委2018年度", "关心下一代工作统计分析"]),
    ("某县2020年度关心下一代工作统计分析", ["某县2020年度关心下一代工作统计分析"]),  # fits one line
])
def test_title_on_one_or_two_balanced_lines(title, lines):
    assert R.title_lines(title) == lines
    assert all(R._ems(line) <= R.TITLE_EMS for line in lines)


def test_problems_name_falls_and_items_nobody_filled_and_headings_follow_the_figure(tmp_path):
    """存在问题 speaks of the work: a rate that fell (both over all units and on the comparable basis),
    an item filled last year and by nobody this year; the section's heading says 下降到, never 稳步推进."""
    from store_builders import add_submission, make_ws

    ws = make_ws(tmp_path, [("C", "青溪县关工委", None), ("A", "甲镇关工委", "C"), ("B", "乙镇关工委", "C")])
    add_submission(ws, "A", 2019, {"org_total": 10, "org_wuhao": 8, "legal_lessons": 12})
    add_submission(ws, "B", 2019, {"org_total": 10, "org_wuhao": 8, "legal_lessons": 9})
    add_submission(ws, "A", 2020, {"org_total": 10, "org_wuhao": 7})
    add_submission(ws, "B", 2020, {"org_total": 10, "org_wuhao": 7})
    content = R.build_report(ws, 2020, charts=False)
    heads = [b.text for b in content.blocks if b.kind == "heading"]
    assert "二、组织建设有待加强，“五好”达标率下降到70%" in heads
    assert not any("稳步推进" in h or "壮大" in h for h in heads)
    i = heads.index(next(h for h in heads if h.endswith("存在问题")))
    blocks = [b for b in content.blocks if b.kind == "heading"]
    start = content.blocks.index(blocks[i])
    problems = [b.text for b in content.blocks[start + 1:] if b.kind == "para"]
    assert "比上年下降的有：达到五好标准组织数14个，比上年减少2个；五好达标率70%，比上年下降10个百分点。" in problems
    assert "法制课场次上年有数，本年各单位均未填报。" in problems
    assert not any("核查" in p for p in problems)
