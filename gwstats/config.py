"""gwstats.toml: the workspace's settings, and finding the workspace."""

from __future__ import annotations

import datetime as dt
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from .errors import GwstatsError, WorkspaceNotFound

CONFIG_NAME = "gwstats.toml"
# The meeting chart set when gwstats.toml names none: "kind:metric" (share: parts joined by +).
DEFAULT_STANDARD_CHARTS = (
    "bar:legal_lessons",
    "bar:aided_students",
    "rate:rate_wuhao",
    "rate:rate_coverage",
    "compare:wulao_volunteers",
    "trend:legal_audience",
    "share:donations_social+donations_wulao",
)
ENV_VAR = "GWSTATS_WORKSPACE"

CONFIG_TEMPLATE = """\
# gwstats 工作区设置 (workspace settings)

[organisation]
# 本级组织名称，用于报表、图表和工作总结的标题
name = "{name}"

[report]
# 默认统计年度（命令不写 --year 时使用）
default_year = {year}
# 报送截止日期：统计年度次年的 月-日（例如 "01-15" 表示次年1月15日）
deadline = "01-15"

[catalog]
# 指标目录文件（相对于本工作区）；删除此行则使用内置默认目录
file = "catalog.toml"

[import]
# 单个报表文件大小上限（MB）
max_file_mb = 20

[checks]
# 同比异常：变化超过 jump_relative（0.5 = 50%）且绝对变化至少 jump_absolute 时提示
jump_relative = 0.5
jump_absolute = 10
# 报表中填写的比率与由分子分母算出的比率相差超过该值（百分点）时提示
rate_tolerance = 0.1

[export]
# 报上级的汇总表（gwstats export --as-return / --into）中填写的表头字段；可删除不用
# filled_by = "张三"          # 填报人
# phone = "0435-0000000"     # 联系电话
# unit_name = "某某市关工委"  # 上级单位名单中本单位的名称（默认：单位名单最上级的名称）

[charts]
# gwstats charts 生成的一套会议图表：每项为 "种类:指标"，种类为 bar / compare / trend / rate / share
standard = [
{standard_charts}
]
# 会议投影用 16:9 尺寸（英寸）与分辨率
size = [13.33, 7.5]
dpi = 200
"""


@dataclass
class Config:
    organisation: str = "关工委"
    default_year: int | None = None
    deadline: str = "01-15"
    catalog_file: str | None = "catalog.toml"
    max_file_mb: float = 20
    jump_relative: float = 0.5
    jump_absolute: float = 10
    rate_tolerance: float = 0.1
    standard_charts: list[str] = field(default_factory=list)
    chart_size: tuple[float, float] = (13.33, 7.5)
    chart_dpi: int = 200
    raw: dict = field(default_factory=dict)

    def deadline_for(self, year: int) -> dt.date:
        """The reporting deadline for statistical year ``year`` (a date in year + 1)."""
        text = self.deadline.strip()
        try:
            if len(text) == 10:  # a full date
                return dt.date.fromisoformat(text)
            month, day = (int(x) for x in text.split("-"))
            return dt.date(year + 1, month, day)
        except ValueError:
            raise GwstatsError(f"{CONFIG_NAME} 中 [report] deadline “{self.deadline}” 应写成 “月-日”，如 “01-15”") from None


def parse_config(path: Path) -> Config:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise GwstatsError(f"{path} 格式错误：{exc}") from None
    org = data.get("organisation", {})
    rep = data.get("report", {})
    cat = data.get("catalog", {})
    imp = data.get("import", {})
    chk = data.get("checks", {})
    ch = data.get("charts", {})
    cfg = Config(raw=data)
    cfg.organisation = org.get("name", cfg.organisation)
    cfg.default_year = rep.get("default_year")
    cfg.deadline = str(rep.get("deadline", cfg.deadline))
    cfg.catalog_file = cat.get("file")
    cfg.max_file_mb = float(imp.get("max_file_mb", cfg.max_file_mb))
    cfg.jump_relative = float(chk.get("jump_relative", cfg.jump_relative))
    cfg.jump_absolute = float(chk.get("jump_absolute", cfg.jump_absolute))
    cfg.rate_tolerance = float(chk.get("rate_tolerance", cfg.rate_tolerance))
    cfg.standard_charts = list(ch.get("standard", []))
    if "size" in ch:
        cfg.chart_size = tuple(float(x) for x in ch["size"])
    cfg.chart_dpi = int(ch.get("dpi", cfg.chart_dpi))
    return cfg


def find_workspace(explicit: str | Path | None = None, start: Path | None = None) -> Path:
    """--workspace, else the nearest folder upward holding gwstats.toml, else $GWSTATS_WORKSPACE."""
    if explicit:
        p = Path(explicit).expanduser()
        if (p / CONFIG_NAME).is_file():
            return p.resolve()
        raise WorkspaceNotFound(f"{p} 不是 gwstats 工作区（没有 {CONFIG_NAME}）。请先运行：gwstats init {p}")
    here = (start or Path.cwd()).resolve()
    for d in (here, *here.parents):
        if (d / CONFIG_NAME).is_file():
            return d
    env = os.environ.get(ENV_VAR)
    if env:
        p = Path(env).expanduser()
        if (p / CONFIG_NAME).is_file():
            return p.resolve()
        raise WorkspaceNotFound(f"环境变量 {ENV_VAR} 指向的 {p} 不是 gwstats 工作区。请先运行：gwstats init {p}")
    raise WorkspaceNotFound("当前目录不在 gwstats 工作区中。请先运行 gwstats init 创建工作区，或用 --workspace 指定。")
