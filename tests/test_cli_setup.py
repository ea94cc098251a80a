"""init, units and template through the command line, as a user runs them."""

import subprocess
import sys

from typer.testing import CliRunner

from gwstats.cli.app import app

runner = CliRunner()


def run(*args):
    return runner.invoke(app, [str(a) for a in args])


def test_init_units_template_round(tmp_path):
    ws = tmp_path / "ws"
    r = run("init", ws, "--name", "集安市关工委", "--year", "2020")
    assert r.exit_code == 0, r.output
    assert "已创建工作区" in r.output
    r = run("units", "import", ws / "units.csv", "-w", ws)
    assert r.exit_code == 0 and "已导入 9 个单位" in r.output
    r = run("units", "tree", "-w", ws, "--unit", "西山县")
    assert r.exit_code == 0 and r.output.splitlines()[1].startswith("  西山镇关工委")
    r = run("units", "check", "-w", ws)
    assert r.exit_code == 0 and "没有发现问题" in r.output
    r = run("template", "-w", ws, "-o", tmp_path / "tpl")
    assert r.exit_code == 0 and "已生成 8 份 2020 年度统计表" in r.output


def test_units_check_file_with_defects_exits_1(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("编码,单位名称,上级编码\nA,甲,\nB,乙,A\nB,丙,A\nC,丁,Q\n", encoding="utf-8")
    r = run("units", "check", bad, "--format", "json")
    assert r.exit_code == 1
    assert "编码 B 重复" in r.output and "上级编码 Q 不存在" in r.output


def test_outside_a_workspace_is_a_one_line_hint(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GWSTATS_WORKSPACE", raising=False)
    r = run("units", "tree")
    assert r.exit_code == 2
    assert "gwstats init" in r.output
    assert "Traceback" not in r.output


def test_bad_units_file_is_a_message_not_a_traceback(tmp_path):
    run("init", tmp_path / "ws")
    (tmp_path / "u.xlsx").write_text("not a workbook", encoding="utf-8")
    r = run("units", "import", tmp_path / "u.xlsx", "-w", tmp_path / "ws")
    assert r.exit_code == 1
    assert "u.xlsx" in r.output and "Traceback" not in r.output


def test_template_with_unknown_unit_suggests(tmp_path):
    ws = tmp_path / "ws"
    run("init", ws)
    run("units", "import", ws / "units.csv", "-w", ws)
    r = run("template", "-w", ws, "--unit", "西山", "-o", tmp_path / "t")
    assert r.exit_code == 0  # "西山" is an alias of 西山县关工委
    r = run("template", "-w", ws, "--unit", "北山县", "-o", tmp_path / "t")
    assert r.exit_code == 2 and "单位名单中没有“北山县”" in r.output


def test_python_dash_m_entry_point():
    out = subprocess.run([sys.executable, "-m", "gwstats", "--help"], capture_output=True, text=True)
    assert out.returncode == 0 and "关工委统计报表汇总工具" in out.stdout


def test_help_does_not_import_heavy_libraries():
    code = "import sys; from gwstats.cli.app import app; bad=[m for m in ('pandas','matplotlib','openpyxl','numpy','python_calamine','docx','starlette','uvicorn','jinja2','multipart') if m in sys.modules]; print(bad)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.stdout.strip() == "[]", out.stdout + out.stderr


def test_year_out_of_range_is_a_usage_error(tmp_path):
    run("init", tmp_path / "ws")
    r = run("template", "-w", tmp_path / "ws", "--year", "18", "-o", tmp_path / "t")
    assert r.exit_code == 2 and "年度应为 1949–2100 之间的四位数，实际为 18" in r.output


def test_unwritable_output_is_a_message_not_a_traceback(tmp_path):
    ws = tmp_path / "ws"
    run("init", ws)
    run("units", "import", ws / "units.csv", "-w", ws)
    blocker = tmp_path / "a-file"
    blocker.write_text("x", encoding="utf-8")
    r = run("template", "-w", ws, "-o", blocker / "sub")
    assert r.exit_code == 2
    assert "无法读写" in r.output and "Traceback" not in r.output


def test_hints_work_in_powershell_5(tmp_path):
    """Windows 10's PowerShell 5.1 has no `&&`: every hint is one command a line."""
    import re
    from pathlib import Path

    r = run("init", tmp_path / "我的 工作区", "--name", "集安市关工委", "--year", "2020")
    assert r.exit_code == 0, r.output
    lines = r.output.splitlines()
    assert "&&" not in r.output
    at = lines.index("下一步（逐行输入）：")
    assert lines[at + 1] == f'  cd "{tmp_path / "我的 工作区"}"' and lines[at + 2] == "  gwstats units import units.csv"
    # no other message of the command line chains commands with &&
    cli = Path(__file__).parent.parent / "gwstats"
    chained = [f"{p.name}: {line.strip()}" for p in cli.rglob("*.py")
               for line in p.read_text(encoding="utf-8").splitlines() if re.search(r"\s&&\s", line)]
    assert chained == []
