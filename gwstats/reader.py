"""Read spreadsheet files as grids of cell values (python-calamine; csv via the stdlib).

No pandas here: a return is small and is read cell by cell with its position kept.
"""

from __future__ import annotations

import csv
import io
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


def decode_text(data: bytes, name: str) -> str:
    """Bytes of a CSV in UTF-8 (with or without BOM) or GBK/GB18030."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise ReadError(f"{name}：无法识别文本编码（支持 UTF-8、GBK/GB18030）")
    return str(best)


def read_csv(path: Path) -> list[Sheet]:
    text = decode_text(path.read_bytes(), path.name)
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    rows = [list(r) for r in csv.reader(io.StringIO(text), dialect)]
    return [Sheet(path.stem, [[v if v != "" else None for v in r] for r in rows])]


def read_excel(path: Path) -> list[Sheet]:
    from python_calamine import CalamineWorkbook

    try:
        wb = CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises several types for unreadable files
        raise ReadError(f"{path.name}：不是可读取的 Excel/WPS 文件（{type(exc).__name__}: {exc}）") from None
    sheets = []
    try:
        for name in wb.sheet_names:
            sh = wb.get_sheet_by_name(name)
            data = sh.to_python(skip_empty_area=False)
            merged = [((a[0], a[1], b[0], b[1])) for a, b in (sh.merged_cell_ranges or [])]
            sheets.append(Sheet(name, [list(r) for r in data], merged))
    finally:
        wb.close()
    return sheets


def read_workbook(path: str | Path) -> list[Sheet]:
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in CSV_SUFFIXES:
        return read_csv(path)
    return read_excel(path)


def read_grid_rows(path: str | Path) -> list[list]:
    """The first sheet's rows (for small side files such as the units list)."""
    sheets = read_workbook(path)
    return sheets[0].rows if sheets else []
