"""Text layout on charts: wrapping unit names and titles, and finding texts that overlap."""

from __future__ import annotations

import math
import textwrap

from matplotlib.figure import Figure


# Break a unit's name before these words when both halves fit: 迎江/公安分局, 市局交警/支队.
BREAK_BEFORE = ("公安分局", "公安局", "派出所", "关工委", "关工小组", "分局", "支队", "大队", "街道", "社区",
                "中学", "小学", "学校", "县局", "市局")



def wrap_label(text: str, width: int, max_lines: int = 3) -> str:
    if len(text) <= width:
        return text
    for word in BREAK_BEFORE:
        k = text.rfind(word)
        if k > 0 and len(text) - k <= width and k <= width:
            return text[:k] + "\n" + text[k:]
    n_lines = math.ceil(len(text) / width)
    width = math.ceil(len(text) / n_lines)  # balanced lines: 岳西县/公安局, not 岳西县公/安局
    lines = textwrap.wrap(text, width, break_long_words=True, break_on_hyphens=False)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1][:-1] + "…"
    return "\n".join(lines)



def _text_width(text: str) -> float:
    """Width of a line in ems: CJK and full-width characters 1, others about 0.55."""
    return sum(1.0 if ord(ch) > 0x2E80 else 0.55 for ch in text)



def fit_line(text: str, size_pt: float, width_pt: float, max_lines: int = 3) -> str:
    """Break a title or footnote into lines that fit ``width_pt`` (at a space or 、，；, else anywhere)."""
    if _text_width(text) * size_pt <= width_pt:
        return text
    limit = width_pt / size_pt
    lines, cur = [], ""
    for ch in text:
        if _text_width(cur + ch) > limit:
            cut = max(cur.rfind(" "), cur.rfind("，"), cur.rfind("；"), cur.rfind("、"))
            if cut > len(cur) // 2:
                lines.append(cur[: cut + 1].rstrip())
                cur = cur[cut + 1:].lstrip()
            else:
                lines.append(cur)
                cur = ""
        cur += ch
    lines.append(cur)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1][:-1] + "…"
    return "\n".join(lines)



def laid_out(fig: Figure):
    """The renderer of the figure laid out as it stands: a draw without rendering, unless nothing
    changed since the last one (matplotlib marks a changed figure stale)."""
    if fig.stale:
        fig.draw_without_rendering()
    return fig.canvas.get_renderer()



def texts_overlap(texts, renderer, pad: float = 1.0) -> list[tuple]:
    boxes = []
    for t in texts:
        if not t.get_visible() or not t.get_text().strip():
            continue
        bb = t.get_window_extent(renderer)
        boxes.append((t, bb.expanded(1.0, 1.0).padded(pad)))
    out = []
    for i in range(len(boxes)):
        for j in range(i + 1, len(boxes)):
            if boxes[i][1].overlaps(boxes[j][1]):
                out.append((boxes[i][0], boxes[j][0]))
    return out



def label_overlaps(fig: Figure) -> list[tuple[str, str]]:
    """Pairs of texts that overlap on the drawn figure: title, subtitle, footnote, legend, axis
    labels, tick labels and value labels, each against every other."""
    fig.draw_without_rendering()
    renderer = fig.canvas.get_renderer()
    items: list[tuple[str, object]] = []  # (text, bbox)
    seen: set[int] = set()

    def add(t):
        if t is not None and id(t) not in seen and t.get_visible() and t.get_text().strip():
            seen.add(id(t))
            items.append((t.get_text(), t.get_window_extent(renderer)))

    for t in fig.texts:
        add(t)
    for name in ("_suptitle", "_supxlabel", "_supylabel"):
        add(getattr(fig, name, None))
    for leg in fig.legends:
        items.append(("图例", leg.get_window_extent(renderer)))
    for ax in fig.axes:
        add(ax.title)
        add(ax.xaxis.label)
        add(ax.yaxis.label)
        for t in [*ax.get_xticklabels(), *ax.get_yticklabels(), *ax.texts]:
            add(t)
        if ax.get_legend() is not None:
            items.append(("图例", ax.get_legend().get_window_extent(renderer)))
    out = []
    for i in range(len(items)):
        for j in range(i + 1, len(items)):
            if items[i][1].overlaps(items[j][1]):
                out.append((items[i][0], items[j][0]))
    return list(dict.fromkeys(out))
