"""The body of a form's grid (tables.finder finds the grid and its header): the columns' labels,
unique within the table, and the 主栏 rows of a cross-tab with a cell per row × column."""

from __future__ import annotations

import re

from gwstats.core.text import squash
from gwstats.read.cells import cell_ref
from gwstats.tables.grid import NUMBERING, FormCell, FormError, FormTable, Grid, clean_label
from gwstats.tables.headers import TOTAL_LABELS


def column_names(g: Grid, t: FormTable, heads: dict, value_cols: list[int], bottom: int) -> dict[int, str]:
    """Column -> its label, unique within the table (the group above it prefixed when needed); sets
    the table's col_labels and col_groups. A column without a label, or two alike, raise FormError."""
    leaf = {c: (heads[c][-1] if heads[c] else "") for c in value_cols}
    for c in value_cols:
        if not leaf[c]:
            raise FormError(f"工作表“{g.name}”{cell_ref(bottom, c)}：这一列没有栏目名称，无法确定要填什么")
    names: dict[int, str] = {}
    for c in value_cols:
        name = leaf[c]
        if list(leaf.values()).count(name) > 1 and len(heads[c]) > 1:
            name = heads[c][-2] + name
        names[c] = name
        if len(heads[c]) > 1:
            t.col_groups[name] = heads[c][-2]
    dup = [n for n in names.values() if list(names.values()).count(n) > 1]
    if dup:
        c = next(c for c, n in names.items() if n == dup[0])
        raise FormError(f"工作表“{g.name}”{cell_ref(bottom, c)}：栏目“{dup[0]}”在表中出现两次，无法区分")
    t.col_labels = [names[c] for c in value_cols]
    return names


def crosstab_rows(g: Grid, t: FormTable, fill, labelled: list[int], label_cols: tuple, names: dict[int, str], units: tuple):
    """The 主栏 rows of a cross-tab: blocks, 其中 rows under their total, 合计 rows; a cell per row × column."""
    label_col, unit_col, seq_col = label_cols
    col_units, default_unit = units
    value_cols = t.value_cols
    seen: dict[str, str] = {}
    last_total: str | None = None
    in_qizhong = False
    block = ""
    for r in labelled:
        raw = g.cell(r, label_col)
        label, sub, bracket_unit = clean_label(raw)
        # a 主栏 heading merged across the figures (or alone on its row): a block of rows
        if fill.get((r, value_cols[0])) is raw or (
                NUMBERING.match(str(raw)) and re.match(r"^\s*[(（]?[一二三四五六七八九十]", str(raw))
                and all(g.cell(r, c) in (None, "") for c in value_cols)):
            block = label
            continue
        if label == "其中":
            in_qizhong = True
            continue
        indented = isinstance(raw, str) and raw[:1] in (" ", "\u3000")
        sub = sub or (in_qizhong and indented)
        if not sub:
            in_qizhong = False
        if label in seen and sub and last_total is not None:
            label = f"{last_total}·{label}"  # the same 其中 row under two totals
        if label in seen:
            raise FormError(f"工作表“{g.name}”{cell_ref(r, label_col)}：主栏“{label}”在表中出现两次（另一处 {seen[label]}），无法区分")
        seen[label] = cell_ref(r, label_col)
        row_unit = (g.text(r, unit_col).strip("()（） ") if unit_col is not None and g.text(r, unit_col) else None) or bracket_unit
        t.row_labels.append(label)
        t.body_rows.append(r)
        if block:
            t.groups_of_rows[label] = block
        if seq_col is not None and g.text(r, seq_col):
            t.row_numbers[squash(g.text(r, seq_col)).strip("()（）.、")] = label
        if label in TOTAL_LABELS:
            t.total_rows.append(label)
        elif sub and last_total is not None:
            t.sub_rows[label] = last_total
            in_qizhong = True
        else:
            last_total = label
        for c in value_cols:
            col_label = names[c]
            _, _, col_bracket = clean_label(col_label)
            unit = col_units.get(c) or row_unit or col_bracket or default_unit
            t.cells.append(FormCell(r, c, f"{label}·{clean_label(col_label)[0]}", unit, row_label=label,
                                    col_label=col_label, formula=(r, c) in g.formulas))
