"""How a store made by an earlier gwstats is brought to the current schema when it is opened (each
step one transaction): schema 1 → 2 ``submissions.packed``; 2 → 3 the value rows as one row of
``submission_cells`` per submission; 3 → 4 the short entries of plain values (store/schema.py)."""

from __future__ import annotations

from gwstats.store.schema import SCHEMA_VERSION, VALUES_VIEW, pack_values


class Migrations:
    """Mixed into :class:`gwstats.store.db.Store` (its ``conn``, ``transaction`` and ``metric_ids``)."""

    def _has_packed_column(self) -> bool:
        return any(r[1] == "packed" for r in self.conn.execute("PRAGMA table_info(submissions)"))

    def _migrate_packed(self):
        """Schema 1 → 2: add ``submissions.packed`` and fill it from ``submission_values``."""
        with self.transaction() as c:
            if self._has_packed_column():  # another process migrated meanwhile
                return
            c.execute("ALTER TABLE submissions ADD COLUMN packed BLOB")
            self.backfill_packed(c)
            c.execute("INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))

    def _values_kind(self) -> str | None:
        row = self.conn.execute("SELECT type FROM sqlite_master WHERE name = 'submission_values'").fetchone()
        return row[0] if row else None

    def _cells_have_sheet(self) -> bool:
        return any(r[1] == "sheet" for r in self.conn.execute("PRAGMA table_info(submission_cells)"))

    def _migrate_cells(self):
        """Schema 2 → 3 → 4, one transaction, in SQLite. 2 → 3: a submission's value rows become one row
        of ``submission_cells`` in the order written (full entries), read as rows by the view
        ``submission_values``; 3 → 4: ``submission_cells.sheet`` and the view that reads short entries
        too (the entries written before are read as they were)."""
        with self.transaction() as c:
            if self._values_kind() == "table":  # not converted by another process meanwhile
                c.execute(
                    "INSERT INTO submission_cells (submission_id, cells, approx)"
                    " SELECT submission_id, json_group_object(metric, json_array(value, micro, state, approx, sheet, raw, cell)),"
                    " max(approx != 0) FROM (SELECT * FROM submission_values ORDER BY submission_id, rowid) GROUP BY submission_id")
                c.execute("DROP TABLE submission_values")
            if not self._cells_have_sheet():
                c.execute("ALTER TABLE submission_cells ADD COLUMN sheet TEXT")
                c.execute("DROP VIEW IF EXISTS submission_values")  # and its triggers
            for statement in VALUES_VIEW:  # the view and its triggers (IF NOT EXISTS)
                c.execute(statement)
            c.execute("INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))

    def backfill_packed(self, conn) -> int:
        """Write ``packed`` for every submission where it is NULL, from its value rows. Returns the count."""
        todo = [r[0] for r in conn.execute("SELECT id FROM submissions WHERE packed IS NULL ORDER BY id")]
        if not todo:
            return 0
        codes = [r[0] for r in conn.execute("SELECT DISTINCT metric FROM submission_values WHERE micro IS NOT NULL")]
        ids = self.metric_ids(conn, codes)
        order = "rowid" if self._values_kind() == "table" else "ord"  # as written: schema 1 is migrated as a table
        for k in range(0, len(todo), 10_000):  # in slices, to bound memory on a large store
            chunk = todo[k:k + 10_000]
            pairs: dict[int, list] = {sid: [] for sid in chunk}
            rows = conn.execute(
                "SELECT submission_id, metric, micro FROM submission_values"
                f" WHERE submission_id BETWEEN ? AND ? AND micro IS NOT NULL ORDER BY submission_id, {order}",
                (chunk[0], chunk[-1]),
            ).fetchall()
            for sid, metric, micro in rows:
                if sid in pairs:
                    pairs[sid].append((ids[metric], micro))
            conn.executemany("UPDATE submissions SET packed = ? WHERE id = ?", [(pack_values(p), sid) for sid, p in pairs.items()])
        return len(todo)

