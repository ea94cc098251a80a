"""From rollup results to chart data, and the chart files: one chart, or the meeting set.

Reads :class:`gwstats.analysis.rollup.RollupResult` records (never recomputes a figure), builds
:class:`gwstats.render.charts.ChartData` and draws it with :mod:`gwstats.render.charts`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from gwstats.core.errors import UsageError
from gwstats.forms.export import error_marks, organisation
from gwstats.render import style as S
from gwstats.render import reading as R
from gwstats.render import wording as W
from gwstats.render.charts import KINDS, ChartData, NoChartData, draw, save_figure
from gwstats.core.output import write_whole


# ---- from rollup results to chart data ---------------------------------------------------------
def _records_index(result) -> dict[tuple[str, str], dict]:
    return {(r["unit"], r["metric"]): r for r in result.records()}


class _Units:
    """Names and levels of units from the rollup's tree (a province's Hierarchy is not built for them)."""

    def __init__(self, tree):
        self.tree = tree
        self.root = tree.codes[0] if tree.n else None  # the first root of the units list

    def __contains__(self, code) -> bool:
        return code in self.tree.index

    def name(self, code: str) -> str:
        i = self.tree.index.get(code)
        return code if i is None else self.tree.names[i]

    def level(self, code: str) -> int:
        return int(self.tree.level[self.tree.index[code]])


def _scope(ws, result) -> str:
    """各县(市)局: from gwstats.toml [charts] level_names = {"2" = "各县(市)局"} when set, else from the names."""
    h = _Units(result.tree)
    names = [h.name(u) for u in result.units]
    levels = {h.level(u) for u in result.units if u in h}
    configured = (ws.config.raw.get("charts", {}).get("level_names") or {})
    word = configured.get(str(next(iter(levels)))) if len(levels) == 1 and isinstance(configured, dict) else None
    word = word or W.level_word(names)
    if result.root and result.root != h.root:
        return W.short_unit(h.name(result.root)) + word
    return word


def _subject(ws, metric: str) -> tuple[str, str, str]:
    """(name, measure, kind) of a metric or indicator."""
    cat = ws.catalog
    if metric in cat.metrics:
        m = cat.metrics[metric]
        return m.name, m.unit, m.kind
    i = cat.indicators[metric]
    return i.name, i.display, "rate"


def resolve_metric(ws, text: str) -> str:
    code = ws.catalog.resolve(text)
    if code is None:
        hint = ws.catalog.suggest(text)
        raise UsageError(f"指标目录中没有“{text}”" + (f"。是否是：{'、'.join(hint)}？" if hint else ""))
    return code


def _total_subtitle(rec: dict | None, root_name: str, compare_year) -> str:
    if not rec or rec.get("value") is None:
        return ""
    kind = rec.get("kind", "count")
    # the total and its change as the report's text writes them (rounded for reading: ``80.7%，比2019年
    # 提高8个百分点``, ``35.6万元``), so the picture and the text never differ on the same figure
    if kind == "rate":
        text = f"{W.scope_word(root_name)}{'约' if rec.get('approx') else ''}{R.rate(rec['value'], rec.get('measure') or '%')}"
    else:
        text = f"合计{W.prose_number(rec)}"
    ch = W.record_change(rec, f"比{compare_year}年" if compare_year else "比上年", reading=True)
    text += f"，{ch}" if ch and rec.get("prev_value") is not None else ""
    rep, exp = rec.get("reported"), rec.get("expected")
    if rep is not None and exp and rep < exp:
        text += f"（未报齐 {rep}/{exp}）"
    return text


def _extra_label(result) -> str:
    """The remainder row on an axis: 安庆市公安局本级 / 其他."""
    e = result.extra
    if e.kind == "本级":
        return W.short_unit(result.tree.names[result.tree.index[result.root]]) + "本级"
    return "其他"


def _marked(data: ChartData, result, keys: list, metrics: list[str], marks, root_rec=None) -> ChartData:
    """Figures an open error touches (``--allow-errors``): ※ on their label and the total in the subtitle,
    the error said in the footnote."""
    if not marks:
        return data
    from gwstats.analysis.marks import MARK
    from gwstats.render.gate import mark_prose

    hit = False
    for k, u in enumerate(keys):
        if u is not None and k < len(data.labels) and any(marks.row_affected(result, u, m) for m in metrics):
            data.labels[k] += MARK
            hit = True
    if root_rec and data.subtitle:
        before = data.subtitle
        data.subtitle = mark_prose(data.subtitle, [root_rec], marks)
        hit = hit or data.subtitle != before
    if hit:
        data.notes.append(marks.note(3, metrics, where=False))
    return data


def chart_data(ws, result, metric: str | list[str], kind: str = "bar", *, target: float | None = None,
               marks=None) -> ChartData:
    """ChartData for one metric (or, for ``share``, its parts) across the result's row units; with
    ``marks`` (analysis.marks.ErrorMarks) the figures an open error touches are marked."""
    if kind not in ("bar", "compare", "rate", "share"):
        raise UsageError(f"“{kind}”图不按单位画；趋势图请用 --kind trend")
    idx = _records_index(result)
    h = _Units(result.tree)
    units = result.listed_keys  # the listed units and the remainder row (本级): the bars add up to 合计
    labels = [W.short_unit(h.name(u)) if u in h else _extra_label(result) for u in units]
    pinned = 0 if result.extra is None else 1
    root = result.root
    root_name = h.name(root)
    org = organisation(ws)
    scope = _scope(ws, result)
    metrics = metric if isinstance(metric, list) else [metric]
    first = metrics[0]
    name, measure, vkind = _subject(ws, first)
    root_rec = idx.get((root, first))
    coverage = (root_rec or {}).get("coverage")
    if kind == "share":
        parts = []
        for m in metrics:
            pname = _subject(ws, m)[0]
            parts.append((pname, [(idx.get((u, m)) or {}).get("value") for u in units]))
        root_vals = [(idx.get((root, m)) or {}).get("value") for m in metrics]
        if all(v is None for v in root_vals) and all(v is None for _n, vals in parts for v in vals):
            raise NoChartData(f"{result.year}年 {'、'.join(p[0] for p in parts)} 没有数据")
        subject = "、".join(p[0] for p in parts) + "构成"
        if not units:  # a unit without children: a pie of its own total
            labels, parts = [root_name], [(p[0], [v]) for p, v in zip(parts, root_vals)]
        present = [(p[0], v) for p, v in zip(parts, root_vals) if v is not None]
        total = sum((Decimal(str(v)) for _n, v in present), Decimal(0))
        sub = ""
        if present:
            sub = f"合计{W.number(total, measure, vkind)}：" + "，".join(
                f"{n}{W.number(v, measure, vkind)}（{W.share_percent(v, total)}）" for n, v in present)
        data = ChartData("share", W.chart_title(org, result.year, scope, subject), labels,
                         [None] * len(labels), measure, vkind, sub, W.source_note(coverage), parts=parts,
                         pinned=pinned if units else 0)
        if units:
            data.empty_labels = ["未报" if not (idx.get((u, first)) or {}).get("reported") else "无数据" for u in units]
        return _marked(data, result, list(units) if units else [root], metrics, marks)
    if not units:
        raise NoChartData(f"“{root_name}”没有下级单位可比较；请选上级单位，或用 --kind trend 看历年变化")
    recs = [idx.get((u, first)) or {} for u in units]
    values = [r.get("value") for r in recs]
    if all(v is None for v in values):
        raise NoChartData(f"{result.year}年 {scope}“{name}”没有数据")
    all_recs, all_labels, all_values = recs, labels, values
    if sum(v is not None for v in values) * 2 < len(values):
        # most units did not give it: bars only for those that did, the others named in the footnote
        keep = [k for k, v in enumerate(values) if v is not None]
        if pinned and (len(values) - 1) not in keep:
            pinned = 0
        recs, labels, values = [recs[k] for k in keep], [labels[k] for k in keep], [values[k] for k in keep]
    data = ChartData(kind, W.chart_title(org, result.year, scope, name), labels, values, measure, vkind,
                     _total_subtitle(root_rec, root_name, result.compare_year), W.source_note(coverage),
                     pinned=pinned)
    if vkind == "rate" and first in ws.catalog.indicators:
        data.axis_label = f"{name}（{measure}）"
        ind = ws.catalog.indicators[first]
        data.target = target if target is not None else ind.target
        if kind == "bar" and data.target is not None:
            data.kind = "rate"
    elif kind == "rate":
        raise UsageError(f"“{name}”不是比率指标；达标率图请选比率（如 五好达标率）")
    if kind == "rate" and data.target is not None:
        below = [lab for v, lab in sorted((float(v), lab) for lab, v in zip(labels, values)
                                          if v is not None and float(v) < data.target - 1e-9)]  # worst first
        if below:
            data.notes.append(f"低于目标 {W.rate(data.target, measure)}：{'、'.join(below[:8])}"
                              + (f"等 {len(below)} 个" if len(below) > 8 else ""))
    if kind == "compare":
        if not result.compare_year:
            raise NoChartData(f"{result.year}年没有可比较的上年数据，无法画同比图")
        data.prev_values = [r.get("prev_value") for r in recs]
        # a label is the difference of the two bars drawn; a comparable-basis change is said in the subtitle
        data.changes = [W.raw_change(r) for r in recs]
        if all(v is None for v in data.prev_values):
            raise NoChartData(f"{result.compare_year}年 {scope}“{name}”没有数据，无法画同比图")
        data.series_names = (f"{result.year}年", f"{result.compare_year}年")
        data.title = W.chart_title(org, f"{result.year}年与{result.compare_year}年", scope, name)
        unit_word = "百分点" if vkind == "rate" and measure == "%" else measure
        data.notes.append(f"+/- 为比{result.compare_year}年增减（{unit_word}）")
    _empty_notes(data, all_recs, all_labels, all_values)
    data.empty_labels = ["未报" if not r.get("reported") else "无数据" for r in recs]
    return _marked(data, result, [r.get("unit") for r in recs], [first], marks, root_rec)


def _empty_notes(data: ChartData, recs: list[dict], labels: list[str], values: list):
    """未报 (no return at all under the unit) vs 无数据 (returned, but not this figure), in labels and notes."""
    data.empty_labels = ["未报" if not r.get("reported") else "无数据" for r in recs]
    for word in ("未报", "无数据"):
        names = [lab for lab, v, e in zip(labels, values, data.empty_labels) if v is None and e == word]
        if names:
            head = "未报" if word == "未报" else "无此项数据"
            data.notes.append(f"{head}：" + "、".join(names[:8]) + (f"等 {len(names)} 个" if len(names) > 8 else ""))


def trend_data(ws, year: int, metric: str, *, unit: str | None = None, target: float | None = None,
               error_marks=None) -> ChartData:
    """A metric's total (of the root, or of ``unit``) over all years in the store up to ``year``."""
    name, measure, vkind = _subject(ws, metric)
    years = [y for y in ws.store.years() if y <= year] or [year]
    labels, values, coverage = [], [], None
    h = None
    root = unit
    marks: list[str] = []
    covers: set = set()
    for y in years:
        res = ws.rollup(y, unit=unit, metrics=[metric], compare=None)
        root, h = res.root, _Units(res.tree)
        rec = _records_index(res).get((res.root, metric)) or {}
        rep, exp = rec.get("reported"), rec.get("expected")
        # a year with incomplete reporting is marked on its label: its point is not a like-for-like total
        labels.append(f"{y}年")
        marks.append(f" 已报{rep}/{exp}" if rec.get("value") is not None and exp and rep < exp else "")
        covers.add((rep, exp) if rec.get("value") is not None else None)
        values.append(rec.get("value"))
        if y == year:
            coverage = rec.get("coverage")
    if all(v is None for v in values):
        raise NoChartData(f"各年度“{name}”都没有数据")
    covers.discard(None)
    if len(covers) > 1:  # reporting differs between the years drawn: the incomplete ones say so (2019年 已报2/3)
        labels = [lab + m for lab, m in zip(labels, marks)]
    first = next(y for y, v in zip(years, values) if v is not None)
    span = f"{first}—{year}年" if first != year else f"{year}年"
    root_name = h.name(root) if root else organisation(ws)
    scope = "" if not unit else W.short_unit(root_name)
    data = ChartData("trend", W.chart_title(organisation(ws), span, scope, f"{name}变化"), labels, values,
                     measure, vkind, "", W.source_note(coverage), sort=False)
    if vkind == "rate":
        data.axis_label = f"{name}（{measure}）"
        data.target = target if target is not None else ws.catalog.indicators[metric].target
    vals = [v for v in values if v is not None]
    if len(vals) >= 2 and values[-1] is not None:
        i_prev = max(i for i, v in enumerate(values[:-1]) if v is not None)
        # the change as the report says it: the plain difference of the two points, and the comparable
        # one beside it where units reported in one of the two years only
        last = ws.rollup(year, unit=unit, metrics=[metric], compare=years[i_prev])
        rec = _records_index(last).get((last.root, metric)) or {}
        prefix = f"比{years[i_prev]}年"
        text = W.record_change(rec, prefix, reading=True) if rec.get("change") is not None else ""
        if not text:  # the two points drawn, as the text would state their difference
            pair = {"value": values[-1], "prev_value": values[i_prev], "kind": vkind, "measure": measure}
            text = R.change(pair, "raw", W.raw_change(pair), prefix)
        shown_now = R.rate(values[-1], measure) if vkind == "rate" else R.figure(values[-1], measure, vkind)
        data.subtitle = f"{year}年{shown_now}，{text}"
    if error_marks and root and error_marks.affected(root, metric, year):  # this year's point: ※ on its label
        from gwstats.analysis.marks import MARK

        data.labels[-1] += MARK
        data.notes.append(error_marks.note(3, [metric], where=False))
    return data


def _parse_entry(entry: str) -> tuple[str, list[str]]:
    kind, _, rest = entry.partition(":")
    kind, rest = kind.strip(), rest.strip()
    if kind not in KINDS or not rest:
        raise UsageError(f"gwstats.toml [charts] standard 中的“{entry}”应写成 “种类:指标”，种类为 {' / '.join(KINDS)}")
    return kind, [m.strip() for m in rest.split("+") if m.strip()]


def build_chart(ws, year: int, metric: str | list[str], *, kind: str = "bar", by: str = "unit",
                unit: str | None = None, level: int | None = None, target: float | None = None,
                marks=None) -> ChartData:
    """The ChartData a command asks for (reads the rollup; never recomputes); ``marks``: the figures an
    open error touches (analysis.marks.ErrorMarks; the year's check is run when not given)."""
    metrics = [resolve_metric(ws, m) for m in (metric if isinstance(metric, list) else str(metric).split("+"))]
    if by not in ("unit", "year"):
        raise UsageError(f"--by 应为 unit 或 year，实际为“{by}”")
    if kind not in KINDS:
        raise UsageError(f"--kind 应为 {' / '.join(KINDS)} 之一，实际为“{kind}”")
    unit_code = ws.resolve_unit(unit) if unit else None
    if marks is None:
        marks = error_marks(ws, year, unit_code)
    if by == "year" or kind == "trend":
        return trend_data(ws, year, metrics[0], unit=unit_code, target=target, error_marks=marks)
    if kind != "share" and len(metrics) > 1:
        raise UsageError("只有 share（构成）图可以用 + 连接多个指标")
    if kind == "share" and len(metrics) < 2:
        raise UsageError("share（构成）图需要两个或更多部分，用 + 连接，如 donations_social+donations_wulao")
    compare = "auto"
    res = ws.rollup(year, unit=unit_code, level=level, metrics=metrics, compare=compare)
    return chart_data(ws, res, metrics if kind == "share" else metrics[0], kind, target=target, marks=marks)


def style_of(ws) -> S.Style:
    return S.Style(tuple(ws.config.chart_size), int(ws.config.chart_dpi))


def make_chart(ws, year: int, *, metric: str, output: str | Path, kind: str = "bar", by: str = "unit",
               unit: str | None = None, level: int | None = None, target: float | None = None,
               svg: bool = False, pdf: bool = False) -> list[Path]:
    """Draw one chart and write it; returns the files written (PNG first)."""
    data = build_chart(ws, year, metric, kind=kind, by=by, unit=unit, level=level, target=target)
    style = style_of(ws)
    fig = draw(data, style)
    return save_figure(fig, output, dpi=style.dpi, svg=svg, pdf=pdf)


@dataclass
class ChartSet:
    out_dir: Path
    files: list[tuple[Path, str]] = field(default_factory=list)  # (png, title)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (entry, reason)
    index: Path | None = None

    @property
    def paths(self) -> list[Path]:
        return [p for p, _t in self.files]

    def __iter__(self):
        return iter(self.paths)

    def records(self) -> list[dict]:
        rows = [{"文件": p.name, "标题": t, "说明": ""} for p, t in self.files]
        rows += [{"文件": "", "标题": e, "说明": f"未生成：{r}"} for e, r in self.skipped]
        return rows


KIND_WORDS = {"bar": "柱状图", "compare": "同比图", "trend": "趋势图", "rate": "达标率图", "share": "构成图"}
MIN_TREND_YEARS = 3  # a line needs three years; two years are a paired bar (compare)


def entry_label(ws, kind: str, metrics: list[str]) -> str:
    """``柱状图：法制课场次`` for the entry ``bar:legal_lessons`` (messages never show codes)."""
    names = []
    for m in metrics:
        try:
            names.append(ws.catalog.label_of(resolve_metric(ws, m)))
        except UsageError:
            names.append(m)  # the user's own text from gwstats.toml
    return f"{KIND_WORDS.get(kind, kind)}：{'、'.join(names)}"


def group_chart(cat, res, idx: dict, group: str) -> tuple[str, str] | None:
    """A group's chart, when its data can carry one: its indicator with a target (rate), else its
    coverage rate (达标率, 覆盖率, 配备率: the rates a 关工委 reports on, with or without a target), else its
    first metric, among those that at least half of the listed units gave; else none (a chart of
    one or two bars among twenty 无数据 says nothing the table does not)."""
    units = [u for u in res.listed_keys if res.extra is None or u != res.extra.key]
    root = res.root
    enough = max(1, (len(units) + 1) // 2)

    def fit(code: str) -> bool:
        given = sum(1 for u in units if (idx.get((u, code)) or {}).get("value") is not None)
        return (idx.get((root, code)) or {}).get("value") is not None and given >= enough

    rates = [i for i in cat.indicators.values() if i.group == group and fit(i.code)]
    ind = next((i for i in rates if i.target is not None), None) or next(
        (i for i in rates if i.is_headline), None)
    if ind is not None:
        return "rate", ind.code
    metric = next((m for m in cat.metrics_in_group(group) if fit(m.code)), None)
    return ("bar", metric.code) if metric is not None else None


class _Figures:
    """``{(unit, metric): {"value": …}}`` as group_chart reads a records index, each figure looked up
    when asked (a province's meeting set asked for every record of every row and metric)."""

    def __init__(self, res):
        self.res = res

    def get(self, key):
        return {"value": self.res.value(*key)}


def fitted_chart_set(ws, year: int) -> list[str]:
    """A meeting set the workspace's catalog and data can carry: per group its indicator with a
    target or its coverage rate (rate), else its first metric most units gave (compare when the year
    before has it, else bar); the first total with parts (share); a trend only over three or more years."""
    from gwstats.render.wording import total_parts

    cat = ws.catalog
    try:
        res = ws.rollup(year, compare="auto")
    except Exception:  # no data yet: the set stays empty and charts says so
        return []
    idx = _Figures(res)  # whether a figure is there: not a full record of every row and metric
    root = res.root

    def has(code: str) -> bool:
        return (idx.get((root, code)) or {}).get("value") is not None

    out: list[str] = []
    for g in cat.groups():
        chosen = group_chart(cat, res, idx, g)
        if chosen is not None:
            kind, code = chosen
            if kind == "bar" and res.record(root, code)["prev_value"] is not None:
                kind = "compare"
            out.append(f"{kind}:{code}")
    for total, parts in total_parts(cat).items():
        if has(total) and all(p in cat.metrics for p in parts) and sum(has(p) for p in parts) >= 2:
            out.append(f"share:{'+'.join(parts)}")
            break
    years = [y for y in ws.store.years() if y <= year]
    if len(years) >= MIN_TREND_YEARS and out:
        first = next((e.split(":", 1)[1] for e in out if e.split(":", 1)[0] in ("bar", "compare", "rate")), None)
        if first:
            out.append(f"trend:{first}")
    return out


def make_standard_charts(ws, year: int, out_dir: str | Path, *, unit: str | None = None, level: int | None = None,
                         svg: bool = False, pdf: bool = False, progress=None) -> ChartSet:
    """The meeting set from gwstats.toml [charts] standard (empty: :func:`fitted_chart_set`); charts
    without data are skipped with a note naming them in words. ``progress(i, n, words)``: before each."""
    out = ChartSet(Path(out_dir))
    out.out_dir.mkdir(parents=True, exist_ok=True)
    entries = list(ws.config.standard_charts) or fitted_chart_set(ws, year)
    style = style_of(ws)
    years = [y for y in ws.store.years() if y <= year]
    marks = error_marks(ws, year, ws.resolve_unit(unit) if unit else None)  # one check for the set
    for i, entry in enumerate(entries, 1):
        if progress:
            progress(i, len(entries), "正在生成图表")
        kind, metrics = _parse_entry(entry)
        if kind == "trend" and len(years) < MIN_TREND_YEARS:
            kind = "compare"  # two years: a paired bar, not a two-point line
        try:
            data = build_chart(ws, year, metrics if kind == "share" else metrics[0], kind=kind, unit=unit, level=level,
                               marks=marks)
            if kind == "trend" and sum(v is not None for v in data.values) < MIN_TREND_YEARS:
                kind = "compare"  # the metric has figures in two years only
                data = build_chart(ws, year, metrics[0], kind=kind, unit=unit, level=level, marks=marks)
        except (NoChartData, UsageError) as exc:
            out.skipped.append((entry_label(ws, kind, metrics), exc.message))
            continue
        fig = draw(data, style)
        name = f"{i:02d}_{kind}_{'+'.join(metrics)}.png"
        files = save_figure(fig, out.out_dir / name, dpi=style.dpi, svg=svg, pdf=pdf)
        out.files.append((files[0], data.title))
    out.index = write_index(out, f"{organisation(ws)}{year}年 会议图表")
    return out


def write_index(chart_set: ChartSet, heading: str) -> Path:
    lines = [f"# {heading}", ""]
    for n, (p, title) in enumerate(chart_set.files, 1):
        lines += [f"{n}. [{title}]({p.name})", ""]
        lines += [f"   ![{title}]({p.name})", ""]
    if chart_set.skipped:
        lines += ["## 未生成的图表", ""]
        lines += [f"- {e}：{r}" for e, r in chart_set.skipped]
        lines.append("")
    path = chart_set.out_dir / "index.md"
    write_whole(path, lambda p: p.write_text("\n".join(lines), encoding="utf-8"))
    return path
