"""The report's summary sections, from the rollup records (nothing is recomputed here):
the headline figures of 总体情况, each section's heading as a summary sentence, 主要亮点 (largest
increases, units first, targets met) and 存在问题 (problems of the work: units below target, figures
that fell, units not reported, items nobody filled; never data checks, which go to the office's own
check list)."""

from __future__ import annotations

from gwstats.core.formatting import fixed
from gwstats.forms.export import NAME_FROM_UNITS_NOTE, organisation_named  # noqa: F401 (used by report.py)
from gwstats.render import reading as R
from gwstats.render import wording as W

MOST_NAMED = 5  # units named in one clause before 等N个单位


def _has(rec) -> bool:
    return bool(rec) and rec.get("value") is not None


def headline_codes(cat, root_recs: dict) -> list[str]:
    """The first metric with a figure in each group, in catalog order."""
    out = []
    for g in cat.groups():
        for m in cat.metrics_in_group(g):
            if _has(root_recs.get(m.code)):
                out.append(m.code)
                break
    return out


def headline_sentence(cat, root_recs: dict, scope: str, prefix: str) -> str:
    """``全市共有关工委组织218个，比上年增加9个；五老志愿者2503人，…。``"""
    said: set = set()
    clauses = [W.value_clause(root_recs[c], prefix, said) for c in headline_codes(cat, root_recs)]
    for ind in cat.indicators.values():
        rec = root_recs.get(ind.code)
        if ind.is_headline and _has(rec):
            clauses.append(W.rate_clause(rec, lead=rec["metric_name"], prefix=prefix, said=said))
    if not clauses:
        return ""
    return W.once(scope + "；".join(clauses) + "。")


def _names(names: list[str]) -> str:
    shown = "、".join(W.short_unit(n) for n in names[:MOST_NAMED])
    return shown + (f"等{len(names)}个单位" if len(names) > MOST_NAMED else "")


def _unit_values(res, by_key, code: str) -> list[tuple[str, object]]:
    """(name, value) of the listed units (no 本级/其他 remainder, no 合计) that gave ``code``."""
    out = []
    for u in res.listed_keys:
        if u == res.root or (res.extra is not None and u == res.extra.key):
            continue
        rec = by_key.get((u, code)) or {}
        if rec.get("value") is not None:
            out.append((res.row_name(u), rec["value"]))
    return out


def error_note(check) -> str:
    """Under the overview of a report written over open errors: each one, by unit and metric, in plain words."""
    from gwstats.render.gate import error_note as note

    return note([f for f in check.findings if f.severity == "error"])


def highlights(cat, res, by_key, root_recs: dict, prefix: str, check=None) -> list[str]:
    """Sentences for 主要亮点: never built on a figure with an error or a 同比异常 finding."""
    from gwstats.render.gate import flagged

    bad = flagged(check.findings if check is not None else [], cat)
    bad_metrics = {m for _u, m in bad}
    by_key = {k: v for k, v in by_key.items() if k not in bad}
    root_recs = {c: r for c, r in root_recs.items() if c not in bad_metrics}
    out = []
    # largest increases, relative, over figures that had a value last year
    rising = []
    for code, rec in root_recs.items():
        if not _has(rec) or rec.get("kind") == "rate" or not rec.get("change") or rec["change"] <= 0:
            continue
        if rec.get("change_pct") is None or rec.get("comparable"):
            continue  # an increase on the comparable basis only would contradict last year's published total
        rising.append((float(rec["change_pct"]), rec))
    rising.sort(key=lambda t: -t[0])
    if rising:
        parts = [f"{rec['metric_name']}{W.comparable_change(rec, prefix, reading=True)}（增长{fixed(pct, 1)}%）"
                 for pct, rec in rising[:3]]
        basis = "（按可比口径，只比较两年都填报了该项的单位）" if any(r.get("comparable") for _p, r in rising[:3]) else ""
        out.append(f"增幅较大的有{basis}：" + "；".join(parts) + "。")
    # units first on each headline figure
    firsts = []
    for code in headline_codes(cat, root_recs):
        vals = _unit_values(res, by_key, code)
        if len(vals) < 2:
            continue
        top = max(v for _, v in vals)
        names = [n for n, v in vals if v == top]
        rec = root_recs[code]
        shown = R.figure(top, rec.get("measure", ""), rec.get("kind", "count"))
        firsts.append(f"{rec['metric_name']}最多的是{_names(names)}（{shown}）")
    if firsts:
        out.append("；".join(firsts) + "。")
    # targets met
    met = []
    for ind in cat.indicators.values():
        rec = root_recs.get(ind.code)
        if ind.target is None or not _has(rec):
            continue
        vals = _unit_values(res, by_key, ind.code)
        reached = [n for n, v in vals if float(v) >= ind.target]
        target = R.rate(ind.target, ind.display)
        whole = "，总体达到目标" if float(rec["value"]) >= ind.target else ""
        if vals:
            met.append(f"{ind.name}{R.rate(rec['value'], ind.display)}{whole}，"
                       f"{len(vals)}个单位中{len(reached)}个达到{target}的目标")
    if met:
        out.append("；".join(met) + "。")
    return out


def _reported_below(res, unit: str) -> int:
    try:
        return res.coverage(unit)[0]
    except Exception:  # a unit outside the result's tree: nothing known below it
        return 0


def problems(cat, res, by_key, root_recs: dict, status, check=None, prefix: str = "比上年") -> list[str]:
    """Sentences for 存在问题, on the work: units below the office's target, rates and figures that
    fell, units that sent no return, items filled last year and by nobody this year. Data checks are
    the office's business (its check list), not the superior's: ``check`` only keeps a figure with an
    error or a 同比异常 finding out of the sentences on falls."""
    from gwstats.render.gate import flagged

    bad_metrics = {m for _u, m in flagged(check.findings if check is not None else [], cat)}
    out = []
    for ind in cat.indicators.values():
        if ind.target is None or not _has(root_recs.get(ind.code)):
            continue
        below = [n for n, v in _unit_values(res, by_key, ind.code) if float(v) < ind.target]
        if below:
            out.append(f"{ind.name}低于{R.rate(ind.target, ind.display)}目标的有{_names(below)}。")
    fell = []
    for code, rec in root_recs.items():
        if not _has(rec) or code in bad_metrics or _is_cell(cat, code) or R.direction(rec) != -1:
            continue
        shown = R.rate(rec["value"], rec.get("measure") or "%") if rec.get("kind") == "rate" else W.prose_number(rec)
        fell.append(f"{rec['metric_name']}{shown}，{W.record_change(rec, prefix, reading=True)}")
    if fell:
        out.append("比上年下降的有：" + "；".join(fell) + "。")
    if status is not None:
        # 未报 = no return for the year. A unit without its own return whose subordinates reported is
        # not "not counted": their figures are in every table; a unit covered by a superior's 汇总 is
        # not missing at all (status leaves it out).
        none, own_only = [], []
        for r in status.missing_rows:
            below = _reported_below(res, r["unit"])
            (own_only if below else none).append(r["unit_name"])
        if none:
            out.append(f"未报送报表的有{_names(none)}，其数据未计入本报告。")
        if own_only:
            out.append(f"{_names(own_only)}本级未报送报表，其下属单位已报，下属单位的数据已计入本报告。")
    dropped = [rec["metric_name"] for code, rec in root_recs.items()
               if rec and rec.get("value") is None and rec.get("prev_value") is not None and not _is_cell(cat, code)]
    if dropped:
        out.append(f"{'、'.join(dropped)}上年有数，本年各单位均未填报。")
    if not out:  # no target set by the office: nothing said about targets
        targets = any(ind.target is not None for ind in cat.indicators.values())
        out.append(f"本年度各单位均已报送，主要指标没有{'低于目标或' if targets else ''}比上年下降的。")
    return out


def _is_cell(cat, code: str) -> bool:
    """A cell of a cross-tab (a row × column of a form's table): shown in tables, not named in text."""
    m = cat.metrics.get(code)
    return bool(m is not None and m.row and m.column)


# ---- section headings as summary sentences ------------------------------------------------------
_NOUN_SUFFIXES = ("人数", "对数", "次数", "场次", "人次", "数")
_QUOTED = ("五好", "六好", "四好", "三好")
_VERBS = ("共有", "开展", "聘任", "建立", "辖区有")


def heading_name(rec: dict) -> str:
    """A figure's name in a heading: 五好达标率 → “五好”达标率, 五老志愿者人数 → 五老志愿者."""
    name = rec["metric_name"]
    said = W.phrase(name)  # 关爱留守困境儿童人数 → 关爱留守、困境儿童; 共有五老志愿者 → 五老志愿者
    for verb in _VERBS:
        if said.startswith(verb) and len(said) > len(verb) + 1:
            said = said[len(verb):]
            break
    if rec.get("kind") != "rate" and not said.endswith("的") and said != name:
        name = said
    elif rec.get("kind") != "rate":
        for suffix in _NOUN_SUFFIXES:
            if name.endswith(suffix) and len(name) > len(suffix) + 1:
                name = name[: -len(suffix)]
                break
    for word in _QUOTED:
        if name.startswith(word):
            return f"“{word}”{name[len(word):]}"
    return name


def subject(group: str) -> str:
    """组织建设, 五老队伍, 法治教育 as they are; 帮扶助学 → 帮扶助学工作."""
    return group if group.endswith(("建设", "队伍", "教育", "工作")) else group + "工作"


def headline_of(cat, res, by_key, group: str, root_recs: dict):
    """The record a section's heading states: the group's headline rate (an office target, or a coverage
    rate: :attr:`Indicator.is_headline`; one with a target first), else the count
    or amount most units gave (the first in catalog order among equals)."""
    rates = [i for i in cat.indicators.values() if i.group == group and i.is_headline and _has(root_recs.get(i.code))]
    rates.sort(key=lambda i: i.target is None)
    if rates:
        return root_recs[rates[0].code]
    best, most = None, -1
    for m in cat.metrics_in_group(group):
        rec = root_recs.get(m.code)
        if not _has(rec) or (m.row and m.column):
            continue
        n = len(_unit_values(res, by_key, m.code))
        if n > most:
            best, most = rec, n
    return best


def section_heading(cat, res, by_key, group: str, root_recs: dict, marks=None) -> str:
    """``组织建设稳步推进，“五好”达标率提高到80.7%``: the section's headline figure and where it went.
    The words follow the figure: 提高到 / 下降到 / 保持在, and a plain ``组织建设：…为…`` where there is
    no comparison or the change over all units and the comparable one point different ways, or where an
    open error touches the figure (``marks``, written with --allow-errors: plain, with its ※)."""
    rec = headline_of(cat, res, by_key, group, root_recs)
    topic = subject(group)
    if rec is None:
        return topic
    is_rate = rec.get("kind") == "rate"
    about = "约" if is_rate and rec.get("approx") else ""
    shown = about + (R.rate(rec["value"], rec.get("measure") or "%") if is_rate else W.prose_number(rec))
    name = heading_name(rec)
    way = R.direction(rec)
    if marks and marks.affected(rec["unit"], rec["metric"]):
        return f"{topic}：{name}{'为' if is_rate else ''}{marks.mark(shown, rec['unit'], rec['metric'])}"
    if way is None:
        return f"{topic}：{name}{'为' if is_rate else ''}{shown}"
    if way > 0:
        grow = "进一步壮大" if topic.endswith("队伍") else "稳步推进"
        return f"{topic}{grow}，{name}{'提高到' if is_rate else '增加到'}{shown}"
    if way < 0:
        return f"{topic}有待加强，{name}{'下降到' if is_rate else '减少到'}{shown}"
    return f"{topic}保持稳定，{name}保持在{shown}"
