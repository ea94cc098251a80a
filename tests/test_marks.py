"""Issue 20, "Nothing published over an open error": with --allow-errors every figure an open error
touches is marked (※) where it is shown, with a note saying what the error is: report (md, html,
docx), workbook, charts and the 汇总 return sent up. One helper answers "is this figure affected?"."""

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from gwstats.analysis.marks import MARK, ErrorMarks
from gwstats.cli.app import app
from store_builders import TOWNS_UNITS, add_submission, make_ws

UNITS = TOWNS_UNITS


@pytest.fixture
def ws(tmp_path):
    """石门镇 gives 骨干 90 of 志愿者 80 and 捐款捐物 8000 万元 (3.2 last year): two errors; the rest clean."""
    ws = make_ws(tmp_path, UNITS, name="测试县关工委", year=2020)
    for year in (2019, 2020):
        add_submission(ws, "A", year, {"wulao_volunteers": 80, "wulao_core": 90 if year == 2020 else 20,
                                       "org_total": 10, "donations": 8000 if year == 2020 else 3.2},
                       file_name=f"石门镇{year}.xlsx")
        add_submission(ws, "B", year, {"wulao_volunteers": 60, "wulao_core": 10, "org_total": 13, "donations": 1.5})
        add_submission(ws, "D", year, {"wulao_volunteers": 50, "wulao_core": 5, "org_total": 8, "donations": 0.9})
    return ws


def _cli(ws, *args):
    return CliRunner().invoke(app, [*args, "-w", str(ws.root), "--year", "2020", "--allow-errors"])


def test_one_helper_says_which_figures_an_error_touches(ws):
    marks = ErrorMarks.of(ws, 2020)
    assert marks.affected("A", "donations") and marks.affected("C", "donations")  # the total it feeds
    assert not marks.affected("B", "donations") and not marks.affected("A", "org_total")
    # a rule's error puts both its figures in doubt, and the rate built on them
    assert marks.affected("A", "wulao_volunteers") and marks.affected("C", "rate_wulao_core")
    assert not marks.affected("D", "rate_wulao_core")
    assert not marks.affected("A", "donations", 2019)  # last year's figure is not in doubt
    assert marks.mark("8000.00", "A", "donations") == "8000.00" + MARK and marks.mark("13", "B", "org_total") == "13"


def test_report_marks_figures_in_prose_and_tables_with_a_note(ws, tmp_path):
    r = _cli(ws, "report", "-o", str(tmp_path / "报告.md"))
    assert r.exit_code == 0, r.output
    text = (tmp_path / "报告.md").read_text(encoding="utf-8")
    assert f"捐款捐物8002.4万元{MARK}" in text  # the 合计 in the sentence, as the text rounds it
    # a heading never calls a doubtful figure progress: plain, with its mark
    assert f"## 四、帮扶助学工作：捐款捐物8002.4万元{MARK}" in text and "稳步推进，捐款捐物" not in text
    assert f"| 石门镇 | 8000.00{MARK} |" in text and "| 城关镇 | 1.50 |" in text
    assert f"| 合计 | 8002.40{MARK} |" in text
    assert f"| 石门镇 | 10 |" in text  # 关工委组织数: no error, no mark
    assert "疑为以元填入万元栏" in text.split(f"| 合计 | 8002.40{MARK} |")[1][:600]  # the note under the table
    html = tmp_path / "报告.html"
    assert _cli(ws, "report", "-o", str(html)).exit_code == 0
    assert f"8000.00{MARK}" in html.read_text(encoding="utf-8")


def test_report_docx_cells_carry_the_mark(ws, tmp_path):
    from docx import Document

    assert _cli(ws, "report", "-o", str(tmp_path / "报告.docx")).exit_code == 0
    doc = Document(tmp_path / "报告.docx")
    cells = {c.text for t in doc.tables for row in t.rows for c in row.cells}
    assert f"90{MARK}" in cells and f"8000.00{MARK}" in cells and "60" in cells
    assert any(MARK in p.text and "捐款捐物" in p.text for p in doc.paragraphs)


def test_workbook_cells_keep_numbers_and_show_the_mark(ws, tmp_path):
    from gwstats.render.workbook import write_workbook

    path = write_workbook(ws, ws.rollup(2020), tmp_path / "汇总.xlsx")
    sheet = load_workbook(path)["汇总"]
    cells = {(c.value, c.number_format) for row in sheet.iter_rows() for c in row if isinstance(c.value, (int, float))}
    assert any(v == 8000 and fmt.endswith(f'"{MARK}"') for v, fmt in cells)
    assert any(v == 13 and MARK not in fmt for v, fmt in cells)
    notes = [c.value for row in sheet.iter_rows() for c in row if isinstance(c.value, str) and c.value.startswith(MARK)]
    assert notes and "石门镇关工委" in notes[0] and "单元格 D" in notes[0]


def test_charts_mark_the_label_and_say_it_under_the_chart(ws):
    from gwstats.render.chart_data import build_chart

    data = build_chart(ws, 2020, "donations")
    assert f"石门镇{MARK}" in data.labels and "城关镇" in data.labels
    assert MARK in data.subtitle and any("疑为以元填入万元栏" in n for n in data.notes)
    clean = build_chart(ws, 2020, "org_total")
    assert not any(MARK in lab for lab in clean.labels) and not any(MARK in n for n in clean.notes)


def test_return_sent_up_marks_the_figure_and_says_why(ws, tmp_path):
    out = tmp_path / "汇总表.xlsx"
    r = _cli(ws, "export", "--as-return", "-o", str(out))
    assert r.exit_code == 0, r.output
    assert "捐款捐物" in r.output.split("标“※”")[1]
    sheet = load_workbook(out).worksheets[0]
    rows = {row[1].value: row for row in sheet.iter_rows() if row[1].value}
    don = rows["捐款捐物"]
    assert float(don[3].value) == 8002.4 and don[3].number_format.endswith(f'"{MARK}"')  # still a number
    assert "疑为以元填入万元栏" in don[4].value and don[3].comment is not None
    org = rows["关工委组织数"]
    assert MARK not in (org[3].number_format or "") and not org[4].value


def test_return_sent_up_runs_the_check_once(ws, tmp_path, monkeypatch):
    """The gate's errors-only check (kept for the whole tree) also gives the return's marks: the
    whole tree named by its root's code is the same check, not a second run."""
    from gwstats.analysis import checks

    runs = []
    real = checks.run_checks
    monkeypatch.setattr(checks, "run_checks", lambda *a, **k: runs.append(k.get("unit")) or real(*a, **k))
    r = _cli(ws, "export", "--as-return", "-o", str(tmp_path / "汇总表.xlsx"))
    assert r.exit_code == 0, r.output
    assert runs == [None]
    runs.clear()
    r = _cli(ws, "export", "--as-return", "-u", "城关镇关工委", "-o", str(tmp_path / "城关镇.xlsx"))
    assert r.exit_code == 0, r.output
    assert runs == ["B"]  # a unit below the root: its own check, once too


def test_affected_units_is_affected_for_each_unit(ws):
    marks = ErrorMarks.of(ws, 2020)
    tree = marks.tree
    units = list(range(tree.n))
    for metric in [*ws.catalog.metrics, *ws.catalog.indicators]:
        got = marks.affected_units(units, metric).tolist()
        assert got == [marks.affected(tree.codes[i], metric) for i in units], metric
    assert any(marks.affected_units(units, "donations")) and not any(ErrorMarks([], ws.catalog, tree, 2020).affected_units(units, "donations"))
