"""Read spreadsheet files as grids of cell values (python-calamine; csv via the stdlib).

No pandas here: a return is small and is read cell by cell with its position kept.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from gwstats.read.cells import RESAVE, ReadError, Sheet, cell_ref, col_index  # noqa: F401  (the reader's own names)
from gwstats.core.errors import read_problem

CSV_SUFFIXES = {".csv", ".txt"}


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
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ReadError(read_problem(path, exc)) from None
    return read_csv_bytes(data, path.name, path.stem)


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
        raise ReadError(read_problem(path, exc)) from None
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
SKIP_SHEETS = {"填表说明"}  # the template's instructions sheet: never a table


def check_size(path: Path, max_bytes: int | None) -> int:
    size = path.stat().st_size
    if max_bytes is not None and size > max_bytes:
        raise ReadError(
            f"{path.name}：文件大小 {size / 1024 / 1024:.1f} MB，超过上限 {max_bytes / 1024 / 1024:g} MB，未读取"
            "（统计报表通常只有几十 KB；如确需导入，请用 --max-mb 或 gwstats.toml 的 [import] max_file_mb 调整上限）"
        )
    return size


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
        from gwstats.read.zip_scan import scan_zip

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
        raise ReadError(f"{name}：文件已损坏或不是可读取的 Excel/WPS 文件（{exc}）。{RESAVE}") from None
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
                raise ReadError(f"{name}：工作表“{meta.name}”无法读取（{exc}）。{RESAVE}") from None
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


def refuse_isolated_reads(refuse) -> None:
    """Inside a pool worker: a file that needs a process of its own (.xls/.et/.ods/.xlsb) is handed
    to ``refuse(data, name)`` instead (which raises, so the parent reads it)."""
    global _read_isolated
    _read_isolated = refuse


def _read_isolated(data: bytes, name: str) -> list[tuple[str, list[list], list]]:
    """_read_calamine in a worker process that may hang, grow or die without taking the import
    (or the batch) with it: past READ_TIMEOUT or READ_MAX_RSS it is killed and the file refused."""
    global _WORKER
    from gwstats.read.worker import Worker, WorkerFailed

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
        raise ReadError(f"{name}：文件已损坏或结构异常，{why}。{RESAVE}") from None


def shutdown_worker():
    """Stop the worker process used for .xls/.ods/.et files, if one was started."""
    global _WORKER
    if _WORKER is not None:
        _WORKER.close()
        _WORKER = None
