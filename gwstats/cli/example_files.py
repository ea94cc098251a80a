"""`gwstats demo --files DIR`: lay out what the README walkthrough reads, where the reader stands.

The bundled sample data (gwstats.sample_data, see sample_data/README.md) is copied into DIR as:

    集安/单位名单.csv            集安/收到的报表/2019/ 2020/
    安庆/单位名单.xlsx           安庆/收到的报表/2017/ 2018/
    通化/单位名单.csv            上级表格/通化市关工委2020年统计表.xlsx、省关工委组织建设情况统计表.xlsx

Nothing is run; the walkthrough makes its workspaces itself.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from gwstats.core.errors import GwstatsError, UsageError

# (folder in DIR, sample folder, what it is); the sample's definition names its units file and years.
SAMPLES = (("集安", "jian-an"), ("安庆", "anqing-police"))
RETURNS_DIR = "收到的报表"
UNITS_NAME = "单位名单"
SUPERIOR = "superior"  # sample_data/superior/, written by sample_data/superior.py
SUPERIOR_UNITS = ("通化市关工委单位名单.csv", "通化")
SUPERIOR_FORMS = ("通化市关工委2020年统计表.xlsx", "省关工委组织建设情况统计表.xlsx")
FORMS_DIR = "上级表格"


@dataclass
class Placed:
    path: str  # relative to DIR, as the walkthrough types it
    what: str


def _root():
    try:
        return resources.files("gwstats.sample_data")
    except ModuleNotFoundError:  # an old editable install made before sample_data shipped as a package
        here = Path(__file__).resolve().parents[2] / "sample_data"
        if (here / "definition").is_dir():
            return here
        raise GwstatsError("找不到自带的示例数据（gwstats.sample_data）。请重新安装 gwstats。") from None


def _copy_file(src, dest: Path):
    if not src.is_file():
        raise GwstatsError(f"示例数据不完整：找不到 {src.name}。请重新安装 gwstats。")
    dest.parent.mkdir(parents=True, exist_ok=True)
    dest.write_bytes(src.read_bytes())


def _copy_year(src, dest: Path) -> int:
    n = 0
    for entry in sorted(src.iterdir(), key=lambda e: e.name):
        if entry.is_file() and not entry.name.startswith("."):
            _copy_file(entry, dest / entry.name)
            n += 1
    return n


def _prepare(dest: Path):
    if dest.exists() and not dest.is_dir():
        raise UsageError(f"{dest} 已存在且不是文件夹")
    if dest.exists() and any(dest.iterdir()):
        raise UsageError(f"{dest} 已存在且不为空：请换一个文件夹，或先删除它")
    dest.mkdir(parents=True, exist_ok=True)


def lay_out(dest: Path) -> list[Placed]:
    """Copy the units lists, both samples' returns and the superior's forms into ``dest`` (new or empty)."""
    dest = Path(dest)
    _prepare(dest)
    root = _root()
    placed: list[Placed] = []
    for folder, sample in SAMPLES:
        d = tomllib.loads(root.joinpath("definition", f"{sample}.toml").read_text(encoding="utf-8"))
        info = d["workspace"]
        units = info["units_file"]
        units_to = f"{folder}/{UNITS_NAME}{Path(units).suffix}"
        _copy_file(root.joinpath(sample, units), dest / units_to)
        placed.append(Placed(units_to, f"{info['name']}的单位名单（{len(d['units'])} 个单位）"))
        for year in info["years"]:
            to = f"{folder}/{RETURNS_DIR}/{year}/"
            n = _copy_year(root.joinpath(sample, str(year)), dest / to)
            placed.append(Placed(to, f"{info['name']} {year} 年收到的报表（{n} 个文件）"))
    name, folder = SUPERIOR_UNITS
    units_to = f"{folder}/{UNITS_NAME}.csv"
    _copy_file(root.joinpath(SUPERIOR, name), dest / units_to)
    placed.append(Placed(units_to, "通化市关工委（集安的上级）的单位名单"))
    for form in SUPERIOR_FORMS:
        to = f"{FORMS_DIR}/{form}"
        _copy_file(root.joinpath(SUPERIOR, form), dest / to)
        placed.append(Placed(to, "上级下发的表格"))
    return placed
