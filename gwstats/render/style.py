"""The house style of every chart, in one place: sizes, fonts, colours, layout rules."""

from __future__ import annotations

from dataclasses import dataclass

# Colours: a sober palette that survives a projector and a black-and-white printer.
PRIMARY = "#1f5fa8"  # this year
SECONDARY = "#9db9dc"  # the comparison year
ACCENT = "#c0392b"  # target lines, units below target
GOOD = "#2e8b57"
TOTAL = "#34495e"
GRID = "#d9d9d9"
TEXT = "#222222"
MUTED = "#666666"
PARTS = ("#1f5fa8", "#e08e0b", "#2e8b57", "#8e44ad", "#c0392b", "#16a085", "#7f8c8d", "#d35400")

# Font sizes in points, chosen for a 13.33 x 7.5 in slide read from the back of a room.
TITLE_SIZE = 24
SUBTITLE_SIZE = 16
LABEL_SIZE = 16
TICK_SIZE = 14
VALUE_SIZE = 13
NOTE_SIZE = 14  # the footnote is read from the back of the room too
LEGEND_SIZE = 14

DEFAULT_SIZE = (13.33, 7.5)  # 16:9 inches
DEFAULT_DPI = 200
# zlib level 3 instead of PIL's 6: a 2666×1500 chart encodes in 0.10 s instead of 0.18 s (a city's 8
# charts: 0.6 s of 5.6 s), the files 2-15 % larger; the pixels are the same
PNG_ENCODE = {"compress_level": 3}

# Layout rules.
HORIZONTAL_OVER = 15  # more units than this: horizontal bars
COMPARE_HORIZONTAL_OVER = 10  # grouped bars take twice the room: horizontal sooner
WRAP_CHARS = 6  # wrap unit names longer than this on a vertical category axis
WRAP_CHARS_HORIZONTAL = 12


@dataclass(frozen=True)
class Style:
    size: tuple[float, float] = DEFAULT_SIZE
    dpi: int = DEFAULT_DPI

    @property
    def scale(self) -> float:
        """Font scale relative to the default 13.33 in width (smaller figures, smaller text)."""
        return max(0.6, min(1.5, self.size[0] / DEFAULT_SIZE[0]))


def rc_params(style: Style | None = None) -> dict:
    """matplotlib rcParams for the house style (fonts are set by fonts.setup_fonts)."""
    s = (style or Style()).scale
    return {
        "figure.figsize": (style or Style()).size,
        "figure.dpi": 100,
        "savefig.dpi": (style or Style()).dpi,
        "figure.facecolor": "white",
        "axes.facecolor": "white",
        "axes.edgecolor": MUTED,
        "axes.labelcolor": TEXT,
        "axes.titlesize": TITLE_SIZE * s,
        "axes.labelsize": LABEL_SIZE * s,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.grid": False,
        "xtick.labelsize": TICK_SIZE * s,
        "ytick.labelsize": TICK_SIZE * s,
        "xtick.color": TEXT,
        "ytick.color": TEXT,
        "legend.fontsize": LEGEND_SIZE * s,
        "legend.frameon": False,
        "grid.color": GRID,
        "grid.linewidth": 0.8,
        "text.color": TEXT,
    }
