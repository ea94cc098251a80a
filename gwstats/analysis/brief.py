"""What a province clerk reads by default (issue 23): on a big hierarchy, `status` and `check` print
the levels down to the counties, the units with errors and the totals, not 100,000 rows; ``--all`` and
the csv/json formats give everything.

A hierarchy is big above BIG_UNITS units; smaller ones (a county, a city) print in full as before.
"""

from __future__ import annotations

import numpy as np

from gwstats.analysis.tree import Tree

BIG_UNITS = 5000
BRIEF_DEPTH = 2  # levels below the chosen unit shown in full: province → cities → counties
# findings a reader still goes through (the report's 附表2: ~50 pages; a console: 2,000 lines); a smaller
# hierarchy with more (a city of 2,000 units: ~20,000 同比异常 of its schools and villages) lists every
# error and the 提醒 of the units down to BRIEF_DEPTH levels below, and counts the rest
MANY_FINDINGS = 2000
# stored values the workbook's 数据来源 lists one per row (a county of 300 units: ~9,000); a city of 2,000
# units has ~58,000, which no one reads as rows and which took 5 of its workbook's 9 s: above this the
# sheet lists the values of the units down to BRIEF_DEPTH levels below, and `rollup -o … --all` every one
MANY_SOURCES = 20000


def is_big(tree: Tree, root: str | None = None) -> bool:
    """More than BIG_UNITS units under ``root`` (the whole list when None)."""
    if root is None or root not in tree.index:
        return tree.n > BIG_UNITS
    s = tree.subtree(tree.index[root])
    return s.stop - s.start > BIG_UNITS


def near(tree: Tree, root: str) -> np.ndarray:
    """Tree indices of ``root`` and the units at most BRIEF_DEPTH levels below it."""
    r = tree.index[root]
    s = tree.subtree(r)
    idx = np.arange(s.start, s.stop)
    return idx[tree.depth[idx] - tree.depth[r] <= BRIEF_DEPTH]


def check_findings(findings: list, tree: Tree, root: str) -> tuple[list, dict[str, int]]:
    """(the findings a clerk reads: every error, and the warnings of the units down to the counties;
    {label of the type: count} of the warnings left out)."""
    from gwstats.core.findings import label

    shown_units = {tree.codes[k] for k in near(tree, root)}
    kept: list = []
    left: dict[str, int] = {}
    for f in findings:
        unit = f.extra.get("unit")
        if f.severity == "error" or unit is None or unit in shown_units:
            kept.append(f)
        else:
            left[label(f.code)] = left.get(label(f.code), 0) + 1
    return kept, left


def left_out_line(left: dict[str, int], *, many: bool = False) -> str:
    """The line under a brief check: a province's (the 提醒 below its counties), or with ``many`` a
    smaller hierarchy's with more than MANY_FINDINGS findings (the 提醒 more than two levels down)."""
    if not left:
        return ""
    parts = "、".join(f"{name} {n:,} 条" for name, n in sorted(left.items(), key=lambda kv: -kv[1]))
    if many:
        return (f"提醒较多，只列出全部错误和本级及以下两级单位的提醒；另有更下级单位的提醒未列出：{parts}。"
                "全部列出请加 --all，或用 --format csv 导出")
    return (f"另有区县以下单位的提醒未列出：{parts}。全部列出请加 --all，或用 --format csv 导出")


def status_rows(rows: list[dict], tree: Tree, root: str) -> list[dict]:
    """One row per unit down to the counties: the returns expected, received, late and missing in
    its part of the hierarchy (the unit itself included)."""
    n = tree.n
    expected, reported, late = (np.zeros(n, dtype=np.int64) for _ in range(3))
    for r in rows:
        i = tree.index.get(r["unit"])
        if i is None or not r["expected"]:
            continue
        expected[i] += 1
        if r["reported"]:
            reported[i] += 1
            if r["on_time"] is False:
                late[i] += 1
    expected, reported, late = (tree.accumulate(a) for a in (expected, reported, late))
    out = []
    for k in near(tree, root):
        exp, rep = int(expected[k]), int(reported[k])
        if not exp:
            continue
        out.append({"单位": tree.names[k], "编码": tree.codes[k], "层级": int(tree.level[k]),
                    "应报": exp, "已报": rep, "迟报": int(late[k]), "未报": exp - rep,
                    "报送率": f"{rep / exp * 100:.1f}%"})
    return out


STATUS_NOTE = "单位较多，按区县及以上汇总显示；逐个单位列出请加 --all，未报单位及联系人请加 --missing，或用 --format csv 导出"
