"""core/text.py: the unit of measure in a label's closing brackets."""

import re
import sys

from gwstats.core.text import nfkc, unit_in_brackets


def _reference(label):
    """The definition: NFKC, stripped, a bracketed 1–6 characters at the very end."""
    m = re.search(r"[(（]([^()（）]{1,6})[)）]\s*$", nfkc(str(label)).strip())
    return m.group(1).strip() if m else None


def test_unit_in_brackets():
    assert unit_in_brackets("资助金额（万元）") == "万元"
    assert unit_in_brackets("资助金额(元) ") == "元"
    assert unit_in_brackets("人数（人）\u3000") == "人"
    assert unit_in_brackets("⑴") == "1"  # NFKC makes brackets of it
    assert unit_in_brackets("五老志愿者人数") is None and unit_in_brackets("") is None
    assert unit_in_brackets("说明（超过六个字的说明）") is None


def test_the_quick_check_agrees_with_the_definition_for_every_last_character():
    """unit_in_brackets skips labels that cannot end in a bracket without normalising them (a form
    export's labels, hundreds of thousands of them): the same answer for every character at the end."""
    for cp in [*range(0x3100), *range(0x3100, sys.maxunicode + 1, 11)]:  # all of the first blocks, a sample after
        if 0xD800 <= cp <= 0xDFFF:
            continue
        ch = chr(cp)
        for label in (ch, "人数（人）" + ch, "人数（人" + ch, "甲县 人数" + ch + " "):
            assert unit_in_brackets(label) == _reference(label), (hex(cp), label)
