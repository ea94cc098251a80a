"""The result of a rollup: figures per (row, metric) as flat records, read by every output.

Rows are the listed units, then (where the 合计 holds more than they do) one remainder row, then
合计 (the selected unit). Changes are on the comparable basis (gwstats/comparable.py); a rate's
change is the difference of the two rates as displayed (gwstats/rounding.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

import numpy as np

from gwstats.core.errors import UsageError
from gwstats.core.rounding import shown
from gwstats.store.db import from_micro
from gwstats.analysis.tree import Tree

RECORD_KEYS = (
    "unit", "unit_name", "level", "row", "metric", "metric_name", "group", "measure", "kind", "value",
    "numerator", "denominator", "reported", "expected", "coverage", "prev_value", "change",
    "change_pct", "comparable", "value_comparable", "prev_comparable", "left_out_cur", "left_out_prev",
    "change_approx", "left_out_why", "rate_left_out", "source", "note", "approx",
)
_NOTE_NAMES = 3
_LEFT_OUT_NAMES = 200


def _round(x: float | None, nd: int = 6):
    return None if x is None else round(float(x), nd)


def _short(name: str) -> str:
    for s in ("关工委员会", "关工委", "关工小组"):
        if name.endswith(s) and len(name) > len(s):
            return name[: -len(s)]
    return name


def unit_names_text(names: list[str], most: int = _NOTE_NAMES) -> str:
    shown_names = "、".join(names[:most])
    return shown_names + (f"等{len(names)}个单位" if len(names) > most else "")


@dataclass
class RollupResult:
    year: int
    compare_year: int | None
    root: str
    units: list[str]
    metrics: list[str]
    prefer: str
    tree: Tree = field(repr=False)
    catalog: object = field(repr=False)
    frame: object = field(repr=False)  # this year's Frame over the tree's units
    prev: object | None = field(repr=False, default=None)  # the comparison year's Frame
    extra: object | None = field(repr=False, default=None)  # ExtraRow: the remainder row, if any
    fx: object | None = field(repr=False, default=None)  # frames and comparable with the extra row appended
    px: object | None = field(repr=False, default=None)
    cx: object | None = field(repr=False, default=None)

    _cols: dict = field(default_factory=dict, repr=False)
    _missing_cache: dict = field(default_factory=dict, repr=False)
    _records_cache: tuple | None = field(default=None, repr=False)

    def __post_init__(self):
        if self.fx is None:
            self.fx, self.px = self.frame, self.prev

    # -- lookups
    @property
    def metric_codes(self) -> list[str]:
        return list(self.catalog.metrics)

    @property
    def row_keys(self) -> list[str]:
        """Every row of a table in order: listed units, the remainder row, then 合计 (the root)."""
        keys = list(self.units)
        if self.extra is not None:
            keys.append(self.extra.key)
        if self.root not in keys:
            keys.append(self.root)
        return keys

    @property
    def listed_keys(self) -> list[str]:
        """The rows above 合计: the listed units and the remainder row."""
        return [k for k in self.row_keys if k != self.root or self.root in self.units]

    def row_name(self, key: str) -> str:
        return self._row_label(self._i(key))[1]

    def _i(self, unit: str) -> int:
        if self.extra is not None and unit == self.extra.key:
            return self.tree.n
        try:
            return self.tree.index[unit]
        except KeyError:
            raise UsageError(f"单位名单中没有编码为“{unit}”的单位") from None

    def _mcol(self, metric: str) -> int:
        if not self._cols:
            self._cols.update({c: j for j, c in enumerate(self.catalog.metrics)})
        return self._cols[metric]

    def total_of(self, frame, i: int, metric: str) -> Decimal | None:
        j = self._mcol(metric)
        if frame.count[i, j] == 0:
            return None
        return from_micro(frame.total[i, j])

    def computed_of(self, i: int, metric: str, frame=None) -> Decimal | None:
        frame = frame or self.frame
        j = self._mcol(metric)
        if frame.computed_count[i, j] == 0:
            return None
        return from_micro(frame.computed[i, j])

    def reported_of(self, i: int, metric: str, frame=None) -> Decimal | None:
        frame = frame or self.frame
        j = self._mcol(metric)
        return from_micro(frame.data.rep[i, j]) if frame.data.rep_has[i, j] else None

    def own_of(self, i: int, metric: str, frame=None) -> Decimal | None:
        frame = frame or self.frame
        j = self._mcol(metric)
        return from_micro(frame.data.own[i, j]) if frame.data.own_has[i, j] else None

    def _rate(self, code: str, parts: np.ndarray, names: list[str]):
        ind = self.catalog.indicators[code]
        env = {name: from_micro(parts[k]) for k, name in enumerate(names)}
        num = Decimal(ind.numerator.evaluate(env))
        den = Decimal(ind.denominator.evaluate(env))
        if den == 0:
            return num, den, None
        return num, den, float(num / den * ind.factor)

    def _parts(self, frame, i: int, code: str):
        it = frame.indicators[code]
        if it.count[i] == 0:
            return None, None, None
        return self._rate(code, it.total[i], it.names)

    def _value_in(self, frame, i: int, metric: str):
        if frame is None:
            return None
        if metric in self.catalog.indicators:
            return self._parts(frame, i, metric)[2]
        return self.total_of(frame, i, metric)

    def value(self, unit: str, metric: str):
        return self._value_in(self.fx, self._i(unit), self._resolve_metric(metric))

    def _resolve_metric(self, metric: str) -> str:
        code = self.catalog.resolve(metric)
        if code is None:
            raise UsageError(f"目录中没有指标“{metric}”")
        return code

    def column(self, metric: str) -> list:
        """The figure of ``metric`` for every unit of the tree, in tree order, None where there is none:
        what ``record(unit, metric)["value"]`` holds, without building a record per unit (csv-long)."""
        code = self._resolve_metric(metric)
        f = self.fx
        if code in self.catalog.indicators:
            return self._rate_column(f, code)
        j = self._mcol(code)
        return [from_micro(t) if c else None
                for t, c in zip(f.total[: self.tree.n, j].tolist(), f.count[: self.tree.n, j].tolist())]

    def _rate_column(self, frame, code: str) -> list:
        """An indicator's rounded rate per unit of the tree: each distinct row of parts is computed once
        (a province's leaves share few distinct parts), the same Decimal arithmetic as :meth:`_parts`."""
        n = self.tree.n
        it = frame.indicators[code]
        out = np.full(n, None, dtype=object)
        idx = np.flatnonzero(it.count[:n] != 0)
        if idx.size and it.total.shape[1] == 0:
            out[idx] = [_round(self._rate(code, it.total[i], it.names)[2]) for i in idx.tolist()]
        elif idx.size:
            rows, inverse = np.unique(it.total[idx], axis=0, return_inverse=True)
            values = np.empty(len(rows), dtype=object)
            values[:] = [_round(self._rate(code, row, it.names)[2]) for row in rows]
            out[idx] = values[inverse.reshape(-1)]
        return out.tolist()

    def record(self, unit: str, metric: str) -> dict:
        return self._record(self._i(unit), self._resolve_metric(metric))

    def records(self) -> list[dict]:
        """One record per row unit × metric. Built once per result (the table, its notes and the
        headline all read them); each call gets its own dicts."""
        key = (tuple(self.row_keys), tuple(self.metrics), id(self.fx), id(self.px), id(self.cx))
        if self._records_cache is None or self._records_cache[0] != key:
            self._records_cache = (key, [self._record(self._i(u), m) for u in self.row_keys for m in self.metrics])
        return [dict(r) for r in self._records_cache[1]]

    def to_frame(self):
        """The records as a pandas DataFrame (one row per unit × metric; needs ``pip install gwstats[pandas]``)."""
        from gwstats.analysis.frames import records_frame

        return records_frame(self.records())

    def records_for(self, units: list[str], metrics: list[str] | None = None) -> list[dict]:
        return [self._record(self._i(u), m) for u in units for m in (metrics or self.metrics)]

    FIGURE_FIELDS = ("unit", "unit_name", "level", "row", "metric", "metric_name", "kind", "measure", "value",
                     "numerator", "denominator", "reported", "expected", "coverage")

    def figures_for(self, units: list[str]) -> list[dict]:
        """The records of these units cut to FIGURE_FIELDS, equal to those of :meth:`records_for`, without
        the notes and the year over year: what a table of values shows (the workbook's 汇总 lists a city's
        2,000 units; their full records took 0.8 s there)."""
        cat, f = self.catalog, self.fx
        out: list[dict] = []
        for u in units:
            i = self._i(u)
            code_, name, level, row = self._row_label(i)
            exp, rep = int(f.expected[i]), int(f.reported[i])
            for code in self.metrics:
                numerator = denominator = None
                if code in cat.indicators:
                    item, kind = cat.indicators[code], "rate"
                    numerator, denominator, value = self._parts(f, i, code)
                    value = _round(value)
                else:
                    item = cat.metrics[code]
                    kind, value = item.kind, self.total_of(f, i, code)
                out.append({"unit": code_, "unit_name": name, "level": level, "row": row, "metric": code,
                            "metric_name": item.name, "kind": kind, "measure": item.unit, "value": value,
                            "numerator": numerator, "denominator": denominator, "reported": rep, "expected": exp,
                            "coverage": f"{rep}/{exp}"})
        return out

    # -- coverage helpers
    def coverage(self, unit: str) -> tuple[int, int]:
        i = self._i(unit)
        return int(self.fx.reported[i]), int(self.fx.expected[i])

    def members(self, i: int) -> np.ndarray:
        """Tree indices of the units whose figures make up row ``i``."""
        if i >= self.tree.n:
            return self.extra.members
        s = self.tree.subtree(i)
        return np.arange(s.start, s.stop)

    def missing_under(self, i: int, frame=None) -> list[int]:
        frame = frame or self.frame
        m = self.members(i)
        exp = self.tree.expected(frame.data.year)[m] & ~frame.data.has_sub[m]
        return [int(k) for k in m[exp]]

    def _missing_text(self, i: int) -> str:
        if i in self._missing_cache:
            return self._missing_cache[i]
        miss = self.missing_under(i)
        names = [self.tree.names[k] for k in miss[:_NOTE_NAMES]]
        more = f"等 {len(miss)} 个" if len(miss) > _NOTE_NAMES else ""
        self._missing_cache[i] = "、".join(names) + more
        return self._missing_cache[i]

    def _row_label(self, i: int) -> tuple[str, str, int, str]:
        """(code, name, level, row kind) of row ``i``."""
        if i >= self.tree.n:
            e = self.extra
            return e.key, self._extra_name(), e.level, e.kind
        kind = "合计" if self.tree.codes[i] == self.root and self.root not in self.units else "单位"
        return self.tree.codes[i], self.tree.names[i], int(self.tree.level[i]), kind

    def _extra_name(self) -> str:
        """The remainder row's label, saying what it holds: the 本级 of units above the listed ones and
        the units with no listed unit below them (其他（测试市、甲县本级；市直单位）)."""
        e = self.extra
        if e.kind != "其他":
            return e.name
        if "extra_name" in self._missing_cache:
            return self._missing_cache["extra_name"]
        t = self.tree
        members = [int(k) for k in e.members]
        with_data = [k for k in members if self.frame.eff_has[k].any()] or members
        listed = {t.index[u] for u in self.units if u in t.index}
        above = {a for k in listed for a in t.ancestors(k)}
        member_set = set(members)
        own = [_short(t.names[k]) for k in with_data if k in above]
        rest = [_short(t.names[k]) for k in with_data if k not in above and int(t.parent[k]) not in member_set - above]
        parts = ([unit_names_text(own) + "本级"] if own else []) + ([unit_names_text(rest)] if rest else [])
        self._missing_cache["extra_name"] = f"其他（{'；'.join(parts)}）" if parts else e.name
        return self._missing_cache["extra_name"]

    def _hits(self, i: int, flags: np.ndarray) -> np.ndarray:
        """Indices of the members of row ``i`` where ``flags`` (per unit, or per row with the extra
        row appended) is set, in tree order. A unit's subtree is a contiguous range: no index list."""
        if i >= self.tree.n:
            m = self.extra.members
            return m[flags[m]]
        s = self.tree.subtree(i)
        return np.flatnonzero(flags[s.start:s.stop]) + s.start

    def _short_names(self, ks: list[int]) -> list[str]:
        """``_short`` of these units' names, each worked out once per result (a province's records ask
        for the same names 500,000 times)."""
        cache = self._missing_cache.get("short")
        if cache is None:
            cache = self._missing_cache["short"] = [None] * self.tree.n
        out = [cache[k] for k in ks]
        if None in out:
            names = self.tree.names
            for k in ks:
                if cache[k] is None:
                    cache[k] = _short(names[k])
            out = [cache[k] for k in ks]
        return out

    def _active(self, year: int) -> np.ndarray:
        key = ("active", year)
        if key not in self._missing_cache:
            self._missing_cache[key] = self.tree.active(year)
        return self._missing_cache[key]

    def _left_out(self, i: int, flags: np.ndarray, hit: np.ndarray | None = None) -> list[str]:
        """The units left out of a comparable change, by name; past _LEFT_OUT_NAMES the rest counted
        (a province's total once named 5,000 units in every record). ``hit``: ``_hits(i, flags)``."""
        hit = self._hits(i, flags) if hit is None else hit
        names = self._short_names(hit[:_LEFT_OUT_NAMES].tolist())
        if hit.size > _LEFT_OUT_NAMES:
            names[-1] += f"等 {hit.size} 个单位"
        return names

    def _rate_left_out(self, i: int, code: str) -> str:
        """``不含未填关工委组织数的丁县`` for the units that gave only some of the rate's parts."""
        it = self.frame.indicators[code]
        if it.own_partial is None:
            return ""
        units = self._hits(i, it.own_partial)
        if not units.size:
            return ""
        data = self.frame.data
        cols = [self._mcol(n) for n in it.names]
        given = (data.own_has[np.ix_(units, cols)] | self.frame.stood_in[np.ix_(units, cols)]).tolist()
        part_names = [self.catalog.metrics[n].name for n in it.names]
        groups: dict[str, list[str]] = {}
        for short, row in zip(self._short_names(units.tolist()), given):
            missing = [name for name, g in zip(part_names, row) if not g]
            groups.setdefault("、".join(missing), []).append(short)
        return "，".join(f"不含未填{parts}的{unit_names_text(names)}" for parts, names in groups.items())

    # -- one record
    def _record(self, i: int, code: str) -> dict:
        cat = self.catalog
        f = self.fx
        is_rate = code in cat.indicators
        item = cat.indicators[code] if is_rate else cat.metrics[code]
        exp, rep = int(f.expected[i]), int(f.reported[i])
        numerator = denominator = None
        notes: list[str] = []
        rate_left_out = ""
        if is_rate:
            numerator, denominator, value = self._parts(f, i, code)
            value = _round(value)
            it = f.indicators[code]
            stood, below = bool(it.stood[i]), bool(it.below[i])
            approx = value is not None and bool(it.approx[i])
            if it.partial[i]:
                rate_left_out = self._rate_left_out(i, code)
                notes.append(f"比率未计入只填了部分数据的单位 {int(it.partial[i])} 个（{rate_left_out}）")
            kind = "rate"
        else:
            j = self._mcol(code)
            value = self.total_of(f, i, code)
            stood, below = bool(f.stood_in[i, j]), bool(f.below_stood[i, j])
            approx = value is not None and bool(f.approx[i, j])
            kind = item.kind
            if i < self.tree.n:
                reported_fig = self.reported_of(i, code)
                computed_fig = self.computed_of(i, code)
                if stood:
                    notes.append(f"下级未报齐（已报 {rep}/{exp}），采用本单位汇总表数 {reported_fig}（计算数 {computed_fig if computed_fig is not None else '无'}）")
                elif reported_fig is not None and reported_fig != computed_fig and not f.derived[i]:
                    notes.append(f"本单位汇总表填报 {reported_fig}，计算数 {computed_fig if computed_fig is not None else '无'}")
        if stood and is_rate:
            notes.append(f"下级未报齐（已报 {rep}/{exp}），分子、分母均采用本单位汇总表数")
        if f.leaf_rep is not None and f.leaf_rep[i]:
            notes.append("无下级单位，汇总表按本级计")
        if i < self.tree.n and f.data.as_huizong is not None and f.data.as_huizong[i]:
            notes.append("汇总表中本单位一行未注明口径，因下级单位另有报表，按汇总数对待（不重复相加）")
        if f.derived is not None and f.derived[i] and i < self.tree.n:
            notes.append("本级数由本单位汇总表数减去下级合计得出")
        if below:
            notes.append("含下级单位汇总表代替数")
        if rep < exp and not stood:
            notes.append(f"未报齐：已报 {rep}/{exp}，未报 {self._missing_text(i)}")
        yoy = self._yoy(i, code, is_rate, value, kind, item.unit)
        if yoy["comparable"]:
            notes.append("比上年按可比口径计算")
        code_, name, level, row = self._row_label(i)
        return {
            "unit": code_,
            "unit_name": name,
            "level": level,
            "row": row,
            "metric": code,
            "metric_name": item.name,
            "group": item.group,
            "measure": item.unit,
            "kind": kind,
            "value": value,
            "numerator": numerator,
            "denominator": denominator,
            "reported": rep,
            "expected": exp,
            "coverage": f"{rep}/{exp}",
            **yoy,
            "rate_left_out": rate_left_out,
            "source": "reported" if stood else "computed",
            "note": "；".join(notes),
            "approx": approx,
        }

    def _yoy(self, i: int, code: str, is_rate: bool, value, kind: str, measure: str) -> dict:
        """Year-over-year fields: the raw previous total, and the change on the comparable basis."""
        out = {"prev_value": None, "change": None, "change_pct": None, "comparable": False,
               "value_comparable": None, "prev_comparable": None, "left_out_cur": "", "left_out_prev": "",
               "change_approx": False, "left_out_why": {}}
        if self.px is None:
            return out
        p, c = self.px, self.cx
        prev_value = self._value_in(p, i, code)
        if is_rate:
            prev_value = _round(prev_value)
            cp = c.indicators[code]
            names = self.fx.indicators[code].names
            differs = bool(cp.only_cur[i] or cp.only_prev[i])
            cur_c = prev_c = None
            if cp.both[i] > 0:
                cur_c = _round(self._rate(code, cp.cur[i], names)[2])
                prev_c = _round(self._rate(code, cp.prev[i], names)[2])
            change = None
            if value is not None and cur_c is not None and prev_c is not None:
                change = float(shown(cur_c, "rate", measure) - shown(prev_c, "rate", measure))
            flags_c, flags_p = cp.own_only_cur, cp.own_only_prev
            apx = bool(self.fx.indicators[code].approx[i] or p.indicators[code].approx[i])
            change_pct = None
        else:
            j = self._mcol(code)
            differs = bool(c.only_cur[i, j] or c.only_prev[i, j])
            cur_c = prev_c = change = change_pct = None
            if c.both[i, j] > 0 and value is not None:
                cur_c, prev_c = from_micro(c.cur[i, j]), from_micro(c.prev[i, j])
                change = cur_c - prev_c
                if prev_c != 0:
                    change_pct = _round(float(change / prev_c * 100))
            flags_c, flags_p = c.own_only_cur[:, j], c.own_only_prev[:, j]
            apx = bool(self.fx.approx[i, j] or p.approx[i, j])
        comparable = differs and change is not None
        out.update(prev_value=prev_value, change=change, change_pct=change_pct, comparable=comparable,
                   value_comparable=cur_c, prev_comparable=prev_c, change_approx=apx and change is not None)
        if differs:
            hits = self._hits(i, flags_c), self._hits(i, flags_p)
            out["left_out_cur"] = "、".join(self._left_out(i, flags_c, hits[0]))
            out["left_out_prev"] = "、".join(self._left_out(i, flags_p, hits[1]))
            out["left_out_why"] = self._left_out_why(i, flags_c, flags_p, hits)
        return out

    def _left_out_why(self, i: int, flags_c: np.ndarray, flags_p: np.ndarray, hits=None) -> dict:
        """Why each unit is left out of the comparable basis, one meaning per word: 未报 (no return at all
        that year), 未填 (a return without this item), 已撤销 (not in existence this year), 新设 (not yet
        last year). Keyed by the short name used in left_out_cur / left_out_prev."""
        n = self.tree.n
        why: dict[str, str] = {}
        hits_c, hits_p = hits if hits is not None else (None, None)  # _hits of flags_c, flags_p when known
        for year_flags, got, frame, year, gone, fresh in (
                (flags_p, hits_p, self.frame, self.year, "已撤销", "本年"),
                (flags_c, hits_c, self.prev, self.compare_year, "新设", "上年")):
            if frame is None or year is None:
                continue
            ks = (self._hits(i, year_flags) if got is None else got)[:_LEFT_OUT_NAMES]  # the units _left_out names
            ks = ks[ks < n]
            if not ks.size:
                continue
            blank, silent = f"{fresh}未填", f"{fresh}未报"
            for name, act, has in zip(self._short_names(ks.tolist()), self._active(year)[ks].tolist(),
                                      frame.data.has_sub[ks].tolist()):
                why[name] = gone if not act else (blank if has else silent)
        return why

