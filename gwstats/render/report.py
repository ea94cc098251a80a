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
from gwstats.render import report_sections as S
from gwstats.render import wording as W
from gwstats.render.rollup_table import rounding_note
from gwstats.core.output import write_whole

FORMATS = ("docx", "md", "html")
RULES_SENTENCE = ("本报告的合计、比率、同比（含可比口径）和四舍五入均按《gwstats 统计口径说明》"
                  "（docs/rules.md）计算：合计为各单位本级数逐级相加，比率由合计的分子、分母重新计算。")
CN_NUM = "一二三四五六七八九十"


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


def _cn(n: int) -> str:
    if n <= 10:
        return CN_NUM[n - 1]
    if n < 20:
        return "十" + (CN_NUM[n - 11] if n > 10 else "")
    return str(n)


def _chinese_date(d: dt.date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


# ---- building the content ----------------------------------------------------------------------
def build_report(ws, year: int, *, unit: str | None = None, level: int | None = None,
                 charts: bool = True, today: dt.date | None = None) -> ReportContent:
    from gwstats.render.chart_data import style_of, chart_data, group_chart
    from gwstats.render.charts import NoChartData, draw, png_bytes

    cat = ws.catalog
    h = ws.hierarchy()
    unit_code = ws.resolve_unit(unit) if unit else None
    res = ws.rollup(year, unit=unit_code, level=level)
    records = res.records()
    by_key = {(r["unit"], r["metric"]): r for r in records}
    root = res.root
    root_name = h.name(root)
    root_recs = {m: by_key.get((root, m)) for m in res.metrics}
    scope = W.scope_word(root_name)
    org = ws.config.organisation
    content = ReportContent(W.report_title(org, year), org, _chinese_date(today or dt.date.today()))
    add = content.blocks.append

    status = _safe(lambda: ws.status(year, unit=unit_code))
    check = _safe(lambda: ws.check(year, unit=unit_code))

    # Overview.
    groups = cat.groups()
    prefix = W.yoy_prefix(year, res.compare_year)
    sentences = {g: W.catalog_group_sentence(cat, g, root_recs, scope, prefix) for g in groups}
    empty = [g for g in groups if not sentences[g]]
    add(Block("heading", "总体情况", 1))
    overview = f"{year}年度，{root_name}所属各单位报送关心下一代工作统计报表。"
    if status is not None:
        overview += W.coverage_sentence(status.reported, status.expected, status.missing)
    overview += S.headline_sentence(cat, root_recs, scope, prefix)
    if empty:
        overview += f"{'、'.join(empty)}等方面各单位均未填报数据，本报告从略。"
    if check is not None and check.findings:
        errors, warns = check.count("error"), check.count("warning")
        parts = [f"错误{errors}处" if errors else "", f"提醒{warns}处" if warns else ""]
        parts = [p for p in parts if p] or [f"说明{len(check.findings)}处"]
        overview += f"数据核查发现{'、'.join(parts)}，详见附录二。"
    add(Block("para", overview))
    basis = ""
    if res.compare_year:
        basis = f"同比变化均与{res.compare_year}年比较"
        if any(r.get("comparable") for r in root_recs.values() if r):
            basis += "，两年填报单位不同的指标按可比口径（只比较两年都填报了该项的单位）计算"
        if ws.hierarchy_changed(res.compare_year, year):
            basis += "，按现行隶属关系计算"
        basis += "。"

    style = style_of(ws)
    section = 0
    for g in groups:
        if not sentences[g]:
            continue
        section += 1
        add(Block("heading", f"{_cn(section)}、{g}", 1))
        add(Block("para", sentences[g]))
        codes = [m.code for m in cat.metrics_in_group(g)] + [i.code for i in cat.indicators.values() if i.group == g]
        keys = res.row_keys
        codes = [c for c in codes if c in res.metrics and any(
            (by_key.get((u, c)) or {}).get("value") is not None for u in keys)]
        columns = ["单位"] + [f"{cat.label_of(c)}（{cat.unit_of(c)}）" for c in codes]
        rows = []
        for u in keys:
            name = "合计" if u == root and root not in res.units else W.short_unit(res.row_name(u))
            row = [name]
            for c in codes:
                r = by_key.get((u, c)) or {}
                row.append(W.plain_number(r.get("value"), r.get("kind", "count"), r.get("measure", "")))
            rows.append(row)
        kinds = [(by_key.get((root, c)) or {}).get("kind", "count") for c in codes]
        note = rounding_note(rows, kinds)
        add(Block("table", f"表{section} {year}年{g}情况（空白为未填报）", columns=columns, rows=rows, note=note))
        if charts and res.units:
            chart = group_chart(cat, res, by_key, g)
            if chart:
                kind, code = chart
                try:
                    data = chart_data(ws, res, code, kind)
                except NoChartData:
                    data = None
                if data is not None:
                    # the caption carries the title: the picture does not repeat it
                    fig = draw(replace(data, title=""), style)
                    add(Block("image", f"图{section} {data.title}", png=png_bytes(fig, dpi=min(style.dpi, 150)),
                              name=f"图{section:02d}_{code}.png"))

    if res.units:
        good = S.highlights(cat, res, by_key, root_recs, prefix)
        if good:
            add(Block("heading", "主要亮点", 1))
            for text in good:
                add(Block("para", text))
        add(Block("heading", "存在问题", 1))
        for text in S.problems(cat, res, by_key, root_recs, status, check):
            add(Block("para", text))

    # Appendices.
    add(Block("heading", "附录一 填报情况", 1))
    if status is None:
        add(Block("note", "（填报情况暂不可用）"))
    else:
        add(Block("para", _tight(status.summary_line()) + "。"))
        rows = status.display_rows()
        cols = ["单位", "状态", "报送时间", "填报人", "联系电话"]
        add(Block("table", f"附表1 {year}年度填报情况", columns=cols,
                  rows=[[str(r.get(c) or "") for c in cols] for r in rows]))
    add(Block("heading", "附录二 数据核查", 1))
    if check is None:
        add(Block("note", "（数据核查暂不可用）"))
    else:
        line = _tight(check.summary_line())
        add(Block("para", line if line.endswith("。") else line + "。"))
        if check.findings:
            sev = {"error": "错误", "warning": "提醒", "info": "说明"}
            cols = ["级别", "单位", "指标", "说明", "来源"]
            rows = [[sev.get(f.severity, f.severity), str(f.extra.get("unit_name") or ""),
                     str(f.extra.get("metric_name") or ""), f.message, f.where()] for f in check.findings]
            add(Block("table", f"附表2 {year}年度数据核查结果", columns=cols, rows=rows))
    add(Block("note", "说明：" + basis + RULES_SENTENCE if basis else RULES_SENTENCE))
    return content


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
    lines = [f"# {e(content.title)}", "", f"{e(content.organisation)}　{content.date}", ""]
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
    write_whole(path, lambda p: p.write_text("\n".join(lines), encoding="utf-8"))
    return path


HTML_STYLE = """
body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "SimHei", "PingFang SC", sans-serif;
       max-width: 960px; margin: 2em auto; padding: 0 1em; line-height: 1.8; color: #222; }
h1 { text-align: center; font-size: 1.8em; margin-bottom: .2em; }
.meta { text-align: center; color: #666; margin-bottom: 2em; }
h2 { border-bottom: 2px solid #1f5fa8; padding-bottom: .2em; margin-top: 2em; }
p { text-indent: 2em; }
table { border-collapse: collapse; margin: .5em auto 1.5em; font-size: .9em; }
th, td { border: 1px solid #999; padding: .25em .6em; }
th { background: #eef3fa; }
td.num { text-align: right; }
tr.total td { font-weight: bold; background: #f6f6f6; }
.caption { text-align: center; color: #444; font-size: .95em; text-indent: 0; }
figure { margin: 1em 0 2em; text-align: center; }
figure img { max-width: 100%; }
"""


def render_html(content: ReportContent, path: Path) -> Path:
    e = html.escape
    out = ["<!DOCTYPE html>", '<html lang="zh-CN"><head><meta charset="utf-8">',
           f"<title>{e(content.title)}</title><style>{HTML_STYLE}</style></head><body>",
           f"<h1>{e(content.title)}</h1>", f'<p class="meta">{e(content.organisation)}　{e(content.date)}</p>']
    for b in content.blocks:
        if b.kind == "heading":
            out.append(f"<h{b.level + 1}>{e(b.text)}</h{b.level + 1}>")
        elif b.kind in ("para", "note"):
            out.append(f"<p>{e(b.text)}</p>")
        elif b.kind == "table":
            out.append(f'<p class="caption">{e(b.text)}</p><table><thead><tr>'
                       + "".join(f"<th>{e(c)}</th>" for c in b.columns) + "</tr></thead><tbody>")
            for r in b.rows:
                cls = ' class="total"' if r and r[0] == "合计" else ""
                cells = "".join(
                    f'<td class="num">{e(c)}</td>' if k and b.columns[0] == "单位" and _is_number(c) else f"<td>{e(c)}</td>"
                    for k, c in enumerate(r))
                out.append(f"<tr{cls}>{cells}</tr>")
            out.append("</tbody></table>")
            if b.note:
                out.append(f'<p class="caption">注：{e(b.note)}</p>')
        elif b.kind == "image":
            data = base64.b64encode(b.png).decode("ascii")
            out.append(f'<figure><img alt="{e(b.text)}" src="data:image/png;base64,{data}">'
                       f'<figcaption class="caption">{e(b.text)}</figcaption></figure>')
    out.append("</body></html>")
    write_whole(path, lambda p: p.write_text("\n".join(out), encoding="utf-8"))
    return path


RENDER = {"docx": render_docx, "md": render_md, "html": render_html}
DEFAULT_TEMPLATE = "报告模板.docx"  # in templates/ (tools/make_report_template.py writes it)


def make_report(ws, year: int, output: str | Path, *, fmt: str | None = None, unit: str | None = None,
                level: int | None = None, charts: bool = True, template: str | Path | None = None) -> Path:
    """Write the report; the format comes from ``fmt`` or the file's suffix (default .docx).
    ``template``: an office's own .docx whose styles, page set-up and header/footer the report uses."""
    path = Path(output)
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
    if template is not None and fmt != "docx":
        raise UsageError(f"报告模板只用于 Word（.docx）报告，当前格式为 {fmt}")
    if template is not None:
        from gwstats.render.docx_layout import open_template

        open_template(Path(template))  # refuse a missing or damaged template before any work
    path.parent.mkdir(parents=True, exist_ok=True)
    content = build_report(ws, year, unit=unit, level=level, charts=charts)
    if fmt == "docx":
        return render_docx(content, path, Path(template) if template else None)
    return RENDER[fmt](content, path)
