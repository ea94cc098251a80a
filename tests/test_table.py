"""render/table.py: the console table printed without tabulate is tabulate's text exactly."""

import random
from decimal import Decimal

from tabulate import tabulate

from gwstats.render.table import _simple_table, render_records

PIECES = ["a", "Z", "1", " ", "  ", "中", "国", "，", "（", "）", "-", ".", "%", "é", "e\u0301", "\u200b",
          "\u3000", "👍", "\u200d", "\ufe0f", "ｱ", "|", "True", "0", ""]


def _tabulate(rows, headers, align):
    return tabulate(rows, headers=headers, tablefmt="simple", colalign=align, disable_numparse=True)


def test_simple_table_is_tabulates_text_on_random_tables():
    rng = random.Random(23)
    for _ in range(2000):
        nc, nr = rng.randint(1, 5), rng.randint(1, 6)

        def word():
            return "".join(rng.choice(PIECES) for _ in range(rng.randint(0, 4)))

        headers = [word() for _ in range(nc)]
        rows = [[word() for _ in range(nc)] for _ in range(nr)]
        align = [rng.choice(("left", "right")) for _ in range(nc)]
        assert _simple_table(rows, headers, align) == _tabulate(rows, headers, align)


def test_a_check_like_table_lines_up_chinese_text():
    rows = [["错误", "甲县公安局", "法制课场次", "汇总数 12 与下级合计 10 不符"],
            ["提醒", "乙镇派出所 ", "", "比上年增长 300%"]]
    headers = ["级别", "单位", "指标", "说明"]
    text = _simple_table(rows, headers, ["left", "left", "right", "left"])
    assert text == _tabulate(rows, headers, ["left", "left", "right", "left"])
    # 级别 6 columns wide (its header + 2), 单位 10 (five characters, stripped), 指标 10 (empty, right-aligned)
    assert text.splitlines()[3] == "提醒" + " " * 2 + "  " + "乙镇派出所" + "  " + " " * 10 + "  " + "比上年增长 300%"


def test_control_characters_are_left_to_tabulate():
    for odd in ("两行\n文字", "\x1b[31m红\x1b[0m", "\x01", "制表\t符", "\x85"):
        assert _simple_table([[odd, "1"]], ["单位", "数"], ["left", "right"]) is None
    assert _simple_table([["甲"]], ["单位"], ["center"]) is None


def test_render_records_prints_the_same_table_as_before():
    records = [{"单位": "甲县", "本年": 12, "上年": Decimal("10.5"), "说明": None},
               {"单位": "乙县关工委（合计）", "本年": 3, "上年": Decimal("0"), "说明": "新增"}]
    columns = list(records[0])
    rows = [["" if r[k] is None else str(r[k]) for k in columns] for r in records]
    assert render_records(records, "table") == _tabulate(rows, columns, ["left", "right", "right", "left"])
    multiline = [{"单位": "甲\n县", "数": 1}]
    assert render_records(multiline, "table") == _tabulate([["甲\n县", "1"]], ["单位", "数"], ["left", "right"])
