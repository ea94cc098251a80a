"""A CJK font for matplotlib that works on a fresh machine.

Prefer a Chinese font installed on the system (Noto Sans CJK SC, Source Han Sans SC, WenQuanYi,
SimHei, Microsoft YaHei, ...); otherwise register the openly licensed (SIL OFL) Noto Sans CJK SC
shipped by the ``mplfonts`` dependency. Either way matplotlib's own font manager does the loading.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

# System fonts, best first (family names as matplotlib's font manager reports them).
SYSTEM_CJK_FAMILIES = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "Microsoft YaHei",
    "SimHei",
    "PingFang SC",
    "Heiti SC",
)
BUNDLED_FONT = "NotoSansCJKsc-Regular.otf"  # in the mplfonts package, SIL Open Font License
# A sample of what the charts draw; a usable font must have all of these.
PROBE_TEXT = "安庆市公安局关工委年各县局法制课场次数据来源统计报表已报合计人次万元比上年增加减少个百分点（）：、"

ENV_FONT = "GWSTATS_FONT"  # a font file to use instead (testing, or an office's preferred font)


@dataclass(frozen=True)
class FontChoice:
    family: str
    path: str
    source: str  # "system" | "bundled" | "env"


_chosen: FontChoice | None = None


def bundled_font_path() -> Path:
    """The Noto Sans CJK SC file shipped with mplfonts."""
    try:
        import mplfonts
    except ImportError:  # pragma: no cover - it is a declared dependency
        from ..errors import GwstatsError

        raise GwstatsError("缺少中文字体：请安装依赖 mplfonts（pip install mplfonts）") from None
    path = Path(mplfonts.__file__).parent / "fonts" / BUNDLED_FONT
    if not path.is_file():  # pragma: no cover
        from ..errors import GwstatsError

        raise GwstatsError(f"找不到中文字体文件 {path}；请重新安装 mplfonts")
    return path


def _covers(path: str, text: str = PROBE_TEXT) -> bool:
    """True when the font file has a glyph for every character of ``text``."""
    try:
        from matplotlib.ft2font import FT2Font

        font = FT2Font(path)
        cmap = font.get_charmap()
    except Exception:
        return False
    return all(ord(ch) in cmap for ch in text)


def _system_font() -> FontChoice | None:
    from matplotlib import font_manager as fm

    by_name: dict[str, str] = {}
    for entry in fm.fontManager.ttflist:
        by_name.setdefault(entry.name, entry.fname)
    for family in SYSTEM_CJK_FAMILIES:
        path = by_name.get(family)
        if path and _covers(path):
            return FontChoice(family, path, "system")
    return None


def _register(path: str, source: str) -> FontChoice:
    from matplotlib import font_manager as fm

    fm.fontManager.addfont(path)
    family = fm.FontProperties(fname=path).get_name()
    return FontChoice(family, path, source)


def choose_font(prefer_system: bool = True) -> FontChoice:
    """Find (and register when needed) the CJK font, without touching rcParams."""
    env = os.environ.get(ENV_FONT)
    if env and Path(env).is_file():
        return _register(env, "env")
    if prefer_system:
        found = _system_font()
        if found:
            return found
    return _register(str(bundled_font_path()), "bundled")


def setup_fonts(force: bool = False) -> FontChoice:
    """Make matplotlib draw Chinese: choose the font once and put it first in rcParams."""
    global _chosen
    import matplotlib

    if _chosen is None or force:
        _chosen = choose_font()
    rc = matplotlib.rcParams
    rc["font.family"] = "sans-serif"
    rest = [f for f in rc["font.sans-serif"] if f != _chosen.family]
    rc["font.sans-serif"] = [_chosen.family, *rest]
    rc["axes.unicode_minus"] = False  # the CJK font's hyphen-minus, not U+2212
    rc["svg.fonttype"] = "path"  # SVG readable without the font installed
    rc["pdf.fonttype"] = 42
    return _chosen


def font_in_use() -> str:
    """The font file matplotlib resolves for the default (sans-serif) text."""
    from matplotlib import font_manager as fm

    return fm.findfont(fm.FontProperties(family=["sans-serif"]), fallback_to_default=False)
