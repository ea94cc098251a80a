"""The summary report (统计分析): one content model, rendered as .docx, Markdown or self-contained HTML.

Everything in it is read from the rollup, status and check results; nothing is recomputed here.
"""

from __future__ import annotations

import base64
import datetime as dt
import html
from dataclasses import dataclass, field, replace
from pathlib import Path

from gwstats.core.errors import UsageError
from gwstats.core.formatting import chinese_ordinal
from gwstats.render import report_brief
from gwstats.render import report_sections as S
from gwstats.render import wording as W
from gwstats.render.rollup_table import rounding_note
from gwstats.render.gate import mark_prose
from gwstats.analysis.marks import MARK, ErrorMarks
from gwstats.core.output import write_whole

FORMATS = ("docx", "md", "html")
# the closing note in plain words: what a reader needs to recompute the figures, nothing of software
RULES_SENTENCE = ("本报告的合计为各单位本级数逐级相加，比率由合计后的分子、分母重新计算；"
                  "文中数字按四舍五入取整或保留一位小数，精确数见各表。")
TITLE_EMS = 20.0  # characters of 二号 (22 pt) on a line of A4 text width (156 mm, GB/T 9704)
CHECKS_SUFFIX = "_数据核查清单"  # the office's check list written beside the report


@dataclass
class Block:
    kind: str  # heading | para | table | image | note
    text: str = ""
    level: int = 1
    columns: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    png: bytes = b""
    name: str = ""  # file name for an image written beside a Markdown report
    note: str = ""  # a line under a table (因四舍五入……)


@dataclass
class ReportContent:
    title: str
    organisation: str
    date: str
    blocks: list[Block] = field(default_factory=list)

    def text(self) -> str:
        """All words of the report (for tests and searching)."""
        parts = [self.title, self.organisation, self.date]
        for b in self.blocks:
            parts.append(b.text)
            parts.append(b.note)
            parts += b.columns
            parts += [c for r in b.rows for c in r]
        return "\n".join(p for p in parts if p)

    def images(self) -> list[Block]:
        return [b for b in self.blocks if b.kind == "image"]

    def title_lines(self) -> list[str]:
        return title_lines(self.title)


def _ems(text: str) -> float:
    import unicodedata

    return sum(1.0 if unicodedata.east_asian_width(ch) in "WF" else 0.55 for ch in text)


def title_lines(title: str, width: float = TITLE_EMS) -> list[str]:
    """The title on one line where it fits, else on two balanced lines broken at a sensible point:
    after the year (``青溪县关工委2020年度`` / ``关心下一代工作统计分析``), else after the organisation."""
    import re

    if _ems(title) <= width:
        return [title]
    year = {m.end() for m in re.finditer(r"\d{4}年度?", title)}
    points = year | {m.start() for m in re.finditer("关心下一代", title)}
    points |= {m.end() for m in re.finditer("关工委", title)}
    fits = [k for k in points if 0 < k < len(title) and max(_ems(title[:k]), _ems(title[k:])) <= width]
    if not fits:  # no sensible point fits: the middle
        k = len(title) // 2
        return [title[:k], title[k:]]
    # the most balanced; among equals after the year
    k = min(fits, key=lambda k: (round(abs(_ems(title[:k]) - _ems(title[k:])), 2), k not in year, k))
    return [title[:k], title[k:]]


def _chinese_date(d: dt.date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


# ---- building the content ----------------------------------------------------------------------
@dataclass
class _Facts:
    """What the report is built from: the rollup (by unit and metric), status and check."""
    ws: object
    year: int
    res: object
    by_key: dict
    root_recs: dict
    root_name: str
    scope: str
    prefix: str
    status: object
    check: object
    style: object  # the chart style (gwstats.toml [charts])
    marks: object = None  # analysis.marks.ErrorMarks: figures an open error touches (marked ※)


def build_report(ws, year: int, *, unit: str | None = None, level: int | None = None,
                 charts: bool = True, today: dt.date | None = None) -> ReportContent:
    """The report a superior receives: 一、总体情况, a section per group with data (its heading a
    summary sentence), 主要亮点, 存在问题, the closing note. No data checks (those are the office's:
    :func:`build_check_list`), no software or file words."""
    return _report_content(_gather(ws, year, unit, level), charts, today)


def _report_content(f: _Facts, charts: bool, today: dt.date | None) -> ReportContent:
    ws, year = f.ws, f.year
    org, org_from_units = S.organisation_named(ws)
    content = ReportContent(W.report_title(org, year), org, _chinese_date(today or dt.date.today()))
    add = content.blocks.append
    cat = ws.catalog
    groups = cat.groups()
    sentences = {g: W.catalog_group_sentence(cat, g, f.root_recs, f.scope, f.prefix) for g in groups}
    sentences = {g: mark_prose(t, f.root_recs.values(), f.marks) for g, t in sentences.items()}
    section = 1
    add(Block("heading", f"{chinese_ordinal(section)}、总体情况", 1))
    add(Block("para", mark_prose(_overview(f, [g for g in groups if not sentences[g]]), f.root_recs.values(), f.marks)))
    if f.check is not None and f.check.has_errors:  # written over an open error (--allow-errors): said under it
        add(Block("note", S.error_note(f.check)))
    table = 0
    for g in groups:
        if sentences[g]:
            section += 1
            table += 1
            content.blocks += _group_section(f, g, section, table, sentences[g], charts)
    if f.res.units:
        good = S.highlights(cat, f.res, f.by_key, f.root_recs, f.prefix, f.check)
        if good:
            section += 1
            add(Block("heading", f"{chinese_ordinal(section)}、主要亮点", 1))
            for text in good:
                add(Block("para", text))
        section += 1
        add(Block("heading", f"{chinese_ordinal(section)}、存在问题", 1))
        for text in S.problems(cat, f.res, f.by_key, f.root_recs, f.status, f.check, f.prefix):
            add(Block("para", text))
    basis = _basis(f)
    add(Block("note", "说明：" + basis + RULES_SENTENCE if basis else "说明：" + RULES_SENTENCE))
    if org_from_units:
        add(Block("note", S.NAME_FROM_UNITS_NOTE + "。"))
    return content


def build_check_list(ws, year: int, *, unit: str | None = None, level: int | None = None,
                     today: dt.date | None = None) -> ReportContent:
    """The office's own document: who reported, and every data-check finding (``report --checks``)."""
    return _check_list_content(_gather(ws, year, unit, level), today)


def _check_list_content(f: _Facts, today: dt.date | None) -> ReportContent:
    ws, year = f.ws, f.year
    org, _ = S.organisation_named(ws)
    content = ReportContent(f"{org}{year}年度统计数据核查清单", org, _chinese_date(today or dt.date.today()))
    for b in _status_appendix(f) + _check_appendix(f):
        if b.kind == "heading":  # 附录一 填报情况 -> 一、填报情况
            b = replace(b, text=b.text.replace("附录一 ", "一、").replace("附录二 ", "二、"))
        elif b.kind == "table":
            b = replace(b, text=b.text.replace("附表", "表"))
        content.blocks.append(b)
    return content


def _gather(ws, year: int, unit: str | None, level: int | None) -> _Facts:
    from gwstats.render.chart_data import style_of

    unit_code = ws.resolve_unit(unit) if unit else None
    res = ws.rollup(year, unit=unit_code, level=level)
    by_key = {(r["unit"], r["metric"]): r for r in res.records()}
    root_name = ws.hierarchy().name(res.root)
    root_recs = {m: by_key.get((res.root, m)) for m in res.metrics}
    status = _safe(lambda: ws.status(year, unit=unit_code))
    check = _safe(lambda: ws.check(year, unit=unit_code))
    marks = ErrorMarks(check.findings, ws.catalog, res.tree, year) if check is not None and check.has_errors else None
    return _Facts(ws, year, res, by_key, root_recs, root_name, W.scope_word(root_name),
                  W.yoy_prefix(year, res.compare_year), status, check, style_of(ws), marks)


def _overview(f: _Facts, empty: list[str]) -> str:
    """The 总体情况 paragraph: who reported, the headline figures, groups nobody filled."""
    text = f"{f.year}年度，{f.root_name}所属各单位报送关心下一代工作统计报表。"
    if f.status is not None:
        text += W.coverage_sentence(f.status.reported, f.status.expected, f.status.missing, len(f.status.covered))
    text += S.headline_sentence(f.ws.catalog, f.root_recs, f.scope, f.prefix)
    if empty:
        text += f"{'、'.join(empty)}等方面各单位均未填报数据，本报告从略。"
    return text


def _basis(f: _Facts) -> str:
    """The sentence on what the year-on-year figures compare ("" without a comparison year)."""
    res = f.res
    if not res.compare_year:
        return ""
    basis = f"同比变化均与{res.compare_year}年比较"
    if any(r.get("comparable") for r in f.root_recs.values() if r):
        basis += "，两年填报单位不同的指标按可比口径（只比较两年都填报了该项的单位）计算"
    if f.ws.hierarchy_changed(res.compare_year, f.year):
        basis += "，按现行隶属关系计算"
    return basis + "。"


def _group_section(f: _Facts, g: str, section: int, number: int, sentence: str, charts: bool) -> list[Block]:
    """One group of the catalog: its heading (a summary sentence), sentence, the table by unit and
    (when drawn) its chart. ``number``: of the group's table and chart (表1, 图1)."""
    cat, res, by_key, root = f.ws.catalog, f.res, f.by_key, f.res.root
    heading = S.section_heading(cat, res, by_key, g, f.root_recs, f.marks)
    blocks = [Block("heading", f"{chinese_ordinal(section)}、{heading}", 1), Block("para", sentence)]
    codes = [m.code for m in cat.metrics_in_group(g)] + [i.code for i in cat.indicators.values() if i.group == g]
    keys = res.row_keys
    codes = [c for c in codes if c in res.metrics and any(
        (by_key.get((u, c)) or {}).get("value") is not None for u in keys)]
    codes, left_out = _mostly_blank_cells(f, codes)
    columns = ["单位"] + [f"{_column_label(cat, c)}（{cat.unit_of(c)}）" for c in codes]
    rows = []
    for u in keys:
        name = "合计" if u == root and root not in res.units else W.short_unit(res.row_name(u))
        row = [name]
        for c in codes:
            r = by_key.get((u, c)) or {}
            row.append(W.plain_number(r.get("value"), r.get("kind", "count"), r.get("measure", "")))
        rows.append(row)
    kinds = [(by_key.get((root, c)) or {}).get("kind", "count") for c in codes]
    note = "；".join(n for n in (rounding_note(rows, kinds), left_out) if n)
    if f.marks:  # written over an open error (--allow-errors): the figures it touches marked, said under
        hit = False
        for row, u in zip(rows, keys):
            for k, c in enumerate(codes, 1):
                if row[k] and f.marks.row_affected(res, u, c):
                    row[k], hit = row[k] + MARK, True
        if hit:
            note = "；".join(x for x in (note, f.marks.note(metrics=codes, where=False)) if x)
    blocks.append(Block("table", f"表{number} {f.year}年{g}情况（空白为未填报）", columns=columns, rows=rows, note=note))
    if charts and res.units:
        image = _group_chart(f, g, number)
        if image is not None:
            blocks.append(image)
    return blocks


def _column_label(cat, code: str) -> str:
    """A column's name: a cross-tab cell reads as words (村·关工委组织数 → 村关工委组织数)."""
    return cat.label_of(code).replace("·", "")


def _mostly_blank_cells(f: _Facts, codes: list[str]) -> tuple[list[str], str]:
    """The columns of a group's table without the cross-tab cells (a form's 组织类型表) that fewer than
    half of the listed units filled: a mostly blank wide table is not printed; a note says which
    table was left out and how many units filled it."""
    res, cat = f.res, f.ws.catalog
    units = [u for u in res.row_keys if u != res.root and (res.extra is None or u != res.extra.key)]
    dropped: dict[str, int] = {}
    keep = []
    for c in codes:
        m = cat.metrics.get(c)
        if m is not None and m.row and m.column:
            filled = sum(1 for u in units if (f.by_key.get((u, c)) or {}).get("value") is not None)
            if units and filled * 2 < len(units):
                table = m.table or "分类数据"
                dropped[table] = max(dropped.get(table, 0), filled)
                continue
        keep.append(c)
    note = "；".join(f"{t}只有{n}个单位填报，本表未列出" for t, n in dropped.items())
    return keep, note


def _group_chart(f: _Facts, g: str, number: int) -> Block | None:
    from gwstats.render.chart_data import chart_data, group_chart
    from gwstats.render.charts import NoChartData, draw, png_bytes

    chart = group_chart(f.ws.catalog, f.res, f.by_key, g)
    if not chart:
        return None
    kind, code = chart
    try:
        data = chart_data(f.ws, f.res, code, kind, marks=f.marks)
    except NoChartData:
        return None
    style = f.style
    # the caption carries the title: the picture does not repeat it; the file (beside a Markdown
    # report) is named by its number, never by a metric code
    fig = draw(replace(data, title=""), style)
    return Block("image", f"图{number} {data.title}", png=png_bytes(fig, dpi=min(style.dpi, 150)),
                 name=f"图{number:02d}.png")


def _status_appendix(f: _Facts) -> list[Block]:
    blocks = [Block("heading", "附录一 填报情况", 1)]
    if f.status is None:
        return blocks + [Block("note", "（填报情况暂不可用）")]
    blocks.append(Block("para", _tight(f.status.summary_line()) + "。"))
    cols, rows, note = report_brief.status_table(f.ws, f.status)  # a province: counted down to the counties
    blocks.append(Block("table", f"附表1 {f.year}年度填报情况", columns=cols, rows=rows, note=note))
    return blocks


def _check_appendix(f: _Facts) -> list[Block]:
    blocks = [Block("heading", "附录二 数据核查", 1)]
    check = f.check
    if check is None:
        return blocks + [Block("note", "（数据核查暂不可用）")]
    line = _tight(check.summary_line())
    blocks.append(Block("para", line if line.endswith("。") else line + "。"))
    if check.findings:
        sev = {"error": "错误", "warning": "提醒", "info": "说明"}
        cols = ["级别", "单位", "指标", "说明", "来源"]
        findings, note = report_brief.check_shown(f.ws, check)  # a province: errors and the counties' warnings
        rows = [[sev.get(x.severity, x.severity), str(x.extra.get("unit_name") or ""),
                 str(x.extra.get("metric_name") or ""), x.message, x.where()] for x in findings]
        blocks.append(Block("table", f"附表2 {f.year}年度数据核查结果", columns=cols, rows=rows, note=note))
    return blocks


def _tight(text: str) -> str:
    """Console lines put spaces around figures (应报 25 个单位); the report writes them as its body does."""
    import re

    return re.sub(r"(?<=[\u4e00-\u9fff（），：；、])\s+|\s+(?=[\u4e00-\u9fff（），：；、])", "", text)


def _safe(fn):
    """status/check results, or None when that part of the tool is not available."""
    try:
        return fn()
    except (ImportError, AttributeError):
        return None


# ---- rendering ---------------------------------------------------------------------------------
def render_docx(content: ReportContent, path: Path, template: Path | None = None) -> Path:
    """The Word report (layout in :mod:`.docx_layout`), on ``template`` when given."""
    from gwstats.render.docx_layout import render

    return render(content, path, template)


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _md_cell(text: str) -> str:
    from gwstats.render.table import md_escape

    return md_escape(text)


def _md_text(text: str) -> str:
    """Running text of the Markdown report: HTML in unit names shown as text."""
    return html.escape(text, quote=False)


def render_md(content: ReportContent, path: Path) -> Path:
    img_dir = path.parent / f"{path.stem}_图表"
    e = _md_text
    lines = [f"# {e(content.title)}", ""]
    for b in content.blocks:
        if b.kind == "heading":
            lines += ["#" * (b.level + 1) + " " + e(b.text), ""]
        elif b.kind in ("para", "note"):
            lines += [e(b.text), ""]
        elif b.kind == "table":
            lines += [f"**{e(b.text)}**", ""]
            lines.append("| " + " | ".join(_md_cell(c) for c in b.columns) + " |")
            lines.append("|" + "|".join(["---"] + ["---:" if b.columns[0] == "单位" else "---"] * (len(b.columns) - 1)) + "|")
            for r in b.rows:
                lines.append("| " + " | ".join(_md_cell(c) for c in r) + " |")
            lines.append("")
            if b.note:
                lines += [f"注：{b.note}", ""]
        elif b.kind == "image":
            img_dir.mkdir(parents=True, exist_ok=True)
            write_whole(img_dir / b.name, lambda p, data=b.png: p.write_bytes(data))
            lines += [f"![{e(b.text)}]({img_dir.name}/{b.name})", "", f"*{e(b.text)}*", ""]
    # the ending as the Word report has it: 落款 and 成文日期, right-aligned
    lines += ['<p align="right">' + "<br>".join(e(t) for t in (content.organisation, content.date) if t) + "</p>", ""]
    write_whole(path, lambda p: p.write_text("\n".join(lines), encoding="utf-8"))
    return path


HTML_TEMPLATE = "report.html"  # in gwstats/render/templates/ (package data)


def _html_block(b: Block) -> dict:
    """What the HTML template needs of a block: heading level, number cells, the picture as base64."""
    if b.kind == "heading":
        return {"kind": "heading", "text": b.text, "level": b.level + 1}
    if b.kind in ("para", "note"):
        return {"kind": "para", "text": b.text}
    if b.kind == "table":
        by_unit = bool(b.columns) and b.columns[0] == "单位"
        rows = [{"total": bool(r) and r[0] == "合计",
                 "cells": [(bool(k) and by_unit and _is_number(c), c) for k, c in enumerate(r)]} for r in b.rows]
        return {"kind": "table", "text": b.text, "columns": b.columns, "rows": rows, "note": b.note}
    if b.kind == "image":
        return {"kind": "image", "text": b.text, "data": base64.b64encode(b.png).decode("ascii")}
    return {"kind": b.kind}


def render_html(content: ReportContent, path: Path) -> Path:
    """The self-contained HTML report, from templates/report.html (Jinja2, autoescaped)."""
    from jinja2 import Environment, PackageLoader

    env = Environment(loader=PackageLoader("gwstats.render", "templates"), autoescape=True,
                      trim_blocks=True, lstrip_blocks=True)
    page = env.get_template(HTML_TEMPLATE).render(
        title=content.title, title_lines=content.title_lines(), organisation=content.organisation, date=content.date,
        blocks=[_html_block(b) for b in content.blocks])
    write_whole(path, lambda p: p.write_text(page, encoding="utf-8"))
    return path


RENDER = {"docx": render_docx, "md": render_md, "html": render_html}
DEFAULT_TEMPLATE = "报告模板.docx"  # in templates/ (tools/make_report_template.py writes it)


def make_report(ws, year: int, output: str | Path, *, fmt: str | None = None, unit: str | None = None,
                level: int | None = None, charts: bool = True, template: str | Path | None = None,
                date=None, checks: str | Path | bool | None = None, progress=None) -> Path:
    """Write the report; the format comes from ``fmt`` or the file's suffix (default .docx).
    ``template``: an office's own .docx whose styles, page set-up and header/footer the report uses.
    ``date``: the 成文日期 (else gwstats.toml [report] date, else today). ``checks``: also write the
    office's check list (填报情况 and 数据核查) to this file, in the format its suffix names; ``True``:
    beside the report (:func:`checks_path`). ``progress(i, n, words)``: as each step begins."""
    from gwstats.render.signing import signing_date

    signed = signing_date(ws.config.raw, date)
    path, fmt = _output(Path(output), fmt)
    if template is not None and fmt != "docx":
        raise UsageError(f"报告模板只用于 Word（.docx）报告，当前格式为 {fmt}")
    if template is not None:
        from gwstats.render.docx_layout import open_template

        open_template(Path(template))  # refuse a missing or damaged template before any work
    check_path = checks_path(path, checks)
    path.parent.mkdir(parents=True, exist_ok=True)
    step, steps = progress or (lambda i, n, words: None), (3 if check_path is not None else 2)
    step(1, steps, "正在汇总分析数据、作图")
    facts = _gather(ws, year, unit, level)  # one rollup's records, status and check for both documents
    content = _report_content(facts, charts, signed)
    step(2, steps, "正在排版报告")
    if fmt == "docx":
        written = render_docx(content, path, Path(template) if template else None)
    else:
        written = RENDER[fmt](content, path)
    if check_path is not None:  # after the report: the office's list, never in place of it
        step(3, steps, "正在生成数据核查清单")
        check_path, check_fmt = _output(check_path, None)
        listed = _check_list_content(facts, signed)
        check_path.parent.mkdir(parents=True, exist_ok=True)
        RENDER[check_fmt](listed, check_path)
    return written


def checks_path(report: Path, checks: str | Path | bool | None) -> Path | None:
    """Where the check list goes: ``checks`` as given (its suffix names the format), beside the report
    (``集安市关工委2020年度统计分析_数据核查清单.docx``) for ``True``, nowhere for None / False."""
    if checks is None or checks is False:
        return None
    if checks is True:
        report = Path(report)
        return report.with_name(report.stem + CHECKS_SUFFIX + report.suffix)
    return _output(Path(checks), None)[0]


def _output(path: Path, fmt: str | None) -> tuple[Path, str]:
    """(path, format): the format from ``fmt`` or the file's suffix (default .docx)."""
    aliases = {"markdown": "md", "htm": "html"}
    suffix = path.suffix.lower().lstrip(".")
    suffix = aliases.get(suffix, suffix)
    if suffix and suffix not in FORMATS:
        raise UsageError(f"报告文件应为 .docx、.md 或 .html，实际为“{path.name}”")
    fmt = (fmt or suffix or "docx").lower()
    fmt = aliases.get(fmt, fmt)
    if fmt not in FORMATS:
        raise UsageError(f"报告格式应为 {' / '.join(FORMATS)}，实际为“{fmt}”")
    if not suffix:
        path = path.with_name(path.name + f".{fmt}")
    elif suffix != fmt:
        path = path.with_suffix(f".{fmt}")  # -o 报告.docx --format html -> 报告.html
    return path, fmt
