"""The store layer's read queries for the analyses: rollup, check, status, trace, workbook, demo.

Part of the store layer (with gwstats/store.py, which owns the connection, the schema, transactions
and the write path): every SQL statement of gwstats lives in these two modules, so another backend
(a PostgreSQL store, say) implements these methods and nothing outside the store changes.
``Store`` inherits them; callers write ``ws.store.returns_with_rates(year, codes)``.

Each method has one job and is named for what it returns: plain Python values (lists of tuples,
dicts, ints, bytes), never a cursor. The SQL here may use SQLite's own syntax (temporary tables,
``INSERT OR IGNORE``, ``rowid``); what a method returns is the contract, not how it asks.
"""

from __future__ import annotations

from contextlib import contextmanager

_CHUNK = 500  # parameters per ``IN (...)`` list: well under SQLite's limit


def _marks(n: int) -> str:
    return ",".join("?" * n)


class AnalysisQueries:
    """Read queries, mixed into ``Store`` (they use its ``conn``). Run them inside
    ``Store.snapshot()`` (``Workspace.snapshot()``) when several must see one state."""

    conn = None  # set by Store

    @contextmanager
    def _keyed(self, table: str, columns: str, rows, options: str = ""):
        """A temporary table of lookup keys (emptied again afterwards), joined by one query instead of
        one query per key or an ``IN`` list beyond SQLite's parameter limit."""
        c = self.conn
        before = c.total_changes
        c.execute(f"CREATE TEMP TABLE IF NOT EXISTS {table} ({columns}){options}")
        c.execute(f"DELETE FROM {table}")
        c.executemany(f"INSERT OR IGNORE INTO {table} VALUES ({_marks(columns.count(',') + 1)})", rows)
        try:
            yield table
        finally:
            c.execute(f"DELETE FROM {table}")
            # scratch rows are no change of the store (change_key leaves them out)
            self._scratch_changes = getattr(self, "_scratch_changes", 0) + c.total_changes - before

    # ---- units -------------------------------------------------------------------------------
    def change_key(self) -> tuple:
        """Moves whenever the store may have changed: another connection committed (data_version) or
        this one wrote (total_changes, less its rows in the temporary lookup tables). What is read from
        an unchanged store can be kept."""
        return (id(self.conn), self.conn.execute("PRAGMA data_version").fetchone()[0],
                self.conn.total_changes - getattr(self, "_scratch_changes", 0))

    def unit_tree_rows(self) -> list[tuple]:
        """(code, name, parent, level, active_from, active_to) of every unit, in the units file's order."""
        return self.conn.execute(
            "SELECT code, name, parent, level, active_from, active_to FROM units ORDER BY ord").fetchall()

    def merged_units(self) -> list[tuple[str, str]]:
        """(old code, code it was merged into) from the units list (并入 / 前身 columns)."""
        return self.conn.execute(
            "SELECT code, merged_into FROM units WHERE merged_into IS NOT NULL AND merged_into != code").fetchall()

    # ---- one year's values for the rollup ------------------------------------------------------
    def metric_id_codes(self) -> list[tuple[int, str]]:
        """(id, code) of every metric id used in ``submissions.packed``."""
        return self.conn.execute("SELECT id, code FROM metric_ids").fetchall()

    def packed_in_force(self, year: int) -> list[tuple[int, str, str, str, bytes | None]]:
        """(submission id, unit, scope, source, packed values or None) of the year's submissions in force,
        by id (all at once: :meth:`packed_in_force_chunks` is what the rollup reads)."""
        return [row for part in self.packed_in_force_chunks(year) for row in part]

    def packed_in_force_chunks(self, year: int, size: int = 10_000):
        """The year's in-force submissions as :meth:`packed_in_force` gives them, ``size`` rows at a time:
        a province's 96,000 blobs never all held as Python objects at once."""
        where, args = self._year_rows(year)
        cur = self.conn.execute(
            f"SELECT id, unit, scope, source, packed FROM submissions WHERE {where} AND superseded_by IS NULL ORDER BY id",
            args)
        while True:
            part = cur.fetchmany(size)
            if not part:
                return
            yield part

    def _year_rows(self, year: int) -> tuple[str, tuple]:
        """A WHERE clause (and its parameters) for the submissions of the year, read in rowid order: the
        rows between the year's first and last id (``+year``: not through the index) where they lie
        close together — a year is imported as a whole, so on a province 0.15 s instead of 0.18 s —
        else the year's ids from the (year, unit, scope) index and the rows by id. Reading the rows in
        the index's order jumps about the table (0.37 s). The bounds are taken inside the statement
        that reads the rows (one snapshot: an import committed in between is wholly in or out); this
        first look only chooses the way."""
        lo, hi, n = self.conn.execute("SELECT min(id), max(id), count(*) FROM submissions WHERE year = ?",
                                      (year,)).fetchone()
        if n and 2 * n >= hi - lo + 1:  # at most as many other rows in between as the year's own
            return ("id BETWEEN (SELECT min(id) FROM submissions WHERE year = ?)"
                    " AND (SELECT max(id) FROM submissions WHERE year = ?) AND +year = ?", (year, year, year))
        return "id IN (SELECT id FROM submissions WHERE year = ?)", (year,)

    def numeric_values_of(self, sids: list[int]) -> list[tuple[int, str, int]]:
        """(submission id, metric, micro) of the numeric value rows of these submissions (for those
        written without a packed blob)."""
        out = []
        for start in range(0, len(sids), _CHUNK):
            part = sids[start:start + _CHUNK]
            out += self.conn.execute(
                f"SELECT submission_id, metric, micro FROM submission_values WHERE micro IS NOT NULL"
                f" AND submission_id IN ({_marks(len(part))})", part).fetchall()
        return out

    def approx_in_force(self, year: int) -> list[tuple[str, str, str]]:
        """(unit, scope, metric) of the year's in-force numeric values written approximately (800多).
        Rare: one small query through the partial index on ``submission_cells.approx``."""
        return self.conn.execute(  # the submissions marked as holding one first (partial index), then their cells
            "SELECT s.unit, s.scope, v.metric FROM submission_cells c CROSS JOIN submissions s ON s.id = c.submission_id"
            " JOIN submission_values v ON v.submission_id = c.submission_id"
            " WHERE c.approx = 1 AND v.approx = 1 AND v.micro IS NOT NULL AND s.year = ? AND s.superseded_by IS NULL", (year,)
        ).fetchall()

    def units_with_note(self, year: int, note: str, scope: str) -> list[str]:
        """Units whose in-force ``scope`` return of the year carries a note with this code."""
        return [u for (u,) in self.conn.execute(
            "SELECT DISTINCT s.unit FROM submissions s JOIN submission_notes n ON n.submission_id = s.id"
            " WHERE s.year = ? AND s.superseded_by IS NULL AND s.scope = ? AND n.code = ?",
            (year, scope, note))]

    def units_reporting_any(self, year: int, metrics: list[str]) -> int:
        """How many units have a value of any of these metrics in a return in force for the year."""
        return self.conn.execute(
            "SELECT count(DISTINCT s.unit) FROM submissions s JOIN submission_values v ON v.submission_id = s.id"
            f" WHERE s.year = ? AND s.superseded_by IS NULL AND v.metric IN ({_marks(len(metrics))})",
            (year, *metrics)).fetchone()[0]

    # ---- where figures were written (check, trace, workbook) -------------------------------------
    def cells_in_force(self, year: int, keys) -> dict[tuple[str, str, str], tuple]:
        """(unit, scope, metric) -> (file name, sheet, cell, text as found) of the value in force, for
        the keys that have one."""
        keys = list(dict.fromkeys(keys))
        if not keys:
            return {}
        with self._keyed("_gw_loc", "unit TEXT, scope TEXT, metric TEXT", keys) as t:
            # CROSS JOIN: from the keys to their submissions by index; left to itself SQLite read every
            # value of the year's returns (2.5 s for 1,000 keys on a province, 0.04 s this way)
            rows = self.conn.execute(
                f"SELECT l.unit, l.scope, l.metric, f.name, v.sheet, v.cell, v.raw FROM {t} l"
                " CROSS JOIN submissions s ON s.year = ? AND s.unit = l.unit AND s.scope = l.scope AND s.superseded_by IS NULL"
                " JOIN submission_values v ON v.submission_id = s.id AND v.metric = l.metric"
                " JOIN files f ON f.id = s.file_id",
                (year,),
            ).fetchall()
        return {(u, sc, m): (fname, sheet, cell, raw) for u, sc, m, fname, sheet, cell, raw in rows}

    def values_with_sources(self, year: int, units, limit: int) -> tuple[list[tuple], int]:
        """The first ``limit`` values (by submission, then as written) of the year's in-force returns
        of these units, each (unit, scope, source, metric, value, state, file name, sheet, cell, text
        as found, received_at); and how many such values there are in all."""
        with self._keyed("_gw_sub", "code TEXT PRIMARY KEY", ((c,) for c in units), " WITHOUT ROWID") as t:
            where = (f" FROM submissions s JOIN {t} u ON u.code = s.unit JOIN submission_values v ON v.submission_id = s.id"
                     " JOIN files f ON f.id = s.file_id WHERE s.year = ? AND s.superseded_by IS NULL")
            picked = self.conn.execute(
                "SELECT s.unit, s.scope, s.source, v.metric, v.value, v.state, f.name, v.sheet, v.cell, v.raw, s.received_at"
                + where + " ORDER BY s.id, v.ord LIMIT ?",
                (year, limit),
            ).fetchall()
            total = len(picked)
            if total == limit:
                total = self.conn.execute("SELECT count(*)" + where, (year,)).fetchone()[0]
        return picked, total

    def metric_versions(self, year: int, metrics: list[str], units=None) -> list[tuple]:
        """Every stored value of these metrics in the year, in force or not, by arrival:
        (submission id, unit, scope, source, file name, sheet, cell, text as found, value, state,
        received_at, superseded_by); only of ``units`` when given."""
        cols = ("SELECT s.id, s.unit, s.scope, s.source, f.name, v.sheet, v.cell, v.raw, v.value, v.state, s.received_at,"
                " s.superseded_by FROM ")
        values = (" JOIN files f ON f.id = s.file_id"
                  f" JOIN submission_values v ON v.submission_id = s.id AND v.metric IN ({_marks(len(metrics))})")
        if units is None:
            return self.conn.execute(cols + "submissions s" + values + " WHERE s.year = ? ORDER BY s.received_at, s.id",
                                     (*metrics, year)).fetchall()
        with self._keyed("_gw_sub", "code TEXT PRIMARY KEY", ((c,) for c in units), " WITHOUT ROWID") as t:
            # CROSS JOIN: from the units to their submissions by index (a county's 700 units of a
            # province's 96,000 returns: 0.44 s reading the whole year, 0.004 s this way)
            return self.conn.execute(
                cols + f"{t} u CROSS JOIN submissions s ON s.year = ? AND s.unit = u.code" + values
                + " ORDER BY s.received_at, s.id", (year, *metrics)).fetchall()

    # ---- rates written in returns (check) ----------------------------------------------------------
    def written_rates(self, year: int, indicators: list[str]) -> list[tuple]:
        """(submission id, unit, scope, indicator, value, text as found, sheet, cell, file name) of every
        rate written in a return in force for the year."""
        # every value written (not blank, not n/a) has its code in metric_ids (Store.add_submission, the
        # packed blob): none of these codes there, no rate written anywhere, and the lookup of each of the
        # year's returns (0.8 s on a province that sent a form export without rates) is spared
        if not self.conn.execute(f"SELECT 1 FROM metric_ids WHERE code IN ({_marks(len(indicators))}) LIMIT 1",
                                 indicators).fetchone():
            return []
        return self.conn.execute(
            "SELECT s.id, s.unit, s.scope, v.metric, v.value, v.raw, v.sheet, v.cell, f.name"
            " FROM submissions s JOIN submission_values v ON v.submission_id = s.id JOIN files f ON f.id = s.file_id"
            # the metric first: each value's other fields are read from its JSON only when it is one of them
            f" WHERE s.year = ? AND s.superseded_by IS NULL AND v.metric IN ({_marks(len(indicators))}) AND v.value IS NOT NULL",
            (year, *indicators),
        ).fetchall()

    def values_of_returns_with(self, year: int, metrics: list[str]) -> dict[int, dict[str, str]]:
        """submission id -> {metric: value text} of the year's in-force returns that hold any of these
        metrics (all their values that are not blank or not applicable)."""
        out: dict[int, dict[str, str]] = {}
        for sid, metric, value in self.conn.execute(
            "SELECT v.submission_id, v.metric, v.value FROM submission_values v WHERE v.value IS NOT NULL AND v.submission_id IN"
            " (SELECT s.id FROM submissions s JOIN submission_values r ON r.submission_id = s.id"
            f"  WHERE s.year = ? AND s.superseded_by IS NULL AND r.metric IN ({_marks(len(metrics))}))",
            (year, *metrics),
        ):
            out.setdefault(sid, {})[metric] = value
        return out

    # ---- who reported (status) ---------------------------------------------------------------------
    def submissions_of_year(self, year: int) -> list[tuple]:
        """(unit, arrived_at, superseded_by, filled_by, phone, fill_date) of every submission of the
        year, in force or not, by import time."""
        # the year's rows in rowid order (see _year_rows), then sorted
        where, args = self._year_rows(year)
        return self.conn.execute(
            "SELECT unit, arrived_at, superseded_by, filled_by, phone, fill_date FROM submissions"
            f" WHERE {where} ORDER BY received_at, id", args).fetchall()

    def huizong_returns_in_force(self, year: int) -> set[str]:
        """Units with a 汇总 return (not a row of a summary sheet) in force for the year."""
        return {u for (u,) in self.conn.execute(
            "SELECT unit FROM submissions WHERE id IN (SELECT id FROM submissions WHERE year = ? AND scope = '汇总')"
            " AND superseded_by IS NULL AND source = 'return'", (year,))}

    def fill_date_of(self, sid: int) -> str | None:
        """The 填报日期 written on a submission (as written), or None."""
        row = self.conn.execute("SELECT fill_date FROM submissions WHERE id = ?", (sid,)).fetchone()
        return row[0] if row else None

    def contacts_before(self, year: int, units) -> list[tuple]:
        """(unit, year, filled_by, phone) of these units' returns of earlier years that name a 填报人 or
        a phone, latest first."""
        units = list(units)
        if not units:
            return []
        with self._keyed("_gw_units", "code TEXT PRIMARY KEY", [(c,) for c in units]) as t:
            # the earlier years' rows in rowid order (see packed_in_force), each unit looked up in the keys
            return self.conn.execute(
                "SELECT s.unit, s.year, s.filled_by, s.phone FROM submissions s"
                f" WHERE s.id IN (SELECT id FROM submissions WHERE year < ?) AND s.unit IN (SELECT code FROM {t})"
                " AND (s.filled_by IS NOT NULL OR s.phone IS NOT NULL)"
                " ORDER BY s.year DESC, s.received_at DESC, s.id DESC",
                (year,),
            ).fetchall()

    def unit_count(self) -> int:
        """Units in the list (a page knows a province's size without reading its 100,000 units)."""
        return self.conn.execute("SELECT count(*) FROM units").fetchone()[0]

    def unit_aliases(self, codes: list[str] | None = None) -> dict[str, list[str]]:
        """{code: aliases} of ``codes`` (every unit with aliases when None)."""
        if codes is None:
            rows = self.conn.execute("SELECT code, aliases FROM units WHERE aliases != ''")
        else:
            marks = ",".join("?" * len(codes))
            rows = self.conn.execute(f"SELECT code, aliases FROM units WHERE code IN ({marks}) AND aliases != ''", codes)
        return {code: [a for a in aliases.split("|") if a] for code, aliases in rows}

    def unit_names(self, codes: list[str]) -> dict[str, str]:
        """{code: name} of those of ``codes`` in the list (a unit given by its code needs no hierarchy)."""
        marks = ",".join("?" * len(codes))
        return dict(self.conn.execute(f"SELECT code, name FROM units WHERE code IN ({marks})", list(codes)))
