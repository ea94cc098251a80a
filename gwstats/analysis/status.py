"""Completeness: which units were expected to report for a year, who did, who was late, who is missing."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field


_SUMMARY_NAMES = 20


@dataclass
class StatusResult:
    year: int
    root: str
    deadline: str
    rows: list[dict] = field(default_factory=list)

    @property
    def expected(self) -> int:
        return sum(1 for r in self.rows if r["expected"])

    @property
    def reported(self) -> int:
        return sum(1 for r in self.rows if r["expected"] and r["reported"])

    @property
    def on_time(self) -> int:
        return sum(1 for r in self.rows if r["expected"] and r["reported"] and r["on_time"])

    @property
    def late(self) -> int:
        return sum(1 for r in self.rows if r["expected"] and r["reported"] and r["on_time"] is False)

    @property
    def missing_rows(self) -> list[dict]:
        """未报: expected, no return for the year, and not covered by a superior's 汇总 return."""
        return [r for r in self.rows if r["expected"] and not r["reported"] and not r.get("covered_by")]

    @property
    def covered(self) -> list[str]:
        """Units without a return of their own whose figures reach the total through a superior's 汇总."""
        return [r["unit_name"] for r in self.rows if r["expected"] and not r["reported"] and r.get("covered_by")]

    @property
    def missing(self) -> list[str]:
        return [r["unit_name"] for r in self.missing_rows]

    def summary_line(self) -> str:
        exp, rep = self.expected, self.reported
        from gwstats.core.rounding import percent

        pct = percent(rep, exp) if exp else 0
        pct_text = f"{pct}".removesuffix(".0") + "%"
        missing = self.missing
        if not missing:
            tail = "无"
        elif len(missing) > _SUMMARY_NAMES:
            tail = "、".join(missing[:_SUMMARY_NAMES]) + f"等 {len(missing)} 个"
        else:
            tail = "、".join(missing)
        undated = sum(1 for r in self.rows if r["expected"] and r["reported"] and r["on_time"] is None)
        dates = f"，报送日期不详 {undated} 个" if undated else ""
        covered = self.covered
        cov = f"，由上级汇总表填报 {len(covered)} 个" if covered else ""
        return f"应报 {exp} 个单位，已报 {rep} 个（{pct_text}）{cov}，按时 {self.on_time} 个{dates}，未报：{tail}"

    def display_rows(self, missing_only: bool = False) -> list[dict]:
        rows = self.missing_rows if missing_only else [r for r in self.rows if r["expected"] or r["reported"]]
        out = []
        for r in rows:
            if missing_only:
                out.append({"单位": r["unit_name"], "编码": r["unit"], "层级": r["level"],
                            "填报人": r["填报人"] or "", "联系电话": r["联系电话"] or "",
                            "联系人来源": r.get("contact_from") or ""})
                continue
            if not r["reported"] and r.get("covered_by"):
                state = f"由{r['covered_by']}汇总表填报"
            elif not r["reported"]:
                state = "未报"
            elif r["on_time"] is False:
                state = "迟报"
            else:
                state = "已报"
            out.append({
                "单位": r["unit_name"], "编码": r["unit"], "层级": r["level"],
                "应报": "是" if r["expected"] else "否", "状态": state,
                "报送时间": r["submitted_at"] or "", "版本数": r["versions"],
                "填报人": r["填报人"] or "", "联系电话": r["联系电话"] or "",
            })
        return out


def status(ws, year: int, unit: str | None = None) -> StatusResult:
    tree = ws.tree()
    from gwstats.analysis.rollup import resolve_unit

    root = resolve_unit(ws, tree, unit)
    deadline = ws.config.deadline_for(year).isoformat()
    sub = tree.subtree(root)
    expected = tree.expected(year)
    info: dict[str, dict] = {}
    dates: dict[tuple, str | None] = {}  # a province's 96,000 returns carry a few dozen distinct dates
    for code, arrived, superseded, filled_by, phone, fill_date in ws.store.submissions_of_year(year):
        # when the unit submitted: its 填报日期, else the arrival date given at import; never the import time
        when = dates.get((fill_date, arrived), False)
        if when is False:
            when = dates[(fill_date, arrived)] = submitted_date(fill_date, arrived) or None
        d = info.setdefault(code, {"first": when, "versions": 0, "filled_by": None, "phone": None})
        d["versions"] += 1
        if when is not None:
            d["first"] = when if d["first"] is None else min(d["first"], when)
        if superseded is None:
            d["filled_by"] = filled_by or d["filled_by"]
            d["phone"] = phone or d["phone"]
    rows = []
    codes, names = tree.codes, tree.names
    levels, expect = tree.level[sub].tolist(), expected[sub].tolist()
    for i, level, exp in zip(range(sub.start, sub.stop), levels, expect):
        code = codes[i]
        d = info.get(code)
        if not exp and d is None:
            continue
        submitted = d["first"] if d else None
        undated = d is not None and submitted is None
        rows.append({
            "unit": code,
            "unit_name": names[i],
            "level": level,
            "expected": exp,
            "reported": d is not None,
            "submitted_at": "日期不详" if undated else submitted,
            "on_time": None if submitted is None else submitted <= deadline,
            "versions": d["versions"] if d else 0,
            "填报人": d["filled_by"] if d else None,
            "联系电话": d["phone"] if d else None,
        })
    _covered_by_superior(ws.store, tree, year, rows)
    _earlier_contacts(ws.store, year, [r for r in rows if not r["reported"]])
    return StatusResult(year, tree.codes[root], deadline, rows)


def _covered_by_superior(store, tree, year: int, rows: list[dict]):
    """A unit without a return whose superior sent a 汇总 return for the year is covered, not missing."""
    huizong = store.huizong_returns_in_force(year)
    if not huizong:
        return
    for r in rows:
        if r["reported"]:
            continue
        for a in tree.ancestors(tree.index[r["unit"]]):
            if tree.codes[a] in huizong:
                r["covered_by"] = tree.names[a]
                break


_DATE = re.compile(r"(\d{4})\s*[-./年]\s*(\d{1,2})\s*[-./月]\s*(\d{1,2})")


def submitted_date(fill_date: str | None, received_at: str | None) -> str:
    """When a return was submitted, as YYYY-MM-DD: its 填报日期 when readable, else the date it arrived
    (``import --received``); "" when neither is known."""
    for text in (fill_date, received_at):
        m = _DATE.search(text or "")
        if m:
            try:
                return dt.date(int(m[1]), int(m[2]), int(m[3])).isoformat()
            except ValueError:
                continue
    return (received_at or "")[:10]


def _earlier_contacts(store, year: int, rows: list[dict]):
    """Contact fields for units that have not reported, from their latest earlier return."""
    if not rows:
        return
    want = {r["unit"]: r for r in rows}
    for code, y, filled_by, phone in store.contacts_before(year, want):
        r = want[code]
        if r.get("contact_from"):
            continue
        r["填报人"], r["联系电话"] = filled_by, phone
        r["contact_from"] = f"{y} 年报表"
