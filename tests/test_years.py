"""A finished year stays finished: lock/unlock, the year in a file's name, revert."""

import pytest
from typer.testing import CliRunner

from gwstats.cli.app import app
from gwstats.core.errors import UsageError
from gwstats.store.years import YearLocked

from helpers_returns import UNITS_CSV, dump_store, long_rows, make_workspace, stored_values, write_xlsx

runner = CliRunner()
V1 = {"关工委组织数": 12, "五老志愿者人数": 2503, "资助金额": 13.55, "法制课场次": 200}


@pytest.fixture
def ws(tmp_path):
    return make_workspace(tmp_path)


def cli(ws, *args):
    return runner.invoke(app, [*args, "-w", str(ws.root)])


def test_a_locked_year_refuses_imports_naming_the_lock(ws, tmp_path):
    ws.import_paths([write_xlsx(tmp_path / "a" / "岳西县局2018.xlsx", {"统计表": long_rows(V1)})])
    r = cli(ws, "lock", "--year", "2018")
    assert r.exit_code == 0 and "已封账：2018 年度" in r.stdout
    before = dump_store(ws)
    new = write_xlsx(tmp_path / "b" / "岳西县局2018（修改）.xlsx", {"统计表": long_rows({**V1, "法制课场次": 201})})
    r = cli(ws, "import", str(new))
    assert r.exit_code == 1 and r.stdout.startswith("未导入  岳西县局2018（修改）.xlsx：2018 年度已于")
    # the line is cut to 100 columns; the whole reason, with what to do, follows the summary
    assert "封账" in r.stderr and "gwstats unlock --year 2018" in r.stderr
    assert dump_store(ws) == before
    assert cli(ws, "lock", "--year", "2018").exit_code == 2  # already locked
    other = write_xlsx(tmp_path / "c" / "岳西县局2019.xlsx", {"统计表": long_rows(V1, year=2019)})
    assert cli(ws, "import", str(other)).exit_code == 0  # other years are open
    r = cli(ws, "unlock", "--year", "2018")
    assert r.exit_code == 0 and "已解除 2018 年度封账" in r.stdout
    assert cli(ws, "import", str(new)).exit_code == 0
    assert stored_values(ws, "YX")["legal_lessons"][0] == "201"


def test_a_locked_year_refuses_unit_changes_that_touch_it(ws, tmp_path):
    ws.lock_year(2018)
    renamed = tmp_path / "renamed.csv"
    renamed.write_text(UNITS_CSV.replace("怀宁县公安局关工委", "怀宁县公安局关心下一代工作委员会"), encoding="utf-8")
    with pytest.raises(YearLocked) as exc:
        ws.import_units(renamed)
    assert "2018 年度已于" in exc.value.message and "HN" in exc.value.message
    r = runner.invoke(app, ["units", "import", str(renamed), "-w", str(ws.root)])
    assert r.exit_code == 1 and "封账" in r.stderr
    later = tmp_path / "later.csv"  # a unit that starts in 2019 does not change 2018
    lines = UNITS_CSV.strip().splitlines()
    header = lines[0] + ",启用年度"
    later.write_text("\n".join([header] + [ln + "," for ln in lines[1:]] + ["XN,新县公安局关工委,AQ,新县局,2019"]) + "\n",
                     encoding="utf-8")
    count, _ = ws.import_units(later)
    assert count == len(lines)


def test_revert_refused_in_a_locked_year(ws, tmp_path):
    ws.import_paths([write_xlsx(tmp_path / "a" / "岳西县局2018.xlsx", {"统计表": long_rows(V1)})])
    ws.import_paths([write_xlsx(tmp_path / "b" / "岳西县局2018（修改）.xlsx", {"统计表": long_rows({**V1, "法制课场次": 9})})])
    ws.lock_year(2018)
    with pytest.raises(YearLocked):
        ws.revert("岳西县局", 2018)


# ---- the year in the name ------------------------------------------------------------------------
def test_a_file_named_for_another_year_is_refused_with_both_years(ws, tmp_path):
    path = write_xlsx(tmp_path / "a" / "岳西县局2019年报表.xlsx", {"统计表": long_rows(V1, year=2018)})
    f = ws.import_paths([path]).files[0]
    assert f.status == "rejected"
    msg = f.errors[0].message
    assert "文件名写的是 2019 年" in msg and "表内年度写的是 2018 年" in msg and "--year 2018" in msg
    f = ws.import_paths([path], year=2018).files[0]  # --year settles it
    assert f.status == "accepted" and any("按 --year 2018 导入" in w.message for w in f.warnings)


def test_a_file_in_a_folder_of_another_year_is_refused(ws, tmp_path):
    path = write_xlsx(tmp_path / "2019" / "岳西县局报表.xlsx", {"统计表": long_rows(V1, year=2018)})
    f = ws.import_paths([path]).files[0]
    assert f.status == "rejected" and "所在文件夹“2019”写的是 2019 年" in f.errors[0].message
    assert ws.import_paths([path], year=2019).files[0].status == "rejected"  # --year must agree with the cell
    ok = write_xlsx(tmp_path / "2018" / "岳西县局报表.xlsx", {"统计表": long_rows(V1, year=2018)})
    assert ws.import_paths([ok]).files[0].status == "accepted"


# ---- revert --------------------------------------------------------------------------------------
def test_wrong_import_then_revert_gives_the_same_totals_to_the_byte(ws, tmp_path):
    ws.import_paths([write_xlsx(tmp_path / "a" / "岳西县局2018.xlsx", {"统计表": long_rows(V1)})])
    ws.import_paths([write_xlsx(tmp_path / "a" / "怀宁县局2018.xlsx", {"统计表": long_rows(V1, unit="怀宁县公安局关工委")})])
    before = cli(ws, "rollup", "--year", "2018", "-f", "csv").stdout_bytes
    wrong = write_xlsx(tmp_path / "b" / "岳西县局2018（修改）.xlsx",
                       {"统计表": long_rows({**V1, "法制课场次": 999, "资助金额": 1})})
    assert ws.import_paths([wrong]).files[0].status == "replaced"
    assert cli(ws, "rollup", "--year", "2018", "-f", "csv").stdout_bytes != before
    r = cli(ws, "revert", "--unit", "岳西县局", "--year", "2018")
    assert r.exit_code == 0 and "第 1 版" in r.stdout and "记为第 3 版" in r.stdout
    assert cli(ws, "rollup", "--year", "2018", "-f", "csv").stdout_bytes == before
    hist = ws.history("岳西县局", 2018)
    assert [(v.number, v.in_force) for v in hist.versions] == [(1, False), (2, False), (3, True)]
    assert hist.versions[2].note.startswith("恢复为第 1 版") and hist.versions[2].file == "岳西县局2018.xlsx"
    assert ws.store.conn.execute("SELECT count(*) FROM submissions WHERE unit='YX'").fetchone()[0] == 3  # nothing deleted
    r = cli(ws, "history", "--unit", "岳西县局", "--year", "2018")
    assert "恢复为第 1 版" in r.stdout
    r = cli(ws, "revert", "--unit", "岳西县局", "--year", "2018", "--to", "2")  # and forward again
    assert r.exit_code == 0 and stored_values(ws, "YX")["legal_lessons"][0] == "999"


def test_revert_usage_errors(ws, tmp_path):
    with pytest.raises(UsageError):
        ws.revert("岳西县局", 2018)  # no versions
    ws.import_paths([write_xlsx(tmp_path / "a" / "岳西县局2018.xlsx", {"统计表": long_rows(V1)})])
    with pytest.raises(UsageError):
        ws.revert("岳西县局", 2018)  # only one version
    r = cli(ws, "revert", "--unit", "岳西县局", "--year", "2018", "--to", "7")
    assert r.exit_code == 2 and "没有第 7 版" in r.stderr
