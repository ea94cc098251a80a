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


def test_bundled_font_is_noto_sans_cjk_from_mplfonts_and_covers_chinese():
    path = fonts.bundled_font_path()
    assert path.name == "NotoSansCJKsc-Regular.otf" and path.is_file()
    assert fonts._covers(str(path), CHINESE.replace(" ", ""))


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
    assert choice.family == "Noto Sans CJK SC"
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
