"""Build gwstats/data/fonts/GWStatsSansSC-Regular.otf: a subset of Noto Sans CJK SC (SIL OFL 1.1).

The charts need a Chinese font on a machine that has none (a bare Linux server, CI). Rather than a
16 MB font (or a 100 MB font package) in every install, gwstats ships the GB 2312 repertoire
(6,763 hanzi, the punctuation and full-width forms: every character of the standard simplified
set) plus ASCII, Latin-1 and every character of the catalog and the sample data, cut from Noto Sans
CJK SC Regular. The subset is renamed (the OFL asks a modified font not to pose as the original);
its licence is gwstats/data/fonts/OFL.txt.

Run once when the character set should change (needs the full font file, e.g. from Debian's
fonts-noto-cjk or any copy of NotoSansCJKsc-Regular.otf):

    .venv/bin/python tools/subset_cjk_font.py /path/to/NotoSansCJKsc-Regular.otf
"""

from __future__ import annotations

import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "gwstats" / "data" / "fonts" / "GWStatsSansSC-Regular.otf"
FAMILY = "GWStats Sans SC"
EXTRA_SOURCES = [ROOT / "gwstats" / "data" / "default_catalog.toml", *sorted((ROOT / "sample_data" / "definition").glob("*.toml"))]


def charset() -> set[int]:
    chars = set(range(0x20, 0x7F)) | set(range(0xA0, 0x100))
    for code in range(0x80, 0x10000):  # GB 2312: what encodes in it
        ch = chr(code)
        try:
            ch.encode("gb2312")
        except UnicodeEncodeError:
            continue
        chars.add(code)
    chars |= set(range(0x3000, 0x3040)) | set(range(0xFF00, 0xFFF0))  # CJK punctuation, full-width forms
    chars |= {ord(c) for c in "−–—‘’“”…·•×÷‰℃№※〇"}
    for p in EXTRA_SOURCES:
        chars |= {ord(c) for c in p.read_text(encoding="utf-8") if ord(c) >= 0x80}
    return chars


def main(src: str):
    font = TTFont(src)
    opts = subset.Options()
    opts.layout_features = ["kern", "palt", "vert", "locl"]
    opts.name_IDs = ["*"]
    opts.name_languages = ["*"]
    opts.hinting = False
    opts.notdef_outline = True
    sub = subset.Subsetter(opts)
    sub.populate(unicodes=sorted(charset()))
    sub.subset(font)
    name = font["name"]
    for rec in name.names:
        if rec.nameID in (1, 16):
            rec.string = FAMILY
        elif rec.nameID == 4:
            rec.string = f"{FAMILY} Regular"
        elif rec.nameID == 6:
            rec.string = "GWStatsSansSC-Regular"
        elif rec.nameID == 3:
            rec.string = "GWStatsSansSC-Regular; subset of Noto Sans CJK SC"
    if "CFF " in font:
        cff = font["CFF "].cff
        cff.fontNames = ["GWStatsSansSC-Regular"]
        top = cff.topDictIndex[0]
        top.FullName = f"{FAMILY} Regular"
        top.FamilyName = FAMILY
    OUT.parent.mkdir(parents=True, exist_ok=True)
    font.save(OUT)
    print(f"{OUT}: {OUT.stat().st_size / 1024 / 1024:.2f} MB, {len(font.getBestCmap())} characters")


if __name__ == "__main__":
    main(sys.argv[1])
