"""gwstats history: versions of a unit's return and what changed between them."""

import json

from typer.testing import CliRunner

from gwstats.cli.app import app

from helpers_returns import long_rows, make_workspace, write_xlsx

runner = CliRunner()


def _import(ws, tmp_path, name, values, **kw):
    path = write_xlsx(tmp_path / "in" / name, {"统计表": long_rows(values, **kw)})
    report = ws.import_paths([path])
    assert not report.has_rejections, report.records()
    return path


def test_versions_and_changes(tmp_path):
    ws = make_workspace(tmp_path)
    _import(ws, tmp_path, "岳西v1.xlsx", {"关工委组织数": 12, "法制课场次": 100, "资助金额": 13.55})
    _import(ws, tmp_path, "岳西v2.xlsx", {"关工委组织数": 12, "法制课场次": 120, "资助金额": "—", "结对帮扶对数": 30})
    _import(ws, tmp_path, "岳西汇总.xlsx", {"关工委组织数": 40}, scope="汇总")
    h = ws.history("岳西县局", 2018)
    assert h.unit == "YX" and h.unit_name == "岳西县公安局关工委"
    assert [(v.number, v.scope, v.file, v.n_values, v.in_force) for v in h.versions] == [
        (1, "本级", "岳西v1.xlsx", 3, False), (2, "本级", "岳西v2.xlsx", 4, True), (1, "汇总", "岳西汇总.xlsx", 1, True)]
    changes = [(c.metric, c.old, c.new, c.cell) for c in h.changes]
    assert changes == [("legal_lessons", "100", "120", "D8"), ("aid_amount", "13.55", "—（不适用）", "D9"),
                       ("mentoring_pairs", "（未填）", "30", "D10")]
    recs = h.records()
    assert recs[1]["状态"] == "在用" and recs[0]["状态"] == "已替换" and recs[1]["改动数值个数"] == 3
    assert h.change_records()[0] == {"口径": "本级", "版本": "1→2", "指标": "法制课场次", "原值": "100", "新值": "120", "单元格": "D8"}


def test_history_cli(tmp_path):
    ws = make_workspace(tmp_path)
    _import(ws, tmp_path, "a.xlsx", {"法制课场次": 100})
    _import(ws, tmp_path, "b.xlsx", {"法制课场次": 90})
    res = runner.invoke(app, ["history", "-u", "YX", "-y", "2018", "-w", str(ws.root)])
    assert res.exit_code == 0, res.output
    assert "a.xlsx" in res.stdout and "b.xlsx" in res.stdout and "相邻版本之间改动的数值" in res.stdout
    res = runner.invoke(app, ["history", "-u", "岳西县局", "-y", "2018", "-w", str(ws.root), "-f", "json", "--changes"])
    assert json.loads(res.stdout) == [{"口径": "本级", "版本": "1→2", "指标": "法制课场次", "原值": "100", "新值": "90", "单元格": "D7"}]
    res = runner.invoke(app, ["history", "-u", "WJ", "-y", "2018", "-w", str(ws.root)])
    assert res.exit_code == 0 and "没有导入过报表" in res.output
    res = runner.invoke(app, ["history", "-u", "没有", "-y", "2018", "-w", str(ws.root)])
    assert res.exit_code == 2
