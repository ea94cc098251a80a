"""The level above 集安 in the sample: what the README walkthrough reads besides the returns.

- 通化市关工委 (集安's superior): its units list (通化 → 集安、辉南) and its own form, which 集安 fills
  with ``gwstats export --into``. The form asks its rows in other words and another order than the
  catalog, and one row (关爱老党员人数) that no catalog here has: export lists it, never guesses.
- 省关工委 (the province): a cross-tab form (主栏 rows × 宾栏 columns, two-row merged header, 栏号 row,
  其中 row, 表号, a note stating relations) that ``gwstats catalog from-template`` turns into a catalog.

Written by generate.py into sample_data/superior/ with fixed workbook properties (deterministic bytes).
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Callable

FOLDER = "superior"
UNITS_FILE = "通化市关工委单位名单.csv"
CITY_FORM = "通化市关工委2020年统计表.xlsx"
PROVINCE_FORM = "省关工委组织建设情况统计表.xlsx"

CITY_UNITS = [  # code, name, parent, aliases
    ("TH", "通化市关工委", "", "通化市关心下一代工作委员会"),
    ("JA", "集安市关工委", "TH", "集安市；集安"),
    ("HN", "辉南县关工委", "TH", "辉南县；辉南"),
]

CITY_ROWS = [  # (label as the city writes it, unit); None: a group heading
    ("一、五老队伍", None),
    ("五老志愿者", "人"),
    ("其中：五老骨干", "人"),
    ("二、组织建设", None),
    ("关工委组织总数", "个"),
    ("达到五好标准组织数", "个"),
    ("三、帮扶助学", None),
    ("资助金额", "万元"),
    ("资助困难学生人数", "人"),
    ("关爱老党员人数", "人"),  # no catalog here has it
    ("四、法治教育", None),
    ("法治课场次", "场次"),
]

PROVINCE_ROWS = ["合计", "乡镇(街道)", "村", "社区", "学校", "其中：中小学", "企业"]
PROVINCE_COLS = ["应建关工委单位数", "已建关工委单位数", "关工小组数", "达到五好标准组织数"]


def _box(ws, top, left, bottom, right):
    from openpyxl.styles import Border, Side

    thin = Side(style="thin")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    for r in range(top, bottom + 1):
        for c in range(left, right + 1):
            ws.cell(r, c).border = box


def write_units(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["编码", "单位名称", "上级编码", "别名"])
        w.writerows(CITY_UNITS)
    return path


def city_form(year: int = 2020):
    """通化's own form: merged red title, styled header, a check formula beside the figures, protected."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    wb = Workbook()
    ws = wb.active
    ws.title = "市统计表"
    ws.merge_cells("A1:E1")
    ws["A1"] = f"通化市{year}年度关心下一代工作情况统计表"
    ws["A1"].font = Font(bold=True, size=18, color="C00000")
    ws["A2"] = "填报单位：________"
    ws["D2"] = "年度："
    ws["E2"] = year
    for c, h in enumerate(("序号", "项目", "单位", "本年数", "核对"), 1):
        ws.cell(3, c, h).font = Font(bold=True)
        ws.cell(3, c).fill = PatternFill("solid", fgColor="BDD7EE")
    r, n = 4, 0
    for label, unit in CITY_ROWS:
        if unit is None:
            ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=5)
            ws.cell(r, 1, label)
        else:
            n += 1
            ws.cell(r, 1, n)
            ws.cell(r, 2, label)
            ws.cell(r, 3, unit)
            ws.cell(r, 4).fill = PatternFill("solid", fgColor="FFF2CC")
        r += 1
    ws["E6"] = '=IF(D6>D5,"骨干多于志愿者","")'
    _box(ws, 3, 1, r - 1, 5)
    ws.cell(r + 1, 1, "填报人：")
    ws.cell(r + 1, 3, "联系电话：")
    ws.protection.sheet = True
    ws.protection.password = "1234"
    help_ = wb.create_sheet("填表说明")
    help_["A1"] = "请各县（市、区）关工委于次年1月20日前报送。"
    return wb


def province_form(year: int = 2020):
    """The province's cross-tab: 主栏 × 宾栏 under a two-row merged header, 栏号 row, 其中 row, 表号, notes."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = "组织建设"
    ws.merge_cells("A1:E1")
    ws["A1"] = f"{year}年基层关工委组织建设情况统计表"
    ws["A1"].font = Font(bold=True, size=16)
    ws["D2"] = "表号：关统2表"
    ws["D3"] = "制表机关：省关工委"
    ws["A3"] = "填报单位："
    ws["E4"] = "计量单位：个"
    ws.merge_cells("A5:A6")
    ws["A5"] = "项目"
    ws.merge_cells("B5:D5")
    ws["B5"] = "组织建设"
    ws.merge_cells("E5:E6")
    ws["E5"] = PROVINCE_COLS[3]
    for c, h in enumerate(PROVINCE_COLS[:3], 2):
        ws.cell(6, c, h)
    for c, h in enumerate(("甲", 1, 2, 3, 4), 1):
        ws.cell(7, c, h)
    for i, label in enumerate(PROVINCE_ROWS):
        ws.cell(8 + i, 1, label)
    last = 8 + len(PROVINCE_ROWS) - 1
    _box(ws, 5, 1, last, 5)
    ws.cell(last + 2, 1, "注：1. 2≤1；4≤2。")
    ws.cell(last + 3, 1, "填报人：")
    return wb


def generate(out_root: Path, save: Callable) -> list[Path]:
    """Write the superior's units list and forms under out_root/superior/; ``save(wb, path)`` fixes the bytes."""
    folder = Path(out_root) / FOLDER
    written = [write_units(folder / UNITS_FILE)]
    for name, wb in ((CITY_FORM, city_form()), (PROVINCE_FORM, province_form())):
        save(wb, folder / name)
        written.append(folder / name)
    return written
