"""One received file, read and parsed: its bytes and checksum, whether the store has it already, the
returns found in it and every problem. Needs no store to parse, so it runs in pool workers too."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from gwstats.core.errors import Finding, read_problem
from gwstats.ingest.paths import IMPORT_SUFFIXES
from gwstats.ingest.report import FileResult, ReturnInfo
from gwstats.parse.book import parse_sheets
from gwstats.parse.context import Context
from gwstats.parse.parsed import ParsedReturn
from gwstats.read.reader import ReadError, check_size, read_return_bytes


@dataclass
class Loaded:
    result: FileResult
    returns: list[ParsedReturn] = field(default_factory=list)
    rank: int = 0
    data: bytes | None = None  # kept until written, so the file is read once
    to_parse: bool = False  # read and checked, not yet parsed
    staged: str | None = None  # its copy, written ahead to the import's staging folder (gwstats.ingest.staging)


def read_file(path: Path, store, max_bytes: int, ctx: Context) -> Loaded:
    """The file's bytes and checksum, and whether the store has it already; ``to_parse`` when it
    is still to be read as a spreadsheet (by :func:`parse_file`, here or in a worker process)."""
    res = FileResult(path)
    loaded = Loaded(res)
    try:
        res.size = check_size(path, max_bytes)
        data = path.read_bytes()
    except ReadError as exc:
        res.reject(Finding("error", "unreadable", exc.message, file=path.name))
        return loaded
    except OSError as exc:
        res.reject(Finding("error", "unreadable", read_problem(path, exc), file=path.name))
        return loaded
    res.sha256 = hashlib.sha256(data).hexdigest()
    loaded.data = data
    known = store.file_by_sha(res.sha256)
    if known is not None:
        res.status = "unchanged"
        res.notes.append(f"与 {known[2][:16].replace('T', ' ')} 导入的《{known[1]}》内容完全相同，未重复导入")
        res.returns = _returns_of_file(store, known[0], ctx)
        return loaded
    if path.suffix.lower() not in IMPORT_SUFFIXES:
        res.reject(Finding("error", "unsupported", f"不支持的文件类型“{path.suffix or '无扩展名'}”（支持 .xlsx .xlsm .xls .ods .et .csv）", file=path.name))
        return loaded
    loaded.to_parse = True
    return loaded


def parse_file(loaded: Loaded, ctx: Context):
    """Read and parse the bytes of a file: the returns found and every problem, into ``loaded``.
    Needs no store (it runs in worker processes too: gwstats.ingest.pool)."""
    res, data, path = loaded.result, loaded.data, loaded.result.path
    loaded.to_parse = False
    ctx.file_name = path.name
    try:
        sheets = read_return_bytes(data, path.name, path.suffix)
    except ReadError as exc:
        res.reject(Finding("error", "unreadable", exc.message.removeprefix(f"{path.name}："), file=path.name))
        return
    returns, findings = parse_sheets(sheets, ctx)
    for f in findings:
        (res.errors if f.severity == "error" else res.warnings).append(f)
    for r in returns:
        for f in r.findings:
            (res.errors if f.severity == "error" else res.warnings).append(f)
    _check_duplicates_in_file(returns, res, ctx)
    if ctx.year_option is not None:
        for y in sorted({r.year for r in returns if r.year and r.year != ctx.year_option and r.year_from != "--year"}):
            res.warnings.append(Finding("warning", "year-differs",
                                        f"报表中的年度是 {y}，与 --year {ctx.year_option} 不同；按报表中的年度 {y} 导入", file=path.name))
    _check_year_in_name(path, returns, res, ctx)
    if res.errors:
        res.status = "rejected"
    loaded.returns = [r for r in returns if r.unit and r.year]
    res.returns = [_info(r, ctx) for r in loaded.returns]


def _named_year(path: Path) -> tuple[int | None, str]:
    """The year a file's name states, else its folder's: (year, where)."""
    from gwstats.tables.headers import year_in_name

    y = year_in_name(path.stem)
    if y is not None:
        return y, "文件名"
    y = year_in_name(path.parent.name)
    if y is not None:
        return y, f"所在文件夹“{path.parent.name}”"
    return None, ""


def _check_year_in_name(path: Path, returns: list[ParsedReturn], res: FileResult, ctx: Context):
    """凉水乡2021年报表.xlsx whose 年度 cell says 2020: which year is it? Refused with both years,
    unless --year says which (and agrees with the cell)."""
    years = {r.year for r in returns if r.year and r.year_from not in ("文件名", "--year")}
    if len(years) != 1:
        return
    (inside,) = years
    named, where = _named_year(path)
    if named is None or named == inside:
        return
    if ctx.year_option == inside:
        res.warnings.append(Finding("warning", "year-in-name", f"{where}写的是 {named} 年，表内年度是 {inside} 年；按 --year {inside} 导入",
                                    file=res.name))
        return
    res.errors.append(Finding(
        "error", "year-in-name",
        f"{where}写的是 {named} 年，表内年度写的是 {inside} 年，无法确定是哪一年的报表，未导入。"
        f"请核对后改正文件名或表内年度，或用 --year {inside} 确认按表内年度导入",
        file=res.name))


def _info(r: ParsedReturn, ctx: Context) -> ReturnInfo:
    return ReturnInfo(r.unit, ctx.h.name(r.unit), r.year, r.scope, len(r.values), r.sheet, r.source)


def _returns_of_file(store, file_id: int, ctx: Context) -> list[ReturnInfo]:
    rows = store.returns_of_file(file_id)
    return [ReturnInfo(u, ctx.h.name(u), y, sc, n, sh, src) for u, y, sc, sh, src, n in rows]


def _check_duplicates_in_file(returns: list[ParsedReturn], res: FileResult, ctx: Context):
    by_key: dict[tuple, ParsedReturn] = {}
    for r in returns:
        if not (r.unit and r.year):
            continue
        other = by_key.get(r.key)
        if other is None or (other.received_at and r.received_at):
            by_key[r.key] = r  # an online form's repeated submission: each kept, the latest in force
            continue
        if other.value_map() != r.value_map():
            res.errors.append(Finding(
                "error", "duplicate-return",
                f"{ctx.h.name(r.unit)} {r.year} 年{r.scope}报表在本文件中出现两次且数值不同（{other.where}、{r.where}）；请只保留一份",
                file=res.name, sheet=r.sheet))
        else:
            res.warnings.append(Finding("warning", "duplicate-return",
                                        f"{ctx.h.name(r.unit)} {r.year} 年{r.scope}报表在本文件中出现两次（{other.where}、{r.where}），数值相同，只导入一次",
                                        file=res.name, sheet=r.sheet))
            r.values = []
    returns[:] = [r for r in returns if r.values or not (r.unit and r.year)]
