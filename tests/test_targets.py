"""No target unless the office set one (issue 20): the built-in catalog's `target = 80` drew a line and
named units as failing a target nobody set. A target comes from gwstats.toml `[targets]` only."""

from __future__ import annotations

import pytest

from gwstats.model.catalog import load_default
from gwstats.model.config import ConfigError
from gwstats.render import chart_data as D
from store_builders import add_submission, make_ws

UNITS = [("C", "测试市关工委", None), ("A", "甲县关工委", "C"), ("B", "乙县关工委", "C"), ("D", "丙县关工委", "C")]


def _ws(tmp_path, config_extra=""):
    ws = make_ws(tmp_path, UNITS, year=2020, config_extra=config_extra)
    for unit, (t, w) in {"C": (1, 1), "A": (10, 9), "B": (10, 5), "D": (10, 6)}.items():
        add_submission(ws, unit, 2020, {"org_total": t, "org_wuhao": w})
    return ws


def test_the_built_in_catalog_sets_no_target():
    assert all(ind.target is None for ind in load_default().indicators.values())


def test_without_settings_no_target_line_and_nobody_fails(tmp_path):
    ws = _ws(tmp_path)
    data = D.build_chart(ws, 2020, "rate_wuhao", kind="rate")
    assert data.target is None
    assert not any("目标" in n for n in data.notes)  # was "低于目标 80.0%：乙县关工委、丙县关工委"
    out = ws.report(2020, tmp_path / "r.md", fmt="md")
    text = out.read_text(encoding="utf-8")
    assert "目标的有" not in text and "的目标" not in text  # no unit named as failing, none as reaching


def test_the_office_sets_its_target_by_code_or_name(tmp_path):
    ws = _ws(tmp_path, "\n[targets]\n\"五好达标率\" = 70\n")
    assert ws.catalog.indicators["rate_wuhao"].target == 70
    assert ws.catalog.indicators["rate_coverage"].target is None
    data = D.build_chart(ws, 2020, "rate_wuhao", kind="rate")
    assert data.target == 70
    assert "低于目标 70.0%：乙县、丙县" in "；".join(data.notes)  # 50 %, 60 %


def test_an_old_workspace_catalog_with_target_80_draws_nothing(tmp_path):
    """A workspace made before this change holds a copy of the old built-in catalog with target = 80."""
    ws = _ws(tmp_path)
    cat = ws.root / "catalog.toml"
    text = cat.read_text(encoding="utf-8").replace('display = "%"\n', 'display = "%"\ntarget = 80\n', 1)
    cat.write_text(text, encoding="utf-8")
    assert "target = 80" in cat.read_text(encoding="utf-8")
    assert ws.catalog.indicators["rate_wuhao"].target is None


def test_a_target_for_no_rate_is_named(tmp_path):
    ws = _ws(tmp_path, "\n[targets]\n\"五好率x\" = 80\n")
    with pytest.raises(ConfigError, match=r"\[targets\] 五好率x 不是指标目录中的比率"):
        ws.catalog


def test_a_target_that_is_not_a_number_is_named(tmp_path):
    ws = _ws(tmp_path, '\n[targets]\nrate_wuhao = "八十"\n')
    with pytest.raises(ConfigError, match=r"\[targets\] rate_wuhao"):
        ws.config
