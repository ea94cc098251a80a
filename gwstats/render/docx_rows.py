"""Table rows of a Word report written fast: a cell is copied from one built the python-docx way.

python-docx builds a cell's XML one property at a time (about 0.6 ms a cell: a province's appendix
of thousands of rows took minutes). A cell of a given column and look (bold, alignment, kept with
the next row) differs from another of the same look only in its text, so the first one is built
through :func:`gwstats.render.docx_layout`'s cell writer and the rest are deep copies of its XML with
the text swapped: the document is the same XML as one built cell by cell (tests/test_docx_layout.py).
An empty cell is copied whole; text that python-docx writes as more than one plain ``<w:t>`` (tabs,
line breaks, spaces at either end) takes the slow way.
"""

from __future__ import annotations

import copy

from docx.oxml.ns import qn

_T, _TC, _TR_PR = qn("w:t"), qn("w:tc"), qn("w:trPr")


def plain(text: str) -> bool:
    """Text python-docx writes as one ``<w:t>`` without xml:space (so it can be swapped in)."""
    return bool(text) and text == text.strip() and not any(c in text for c in "\t\n\r")


def _form(text: str) -> str | None:
    """How a cell's text can be copied: "" (empty: the cell as it is), "t" (swapped into its one
    ``<w:t>``), None (not: built the python-docx way)."""
    return "" if text == "" else ("t" if plain(text) else None)


class RowWriter:
    """Adds data rows to ``table``: ``fill(cell, text, **look)`` writes one cell the python-docx way
    and is called for the first cell of each (column, look); ``flags(row)`` sets a new row's
    properties (the same for every data row)."""

    copying = True  # False: every cell built the python-docx way (the reference the copies are tested on)

    def __init__(self, table, fill, flags):
        self.table, self.fill, self.flags = table, fill, flags
        self._cells: dict[tuple, object] = {}  # (column, look, form) -> a <w:tc> built the python-docx way
        self._row_pr = None  # a data row's <w:trPr>

    def add(self, texts: list[str], looks: list[tuple]):
        """One row: ``texts[k]`` in column k, written with ``looks[k]`` (a hashable tuple of the
        keyword arguments of ``fill``, as ``tuple(sorted(kw.items()))``)."""
        keys = [(k, look, _form(t)) for (k, look), t in zip(enumerate(looks), texts)]
        if self.copying and self._row_pr is not None and all(key in self._cells for key in keys):
            tr = self.table._tbl.add_tr()
            tr.append(copy.deepcopy(self._row_pr))
            for text, key in zip(texts, keys):
                tc = copy.deepcopy(self._cells[key])
                if text:
                    next(tc.iter(_T)).text = text
                tr.append(tc)
            return
        row = self.table.add_row()
        self.flags(row)
        for key, text, cell in zip(keys, texts, row.cells):
            self.fill(cell, text, **dict(key[1]))
            if key[2] is not None and key not in self._cells:
                self._cells[key] = cell._tc
        if self._row_pr is None:
            self._row_pr = row._tr.find(_TR_PR)
