"""The workspace store: one SQLite file holding units, submissions and values.

Values are kept exactly: ``value`` is the canonical decimal text and ``micro`` the same number
times 10**6 as an integer, so sums are exact and fast (no float ever enters a total).
A submission is in force while ``superseded_by`` is NULL; the latest accepted submission for
(unit, year, scope) is the one in force and earlier ones stay as history.
"""

from __future__ import annotations

import os
import sqlite3
import weakref
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path

from gwstats.model.hierarchy import Hierarchy, Unit
from gwstats.store.migrate import Migrations
from gwstats.store.queries import AnalysisQueries
from gwstats.store.schema import (  # noqa: F401  (the store's value encoding, read through this module too)
    MICRO, PACKED_RECORD, PACKED_SIZE, SCHEMA, SCHEMA_VERSION, SCOPES, VALUES_VIEW, SubmissionRecord, ValueRecord,
    encode_cells, from_micro, pack_numeric, pack_values, packed_dtype, to_micro, unpack_values)

BUSY_SECONDS = 60.0  # how long a writer waits for another one to finish its transaction
# the backend's own errors (a damaged or unusable store while a command runs): callers catch these,
# never sqlite3's, so that another backend only adds its error classes here
DB_ERRORS: tuple[type[Exception], ...] = (sqlite3.Error,)


def journal_mode_for(path: Path) -> str:
    """"wal" on a local disk; "delete" (a rollback journal) on a network file system, where
    SQLite's WAL (shared memory) does not work."""
    from gwstats.store.netpath import is_network_path

    return "delete" if is_network_path(path) else "wal"


_SQLITE_REASONS = (  # sqlite3 message fragment -> what to tell the user
    ("file is not a database", "不是 gwstats 数据库文件，或文件已损坏"),
    ("malformed", "文件已损坏（可能拷贝不完整或磁盘出错）"),
    ("readonly", "是只读的，无法写入（请检查文件或文件夹的权限，或是否在只读的U盘/光盘上）"),
    ("read-only", "是只读的，无法写入（请检查文件或文件夹的权限）"),
    ("unable to open", "无法打开（路径是文件夹，或没有读写权限）"),
    ("disk is full", "所在磁盘空间不足"),
    ("disk i/o error", "读写磁盘出错（可能是网络断开或磁盘故障）"),
    ("locked", "正被另一个程序长时间占用"),
    ("busy", "正被另一个程序长时间占用"),
)


def store_reason(exc: BaseException) -> str:
    """An sqlite3 error in Chinese, for a message that names the store file."""
    text = str(exc).lower()
    for fragment, reason in _SQLITE_REASONS:
        if fragment in text:
            return reason
    return f"无法使用（{exc}）"


def store_error(path, exc: BaseException):
    from gwstats.core.errors import StoreError

    return StoreError(f"数据库文件 {path} {store_reason(exc)}。工作区的数据没有改动")


OPENED: list[Path] = []  # stores opened by this process (the last one names the file in CLI messages)
LIVE: weakref.WeakSet = weakref.WeakSet()  # open stores, checkpointed when a command ends


def checkpoint_all():
    """Fold every open store's WAL into its file (the end of a command): copying gwstats.sqlite
    alone then keeps everything."""
    for store in list(LIVE):
        store.checkpoint()


class Store(Migrations, AnalysisQueries):
    def __init__(self, path: str | Path, *, create: bool = True):
        from gwstats.core.errors import StoreError

        self.path = Path(path)
        if self.path.is_dir():
            raise StoreError(f"数据库文件 {self.path} 是一个文件夹，不是数据库文件")
        if not create and not self.path.exists():
            raise StoreError(
                f"工作区中没有数据库文件 {self.path}（可能被移动、改名或删除）。请从备份恢复该文件；"
                "gwstats 不会自动新建空数据库，以免误以为数据丢失")
        try:
            empty = self.path.is_file() and self.path.stat().st_size == 0
        except OSError:
            empty = False
        if empty:  # a failed copy, a cloud-sync placeholder: never turned into a new empty store
            raise StoreError(
                f"数据库文件 {self.path} 是空的（0 字节，可能是复制失败或网盘尚未同步下来的占位文件）。请从备份恢复该文件；"
                "gwstats 不会往里写入，以免误以为数据丢失")
        OPENED.append(self.path)
        LIVE.add(self)
        try:
            self._open()
        except sqlite3.Error as exc:
            try:
                self.conn.close()
            except Exception:
                pass
            raise store_error(self.path, exc) from None

    def _open(self):
        self.conn = sqlite3.connect(str(self.path), isolation_level=None, timeout=BUSY_SECONDS)  # explicit transactions
        self.conn.execute("PRAGMA foreign_keys = ON")
        self.journal_mode = journal_mode_for(self.path)
        if self.conn.execute("PRAGMA journal_mode").fetchone()[0].lower() != self.journal_mode:
            self.conn.execute(f"PRAGMA journal_mode = {self.journal_mode}")
        self.conn.execute("PRAGMA synchronous = NORMAL" if self.journal_mode == "wal" else "PRAGMA synchronous = FULL")
        found = self._schema_version()
        if found is not None and found > SCHEMA_VERSION:
            from gwstats.core.errors import StoreError

            self.conn.close()
            raise StoreError(
                f"数据库文件 {self.path} 由更新版本的 gwstats 创建（数据库版本 {found}，本程序只支持到 {SCHEMA_VERSION}）。"
                "请升级 gwstats 后再使用；数据没有改动")
        # SCHEMA's CREATE ... IF NOT EXISTS is also the migration of the indexes: a store made before
        # submission_notes_submission (issue 23) gets it here, on its first open
        self.conn.executescript(SCHEMA)
        self._metric_ids: dict[str, int] = {}
        cur = self.conn.execute("SELECT value FROM meta WHERE key = 'schema_version'")
        if cur.fetchone() is None:
            self.conn.execute("INSERT INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))
        if not self._has_packed_column():
            self._migrate_packed()
        if self._values_kind() != "view" or not self._cells_have_sheet():
            self._migrate_cells()
        if not any(r[1] == "merged_into" for r in self.conn.execute("PRAGMA table_info(units)")):
            with self.transaction() as c:
                if not any(r[1] == "merged_into" for r in c.execute("PRAGMA table_info(units)")):
                    c.execute("ALTER TABLE units ADD COLUMN merged_into TEXT")
        if not any(r[1] == "arrived_at" for r in self.conn.execute("PRAGMA table_info(submissions)")):
            with self.transaction() as c:
                if not any(r[1] == "arrived_at" for r in c.execute("PRAGMA table_info(submissions)")):
                    c.execute("ALTER TABLE submissions ADD COLUMN arrived_at TEXT")

    def _schema_version(self) -> int | None:
        has_meta = self.conn.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name='meta'").fetchone()
        if not has_meta:
            return None
        row = self.conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        try:
            return int(row[0]) if row else None
        except (TypeError, ValueError):
            return None

    def metric_ids(self, conn, codes) -> dict[str, int]:
        """The numeric id of each metric code in ``metric_ids``, adding new codes. Call inside a transaction."""
        known = self._metric_ids
        new = [c for c in dict.fromkeys(codes) if c not in known]
        if new:
            conn.executemany("INSERT OR IGNORE INTO metric_ids (code) VALUES (?)", [(c,) for c in new])
            for start in range(0, len(new), 500):
                part = new[start:start + 500]
                q = f"SELECT code, id FROM metric_ids WHERE code IN ({','.join('?' * len(part))})"
                known.update(conn.execute(q, part).fetchall())
        return {c: known[c] for c in codes}

    @contextmanager
    def page_cache(self, kb: int):
        """SQLite's page cache at ``kb`` KB while a long transaction writes (then as it was)."""
        before = self.conn.execute("PRAGMA cache_size").fetchone()[0]
        self.conn.execute(f"PRAGMA cache_size = -{int(kb)}")
        try:
            yield
        finally:
            self.conn.execute(f"PRAGMA cache_size = {int(before)}")

    def checkpoint(self):
        """Fold the WAL into the store file (best effort: a reader holding it open only delays it)."""
        if getattr(self, "journal_mode", None) != "wal":
            return
        try:
            if not self.conn.in_transaction:
                self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        except sqlite3.Error:
            pass

    def backup(self, dest: str | Path):
        """One consistent copy of the store in ``dest`` (SQLite's online backup; written beside it under a
        temporary name and renamed when whole)."""
        dest = Path(dest)
        tmp = dest.with_name(f".{dest.name}.{os.getpid()}.tmp")
        try:
            out = sqlite3.connect(str(tmp))
            try:
                self.conn.backup(out)
                out.execute("PRAGMA journal_mode = delete")
            finally:
                out.close()
            os.replace(tmp, dest)
        finally:
            if tmp.exists():
                tmp.unlink()

    def __del__(self):  # a store dropped without close() (a command's Workspace going out of scope)
        if "conn" in self.__dict__:
            self.checkpoint()

    def close(self):
        self.checkpoint()
        self.conn.close()
        LIVE.discard(self)

    @contextmanager
    def snapshot(self):
        """A read transaction: every query inside sees the same state of the store, never part of
        another process's file. Nests; a write transaction inside is not allowed."""
        if getattr(self, "_snapshot_depth", 0) or self.conn.in_transaction:
            self._snapshot_depth = getattr(self, "_snapshot_depth", 0) + 1
            try:
                yield self.conn
            finally:
                self._snapshot_depth -= 1
            return
        self.conn.execute("BEGIN")
        self._snapshot_depth = 1
        try:
            yield self.conn
        finally:
            self._snapshot_depth = 0
            if self.conn.in_transaction:
                self.conn.execute("COMMIT")

    @contextmanager
    def transaction(self):
        """All or nothing: BEGIN IMMEDIATE … COMMIT, ROLLBACK on any exception."""
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.conn
        except BaseException:
            self.conn.execute("ROLLBACK")
            self._metric_ids.clear()  # ids added in this transaction are gone
            raise
        else:
            self.conn.execute("COMMIT")

    # ---- units -------------------------------------------------------------------------------
    def replace_units(self, units: list[Unit]):
        """Replace the units list; a unit that changes its parent is recorded in ``unit_moves`` (earlier
        years are then laid on the new hierarchy, and the outputs say 按现行隶属关系计算)."""
        with self.transaction() as c:
            before = dict(c.execute("SELECT code, parent FROM units").fetchall())
            moved = [(u.code, before[u.code], u.parent) for u in units
                     if u.code in before and (before[u.code] or None) != (u.parent or None)]
            if moved:
                import datetime as dt

                at = dt.datetime.now().isoformat(timespec="seconds")
                c.executemany("INSERT INTO unit_moves (code, old_parent, new_parent, moved_at) VALUES (?,?,?,?)",
                              [(*m, at) for m in moved])
            c.execute("DELETE FROM units")
            c.executemany(
                "INSERT INTO units (code, name, parent, aliases, level, active_from, active_to, ord, merged_into)"
                " VALUES (?,?,?,?,?,?,?,?,?)",
                [
                    (u.code, u.name, u.parent, "|".join(u.aliases), u.level, u.active_from, u.active_to, i, u.merged_into)
                    for i, u in enumerate(units)
                ],
            )

    def load_units(self) -> list[Unit]:
        rows = self.conn.execute(
            "SELECT code, name, parent, aliases, level, active_from, active_to, ord, merged_into FROM units ORDER BY ord"
        ).fetchall()
        return [
            Unit(code, name, parent, tuple(a for a in aliases.split("|") if a), level, af, at, ord_, merged)
            for code, name, parent, aliases, level, af, at, ord_, merged in rows
        ]

    def hierarchy(self) -> Hierarchy:
        return Hierarchy({u.code: u for u in self.load_units()})

    # ---- files and submissions ---------------------------------------------------------------
    def file_by_sha(self, sha256: str):
        return self.conn.execute("SELECT id, name, received_at FROM files WHERE sha256 = ?", (sha256,)).fetchone()

    def add_file(self, conn, *, sha256: str, name: str, size: int, stored_path: str, received_at: str, imported_by: str | None) -> int:
        cur = conn.execute(
            "INSERT INTO files (sha256, name, size, stored_path, received_at, imported_by) VALUES (?,?,?,?,?,?)",
            (sha256, name, size, stored_path, received_at, imported_by),
        )
        return cur.lastrowid

    def in_force(self, conn, unit: str, year: int, scope: str, total_row: bool = False):
        """The submission in force for (unit, year, scope); a 合计 row (``total_row``) and a real
        汇总 return of the same unit are kept side by side."""
        return conn.execute(
            "SELECT id FROM submissions WHERE unit=? AND year=? AND scope=? AND superseded_by IS NULL"
            " AND (source = 'total_row') = ?",
            (unit, year, scope, int(total_row)),
        ).fetchone()

    def add_submission(self, conn, file_id: int, sub: SubmissionRecord, *, received_at: str, imported_by: str | None,
                       arrived_at: str | None = None, in_force=...) -> tuple[int, int | None]:
        """Insert a submission, superseding the one in force for (unit, year, scope).

        ``in_force``: that submission's id (or None), when the caller looked it up in this transaction.
        Returns (new id, id of the superseded submission or None). Call inside ``transaction()``.
        """
        if sub.scope not in SCOPES:
            raise ValueError(f"scope must be one of {SCOPES}")
        old = self.in_force(conn, sub.unit, sub.year, sub.scope, sub.source == "total_row") if in_force is ... else (
            None if in_force is None else (in_force,))
        # the cells and the blob are made from the same micro values, so they cannot disagree
        values = sub.values
        cells, approx, numeric, sheet = encode_cells(values)
        try:
            packed = pack_numeric(numeric, self._metric_ids)
        except KeyError:  # a metric without its id yet
            self.metric_ids(conn, [m for m, _ in numeric])
            packed = pack_numeric(numeric, self._metric_ids)
        cur = conn.execute(
            "INSERT INTO submissions (file_id, unit, year, scope, source, sheet, received_at, imported_by, filled_by, phone,"
            " fill_date, packed, arrived_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (file_id, sub.unit, sub.year, sub.scope, sub.source, sub.sheet, received_at, imported_by, sub.filled_by, sub.phone,
             sub.fill_date, packed, arrived_at),
        )
        sid = cur.lastrowid
        if values:
            conn.execute("INSERT INTO submission_cells (submission_id, cells, approx, sheet) VALUES (?,?,?,?)",
                         (sid, cells, approx, sheet))
        if sub.notes:
            conn.executemany(
                "INSERT INTO submission_notes (submission_id, severity, code, message, sheet, cell) VALUES (?,?,?,?,?,?)",
                [(sid, *n) for n in sub.notes],
            )
        if old:
            conn.execute("UPDATE submissions SET superseded_by=? WHERE id=?", (sid, old[0]))
        return sid, (old[0] if old else None)

    def values_in_force(self, conn, unit: str, year: int, scope: str, total_row: bool = False) -> dict[str, tuple[str | None, str]]:
        """metric -> (value text, state) of the submission in force, for 'unchanged' checks."""
        rows = conn.execute(
            "SELECT v.metric, v.value, v.state FROM submission_values v JOIN submissions s ON s.id = v.submission_id"
            " WHERE s.unit=? AND s.year=? AND s.scope=? AND s.superseded_by IS NULL AND (s.source = 'total_row') = ?",
            (unit, year, scope, int(total_row)),
        ).fetchall()
        return {m: (v, st) for m, v, st in rows}

    # ---- queries of the import path, units, history (the store layer's API) ---------------------
    def returns_of_file(self, file_id: int) -> list[tuple]:
        """(unit, year, scope, sheet, source, number of values) of each submission of a file."""
        return self.conn.execute(
            "SELECT s.unit, s.year, s.scope, s.sheet, s.source, (SELECT count(*) FROM submission_values v WHERE v.submission_id = s.id)"
            " FROM submissions s WHERE s.file_id = ? ORDER BY s.id", (file_id,)).fetchall()

    def in_force_with_file(self, unit: str, year: int, scope: str, total_row: bool = False):
        """(submission id, file name, received_at) of the submission in force, or None."""
        return self.conn.execute(
            "SELECT s.id, f.name, s.received_at FROM submissions s JOIN files f ON f.id = s.file_id"
            " WHERE s.unit=? AND s.year=? AND s.scope=? AND s.superseded_by IS NULL AND (s.source = 'total_row') = ?",
            (unit, year, scope, int(total_row))).fetchone()

    def in_force_of_years(self, years) -> dict[tuple, tuple]:
        """(unit, year, scope, is a 合计 row) -> (submission id, file name, received_at) of every
        submission in force of ``years``: :meth:`in_force_with_file` for a file of many returns at once."""
        years = sorted({int(y) for y in years if y is not None})
        out: dict[tuple, tuple] = {}
        for unit, year, scope, total_row, sid, name, at in self.conn.execute(
                "SELECT s.unit, s.year, s.scope, s.source = 'total_row', s.id, f.name, s.received_at FROM submissions s"
                f" JOIN files f ON f.id = s.file_id WHERE s.year IN ({','.join('?' * len(years))}) AND s.superseded_by IS NULL"
                " ORDER BY s.id", years):
            out.setdefault((unit, year, scope, bool(total_row)), (sid, name, at))
        return out

    def units_in_force(self) -> list[tuple[str, str, int]]:
        """(unit code, name, submissions in force) of every unit with a return in force, by first import."""
        return self.conn.execute(
            "SELECT s.unit, coalesce(u.name, s.unit), count(*) FROM submissions s LEFT JOIN units u ON u.code = s.unit"
            " WHERE s.superseded_by IS NULL GROUP BY s.unit ORDER BY min(s.id)").fetchall()

    def has_year(self, year: int) -> bool:
        return self.conn.execute("SELECT 1 FROM submissions WHERE year = ? LIMIT 1", (year,)).fetchone() is not None

    def submissions_of(self, unit: str, year: int) -> list[tuple]:
        """(id, file name, received_at, scope, source, sheet, superseded_by, imported_by), 本级 first, then by id."""
        return self.conn.execute(
            "SELECT s.id, f.name, s.received_at, s.scope, s.source, s.sheet, s.superseded_by, s.imported_by"
            " FROM submissions s JOIN files f ON f.id = s.file_id WHERE s.unit=? AND s.year=?"
            " ORDER BY CASE s.scope WHEN '本级' THEN 0 ELSE 1 END, s.id",
            (unit, year)).fetchall()

    def values_of(self, sid: int) -> dict[str, tuple]:
        """metric -> (value, state, cell) of one submission."""
        return {m: (v, st, cell) for m, v, st, cell in self.conn.execute(
            "SELECT metric, value, state, cell FROM submission_values WHERE submission_id=?", (sid,))}

    def note_of(self, sid: int, code: str) -> str | None:
        row = self.conn.execute("SELECT message FROM submission_notes WHERE submission_id=? AND code=?", (sid, code)).fetchone()
        return row[0] if row else None

    def recent_files(self, limit: int) -> list[tuple]:
        """(id, name, size, received_at, imported_by, unit names, years) of the latest files."""
        return self.conn.execute(
            "SELECT f.id, f.name, f.size, f.received_at, f.imported_by,"
            " group_concat(DISTINCT coalesce(u.name, s.unit)), group_concat(DISTINCT s.year)"
            " FROM files f LEFT JOIN submissions s ON s.file_id = f.id LEFT JOIN units u ON u.code = s.unit"
            " GROUP BY f.id ORDER BY f.received_at DESC, f.id DESC LIMIT ?",
            (int(limit),),
        ).fetchall()

    def file_of_submission(self, sid: int):
        """(file name, stored path) of a submission's file, or None."""
        return self.conn.execute(
            "SELECT f.name, f.stored_path FROM submissions s JOIN files f ON f.id = s.file_id WHERE s.id = ?",
            (int(sid),)).fetchone()

    # ---- year locks ----------------------------------------------------------------------------
    def year_lock(self, year: int, conn=None):
        """(locked_by, computer, locked_at) of a locked year, or None."""
        return (conn or self.conn).execute(
            "SELECT locked_by, computer, locked_at FROM year_locks WHERE year = ?", (year,)).fetchone()

    def locked_years(self) -> dict[int, tuple]:
        return {y: (by, pc, at) for y, by, pc, at in self.conn.execute(
            "SELECT year, locked_by, computer, locked_at FROM year_locks ORDER BY year")}

    def lock_year(self, conn, year: int, locked_by: str | None, computer: str | None, locked_at: str):
        conn.execute("INSERT INTO year_locks (year, locked_by, computer, locked_at) VALUES (?,?,?,?)",
                     (year, locked_by, computer, locked_at))

    def unlock_year(self, conn, year: int):
        conn.execute("DELETE FROM year_locks WHERE year = ?", (year,))

    def copy_submission(self, conn, sid: int, *, received_at: str, imported_by: str | None,
                        note: tuple[str, str, str]) -> tuple[int, int | None]:
        """A new submission with the values of ``sid`` (same file), put in force; ``note`` is
        (severity, code, message). Returns (new id, id of the superseded one)."""
        row = conn.execute("SELECT file_id, unit, year, scope, source, sheet, filled_by, phone, fill_date FROM submissions"
                           " WHERE id = ?", (sid,)).fetchone()
        file_id, unit, year, scope, source, sheet, filled_by, phone, fill_date = row
        values = [ValueRecord(m, None if v is None else Decimal(v), st, bool(ap), sh, cell, raw)
                  for m, v, st, ap, sh, cell, raw in conn.execute(
                      "SELECT metric, value, state, approx, sheet, cell, raw FROM submission_values WHERE submission_id = ?"
                      " ORDER BY ord", (sid,))]
        sub = SubmissionRecord(unit, year, scope, values, source, sheet, filled_by, phone, fill_date,
                               notes=[(note[0], note[1], note[2], None, None)])
        return self.add_submission(conn, file_id, sub, received_at=received_at, imported_by=imported_by)

    def moved_units(self) -> list[str]:
        """Codes of units whose parent changed in some units import."""
        return [r[0] for r in self.conn.execute("SELECT DISTINCT code FROM unit_moves")]

    def years(self) -> list[int]:
        return [r[0] for r in self.conn.execute("SELECT DISTINCT year FROM submissions ORDER BY year")]

    def counts(self) -> dict[str, int]:
        c = self.conn
        return {
            "units": c.execute("SELECT count(*) FROM units").fetchone()[0],
            "files": c.execute("SELECT count(*) FROM files").fetchone()[0],
            "submissions": c.execute("SELECT count(*) FROM submissions").fetchone()[0],
            "values": c.execute("SELECT count(*) FROM submission_values").fetchone()[0],
        }
