#!/usr/bin/env python3
"""A county's returns for two years where units are missing, moved and change 口径 (issue 20).

    python tools/county_sample.py OUT_DIR            # 单位名单.csv, 2019/*.xlsx, 2020/*.xlsx under OUT_DIR
    python tools/county_sample.py OUT_DIR --workspace  # also a workspace OUT_DIR/工作区 with both years imported

东湖县关工委 (fictional) with towns, villages, the county police bureau and the education bureau. The
returns are gwstats's own template filled in, as a clerk would; what happens between 2019 and 2020:

- 口径 changes: 县公安局 sends 本级 + its two police stations' returns in 2019, and one 汇总 return in 2020
  (the stations send nothing);
- a unit does not report: 白沙镇 sends nothing in 2020;
- a unit moves: 河西村 is under 城关镇 in 2019 (code CG3); in 2020 it is under 石门镇 with code SM3
  (前身 CG3 in the unit list) and still fills in last year's form, with the old code and parent;
- a unit leaves an item blank: 县教育局 leaves 法制副校长人数 blank in 2020.

tests/test_county_sample.py imports the files, rolls up, writes the report, the workbook, the return sent
up and the charts' data, and recomputes every change on them with a calculator. The figures are made up
(nothing of them comes from a published report).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ORGANISATION = "东湖县关工委"
YEARS = (2019, 2020)

# code, name, parent, active_from, active_to, predecessor
UNITS = [
    ("DH", "东湖县关工委", "", "", "", ""),
    ("CG", "城关镇关工委", "DH", "", "", ""),
    ("CG1", "城关镇一村关工小组", "CG", "", "", ""),
    ("CG2", "城关镇二村关工小组", "CG", "", "", ""),
    ("CG3", "河西村关工小组", "CG", "", "2019", ""),
    ("SM", "石门镇关工委", "DH", "", "", ""),
    ("SM1", "石门镇中心校关工委", "SM", "", "", ""),
    ("SM2", "石门镇东村关工小组", "SM", "", "", ""),
    ("SM3", "河西村关工小组", "SM", "2020", "", "CG3"),
    ("BS", "白沙镇关工委", "DH", "", "", ""),
    ("GA", "县公安局关工委", "DH", "", "", ""),
    ("GA1", "城关派出所关工小组", "GA", "", "", ""),
    ("GA2", "石门派出所关工小组", "GA", "", "", ""),
    ("JY", "县教育局关工委", "DH", "", "", ""),
]

K = ("关工委组织数", "达到五好标准组织数", "五老志愿者人数", "五老骨干人数", "法制副校长人数", "法制课场次",
     "受教育师生人次", "资助困难学生人数", "资助金额")


def _v(*values) -> dict:
    """The figures in the order of K; None: the cell is left blank."""
    return {k: v for k, v in zip(K, values) if v is not None}


# (unit code as written on the form, year) -> (口径, figures)
RETURNS = {
    ("DH", 2019): ("本级", _v(1, 1, 12, 6, None, 10, 800)),
    ("CG", 2019): ("本级", _v(3, 2, 40, 12, None, 6, 300, 10, 1.5)),
    ("CG1", 2019): ("本级", _v(1, 1, 15, 4)),
    ("CG2", 2019): ("本级", _v(1, 0, 10, 3)),
    ("CG3", 2019): ("本级", _v(1, 1, 8, 2)),
    ("SM", 2019): ("本级", _v(2, 1, 30, 9, None, 5, 250)),
    ("SM1", 2019): ("本级", _v(1, 1, 20, 6, 1, 8, 600)),
    ("SM2", 2019): ("本级", _v(1, 0, 9, 2)),
    ("BS", 2019): ("本级", _v(4, 3, 35, 10, None, None, None, 8, 1.2)),
    ("GA", 2019): ("本级", _v(1, 1, 6, 3, 10, 20, 3000)),
    ("GA1", 2019): ("本级", _v(1, 1, 4, 2, 3, 6, 900)),
    ("GA2", 2019): ("本级", _v(1, 0, 3, 1, 2, 4, 500)),
    ("JY", 2019): ("本级", _v(5, 4, 60, 20, 20, 40, 8000, 30, 6.5)),
    ("DH", 2020): ("本级", _v(1, 1, 13, 6, None, 12, 900)),
    ("CG", 2020): ("本级", _v(3, 3, 42, 13, None, 7, 320, 12, 1.8)),
    ("CG1", 2020): ("本级", _v(1, 1, 16, 5)),
    ("CG2", 2020): ("本级", _v(1, 0, 11, 3)),
    ("CG3", 2020): ("本级", _v(1, 1, 9, 3)),  # 河西村 on last year's form: old code CG3, old parent 城关镇
    ("SM", 2020): ("本级", _v(2, 2, 31, 10, None, 5, 260)),
    ("SM1", 2020): ("本级", _v(1, 1, 22, 7, 1, 9, 650)),
    ("SM2", 2020): ("本级", _v(1, 1, 9, 3)),
    ("GA", 2020): ("汇总", _v(3, 3, 14, 7, 16, 32, 4600)),  # one 汇总; the stations send nothing
    ("JY", 2020): ("本级", _v(5, 5, 62, 21, None, 42, 8200, 32, 7.0)),  # 法制副校长人数 left blank
    # 白沙镇 (BS) sends nothing in 2020
}


def write_units(path: Path) -> Path:
    lines = ["编码,单位名称,上级编码,启用年度,停用年度,前身"] + [",".join(u) for u in UNITS]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def write_returns(out: Path) -> list[Path]:
    """Each return as the gwstats template filled in (the form of the unit's code, as the unit list of
    the form's year has it: 河西村's 2020 return is on its 2019 form)."""
    from gwstats.forms.template import SHEET_NAME, build_workbook, metric_rows
    from gwstats.model.catalog import load_default

    catalog = load_default()
    units = {u[0]: u for u in UNITS}
    paths = []
    for (code, year), (scope, values) in RETURNS.items():
        _, name, parent, *_ = units[code]
        parent_name = units[parent][1] if parent else ""
        wb = build_workbook(catalog, year=year, unit_name=name, unit_code=code, parent_name=parent_name,
                            organisation=ORGANISATION, scope=scope)
        sheet = wb[SHEET_NAME]
        rows = metric_rows(sheet)
        for label, value in values.items():
            sheet.cell(rows[label], 4, value)
        folder = out / str(year)
        folder.mkdir(parents=True, exist_ok=True)
        suffix = "汇总表" if scope == "汇总" else "统计表"
        path = folder / f"{name}{year}年{suffix}.xlsx"
        wb.save(path)
        paths.append(path)
    return paths


def write_county(out: Path) -> dict:
    """The unit list and both years' returns under ``out``: {"units": path, 2019: folder, 2020: folder}."""
    out.mkdir(parents=True, exist_ok=True)
    units = write_units(out / "单位名单.csv")
    write_returns(out)
    return {"units": units, **{y: out / str(y) for y in YEARS}}


def make_workspace(out: Path, files: dict):
    """A workspace under ``out`` with the unit list and both years imported (the import reports kept)."""
    from gwstats import Workspace

    ws = Workspace.init(out, name=ORGANISATION, year=YEARS[-1])
    ws.import_units(files["units"])
    reports = {y: ws.import_paths([files[y]]) for y in YEARS}
    return ws, reports


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--workspace", action="store_true", help="also make OUT/工作区 with both years imported")
    args = ap.parse_args(argv)
    files = write_county(args.out)
    print(f"已写入 {args.out}：单位名单.csv，{YEARS[0]}/ 和 {YEARS[1]}/ 的报表")
    if args.workspace:
        ws, reports = make_workspace(args.out / "工作区", files)
        for y, rep in reports.items():
            notes = [w.message for f in rep.files for w in f.warnings]
            print(f"{y} 年：导入 {len(rep.files)} 个文件" + "".join(f"\n  {n}" for n in notes))
        print(f"工作区：{ws.root}")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    sys.exit(main())
