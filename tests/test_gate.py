"""Issue 20, "Nothing published over an open error": report, charts and export refuse while check has
an error-severity finding, name it (unit, metric, cell), and with --allow-errors write it marked."""

import pytest
from typer.testing import CliRunner

from gwstats.cli.app import app
from gwstats.render import report as R
from store_builders import TOWNS_UNITS, add_submission, make_ws

UNITS = TOWNS_UNITS


@pytest.fixture
def ws(tmp_path):
    """石门镇 gives 骨干 90 of 志愿者 80 (an error); otherwise clean figures over two years."""
    ws = make_ws(tmp_path, UNITS, name="测试县关工委", year=2020)
    for year, core in ((2019, 20), (2020, 90)):
        add_submission(ws, "A", year, {"wulao_volunteers": 80, "wulao_core": core, "org_total": 10})
        add_submission(ws, "B", year, {"wulao_volunteers": 60, "wulao_core": 10, "org_total": 12 if year == 2019 else 13})
        add_submission(ws, "D", year, {"wulao_volunteers": 50, "wulao_core": 5, "org_total": 8})
    return ws


def _cli(ws, *args):
    return CliRunner().invoke(app, [*args, "-w", str(ws.root), "--year", "2020"])


@pytest.mark.parametrize("args", [("report", "-o", "{out}/报告.md"), ("charts", "-o", "{out}/图表"),
                                  ("export", "--format", "csv-long", "-o", "{out}/长表.csv")])
def test_publishing_commands_refuse_over_an_open_error(ws, tmp_path, args):
    out = tmp_path / "out"
    r = _cli(ws, *[a.format(out=out) for a in args])
    assert r.exit_code == 1, r.output
    assert "错误未解决" in r.output and "石门镇关工委" in r.output and "五老骨干" in r.output
    assert not out.exists() or not any(out.rglob("*.*"))


def test_allow_errors_writes_with_a_note_naming_the_figure(ws, tmp_path):
    r = _cli(ws, "report", "-o", str(tmp_path / "报告.md"), "--allow-errors")
    assert r.exit_code == 0, r.output
    text = (tmp_path / "报告.md").read_text(encoding="utf-8")
    assert "数据核查错误尚未解决" in text and "石门镇关工委" in text.split("数据核查错误尚未解决")[1][:200]


def test_highlights_never_rest_on_a_figure_with_an_error(ws):
    content = R.build_report(ws, 2020, charts=False)
    blocks = content.blocks
    i = next(k for k, b in enumerate(blocks) if b.kind == "heading" and b.text.endswith("、主要亮点"))
    j = next(k for k, b in enumerate(blocks) if k > i and b.kind == "heading")
    good = "\n".join(b.text for b in blocks[i + 1:j])
    assert "五老骨干" not in good and "五老志愿者人数最多" not in good
    assert "关工委组织数" in good  # a clean figure still makes a highlight


def test_clean_data_publishes(tmp_path):
    ws = make_ws(tmp_path, UNITS, name="测试县关工委", year=2020)
    add_submission(ws, "A", 2020, {"org_total": 10})
    r = _cli(ws, "export", "--format", "csv-long", "-o", str(tmp_path / "长表.csv"))
    assert r.exit_code == 0, r.output


def test_organisation_name_is_never_the_placeholder(tmp_path):
    from gwstats import Workspace
    from store_builders import set_units

    ws = Workspace.init(tmp_path / "ws", year=2020)  # no --name
    set_units(ws, UNITS)
    add_submission(ws, "A", 2020, {"org_total": 10})
    add_submission(ws, "B", 2020, {"org_total": 12})
    content = R.build_report(ws, 2020, charts=False)
    assert content.title.startswith("测试县关工委2020年度") and "某某市" not in content.text()
    assert "单位名称取自单位名单的最上级单位" in content.text()
    from gwstats.render.chart_data import build_chart

    assert build_chart(ws, 2020, "org_total").title.startswith("测试县关工委")


SOFTWARE_WORDS = ("--", "gwstats", ".xlsx", ".csv", "docs/", "Sheet1")


def test_what_a_report_or_chart_carries_over_an_open_error_holds_no_software_word(tmp_path):
    """Written with --allow-errors, the note under the overview says it in plain words (数据核查错误尚未
    解决，本报告照样生成…), and neither it nor the notes under tables and charts name the option, the
    file, the sheet or the software; the office's check list keeps file and cell."""
    from docx import Document

    from gwstats import Workspace
    from gwstats.analysis.marks import ErrorMarks
    from gwstats.render.chart_data import build_chart

    ws = make_ws(tmp_path / "ws", UNITS, name="测试县关工委", year=2020)
    for year, core in ((2019, 20), (2020, 90)):
        add_submission(ws, "A", year, {"wulao_volunteers": 80, "wulao_core": core, "org_total": 10},
                       file_name=f"石门镇{year}.xlsx")
        add_submission(ws, "B", year, {"wulao_volunteers": 60, "wulao_core": 10, "org_total": 12},
                       file_name=f"城关镇{year}.xlsx")
    for suffix in (".md", ".docx"):
        r = _cli(ws, "report", "-o", str(tmp_path / f"报告{suffix}"), "--allow-errors")
        assert r.exit_code == 0, r.output
    md = (tmp_path / "报告.md").read_text(encoding="utf-8")
    doc = Document(str(tmp_path / "报告.docx"))
    docx = "\n".join([p.text for p in doc.paragraphs] + [c.text for t in doc.tables for row in t.rows for c in row.cells])
    assert "数据核查错误尚未解决，本报告照样生成" in docx and "石门镇关工委" in docx
    ws = Workspace.open(ws.root)
    marks = ErrorMarks.of(ws, 2020)
    charts = []
    for metric, kind in (("wulao_core", "bar"), ("wulao_volunteers", "compare"), ("wulao_core", "trend")):
        data = build_chart(ws, 2020, metric, kind="bar" if kind == "trend" else kind,
                           by="year" if kind == "trend" else "unit", marks=marks)
        charts.append("\n".join([data.title, data.subtitle, data.footnote, *data.notes, *map(str, data.labels)]))
    assert any("※" in c for c in charts)
    for form, text in (("md", md), ("docx", docx), *(("chart", c) for c in charts)):
        for word in SOFTWARE_WORDS:
            assert word not in text.replace("---|", "").replace("|---", ""), (form, word, text)
    check_list = Document(str(tmp_path / "报告_数据核查清单.docx"))
    assert any("石门镇2020.xlsx" in c.text for t in check_list.tables for row in t.rows for c in row.cells)


def test_the_workbook_notes_name_no_option_or_command(ws, tmp_path):
    """A 同比 sheet without last year's figures says it without ``--compare``; on a hierarchy this small
    no sheet points to a command (a province's sheets name the csv exports for the rest, issue 23)."""
    from openpyxl import load_workbook

    from gwstats.render.workbook import write_workbook

    res = ws.rollup(2020, compare=None)
    path = write_workbook(ws, res, tmp_path / "汇总.xlsx", checks=ws.check(2020))
    for sheet in load_workbook(path).worksheets:
        for row in sheet.iter_rows():
            for c in row:
                if isinstance(c.value, str) and sheet.title not in ("数据来源", "校验问题"):
                    assert "--" not in c.value and "gwstats" not in c.value, (sheet.title, c.value)


@pytest.mark.parametrize("targets", ["", "\n[targets]\nrate_wuhao = 80\n"])
def test_no_target_set_nothing_said_about_targets(tmp_path, targets):
    ws = make_ws(tmp_path, UNITS, name="测试县关工委", year=2020, config_extra=targets)
    for year in (2019, 2020):
        for unit in ("A", "B", "D"):
            add_submission(ws, unit, year, {"org_total": 10, "org_wuhao": 9, "wulao_volunteers": 50})
    text = R.build_report(ws, 2020, charts=False).text()
    assert "主要指标没有" in text
    assert ("目标" in text) == bool(targets), text
