"""Import received returns: paths -> ImportReport. One file = one transaction, all or nothing.

No pandas here: reading is python-calamine cell by cell, parsing is plain Python, writing is one
SQLite transaction per file with executemany.
"""

from __future__ import annotations

import datetime as dt
import gc
import re
from contextlib import contextmanager, nullcontext
from pathlib import Path

from gwstats.core.errors import Finding, os_reason
from gwstats.ingest.paths import expand_paths, is_revision
from gwstats.ingest.pool import load_files, worker_count
from gwstats.ingest.loading import Loaded
from gwstats.ingest.report import ImportReport
from gwstats.parse.context import Context
from gwstats.parse.parsed import ParsedReturn, split_scope_key
from gwstats.read.reader import shutdown_worker
from gwstats.ingest.staging import close_stage, open_stage
from gwstats.store.db import DB_ERRORS, SubmissionRecord, store_reason
from gwstats.store.years import lock_text, unlock_hint

# ---- the import ----------------------------------------------------------------------------------


def _check_locks(loaded: list[Loaded], store):
    """A file holding a return of a locked year (年度封账) is refused, naming the lock."""
    locks = store.locked_years()
    if not locks:
        return
    for ld in loaded:
        res = ld.result
        if res.status != "accepted":
            continue
        for y in sorted({r.year for r in ld.returns if r.year in locks}):
            res.reject(Finding("error", "year-locked", f"{lock_text(y, locks[y])}，不能再导入该年度的报表。{unlock_hint(y)}",
                               file=res.name))


def _batch_conflicts(loaded: list[Loaded], ctx: Context, keep_existing: bool = False):
    """Two files of the batch for the same (unit, year, scope) with different values."""
    by_key: dict[tuple, list[tuple[Loaded, ParsedReturn]]] = {}
    for ld in loaded:
        if ld.result.status != "accepted":
            continue
        for r in ld.returns:
            by_key.setdefault(r.key, []).append((ld, r))
    for key, entries in by_key.items():
        files = list(dict.fromkeys(id(ld) for ld, _ in entries))
        if len(files) < 2:
            continue
        maps = [r.value_map() for _, r in entries]
        if all(m == maps[0] for m in maps[1:]):
            continue
        unit, year, scope = key
        what = f"{ctx.h.name(unit)} {year} 年{scope}报表"
        lds = list({id(ld): ld for ld, _ in entries}.values())
        revisions = [ld for ld in lds if is_revision(ld.result.path)]
        newest = _newest_by_date(entries)
        if not keep_existing and (len(revisions) == 1 or newest is not None):
            winner = revisions[0] if len(revisions) == 1 else newest
            winner.rank = 1
            others = [ld for ld in lds if ld is not winner]
            names = "、".join(f"《{ld.result.name}》" for ld in others)
            why = "本修改版" if len(revisions) == 1 else "填报日期最晚的本文件"
            winner.result.notes.append(f"{what}与同批次的{names}不同，以{why}为准（先导入其他版本，再由本文件替换）")
            for ld in others:
                ld.result.notes.append(f"{what}随后被同批次的修改版《{winner.result.name}》替换")
        else:
            names = "、".join(f"《{ld.result.name}》" for ld in lds)
            for ld in lds:
                ld.result.reject(Finding(
                    "error", "batch-conflict",
                    f"{names}都是{what}，数值不同，无法判断以哪份为准，均未导入（文件名含“修改”“更正”“修订”“补报”“最终”“终版”之一的一份会被当作修改版）；请只导入正确的一份",
                    file=ld.result.name))


def _newest_by_date(entries) -> Loaded | None:
    """The one file of a batch conflict whose 填报日期 is later than every other's, else None."""
    dated = [(_date_of(r.fill_date), ld) for ld, r in entries]
    if any(d is None for d, _ in dated):
        return None
    top = max(d for d, _ in dated)
    winners = {id(ld): ld for d, ld in dated if d == top}
    return next(iter(winners.values())) if len(winners) == 1 else None


class _LockedMeanwhile(Exception):
    """The year was locked by another clerk between reading and writing the file."""


def _now() -> str:
    return dt.datetime.now().replace(microsecond=0).isoformat()


def _user() -> str | None:
    try:
        import getpass

        return getpass.getuser()
    except Exception:
        return None


def _record(r: ParsedReturn) -> SubmissionRecord:
    return SubmissionRecord(
        unit=r.unit, year=r.year, scope=r.scope, source=r.source, sheet=r.sheet,
        values=r.values,  # parser Values have ValueRecord's fields (metric, value, state, approx, sheet, cell, raw)
        filled_by=r.filled_by, phone=r.phone, fill_date=r.fill_date,
        notes=[(f.severity, f.code, f.message, f.sheet, f.cell) for f in r.findings if f.severity != "error"]
        + _scope_note(r),
    )


def _scope_note(r: ParsedReturn) -> list[tuple]:
    """A stored mark (not shown at import): no 口径 on a return of a unit with subordinates; the
    rollup reads it as 汇总 or 本级 from the figures (analysis/load.py), checks say which."""
    if r.scope_stated:
        return []
    return [("info", "scope-missing", "报表没有填写口径，按数字判断本级或汇总", r.sheet, None)]


def import_paths(ws, paths, year: int | None = None, unit: str | None = None, dry_run: bool = False,
                 keep_existing: bool = False, progress=None, max_mb: float | None = None,
                 replace: bool = False, received: str | None = None, imported_by: str | None = None) -> ImportReport:
    """Import returns from files, folders and globs.

    ``replace``: accept a new version even when it lacks most of the values in force (otherwise
    refused as probably truncated, unless the file is a 修改版 by name).
    ``received``: the date (YYYY-MM-DD) the files arrived, used by ``status`` for returns without a
    readable 填报日期 (the import time never makes a return late).

    ``imported_by``: who is recorded as importing (the colleague's name given at the web login);
    default the account running gwstats.

    ``progress(done, total, phase)`` is called per file, in two phases: 读取 (read and parse), then
    写入 (write; 检查 in a dry run).
    """
    files, skipped = expand_paths(paths)
    report = ImportReport(skipped=skipped, dry_run=dry_run)
    if not files:
        return report
    h = ws.hierarchy()
    unit_code = ws.resolve_unit(unit) if unit else None
    ctx = Context(ws.catalog, h, year=year, unit=unit_code)
    store = ws.store
    max_bytes = int((max_mb if max_mb is not None else ws.config.max_file_mb) * 1024 * 1024)
    with _no_cycle_collection():
        return _import_loaded(ws, files, ctx, store, max_bytes, progress, report, dry_run, keep_existing, replace,
                              received, imported_by)


@contextmanager
def _no_cycle_collection():
    """Python's cycle collector off while a batch is read and written: a province's form export holds
    millions of values at once, and every full collection walked all of them again (a fifth of the
    import's CPU at 20,000 units). What is freed by reference counting is freed as before; the few
    cycles left are collected once it is on again."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _import_loaded(ws, files, ctx, store, max_bytes, progress, report, dry_run, keep_existing, replace,
                   received, imported_by=None) -> ImportReport:
    n_workers = worker_count(len(files))
    stage = open_stage(ws.files_dir) if n_workers and not dry_run else None
    try:
        return _load_and_write(ws, files, ctx, store, max_bytes, progress, report, dry_run, keep_existing, replace,
                               received, n_workers, stage, imported_by)
    finally:
        close_stage(stage)  # the staged copies of files that were not stored


def _load_and_write(ws, files, ctx, store, max_bytes, progress, report, dry_run, keep_existing, replace,
                    received, n_workers, stage, imported_by=None) -> ImportReport:
    total = len(files)
    try:
        loaded = load_files(files, ctx, store, max_bytes, progress, n_workers, stage)  # in worker processes for big batches
    finally:
        shutdown_worker()
    _check_locks(loaded, store)
    _batch_conflicts(loaded, ctx, keep_existing)
    order = sorted(range(len(loaded)), key=lambda i: loaded[i].rank)
    user = imported_by or _user()
    written_keys: set[tuple] = set()
    written_shas: set[str] = set()
    with ws.writing("导入") if not dry_run else nullcontext(), _page_cache(store, loaded):
        received_at = _now()
        for n, i in enumerate(order):
            ld = loaded[i]
            _write(ws, store, ld, dry_run, keep_existing, received_at, user, written_keys, written_shas, ctx, replace,
                   received)
            if progress:
                progress(n + 1, total, "写入" if not dry_run else "检查")
    report.files = [ld.result for ld in loaded]
    return report


def _page_cache(store, loaded: list[Loaded]):
    """A larger page cache while a file of many returns is written (a province's form export: 96,000
    submissions in one transaction): with SQLite's default 2 MB the index pages of the submissions,
    touched in no order, were written out and read back again and again."""
    many = sum(len(ld.returns) for ld in loaded) >= 1000
    return store.page_cache(128 * 1024) if many else nullcontext()


_MANY_RETURNS = 200  # a file of this many returns looks up what is in force year by year, not return by return


def _in_force(store, key):
    unit, year, skey = key
    scope, total_row = split_scope_key(skey)
    return store.in_force_with_file(unit, year, scope, total_row)


def _drops_most(n_old: int, n_gone: int) -> bool:
    """A new version without most of the values in force (5 of 13): probably a truncated file."""
    return n_old >= 4 and n_gone * 2 > n_old


def _names(codes: list[str], ctx: Context, limit: int = 8) -> str:
    names = [ctx.catalog.label_of(c) for c in codes]
    return "、".join(names[:limit]) + (f" 等 {len(names)} 项" if len(names) > limit else "")


def _same_values(store, r: ParsedReturn, old=None) -> bool:
    if old is None:
        old = store.values_in_force(store.conn, r.unit, r.year, r.scope, r.source == "total_row")
    new = {v.metric: (None if v.value is None else str(v.value), v.state) for v in r.values}
    return old == new


def _decide(store, ld: Loaded, keep_existing, replace, written_keys, ctx):
    """Accepted or replaced (with the notes saying what is replaced), or rejected, from the store
    as it is now. Returns (status, keys) or None when the file is rejected."""
    res = ld.result
    if len(ld.returns) >= _MANY_RETURNS:  # a form export: what is in force for its years, in one query
        found = store.in_force_of_years({r.year for r in ld.returns})
        existing = {r.key: found.get((r.key[0], r.key[1], *split_scope_key(r.key[2]))) for r in ld.returns}
    else:
        existing = {r.key: _in_force(store, r.key) for r in ld.returns}
    replaced = [(k, old) for k, old in existing.items() if old is not None]
    if keep_existing and replaced:
        for (u, y, sc), old in replaced:
            res.reject(Finding(
                "error", "exists",
                f"{ctx.h.name(u)} {y} 年{sc}报表已有（{old[2][:16].replace('T', ' ')} 导入的《{old[1]}》）；按 --keep-existing 未替换",
                file=res.name))
        return None
    batch_replaced = [k for k in existing if k in written_keys]
    by_key = {r.key: r for r in ld.returns}
    notes = []
    for (u, y, sc), old in replaced:
        r = by_key[(u, y, sc)]
        old_values = store.values_in_force(store.conn, u, y, r.scope, r.source == "total_row")
        same = _same_values(store, r, old_values)
        gone = [m for m in old_values if m not in {v.metric for v in r.values}]
        what = f"{ctx.h.name(u)} {y} 年{sc}"
        old_text = f"《{old[1]}》，{old[2][:16].replace('T', ' ')} 导入"
        if _drops_most(len(old_values), len(gone)) and not (replace or is_revision(res.path)):
            res.reject(Finding(
                "error", "drops-values",
                f"{what}在用报表（{old_text}）有 {len(old_values)} 个数值，本文件只有 {len(r.values)} 个，替换后将不再有："
                f"{_names(gone, ctx)}；可能是报表不完整，未替换。如确认以本文件为准，请加 --replace 重新导入，"
                "或在文件名中注明“修改”等字样",
                file=res.name))
            continue
        older = None if (replace or same) else _older_than_in_force(store, ld, r, old)
        if older:
            res.reject(Finding(
                "error", "older-version",
                f"{what}：{older}，在用的报表较新，本文件未替换。如确认以本文件为准，请加 --replace 重新导入",
                file=res.name))
            continue
        notes.append(f"替换了 {what}原有报表（{old_text}），原报表保留在历史中"
                     + ("；数值与原报表完全相同" if same else "")
                     + (f"；替换后不再有 {len(gone)} 个数值：{_names(gone, ctx)}" if gone else ""))
    if res.status == "rejected":
        return None
    res.notes.extend(notes)
    return ("replaced" if (replaced or batch_replaced) else "accepted"), existing


_DATE = re.compile(r"(\d{4})\s*[-./年]\s*(\d{1,2})\s*[-./月]\s*(\d{1,2})")


def _date_of(text) -> dt.date | None:
    """A 填报日期 as written (2021-01-05, 2021年1月5日, 2021.1.5), or None."""
    m = _DATE.search(str(text or ""))
    if not m:
        return None
    try:
        return dt.date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None


def _older_than_in_force(store, ld: Loaded, r: ParsedReturn, old) -> str | None:
    """Why the incoming return is not newer than the version in force, judged by what the files say
    (their 填报日期, a 修改版/更正 mark in the name), never by the order of import; None when it is
    newer or nothing says otherwise."""
    old_date, new_date = _date_of(store.fill_date_of(old[0])), _date_of(r.fill_date)
    if old_date and new_date and new_date < old_date:
        return (f"本文件填报日期为 {new_date.isoformat()}，早于在用报表《{old[1]}》的填报日期 "
                f"{old_date.isoformat()}")
    if is_revision(Path(old[1])) and not is_revision(ld.result.path) and not (old_date and new_date and new_date > old_date):
        return f"在用报表《{old[1]}》的文件名注明是修改版（更正），本文件没有注明，填报日期也不晚于它"
    return None


def _write(ws, store, ld: Loaded, dry_run, keep_existing, received_at, user, written_keys, written_shas, ctx,
           replace=False, arrived: str | None = None):
    res = ld.result
    if res.status != "accepted":
        ld.data = None
        return
    if res.sha256 in written_shas:
        res.status = "unchanged"
        res.notes.append("与本批次中另一个文件内容完全相同，未重复导入")
        return
    base_notes = list(res.notes)
    made: list[Path] = []  # the copy made in the transaction: removed if it does not commit
    if dry_run:
        ld.data = None
        decided = _decide(store, ld, keep_existing, replace, written_keys, ctx)
        if decided is None:
            return
        res.status, existing = decided
        written_keys.update(existing)
        written_shas.add(res.sha256)
        return
    try:
        # Decided inside the write transaction (one writer at a time): another clerk's import may
        # have stored the same file or a version of the same return since it was read.
        with store.transaction() as conn:
            known = store.file_by_sha(res.sha256)
            if known is not None:
                res.status = "unchanged"
                res.notes = base_notes + [f"与 {known[2][:16].replace('T', ' ')} 导入的《{known[1]}》内容完全相同，未重复导入"]
                return
            for y in sorted({r.year for r in ld.returns}):
                lock = store.year_lock(y, conn)
                if lock is not None:
                    raise _LockedMeanwhile(f"{lock_text(y, lock)}，不能再导入该年度的报表。{unlock_hint(y)}")
            decided = _decide(store, ld, keep_existing, replace, written_keys, ctx)
            if decided is None:
                return
            status, existing = decided
            stored_path = _copy_of(ws, ld, made)  # whole before the transaction that names it commits
            file_id = store.add_file(conn, sha256=res.sha256, name=res.name, size=res.size, stored_path=stored_path,
                                     received_at=received_at, imported_by=user)
            first: set[tuple] = set()
            for r in ld.returns:
                # what _decide found in force (the same query: a key splits into the return's scope and
                # whether it is a 合计 row), unless an earlier row of this file (a form's repeated
                # submission) has replaced it since
                known = {"in_force": existing[r.key][0] if existing[r.key] else None} if r.key not in first else {}
                first.add(r.key)
                # an online form's row: its submission time is when that return arrived
                store.add_submission(conn, file_id, _record(r), received_at=r.received_at or received_at, imported_by=user,
                                     arrived_at=r.received_at[:10] if r.received_at else arrived, **known)
    except BaseException as exc:
        _remove(made)  # rolled back (or refused in the transaction): files/ is left as it was
        if isinstance(exc, _CopyFailed):
            res.notes = base_notes
            res.reject(Finding("error", "copy-failed", f"无法把文件复制进工作区（{os_reason(exc.error)}），本文件未导入",
                               file=res.name))
            return
        if isinstance(exc, _LockedMeanwhile):
            res.reject(Finding("error", "year-locked", str(exc), file=res.name))
            return
        if isinstance(exc, DB_ERRORS):
            res.status = "accepted"
            res.notes = base_notes
            res.reject(Finding("error", "store-failed", f"写入数据库失败，本文件未导入（数据库文件{store_reason(exc)}）",
                               file=res.name))
            return
        raise
    finally:
        ld.data = None
    res.status = status
    written_keys.update(existing)
    written_shas.add(res.sha256)


class _CopyFailed(Exception):
    def __init__(self, error: OSError):
        super().__init__(str(error))
        self.error = error


def _copy_of(ws, ld: Loaded, made: list[Path]) -> str:
    """The workspace-relative path of the file's copy (temporary name, then renamed: always whole),
    added to ``made``. Called in the file's transaction after ``file_by_sha`` found no row for the
    file, so no row names that copy unless this transaction commits."""
    res = ld.result
    try:
        rel = None
        if ld.staged:
            try:
                rel = ws.move_in(ld.staged, res.name, res.sha256)
            except OSError:
                pass  # written here instead, which says why if it fails too
        if rel is None:
            rel = ws.copy_in_bytes(ld.data, res.name, res.sha256) if ld.data is not None else ws.copy_in(res.path, res.sha256)
    except OSError as exc:
        try:
            (ws.root / ws.stored_name(res.name, res.sha256)).parent.rmdir()  # a hash folder made for it, if empty
        except OSError:
            pass
        raise _CopyFailed(exc) from None
    made.append(ws.root / rel)
    return rel


def _remove(made: list[Path]):
    """The copies of a transaction that did not commit, and their hash folder if that is left empty."""
    for p in made:
        for step in (p.unlink, p.parent.rmdir):
            try:
                step()
            except OSError:
                pass
