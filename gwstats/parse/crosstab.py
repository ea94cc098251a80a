"""Cross-tab tables (主栏 rows × 宾栏 columns) read in their own shape, for catalogs that describe them.

A catalog made by ``catalog from-template`` from a cross-tab form gives each cell's metric a
``table``, ``row`` and ``column``. A sheet holding such a table is read by its row and column
labels, so rows or columns in another order and extra blank rows do not matter; a column or row of
the catalog's table that the sheet lacks is named in a warning.
"""

from __future__ import annotations

from gwstats.core.errors import Finding
from gwstats.tables.grid import FormError, Grid, clean_label
from gwstats.tables.finder import find_tables, metric_for_cell
from gwstats.read.reader import Sheet
from gwstats.parse.context import Context
from gwstats.parse.parsed import Value

SCAN_ROWS, SCAN_COLS = 2000, 200  # a cross-tab of a return is a page or two, never a data dump
MAX_MERGED_CELLS = 10_000


def has_crosstabs(catalog) -> bool:
    cached = getattr(catalog, "_crosstab_tables", None)
    if cached is None:
        cached = {}
        for m in catalog.metrics.values():
            if m.row and m.column:
                t = cached.setdefault(m.table, {"rows": [], "cols": []})
                if m.row not in t["rows"]:
                    t["rows"].append(m.row)
                if m.column not in t["cols"]:
                    t["cols"].append(m.column)
        catalog._crosstab_tables = cached
    return bool(cached)


def read(sheet: Sheet, ctx: Context) -> tuple[list[Value], list[Finding], list[range]]:
    """(values, findings, row spans) of the catalog's cross-tabs in the sheet (spans 0-based, header
    to last row, so that a list read from the same sheet leaves those rows alone)."""
    if not has_crosstabs(ctx.catalog):
        return [], [], []
    known = ctx.catalog._crosstab_tables
    columns = {c for t in known.values() for c in t["cols"]}
    rows = sheet.rows[:SCAN_ROWS]
    # cheap test first: a sheet without any of the catalog's column headings holds none of its tables
    seen: set[str] = set()
    hit = False
    for row in rows:
        for v in row[:SCAN_COLS]:
            if isinstance(v, str) and 0 < len(v) <= 60 and v not in seen:
                seen.add(v)
                if clean_label(v)[0] in columns:
                    hit = True
                    break
        if hit:
            break
    if not hit:
        return [], [], []
    merged = [m for m in sheet.merged if m[0] < SCAN_ROWS and (m[2] - m[0] + 1) * (m[3] - m[1] + 1) <= MAX_MERGED_CELLS]
    grid = Grid(sheet.name, rows, merged, set())
    skipped: list = []
    try:
        tables, _ = find_tables([grid], lists=False, skipped_grids=skipped)
    except FormError as exc:
        return [], [ctx.finding("error", "crosstab-ambiguous", str(exc), sheet.name)], []
    values: list[Value] = []
    findings: list[Finding] = []
    for exc, heads in skipped:  # a grid that could not be read: an error only if it was one of the catalog's tables
        if heads & columns:
            findings.append(ctx.finding("error", "crosstab-ambiguous", str(exc), sheet.name))
    spans: list[range] = []
    for t in tables:
        if t.kind != "crosstab":
            continue
        codes = {}
        for cell in t.cells:
            code = metric_for_cell(ctx.catalog, t, cell)
            m = ctx.catalog.metrics.get(code) if code else None
            if m is not None and m.row and m.column:
                codes[(cell.row, cell.col)] = (code, cell)
        if not codes:
            continue
        spans.append(range(t.top, t.bottom + 1))
        first_code = next(iter(codes.values()))[0]
        spec = known.get(ctx.catalog.metrics[first_code].table)
        for (r, c), (code, cell) in codes.items():
            v = ctx.read_value(sheet, r, c, code, cell.name, cell.unit, findings)
            if v is not None:
                values.append(v)
        if spec:
            have_cols = {clean_label(c)[0] for c in t.col_labels}
            missing_cols = [c for c in spec["cols"] if c not in have_cols]
            missing_rows = [r for r in spec["rows"] if r not in t.row_labels]
            if missing_cols:
                findings.append(ctx.finding("warning", "crosstab-missing-column",
                                            f"表中没有“{'”“'.join(missing_cols)}”栏，这些格未导入（按未填报处理）", sheet.name))
            if missing_rows:
                findings.append(ctx.finding("warning", "crosstab-missing-row",
                                            f"表中没有“{'”“'.join(missing_rows)}”行，这些格未导入（按未填报处理）", sheet.name))
    return values, findings, spans
