"""Read spreadsheet files as grids of cell values (python-calamine; csv via the stdlib).

No pandas here: a return is small and is read cell by cell with its position kept.
"""

from __future__ import annotations

import csv
import io
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from .errors import GwstatsError

EXCEL_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".xlsb", ".ods", ".et"}
CSV_SUFFIXES = {".csv", ".txt"}
SUFFIXES = EXCEL_SUFFIXES | CSV_SUFFIXES


class ReadError(GwstatsError):
    """A file that cannot be read at all (message names the file)."""


@dataclass
class Sheet:
    name: str
    rows: list[list]  # values; row 0 / col 0 are the sheet's A1 after `origin` is applied
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)  # (r0, c0, r1, c1) inclusive, 0-based
    pending: set[tuple[int, int]] = field(default_factory=set)  # formula cells with no saved result
    hidden: bool = False  # hidden in the workbook (the parser decides whether to read it, and says so)

    def cell(self, r: int, c: int):
        if 0 <= r < len(self.rows) and 0 <= c < len(self.rows[r]):
            return self.rows[r][c]
        return None


def cell_ref(r: int, c: int) -> str:
    """0-based (row, col) -> "B7"."""
    letters = ""
    c += 1
    while c:
        c, rem = divmod(c - 1, 26)
        letters = chr(65 + rem) + letters
    return f"{letters}{r + 1}"


def utf8_or_gb(data: bytes) -> str | None:
    """Text saved by Notepad, Excel or WPS: UTF-8 (with or without BOM), else GBK/GB18030; None if neither."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            pass
    return None


def decode_text(data: bytes, name: str) -> str:
    """Bytes of a CSV in UTF-8 (with or without BOM) or GBK/GB18030, else as charset_normalizer guesses."""
    text = utf8_or_gb(data)
    if text is not None:
        return text
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise ReadError(f"{name}：无法识别文本编码（支持 UTF-8、GBK/GB18030）")
    return str(best)


def read_csv(path: Path) -> list[Sheet]:
    return read_csv_bytes(path.read_bytes(), path.name, path.stem)


def read_csv_bytes(data: bytes, name: str, stem: str) -> list[Sheet]:
    text = decode_text(data, name)
    if "\r" in text:  # CR-only (old Mac) or CRLF line ends; a CR inside a quoted field becomes LF
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\x00" in text:
        raise ReadError(f"{name}：文件中含有空字符（NUL），不是正常的文本表格（可能是改了扩展名的其他文件）")
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    try:
        rows = [list(r) for r in reader]
    except csv.Error as exc:
        too_long = "field larger than field limit" in str(exc)
        what = (f"有单元格内容超过 {csv.field_size_limit() // 1024} KB，不是统计表" if too_long
                else "文本格式无法识别（引号或分隔符不成对）")
        raise ReadError(f"{name}：第 {reader.line_num} 行{what}。请用 Excel 或 WPS 打开核对后另存为 .xlsx 再报送") from None
    return [Sheet(stem, [[v if v != "" else None for v in r] for r in rows])]


def read_excel(path: Path) -> list[Sheet]:
    """The visible sheets of an Excel/WPS file, with the same safety checks as received returns."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ReadError(f"{path.name}：无法读取文件（{exc.strerror or exc}）") from None
    return read_return_bytes(data, path.name, path.suffix)


def read_workbook(path: str | Path) -> list[Sheet]:
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in CSV_SUFFIXES:
        return read_csv(path)
    return read_excel(path)


def read_grid_rows(path: str | Path) -> list[list]:
    """The first sheet's rows (for small side files such as the units list)."""
    sheets = read_workbook(path)
    sheets = [s for s in sheets if not s.hidden] or sheets
    return sheets[0].rows if sheets else []


# ---- reading a received return safely ------------------------------------------------------------
ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTION_INFO = "EncryptionInfo".encode("utf-16-le")
MAX_UNZIPPED = 200 * 1024 * 1024
_CELL = re.compile(rb'<c\b([^>]*?)(?:/>|>(.*?)</c>)', re.S)
_REF = re.compile(rb'\br="([A-Z]+)([0-9]+)"')
_VALUE = re.compile(rb"<v>[^<]")
SKIP_SHEETS = {"填表说明"}  # the template's instructions sheet: never a table
_RESAVE = "请用 Excel 或 WPS 打开该文件并保存后重新报送"


def col_index(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


def check_size(path: Path, max_bytes: int | None) -> int:
    size = path.stat().st_size
    if max_bytes is not None and size > max_bytes:
        raise ReadError(
            f"{path.name}：文件大小 {size / 1024 / 1024:.1f} MB，超过上限 {max_bytes / 1024 / 1024:g} MB，未读取"
            "（统计报表通常只有几十 KB；如确需导入，请用 --max-mb 或 gwstats.toml 的 [import] max_file_mb 调整上限）"
        )
    return size


def _sheet_parts(parts: dict[str, bytes]) -> dict[str, str]:
    """Worksheet part ("xl/worksheets/sheet1.xml") -> sheet name, from workbook.xml and its rels."""
    from defusedxml import ElementTree as ET

    names: dict[str, str] = {}
    try:
        wb = ET.fromstring(parts.get("xl/workbook.xml", b""))
        rels = ET.fromstring(parts.get("xl/_rels/workbook.xml.rels", b""))
        targets = {r.get("Id"): r.get("Target", "") for r in rels}
        for sh in wb.iter():
            if sh.tag.endswith("}sheet"):
                rid = next((v for k, v in sh.attrib.items() if k.endswith("}id")), None)
                target = targets.get(rid, "").lstrip("/")
                part = target if target.startswith("xl/") else "xl/" + target
                names[part] = sh.get("name")
    except Exception:  # an unusual workbook: report by part name
        pass
    return names


_CELL_COL = re.compile(rb'<c [^>]*?\br="([A-Z]{1,3})[0-9]')
_ROW_NUM = re.compile(rb'<row [^>]*?\br="([0-9]+)"')
MAX_CELLS = 5_000_000  # rows x columns of one sheet's used area
# a reference with a 3-letter column or a 4-digit row: without one, a sheet is at most ZZ999 (700,000 cells)
_FAR_REF = re.compile(rb'r="(?:[A-Z]{3}|[A-Z]{0,2}[0-9]{4})')


def _check_extent(parts: dict[str, bytes], name: str):
    """Refuse a sheet whose used area is enormous (one stray cell at XFD1048576 makes the reader
    allocate billions of cells and abort)."""
    for part, xml in parts.items():
        if not part.startswith("xl/worksheets/") or not part.endswith(".xml") or not _FAR_REF.search(xml):
            continue
        rows = [int(x) for x in _ROW_NUM.findall(xml)]
        max_row = max(rows) if rows else 0
        cols = set(_CELL_COL.findall(xml))
        max_col = max((col_index(c.decode()) + 1 for c in cols), default=0)
        if max_row * max_col > MAX_CELLS:
            sheet = _sheet_parts(parts).get(part, part)
            raise ReadError(
                f"{name}：工作表“{sheet}”的数据区域过大（到第 {max_row} 行、第 {max_col} 列），"
                "可能是很远的单元格里有空格或误输入的内容；请删除多余内容后重新报送"
            )


def _formula_cells_without_result(zf: zipfile.ZipFile, parts: dict[str, bytes]) -> dict[str, set[tuple[int, int]]]:
    """Sheet name -> cells holding a formula with no saved result (files written by scripts)."""
    by_part: dict[str, set[tuple[int, int]]] = {}
    for part, xml in parts.items():
        if not part.startswith("xl/worksheets/") or (b"<f>" not in xml and b"<f " not in xml):
            continue
        for m in _CELL.finditer(xml):
            inner = m.group(2)
            if not inner or b"<f" not in inner or _VALUE.search(inner):
                continue
            ref = _REF.search(m.group(1))
            if ref:
                by_part.setdefault(part, set()).add((int(ref.group(2)) - 1, col_index(ref.group(1).decode())))
    if not by_part:
        return {}
    names = _sheet_parts(parts)
    return {names.get(p, p): cells for p, cells in by_part.items()}


_ELEMENT_START = re.compile(rb"<[A-Za-z_]")


def _prolog_end(xml: bytes) -> int:
    """Where the first element starts: a DTD (and so any ENTITY) can only come before it."""
    m = _ELEMENT_START.search(xml)
    return m.start() if m else len(xml)


class _Bomb(Exception):
    """A zip member that inflates beyond what its header says or beyond MAX_UNZIPPED."""

    def __init__(self, member: str, why: str):
        super().__init__(member)
        self.member, self.why = member, why


_CHUNK = 64 * 1024
_LOCAL_HEADER = struct.Struct("<4s2B4HL2L2H")  # zipfile.structFileHeader


def _raw_member(data: bytes, info: zipfile.ZipInfo) -> memoryview:
    """The compressed bytes of one member, from its local header (no inflating)."""
    off = info.header_offset
    head = _LOCAL_HEADER.unpack_from(data, off)
    if head[0] != b"PK\x03\x04":
        raise zipfile.BadZipFile("bad local header")
    start = off + _LOCAL_HEADER.size + head[10] + head[11]
    return memoryview(data)[start:start + info.compress_size]


def _member_chunks(zf: zipfile.ZipFile, data: bytes, info: zipfile.ZipInfo, budget: list[int]):
    """Yield the inflated bytes of a member in chunks of at most 64 KB, counting every byte against
    what the header declares and against ``budget`` (the bytes left of MAX_UNZIPPED): a member
    whose header lies about its size is refused after at most 64 KB more than it declared, so a
    zip bomb never takes more memory than the file is said to hold."""
    declared = info.file_size
    produced = 0

    def account(chunk: bytes):
        nonlocal produced
        produced += len(chunk)
        if produced > declared:
            raise _Bomb(info.filename, "lying")
        budget[0] -= len(chunk)
        if budget[0] < 0:
            raise _Bomb(info.filename, "total")

    if info.compress_type == zipfile.ZIP_DEFLATED:
        raw = _raw_member(data, info)
        d = zlib.decompressobj(-15)
        for pos in range(0, len(raw), _CHUNK):
            buf = d.decompress(raw[pos:pos + _CHUNK], _CHUNK)
            while True:
                if buf:
                    account(buf)
                    yield buf
                if not d.unconsumed_tail:
                    break
                buf = d.decompress(d.unconsumed_tail, _CHUNK)
            if d.eof:
                break
        tail = d.flush()
        if tail:
            account(tail)
            yield tail
        if not d.eof:
            raise zipfile.BadZipFile("truncated member")
    else:  # stored, or an unusual method: zipfile, read in bounded chunks
        with zf.open(info) as fh:
            while chunk := fh.read(_CHUNK):
                account(chunk)
                yield chunk
    if produced != declared:
        raise _Bomb(info.filename, "lying")


_ONE_CALL = 1024 * 1024  # a deflated member declared this small is inflated in one bounded call


def _inflate_small(data, info, budget) -> bytes | None:
    """The whole inflated member in one zlib call that makes at most its declared size + 1 byte,
    with the checks of :func:`_member_chunks` (a lying size, the budget, a truncated stream); None
    when the member is not a small deflated one (read it in chunks)."""
    declared = info.file_size
    if info.compress_type != zipfile.ZIP_DEFLATED or declared > _ONE_CALL:
        return None
    d = zlib.decompressobj(-15)
    out = d.decompress(_raw_member(data, info), declared + 1)
    if len(out) <= declared and not d.eof:
        out += d.flush()
    if len(out) > declared:
        raise _Bomb(info.filename, "lying")
    budget[0] -= len(out)
    if budget[0] < 0:
        raise _Bomb(info.filename, "total")
    if not d.eof:
        raise zipfile.BadZipFile("truncated member")
    if len(out) != declared:
        raise _Bomb(info.filename, "lying")
    return out


def _read_member(zf, data, info, budget) -> bytes:
    out = _inflate_small(data, info, budget)
    return out if out is not None else b"".join(_member_chunks(zf, data, info, budget))


def _skip_member(zf, data, info, budget):
    """Inflate and count a part that is not kept (an image, a binary part)."""
    if _inflate_small(data, info, budget) is None:
        for _ in _member_chunks(zf, data, info, budget):
            pass


def _read_prolog(zf, data, info, budget) -> bytes:
    """The part's bytes up to its first element, read in chunks (no need to inflate the rest)."""
    if info.compress_type == zipfile.ZIP_DEFLATED:
        # the first step of _member_chunks, in one call: enough for every ordinary part
        d = zlib.decompressobj(-15)
        first = d.decompress(_raw_member(data, info)[:_CHUNK], _CHUNK)
        if len(first) <= info.file_size and len(first) <= budget[0]:
            end = _prolog_end(first)
            if end < len(first):
                budget[0] -= len(first)
                return first[:end]
    buf = b""
    for chunk in _member_chunks(zf, data, info, budget):
        buf += chunk
        end = _prolog_end(buf)
        if end < len(buf):
            return buf[:end]
    return buf


def scan_zip(data: bytes, name: str) -> tuple[dict[str, set[tuple[int, int]]], bool]:
    """Refuse XML bombs (DTD/ENTITY), zip bombs (also those whose headers lie about the size),
    duplicated entries and enormous sheets; find formula cells without saved results.
    Returns (sheet name -> such cells, whether to read in the worker process)."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except Exception:
        raise ReadError(f"{name}：文件不完整或已损坏，无法打开（可能下载或拷贝没有完成）。{_RESAVE}") from None
    names = {i.filename for i in infos}
    if len(names) < len(infos):
        seen: set[str] = set()
        twice = next(i.filename for i in infos if i.filename in seen or seen.add(i.filename))
        raise ReadError(f"{name}：文件内部的 {twice} 出现了两次（内容可能不同），无法确定以哪一份为准，拒绝读取。{_RESAVE}")
    if "xl/workbook.xml" not in names and "xl/workbook.bin" not in names and "content.xml" not in names:
        what = ("Word 文档" if any(n.startswith("word/") for n in names)
                else "PowerPoint 演示文稿" if any(n.startswith("ppt/") for n in names) else "压缩包")
        raise ReadError(f"{name}：内容是{what}，不是 Excel/WPS 表格（可能是改了扩展名）。请报送统计表本身")
    bomb = f"{name}：文件解压后超过 {MAX_UNZIPPED // 1024 // 1024} MB，疑似恶意压缩文件，未读取"
    if sum(i.file_size for i in infos) > MAX_UNZIPPED:
        raise ReadError(bomb)
    budget = [MAX_UNZIPPED]
    parts: dict[str, bytes] = {}
    try:
        for info in infos:
            lower = info.filename.lower()
            if lower.endswith("/"):
                continue
            if lower.startswith("xl/worksheets/") or lower in ("xl/workbook.xml", "xl/_rels/workbook.xml.rels"):
                xml = _read_member(zf, data, info, budget)  # needed whole for the formula scan
                if lower.endswith((".xml", ".rels")):
                    parts[info.filename] = xml
                prolog = xml[: _prolog_end(xml)]
            elif lower.endswith((".xml", ".rels", ".vml")):
                prolog = _read_prolog(zf, data, info, budget)
            else:  # images, binary parts: inflated and counted, not kept
                _skip_member(zf, data, info, budget)
                continue
            if b"<!DOCTYPE" in prolog or b"<!ENTITY" in prolog:
                raise ReadError(
                    f"{name}：文件内部的 {info.filename} 含有 DTD/实体声明（<!DOCTYPE/<!ENTITY），"
                    "正常的 Excel/WPS 文件不会有，可能是恶意文件（XML 炸弹），拒绝读取"
                )
    except ReadError:
        raise
    except _Bomb as exc:
        if exc.why == "total":
            raise ReadError(bomb) from None
        raise ReadError(f"{name}：文件内部的 {exc.member} 解压后的大小与文件头记载的不符，疑似恶意压缩文件（zip 炸弹），未读取") from None
    except Exception:  # BadZipFile, zlib.error, EOFError, NotImplementedError (odd compression), ValueError…
        raise ReadError(f"{name}：文件不完整或已损坏，无法解压（可能下载或拷贝没有完成）。{_RESAVE}") from None
    if "xl/workbook.xml" not in names:
        return {}, True  # .ods / .xlsb: read in the worker process
    _check_extent(parts, name)
    return _formula_cells_without_result(zf, parts), False


def read_return_bytes(data: bytes, name: str, suffix: str) -> list[Sheet]:
    """The sheets of a received file (hidden ones flagged), after the safety checks (empty, renamed, bombs)."""
    suffix = suffix.lower()
    if not data:
        raise ReadError(f"{name}：文件是空的（0 字节）")
    if suffix in CSV_SUFFIXES:
        if data.startswith(ZIP_MAGIC) or data.startswith(CFB_MAGIC):
            raise ReadError(f"{name}：扩展名是 {suffix}，但内容是 Excel 文件；请改回 .xlsx/.xls 扩展名")
        return read_csv_bytes(data, name, Path(name).stem)
    pending: dict[str, set[tuple[int, int]]] = {}
    isolated = True
    if data.startswith(ZIP_MAGIC):
        pending, isolated = scan_zip(data, name)
    elif data.startswith(CFB_MAGIC):
        if _ENCRYPTION_INFO in data:
            raise ReadError(f"{name}：工作簿设置了打开密码，无法读取。请报送单位取消密码后重新报送")
    else:
        head = data[:512].lstrip().lower()
        what = "网页（HTML）" if head.startswith((b"<html", b"<!doctype", b"<table")) else "其他类型的文件"
        raise ReadError(
            f"{name}：不是 Excel/WPS 表格文件（内容是{what}，可能是改了扩展名）。"
            "请用 Excel 或 WPS 打开后“另存为” .xlsx 再报送"
        )
    if data.startswith(ZIP_MAGIC) and not isolated:
        rows = _read_calamine(data, name)  # .xlsx/.xlsm, checked above
    else:
        # calamine can abort the whole process on some corrupt files (a failed huge allocation):
        # .xls/.et/.ods/.xlsb are read in a separate worker process.
        rows = _read_isolated(data, name)
    return [Sheet(n, r, m, pending.get(n, set()), hidden=bool(extra and extra[0])) for n, r, m, *extra in rows]


_PASSWORD = "工作簿设置了打开密码，无法读取。请报送单位取消密码后重新报送"


def _is_interrupt(exc: BaseException) -> bool:
    return isinstance(exc, (KeyboardInterrupt, SystemExit))


def _read_calamine(data: bytes, name: str) -> list[tuple[str, list[list], list]]:
    """(sheet name, rows, merged ranges, hidden) of the worksheets, via python-calamine."""
    from python_calamine import CalamineWorkbook, PasswordError

    try:
        wb = CalamineWorkbook.from_filelike(io.BytesIO(data))
    except PasswordError:
        raise ReadError(f"{name}：{_PASSWORD}") from None
    except BaseException as exc:  # calamine raises several types, and pyo3 panics are BaseException
        if _is_interrupt(exc):
            raise
        raise ReadError(f"{name}：文件已损坏或不是可读取的 Excel/WPS 文件（{exc}）。{_RESAVE}") from None
    out = []
    try:
        for meta in wb.sheets_metadata:
            if meta.name.strip() in SKIP_SHEETS:
                continue
            if str(meta.typ).rsplit(".", 1)[-1] != "WorkSheet":
                continue
            hidden = str(meta.visible).rsplit(".", 1)[-1].lower() != "visible"
            try:
                sh = wb.get_sheet_by_name(meta.name)
                data_rows = sh.to_python(skip_empty_area=False)
            except PasswordError:
                raise ReadError(f"{name}：{_PASSWORD}") from None
            except BaseException as exc:
                if _is_interrupt(exc):
                    raise
                raise ReadError(f"{name}：工作表“{meta.name}”无法读取（{exc}）。{_RESAVE}") from None
            try:
                merged = [(a[0], a[1], b[0], b[1]) for a, b in (sh.merged_cell_ranges or [])]
            except BaseException as exc:
                if _is_interrupt(exc):
                    raise
                merged = []
            out.append((meta.name, data_rows, merged, hidden))
    finally:
        wb.close()
    return out


READ_TIMEOUT = 20.0  # seconds for one file in the worker (a return takes well under one)
READ_MAX_RSS = 200 * 1024 * 1024  # resident memory of the worker (the largest real .xls in the corpus: 63 MB)
_WORKER = None


def _read_isolated(data: bytes, name: str) -> list[tuple[str, list[list], list]]:
    """_read_calamine in a worker process that may hang, grow or die without taking the import
    (or the batch) with it: past READ_TIMEOUT or READ_MAX_RSS it is killed and the file refused."""
    global _WORKER
    from .worker import Worker, WorkerFailed

    if _WORKER is None:
        _WORKER = Worker(READ_TIMEOUT, READ_MAX_RSS)
    _WORKER.timeout, _WORKER.max_rss = READ_TIMEOUT, READ_MAX_RSS
    try:
        return _WORKER.call(_read_calamine, data, name)
    except WorkerFailed as exc:
        if exc.why == "timeout":
            why = f"读取超过 {READ_TIMEOUT:g} 秒仍未完成，已停止"
        elif exc.why == "memory":
            why = f"读取时占用内存超过 {READ_MAX_RSS // 2**20} MB，已停止"
        else:
            why = "读取时出错（文件结构不完整）"
        raise ReadError(f"{name}：文件已损坏或结构异常，{why}。{_RESAVE}") from None


def shutdown_worker():
    """Stop the worker process used for .xls/.ods/.et files, if one was started."""
    global _WORKER
    if _WORKER is not None:
        _WORKER.close()
        _WORKER = None
