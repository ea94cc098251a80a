"""Bad settings name their key and never crash: float constants, a bad tolerance, huge or deep
expressions, nested arrays, an invalid deadline."""

from decimal import Decimal

import pytest
from typer.testing import CliRunner

from gwstats.cli.app import app
from gwstats.core.expr import Expr, ExprError
from gwstats.model.catalog import CatalogError, default_catalog_text, parse_catalog

from helpers_returns import long_rows, make_workspace, write_xlsx

runner = CliRunner()


def test_a_float_constant_works_beside_decimal_figures():
    e = Expr.parse("a * 0.5 + 1.25 * b")
    assert e.evaluate({"a": Decimal(3), "b": Decimal(2)}) == Decimal("4.00")  # was TypeError: Decimal * float
    assert e.evaluate({"a": 3.0, "b": 2.0}) == 4.0


@pytest.mark.parametrize("text", ["+".join(["a"] * 100_000), "(" * 10_000 + "a" + ")" * 10_000,
                                  "-" * 1500 + "a"])
def test_huge_or_deep_expressions_are_refused_not_crashed(text):
    with pytest.raises(ExprError):
        Expr.parse(text)


RULE = """
[[rules]]
code = "r_test"
left = "org_total"
operator = ">="
right = "org_total"
severity = "warning"
message = "测试"
tolerance = {tol}
"""


def test_a_bad_tolerance_names_the_key():
    with pytest.raises(CatalogError, match="tolerance 应为不小于 0 的数字"):
        parse_catalog(default_catalog_text() + RULE.format(tol='"x"'), "catalog.toml")
    cat = parse_catalog(default_catalog_text() + RULE.format(tol="0.5"), "catalog.toml")
    assert cat.rules[-1].tolerance == Decimal("0.5")


def test_arrays_nested_deep_are_a_format_error():
    with pytest.raises(CatalogError, match="嵌套过深"):
        parse_catalog("x = " + "[" * 10_000 + "]" * 10_000, "catalog.toml")


def test_a_float_constant_in_an_indicator_rolls_up(tmp_path):
    ws = make_workspace(tmp_path)
    text = (ws.root / "catalog.toml").read_text(encoding="utf-8")
    import re

    m = re.search(r'numerator = "([a-z_]+)"', text)
    assert m, "the default catalog has an indicator with a single-name numerator"
    (ws.root / "catalog.toml").write_text(text.replace(m.group(0), f'numerator = "{m.group(1)} * 0.5"', 1),
                                          encoding="utf-8")
    assert m.group(1) == "org_wuhao"  # 五好达标率 = org_wuhao * 0.5 / org_total * 100
    # both parts reported, so the rate is computed (with a part missing it never reaches the expression)
    write_xlsx(tmp_path / "in" / "a.xlsx", {"统计表": long_rows({"关工委组织数": 12, "达到五好标准组织数": 6})})
    r = runner.invoke(app, ["import", str(tmp_path / "in"), "-w", str(ws.root), "-q"])
    assert r.exit_code == 0, r.output
    r = runner.invoke(app, ["rollup", "--year", "2018", "-w", str(ws.root), "--metric", "五好达标率"])
    assert r.exit_code == 0 and r.exception is None, r.output  # was TypeError: Decimal * float
    total = next(line for line in r.output.splitlines() if line.startswith("合计"))
    assert total.split()[-1] == "25.0%"  # 6 × 0.5 ÷ 12 × 100


def test_an_invalid_deadline_exits_2_for_every_command(tmp_path):
    ws = make_workspace(tmp_path)
    cfg = ws.config_path.read_text(encoding="utf-8").replace('deadline = "01-15"', 'deadline = "13-45"')
    ws.config_path.write_text(cfg, encoding="utf-8")
    for args in (["status", "--year", "2018"], ["rollup", "--year", "2018"]):
        r = runner.invoke(app, [*args, "-w", str(ws.root)])
        assert r.exit_code == 2, (args, r.output)
        assert "deadline" in (r.output + (r.stderr or ""))
