"""Column headers break between words (issue 21): 达到五好标准 / 组织数, never 达到五好标准组织 / 数, in the
workbook's header cells and in the report's tables, each line as wide as its column allows."""

import pytest
from docx import Document
from docx.shared import Pt
from openpyxl import load_workbook

from gwstats.render import docx_layout as L
from gwstats.render.head_words import COUNT_WORDS, lines, pieces
from gwstats.render.sheet_writer import display_width, header_lines
from xlsx_columns import column


@pytest.mark.parametrize("head, most, want", [
    ("达到五好标准组织数", 12, ["达到五好标准", "组织数"]),
    ("法制副校长人数", 12, ["法制", "副校长人数"]),
    ("关爱留守困境儿童人数", 12, ["关爱留守", "困境儿童人数"]),
    ("关工委组织数", 12, ["关工委组织数"]),
    ("受教育师生人次", 8, ["受教育", "师生人次"]),
])
def test_lines_break_between_words_and_keep_the_count_word(head, most, want):
    assert lines(head, most) == want


def test_a_count_word_or_a_single_character_never_stands_alone():
    for head in ("达到五好标准组织数", "法制副校长人数", "五老志愿者人数", "零犯罪社区达标率", "结对帮扶对数", "村·关工委组织数"):
        for p in pieces(head):
            assert p not in COUNT_WORDS and len(p) > 1, (head, p)


def test_workbook_header_cell_breaks_between_words():
    assert header_lines("达到五好标准组织数（个）") == "达到五好标准\n组织数\n（个）"
    assert header_lines("2019年（可比口径）") == "2019年（可比口径）"  # words in brackets: room to stay whole


def _run(demo_run, name):
    result, _ = demo_run
    return next(r for r in result.runs if r.name == name)


def test_no_header_line_is_wider_than_its_column(demo_run):
    """Each line of a header fits its column as written, so neither Excel nor Word breaks it again
    inside a word; a count word (数, 人数) never starts a line of its own."""
    for name in ("jian-an", "anqing-police"):
        outs = [p for s in _run(demo_run, name).steps for p in s.outputs]
        book = load_workbook(next(p for p in outs if p.suffix == ".xlsx"))
        for sheet in book.worksheets:
            head = next((r for r in sheet.iter_rows(max_row=8) if r[0].value == "单位"), None)
            for c in head or ():
                if isinstance(c.value, str):
                    width = column(sheet, c.column_letter).width
                    for line in c.value.split("\n"):
                        assert display_width(line) <= width - 2 + 1e-9, (name, sheet.title, c.coordinate, c.value, width)
                        assert line not in COUNT_WORDS, (name, sheet.title, c.value)
        doc = Document(str(next(p for p in outs if p.suffix == ".docx" and "数据核查清单" not in p.name)))
        for t in doc.tables:
            size = None
            for cell in t.rows[0].cells:
                runs = [r for p in cell.paragraphs for r in p.runs]
                size = runs[0].font.size if runs else size
                room = cell.width / (size or Pt(10.5)) - L.PAD_EM
                for line in cell.text.split("\n"):
                    if not line.startswith("（"):
                        assert L.text_width(line) <= room + 0.05, (name, cell.text, room)
                        assert line not in COUNT_WORDS, (name, cell.text)
