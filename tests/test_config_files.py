"""gwstats.toml and catalog.toml as Notepad saves them (UTF-8 with BOM, GBK), and bad values."""

import pytest
from typer.testing import CliRunner

from gwstats import Workspace
from gwstats.cli.app import app
from gwstats.model.config import ConfigError, parse_config

runner = CliRunner()


@pytest.fixture
def ws(tmp_path):
    ws = Workspace.init(tmp_path / "ws", name="集安市关工委", year=2020)
    ws.import_units(ws.root / "units.csv")
    return ws


def test_a_config_saved_with_bom_or_as_gbk_is_read(ws):
    text = ws.config_path.read_text(encoding="utf-8")
    for data in (b"\xef\xbb\xbf" + text.encode("utf-8"), text.encode("gbk")):
        ws.config_path.write_bytes(data)
        cfg = parse_config(ws.config_path)
        assert cfg.organisation == "集安市关工委" and cfg.default_year == 2020


def test_a_catalog_saved_with_bom_or_as_gbk_is_read(ws):
    cat = ws.root / "catalog.toml"
    text = cat.read_text(encoding="utf-8")
    for data in (b"\xef\xbb\xbf" + text.encode("utf-8"), text.encode("gbk")):
        cat.write_bytes(data)
        again = Workspace.open(ws.root)
        assert again.catalog.label_of("legal_lessons") == "法制课场次"


@pytest.mark.parametrize("old, new, words", [
    ("max_file_mb = 20", 'max_file_mb = "big"', '[import] max_file_mb = "big" 不可用：应为 0.001–10000 之间的数字'),
    ("max_file_mb = 20", "max_file_mb = nan", "[import] max_file_mb = nan 不可用"),
    ("default_year = 2020", "default_year = 99999999999999999999", "[report] default_year = 99999999999999999999 不可用：应为 1949–2100 之间的整数"),
    ("default_year = 2020", 'default_year = "二〇二〇"', "[report] default_year"),
    ("dpi = 200", "dpi = 100000", "[charts] dpi = 100000 不可用：应为 50–1200 之间的整数"),
    ("jump_relative = 0.5", "jump_relative = -1", "[checks] jump_relative"),
    ("size = [13.33, 7.5]", "size = [13.33]", "[charts] size"),
])
def test_a_bad_value_names_the_key_and_what_is_expected(ws, old, new, words):
    text = ws.config_path.read_text(encoding="utf-8")
    assert old in text
    ws.config_path.write_text(text.replace(old, new), encoding="utf-8")
    with pytest.raises(ConfigError) as exc:
        parse_config(ws.config_path)
    assert words in exc.value.message and "gwstats.toml" in exc.value.message
    r = runner.invoke(app, ["status", "-w", str(ws.root), "--year", "2020"])
    assert r.exit_code == 2 and words in r.stderr and "Traceback" not in r.stdout + r.stderr


@pytest.mark.parametrize("value", ["nan", "inf", "-1", "0"])
def test_max_mb_must_be_a_positive_number(ws, value):
    r = runner.invoke(app, ["import", "-w", str(ws.root), "--max-mb", value, str(ws.root / "units.csv")])
    assert r.exit_code == 2 and "Traceback" not in r.stdout + r.stderr and r.exception is None or isinstance(r.exception, SystemExit)
    assert "--max-mb" in r.stderr


def test_set_settings_keeps_comments_fills_examples_and_adds_sections(ws):
    from gwstats.model.config import set_settings

    path = ws.config_path
    set_settings(path, {("report", "deadline"): "01-31", ("export", "phone"): '0435-"1"',
                        ("organisation", "name"): "集安市关工委（新）", ("extra", "note"): 3})
    text = path.read_text(encoding="utf-8")
    assert "# 报送截止日期：统计年度次年的 月-日" in text and "# 单个报表文件大小上限（MB）" in text
    assert "# filled_by =" in text  # an example not set stays an example
    cfg = parse_config(path)
    assert cfg.deadline == "01-31" and cfg.organisation == "集安市关工委（新）"
    assert cfg.raw["export"]["phone"] == '0435-"1"' and cfg.raw["extra"]["note"] == 3
    assert text.count("deadline =") == 1 and not path.with_name(path.name + ".tmp").exists()


def test_set_settings_refuses_a_line_break_and_leaves_the_file(ws):
    from gwstats.model.config import set_settings

    before = ws.config_path.read_bytes()
    with pytest.raises(ConfigError, match="不能换行"):
        set_settings(ws.config_path, {("export", "filled_by"): "张\n敏"})
    assert ws.config_path.read_bytes() == before
