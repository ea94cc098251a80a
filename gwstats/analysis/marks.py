"""Which published figures an open error touches: the one answer every writer asks (report, workbook,
charts, ``export --as-return``) before it writes a figure, so that a figure written over an open error
(``--allow-errors``) carries a mark (※) beside it and a note under it says what the error is.

A figure (unit, metric, year) is affected when an error-severity finding of that year's check names
- the metric (or, for a catalog rule, any metric of the rule: 骨干 90 > 志愿者 80 puts both in doubt;
  a finding without a metric puts all of the unit's figures in doubt),
- at the unit itself or at any unit below it: a total that includes an erroneous unit's value is
  affected (白沙镇's 8000 万元 makes the county's 捐款捐物 wrong too),
and a rate is affected when its numerator or denominator is.
Figures of other years (last year's column) are not: the error is in this year's figures.
"""

from __future__ import annotations

import numpy as np

MARK = "※"
ALL = "*"  # a finding without a metric: every figure of the unit


class ErrorMarks:
    """Built from the year's check; ``affected(unit, metric)`` for one figure, ``mark(text, …)`` to
    write it, ``notes()`` for the lines under a table or chart."""

    def __init__(self, findings, catalog, tree, year: int):
        self.year = year
        self.tree = tree
        self.catalog = catalog
        self.errors = [f for f in findings or [] if f.severity == "error"]
        self._bad: dict[str, np.ndarray] = {}  # base metric (or ALL) -> bool over the tree's units
        rules = {r.code: r for r in getattr(catalog, "rules", [])}
        for f in self.errors:
            i = tree.index.get(f.extra.get("unit"))
            if i is None:
                continue
            metric = f.extra.get("metric")
            names = set()
            rule = rules.get(f.extra.get("rule"))
            if rule is not None:
                names.update((*rule.left.names, *rule.right.names))
            if metric:
                names.update(self._parts(metric))
            for m in names or {ALL}:
                self._bad.setdefault(m, np.zeros(tree.n, dtype=bool))[i] = True
        # a unit's figure is affected when any unit of its subtree is: counts per subtree via prefix sums
        self._cum = {m: np.concatenate(([0], np.cumsum(a))) for m, a in self._bad.items()}

    @classmethod
    def of(cls, ws, year: int, unit: str | None = None, check=None) -> "ErrorMarks":
        """The marks of ``ws``'s year (its check run here unless given)."""
        from gwstats.analysis.tree import load_tree

        check = check if check is not None else ws.check(year, unit=unit, errors_only=True)
        return cls(check.findings, ws.catalog, load_tree(ws.store), year)

    def __bool__(self) -> bool:
        return bool(self._bad)

    def rule_metrics(self, finding) -> tuple[str, ...]:
        """The metrics of the catalog rule a finding comes from (none for other findings)."""
        rule = next((r for r in getattr(self.catalog, "rules", []) if r.code == finding.extra.get("rule")), None)
        return (*rule.left.names, *rule.right.names) if rule is not None else ()

    def _parts(self, metric: str) -> set[str]:
        ind = self.catalog.indicators.get(metric)
        if ind is None:
            return {metric}
        return set(ind.numerator.names) | set(ind.denominator.names)

    def _members(self, unit: str, members) -> list[tuple[int, int]] | np.ndarray | None:
        if members is not None:
            return np.asarray(members)
        i = self.tree.index.get(unit)
        if i is None:
            return None
        s = self.tree.subtree(i)
        return [(s.start, s.stop)]

    def affected(self, unit: str, metric: str, year: int | None = None, *, members=None) -> bool:
        """Is the figure of ``metric`` for ``unit`` (its own figure and everything below it; or the tree
        indices ``members`` for a remainder row) in ``year`` touched by an open error?"""
        if not self._bad or (year is not None and year != self.year):
            return False
        span = self._members(unit, members)
        if span is None:
            return False
        for m in (*self._parts(metric), ALL):
            if m not in self._bad:
                continue
            if isinstance(span, list):
                (a, b), = span
                if self._cum[m][b] - self._cum[m][a] > 0:
                    return True
            elif self._bad[m][span].any():
                return True
        return False

    def affected_units(self, units: np.ndarray, metric: str) -> np.ndarray:
        """``affected(unit, metric)`` for many units at once (tree indices ``units``): a bool each."""
        units = np.asarray(units, dtype=np.int64)
        out = np.zeros(units.size, dtype=bool)
        if not self._bad:
            return out
        stop = units + self.tree.size[units]
        for m in (*self._parts(metric), ALL):
            if m in self._bad:
                out |= (self._cum[m][stop] - self._cum[m][units]) > 0
        return out

    def row_affected(self, result, key: str, metric: str) -> bool:
        """The same for a row of a ``RollupResult`` table (a unit, the 本级/其他 remainder, 合计)."""
        extra = getattr(result, "extra", None)
        if extra is not None and key == extra.key:
            return self.affected(key, metric, members=extra.members)
        return self.affected(key, metric)

    def mark(self, text: str, unit: str, metric: str, year: int | None = None) -> str:
        """``text`` with the mark after it when the figure is affected (blank text stays blank)."""
        if text and self.affected(unit, metric, year):
            return f"{text}{MARK}"
        return text

    def errors_about(self, metrics=None) -> list:
        """The open errors behind marks on ``metrics`` (all of them when None)."""
        if metrics is None:
            return list(self.errors)
        wanted = set().union(*(self._parts(m) for m in metrics)) if metrics else set()
        out = []
        for f in self.errors:
            names = set(self.rule_metrics(f)) | (self._parts(f.extra["metric"]) if f.extra.get("metric") else set())
            if not names or names & wanted:
                out.append(f)
        return out

    def notes(self, most: int = 5, metrics=None, *, where: bool = True) -> list[str]:
        """What the mark means: one line per open error (unit, metric, cell, message), at most ``most``;
        with ``metrics`` only the errors behind marks on those metrics (a table's or a chart's).
        ``where=False`` for pages that leave the office (report, charts): no file, sheet or cell."""
        errors = self.errors_about(metrics)
        if not errors:
            return []
        lines = [f"{MARK} 数据核查错误尚未解决，标“{MARK}”的数字（及包含它的合计、比率）待核实："]
        for f in errors[:most]:
            where_text = f.where() if where else ""
            lines.append(f"{MARK} {f.message}" + (f"（{where_text}）" if where_text else ""))
        if len(errors) > most:
            lines.append(f"{MARK} 另有 {len(errors) - most} 处，见数据核查清单")
        return lines

    def note(self, most: int = 5, metrics=None, *, where: bool = True) -> str:
        """The notes as one paragraph (a table's note line)."""
        lines = self.notes(most, metrics, where=where)
        return lines[0] + "；".join(x.removeprefix(f"{MARK} ") for x in lines[1:]) if lines else ""
