"""The report's appendices on a province (issue 23): over BIG_UNITS units, 填报情况 counts down to the
counties and 数据核查 lists every error and the counties' warnings, each table with a note saying
where the unit-by-unit detail is (the csv of `gwstats status` / `gwstats check`); a smaller hierarchy
is listed unit by unit as before. A smaller one with more than MANY_FINDINGS findings (a city of 2,000
units: ~20,000 同比异常 warnings of its schools and villages, a 25,000-row Word table no one reads and
most of the report's time) lists every error and the warnings of the units down to two levels below it,
with a note counting the rest and naming the csv."""

from __future__ import annotations

from gwstats.analysis import brief

STATUS_COLUMNS = ["单位", "状态", "报送时间", "填报人", "联系电话"]
COUNTED_COLUMNS = ["单位", "应报", "已报", "迟报", "未报", "报送率"]
STATUS_NOTE = ("单位较多，本表按区县及以上逐级统计（含所属各单位）；逐个单位的填报情况用 "
               "gwstats status --all --format csv 导出")


def status_table(ws, status) -> tuple[list[str], list[list[str]], str]:
    """(columns, rows, note under the table) of 附表1."""
    tree = ws.tree()
    if not brief.is_big(tree, status.root):
        return STATUS_COLUMNS, [[str(r.get(c) or "") for c in STATUS_COLUMNS] for r in status.display_rows()], ""
    rows = brief.status_rows(status.rows, tree, status.root)
    return COUNTED_COLUMNS, [[str(r[c]) for c in COUNTED_COLUMNS] for r in rows], STATUS_NOTE




def check_shown(ws, check) -> tuple[list, str]:
    """(the findings 附表2 lists, the note under it naming what was left out and where it is)."""
    tree = ws.tree()
    big = brief.is_big(tree, check.root)
    many = len(check.findings) > brief.MANY_FINDINGS and check.root in tree.index
    if not check.findings or not (big or many):
        return check.findings, ""
    kept, left = brief.check_findings(check.findings, tree, check.root)
    if not left:
        return kept, ""
    parts = "、".join(f"{name}{n:,}条" for name, n in sorted(left.items(), key=lambda kv: -kv[1]))
    if big:
        return kept, f"另有区县以下单位的提醒未列出：{parts}；全部明细用 gwstats check --format csv 导出"
    return kept, (f"提醒较多，本表列出全部错误和本级及以下两级单位的提醒；另有更下级单位的提醒未列出：{parts}；"
                  "全部明细用 gwstats check --format csv 导出")
