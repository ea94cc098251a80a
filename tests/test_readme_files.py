"""`gwstats demo --files DIR` lays out what the README walkthrough reads (gwstats/cli/example_files.py)."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from gwstats.cli.app import app

SAMPLE = Path(__file__).resolve().parent.parent / "sample_data"


def test_files_are_laid_out_as_the_walkthrough_reads_them(tmp_path):
    res = CliRunner().invoke(app, ["demo", "--files", str(tmp_path / "示例")])
    assert res.exit_code == 0, res.output
    out = tmp_path / "示例"
    files = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()}
    assert {"集安/单位名单.csv", "安庆/单位名单.xlsx", "通化/单位名单.csv",
            "上级表格/通化市关工委2020年统计表.xlsx", "上级表格/省关工委组织建设情况统计表.xlsx"} <= files
    for folder, sample, years in (("集安", "jian-an", (2019, 2020)), ("安庆", "anqing-police", (2017, 2018))):
        for year in years:
            shipped = sorted(p.name for p in (SAMPLE / sample / str(year)).iterdir())
            laid = sorted(f.rsplit("/", 1)[1] for f in files if f.startswith(f"{folder}/收到的报表/{year}/"))
            assert laid == shipped and laid
    assert (out / "集安/单位名单.csv").read_bytes() == (SAMPLE / "jian-an/units.csv").read_bytes()
    assert (out / "上级表格/省关工委组织建设情况统计表.xlsx").read_bytes() == \
        (SAMPLE / "superior/省关工委组织建设情况统计表.xlsx").read_bytes()
    assert "集安/收到的报表/2020/：集安市关工委 2020 年收到的报表（27 个文件）" in res.output
    assert not (out / "集安" / "catalog.toml").exists()  # the walkthrough uses the default catalog
    assert not list(tmp_path.glob("gwstats-demo"))  # nothing run: no demo workspaces


def test_files_refuses_a_folder_that_is_not_empty(tmp_path):
    (tmp_path / "已有.txt").write_text("x", encoding="utf-8")
    res = CliRunner().invoke(app, ["demo", "--files", str(tmp_path)])
    assert res.exit_code == 2
    assert "已存在且不为空" in res.output and "Traceback" not in res.output
    assert [p.name for p in tmp_path.iterdir()] == ["已有.txt"]
