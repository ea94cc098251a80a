"""Charts for meetings: bar, compare, trend, rate and share, in the house style.

Two layers:
- drawing functions take plain data (:class:`ChartData`: title, labels, values, measure,
  footnote, target, ...) and return a matplotlib Figure; they know nothing about the workspace;
- the adapters in :mod:`gwstats.render.chart_data` read a RollupResult (never recomputing a
  figure), build that data and write the files.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from pathlib import Path

# Figures are drawn on an Agg canvas directly (no pyplot, no global backend switch).
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from gwstats.core.errors import GwstatsError, UsageError
from gwstats.render import style as S
from gwstats.render import wording as W
from gwstats.render.chart_layout import laid_out, texts_overlap, fit_line, wrap_label
from gwstats.render.fonts import setup_fonts
from gwstats.core.output import write_whole

KINDS = ("bar", "compare", "trend", "rate", "share")
_LABEL_BOX = {"boxstyle": "square,pad=0.05", "facecolor": "white", "edgecolor": "none", "alpha": 0.85}  # over a target line


class NoChartData(GwstatsError):
    """The chart has nothing to show (no unit reported the metric)."""


@dataclass
class ChartData:
    kind: str  # bar | compare | trend | rate | share
    title: str
    labels: list[str]  # categories: units, or years for a trend
    values: list  # this year's figure per label (None: not reported)
    measure: str = ""  # unit of measure: 个, 人次, 万元, %
    value_kind: str = "count"  # count | amount | rate
    subtitle: str = ""  # the 合计 / headline note under the title
    footnote: str = ""  # source and coverage
    axis_label: str = ""  # defaults to the measure
    prev_values: list | None = None  # compare: the comparison year's figures
    changes: list | None = None  # compare: the change per label, as the rollup gives it
    series_names: tuple[str, str] = ("本年", "上年")
    target: float | None = None  # rate: the target line
    parts: list[tuple[str, list]] = field(default_factory=list)  # share: (part name, values per label)
    sort: bool = True
    pinned: int = 0  # the last ``pinned`` labels (the 本级 / 其他 row) stay last, after the sorted units
    notes: list[str] = field(default_factory=list)  # extra lines for the footnote
    empty_labels: list[str] | None = None  # per label, what to write where there is no figure (未报 / 无数据)

    def empty(self, i: int) -> str:
        return self.empty_labels[i] if self.empty_labels else "未报"


# ---- helpers -----------------------------------------------------------------------------------
def _num(v) -> float | None:
    if v is None:
        return None
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(f) else f


def value_label(v, kind: str = "count", measure: str = "", empty: str = "未报") -> str:
    """The figure written on a bar (the axis carries the unit of measure); ``empty`` when there is none."""
    if v is None:
        return empty
    if kind == "rate":
        return W.plain_number(v, "rate", measure) + ("%" if measure == "%" else "")
    return W.plain_number(v, kind, measure)


def _axis_text(data: ChartData) -> str:
    if data.axis_label:
        return data.axis_label
    if data.value_kind == "rate" and data.measure == "%":
        return "百分比（%）"
    return f"单位：{data.measure}" if data.measure else ""


def _order(data: ChartData) -> list[int]:
    idx = list(range(len(data.labels)))
    if not data.sort:
        return idx
    # Largest first; units without data last, in their original order.
    first = len(idx) - data.pinned
    return sorted(idx, key=lambda i: (i >= first, data.values[i] is None, -(_num(data.values[i]) or 0.0), i))


def _new_figure(style: S.Style) -> Figure:
    setup_fonts()
    import matplotlib as mpl

    mpl.rcParams.update(S.rc_params(style))
    fig = Figure(figsize=style.size, dpi=100, layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def _canvas(style: S.Style | None):
    """The house style (default when None), its font scale, a new figure and its one axes."""
    style = style or S.Style()
    fig = _new_figure(style)
    return style, style.scale, fig, fig.add_subplot()


def _decorate(fig: Figure, ax, data: ChartData, style: S.Style):
    sc = style.scale
    if data.value_kind == "count":
        from matplotlib.ticker import MaxNLocator

        horizontal = bool(ax.get_yticklabels()) and ax.yaxis.get_major_locator().__class__.__name__ == "FixedLocator"
        (ax.xaxis if horizontal else ax.yaxis).set_major_locator(MaxNLocator(integer=True, steps=[1, 2, 2.5, 5, 10]))
    width_pt = style.size[0] * 72 * 0.96
    if data.title:  # a report's figure leaves its title to the caption
        fig.suptitle(fit_line(data.title, S.TITLE_SIZE * sc, width_pt, 2), fontsize=S.TITLE_SIZE * sc, color=S.TEXT)
    if data.subtitle:
        ax.set_title(fit_line(data.subtitle, S.SUBTITLE_SIZE * sc, width_pt * 0.9, 2),
                     fontsize=S.SUBTITLE_SIZE * sc, color=S.MUTED, pad=12 * sc)
    foot = "；".join(p for p in [data.footnote, *data.notes] if p)
    if foot:
        fig.supxlabel(fit_line(foot, S.NOTE_SIZE * sc, width_pt), x=0.01, ha="left", fontsize=S.NOTE_SIZE * sc,
                      color=S.MUTED)


LEGEND_CORNERS = ("upper right", "lower right", "upper left", "lower left", "center right")


def _legend(fig: Figure, ax, handles, horizontal: bool = False, loc: str | None = None):
    """One row of legend in the emptiest corner (bars are sorted, so the small end); when every
    corner covers a bar, a label or the target line, beside the plot at the right, outside the axes.
    The value axis is never widened to make room (a rate axis would run to 200 %)."""
    if not handles:
        return
    first = loc or ("lower right" if horizontal else "upper right")
    renderer = laid_out(fig)  # a legend inside the axes moves nothing else: one layout for every corner
    for where in (first, *[c for c in LEGEND_CORNERS if c != first]):
        leg = ax.legend(handles=handles, loc=where, ncols=len(handles), frameon=True, facecolor="white",
                        edgecolor="white", framealpha=1.0)
        if not _legend_hits(ax, leg, renderer):
            return
    fig.draw_without_rendering()  # laid out as every corner was tried (the legend beside moves the plot)
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), ncols=1, frameon=False,
              borderaxespad=0.0)  # beside the plot, clear of the subtitle above it


def _legend_hits(ax, leg, renderer) -> bool:
    box = leg.get_window_extent(renderer)
    hit = any(box.overlaps(t.get_window_extent(renderer)) for t in ax.texts if t.get_visible())
    hit = hit or any(box.overlaps(p.get_window_extent(renderer)) for p in ax.patches if p.get_width() and p.get_height())
    return hit or any(_line_crosses(ln, box, renderer) for ln in ax.lines)  # the target line


def _line_crosses(line, box, renderer) -> bool:
    """Whether a drawn line passes through ``box`` (display coordinates)."""
    import numpy as np

    xy = line.get_transform().transform(np.column_stack([line.get_xdata(), line.get_ydata()]).astype(float))
    if len(xy) < 2:
        return False
    xs, ys = xy[:, 0], xy[:, 1]
    if np.allclose(ys, ys[0]):  # horizontal (axhline: x in axes fraction, transformed to display)
        return box.y0 <= ys[0] <= box.y1 and xs.min() <= box.x1 and xs.max() >= box.x0
    if np.allclose(xs, xs[0]):
        return box.x0 <= xs[0] <= box.x1 and ys.min() <= box.y1 and ys.max() >= box.y0
    # a polyline (trend): any segment end inside the box, or sampled points along the segments
    for (x0, y0), (x1, y1) in zip(xy[:-1], xy[1:]):
        for t in np.linspace(0, 1, 25):
            x, y = x0 + (x1 - x0) * t, y0 + (y1 - y0) * t
            if box.x0 <= x <= box.x1 and box.y0 <= y <= box.y1:
                return True
    return False


def _fit_category_labels(fig: Figure, ax, horizontal: bool, style: S.Style):
    """Rotate vertical-bar tick labels when wrapped names still collide."""
    if horizontal:
        return
    renderer = laid_out(fig)
    if texts_overlap(list(ax.get_xticklabels()), renderer, pad=0.0):
        for t in ax.get_xticklabels():
            t.set_text(t.get_text().replace("\n", ""))
            t.set_rotation(35)
            t.set_ha("right")
            t.set_rotation_mode("anchor")


def _row_font(n: int, style: S.Style) -> float:
    """Tick font size for horizontal bars: rows must not touch (about 70% of the plot is rows)."""
    row_pt = style.size[1] * 72 * 0.7 / max(1, n)
    return max(7.0, min(S.TICK_SIZE * style.scale, row_pt / 1.3))


def _col_font(n: int, style: S.Style) -> float:
    """Tick font size under vertical bars: a little smaller when there are many units."""
    return S.TICK_SIZE * style.scale * (0.9 if n > 12 else 1.0)


def _categories(data: ChartData, order: list[int], horizontal: bool, style: S.Style) -> list[str]:
    n = max(1, len(order))
    if horizontal:
        size = _row_font(n, style)
        row_pt = style.size[1] * 72 * 0.7 / n
        lines = max(1, min(3, int(row_pt / (size * 1.3))))
        longest = max((len(data.labels[i]) for i in order), default=0)
        width = max(S.WRAP_CHARS_HORIZONTAL, math.ceil(longest / lines))
    else:
        plot_pt = style.size[0] * 72 * 0.85
        slot_pt = plot_pt / n
        width = max(2, min(S.WRAP_CHARS * 2, int(slot_pt * 0.95 / _col_font(n, style))))
    return [wrap_label(data.labels[i], width) for i in order]


# ---- the five kinds ----------------------------------------------------------------------------
def draw_bar(data: ChartData, style: S.Style | None = None) -> Figure:
    """One figure across units, sorted, value labels; ``rate`` adds the target line."""
    style, sc, fig, ax = _canvas(style)
    order = _order(data)
    vals = [_num(data.values[i]) for i in order]
    n = len(order)
    horizontal = n > S.HORIZONTAL_OVER
    cats = _categories(data, order, horizontal, style)
    target = data.target if data.kind == "rate" else None
    colors = []
    for v in vals:
        if target is not None and v is not None and v < target - 1e-9:
            colors.append(S.ACCENT)
        else:
            colors.append(S.PRIMARY)
    heights = [v if v is not None else 0 for v in vals]
    top = max([v for v in vals if v is not None] + ([target] if target is not None else []) + [0])
    if data.kind == "rate" and data.measure == "%":
        top = max(top, 100.0)
    top = top or 1.0
    pos = list(range(n))
    vsize = S.VALUE_SIZE * sc * (0.85 if n > 12 else 1.0)
    if horizontal:
        pos = list(reversed(pos))  # largest at the top
        ax.barh(pos, heights, color=colors, height=0.7)
        ax.set_yticks(pos, cats, fontsize=_row_font(n, style))
        ax.set_xlim(0, top * 1.15)
        ax.set_xlabel(_axis_text(data))
        ax.xaxis.grid(True)
        ax.set_axisbelow(True)
        ax.tick_params(axis="y", labelsize=_row_font(n, style))
        for p, v, i in zip(pos, vals, order):
            ax.annotate(value_label(v, data.value_kind, data.measure, data.empty(i)), (v or 0, p), xytext=(4, 0),
                        textcoords="offset points", va="center", ha="left", fontsize=vsize,
                        color=S.MUTED if v is None else S.TEXT, bbox=_LABEL_BOX if target is not None else None)
    else:
        ax.bar(pos, heights, color=colors, width=0.65)
        ax.set_xticks(pos, cats, fontsize=_col_font(n, style))
        ax.set_ylim(0, top * 1.15)
        ax.set_ylabel(_axis_text(data))
        ax.yaxis.grid(True)
        ax.set_axisbelow(True)
        for p, v, i in zip(pos, vals, order):
            ax.annotate(value_label(v, data.value_kind, data.measure, data.empty(i)), (p, v or 0), xytext=(0, 3),
                        textcoords="offset points", ha="center", va="bottom", fontsize=vsize,
                        color=S.MUTED if v is None else S.TEXT, bbox=_LABEL_BOX if target is not None else None)
    handles = []
    if target is not None:
        (ax.axvline if horizontal else ax.axhline)(target, color=S.ACCENT, linestyle="--", linewidth=2)
        target_text = f"目标 {W.rate(target, data.measure) if data.value_kind == 'rate' else target}"
        handles.append(Line2D([], [], color=S.ACCENT, linestyle="--", linewidth=2, label=target_text))
        handles.append(Patch(color=S.PRIMARY, label="达到目标"))
        if any(c == S.ACCENT for c in colors):
            handles.append(Patch(color=S.ACCENT, label="低于目标"))
    _decorate(fig, ax, data, style)
    _fit_category_labels(fig, ax, horizontal, style)
    _legend(fig, ax, handles, horizontal)
    return fig


def draw_compare(data: ChartData, style: S.Style | None = None) -> Figure:
    """This year against the comparison year per unit (grouped bars), change labelled."""
    style, sc, fig, ax = _canvas(style)
    order = _order(data)
    n = len(order)
    horizontal = n > S.COMPARE_HORIZONTAL_OVER
    cats = _categories(data, order, horizontal, style)
    cur = [_num(data.values[i]) for i in order]
    prev = [_num((data.prev_values or [None] * len(data.labels))[i]) for i in order]
    chg = [(data.changes or [None] * len(data.labels))[i] for i in order]
    top = max([v for v in cur + prev if v is not None] + [0]) or 1.0
    w = 0.38
    this_name, prev_name = data.series_names
    vsize = S.VALUE_SIZE * sc * (0.8 if n > 6 else 0.95)
    csize = S.VALUE_SIZE * sc
    if horizontal:
        pos = list(reversed(range(n)))
        ax.barh([p + w / 2 for p in pos], [v or 0 for v in prev], height=w, color=S.SECONDARY, label=prev_name)
        ax.barh([p - w / 2 for p in pos], [v or 0 for v in cur], height=w, color=S.PRIMARY, label=this_name)
        ax.set_yticks(pos, cats, fontsize=_row_font(n, style))
        ax.set_xlim(0, top * 1.3)
        ax.set_xlabel(_axis_text(data))
        ax.xaxis.grid(True)
        ax.set_axisbelow(True)
        bar_pt = style.size[1] * 72 * 0.7 / n * w  # height of one bar in points
        tight = bar_pt < vsize * 1.15
        for p, a, b, c, i in zip(pos, cur, prev, chg, order):
            label = value_label(a, data.value_kind, data.measure, data.empty(i))
            change = W.signed(c, data.value_kind, data.measure)
            if tight:
                # One label per pair, beside the longer bar: 285（比上年 250，+35）
                prev_text = value_label(b, data.value_kind, data.measure, "无数据")
                text = f"{label}（{prev_name} {prev_text}" + (f"，{change}）" if change else "）")
                ax.annotate(text, (max(a or 0, b or 0), p), xytext=(4, 0), textcoords="offset points", va="center",
                            fontsize=min(vsize, _row_font(n, style)), color=S.TEXT)
                continue
            ax.annotate(value_label(b, data.value_kind, data.measure, "无数据"), (b or 0, p + w / 2), xytext=(4, 0),
                        textcoords="offset points", va="center", fontsize=vsize, color=S.MUTED)
            ax.annotate(label + (f"（{change}）" if change else ""), (a or 0, p - w / 2), xytext=(4, 0),
                        textcoords="offset points", va="center", fontsize=vsize, color=S.TEXT)
        if tight:
            ax.set_xlim(0, top * 1.45)
    else:
        pos = list(range(n))
        ax.bar([p - w / 2 for p in pos], [v or 0 for v in prev], width=w, color=S.SECONDARY, label=prev_name)
        ax.bar([p + w / 2 for p in pos], [v or 0 for v in cur], width=w, color=S.PRIMARY, label=this_name)
        ax.set_xticks(pos, cats, fontsize=_col_font(n, style))
        ax.set_ylim(0, top * 1.25)
        ax.set_ylabel(_axis_text(data))
        ax.yaxis.grid(True)
        ax.set_axisbelow(True)
        for p, a, b, c, i in zip(pos, cur, prev, chg, order):
            ax.annotate(value_label(b, data.value_kind, data.measure, "无数据"), (p - w / 2, b or 0), xytext=(0, 2),
                        textcoords="offset points", ha="center", va="bottom", fontsize=vsize, color=S.MUTED)
            ax.annotate(value_label(a, data.value_kind, data.measure, data.empty(i)), (p + w / 2, a or 0), xytext=(0, 2),
                        textcoords="offset points", ha="center", va="bottom", fontsize=vsize, color=S.TEXT)
            change = W.signed(c, data.value_kind, data.measure)
            if change:
                color = S.GOOD if change.startswith("+") else (S.ACCENT if change.startswith("-") else S.MUTED)
                ax.annotate(change, (p, max(a or 0, b or 0)), xytext=(0, 4 + vsize * 1.6),
                            textcoords="offset points", ha="center", va="bottom", fontsize=csize,
                            color=color)
    _decorate(fig, ax, data, style)
    _fit_category_labels(fig, ax, horizontal, style)
    if not horizontal:
        _thin_value_labels(fig, ax)
    _legend(fig, ax, ax.get_legend_handles_labels()[0], horizontal)
    return fig


def _thin_value_labels(fig: Figure, ax):
    """When two value labels of a pair collide, keep this year's and the change, hide last year's."""
    renderer = laid_out(fig)
    muted = [t for t in ax.texts if t.get_color() == S.MUTED]
    if texts_overlap(list(ax.texts), renderer, pad=0.0):
        for t in muted:
            t.set_visible(False)


def draw_trend(data: ChartData, style: S.Style | None = None) -> Figure:
    """A figure over the years: line with points and labels."""
    style, sc, fig, ax = _canvas(style)
    xs = list(range(len(data.labels)))
    ys = [_num(v) for v in data.values]
    ax.plot(xs, [y if y is not None else float("nan") for y in ys], color=S.PRIMARY, linewidth=3,
            marker="o", markersize=10 * sc)
    top = max([y for y in ys if y is not None] + [0]) or 1.0
    ax.set_ylim(0, top * 1.2)
    ax.set_xlim(-0.5, len(xs) - 0.5)
    ax.set_xticks(xs, data.labels)
    ax.set_ylabel(_axis_text(data))
    ax.yaxis.grid(True)
    ax.set_axisbelow(True)
    for x, y in zip(xs, ys):
        ax.annotate(value_label(y, data.value_kind, data.measure, "无数据"), (x, y or 0), xytext=(0, 10 * sc),
                    textcoords="offset points", ha="center", va="bottom", fontsize=S.VALUE_SIZE * sc * 1.1,
                    color=S.MUTED if y is None else S.TEXT)
    if data.target is not None:
        ax.axhline(data.target, color=S.ACCENT, linestyle="--", linewidth=2)
        _legend(fig, ax, [Line2D([], [], color=S.ACCENT, linestyle="--", linewidth=2,
                                 label=f"目标 {W.rate(data.target, data.measure)}")], loc="upper left")
    _decorate(fig, ax, data, style)
    return fig


def draw_share(data: ChartData, style: S.Style | None = None) -> Figure:
    """Parts of a whole: stacked bars per unit, or a pie when there is a single whole."""
    style, sc, fig, ax = _canvas(style)
    parts = [(name, [_num(v) for v in vals]) for name, vals in data.parts]
    n = len(data.labels)
    if n <= 1:
        sizes = [(name, vals[0] if vals else None) for name, vals in parts]
        sizes = [(name, v) for name, v in sizes if v]
        total = sum(v for _n, v in sizes) or 1.0
        labels = [f"{name}\n{value_label(v, data.value_kind, data.measure)}{data.measure}（{W.share_percent(v, total)}）"
                  for name, v in sizes]
        ax.pie([v for _n, v in sizes], labels=labels, colors=S.PARTS[: len(sizes)], startangle=90,
               counterclock=False, wedgeprops={"linewidth": 2, "edgecolor": "white"},
               textprops={"fontsize": S.LABEL_SIZE * sc})
        ax.set_aspect("equal")
        _decorate(fig, ax, data, style)
        return fig
    totals = [sum(v or 0 for v in (vals[i] for _n, vals in parts)) for i in range(n)]
    has = [any(vals[i] is not None for _n, vals in parts) for i in range(n)]
    order = list(range(n))
    if data.sort:
        order.sort(key=lambda i: (i >= n - data.pinned, not has[i], -totals[i], i))
    horizontal = n > S.HORIZONTAL_OVER
    cats = _categories(data, order, horizontal, style)
    pos = list(reversed(range(n))) if horizontal else list(range(n))
    base = [0.0] * n
    top = max(totals) or 1.0
    small: list[list[str]] = [[] for _ in range(n)]  # segments too small to hold a label: named outside
    for k, (name, vals) in enumerate(parts):
        seg = [vals[i] or 0 for i in order]
        color = S.PARTS[k % len(S.PARTS)]
        if horizontal:
            ax.barh(pos, seg, left=base, color=color, height=0.7, label=name)
        else:
            ax.bar(pos, seg, bottom=base, color=color, width=0.65, label=name)
        for j, v in enumerate(seg):
            if v and v / top > 0.08:  # only segments tall enough to hold their label
                xy = (base[j] + v / 2, pos[j]) if horizontal else (pos[j], base[j] + v / 2)
                ax.annotate(value_label(v, data.value_kind, data.measure), xy, ha="center", va="center",
                            fontsize=S.VALUE_SIZE * sc * 0.9, color="white")
            elif v:
                small[j].append(f"{name}{value_label(v, data.value_kind, data.measure)}")
        base = [b + s for b, s in zip(base, seg)]
    for j, i in enumerate(order):
        text = value_label(totals[i] if has[i] else None, data.value_kind, data.measure, data.empty(i))
        if small[j] and horizontal:  # room to the right of the bar
            text += "（" + "、".join(small[j]) + "）"
        if horizontal:
            ax.annotate(text, (base[j], pos[j]), xytext=(4, 0), textcoords="offset points", va="center",
                        fontsize=S.VALUE_SIZE * sc)
        else:
            ax.annotate(text, (pos[j], base[j]), xytext=(0, 3), textcoords="offset points", ha="center",
                        va="bottom", fontsize=S.VALUE_SIZE * sc)
    if horizontal:
        ax.set_yticks(pos, cats, fontsize=_row_font(n, style))
        ax.set_xlim(0, top * 1.15)
        ax.set_xlabel(_axis_text(data))
        ax.xaxis.grid(True)
    else:
        ax.set_xticks(pos, cats, fontsize=_col_font(n, style))
        ax.set_ylim(0, top * 1.2)
        ax.set_ylabel(_axis_text(data))
        ax.yaxis.grid(True)
    ax.set_axisbelow(True)
    thin = [f"{cats[j].replace(chr(10), '')}：{'、'.join(small[j])}" for j in range(n) if small[j]]
    if thin and not horizontal:  # no room above a column: the thin segments are named in the footnote
        data = replace(data, notes=[*data.notes, "柱内未标注的小数值——" + "；".join(thin)])
    _decorate(fig, ax, data, style)
    _fit_category_labels(fig, ax, horizontal, style)
    _legend(fig, ax, ax.get_legend_handles_labels()[0], horizontal)
    return fig


DRAW = {"bar": draw_bar, "rate": draw_bar, "compare": draw_compare, "trend": draw_trend, "share": draw_share}


def draw(data: ChartData, style: S.Style | None = None) -> Figure:
    if data.kind not in DRAW:
        raise UsageError(f"图表种类应为 {' / '.join(KINDS)}，实际为“{data.kind}”")
    return DRAW[data.kind](data, style)


def save_figure(fig: Figure, path: str | Path, *, dpi: int = S.DEFAULT_DPI, svg: bool = False,
                pdf: bool = False) -> list[Path]:
    """Write the PNG (and the .svg / .pdf beside it when asked); returns the files written."""
    path = Path(path)
    if not path.suffix:
        path = path.with_suffix(".png")
    elif path.suffix.lower() not in (".png", ".svg", ".pdf"):
        raise UsageError(f"图表文件应为 .png、.svg 或 .pdf，实际为“{path.name}”")
    path.parent.mkdir(parents=True, exist_ok=True)
    out = []
    png = {"pil_kwargs": S.PNG_ENCODE} if path.suffix.lower() == ".png" else {}
    write_whole(path, lambda tmp: fig.savefig(tmp, dpi=dpi, facecolor="white", **png))
    out.append(path)
    for wanted, ext in ((svg, ".svg"), (pdf, ".pdf")):
        if wanted and path.suffix.lower() != ext:
            p = path.with_suffix(ext)
            write_whole(p, lambda tmp: fig.savefig(tmp, dpi=dpi, facecolor="white"))
            out.append(p)
    return out


def png_bytes(fig: Figure, dpi: int = S.DEFAULT_DPI) -> bytes:
    import io

    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, facecolor="white", pil_kwargs=S.PNG_ENCODE)
    return buf.getvalue()
