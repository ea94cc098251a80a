"""gwstats demo: the whole path on the bundled samples, end to end, in a temporary folder."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from gwstats.cli import demo
from gwstats.cli.app import app
from gwstats.core.errors import UsageError


@pytest.fixture(scope="module")
def full_run(demo_run):
    return demo_run


def test_demo_runs_every_step(full_run):
    result, text = full_run
    assert [r.name for r in result.runs] == ["anqing-police", "jian-an"]
    assert result.ok, [(s.sample, s.name, s.status, s.detail) for s in result.steps if s.status != "ok"]
    names = [s.name for s in result.runs[0].steps]
    assert names[:4] == ["建立工作区", "导入单位名单", "导入 2017 年报表", "导入 2018 年报表"]
    assert "全部步骤完成" in text


def test_demo_makes_every_listed_output(full_run):
    result, _ = full_run
    for run in result.runs:
        out = run.workspace / demo.OUTPUT_DIR
        org, year = run.organisation, run.years[1]
        assert (run.workspace / "gwstats.toml").is_file()
        assert (run.workspace / "gwstats.sqlite").is_file()
        xlsx = out / f"{org}{year}年度汇总.xlsx"
        docx_path = out / f"{org}{year}年度统计分析.docx"
        html = out / f"{org}{year}年度统计分析.html"
        pngs = sorted((out / "图表").glob("*.png"))
        for p in (xlsx, docx_path, html, out / "图表" / "index.md"):
            assert p.is_file() and p.stat().st_size > 0, p
            assert p in result.outputs
        assert len(pngs) == 6  # the sample's meeting set, every chart with data
        assert all(p.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" for p in pngs)

        from openpyxl import load_workbook

        wb = load_workbook(xlsx, read_only=True)
        assert len(wb.sheetnames) >= 2
        wb.close()
        import docx

        doc = docx.Document(str(docx_path))
        body = "\n".join(p.text for p in doc.paragraphs)
        assert org in body
        assert doc.inline_shapes, "the report has its charts"
        page = html.read_text(encoding="utf-8")
        assert org in page and "<img" in page


def test_demo_shows_the_refused_file_and_the_check_finding(full_run):
    result, text = full_run
    assert "拒收：菱北分局2018年度工作总结.xlsx" in text
    assert "Word" in text
    assert "未报：华亭公安分局关工委" in text
    assert "29%" in text and "32.0%" in text
    aq, ja = result.runs
    assert aq.imports[2018].has_rejections and not ja.imports[2020].has_rejections
    assert any(f.extra.get("metric") == "rate_wulao_core" for f in ja.check.findings)


def test_demo_rollup_headline(full_run):
    result, text = full_run
    ja = result.runs[1]
    rec = ja.rollup.record("JA", "rate_wuhao")
    assert round(rec["value"], 1) == 80.7 and round(rec["change"], 1) == 8.0
    assert "+8.0 个百分点" in text
    assert "+135" in text  # 五老志愿者 比上年增加 135
    # the sample's own chart set went into the workspace settings
    cfg = (ja.workspace / "gwstats.toml").read_text(encoding="utf-8")
    assert '"rate:rate_wuhao"' in cfg


def test_demo_copies_returns_but_not_the_generator(full_run):
    result, _ = full_run
    inputs = result.runs[0].workspace / demo.INPUT_DIR
    assert (inputs / "2018" / "桐城市局2018年报表(修改版).xlsx").is_file()
    assert not (inputs / "generate.py").exists() and not (inputs / "definition").exists()
    assert not (result.runs[0].workspace / "units.csv").exists()  # init's example list removed
    assert (result.runs[0].workspace / "units.xlsx").is_file()


def test_demo_refuses_a_non_empty_folder(tmp_path):
    (tmp_path / "keep.txt").write_text("x", encoding="utf-8")
    with pytest.raises(UsageError, match="--force"):
        demo.run_demo(tmp_path, samples="jian-an", echo=lambda s: None)
    assert (tmp_path / "keep.txt").exists()


def test_force_replaces_only_the_demo_workspaces(tmp_path):
    (tmp_path / "keep.txt").write_text("x", encoding="utf-8")
    (tmp_path / "jian-an").mkdir()
    (tmp_path / "jian-an" / "old.txt").write_text("old", encoding="utf-8")
    demo.prepare_out_dir(tmp_path, ["jian-an"], force=True)
    assert (tmp_path / "keep.txt").exists()
    assert not (tmp_path / "jian-an").exists()


def test_unknown_sample_is_a_usage_error(tmp_path):
    with pytest.raises(UsageError, match="jian-an"):
        demo.run_demo(tmp_path / "o", samples="nanjing", echo=lambda s: None)


def test_a_failing_step_is_reported_not_pretended_and_the_others_run(tmp_path, monkeypatch):
    from gwstats.workspace import Workspace

    def refused(self, *a, **k):
        raise UsageError("报告模板不可用")

    def broken(self, *a, **k):
        raise RuntimeError("boom")

    monkeypatch.setattr(Workspace, "report", refused)
    monkeypatch.setattr(Workspace, "charts", broken)
    lines: list[str] = []
    result = demo.run_demo(tmp_path / "o", samples="jian-an", echo=lines.append)
    by_name = {s.name: s for s in result.steps}
    assert by_name["工作总结 Word"].status == "failed" and by_name["工作总结 Word"].detail == "报告模板不可用"
    assert by_name["会议图表"].status == "failed" and "内部错误 RuntimeError: boom" in by_name["会议图表"].detail
    assert by_name["导入 2020 年报表"].status == "ok"
    assert not result.ok
    text = "\n".join(lines)
    assert "尚未实现" not in text and "有 3 个步骤未完成" in text


def test_cli_demo_help_and_refusal(tmp_path):
    runner = CliRunner()
    res = runner.invoke(app, ["demo", "--help"])
    assert res.exit_code == 0 and "例：gwstats demo" in res.output
    (tmp_path / "x.txt").write_text("x", encoding="utf-8")
    res = runner.invoke(app, ["demo", "-o", str(tmp_path)])
    assert res.exit_code == 2
    assert "--force" in res.output
    assert "Traceback" not in res.output


def test_sample_data_is_found_as_package_data():
    root = demo.sample_root()
    assert root.joinpath("definition", "jian-an.toml").is_file()
    d = demo.sample_definition("anqing-police")
    assert d["workspace"]["name"] == "安庆市公安局关工委" and d["workspace"]["years"] == [2017, 2018]


def test_copy_sample(tmp_path):
    n = demo.copy_sample("jian-an", tmp_path)
    files = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file())
    assert n == len(files) and "units.csv" in files
    assert any(f.startswith("2020/") for f in files) and any(f.startswith("2019/") for f in files)
    assert Path(tmp_path / "units.csv").read_text(encoding="utf-8").startswith("编码,单位名称")


def test_demo_shows_the_jian_an_crosstab(full_run):
    """集安 2020 gains a cross-tab (organisations by type): the demo adds it up row × column."""
    result, text = full_run
    run = next(r for r in result.runs if r.name == "jian-an")
    step = next(s for s in run.steps if s.name.startswith("交叉表"))
    assert step.status == "ok" and "组织类型表" in step.detail
    lines = {line.split()[0]: line.split()[1:] for line in text.splitlines()
             if line.strip() and line.split()[0] in ("村", "社区", "学校", "机关企事业单位", "合计") and len(line.split()) == 3}
    assert lines == {"村": ["38", "35"], "社区": ["10", "9"], "学校": ["13", "9"], "机关企事业单位": ["7", "7"], "合计": ["68", "60"]}
    assert "填了此表的单位 4 个" in text
