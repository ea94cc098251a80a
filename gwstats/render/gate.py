"""Nothing published over an open error: the error-severity findings of ``check`` that touch what
``report``, ``charts`` and ``export`` publish, said with unit, metric and cell."""

from __future__ import annotations

MOST_LISTED = 20


def open_errors(ws, year: int, unit: str | None = None, *, errors_only: bool = True) -> list:
    """The error-severity findings of the year's check over the published unit and its subtree: by
    the errors-only check (the same errors, without the checks that can only warn), or by the full
    check when the command reads it afterwards anyway (``errors_only=False``: the report)."""
    return [f for f in ws.check(year, unit=unit, errors_only=errors_only).findings if f.severity == "error"]


def error_line(f) -> str:
    """``甲县关工委 · 关工委组织数（甲县.xlsx，工作表“Sheet1”，单元格 D5）：……``"""
    who = " · ".join(str(x) for x in (f.extra.get("unit_name"), f.extra.get("metric_name")) if x)
    where = f.where()
    head = who + (f"（{where}）" if where else "")
    return f"{head}：{f.message}" if head else f.message


def refusal_lines(errors: list, what: str) -> list[str]:
    """What the command prints when it refuses to write ``what`` (报告 / 图表 / 汇总表)."""
    lines = [f"错误：数据核查还有 {len(errors)} 处错误未解决，未生成{what}（gwstats check 查看明细；"
             "更正后重新导入，或加 --allow-errors 照样生成并在受影响的数字旁标注）："]
    lines += [f"  {error_line(f)}" for f in errors[:MOST_LISTED]]
    if len(errors) > MOST_LISTED:
        lines.append(f"  另有 {len(errors) - MOST_LISTED} 处，见 gwstats check")
    return lines


def flagged(findings, catalog=None, codes=("yoy-jump",)) -> set[tuple[str, str]]:
    """(unit, metric) of figures with an error or a 同比异常 finding: never a highlight. A rule's
    finding flags every figure of the rule (骨干 90 > 志愿者 80: both are in doubt)."""
    out = set()
    for f in findings or []:
        if f.severity == "error" or f.code in codes:
            unit = f.extra.get("unit")
            out.add((unit, f.extra.get("metric")))
            rule = next((r for r in getattr(catalog, "rules", []) if r.code == f.extra.get("rule")), None)
            if rule is not None:
                out.update((unit, k) for k in (*rule.left.names, *rule.right.names))
    return out


def plain_line(f) -> str:
    """``石门镇关工委 · 五老骨干人数：……``: an error as a page a superior may read names it, without the
    file, sheet and cell (those are in the office's check list)."""
    who = " · ".join(str(x) for x in (f.extra.get("unit_name"), f.extra.get("metric_name")) if x)
    return f"{who}：{f.message}" if who else f.message


def error_note(errors: list) -> str:
    """The note a report written with --allow-errors carries under its overview, in plain words (no
    option, file or software name in a report)."""
    if not errors:
        return ""
    return ("注意：以下数字的数据核查错误尚未解决，本报告照样生成，使用前请核实（明细见数据核查清单）："
            + "；".join(plain_line(f) for f in errors[:MOST_LISTED])
            + (f"；另有 {len(errors) - MOST_LISTED} 处" if len(errors) > MOST_LISTED else "") + "。")


def mark_prose(text: str, records, marks) -> str:
    """A sentence with the mark after each figure of ``records`` (the 合计's records it was written from)
    that an open error touches: ``捐款捐物8002.40万元※``. The figure is found as the wording writes it
    (render/wording.py: number, rate, the 约/余 forms; render/reading.py: rounded for reading); a figure not found is left as it is (the note
    under the paragraph still names the error)."""
    import re

    from gwstats.analysis.marks import MARK
    from gwstats.render import reading as R
    from gwstats.render import wording as W

    if not marks or not text:
        return text
    for rec in records:
        if not rec or rec.get("value") is None or not marks.affected(rec["unit"], rec["metric"]):
            continue
        measure, kind = rec.get("measure", ""), rec.get("kind", "count")
        if kind == "rate":
            shown = {W.rate(rec["value"], measure or "%"), R.rate(rec["value"], measure or "%")}
        else:
            shown = {W.number(rec["value"], measure, kind, approx=bool(rec.get("approx"))),
                     W.number(rec["value"], measure, kind), R.figure(rec["value"], measure, kind)}
        for s in sorted(filter(None, shown), key=len, reverse=True):
            text = re.sub(rf"(?<![\d.]){re.escape(s)}(?![\d.%{MARK}])", lambda m: m.group(0) + MARK, text)
    return text
