"""Where a figure came from: the total, its parts, down to each file, sheet, cell and raw text."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

import numpy as np

from gwstats.core.errors import UsageError
from gwstats.core.formatting import number_text
from gwstats.store.db import from_micro


@dataclass
class Cell:
    """One value as written in a return."""

    submission: int
    scope: str
    source: str
    file: str
    sheet: str | None
    cell: str | None
    raw: str | None
    value: Decimal | None
    state: str
    received_at: str
    in_force: bool
    superseded_by: int | None
    unit: str = ""
    unit_name: str = ""

    def where(self) -> str:
        parts = [self.file]
        if self.sheet:
            parts.append(f"工作表“{self.sheet}”")
        if self.cell:
            parts.append(f"单元格 {self.cell}")
        if self.raw is not None:
            parts.append(f"原文“{self.raw}”")
        return "，".join(parts)


@dataclass
class TraceNode:
    unit: str
    unit_name: str
    total: Decimal | None
    coverage: str
    source: str = "computed"  # computed | reported
    own: Cell | None = None
    reported: Cell | None = None
    missing: bool = False  # expected, nothing submitted
    derived_own: Decimal | None = None  # 本级 = 汇总表数 − 下级合计 (no 本级 return of its own)
    children: list["TraceNode"] = field(default_factory=list)


@dataclass
class TraceResult:
    year: int
    unit: str
    unit_name: str
    metric: str
    metric_name: str
    measure: str
    kind: str
    value: object
    record: dict
    tree: TraceNode | None = None  # for counts and amounts
    components: list["TraceResult"] = field(default_factory=list)  # for rates: numerator/denominator metrics
    history: list[Cell | dict] = field(default_factory=list)

    def render(self) -> str:
        lines: list[str] = []
        rec = self.record
        value = f"{number_text(self.value)}{self.measure}" if self.value is not None else "无数据"
        head = f"{self.unit_name} {self.year} 年 {self.metric_name}：{value}（已报 {rec['coverage']}"
        head += "，采用汇总表数）" if rec["source"] == "reported" else "）"
        lines.append(head)
        if rec.get("note"):
            lines.append(f"  说明：{rec['note']}")
        if self.kind == "rate":
            ind_line = f"  = {number_text(rec['numerator'])} ÷ {number_text(rec['denominator'])}"
            lines.append(ind_line + ("" if self.measure != "%" else " × 100%"))
            for comp in self.components:
                lines.append("")
                lines.extend("  " + ln for ln in comp.render().splitlines())
            return "\n".join(lines)
        if self.tree is not None:
            self._render_node(self.tree, lines, "", True, top=True)
        if self.history:
            lines.append("版本记录：")
            for h in self.history:
                state = "在用" if h.in_force else f"已被 #{h.superseded_by} 取代"
                val = number_text(h.value) if h.value is not None else ("不适用" if h.state == "na" else "未填")
                lines.append(f"  {h.received_at[:19]}  #{h.submission} {h.unit_name} {h.scope}  {val}  {state}  ← {h.file}")
        return "\n".join(lines)

    def _render_node(self, node: TraceNode, lines: list[str], prefix: str, last: bool, top: bool = False):
        branch = "" if top else ("└─ " if last else "├─ ")
        if node.missing:
            lines.append(f"{prefix}{branch}{node.unit_name}：未报")
            return
        leaf = not node.children and node.reported is None
        if leaf and node.own is not None:
            how = "（汇总表，无下级单位，按本级计）" if node.own.scope == "汇总" else ""
            lines.append(f"{prefix}{branch}{node.unit_name}：{number_text(node.own.value)}{how}  ← {node.own.where()}")
            return
        label = f"{node.unit_name}：合计 {number_text(node.total)}（已报 {node.coverage}"
        label += "，采用汇总表数）" if node.source == "reported" else "）"
        lines.append(prefix + branch + label)
        child_prefix = prefix + ("" if top else ("   " if last else "│  "))
        items: list = []
        if node.own is not None:
            items.append(("own", node.own))
        elif node.derived_own is not None:
            items.append(("derived", node.derived_own))
        if node.reported is not None:
            items.append(("rep", node.reported))
        items.extend(("child", c) for c in node.children)
        for k, (kind, item) in enumerate(items):
            is_last = k == len(items) - 1
            b = "└─ " if is_last else "├─ "
            if kind == "own":
                val = number_text(item.value) if item.value is not None else "不适用"
                unused = "（已含在汇总表数中）" if node.source == "reported" else ""
                lines.append(f"{child_prefix}{b}本级：{val}{unused}  ← {item.where()}")
            elif kind == "derived":
                below = None if node.reported is None or node.reported.value is None else node.reported.value - item
                how = f"（由汇总表数 {number_text(node.reported.value)} 减去下级合计 {number_text(below)} 得出）" if below is not None else "（由汇总表数减去下级合计得出）"
                lines.append(f"{child_prefix}{b}本级：{number_text(item)}{how}")
            elif kind == "rep":
                what = "合计行" if item.source == "total_row" else "汇总表"
                use = "（代替计算数）" if node.source == "reported" else "（仅用于比对，不相加）"
                lines.append(f"{child_prefix}{b}{what}填报：{number_text(item.value)}{use}  ← {item.where()}")
            else:
                self._render_node(item, lines, child_prefix, is_last)

    def records(self) -> list[dict]:
        out: list[dict] = []
        if self.kind == "rate":
            for comp in self.components:
                out.extend(comp.records())
            return out

        def walk(node: TraceNode, depth: int):
            base = {"metric": self.metric, "unit": node.unit, "unit_name": node.unit_name, "depth": depth}
            if node.missing:
                out.append({**base, "role": "missing", "value": None})
                return
            out.append({**base, "role": "total", "value": node.total, "coverage": node.coverage, "source": node.source})
            for role, c in (("own", node.own), ("reported", node.reported)):
                if c is not None:
                    out.append({**base, "role": role, "value": c.value, "file": c.file, "sheet": c.sheet,
                                "cell": c.cell, "raw": c.raw, "submission": c.submission})
            for ch in node.children:
                walk(ch, depth + 1)

        if self.tree is not None:
            walk(self.tree, 0)
        return out


def trace(ws, year: int, unit: str, metric: str, prefer: str = "computed", max_depth: int | None = None) -> TraceResult:
    from gwstats.analysis.rollup import resolve_unit, rollup

    tree = ws.tree()
    i = resolve_unit(ws, tree, unit)
    code = ws.catalog.resolve(metric) if metric else None
    if code is None:
        raise UsageError(f"目录中没有指标“{metric}”")
    rr = rollup(ws, year, compare=None, prefer=prefer, tree=tree)
    return _trace(ws, rr, tree, i, code, max_depth)


def _trace(ws, rr, tree, i: int, code: str, max_depth):
    cat = ws.catalog
    rec = rr._record(i, code)
    res = TraceResult(rr.year, tree.codes[i], tree.names[i], code, rec["metric_name"], rec["measure"], rec["kind"],
                      rec["value"], rec)
    if code in cat.indicators:
        ind = cat.indicators[code]
        for name in dict.fromkeys(ind.numerator.names + ind.denominator.names):
            res.components.append(_trace(ws, rr, tree, i, name, max_depth))
        return res
    former = [old for old, new in ws.catalog.former_codes().items() if new == code]  # stored before a rename
    sub = tree.subtree(i)
    shown = np.arange(sub.start, sub.stop)
    if max_depth is not None:  # the cells of the units the trace opens, not of a province's 100,000
        shown = shown[tree.depth[shown] - tree.depth[i] <= max_depth]
    cells = _cells(ws.store, rr.year, code, {tree.codes[k] for k in shown.tolist()}, former)
    f = rr.frame
    j = rr.metric_codes.index(code)
    expected = tree.expected(rr.year)

    def node(k: int, depth: int) -> TraceNode:
        own = next((c for c in cells.get(tree.codes[k], []) if c.in_force and c.scope == "本级"), None)
        rep = next((c for c in cells.get(tree.codes[k], []) if c.in_force and c.scope == "汇总"), None)
        if own is None and f.leaf_rep is not None and f.leaf_rep[k]:
            own, rep = rep, None  # no subordinates: its 汇总 return counts as 本级
        n = TraceNode(tree.codes[k], tree.names[k], rr.total_of(f, k, code),
                      f"{int(f.reported[k])}/{int(f.expected[k])}",
                      "reported" if f.stood_in[k, j] else "computed",
                      own if own is not None and own.value is not None or own is not None and own.state == "na" else None,
                      rep if rep is not None and rep.value is not None else None,
                      missing=bool(expected[k] and not f.data.has_sub[k] and f.count[k, j] == 0))
        if n.own is None and f.derived is not None and f.derived[k] and f.eff_has[k, j]:
            n.derived_own = from_micro(f.eff_own[k, j])  # the children below then add up to the total shown
        if f.stood_in[k, j] or (max_depth is not None and depth >= max_depth):
            return n
        for c in tree.children(int(k)):
            c = int(c)
            if f.count[c, j] > 0 or f.data.rep_has[c, j] or (expected[c] and not f.data.has_sub[c]) or int(f.expected[c]) > int(f.reported[c]):
                n.children.append(node(c, depth + 1))
        return n

    res.tree = node(i, 0)
    used = set()

    def collect(n: TraceNode):
        if n.own is not None or n.reported is not None:
            used.add(n.unit)
        for ch in n.children:
            collect(ch)

    collect(res.tree)
    hist = [c for u in used for c in cells.get(u, []) if c.value is not None or c.state == "na"]
    for c in hist:
        c.unit_name = tree.names[tree.index[c.unit]]
    res.history = sorted(hist, key=lambda c: (tree.index[c.unit], c.scope, c.received_at, c.submission))
    return res


def _cells(store, year: int, metric: str, units: set[str], former: list[str] | None = None) -> dict[str, list[Cell]]:
    rows = store.metric_versions(year, [metric, *(former or [])], units)
    out: dict[str, list[Cell]] = {}
    for sid, unit, scope, source, fname, sheet, cell, raw, value, state, received, sup in rows:
        if unit not in units:
            continue
        c = Cell(sid, scope, source, fname, sheet, cell, raw, Decimal(value) if value is not None else None, state,
                 received, sup is None, sup, unit)
        out.setdefault(unit, []).append(c)
    return out
