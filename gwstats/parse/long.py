"""One unit per sheet: a column of labels (指标) and a column of values (数值/本年/2018年…)."""

from __future__ import annotations

from gwstats.core.text import nfkc
from gwstats.read.reader import Sheet, cell_ref
from gwstats.parse.context import Context, squashed
from gwstats.parse.parsed import ParsedReturn
from gwstats.tables.headers import FOOTER, LABEL_HEADERS, TOTAL_VALUE_HEADERS, UNIT_HEADERS, VALUE_HEADERS, year_header

SCAN_ROWS = 40


def find_header(sheet: Sheet):
    """(row, [(label col, [(value col, header text)], unit col)]) of the table header, or None.

    Several label columns in one header row are blocks side by side ("指标 | 数值 | 指标 | 数值").
    """
    for r, row in enumerate(sheet.rows[:SCAN_ROWS]):
        blocks: list[list] = []
        for c, v in enumerate(row[:30]):
            key = squashed(v).rstrip(":：")
            if not key:
                continue
            key = nfkc(key)
            if key in LABEL_HEADERS:
                blocks.append([c, [], None])
            elif not blocks:
                continue
            elif key in VALUE_HEADERS or key in TOTAL_VALUE_HEADERS or year_header(key):
                blocks[-1][1].append((c, key))
            elif key in UNIT_HEADERS and blocks[-1][2] is None:
                blocks[-1][2] = c
        blocks = [tuple(b) for b in blocks if b[1]]
        if blocks:
            return r, blocks
    return None


def choose_value_col(values: list[tuple[int, str]], year: int | None) -> int:
    if year is not None:
        for c, k in values:
            if year_header(k) == year:
                return c
    for c, k in values:
        if k.startswith("本年") or k.startswith("本期"):
            return c
    plain = [c for c, k in values if not year_header(k)]
    if plain:
        return plain[0]
    return max(values, key=lambda ck: year_header(ck[1]) or 0)[0]


MAX_SUGGESTED = 20  # distinct unknown labels given a "相近的指标" suggestion


def guess_columns(sheet: Sheet, ctx: Context):
    """No header row: the column with most catalog labels, values in the next column with numbers."""
    counts: dict[int, int] = {}
    for row in sheet.rows:
        for c, v in enumerate(row[:12]):
            if isinstance(v, str) and ctx.metric(v):
                counts[c] = counts.get(c, 0) + 1
    if not counts:
        return None
    label_col, n = max(counts.items(), key=lambda kv: kv[1])
    if n < 3:
        return None
    width = max(len(r) for r in sheet.rows)
    for c in range(label_col + 1, width):
        numeric = 0
        for row in sheet.rows:
            if len(row) > c and ctx.metric(row[label_col]) and isinstance(row[c], (int, float)):
                numeric += 1
        if numeric:
            first = next(r for r, row in enumerate(sheet.rows) if ctx.metric(row[label_col] if len(row) > label_col else None))
            return first - 1, label_col, c, None
    return None


def locate(sheet: Sheet, ctx: Context):
    """Where the table is: the header from find_header, else guessed columns, else None."""
    head = find_header(sheet)
    if head is not None:
        return ("header", head)
    guessed = guess_columns(sheet, ctx)
    return ("guessed", guessed) if guessed is not None else None


def parse_long(sheet: Sheet, ctx: Context, located, header_fields_year: int | None):
    """The return in a one-unit sheet located by :func:`locate`."""
    kind, head = located
    if kind == "header":
        hr, blocks = head
        # a column of prior-year figures next to this year's is ignored
        columns = [(label_col, choose_value_col(values, header_fields_year), unit_col) for label_col, values, unit_col in blocks]
    else:
        hr, label_col, value_col, unit_col = head
        columns = [(label_col, value_col, unit_col)]
    ret = ParsedReturn(sheet=sheet.name, layout="long")
    seen: dict[str, tuple] = {}
    findings = ret.findings
    unknown: dict[str, list[int]] = {}  # label key -> [index of its finding, rows holding it]
    for label_col, value_col, unit_col in columns:
        for r in range(hr + 1, len(sheet.rows)):
            row = sheet.rows[r]
            label = row[label_col] if label_col < len(row) else None
            if not isinstance(label, str) or not label.strip():
                continue
            code = ctx.metric(label)
            raw = row[value_col] if value_col < len(row) else None
            if code is None:
                if raw is None or raw == "" or ctx.is_group_heading(label):
                    continue
                key = squashed(label)
                if key.startswith(FOOTER) or ":" in key or "：" in key or _footer_row(row):
                    continue
                if key in unknown:  # the same label again: counted, said once
                    unknown[key][1] += 1
                    continue
                # a suggestion for the first labels only (difflib on 100,000 labels or a huge cell takes minutes)
                hint = ctx.catalog.suggest(label) if len(unknown) < MAX_SUGGESTED and len(key) <= 60 else []
                unknown[key] = [len(findings), 1]
                findings.append(ctx.finding(
                    "warning", "unknown-label",
                    f"未识别的指标“{label.strip()}”（值“{raw}”未导入）" + (f"；相近的指标：{'、'.join(hint)}" if hint else "；如需导入，请在指标目录中为它添加同义词"),
                    sheet.name, cell_ref(r, label_col)))
                continue
            field_unit = None
            if unit_col is not None and unit_col < len(row) and isinstance(row[unit_col], str) and row[unit_col].strip():
                field_unit = nfkc(row[unit_col]).strip()
            v = ctx.read_value(sheet, r, value_col, code, label.strip(), field_unit, findings)
            if v is None:
                continue
            if code in seen:
                prev = seen[code]
                if (prev.value, prev.state) != (v.value, v.state):
                    findings.append(ctx.finding(
                        "error", "duplicate-metric",
                        f"指标“{ctx.catalog.label_of(code)}”出现两次且数值不同：{prev.cell} 为“{prev.raw}”，{v.cell} 为“{v.raw}”。请只保留一行",
                        sheet.name, v.cell))
                continue
            seen[code] = v
            ret.values.append(v)
    for i, n in unknown.values():
        if n > 1:
            f = findings[i]
            f.message = f.message.replace("未导入）", f"未导入；共 {n} 行是这个指标，从 {f.cell} 起）", 1)
    return ret


_FOOTER_FIELDS = ("填报人", "填表人", "审核人", "单位负责人", "统计负责人", "负责人", "联系电话", "填报日期", "报出日期")


def _footer_row(row) -> bool:
    """A footer laid out in cells (填报人 | 王芳 | 填报日期 | 2021-01-05): names and dates, not metrics."""
    return any(isinstance(v, str) and squashed(v).rstrip(":：") in _FOOTER_FIELDS for v in row)
