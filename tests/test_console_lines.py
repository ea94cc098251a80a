"""Console output a person reads: one short line per imported file, a readable rollup default."""

from typer.testing import CliRunner
from wcwidth import wcswidth

from gwstats.cli.app import app
from gwstats.cli.import_cmds import file_line


def _rec(**kw):
    rec = {"文件": "2020年度关心下一代工作统计表（凉水乡）.xlsx", "结果": "已导入", "单位": "凉水乡关工委", "年度": 2020,
           "口径": "本级", "数值个数": 14, "提醒": "", "错误": ""}
    rec.update(kw)
    return rec


def test_one_short_line_per_file():
    assert file_line(_rec()) == "已导入  凉水乡关工委 2020 本级 14项  2020年度关心下一代工作统计表（凉水乡）.xlsx"
    long = file_line(_rec(结果="拒绝", 单位="", 年度=None, 口径="", 数值个数=0,
                          错误="统计表!D12 “若干”不是数字；" + "统计表!D13 “约”不是数字；" * 20))
    assert long == "拒绝  2020年度关心下一代工作统计表（凉水乡）.xlsx"  # the reasons follow on their own line
    cut = file_line(_rec(文件="很长的文件名" * 30 + ".xlsx"))
    assert wcswidth(cut) <= 100 and cut.endswith("…")
    noted = file_line(_rec(提醒="a；b"))
    assert noted.endswith("（有提醒）")
    assert "提醒" not in file_line(_rec(结果="未变化", 提醒="与……内容完全相同，未重复导入"))


def test_rollup_default_is_the_headline_table(chart_ws):
    r = CliRunner().invoke(app, ["rollup", "-w", str(chart_ws.root), "--year", "2018"])
    assert r.exit_code == 0, r.output
    lines = r.stdout.splitlines()
    assert lines[1].split()[:4] == ["指标", "本年", "上年", "增减"]
    assert any(line.startswith("关工委组织数") for line in lines)
    assert max(wcswidth(line) for line in lines[:-1]) <= 100
    assert "--metric" in lines[-1]
