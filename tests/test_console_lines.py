"""Console output a person reads: one short line per imported file, a readable rollup default."""

from typer.testing import CliRunner
from wcwidth import wcswidth

from gwstats.cli.app import app
from gwstats.render.file_lines import file_line


def _rec(**kw):
    rec = {"文件": "2020年度关心下一代工作统计表（凉水乡）.xlsx", "结果": "已导入", "单位": "凉水乡关工委", "年度": 2020,
           "口径": "本级", "数值个数": 14, "提醒": "", "错误": ""}
    rec.update(kw)
    return rec


def test_one_short_line_per_file():
    assert file_line(_rec()) == "已导入  凉水乡关工委 2020 本级 14项  2020年度关心下一代工作统计表（凉水乡）.xlsx"
    long = file_line(_rec(结果="拒绝", 单位="", 年度=None, 口径="", 数值个数=0,
                          错误="统计表!D12 “若干”不是数字；" + "统计表!D13 “约”不是数字；" * 20))
    # a refused file: the file, then as much of its reasons as fits; all of them with -v / json
    assert long.startswith("拒绝  2020年度关心下一代工作统计表（凉水乡）.xlsx：统计表!D12 “若干”不是数字；统计表!D13")
    assert wcswidth(long) <= 100 and long.endswith("…")
    many = file_line(_rec(单位="岳西县公安局关工委、天堂派出所关工小组、店前派出所关工小组 等 6 个", 口径="本级、汇总",
                          数值个数=87, 文件="岳西县公安局关工委2018年度统计汇总表.xlsx"))
    assert many == "已导入  岳西县公安局关工委等6个单位 2020 本级、汇总 87项  岳西县公安局关工委2018年度统计汇总表.xlsx"
    cut = file_line(_rec(文件="很长的文件名" * 30 + ".xlsx"))
    assert wcswidth(cut) <= 100 and cut.endswith("…")
    noted = file_line(_rec(提醒="a；b"))
    assert noted.endswith("（有提醒）")
    assert "提醒" not in file_line(_rec(结果="未变化", 提醒="与……内容完全相同，未重复导入"))


def test_import_prints_one_line_per_file_and_details_with_v(tmp_path, chart_ws):
    bad = tmp_path / "菱北分局2018年度工作总结.xlsx"
    bad.write_bytes(b"PK\x03\x04 not really a workbook" * 3)
    good = tmp_path / "空白.csv"
    good.write_text("not,a,return\n", encoding="utf-8")
    args = ["import", "-w", str(chart_ws.root), str(bad), str(good), "--dry-run"]
    r = CliRunner().invoke(app, args)
    assert r.exit_code == 1, r.output
    lines = r.stdout.splitlines()
    assert len(lines) == 2  # one line per file, nothing else on stdout
    assert all(wcswidth(line) <= 100 for line in lines)
    assert lines[0].startswith("未导入  菱北分局2018年度工作总结.xlsx：")
    assert "-v" in r.stderr
    full = CliRunner().invoke(app, args + ["-v"])
    assert len(full.stdout) > len(r.stdout)  # the whole reasons


def test_rollup_default_is_the_headline_table(chart_ws):
    r = CliRunner().invoke(app, ["rollup", "-w", str(chart_ws.root), "--year", "2018"])
    assert r.exit_code == 0, r.output
    lines = r.stdout.splitlines()
    assert lines[1].split()[:5] == ["指标", "本年", "上年（可比口径）", "增减", "上年（全部）"]
    assert any(line.startswith("关工委组织数") for line in lines)
    assert max(wcswidth(line) for line in lines[:-1]) <= 100
    assert "--metric" in lines[-1]


def test_headline_table_uses_the_decimals_and_marks_of_every_output(demo_run):
    _, text = demo_run
    rows = {line.split()[0]: line.split()[1:] for line in text.splitlines() if len(line.split()) >= 5}
    assert rows["捐款捐物"][:3] == ["35.60", "32.27", "+3.33（+10.3%）"]  # 万元: two decimals, as the report
    assert rows["五老捐款捐物"][:3] == ["15.20", "13.50", "+1.70（+12.6%）"]
    assert rows["人均资助金额"][:3] == ["1793.33", "1850.00", "-56.67"]  # 元 per student: two decimals
    assert rows["五好达标率"][:4] == ["80.7", "72.7", "+8.0", "个百分点"]
    # a change on the comparable basis is marked and explained, never a bare +0 beside 158 / 164
    # 本年 − 上年（可比口径）= 增减 on the row, last year's full total beside it
    assert rows["应建关工委单位数"][:4] == ["158", "158", "持平*", "164"]
    assert "* 按可比口径：只比较两年都填报了该项的单位（未报：华亭公安分局）" in text
