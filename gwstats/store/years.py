"""A finished year stays finished: 年度封账 (lock / unlock), and putting an earlier version back in
force (revert) as a new history entry."""

from __future__ import annotations

import datetime as dt
import getpass
import socket
from dataclasses import dataclass

from gwstats.core.errors import GwstatsError, UsageError


class YearLocked(GwstatsError):
    """A change refused because its year is locked (exit 1: the data is fine, the year is closed)."""


def who() -> tuple[str | None, str | None]:
    """(user, computer) for locks and history."""
    try:
        user = getpass.getuser()
    except Exception:
        user = None
    try:
        computer = socket.gethostname() or None  # not platform.node(): on Windows that asks WMI (slow, absent under wine)
    except OSError:
        computer = None
    return user, computer


def now() -> str:
    return dt.datetime.now().replace(microsecond=0).isoformat()


def lock_text(year: int, lock) -> str:
    by, pc, at = lock
    holder = (by or "（未知用户）") + (f"（电脑 {pc}）" if pc else "")
    return f"{year} 年度已于 {at[:16].replace('T', ' ')} 由 {holder} 封账"


def unlock_hint(year: int) -> str:
    return f"如确需更改，请先解锁该年度（网页“概览”页的“解锁”按钮，或运行 gwstats unlock --year {year}）"


def refuse_if_locked(store, year: int, what: str, conn=None):
    lock = store.year_lock(year, conn)
    if lock is not None:
        raise YearLocked(f"{lock_text(year, lock)}，不能{what}。{unlock_hint(year)}")


def lock_year(ws, year: int, by: str | None = None) -> tuple:
    """Lock ``year``, recorded as ``by`` (the colleague logged in to the page), default this computer's account."""
    store = ws.store
    with store.transaction() as c:
        lock = store.year_lock(year, c)
        if lock is not None:
            raise UsageError(f"{lock_text(year, lock)}，无需再次封账")
        user, pc = who()
        user = by or user
        at = now()
        store.lock_year(c, year, user, pc, at)
    return user, pc, at


def unlock_year(ws, year: int) -> tuple:
    store = ws.store
    with store.transaction() as c:
        lock = store.year_lock(year, c)
        if lock is None:
            raise UsageError(f"{year} 年度没有封账")
        store.unlock_year(c, year)
    return lock


@dataclass
class RevertResult:
    unit: str
    unit_name: str
    year: int
    scope: str
    to_version: int
    from_version: int
    file: str
    new_version: int


def revert(ws, unit: str, year: int, to: int | None = None, scope: str = "本级", by: str | None = None) -> RevertResult:
    """Put version ``to`` (default: the one before the version in force) back in force, as a new
    version copied from it, recorded as imported by ``by`` (default this computer's account); nothing is deleted."""
    from gwstats.store.versions import history

    h = ws.hierarchy()
    code = ws.resolve_unit(unit)
    name = h.name(code)
    hist = history(ws, code, year)
    versions = [v for v in hist.versions if v.scope == scope]
    if not versions:
        raise UsageError(f"{name} {year} 年没有{scope}报表，无法恢复")
    current = next((v for v in versions if v.in_force), versions[-1])
    if to is None:
        earlier = [v for v in versions if v.number < current.number]
        if not earlier:
            raise UsageError(f"{name} {year} 年{scope}报表只有一个版本，没有可恢复的早先版本")
        target = earlier[-1]
    else:
        target = next((v for v in versions if v.number == to), None)
        if target is None:
            raise UsageError(f"{name} {year} 年{scope}报表没有第 {to} 版（共 {len(versions)} 版，见 gwstats history --unit {unit} --year {year}）")
    if target.in_force:
        raise UsageError(f"第 {target.number} 版就是{name} {year} 年{scope}报表的在用版本，无需恢复")
    store = ws.store
    user = by or who()[0]
    with store.transaction() as c:
        refuse_if_locked(store, year, "恢复早先版本", c)
        store.copy_submission(c, target.submission_id, received_at=now(), imported_by=user,
                              note=("info", "revert", f"恢复为第 {target.number} 版（原在用第 {current.number} 版）"))
    return RevertResult(code, name, year, scope, target.number, current.number, target.file, len(versions) + 1)
