"""``catalog from-template``: a metric catalog from the form the level above sent.

Every cell to be filled becomes a metric (code, Chinese name — ``学校·已建关工委数`` for a cross-tab
cell —, unit of measure, kind, group = the table or the 主栏 block). Metrics the current catalog
already has are matched, not duplicated; the relations the form states (``1=2+3``, ``其中`` rows not
above their total, a 合计 row or column equal to its parts) become check rules.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from gwstats.model.catalog import Catalog, parse_catalog
from gwstats.tables.grid import TOTAL_LABELS, FormCell, FormError, FormTable, clean_label, guess_unit, load_form
from gwstats.tables.relations import assign_help_relations, relation_terms
from gwstats.tables.finder import find_tables
from gwstats.core.text import label_key

AMOUNT_UNITS = ("万元", "元")


@dataclass
class DerivedMetric:
    code: str
    name: str
    unit: str
    kind: str
    group: str
    table: str
    row: str
    column: str
    cell: str  # sheet!cell of the form
    known: bool
    synonyms: list[str] = field(default_factory=list)
    aggregation: str = "sum"
    part_of: str = ""


@dataclass
class DerivedRule:
    code: str
    left: str
    operator: str
    right: str
    message: str
    origin: str  # 表内关系 1=2+3 / 其中 / 合计


@dataclass
class FormCatalog:
    form: str
    tables: list[FormTable]
    metrics: list[DerivedMetric]
    rules: list[DerivedRule]
    indicators: list[dict]
    known_rules: list[dict]

    def as_dict(self) -> dict:
        out: dict = {"version": 1, "name": f"由表格《{self.form}》生成的指标目录"}
        ms = []
        for m in self.metrics:
            d = {"code": m.code, "name": m.name, "unit": m.unit, "kind": m.kind, "group": m.group}
            if m.aggregation != "sum":
                d["aggregation"] = m.aggregation
            if m.synonyms:
                d["synonyms"] = m.synonyms
            for k in ("table", "row", "column", "part_of"):
                if getattr(m, k):
                    d[k] = getattr(m, k)
            ms.append(d)
        out["metrics"] = ms
        if self.indicators:
            out["indicators"] = self.indicators
        rules = [{"code": r.code, "left": r.left, "operator": r.operator, "right": r.right, "severity": "error",
                  "message": r.message} for r in self.rules] + self.known_rules
        if rules:
            out["rules"] = rules
        return out

    def toml(self) -> str:
        import tomli_w

        head = (f"# 由 gwstats catalog from-template 从《{self.form}》生成。\n"
                "# 可以直接编辑：改编码、名称、计量单位，增加同义词（报表中其他写法）。\n"
                "# table / row / column：指标在表格中的位置（所在表、主栏行、宾栏列）。\n\n")
        return head + tomli_w.dumps(self.as_dict())

    def catalog(self) -> Catalog:
        """The result as a Catalog (it loads as any catalog file would)."""
        return parse_catalog(self.toml(), f"<{self.form}>")

    def records(self) -> list[dict]:
        return [{"表": m.table, "编码": m.code, "指标": m.name, "计量单位": m.unit, "类型": "金额" if m.kind == "amount" else "计数",
                 "分组": m.group, "单元格": m.cell, "来源": "已有指标" if m.known else "新增"} for m in self.metrics]

    def rule_records(self) -> list[dict]:
        return [{"编码": r.code, "规则": f"{r.left} {r.operator} {r.right}", "依据": r.origin, "说明": r.message} for r in self.rules]

    def summary_line(self) -> str:
        known = sum(1 for m in self.metrics if m.known)
        kinds = {"long": "指标清单", "wide": "单位×指标表", "crosstab": "交叉表"}
        tabs = "、".join(f"{t.code}（{kinds[t.kind]}，{len(t.cells) if t.kind != 'wide' else len(t.col_labels)} 格）" for t in self.tables)
        return (f"《{self.form}》共 {len(self.tables)} 张表：{tabs}；指标 {len(self.metrics)} 个"
                f"（与现有目录相同的 {known} 个，新增 {len(self.metrics) - known} 个），校验规则 {len(self.rules)} 条")


def derive(path, base: Catalog) -> FormCatalog:
    path = Path(path)
    grids = load_form(path)
    tables, _notes = find_tables(grids)
    if not tables:
        raise FormError(f"表格 {path.name} 中没有找到要填写的统计表（需要“指标 | 数值”两列的清单，或有栏目名称的表格）")
    assign_help_relations(tables, grids)
    fc = FormCatalog(path.name, tables, [], [], [], [])
    used_codes: set[str] = set()
    used_names: dict[str, str] = {}
    where: dict[tuple[int, int], DerivedMetric] = {}  # (table index, cell index) -> metric
    multi = len(tables) > 1
    for ti, t in enumerate(tables, 1):
        cells = _cells_of(t)
        for ci, cell in enumerate(cells):
            m = _metric_for(t, ti, ci, cell, base, used_codes, multi)
            if label_key(m.name) in used_names:
                m.name = f"{t.code}·{m.name}"
                if label_key(m.name) in used_names:
                    raise FormError(f"工作表“{t.sheet}”{cell.ref}：“{m.name}”与 {used_names[label_key(m.name)]} 重名，无法区分")
            used_names[label_key(m.name)] = f"{t.sheet}!{cell.ref}"
            used_codes.add(m.code)
            fc.metrics.append(m)
            where[(ti, ci)] = m
        _rules_of(fc, t, ti, cells, where)
    codes = {m.code for m in fc.metrics}
    for ind in base.indicators.values():
        if set(ind.numerator.names) | set(ind.denominator.names) <= codes:
            d = {"code": ind.code, "name": ind.name, "numerator": ind.numerator.text, "denominator": ind.denominator.text,
                 "factor": float(ind.factor) if ind.factor != int(ind.factor) else int(ind.factor), "display": ind.display,
                 "group": ind.group}
            if ind.target is not None:
                d["target"] = ind.target
            if ind.synonyms:
                d["synonyms"] = list(ind.synonyms)
            fc.indicators.append(d)
    for r in base.rules:
        if set(r.left.names) | set(r.right.names) <= codes:
            fc.known_rules.append({"code": r.code, "left": r.left.text, "operator": r.operator, "right": r.right.text,
                                   "severity": r.severity, "message": r.message, "when_missing": r.when_missing})
    fc.catalog()  # the result must load as a catalog: a clash is reported now, not at the next import
    return fc


def _cells_of(t: FormTable) -> list[FormCell]:
    return t.cells


def _kind(unit: str) -> str:
    return "amount" if unit in AMOUNT_UNITS else "count"


def _metric_for(t: FormTable, ti: int, ci: int, cell: FormCell, base: Catalog, used: set[str], multi: bool) -> DerivedMetric:
    ref = f"{t.sheet}!{cell.ref}"
    if t.kind == "long":
        group = t.groups_of_rows.get(cell.row_label or "", "") or t.group
        candidates = [cell.name]
    elif t.kind == "wide":
        group = t.col_groups.get(cell.col_label or "", "") or t.group
        label = clean_label(cell.col_label)[0]
        candidates = [label, t.col_groups.get(cell.col_label or "", "") + label]
    else:
        group = t.groups_of_rows.get(cell.row_label or "", "") or t.group  # the 主栏 block, else the table
        row, col = cell.row_label or "", clean_label(cell.col_label or "")[0]
        candidates = [cell.name]
        if row in TOTAL_LABELS:
            candidates.append(col)
        if col in TOTAL_LABELS:
            candidates.append(row)
    place = {"table": t.code if multi or t.kind == "crosstab" else "", "row": cell.row_label if t.kind == "crosstab" else "",
             "column": clean_label(cell.col_label)[0] if t.kind == "crosstab" and cell.col_label else "",
             "part_of": t.sub_rows.get(cell.row_label or "", "") if t.kind == "crosstab" else ""}
    for cand in candidates:
        code = base.match_label(cand)
        if code in base.metrics and code not in used:
            km = base.metrics[code]
            syn = list(km.synonyms)
            if label_key(cell.name) != label_key(km.name) and cell.name not in syn:
                syn.append(cell.name)
            if cell.unit and cell.unit != km.unit:
                raise FormError(f"工作表“{t.sheet}”{cell.ref}：“{cell.name}”的计量单位是“{cell.unit}”，"
                                f"而现有目录中的“{km.name}”以“{km.unit}”计；请核对后在目录中改正一处")
            return DerivedMetric(code, km.name, km.unit, km.kind, group or km.group, **place, cell=ref, known=True,
                                 synonyms=syn, aggregation=km.aggregation)
    unit = cell.unit or guess_unit(clean_label(cell.col_label or cell.name)[0]) or guess_unit(cell.name)
    if not unit:
        raise FormError(f"工作表“{t.sheet}”{cell.ref}：无法确定“{cell.name}”的计量单位（表中没有计量单位栏，名称中也看不出）；"
                        "请在表格中加上计量单位（如“（个）”）后重试")
    if t.kind == "crosstab":
        i = t.row_labels.index(cell.row_label) + 1
        j = t.col_labels.index(cell.col_label) + 1
        code = f"t{ti}_r{i}_c{j}"
    else:
        code = f"t{ti}_{ci + 1}"
    return DerivedMetric(code, cell.name, unit, _kind(unit), group, **place, cell=ref, known=False)


def _rules_of(fc: FormCatalog, t: FormTable, ti: int, cells: list[FormCell], where):
    if t.kind == "wide":
        return
    n = [0]

    def code_at(row: str, col: str | None) -> str | None:
        for ci, c in enumerate(cells):
            if c.row_label == row and (col is None or c.col_label == col):
                return where[(ti, ci)].code
        return None

    def name_of(code: str) -> str:
        return next(m.name for m in fc.metrics if m.code == code)

    def add(left: list[tuple[str, str]], op: str, right: list[tuple[str, str]], origin: str):
        if any(c is None for _, c in left + right):
            return
        n[0] += 1
        expr = lambda side: " ".join(f"{s} {c}" if k else (c if s == "+" else f"-{c}") for k, (s, c) in enumerate(side)).replace("+ -", "-")
        words = {"==": "应等于", "<=": "不应大于", ">=": "不应小于", "<": "应小于", ">": "应大于"}[op]
        text = lambda side: "".join(("" if k == 0 and s == "+" else s) + name_of(c) for k, (s, c) in enumerate(side))
        fc.rules.append(DerivedRule(f"t{ti}_rule{n[0]}", expr(left), op, expr(right),
                                    f"{t.code}：{text(left)}{words}{text(right)}（{origin}）", origin))

    cols = t.col_labels if t.kind == "crosstab" else [None]
    # 其中 rows are part of their total
    for sub, total in t.sub_rows.items():
        for col in cols:
            add([("+", code_at(sub, col))], "<=", [("+", code_at(total, col))], "其中项不大于总数")
    if t.kind == "crosstab":
        parts = [r for r in t.row_labels if r not in t.total_rows and r not in t.sub_rows]
        for total in t.total_rows:
            if len(parts) >= 2:
                for col in cols:
                    add([("+", code_at(total, col))], "==", [("+", code_at(p, col)) for p in parts], f"{total}行等于各行之和")
        for total in t.total_cols:
            group = t.col_groups.get(total)
            others = [c for c in t.col_labels if c != total and c not in t.total_cols and t.col_groups.get(c) == group]
            units = {cl.unit for cl in cells if cl.col_label in others + [total]}
            if len(others) >= 2 and len(units) == 1:
                for row in t.row_labels:
                    add([("+", code_at(row, total))], "==", [("+", code_at(row, c)) for c in others], f"{total}栏等于各栏之和")
    for rel, sheet, cell in t.relations:
        axis, left, op, right = relation_terms(t, rel, sheet, cell)
        if t.kind == "long":
            add([(s, code_at(lab, None)) for s, lab in left], op, [(s, code_at(lab, None)) for s, lab in right], f"表内关系 {rel}")
        elif axis == "row":
            for col in cols:
                add([(s, code_at(lab, col)) for s, lab in left], op, [(s, code_at(lab, col)) for s, lab in right], f"表内关系 {rel}")
        else:
            for row in t.row_labels:
                add([(s, code_at(row, lab)) for s, lab in left], op, [(s, code_at(row, lab)) for s, lab in right], f"表内关系 {rel}")


def write_catalog(fc: FormCatalog, output) -> Path:
    from gwstats.core.output import write_whole

    text = fc.toml()
    return write_whole(output, lambda p: p.write_text(text, encoding="utf-8"))
