"""All Chinese wording of charts and reports, and how numbers are written in it.

The style is that of the summaries offices write: ``218个``, ``比上年增加6个``, ``与上年持平``,
``占80.7%``, ``比上年提高8.0个百分点``, ``3.0万人次``, ``13.55万元``, ``约800人``.
Functions here only format what the rollup computed; they never add or recompute figures.
"""

from __future__ import annotations

import re
from decimal import Decimal

from gwstats.core.formatting import decimal_text, fixed_text
from gwstats.core.rounding import OTHER_RATE_PLACES, dec, percent
from gwstats.render import reading as R
from gwstats.render.unit_words import PHRASES, level_word, phrase, scope_word, short_unit  # noqa: F401 (part of this API)

WAN = Decimal(10000)
# Measures written in 万 from 10 000 up (person-times are the usual case: 3.0万人次).
WAN_MEASURES = ("人次",)
# Any other count is written in 万 only from this size up (1.2万人 reads better than 12000人 only when large).
WAN_ANY_COUNT_FROM = Decimal(100000)
RATE_DECIMALS = 1

# ---- numbers -----------------------------------------------------------------------------------
_dec = dec
_fixed = fixed_text


def in_wan(value, measure: str = "", kind: str = "count") -> bool:
    """Whether :func:`number` writes this count in 万 (3.0万人次)."""
    if value is None or kind == "amount" or measure in ("万元", "元"):
        return False
    v = abs(_dec(value))
    return (measure in WAN_MEASURES and v >= WAN) or v >= WAN_ANY_COUNT_FROM


def number(value, measure: str = "", kind: str = "count", *, approx: bool = False, wan: bool = False) -> str:
    """A count or amount with its unit of measure, as a summary writes it.

    >>> number(218, "个")  -> '218个'
    >>> number(30000, "人次") -> '3.0万人次'
    >>> number(Decimal("13.55"), "万元", "amount") -> '13.55万元'
    >>> number(457, "人", approx=True) -> '450余人'  (an approximate figure, see :func:`about`)
    """
    if value is None:
        return ""
    v = _dec(value)
    if approx and v > 0:
        shown = about(v, measure, kind, wan=wan)
        if shown:
            return shown
    prefix = "约" if approx else ""
    if measure == "万元" or (kind == "amount" and measure != "元"):
        return f"{prefix}{_fixed(v, 2)}{measure}"
    if measure == "元":
        if abs(v) >= WAN:
            return f"{prefix}{_fixed(v / WAN, 2)}万元"
        return f"{prefix}{decimal_text(v) if v == v.to_integral_value() else _fixed(v, 2)}元"
    if wan or (measure in WAN_MEASURES and abs(v) >= WAN) or abs(v) >= WAN_ANY_COUNT_FROM:
        return f"{prefix}{_fixed(v / WAN, 1)}万{measure}"
    return f"{prefix}{decimal_text(v)}{measure}"


def about(value, measure: str = "", kind: str = "count", *, wan: bool = False) -> str:
    """An approximate figure as people write it: rounded down to a round number, then 余
    (457 → 450余人, 2503 → 2500余人, 4.2万 → 4万余人次, 35.60万元 → 35万余元). Rounding down keeps it
    honest: the figure is at least that. "" where no round number below fits (under 10, under 1万元);
    the caller then writes 约."""
    v = _dec(value)
    if measure == "万元" or (kind == "amount" and measure not in ("元",)):
        whole = int(v)
        return f"{whole}万余元" if measure == "万元" and whole >= 1 else ""
    if measure == "元" and v >= WAN:
        return f"{int(v / WAN)}万余元"
    if wan or (measure in WAN_MEASURES and v >= WAN) or v >= WAN_ANY_COUNT_FROM:
        whole = int(v / WAN)
        return f"{whole}万余{measure}" if whole >= 1 else ""
    n = int(v)
    if n < 10:
        return ""
    step = 10 if n < 1000 else 10 ** (len(str(n)) - 2)
    return f"{n // step * step}余{measure}"


def plain_number(value, kind: str = "count", measure: str = "") -> str:
    """A table cell: the figure without its unit (counts whole, amounts 2 decimals, percentages 1,
    other rates such as 元 per student 2: the decimals of the text and the console)."""
    if value is None:
        return ""
    if kind == "rate":
        return _fixed(_dec(value), RATE_DECIMALS if measure in ("%", "") else OTHER_RATE_PLACES)
    v = _dec(value)
    if kind == "amount" or measure == "万元":
        return _fixed(v, 2)
    return decimal_text(v)


def rate(value, display: str = "%") -> str:
    """A rate in its display unit: ``80.7%``; a non-percent indicator (元) with 2 decimals."""
    if value is None:
        return ""
    v = _dec(value)
    if display == "%":
        return f"{_fixed(v, RATE_DECIMALS)}%"
    return f"{_fixed(v, OTHER_RATE_PLACES)}{display}"  # as in every table: 1204.83元


def share_percent(part, whole) -> str:
    """``6.3%`` for 1 of 16 (half up); an incomplete share never reads 100.0% (2499/2500 → 99.9%)."""
    p = percent(part, whole)
    return "" if p is None else f"{p}%"


def share(value, display: str = "%") -> str:
    """``占80.7%``."""
    return f"占{rate(value, display)}" if value is not None else ""


# ---- changes ----------------------------------------------------------------------------------
SAME = "与上年持平"


def yoy_prefix(year: int | None, compare_year: int | None) -> str:
    """``比上年`` against the year before, else ``比2018年``."""
    if compare_year is None or year is None or compare_year == year - 1:
        return "比上年"
    return f"比{compare_year}年"


def change(delta, measure: str = "", kind: str = "count", *, display: str = "%", prefix: str = "比上年",
           approx: bool = False, wan: bool = False) -> str:
    """Year-over-year change: ``比上年增加6个`` / ``比上年减少3人`` / ``与上年持平``;
    for rates ``比上年提高8.0个百分点`` / ``比上年下降1.2个百分点``; ``prefix`` ``比2018年`` for another
    comparison year; ``approx``: the change comes from an approximate figure (``比上年增加约6个``).
    Empty when there is no comparison.
    """
    if delta is None:
        return ""
    d = _dec(delta)
    same = SAME if prefix == "比上年" else f"与{prefix[1:]}持平"
    about = "约" if approx else ""
    if kind == "rate" and display == "%":
        r = Decimal(_fixed(d, RATE_DECIMALS))
        if r == 0:
            return same
        word = "提高" if r > 0 else "下降"
        return f"{prefix}{word}{about}{_fixed(abs(r), RATE_DECIMALS)}个百分点"
    if kind == "rate":  # a non-percent indicator such as 元 per student
        measure, kind = display, ("amount" if display in ("元", "万元") else "count")
    # wan: the figure itself reads 8.0万人次. A change from an approximate figure may be more or less
    # than it shows, so it keeps 约 (an approximate figure itself reads 450余人, see about()).
    text = about + number(abs(d), measure, kind, wan=wan)
    digits = re.sub(r"[^0-9]", "", text)
    if d == 0 or not digits.strip("0"):
        return same
    word = "增加" if d > 0 else "减少"
    return f"{prefix}{word}{text}"


def _change_of(rec: dict, delta, prefix: str) -> str:
    """``比上年增加6个`` for ``delta`` in the record's kind and measure."""
    if rec.get("kind") == "rate":
        return change(delta, kind="rate", display=rec.get("measure") or "%", prefix=prefix,
                      approx=bool(rec.get("change_approx")))
    return change(delta, rec.get("measure", ""), rec.get("kind", "count"), prefix=prefix,
                  approx=bool(rec.get("change_approx")),
                  wan=in_wan(rec.get("value"), rec.get("measure", ""), rec.get("kind", "count")))


def comparable_change(rec: dict, prefix: str = "比上年", *, reading: bool = False) -> str:
    """The change on the basis the record computed it (comparable where units differ), without the
    plain difference: for a place that states the basis once for all its figures (主要亮点)."""
    if rec.get("change") is None:
        return ""
    return R.change(rec, "change", rec["change"], prefix) if reading else _change_of(rec, rec["change"], prefix)


def raw_change(rec: dict):
    """This year's figure minus last year's, both over all units that gave them: what a reader holding
    last year's return computes (a rate's in 百分点 of the shown rates)."""
    from gwstats.core.rounding import shown

    v, p = rec.get("value"), rec.get("prev_value")
    if v is None or p is None:
        return None
    kind, measure = rec.get("kind", "count"), rec.get("measure", "")
    if kind == "rate":
        return shown(v, "rate", measure or "%") - shown(p, "rate", measure or "%")
    return _dec(v) - _dec(p)


def _left_out_names(rec: dict) -> list[str]:
    return [n for key in ("left_out_prev", "left_out_cur") for n in (rec.get(key) or "").split("、") if n]


def _why_left_out(rec: dict) -> list[str]:
    """``东湖街道、南街社区本年未报``, ``县公安局本年未填``, ``城南站已撤销``: one meaning for each word
    (未报 = no return for the year; 未填 = a return without this item; 已撤销 = no longer exists)."""
    reasons = rec.get("left_out_why") or {}
    out: list[str] = []
    for key, default in (("left_out_prev", "本年未报"), ("left_out_cur", "上年未报")):
        groups: dict[str, list[str]] = {}
        for name in [n for n in (rec.get(key) or "").split("、") if n]:
            groups.setdefault(reasons.get(name, default), []).append(name)
        out += [_few("、".join(names)) + word for word, names in groups.items()]
    return out


def _these(n: int) -> str:
    return "这个单位" if n == 1 else ("这两个单位" if n == 2 else f"这{n}个单位")


def record_change(rec: dict, prefix: str = "比上年", said: set | None = None, *, reading: bool = False) -> str:
    """The change of one rollup record as a summary says it.

    Where every unit gave the figure in both years, or the comparable change reads the same as the
    plain difference, it is that change (``比上年增加6个``). Where they differ the sentence gives both
    in words a reader can check against last year's return:
    ``比上年减少5个，主要是东湖街道、南街社区本年未报；按可比口径（剔除这两个单位）比上年增加6个``.
    ``said`` (a set kept over one section) states the basis once: a later figure leaving out the same
    units reads ``比上年减少6人，剔除上述单位后与上年持平``. ``reading``: rounded for reading as the
    report's text writes figures (:mod:`.reading`: ``增加3.3万元``, ``提高8个百分点``).
    """
    if rec.get("change") is None:
        return ""

    def said_as(which: str, delta) -> str:
        return R.change(rec, which, delta, prefix) if reading else _change_of(rec, delta, prefix)

    comp = said_as("change", rec["change"])
    if not rec.get("comparable"):
        return comp
    raw = raw_change(rec)
    raw_text = said_as("raw", raw) if raw is not None else ""
    if not raw_text or raw_text == comp:
        return comp
    key = (rec.get("left_out_prev") or "", rec.get("left_out_cur") or "")
    if said is not None and key in said:
        return f"{raw_text}，剔除上述单位后{comp}"
    why = _why_left_out(rec)
    if said is not None:
        said.add(key)
    n = len(_left_out_names(rec))
    # 主要是 where the units left out explain the plain change (a fall from units not reporting this
    # year, a rise from units new this year); otherwise the fact alone
    explains = ((raw < 0 and rec.get("left_out_prev") and not rec.get("left_out_cur"))
                or (raw > 0 and rec.get("left_out_cur") and not rec.get("left_out_prev")))
    return f"{raw_text}，{'主要是' if explains else ''}{'、'.join(why)}；按可比口径（剔除{_these(n)}）{comp}"


def left_out(rec: dict) -> str:
    """``（东湖街道、南街社区未报）``: the units a comparable-basis change leaves out."""
    if not rec.get("comparable"):
        return ""
    parts = []
    if rec.get("left_out_prev"):
        parts.append(_few(rec["left_out_prev"]) + "未报")
    if rec.get("left_out_cur"):
        parts.append(_few(rec["left_out_cur"]) + "上年未报")
    return f"（{'，'.join(parts)}）" if parts else ""


def _few(names: str, most: int = 3) -> str:
    items = [n for n in names.split("、") if n]
    return "、".join(items[:most]) + (f"等{len(items)}个单位" if len(items) > most else "")


def signed(delta, kind: str = "count", measure: str = "") -> str:
    """A short signed change for chart labels: ``+6`` / ``-3`` / ``+8`` (百分点, ``+7.8`` when not whole, as
    the report's text writes it) / ``0``."""
    if delta is None:
        return ""
    d = _dec(delta)
    if kind == "rate" and measure in ("%", ""):
        text = R.trim(Decimal(_fixed(d, RATE_DECIMALS)))
    elif kind == "rate":
        text = _fixed(d, RATE_DECIMALS)
    elif kind == "amount" or measure == "万元":
        text = _fixed(d, 2)
    else:
        text = decimal_text(d)
    if Decimal(text) == 0:
        return "持平"
    return ("+" if d > 0 else "") + text


def source_note(coverage: str | None) -> str:
    """``数据来源：各单位统计报表（已报 12/13）``."""
    return "数据来源：各单位统计报表" + (f"（已报 {coverage}）" if coverage else "")


def report_title(organisation: str, year: int) -> str:
    return f"{organisation}{year}年度关心下一代工作统计分析"


def chart_title(organisation: str, year: int | str, scope: str, subject: str) -> str:
    """``安庆市公安局关工委 2018年 各县(市)局 法制课场次``."""
    year_text = f"{year}年" if isinstance(year, int) else str(year)
    return " ".join(p for p in (organisation, year_text, scope, subject) if p)


# ---- sentences ---------------------------------------------------------------------------------
def _has(rec: dict | None) -> bool:
    return rec is not None and rec.get("value") is not None


def value_clause(rec: dict, prefix: str = "比上年", said: set | None = None) -> str:
    """``关工委组织218个，比上年增加6个`` for one record of a count or amount; where the comparable
    change differs from the plain one ``共有关工委组织110个，比上年减少5个，主要是东湖街道、南街社区本年未报；
    按可比口径（剔除这两个单位）比上年增加6个`` (see :func:`record_change`)."""
    text = phrase(rec["metric_name"]) + prose_number(rec)
    ch = record_change(rec, prefix, said, reading=True)
    return text + (f"，{ch}" if ch else "")


def prose_number(rec: dict) -> str:
    """A record's figure in running text: rounded for reading (``35.6万元``), or approximate
    (``450余人``) where it came from figures like ``800多``."""
    if rec.get("approx"):
        return number(rec["value"], rec.get("measure", ""), rec.get("kind", "count"), approx=True)
    return R.figure(rec["value"], rec.get("measure", ""), rec.get("kind", "count"))


def rate_clause(rec: dict, *, lead: str = "占", prefix: str = "比上年", said: set | None = None) -> str:
    """``占80.7%，比上年提高8.0个百分点`` (lead ``占``) or ``五好达标率80.7%，…`` (lead = the name).
    A rate that leaves out units with only some of its parts says so: ``占54.5%（不含未填组织数的丁县）``."""
    display = rec.get("measure") or "%"
    text = lead + ("约" if rec.get("approx") else "") + R.rate(rec["value"], display)
    if rec.get("rate_left_out"):
        text += f"（{rec['rate_left_out']}）"
    ch = record_change(rec, prefix, said, reading=True)
    return text + (f"，{ch}" if ch else "")


def part_name(part: str, total: str) -> str:
    """A part's name after its total has been named: 社会力量捐款 of 捐款捐物 → 社会力量, 五老捐款捐物 → 五老
    (the longest ending of the part's name that begins the total's name goes)."""
    for k in range(min(len(part) - 1, len(total)), 1, -1):
        if total.startswith(part[-k:]):
            return part[:-k]
    return part


def parts_clause(total_rec: dict, part_recs: list[dict]) -> str:
    """``其中社会力量20.40万元、五老15.20万元`` for the parts of a total said just before."""
    shown = [part_name(r["metric_name"], total_rec["metric_name"]) + prose_number(r) for r in part_recs]
    return "其中" + "、".join(shown) if shown else ""


def group_sentence(records: dict[str, dict], metrics: list[str], indicators: list[tuple[str, str | None, str | None]],
                   scope: str = "全市", prefix: str = "比上年", parts: dict[str, list[str]] | None = None) -> str:
    """One sentence for a metric group, from the root's (合计) records.

    ``records`` maps a code to its record; ``metrics`` are the group's metric codes in catalog
    order; ``indicators`` are (code, numerator code or None, denominator code or None) for the
    group's indicators. A metric without data gets no clause; a group without data gets "".

    全市共有关工委组织218个，比上年增加6个；其中达到“五好”标准的176个，占80.7%，比上年提高8.0个百分点。

    ``parts`` maps a total to the metrics that make it up (a rule ``total == a + b``): when the total
    has a figure its parts follow it with 其中 (捐款捐物35.60万元，…，其中社会力量20.40万元、五老15.20万元).
    """
    by_num = {num: (code, den) for code, num, den in indicators if num}
    parts = {t: [p for p in ps if p in metrics] for t, ps in (parts or {}).items() if t in metrics}
    used_ind: set[str] = set()
    basis_said: set = set()
    clauses: list[str] = []
    said: set[str] = set()
    for code in metrics:
        rec = records.get(code)
        if not _has(rec) or code in said:
            continue
        ind = by_num.get(code)
        ind_rec = records.get(ind[0]) if ind else None
        if ind and ind[1] in said and _has(ind_rec):
            text = "其中" + phrase(rec["metric_name"]) + prose_number(rec)
            text += "，" + rate_clause(ind_rec, prefix=prefix, said=basis_said)
            used_ind.add(ind[0])
        else:
            text = value_clause(rec, prefix, basis_said)
        mine = [records[p] for p in parts.get(code, []) if _has(records.get(p)) and p not in said]
        if mine:
            text += "，" + parts_clause(rec, mine)
            said.update(p for p in parts[code])
        if not clauses:
            text = scope + text
        clauses.append(text)
        said.add(code)
    for code, _num, _den in indicators:
        rec = records.get(code)
        if code in used_ind or not _has(rec):
            continue
        text = rate_clause(rec, lead=rec["metric_name"], prefix=prefix, said=basis_said)
        clauses.append((scope if not clauses else "") + text)
    if not clauses:
        return ""
    return once("；".join(clauses) + "。")


def once(sentence: str) -> str:
    """Name the units a comparable basis leaves out once per sentence: a later identical （……未报） goes."""
    seen: set[str] = set()

    def keep(m):
        if m.group(0) in seen:
            return ""
        seen.add(m.group(0))
        return m.group(0)

    return re.sub(r"（[^（）]*未报）", keep, sentence)


def indicator_parts(indicator) -> tuple[str | None, str | None]:
    """(numerator code, denominator code) when both are single metric names, else Nones."""
    num = indicator.numerator.names[0] if len(indicator.numerator.names) == 1 and indicator.numerator.text.strip() == indicator.numerator.names[0] else None
    den = indicator.denominator.names[0] if len(indicator.denominator.names) == 1 and indicator.denominator.text.strip() == indicator.denominator.names[0] else None
    return num, den


def catalog_group_sentence(catalog, group: str, records: dict[str, dict], scope: str = "全市",
                           prefix: str = "比上年") -> str:
    """:func:`group_sentence` with the group's metrics and indicators taken from the catalog."""
    # a cross-tab cell (a row × column of a form's table) is shown in its table, not listed in the sentence
    metrics = [m.code for m in catalog.metrics_in_group(group) if not (m.row and m.column)]
    inds = [(i.code, *indicator_parts(i)) for i in catalog.indicators.values() if i.group == group]
    return group_sentence(records, metrics, inds, scope, prefix, parts=total_parts(catalog))


def total_parts(catalog) -> dict[str, list[str]]:
    """Totals and their parts from the catalog's rules ``total == a + b (+ …)``."""
    import ast

    out: dict[str, list[str]] = {}
    for rule in catalog.rules:
        if rule.operator != "==" or len(rule.left.names) != 1 or rule.left.text.strip() != rule.left.names[0]:
            continue
        try:
            tree = ast.parse(rule.right.text.strip(), mode="eval").body
        except SyntaxError:
            continue
        names: list[str] = []

        def walk(node) -> bool:
            if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
                return walk(node.left) and walk(node.right)
            if isinstance(node, ast.Name):
                names.append(node.id)
                return True
            return False

        if walk(tree) and len(names) >= 2:
            out[rule.left.names[0]] = names
    return out


def coverage_sentence(reported: int | None, expected: int | None, missing_names: list[str] | None = None,
                      covered: int = 0) -> str:
    """``应报13个单位，已报12个，未报1个（岳西县局）。`` ``covered``: units without a return of their own
    whose figures came in their superior's 汇总 (not 未报: 已报 + 汇总 + 未报 = 应报)."""
    if expected is None:
        return ""
    text = f"应报{expected}个单位，已报{reported or 0}个"
    if covered:
        text += f"，由上级汇总表填报{covered}个"
    missing = (expected or 0) - (reported or 0) - covered
    if missing > 0:
        text += f"，未报{missing}个"
        if missing_names:
            shown = "、".join(missing_names[:10]) + ("等" if len(missing_names) > 10 else "")
            text += f"（{shown}）"
    return text + "。"
