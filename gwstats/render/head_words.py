"""Where a column header may break: between words of the field's vocabulary, never inside a word and
never before the count word that ends it (``达到五好标准`` / ``组织数``, not ``达到五好标准组织`` / ``数``;
``法制`` / ``副校长人数``, not ``法制副校长人`` / ``数``). Used by the workbook's header cells and the
report's tables, which write the breaks themselves rather than leave them to Excel or Word."""

from __future__ import annotations

import unicodedata
from functools import lru_cache

# words of the 关工委 returns' headers, longest first when matched; unknown characters stand alone
WORDS = (
    "关工委", "关工", "达到", "五好标准", "五好", "标准", "组织", "单位", "应建", "已建", "覆盖率", "达标率", "配备率", "采用率",
    "法制", "副校长", "受教育", "师生", "法治", "宣讲", "活动", "资助", "困难", "学生", "结对", "帮扶", "关爱", "留守",
    "困境", "儿童", "捐款", "捐物", "社会", "力量", "五老", "培训", "青年", "农民", "人均", "志愿者", "骨干", "占比",
    "上报", "宣传", "稿件", "被采用", "零犯罪", "社区", "学校", "中小学校", "帮教", "对象", "投入", "警力", "退休",
    "民警", "参与", "工作", "工作站", "安全", "检查", "挽救", "失足", "青少年", "参加", "学习", "配备", "金额", "场次",
    "人次", "人数", "对数", "次数", "数", "本年", "上年", "可比口径", "全部", "增减", "合计", "本级",
)
# a header's last word that counts what the words before it name: kept with the word before it
COUNT_WORDS = ("数", "人数", "人次", "场次", "对数", "次数", "金额", "率", "占比")


def width(text: str) -> float:
    """Display width: a Chinese character 2, a digit or Latin letter 1 (as a spreadsheet column)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


@lru_cache(maxsize=2048)
def pieces(text: str) -> tuple[str, ...]:
    """``text`` cut into the pieces a line may break between."""
    out: list[str] = []
    i = 0
    ordered = sorted(WORDS, key=len, reverse=True)
    while i < len(text):
        word = next((w for w in ordered if text.startswith(w, i)), None)
        if word is None:  # a run of characters the vocabulary does not know stays whole
            j = i + 1
            while j < len(text) and not any(text.startswith(w, j) for w in ordered):
                j += 1
            word = text[i:j]
        out.append(word)
        i += len(word)
    # the count word goes with the word before it; a single character never stands alone
    merged: list[str] = []
    for p in out:
        if merged and (p in COUNT_WORDS or len(p) == 1 or len(merged[-1]) == 1):
            merged[-1] += p
        else:
            merged.append(p)
    return tuple(merged)


def lines(text: str, most: float) -> list[str]:
    """``text`` on as few lines as fit in display width ``most`` each, broken between pieces and
    balanced (the longest line as short as those lines allow). A piece wider than ``most`` stays whole."""
    parts = pieces(text)
    if width(text) <= most or len(parts) < 2:
        return [text]
    n_min = 1
    while True:
        n_min += 1
        best = balanced(text, n_min)
        if max(width(x) for x in best) <= most or n_min >= len(parts):
            return best


def balanced(text: str, n: int) -> list[str]:
    """``text`` on (at most) ``n`` lines broken between pieces, the widest line as narrow as possible."""
    parts = pieces(text)
    ws = [width(p) for p in parts]

    @lru_cache(maxsize=None)
    def best(i: int, k: int) -> tuple[float, tuple[int, ...]]:
        if k == 1:
            return sum(ws[i:]), (len(parts),)
        out = (float("inf"), ())
        for j in range(i + 1, len(parts) - k + 2):
            rest, cuts = best(j, k - 1)
            cand = max(sum(ws[i:j]), rest)
            if cand < out[0]:
                out = (cand, (j, *cuts))
        return out

    _w, cuts = best(0, min(n, len(parts)))
    start, out = 0, []
    for c in cuts:
        out.append("".join(parts[start:c]))
        start = c
    return out


def head_text(head: str, room_em: float) -> str:
    """A report table's header with its line breaks written in (``\\n``), between words, for a column
    with ``room_em`` ems inside its margins: Word would otherwise break it anywhere (达到五好标准组织 / 数).
    Its unit （个） goes on a line of its own when the table is drawn."""
    main, paren, unit = head.partition("（")
    if not main:
        return head
    return "\n".join(lines(main, max(room_em - 0.2, 1.0) * 2)) + paren + unit  # a Chinese character: 2 here, 1 em
