"""The safety scan of a received .xlsx/.xlsm/.ods before any reader opens it.

Refuses XML bombs (a DTD or ENTITY in any part's prolog), zip bombs (inflated size over
MAX_UNZIPPED, or a member that inflates to more than its header says), duplicated entries and
sheets whose used area is enormous; finds formula cells without a saved result. Every member is
inflated once, in bounded steps (small members in one bounded call), counted against its declared
size and the budget; only the worksheets and the workbook's own parts are kept.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib

from gwstats.read.cells import RESAVE as _RESAVE, ReadError, col_index

MAX_UNZIPPED = 200 * 1024 * 1024
_CELL = re.compile(rb'<c\b([^>]*?)(?:/>|>(.*?)</c>)', re.S)
_REF = re.compile(rb'\br="([A-Z]+)([0-9]+)"')
_VALUE = re.compile(rb"<v>[^<]")


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
