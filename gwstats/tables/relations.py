"""Relations a form states between its rows or columns (``1=2+3``, ``4≥5``, ``第1栏=第2栏+第3栏``), in
the notes under a table or on a 填表说明 sheet, turned into terms the catalog's rules are built from."""

from __future__ import annotations

import re

from gwstats.tables.grid import FormError, FormTable, Grid
from gwstats.core.text import squash
from gwstats.read.reader import cell_ref

_REL_TERM = r"第?\d+(?:栏|行|列)?"
_RELATION = re.compile(rf"({_REL_TERM}(?:[+\-]{_REL_TERM})*)(>=|<=|≥|≤|=|>|<)({_REL_TERM}(?:[+\-]{_REL_TERM})*)")
OPS = {"=": "==", ">=": ">=", "≥": ">=", "<=": "<=", "≤": "<=", ">": ">", "<": "<"}


# ---- relations ---------------------------------------------------------------------------------------
def relations_in(text: str, sheet: str, cell: str) -> list[tuple[str, str, str]]:
    flat = squash(text).replace("＝", "=").replace("＋", "+")
    return [(m.group(0), sheet, cell) for m in _RELATION.finditer(flat) if "+" in m.group(0) or m.group(2) != "="
            or re.search(r"栏|行|列", m.group(0))]


def assign_help_relations(tables: list[FormTable], grids: list[Grid]):
    """Relations written on a 填表说明 sheet (a sheet with no table) go to the table they name
    (表1、表2 …), or to the only table; otherwise the form is ambiguous."""
    with_tables = {t.sheet for t in tables}
    for g in grids:
        if g.name in with_tables:
            continue
        for r, row in enumerate(g.rows):
            for c, v in enumerate(row):
                if not isinstance(v, str):
                    continue
                rels = relations_in(v, g.name, cell_ref(r, c))
                if not rels:
                    continue
                named = [t for t in tables if any(squash(a) in squash(v) for a in t.aliases) or (t.title and t.title in squash(v))]
                if len(named) == 1:
                    named[0].relations.extend(rels)
                elif len(tables) == 1:
                    tables[0].relations.extend(rels)
                else:
                    raise FormError(f"工作表“{g.name}”{cell_ref(r, c)}：表内关系“{rels[0][0]}”没有写明属于哪张表"
                                    f"（本表格有 {'、'.join(t.code for t in tables)}）；请在这一行写上表号，如“表1：{rels[0][0]}”")


def relation_terms(t: FormTable, rel: str, sheet: str, cell: str):
    """(axis 'row'|'col', [(sign, label)] left, op, [(sign, label)] right) for one stated relation."""
    m = _RELATION.fullmatch(rel)
    left, op, right = m.group(1), OPS[m.group(2)], m.group(3)
    kinds = set(re.findall(r"栏|行|列", rel))
    if kinds == {"行"}:
        axis = "row"
    elif kinds and kinds <= {"栏", "列"}:
        axis = "col"
    elif kinds:
        raise FormError(f"工作表“{sheet}”{cell}：关系“{rel}”中行和栏混在一起，无法判断")
    elif t.kind == "long":
        axis = "row"
    elif t.col_numbers and not t.row_numbers:
        axis = "col"
    elif t.row_numbers and not t.col_numbers:
        axis = "row"
    else:
        raise FormError(f"工作表“{sheet}”{cell}：关系“{rel}”没有写明是行还是栏（如“第1栏=第2栏+第3栏”），"
                        f"而{t.code}的行和栏都有编号")
    numbers = t.row_numbers if axis == "row" else t.col_numbers

    def side(expr: str):
        out = []
        for sign, num in re.findall(r"([+\-]?)第?(\d+)(?:栏|行|列)?", expr):
            if num not in numbers:
                what = "行（序号）" if axis == "row" else "栏（栏号）"
                raise FormError(f"工作表“{sheet}”{cell}：关系“{rel}”中的 {num} 在{t.code}中找不到对应的{what}")
            out.append((sign or "+", numbers[num]))
        return out

    return axis, side(left), op, side(right)
