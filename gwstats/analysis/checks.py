"""Checks of a year's data: catalog rules, written rates, 合计/汇总 figures, year-over-year jumps.

Every check is computed over all units at once (float screening on the rollup matrices), then each
candidate is confirmed with exact Decimal arithmetic before it becomes a finding, so a finding is
never an artefact of floating point. Findings carry the unit, metric, the numbers and the source
cell (file, sheet, cell) when the figure was written in a return.
"""

from __future__ import annotations

from gwstats.core.findings import label
from dataclasses import dataclass, field
from decimal import Decimal

import numpy as np

from gwstats.analysis import basis as checks_basis
from gwstats.analysis import plausible, yearly
from gwstats.analysis.rule_math import cond as _cond, failing_rows
from gwstats.core.errors import Finding
from gwstats.core.formatting import number_text
from gwstats.core.formatting import fixed
from gwstats.store.db import MICRO, from_micro

SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}
MAX_PER_TYPE = 20_000  # findings listed per type; the rest are counted in one "truncated" finding
SEVERITY_TEXT = {"error": "错误", "warning": "提醒", "info": "说明"}


@dataclass
class CheckResult:
    year: int
    root: str
    findings: list[Finding] = field(default_factory=list)
    has_returns: bool = True  # any return in force for the year
    # a brief check (run_checks(brief=True) on a big hierarchy): the findings left out of ``findings``
    # (the 提醒 and 说明 of units below the counties), counted: {label of the type: n} in the order a
    # clerk's listing meets them (analysis/brief.check_findings), and {severity: n}
    left_out: dict[str, int] | None = None
    left_out_severity: dict[str, int] = field(default_factory=dict)

    @property
    def has_errors(self) -> bool:
        return any(f.severity == "error" for f in self.findings)

    def count(self, severity: str) -> int:
        return sum(1 for f in self.findings if f.severity == severity) + self.left_out_severity.get(severity, 0)

    def summary_line(self) -> str:
        if not self.findings and not self.left_out_severity:
            return f"{self.year} 年度数据校验未发现问题。"
        return (f"{self.year} 年度数据校验：错误 {self.count('error')} 处，提醒 {self.count('warning')} 处，"
                f"说明 {self.count('info')} 处")

    def records(self) -> list[dict]:
        out = []
        for f in self.findings:
            rec = {"severity": f.severity, "code": f.code, "unit": f.extra.get("unit"),
                   "unit_name": f.extra.get("unit_name"), "metric": f.extra.get("metric"),
                   "metric_name": f.extra.get("metric_name"), "message": f.message,
                   "file": f.file, "sheet": f.sheet, "cell": f.cell}
            rec.update({k: v for k, v in f.extra.items() if k not in rec})
            out.append(rec)
        return out

    def display_rows(self) -> list[dict]:
        return [{"级别": SEVERITY_TEXT.get(f.severity, f.severity), "类型": label(f.code),
                 "单位": f.extra.get("unit_name") or "", "指标": f.extra.get("metric_name") or "",
                 "说明": f.message, "来源": f.where()} for f in self.findings]


def _parts_over(rule, lv, rv):
    """(total, sum of parts) when an equality rule "total == a + b (+ …)" fails because the parts add up
    to more than the total: a 其中 larger than its whole is an error whatever the rule's severity."""
    if rule.operator != "==":
        return None
    for whole, parts, w, p in ((rule.left, rule.right, lv, rv), (rule.right, rule.left, rv, lv)):
        terms = parts.text.replace(" ", "").split("+")
        if whole.is_single_name and len(terms) >= 2 and set(terms) == set(parts.names) and len(terms) == len(parts.names):
            return (w, p) if p > w + rule.tolerance else None
    return None


@dataclass(frozen=True)
class _Loc:
    unit: str
    scope: str
    metric: str


class _Checker:
    def __init__(self, ws, year: int, unit: str | None, errors_only: bool = False, brief: bool = False):
        from gwstats.analysis.rollup import resolve_unit, rollup

        self.ws = ws
        self.store = ws.store
        self.cfg = ws.config
        self.cat = ws.catalog
        self.tree = ws.tree()  # the command's one tree (kept by the workspace)
        self.year = year
        self.root = resolve_unit(ws, self.tree, unit)
        # the errors-only gate reads last year's frame (the money screen) but never the comparable basis
        self.rr = rollup(ws, year, compare="auto", tree=self.tree, basis=not errors_only)
        self.f = self.rr.frame
        self.codes = list(self.cat.metrics)
        self.col = {c: j for j, c in enumerate(self.codes)}
        s = self.tree.subtree(self.root)
        self.in_scope = np.zeros(self.tree.n, dtype=bool)
        self.in_scope[s] = True
        self.findings: list[Finding] = []
        self.pending: list[tuple[_Loc, Finding]] = []
        self.kept: dict[str, int] = {}
        self.omitted: dict[str, tuple[int, str]] = {}
        self.magnitude_cells: set[tuple[int, int]] = set()
        self.errors_only = errors_only  # the publishing gate: error findings only (see run_checks)
        self.detail = None  # brief: bool per unit, whose 提醒 and 说明 are listed (see quiet)
        self.unlisted: dict[str, tuple] = {}  # brief: code -> (n, severity, first place in the listing)
        self.n_unlisted = 0
        if brief and not errors_only:
            from gwstats.analysis.brief import is_big, near

            if is_big(self.tree, self.tree.codes[self.root]):
                self.detail = np.zeros(self.tree.n, dtype=bool)
                self.detail[near(self.tree, self.tree.codes[self.root])] = True

    # -- helpers
    def locate(self, i: int, metric: str, scope: str = "本级"):
        """A deferred source-cell lookup; resolved for all findings at once in ``resolve_locations``."""
        return _Loc(self.tree.codes[i], scope, metric)

    def left(self, code: str) -> int:
        """How many further findings of type ``code`` can be listed."""
        return max(0, MAX_PER_TYPE - self.kept.get(code, 0))

    def room(self, code: str, severity: str, n: int) -> int:
        """How many of ``n`` further findings of type ``code`` will be listed; counts the others."""
        left = self.left(code)
        if n > left:
            cnt, worst = self.omitted.get(code, (0, severity))
            if SEVERITY_ORDER.get(severity, 9) < SEVERITY_ORDER.get(worst, 9):
                worst = severity
            self.omitted[code] = (cnt + n - left, worst)
        return min(n, left)

    def quiet(self, i: int, severity: str, code: str) -> bool:
        """True when a finding of unit ``i`` is only counted, never built (a brief check: a 提醒 or 说明
        of a unit below the counties); counted as ``add`` counts it, so the per-type limit is the same.
        The hot loops ask before building a message; ``add`` asks too."""
        if self.detail is None or severity == "error" or self.detail[i]:
            return False
        if self.room(code, severity, 1):
            self.kept[code] = self.kept.get(code, 0) + 1
            self._unlist(code, severity, 1, (SEVERITY_ORDER.get(severity, 9), i, len(self.findings) + self.n_unlisted))
        return True

    def _unlist(self, code: str, severity: str, n: int, place: tuple):
        """Count ``n`` findings left out of a brief listing; ``place``: where the first would be listed
        (severity, unit, order of arrival), so that their types are named in the listing's order."""
        m, _, first = self.unlisted.get(code, (0, severity, None))
        self.unlisted[code] = (m + n, severity, place if first is None or place < first else first)
        self.n_unlisted += n

    def listed(self, units: np.ndarray, severity: str, code: str) -> np.ndarray:
        """Which of these findings-to-be (one per unit in ``units``, all within the per-type limit, each
        then built and added in turn) are listed; the others are counted at once as ``quiet`` counts
        them one by one (a brief check: 48,000 提醒 of a province's schools)."""
        if self.detail is None or severity == "error" or not len(units):
            return np.ones(len(units), dtype=bool)
        keep = self.detail[units]
        n = int(len(units) - keep.sum())
        if n:
            deep = np.flatnonzero(~keep)
            k = int(deep[np.argmin(units[deep])])  # the first listed of them: lowest unit, then arrival
            self.kept[code] = self.kept.get(code, 0) + n
            self._unlist(code, severity, n, (SEVERITY_ORDER.get(severity, 9), int(units[k]), len(self.findings) + self.n_unlisted + k))
        return keep

    def add(self, severity, code, message, i, metric=None, where=None, **numbers):
        if self.quiet(i, severity, code):
            return
        if self.room(code, severity, 1) == 0:
            return
        self.kept[code] = self.kept.get(code, 0) + 1
        if self.errors_only and severity != "error":
            return  # counted as the full check counts it (the same truncation), never built
        file = sheet = cell = raw = None
        if where is not None and not isinstance(where, _Loc):
            file, sheet, cell, raw = where
        extra = {"unit": self.tree.codes[i], "unit_name": self.tree.names[i]}
        if metric:
            extra.update(metric=metric, metric_name=self.cat.label_of(metric))
        if raw is not None:
            extra["raw"] = raw
        extra.update(numbers)
        finding = Finding(severity, code, message, file=file, sheet=sheet, cell=cell, extra=extra)
        if isinstance(where, _Loc):
            self.pending.append((where, finding))
        self.findings.append(finding)

    def resolve_locations(self):
        if not self.pending:
            return
        found = self.store.cells_in_force(self.year, [(w.unit, w.scope, w.metric) for w, _ in self.pending])
        for w, f in self.pending:
            hit = found.get((w.unit, w.scope, w.metric))
            if hit:
                f.file, f.sheet, f.cell = hit[0], hit[1], hit[2]
                if hit[3] is not None:
                    f.extra["raw"] = hit[3]

    def own_scope(self, i: int) -> str:
        """Where a unit's own values were written: its 本级 return, or (no subordinates) its 汇总 return."""
        leaf = self.f.leaf_rep
        return "汇总" if leaf is not None and leaf[i] else "本级"

    def _expr_label(self, expr) -> str:
        """An expression as a reader reads it: metric names, never catalog codes (社会力量捐款 + 五老捐款捐物)."""
        if expr.is_single_name:
            return self.cat.label_of(expr.names[0])
        import re

        names = set(expr.names)
        return re.sub(r"[A-Za-z_][A-Za-z0-9_]*", lambda m: self.cat.label_of(m[0]) if m[0] in names else m[0], expr.text)

    @staticmethod
    def _cited_metric(rule) -> str | None:
        """The metric whose cell a rule's finding cites: the side written as one metric (the cell holds the
        figure the message shows), never the first term of a sum (C8 holding 13 where 20 is meant)."""
        for side in (rule.left, rule.right):
            if side.is_single_name:
                return side.names[0]
        return None

    def name(self, i):
        return self.tree.names[i]

    # -- 1, 2: catalog rules on own values and on totals
    def rules(self):
        own, own_has = self.f.data.own, self.f.data.own_has
        has_own_sub = own_has.any(axis=1)
        has_children = self.tree.size > 1
        own_rows = has_own_sub & self.in_scope
        rows = has_children & self.in_scope & (self.f.count > 0).any(axis=1)  # the same for every rule
        computed_has = self.f.computed_count > 0
        for rule in self.cat.rules:
            self._rule(rule, own, own_has, own_rows, total=False)
            self._rule(rule, self.f.computed, computed_has, rows, total=True)

    def _rule(self, rule, values, present, rows, total: bool):
        names = list(dict.fromkeys(rule.left.names + rule.right.names))
        cols = [self.col[n] for n in names]
        pres = present[:, cols]
        allp = pres.all(axis=1)
        anyp = pres.any(axis=1)
        if rule.when_missing == "error":
            miss = rows & anyp & ~allp
            for i in np.flatnonzero(miss):
                lacking = "、".join(self.cat.label_of(n) for n, p in zip(names, pres[i]) if not p)
                self.add(rule.severity, "rule-missing", f"{self.name(i)}{'（汇总数）' if total else ''}：{rule.message}（缺少{lacking}，无法校验）", i, names[0])
            evaluate = rows & allp
        elif rule.when_missing == "zero":
            evaluate = rows & anyp
        else:
            evaluate = rows & allp
        idx = np.flatnonzero(evaluate)
        if idx.size == 0:
            return
        cand = failing_rows(rule, values, pres[idx], idx, cols)
        if cand is None:  # screened in floats, each candidate confirmed below in Decimal
            fl = values[np.ix_(idx, cols)].astype(np.float64) / MICRO
            fl[~pres[idx]] = 0.0
            env = {n: fl[:, k] for k, n in enumerate(names)}
            with np.errstate(divide="ignore", invalid="ignore"):
                left = np.asarray(rule.left.evaluate(env), dtype=np.float64) * np.ones(idx.size)
                right = np.asarray(rule.right.evaluate(env), dtype=np.float64) * np.ones(idx.size)
                eps = 1e-9 * (np.abs(left) + np.abs(right) + 1)
                tol = float(rule.tolerance)
                cand = ~_cond(rule.operator, left, right, tol - eps) | ~_cond(rule.operator, left, right, tol + eps)
                cand |= ~np.isfinite(left) | ~np.isfinite(right)
        for k in np.flatnonzero(cand):
            i = int(idx[k])
            denv = {n: (from_micro(values[i, self.col[n]]) if present[i, self.col[n]] else Decimal(0)) for n in names}
            try:
                lv, rv = Decimal(rule.left.evaluate(denv)), Decimal(rule.right.evaluate(denv))
            except (ArithmeticError, ZeroDivisionError):
                continue
            if _cond(rule.operator, lv, rv, rule.tolerance):
                continue
            kind = "rule-total" if total else "rule"
            over = _parts_over(rule, lv, rv)
            severity = "error" if over else rule.severity
            if over:
                kind = "parts-exceed-total"
            if self.kept.get(kind, 0) >= MAX_PER_TYPE:
                self.room(kind, severity, 1)  # counted, not listed
                continue
            if self.quiet(i, severity, kind):
                continue
            left_name = names[0]
            cited = None if total else self._cited_metric(rule)
            where = self.locate(i, cited, self.own_scope(i)) if cited else None
            label = "（汇总数）" if total else ""
            msg = (f"{self.name(i)}{label}：{rule.message}（{self._expr_label(rule.left)} {number_text(lv)}，"
                   f"{self._expr_label(rule.right)} {number_text(rv)}）")
            if over:
                whole, parts = over
                msg += f"；其中各项之和 {number_text(parts)} 大于合计 {number_text(whole)}，不可能成立"
            self.add(severity, kind, msg, i, left_name, where, rule=rule.code, left=lv, right=rv)

    # -- 3: rates written in returns vs computed from the same return
    def written_rates(self):
        inds = self.cat.indicators
        if not inds:
            return
        rows = self.store.written_rates(self.year, list(inds))
        tol = Decimal(str(self.cfg.rate_tolerance))
        if not rows:
            return
        all_parts = self.store.values_of_returns_with(self.year, list(inds))
        for sid, unit, scope, code, value, raw, sheet, cell, fname in rows:
            i = self.tree.index.get(unit)
            if i is None or not self.in_scope[i]:
                continue
            ind = inds[code]
            parts = all_parts.get(sid, {})
            names = set(ind.numerator.names) | set(ind.denominator.names)
            if not names <= set(parts):
                continue
            env = {n: Decimal(parts[n]) for n in names}
            num, den = Decimal(ind.numerator.evaluate(env)), Decimal(ind.denominator.evaluate(env))
            if den == 0:
                continue
            computed = num / den * ind.factor
            written = Decimal(value)
            if ind.is_percent and written <= 1 and "%" not in (raw or "") and "％" not in (raw or ""):
                if abs(written * 100 - computed) < abs(written - computed):
                    written = written * 100  # written as a fraction (0.32)
            diff = written - computed
            if abs(diff) <= tol:
                continue
            unit_text = "个百分点" if ind.is_percent else ind.display
            shown = f"{fixed(computed, 1)}{ind.display}"
            msg = (f"{self.name(i)}：{ind.name}报表填写“{raw or value}”，由{self._expr_label(ind.numerator)} {number_text(num)} ÷ "
                   f"{self._expr_label(ind.denominator)} {number_text(den)} 算得 {shown}，相差 {fixed(abs(diff), 1)} {unit_text}")
            self.add("warning", "rate-mismatch", msg, i, code, (fname, sheet, cell, raw),
                     written=float(written), computed=round(float(computed), 6), numerator=num, denominator=den)

    # -- 4: 合计 rows and 汇总 returns vs computed totals
    def reported_totals(self):
        d = self.f.data
        comp, ccount = self.f.computed, self.f.computed_count
        rep_has = d.rep_has & self.in_scope[:, None]
        diff = rep_has & ((ccount == 0) | (comp != d.rep))
        complete = self.f.reported >= self.f.expected
        alone: dict[int, list[str]] = {}  # unit -> items of its 汇总 no unit below or itself gave
        for i, j in zip(*np.nonzero(diff)):
            i, j = int(i), int(j)
            metric = self.codes[j]
            rep_v = from_micro(d.rep[i, j])
            comp_v = from_micro(comp[i, j]) if ccount[i, j] else None
            where = self.locate(i, metric, "汇总")
            label = self.cat.label_of(metric)
            is_total_row = d.rep_source[i] == 2
            if is_total_row:
                children_sum = comp[i, j] - (d.own[i, j] if d.own_has[i, j] else 0)
                if ccount[i, j] and children_sum == d.rep[i, j]:
                    continue  # the 合计 row adds up its own rows (the unit's 本级 is separate)
                severity, code = "error", "total-row-mismatch"
                msg = f"{self.name(i)}：合计行“{label}”为 {number_text(rep_v)}，各单位相加为 {number_text(comp_v)}"
            else:
                code = "huizong-mismatch"
                if comp_v is None:
                    alone.setdefault(i, []).append(metric)
                    continue
                elif complete[i] and not d.own_has[i].any() and rep_v < comp_v:
                    severity = "error"
                    msg = (f"{self.name(i)}：只报了汇总表，“{label}”填报 {number_text(rep_v)}，小于下级合计 {number_text(comp_v)}，"
                           f"无法得出本级数，请核实")
                elif complete[i]:
                    severity = "warning"
                    msg = f"{self.name(i)}：汇总表“{label}”填报 {number_text(rep_v)}，由各单位报表计算为 {number_text(comp_v)}，相差 {number_text(rep_v - comp_v)}"
                else:
                    severity = "info"
                    msg = (f"{self.name(i)}：汇总表“{label}”填报 {number_text(rep_v)}，已报单位计算为 {number_text(comp_v)}"
                           f"（下级未报齐 {int(self.f.reported[i])}/{int(self.f.expected[i])}）")
            self.add(severity, code, msg, i, metric, where, reported=rep_v, computed=comp_v)
        for i, metrics in alone.items():  # one line per unit, not one per item (a 汇总 over silent units)
            labels = [f"“{self.cat.label_of(m)}”" for m in metrics]
            items = "、".join(labels[:3]) + (f"等{len(labels)}项" if len(labels) > 3 else "")
            self.add("info", "huizong-mismatch", f"{self.name(i)}：汇总表填报了{items}，下级和本级均无这些数据，按汇总表计入",
                     i, None, self.locate(i, metrics[0], "汇总"), items=len(metrics))

    def run(self) -> CheckResult:
        full = not self.errors_only
        self.rules()
        if full:
            self.written_rates()  # warnings only
        self.reported_totals()
        self.magnitude_cells = plausible.magnitude(self)
        if full:  # warnings only: year over year, rate parts, comparable changes, inactive returns
            yearly.year_over_year(self)  # checks 5, 6 (analysis/yearly.py)
        plausible.share_rates(self)
        if full:
            checks_basis.rate_parts(self)
            checks_basis.comparable_changes(self)
            checks_basis.inactive_returns(self)
        checks_basis.row_totals_beside_returns(self)
        checks_basis.scope_from_figures(self)
        self.resolve_locations()
        for code, (n, worst) in self.omitted.items():
            root = self.root
            self.findings.append(Finding(worst, "truncated", f"另有 {n} 处“{code}”类问题未逐条列出（每类最多列出 {MAX_PER_TYPE} 处）",
                                         extra={"unit": self.tree.codes[root], "unit_name": self.tree.names[root],
                                                "type": code, "omitted": n}))
        if self.errors_only:
            self.findings = [f for f in self.findings if f.severity == "error"]
        order = self.tree.index  # code -> place in the units list
        self.findings.sort(key=lambda f: (SEVERITY_ORDER.get(f.severity, 9), order.get(f.extra.get("unit"), 0)))
        res = CheckResult(self.year, self.tree.codes[self.root], self.findings, has_returns=bool(self.f.data.has_sub.any()))
        if self.detail is not None:
            from gwstats.core.findings import label as label_of

            res.left_out, res.left_out_severity = {}, {}
            for code, (n, severity, _) in sorted(self.unlisted.items(), key=lambda kv: kv[1][2]):
                res.left_out[label_of(code)] = res.left_out.get(label_of(code), 0) + n
                res.left_out_severity[severity] = res.left_out_severity.get(severity, 0) + n
        return res


def run_checks(ws, year: int, unit: str | None = None, *, errors_only: bool = False, brief: bool = False) -> CheckResult:
    """Every check of ``year`` under ``unit``. ``errors_only``: only the error-severity findings (the
    publishing gate and the ※ marks): the checks that can only warn are skipped and no warning is
    built or located, yet the same errors come out in the same order as from the full check (the
    per-type listing limit counts the warnings of a type exactly as the full check does). ``brief``: on
    a big hierarchy (analysis/brief.is_big) the 提醒 and 说明 of units below the counties are counted in
    ``left_out``, not built: the listing brief.check_findings makes of the full check, cheaply."""
    return _Checker(ws, year, unit, errors_only, brief).run()
