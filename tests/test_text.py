"""core/text.py: the unit of measure in a label's closing brackets."""

import re
import sys

from gwstats.core.text import nfkc, unit_in_brackets, unit_key, unit_keys


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


def test_unit_keys_are_each_names_unit_key():
    """The hierarchy's keys made all at once read as made one by one: NFKC does not join a name with
    the next one (a combining mark at a name's start), suffixes and spaces go per name."""
    names = ["甲县 关工委", "ＡＢＣ关心下一代工作委员会", "e", "\u0301乙站", "关工委", "", " 丙 镇\t关工小组 ", "Σ县", "a\0b", "x"]
    assert unit_keys(names) == [unit_key(n) for n in names]
    assert unit_keys(names[:3]) == ["甲县", "abc", "e"]
    assert unit_keys([]) == []
