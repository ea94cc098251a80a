"""Hand-made forms as a level above sends them (openpyxl), for catalog from-template and export --into."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)


def _box(ws, top, left, bottom, right):
    for r in range(top, bottom + 1):
        for c in range(left, right + 1):
            ws.cell(r, c).border = BOX


def long_form(path: Path, year: int = 2019) -> Path:
    """A list of indicators with group headings, 其中 rows, a stated relation and a 填表说明 sheet."""
    wb = Workbook()
    ws = wb.active
    ws.title = "统计表"
    ws.merge_cells("A1:E1")
    ws["A1"] = f"{year}年度关心下一代工作统计表"
    ws["A1"].font = Font(bold=True, size=16)
    ws["A1"].alignment = Alignment(horizontal="center")
    ws["A2"] = "填报单位："
    ws["D2"] = "年度："
    ws["E2"] = year
    for c, h in enumerate(("序号", "指标", "计量单位", "数值", "备注"), 1):
        ws.cell(3, c, h).font = Font(bold=True)
    rows = [
        ("一、组织建设",),
        (1, "关工委组织数", "个"),
        (2, "其中：达到五好标准组织数", "个"),
        (3, "家长学校数", "所"),
        ("二、五老队伍",),
        (4, "五老志愿者人数", "人"),
        (5, "其中：五老骨干人数", "人"),
        ("三、帮扶助学",),
        (6, "捐款捐物", "万元"),
        (7, "其中：社会力量捐款", "万元"),
        (8, "      五老捐款捐物", "万元"),
        (9, "开展家庭教育讲座场次", "场次"),
    ]
    r = 4
    for row in rows:
        if len(row) == 1:
            ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=5)
            ws.cell(r, 1, row[0]).font = Font(bold=True)
            ws.cell(r, 1).fill = PatternFill("solid", fgColor="EDEDED")
        else:
            for c, v in enumerate(row, 1):
                ws.cell(r, c, v)
        r += 1
    _box(ws, 3, 1, r - 1, 5)
    ws.cell(r + 1, 1, "注：表内关系 6=7+8；1≥2。")
    ws.cell(r + 2, 1, "填报人：")
    ws.cell(r + 2, 3, "联系电话：")
    ws.protection.sheet = True
    help_ = wb.create_sheet("填表说明")
    help_["A1"] = "填表说明"
    help_["A2"] = "1. 数值只填数字。"
    wb.save(path)
    return path


CROSSTAB_ROWS = ["合计", "乡镇(街道)", "村", "社区", "学校", "其中：中小学", "企业"]
CROSSTAB_COLS = ["应建关工委单位数", "已建关工委单位数", "关工小组数", "达到五好标准组织数"]


def crosstab_form(path: Path, year: int = 2019, *, total_formulas: bool = False) -> Path:
    """主栏 rows × 宾栏 columns under a two-row merged header, a 栏号 row, a 其中 row, 表号 and 制表机关."""
    wb = Workbook()
    ws = wb.active
    ws.title = "组织建设"
    ws.merge_cells("A1:E1")
    ws["A1"] = f"{year}年基层关工委组织建设情况统计表"
    ws["D2"] = "表号：关统2表"
    ws["D3"] = "制表机关：某省关工委"
    ws["A3"] = "填报单位："
    ws["E4"] = "计量单位：个"
    ws.merge_cells("A5:A6")
    ws["A5"] = "项目"
    ws.merge_cells("B5:D5")
    ws["B5"] = "组织建设"
    ws.merge_cells("E5:E6")
    ws["E5"] = CROSSTAB_COLS[3]
    for c, h in enumerate(CROSSTAB_COLS[:3], 2):
        ws.cell(6, c, h)
    for c, h in enumerate(("甲", 1, 2, 3, 4), 1):
        ws.cell(7, c, h)
    for i, label in enumerate(CROSSTAB_ROWS):
        ws.cell(8 + i, 1, label)
        if total_formulas and i == 0:
            for c in range(2, 6):
                col = "ABCDE"[c - 1]
                ws.cell(8, c, f"={col}9+{col}10+{col}11+{col}12+{col}14")
    last = 8 + len(CROSSTAB_ROWS) - 1
    _box(ws, 5, 1, last, 5)
    ws.cell(last + 2, 1, "注：1. 2≤1；4≤2。")
    ws.cell(last + 3, 1, "填报人：")
    wb.save(path)
    return path


def two_table_form(path: Path, year: int = 2019) -> Path:
    """表1 (a list) and 表2 (a cross-tab) on one sheet, each with its 表号; relations on the 填表说明 sheet."""
    wb = Workbook()
    ws = wb.active
    ws.title = "年报"
    ws["A1"] = "表1  五老队伍情况"
    ws["D1"] = "表号：关统1表"
    for c, h in enumerate(("序号", "指标", "计量单位", "数值"), 1):
        ws.cell(2, c, h)
    for i, (name, unit) in enumerate((("五老志愿者人数", "人"), ("五老骨干人数", "人"), ("五老参加学习培训人数", "人")), 1):
        ws.cell(2 + i, 1, i)
        ws.cell(2 + i, 2, name)
        ws.cell(2 + i, 3, unit)
    ws["A8"] = "表2  法治教育开展情况"
    ws["D8"] = "表号：关统2表"
    for c, h in enumerate(("类别", "法制副校长人数（人）", "法制课场次（场次）", "受教育师生人次（人次）"), 1):
        ws.cell(9, c, h)
    for i, label in enumerate(("城区学校", "农村学校", "合计")):
        ws.cell(10 + i, 1, label)
    ws["A14"] = "填报人：            审核人："
    help_ = wb.create_sheet("填表说明")
    help_["A1"] = "填表说明"
    help_["A2"] = "表1：1≥2，1≥3。"
    wb.save(path)
    return path


CITY_ROWS = [  # (label as the city writes it, unit) — another order and other wordings than the catalog's
    ("一、五老队伍", None),
    ("五老志愿者", "人"),
    ("其中：五老骨干", "人"),
    ("二、组织建设", None),
    ("关工委组织总数", "个"),
    ("达到五好标准组织数", "个"),
    ("三、帮扶助学", None),
    ("资助金额", "万元"),
    ("资助困难学生人数", "人"),
    ("关爱老党员人数", "人"),  # the city asks for something no catalog here has
    ("四、法治教育", None),
    ("法治课场次", "场次"),
]


def city_long_form(path: Path, year: int = 2018) -> Path:
    """The city's own form: merged title, styled, a check formula beside the figures, protected."""
    wb = Workbook()
    ws = wb.active
    ws.title = "市统计表"
    ws.merge_cells("A1:E1")
    ws["A1"] = f"丙市{year}年度关心下一代工作情况统计表"
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
    help_["A1"] = "请各县（市、区）于次年1月15日前报送。"
    wb.save(path)
    return path


def city_wide_form(path: Path, counties: list[str], year: int = 2018) -> Path:
    """One row per county, indicators across under a merged two-row header, a 合计 row."""
    wb = Workbook()
    ws = wb.active
    ws.title = "汇总"
    ws.merge_cells("A1:E1")
    ws["A1"] = f"丙市{year}年度关工委工作统计表（各县）"
    ws.merge_cells("A2:A3")
    ws["A2"] = "单位名称"
    ws.merge_cells("B2:C2")
    ws["B2"] = "五老队伍"
    ws["B3"] = "五老志愿者人数"
    ws["C3"] = "五老骨干人数"
    ws.merge_cells("D2:E2")
    ws["D2"] = "法治教育"
    ws["D3"] = "法制课场次"
    ws["E3"] = "受教育师生人次"
    for i, name in enumerate(counties):
        ws.cell(4 + i, 1, name)
    last = 4 + len(counties)
    ws.cell(last, 1, "合计")
    for c in "BCDE":
        ws[f"{c}{last}"] = f"=SUM({c}4:{c}{last - 1})"
    wb.save(path)
    return path


def crosstab_return(path: Path, unit: str, values: dict, rows: list[str], cols: list[str], *, year: int = 2019,
                    blank_rows: tuple[int, ...] = ()) -> Path:
    """A filled cross-tab as a unit sends it back: its own row and column order, maybe gaps."""
    wb = Workbook()
    ws = wb.active
    ws.title = "组织建设"
    ws["A1"] = f"{year}年基层关工委组织建设情况统计表"
    ws["A2"] = f"填报单位：{unit}"
    ws.cell(3, 1, "项目")
    for j, c in enumerate(cols, 2):
        ws.cell(3, j, c)
    r = 4
    for i, label in enumerate(rows):
        if i in blank_rows:
            r += 1
        ws.cell(r, 1, label)
        for j, c in enumerate(cols, 2):
            v = values.get((label.replace("其中：", ""), c))
            if v is not None:
                ws.cell(r, j, v)
        r += 1
    ws.cell(r + 1, 1, "填报人：李四")
    wb.save(path)
    return path
