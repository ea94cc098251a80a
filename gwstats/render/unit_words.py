"""How metrics and units are named in a sentence or on an axis: 法制课场次 → 开展法制课, 全市 / 全县,
桐城市公安局关工委 → 桐城市公安局, 各县(市)局. Re-exported by :mod:`gwstats.render.wording`."""

from __future__ import annotations

import re
from typing import Iterable

# How a metric's catalog name is said in a sentence (default catalog); other names fall back to
# the name without its trailing 数/人数/场次.
PHRASES = {
    "关工委组织数": "共有关工委组织",
    "达到五好标准组织数": "达到“五好”标准的",
    "应建关工委单位数": "应建关工委的单位",
    "已建关工委单位数": "已建关工委的",
    "关爱工作站数": "建立关爱工作站",
    "五老志愿者人数": "共有五老志愿者",
    "五老骨干人数": "五老骨干",
    "参与关工工作退休民警人数": "参与关工工作的退休民警",
    "五老参加学习培训人数": "参加学习培训的五老",
    "法制副校长人数": "聘任法制副校长",
    "中小学校数": "辖区有中小学校",
    "配备法制副校长学校数": "配备法制副校长的",
    "法制课场次": "开展法制课",
    "受教育师生人次": "受教育师生",
    "法治宣讲活动场次": "开展法治宣讲活动",
    "资助困难学生人数": "资助困难学生",
    "资助金额": "资助金额",
    "结对帮扶对数": "结对帮扶",
    "关爱留守困境儿童人数": "关爱留守、困境儿童",
    "捐款捐物": "捐款捐物",
    "社会力量捐款": "协调社会力量捐款",
    "五老捐款捐物": "五老捐款捐物",
    "培训青年农民人数": "培训青年农民",
    "帮教对象人数": "帮教对象",
    "挽救失足青少年人数": "挽救失足青少年",
    "社区数": "辖区有社区",
    "零犯罪社区数": "零犯罪社区",
    "零犯罪学校数": "零犯罪学校",
    "投入警力": "投入警力",
    "安全检查次数": "开展安全检查",
    "上报宣传稿件": "上报宣传稿件",
    "稿件被采用": "被采用",
}
_NAME_SUFFIXES = ("人数", "对数", "次数", "单位数", "数")



# ---- names and scopes ---------------------------------------------------------------------------
def phrase(name: str) -> str:
    """How a metric is said before its figure: 法制课场次 -> 开展法制课."""
    if name in PHRASES:
        return PHRASES[name]
    for suffix in _NAME_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name[: -len(suffix)]
    return name


def scope_word(unit_name: str) -> str:
    """全市 / 全县 / 全区 / 全镇 ... from the name of the unit the totals belong to."""
    best = None
    for word, out in (("街道", "全街道"), ("市", "全市"), ("县", "全县"), ("区", "全区"), ("镇", "全镇"), ("乡", "全乡")):
        i = unit_name.find(word)
        if i >= 0 and (best is None or i < best[0]):
            best = (i, out)
    return best[1] if best else "全系统"


_SHORT_SUFFIXES = ("关工委员会", "关工委", "关工小组")


def short_unit(name: str) -> str:
    """A unit's name for a chart axis: 桐城市公安局关工委 -> 桐城市公安局."""
    for s in _SHORT_SUFFIXES:
        if name.endswith(s) and len(name) > len(s):
            return name[: -len(s)]
    return name


def level_word(names: Iterable[str]) -> str:
    """How a summary names a set of units: 各县(市)局, 各乡镇(街道), 各派出所, else 各单位."""
    kinds = set()
    for name in names:
        n = short_unit(name)
        m = re.search(r"(县|市|区)(公安)?局$", n)
        if m:
            kinds.add(m.group(1) + "局")
            continue
        for k in ("派出所", "分局", "支队", "大队", "街道", "社区", "学校", "中学", "小学", "镇", "乡", "村", "县", "区", "市", "局"):
            if n.endswith(k):
                kinds.add({"中学": "学校", "小学": "学校"}.get(k, k))
                break
        else:
            return "各单位"
    if not kinds:
        return "各单位"
    if len(kinds) == 1:
        return "各" + next(iter(kinds))
    if kinds <= {"县局", "市局"}:
        return "各县(市)局"
    if kinds <= {"县局", "市局", "区局", "分局"}:
        return "各县(市、区)局"
    if kinds <= {"县", "市", "区"}:
        return "各县(市、区)"
    if kinds <= {"镇", "乡", "街道"}:
        return "各乡镇(街道)"
    if kinds <= {"社区", "村"}:
        return "各村(社区)"
    return "各单位"
