"""A CJK font for matplotlib that works on a fresh machine.

Prefer a Chinese font installed on the system (Windows: 微软雅黑 / 等线 / 黑体; macOS: 苹方 / 冬青黑体;
Linux: Noto Sans CJK / 思源黑体 / 文泉驿); otherwise register the font gwstats ships: GWStats Sans SC,
a subset of the openly licensed (SIL OFL 1.1) Noto Sans CJK SC covering GB 2312 and the catalog
(``gwstats/data/fonts``, licence in OFL.txt there, made by tools/subset_cjk_font.py). No
proprietary font is in the dependency tree. matplotlib's own font manager does the loading.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

# System fonts, best first (family names as matplotlib's font manager reports them).
SYSTEM_CJK_FAMILIES = (
    "Microsoft YaHei",  # 微软雅黑, Windows Vista and later
    "DengXian",  # 等线, Windows 10/11 and Office
    "PingFang SC",  # 苹方, macOS
    "Hiragino Sans GB",  # 冬青黑体, macOS
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "SimHei",  # 黑体, Windows
    "Heiti SC",
    "STHeiti",
    "Droid Sans Fallback",
)
BUNDLED_FONT = "GWStatsSansSC-Regular.otf"  # gwstats/data/fonts, SIL Open Font License 1.1
BUNDLED_FAMILY = "GWStats Sans SC"
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
    """The CJK font shipped inside gwstats (a Noto Sans CJK SC subset)."""
    path = Path(__file__).resolve().parent.parent / "data" / "fonts" / BUNDLED_FONT
    if not path.is_file():  # pragma: no cover - package data
        from gwstats.core.errors import GwstatsError

        raise GwstatsError(f"找不到自带的中文字体文件 {path}；请重新安装 gwstats")
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


def installed(family: str) -> bool:
    """True when a font of that family name is installed on this machine (matplotlib's font list)."""
    try:
        from matplotlib import font_manager as fm
    except ImportError:
        return False
    return any(entry.name == family for entry in fm.fontManager.ttflist)
