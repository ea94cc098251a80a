"""Output that cannot hurt: CSV cells a spreadsheet would run are neutralised, CSV files get a BOM,
templates hold unit names as text, Markdown escapes HTML, a GBK console never stops the output."""

import os
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from gwstats import Workspace
from gwstats.cli.app import app
from gwstats.render.table import csv_safe, md_escape, render_records

runner = CliRunner()
UNITS = """编码,单位名称,上级编码,别名
R,测试市关工委,,市关工委
A,"=HYPERLINK(""http://evil.example/x"",""点我"")",R,甲单位
B,+cmd|' /C calc'!A0,R,乙单位
C,<script>alert(1)</script>关工委,R,丙单位
D,@SUM(1+1)*cmd|' /C calc'!A0,R,丁单位
E,-2+3+cmd|' /C calc'!A0,R,戊单位
F,笑脸😀▶关工委,R,己单位
"""
RISKY = ('=HYPERLINK("http://evil.example/x","点我")', "+cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0",
         "-2+3+cmd|' /C calc'!A0")


@pytest.fixture
def ws(tmp_path):
    ws = Workspace.init(tmp_path / "ws", name="测试市关工委", year=2020)
    (tmp_path / "units.csv").write_text(UNITS, encoding="utf-8")
    ws.import_units(tmp_path / "units.csv")
    return ws


def test_csv_safe_neutralises_formulas_and_keeps_numbers():
    for text in RISKY:
        assert csv_safe(text) == "'" + text
    for text in ("-3", "+12.5%", "-1,234.5", "甲", "—"):
        assert csv_safe(text) == text
    out = render_records([{"单位": RISKY[0], "变化": -3}], "csv")
    assert out.splitlines()[1] == "\"'=HYPERLINK(\"\"http://evil.example/x\"\",\"\"点我\"\")\",-3"


def test_status_csv_has_no_live_formula(ws):
    r = runner.invoke(app, ["status", "-w", str(ws.root), "--year", "2020", "-f", "csv"])
    assert r.exit_code == 0
    import csv
    import io

    cells = [c for row in csv.reader(io.StringIO(r.stdout)) for c in row]
    assert not [c for c in cells if c and c[0] in "=+-@" and not c.lstrip("+-").replace(".", "").isdigit()], cells
    assert "'" + RISKY[0] in cells


def test_a_csv_written_to_a_file_starts_with_a_bom(ws, tmp_path):
    out = tmp_path / "填报情况.csv"
    with open(out, "wb") as fh:
        subprocess.run([sys.executable, "-m", "gwstats", "status", "-w", str(ws.root), "--year", "2020", "-f", "csv"],
                       stdout=fh, check=True, env={**os.environ, "PYTHONIOENCODING": "gbk"})
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    assert "笑脸😀▶关工委" in data[3:].decode("utf-8")  # UTF-8 whatever the console encoding


def test_a_gbk_console_gets_replacement_characters_not_a_traceback(ws):
    r = subprocess.run([sys.executable, "-m", "gwstats", "status", "-w", str(ws.root), "--year", "2020"],
                       capture_output=True, env={**os.environ, "PYTHONIOENCODING": "gbk"})
    assert r.returncode == 0, r.stderr.decode("gbk", "replace")
    text = r.stdout.decode("gbk")
    assert "笑脸?" in text and "测试市关工委" not in r.stderr.decode("gbk")


def test_templates_hold_unit_names_as_text(ws, tmp_path):
    from openpyxl import load_workbook

    paths = ws.write_templates(2020, tmp_path / "t")
    found = 0
    for p in paths:
        wb = load_workbook(p)
        for sheet in wb.worksheets:
            for row in sheet.iter_rows():
                for c in row:
                    if isinstance(c.value, str) and c.value in RISKY:
                        assert c.data_type == "s", (p.name, c.coordinate, c.value)
                        found += 1
    assert found >= 4


def test_markdown_escapes_html():
    assert md_escape("<script>alert(1)</script>关工委") == "&lt;script&gt;alert(1)&lt;/script&gt;关工委"
    text = render_records([{"单位": "<b>甲</b>|乙"}], "md")
    assert "<b>" not in text and "&lt;b&gt;甲&lt;/b&gt;\\|乙" in text


def test_status_markdown_has_no_html(ws):
    r = runner.invoke(app, ["status", "-w", str(ws.root), "--year", "2020", "-f", "md"])
    assert r.exit_code == 0 and "<script>" not in r.stdout and "&lt;script&gt;" in r.stdout


def test_terminal_escapes_in_file_names_and_cells_are_shown_escaped(ws, tmp_path):
    """A file named with an OSC sequence (sets the terminal's title) and a cell holding ESC[2J."""
    from helpers_returns import long_rows, write_csv

    name = "恶意\x1b]0;标题\x07报表2020.csv"
    rows = long_rows({"关工委组织数": 3, "奇怪\x1b[2J指标": 5}, unit="测试市关工委", year=2020)
    path = write_csv(tmp_path / "in" / name, rows)
    for args in (["import", str(path), "-v"], ["import", str(path), "-f", "table", "--dry-run"]):
        r = runner.invoke(app, [*args, "-w", str(ws.root)])
        out = r.output + (r.stderr or "")
        assert "\x1b" not in out and "\x07" not in out, out
        assert "\\x1b]0;标题\\x07" in out
