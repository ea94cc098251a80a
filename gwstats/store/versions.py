"""Versions of a unit's return for a year, and what changed between consecutive versions."""

from __future__ import annotations

from dataclasses import dataclass, field

NA_TEXT = "—（不适用）"
MISSING_TEXT = "（未填）"
SOURCE_TEXT = {"return": "报表", "row": "汇总表中的一行", "total_row": "汇总表合计行"}


@dataclass
class Version:
    number: int  # 1, 2, … per scope
    submission_id: int
    file: str
    received_at: str
    scope: str
    source: str
    sheet: str | None
    n_values: int
    in_force: bool
    values: dict[str, tuple[str | None, str, str | None]]  # metric -> (value, state, cell)
    note: str = ""  # 恢复为第 N 版 (gwstats revert)
    imported_by: str = ""  # who imported (or reverted to) this version


@dataclass
class Change:
    scope: str
    old_version: int
    new_version: int
    metric: str
    metric_name: str
    old: str
    new: str
    cell: str | None


@dataclass
class HistoryResult:
    unit: str
    unit_name: str
    year: int
    versions: list[Version] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)

    def records(self) -> list[dict]:
        n_changes = {}
        for c in self.changes:
            n_changes[(c.scope, c.new_version)] = n_changes.get((c.scope, c.new_version), 0) + 1
        return [
            {
                "版本": v.number,
                "口径": v.scope,
                "文件": v.file,
                "收到时间": v.received_at.replace("T", " "),
                "来源": (v.note + "，" if v.note else "") + SOURCE_TEXT.get(v.source, v.source) + (f"（{v.sheet}）" if v.sheet else ""),
                "数值个数": v.n_values,
                "状态": "在用" if v.in_force else "已替换",
                "改动数值个数": n_changes.get((v.scope, v.number), 0) if v.number > 1 else None,
            }
            for v in self.versions
        ]

    def change_records(self) -> list[dict]:
        return [
            {"口径": c.scope, "版本": f"{c.old_version}→{c.new_version}", "指标": c.metric_name, "原值": c.old,
             "新值": c.new, "单元格": c.cell or ""}
            for c in self.changes
        ]


def _show(entry) -> str:
    if entry is None:
        return MISSING_TEXT
    value, state, _cell = entry
    return NA_TEXT if state == "na" else value


def history(ws, unit: str, year: int) -> HistoryResult:
    store = ws.store
    catalog = ws.catalog
    result = HistoryResult(unit, store.unit_names([unit]).get(unit, unit), year)
    subs = store.submissions_of(unit, year)
    counters: dict[str, int] = {}
    previous: dict[str, Version] = {}
    for sid, fname, received, scope, source, sheet, superseded, imported_by in subs:
        values = store.values_of(sid)
        counters[scope] = counters.get(scope, 0) + 1
        note = store.note_of(sid, "revert")
        ver = Version(counters[scope], sid, fname, received, scope, source, sheet, len(values), superseded is None, values,
                      note or "", imported_by or "")
        result.versions.append(ver)
        prev = previous.get(scope)
        if prev is not None:
            order = {c: i for i, c in enumerate([*catalog.metrics, *catalog.indicators])}
            for metric in sorted(set(prev.values) | set(values), key=lambda m: order.get(m, len(order))):
                a, b = prev.values.get(metric), values.get(metric)
                if (a and a[:2]) != (b and b[:2]):
                    result.changes.append(Change(scope, prev.number, ver.number, metric, catalog.label_of(metric),
                                                 _show(a), _show(b), (b or a)[2]))
        previous[scope] = ver
    return result
