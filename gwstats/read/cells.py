"""A sheet as the reader gives it (values, merged ranges, formula cells without a result), cell
references, and the error every reader raises for a file that cannot be read.

The one grid class: a return's sheet from the reader and a form's sheet (tables.grid) are both a
:class:`Sheet`."""

from __future__ import annotations

from dataclasses import dataclass, field

from gwstats.core.errors import GwstatsError
from gwstats.core.text import nfkc

class ReadError(GwstatsError):
    """A file that cannot be read at all (message names the file)."""


@dataclass
class Sheet:
    name: str
    rows: list[list]  # values; row 0 / col 0 are the sheet's A1 after `origin` is applied
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)  # (r0, c0, r1, c1) inclusive, 0-based
    pending: set[tuple[int, int]] = field(default_factory=set)  # formula cells with no saved result
    hidden: bool = False  # hidden in the workbook (the parser decides whether to read it, and says so)
    formulas: set[tuple[int, int]] = field(default_factory=set)  # a form read with its formulas: cells holding one

    def cell(self, r: int, c: int):
        if 0 <= r < len(self.rows) and 0 <= c < len(self.rows[r]):
            return self.rows[r][c]
        return None

    def text(self, r: int, c: int) -> str:
        """The cell as text: a string normalised (NFKC) and stripped, a number as str(), blank as ""."""
        v = self.cell(r, c)
        return nfkc(str(v)).strip() if isinstance(v, str) else ("" if v is None else str(v))

    @property
    def width(self) -> int:
        return max((len(r) for r in self.rows), default=0)


def cell_ref(r: int, c: int) -> str:
    """0-based (row, col) -> "B7"."""
    letters = ""
    c += 1
    while c:
        c, rem = divmod(c - 1, 26)
        letters = chr(65 + rem) + letters
    return f"{letters}{r + 1}"


RESAVE = "请用 Excel 或 WPS 打开该文件并保存后重新报送"


def col_index(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1
