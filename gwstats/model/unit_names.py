"""Unit names as people write them, matched to the hierarchy.

Written forms this module reads (besides the name, an alias or the code):
- the parent's place name in front: "集安市财源镇关工委" (财源镇关工委 under 集安市关工委),
  "安庆市公安局桐城市局关工委" (桐城市局 under 安庆市公安局), several levels deep;
- a note after the name: "（盖章）", "（本级）", "本级", "机关": "甲县关工委本级" is 甲县关工委, and
  :func:`marks_own` tells that the text names the unit's own (本级) figures;
- 关心下一代工作委员会 spelled out anywhere, not only at the end;
- the short form of a unit whose listed name carries its parent's place name in front:
  "财源镇" for "集安市财源镇关工委".
"""

from __future__ import annotations

import re

from gwstats.core.text import squash, unit_key

_NOTE = r"盖章|公章|签章|章|签字|签名|本级|本部|本单位|机关|局机关"
_BRACKET_NOTE = re.compile(rf"[(（【\[〔<《]\s*({_NOTE})\s*[)）】\]〕>》]")
_TRAILING_OWN = re.compile(r"(本级|本部|本单位|机关)$")
_OWN = re.compile(r"(本级|本单位)")
_FULL = re.compile(r"关心下一代工作委员会")
MAX_LEVELS = 6  # parents' names in front of a name, at most
MAX_NAME = 200  # characters of a written unit name that are matched at all: a longer cell names no unit


def clean_key(text: str) -> str:
    """The matching key of a written unit name, without stamp notes, 本级 and 关工委."""
    t = squash(str(text))
    t = _BRACKET_NOTE.sub("", t)
    t = _FULL.sub("关工委", t)
    for _ in range(2):  # "甲县关工委（本级）机关" and the like
        t = _TRAILING_OWN.sub("", t)
        t = unit_key(t)
    return t


def marks_own(text: str) -> bool:
    """The written name says 本级 (the unit's own activity): "甲县关工委本级", "甲县关工委（本级）"."""
    return bool(text) and bool(_OWN.search(squash(str(text))))


class UnitNames:
    """Index of a hierarchy's names for the written forms above (built once per hierarchy)."""

    def __init__(self, hierarchy):
        self.h = hierarchy
        labels: dict[str, list[str]] = {}  # code -> its name's and aliases' keys
        keys: dict[str, str] = {}
        for u in hierarchy.units.values():
            ks = labels[u.code] = [k for k in dict.fromkeys(clean_key(x) for x in (u.name, *u.aliases)) if k]
            for k in ks:
                keys.setdefault(k, u.code)
        for u in hierarchy.units.values():
            keys.setdefault(clean_key(u.code), u.code)
        keys.pop("", None)
        self.keys = keys
        self.longest = max(map(len, keys), default=0)  # no prefix longer than the longest key can name a unit
        # short forms: a listed name minus an ancestor's name in front ("集安市财源镇" -> "财源镇")
        short: dict[str, str | None] = {}
        for u in hierarchy.units.values():
            if not u.parent:
                continue
            anc_keys = [k for a in hierarchy.ancestors(u.code) for k in labels[a] if len(k) >= 2]
            for k in labels[u.code]:
                for ak in anc_keys:
                    if k.startswith(ak) and len(k) - len(ak) >= 2:
                        rest = k[len(ak):]
                        if rest in keys:
                            continue
                        short[rest] = u.code if short.get(rest, u.code) == u.code else None  # None: ambiguous
        self.short = {k: c for k, c in short.items() if c is not None}

    def _lookup(self, key: str) -> str | None:
        return self.keys.get(key) or self.short.get(key)

    def match(self, text: str) -> str | None:
        text = str(text)
        if len(text) > 4 * MAX_NAME:  # not a unit name; cleaning it would only cost time
            return None
        key = clean_key(text)
        if not key or len(key) > MAX_NAME:
            return None
        return self._match_key(key, MAX_LEVELS, {})

    def _match_key(self, key: str, levels: int, memo: dict) -> str | None:
        code = self._lookup(key)
        if code or levels == 0:
            return code
        if (len(key), levels) in memo:  # the same tail at the same depth: answered already
            return memo[len(key), levels]
        found = None
        # a parent's name in front: the longest prefix that names a unit, the rest a unit below it
        for i in range(min(len(key) - 2, self.longest), 1, -1):
            parent = self._lookup(key[:i])
            if parent is None:
                continue
            code = self._match_key(key[i:], levels - 1, memo)
            if code and parent in self.h.ancestors(code):
                found = code
                break
        memo[len(key), levels] = found
        return found
