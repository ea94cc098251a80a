import pytest

from gwstats.model.catalog import GROUP_ORDER, load_catalog, load_default, parse_catalog
from gwstats.core.errors import CatalogError

MINIMAL = """
[[metrics]]
code = "a"
name = "甲"
unit = "人"

[[metrics]]
code = "b"
name = "乙"
unit = "人"
"""


def test_default_catalog_covers_every_group():
    cat = load_default()
    assert len(cat.metrics) >= 30
    assert len(cat.indicators) >= 6
    assert set(cat.groups()) >= set(GROUP_ORDER)
    for code in ("rate_wuhao", "rate_coverage", "rate_wulao_core", "rate_vp_schools", "rate_zero_crime", "rate_articles"):
        assert code in cat.indicators
    rules = {(r.left.text, r.operator, r.right.text) for r in cat.rules}
    assert ("wulao_core", "<=", "wulao_volunteers") in rules
    assert ("org_wuhao", "<=", "org_total") in rules


@pytest.mark.parametrize(
    "label, code",
    [
        ("五老志愿者人数", "wulao_volunteers"),
        ("五 老 志 愿 者", "wulao_volunteers"),
        ("资助金额（万元）", "aid_amount"),
        ("资助金额(万元)", "aid_amount"),
        ("法治课场次", "legal_lessons"),
        ("１、五老骨干人数", "wulao_core"),
        ("资助困难学生数", "aided_students"),
        ("五老骨干占比", "rate_wulao_core"),
        ("legal_lessons", "legal_lessons"),
        ("不存在的指标", None),
    ],
)
def test_label_matching(label, code):
    assert load_default().match_label(label) == code


def test_select_by_group_name_and_code():
    cat = load_default()
    sel = cat.select(["宣传"])
    assert sel == ["articles_submitted", "articles_adopted", "rate_articles"]
    assert cat.select(["法制课场次", "aid_amount"]) == ["legal_lessons", "aid_amount"]


def test_indicator_expression_evaluates():
    ind = load_default().indicators["rate_wuhao"]
    assert ind.numerator.evaluate({"org_wuhao": 176}) / ind.denominator.evaluate({"org_total": 218}) * 100 == pytest.approx(80.73, abs=0.01)


def test_user_catalog_file(tmp_path):
    p = tmp_path / "c.toml"
    p.write_text(MINIMAL, encoding="utf-8")
    cat = load_catalog(p)
    assert list(cat.metrics) == ["a", "b"]


@pytest.mark.parametrize(
    "extra, fragment",
    [
        ('[[indicators]]\ncode = "r"\nname = "率"\nnumerator = "a"\ndenominator = "zz"\n', "引用了未知指标“zz”"),
        ('[[metrics]]\ncode = "a"\nname = "丙"\nunit = "人"\n', "指标 a：编码重复"),
        ('[[metrics]]\ncode = "c"\nname = "丙"\nunit = "人"\nsynonyms = ["甲"]\n', "“甲”与指标 a 重复"),
        ('[[rules]]\ncode = "r1"\nleft = "a +"\noperator = "<="\nright = "b"\nmessage = "m"\n', "无法解析"),
        ('[[rules]]\ncode = "r1"\nleft = "__import__(1)"\noperator = "<="\nright = "b"\nmessage = "m"\n', "不允许"),
        ('[[rules]]\ncode = "r1"\nleft = "a"\noperator = "=<"\nright = "b"\nmessage = "m"\n', "operator"),
        ('[[rules]]\ncode = "r1"\nleft = "a"\noperator = "<="\nright = "b"\nseverity = "fatal"\nmessage = "m"\n', "severity"),
        ('[[metrics]]\ncode = "1x"\nname = "丁"\nunit = "人"\n', "编码 code “1x” 无效"),
        ('[[metrics]]\ncode = "d"\nname = "丁"\nunit = "人"\nkind = "ratio"\n', "kind"),
        ('[[metrics]]\ncode = "d"\nname = "丁"\n', "缺少计量单位"),
    ],
)
def test_broken_catalog_names_file_and_entry(tmp_path, extra, fragment):
    p = tmp_path / "broken.toml"
    p.write_text(MINIMAL + extra, encoding="utf-8")
    with pytest.raises(CatalogError) as exc:
        load_catalog(p)
    assert "broken.toml" in str(exc.value)
    assert fragment in str(exc.value)


def test_toml_syntax_error_is_a_catalog_error():
    with pytest.raises(CatalogError, match="格式错误"):
        parse_catalog("[[metrics]\ncode=", "x.toml")


def test_missing_catalog_file(tmp_path):
    with pytest.raises(CatalogError, match="找不到指标目录文件"):
        load_catalog(tmp_path / "nope.toml")
