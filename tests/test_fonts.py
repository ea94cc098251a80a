"""Chinese must render with a real CJK font, on a machine without one installed."""

import warnings
from pathlib import Path

import matplotlib
import pytest

matplotlib.use("Agg")

from matplotlib import font_manager as fm  # noqa: E402
from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from gwstats.render import fonts  # noqa: E402

CHINESE = "安庆市公安局关工委 2018年 各县(市)局 法制课场次（已报 12/13）：比上年增加6个，提高8.0个百分点"


def _draw(text: str, family=None) -> Figure:
    fig = Figure(figsize=(6, 2))
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    ax.set_title(text, family=family)
    ax.bar(["桐城", "潜山"], [1, -2])  # a negative tick label: the minus sign must render too
    fig.canvas.draw()
    return fig


def test_bundled_font_ships_in_gwstats_with_its_licence_and_covers_chinese():
    path = fonts.bundled_font_path()
    assert path.name == "GWStatsSansSC-Regular.otf" and path.is_file()
    assert path.stat().st_size < 4 * 1024 * 1024  # a subset, not the 16 MB font
    licence = (path.parent / "OFL.txt").read_text(encoding="utf-8")
    assert "SIL OPEN FONT LICENSE" in licence and "Noto Sans CJK SC" in licence
    assert fonts._covers(str(path), CHINESE.replace(" ", ""))


def test_bundled_font_covers_gb2312_and_every_catalog_and_sample_name():
    """Any unit or metric name written in the standard simplified set draws without a box."""
    from importlib import resources

    from matplotlib.ft2font import FT2Font

    cmap = FT2Font(str(fonts.bundled_font_path())).get_charmap()
    gb2312 = [chr(c) for c in range(0x4E00, 0xA000) if _in_gb2312(chr(c))]
    assert len(gb2312) > 6700
    assert all(ord(c) in cmap for c in gb2312)
    texts = [resources.files("gwstats").joinpath("data/default_catalog.toml").read_text(encoding="utf-8")]
    from gwstats.cli.demo import sample_root

    root = sample_root()
    texts += [root.joinpath(n).read_text(encoding="utf-8") for n in ("jian-an/units.csv",)]
    missing = {c for t in texts for c in t if ord(c) >= 0x80 and not c.isspace() and ord(c) not in cmap}
    assert not missing


def _in_gb2312(ch: str) -> bool:
    try:
        ch.encode("gb2312")
        return True
    except UnicodeEncodeError:
        return False


def test_no_proprietary_font_in_the_dependency_tree():
    """mplfonts (which ships SimHei.ttf) is gone from the declared dependencies."""
    import tomllib

    pyproject = Path(__file__).resolve().parent.parent / "pyproject.toml"
    deps = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]["dependencies"]
    assert not any(d.lower().startswith("mplfonts") for d in deps)


def test_font_without_cjk_is_not_accepted():
    dejavu = fm.findfont(fm.FontProperties(family=["DejaVu Sans"]))
    assert not fonts._covers(dejavu)


def test_setup_fonts_makes_the_cjk_font_the_one_matplotlib_resolves():
    choice = fonts.setup_fonts(force=True)
    assert fonts._covers(choice.path)
    assert matplotlib.rcParams["font.sans-serif"][0] == choice.family
    assert matplotlib.rcParams["axes.unicode_minus"] is False
    assert Path(fonts.font_in_use()) == Path(choice.path)
    # Text drawn with default properties uses that file.
    fig = _draw(CHINESE)
    title = fig.axes[0].title
    assert Path(fm.findfont(title.get_fontproperties())) == Path(choice.path)


def test_without_system_fonts_the_bundled_font_is_registered():
    choice = fonts.choose_font(prefer_system=False)
    assert choice.source == "bundled"
    assert choice.family == fonts.BUNDLED_FAMILY
    assert Path(choice.path) == fonts.bundled_font_path()
    assert any(Path(f.fname) == fonts.bundled_font_path() for f in fm.fontManager.ttflist)


def test_env_font_overrides(monkeypatch):
    monkeypatch.setenv(fonts.ENV_FONT, str(fonts.bundled_font_path()))
    assert fonts.choose_font().source == "env"


def test_chinese_renders_without_missing_glyph_warnings():
    fonts.setup_fonts(force=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        _draw(CHINESE)


def test_the_glyph_check_would_catch_a_font_without_chinese():
    """Negative control: the same drawing with a Latin-only font does warn (so the test above can fail)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        _draw(CHINESE, family="DejaVu Sans")
    assert any("missing from font" in str(w.message) for w in caught)


@pytest.mark.parametrize("ext", ["svg", "pdf"])
def test_vector_outputs_render_chinese(tmp_path, ext):
    fonts.setup_fonts(force=True)
    fig = _draw(CHINESE)
    out = tmp_path / f"x.{ext}"
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig.savefig(out)
    assert out.stat().st_size > 1000


def test_an_installed_system_font_is_preferred(monkeypatch):
    """A CJK family known to matplotlib's font manager (as on a machine with fonts installed) wins."""
    entry = fm.FontEntry(fname=str(fonts.bundled_font_path()), name="WenQuanYi Micro Hei")
    monkeypatch.setattr(fm.fontManager, "ttflist", [entry, *fm.fontManager.ttflist])
    monkeypatch.setattr(fonts, "SYSTEM_CJK_FAMILIES", ("WenQuanYi Micro Hei",))
    choice = fonts.choose_font()
    assert choice.source == "system" and choice.family == "WenQuanYi Micro Hei"


def test_a_system_font_without_chinese_glyphs_is_skipped(monkeypatch):
    dejavu = fm.findfont(fm.FontProperties(family=["DejaVu Sans"]))
    entry = fm.FontEntry(fname=dejavu, name="SimHei")  # a mislabelled font
    monkeypatch.setattr(fm.fontManager, "ttflist", [entry])
    monkeypatch.setattr(fonts, "SYSTEM_CJK_FAMILIES", ("SimHei",))
    assert fonts._system_font() is None


@pytest.mark.parametrize("installed, chosen", [
    (("SimHei", "DengXian", "Microsoft YaHei"), "Microsoft YaHei"),  # Windows: 微软雅黑 before 等线 and 黑体
    (("SimHei", "DengXian"), "DengXian"),
    (("Hiragino Sans GB", "PingFang SC"), "PingFang SC"),  # macOS: 苹方
    (("WenQuanYi Zen Hei", "Noto Sans CJK SC"), "Noto Sans CJK SC"),  # Linux
])
def test_system_font_preference_order(monkeypatch, installed, chosen):
    path = str(fonts.bundled_font_path())  # any file with the glyphs stands in for the system font
    monkeypatch.setattr(fm.fontManager, "ttflist", [fm.FontEntry(fname=path, name=n) for n in installed])
    assert fonts._system_font().family == chosen
