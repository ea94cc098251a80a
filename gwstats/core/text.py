"""Text normalisation shared by unit and metric matching."""

from __future__ import annotations

import re
import unicodedata

_SPACE = re.compile(r"\s+")
_UNIT_SUFFIX = re.compile(r"(关心下一代工作委员会|关工委|关工小组)$")
# Brackets and anything inside them, e.g. "资助金额（万元）" -> "资助金额".
_BRACKETED = re.compile(r"[(\[（【〔][^)\]）】〕]*[)\]）】〕]")
_PUNCT = re.compile(r"[\"'“”‘’「」『』《》〈〉:：,，.。;；、!！?？·•*＊_\-—–~～/]")


def nfkc(text: str) -> str:
    """Full-width to half-width (１２０ -> 120, （ -> (), and the like."""
    return unicodedata.normalize("NFKC", text)


def squash(text: str) -> str:
    """NFKC and no white space at all (“五 老 志 愿 者” -> “五老志愿者”)."""
    return _SPACE.sub("", nfkc(str(text)))


def unit_key(name: str) -> str:
    """Key for matching a unit by name or alias: no spaces, no trailing 关工委/关工小组."""
    key = squash(name)
    key = _UNIT_SUFFIX.sub("", key)
    return key.lower()


def unit_keys(names: list[str]) -> list[str]:
    """:func:`unit_key` of each name (the hierarchy's 300,000 at 100,000 units): NFKC and the white
    space taken out of all of them at once (NUL between them, which neither changes nor crosses)."""
    joined = nfkc("\0".join(names))
    parts = _SPACE.sub("", joined).split("\0")
    if len(parts) != len(names):  # a name holding NUL itself
        return [unit_key(n) for n in names]
    sub = _UNIT_SUFFIX.sub
    return [sub("", p).lower() for p in parts]


def label_key(label: str) -> str:
    """Key for matching a metric label: no spaces, brackets, punctuation; 法治 == 法制."""
    key = squash(label)
    key = _BRACKETED.sub("", key)
    key = re.sub(r"^[0-9]+[.、)]?", "", key)  # leading item numbers such as "1." or "12、"
    key = re.sub(r"^[一二三四五六七八九十]+[、.]", "", key)
    key = _PUNCT.sub("", key)
    key = key.replace("法治", "法制")
    return key.lower()


_UNIT_IN_BRACKETS = re.compile(r"[(（]([^()（）]{1,6})[)）]\s*$")


def unit_in_brackets(label: str) -> str | None:
    """The unit of measure written inside a label, e.g. "资助金额（万元）" -> "万元"."""
    label = str(label)
    last = label.rstrip()[-1:]
    if not last or (last not in ")）" and not nfkc(last).endswith(")")):
        return None  # no closing bracket at the end (the usual label): no unit, without normalising it all
    m = _UNIT_IN_BRACKETS.search(nfkc(label).strip())
    return m.group(1).strip() if m else None
