"""gwstats.toml: the workspace's settings, and finding the workspace."""

from __future__ import annotations

import datetime as dt
import math
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from gwstats.core.errors import GwstatsError, UsageError, WorkspaceNotFound

CONFIG_NAME = "gwstats.toml"
ENV_VAR = "GWSTATS_WORKSPACE"
MIN_YEAR, MAX_YEAR = 1949, 2100  # a statistical year, in settings and on the command line

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
# 工作总结（gwstats report）文末的成文日期；不设则用生成当天（也可用 report --date 指定）
# date = "2021-01-15"

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

# 本单位定下的比率目标：图表画出目标线，报告写哪些单位达到、哪些低于。不设就不画、不评。
# 设定时去掉下面两行开头的 #，写法为 比率的编码或名称 = 目标值：
# [targets]
# rate_wuhao = 80        # 五好达标率 80%（写名称时加引号："五好达标率" = 80）

[charts]
# gwstats charts 生成的一套会议图表：每项为 "种类:指标"，种类为 bar / compare / trend / rate / share，
# 如 "rate:rate_wuhao"、"compare:wulao_volunteers"。留空时按指标目录和当年数据自动选择。
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
    targets: dict[str, float] = field(default_factory=dict)  # [targets]: indicator code or name -> target
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
            raise ConfigError(f"{CONFIG_NAME} 中 [report] deadline “{self.deadline}” 应写成 “月-日”，如 “01-15”") from None


class ConfigError(UsageError):
    """A bad value in gwstats.toml: the message names the key and what is expected (exit 2)."""


def read_toml_text(path: Path) -> str:
    """A TOML file as Notepad may save it: UTF-8 with or without BOM, or GBK/GB18030."""
    from gwstats.read.reader import utf8_or_gb

    text = utf8_or_gb(path.read_bytes())
    if text is None:
        raise ConfigError(f"{path} 的文字编码无法识别（请用记事本另存为 UTF-8）")
    return text


def _number(path, table: dict, section: str, key: str, default, *, low, high, integer=False):
    if key not in table:
        return default
    value = table[key]
    what = "整数" if integer else "数字"
    ok = isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
    if ok and integer and isinstance(value, float):
        ok = value.is_integer()
    if not ok or not low <= value <= high:
        raise ConfigError(f"{path.name} 中 [{section}] {key} = {_shown(value)} 不可用：应为 {low:g}–{high:g} 之间的{what}")
    return int(value) if integer else float(value)


def _text(path, table: dict, section: str, key: str, default):
    if key not in table:
        return default
    value = table[key]
    if not isinstance(value, str):
        raise ConfigError(f"{path.name} 中 [{section}] {key} = {_shown(value)} 不可用：应为用引号括起的文字")
    return value


def _shown(value) -> str:
    text = repr(value) if not isinstance(value, str) else f'"{value}"'
    return text if len(text) <= 40 else text[:30] + "…"


def _table(path, data: dict, section: str) -> dict:
    value = data.get(section, {})
    if not isinstance(value, dict):
        raise ConfigError(f"{path.name} 中 {section} 应为一节 [{section}]，实际是 {_shown(value)}")
    return value


def parse_config(path: Path) -> Config:
    """gwstats.toml, every value checked: a bad one is named with what is expected."""
    try:
        data = tomllib.loads(read_toml_text(path))
    except tomllib.TOMLDecodeError as exc:
        raise GwstatsError(f"{path} 格式错误：{exc}") from None
    except RecursionError:  # arrays or tables nested thousands deep
        raise GwstatsError(f"{path} 格式错误：数组或表嵌套过深") from None
    org, rep, cat, imp, chk, ch = (_table(path, data, k) for k in ("organisation", "report", "catalog", "import", "checks", "charts"))
    cfg = Config(raw=data)
    cfg.organisation = _text(path, org, "organisation", "name", cfg.organisation)
    cfg.default_year = _number(path, rep, "report", "default_year", None, low=MIN_YEAR, high=MAX_YEAR, integer=True)
    cfg.deadline = str(rep.get("deadline", cfg.deadline))
    cfg.deadline_for(2019)  # a bad deadline fails every command as a bad setting (exit 2); 2020 allows 02-29
    cfg.catalog_file = _text(path, cat, "catalog", "file", None)
    cfg.max_file_mb = _number(path, imp, "import", "max_file_mb", cfg.max_file_mb, low=0.001, high=10_000)
    cfg.jump_relative = _number(path, chk, "checks", "jump_relative", cfg.jump_relative, low=0, high=1e6)
    cfg.jump_absolute = _number(path, chk, "checks", "jump_absolute", cfg.jump_absolute, low=0, high=1e12)
    cfg.rate_tolerance = _number(path, chk, "checks", "rate_tolerance", cfg.rate_tolerance, low=0, high=100)
    standard = ch.get("standard", [])
    if not isinstance(standard, list) or not all(isinstance(x, str) for x in standard):
        raise ConfigError(f"{path.name} 中 [charts] standard 不可用：应为文字的列表，如 [\"bar:legal_lessons\"]")
    cfg.standard_charts = list(standard)
    if "size" in ch:
        size = ch["size"]
        if not (isinstance(size, list) and len(size) == 2):
            raise ConfigError(f"{path.name} 中 [charts] size = {_shown(size)} 不可用：应为 [宽, 高]（英寸），如 [13.33, 7.5]")
        cfg.chart_size = tuple(_number(path, {"size": x}, "charts", "size", None, low=1, high=100) for x in size)
    cfg.chart_dpi = _number(path, ch, "charts", "dpi", cfg.chart_dpi, low=50, high=1200, integer=True)
    targets = _table(path, data, "targets")
    cfg.targets = {str(k): _number(path, targets, "targets", k, None, low=0, high=1e9) for k in targets}
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


def check_deadline(text: str) -> str:
    """A 报送截止日期 as gwstats.toml holds it: "月-日" (in the year after the statistical year) or a full date."""
    text = (text or "").strip()
    try:
        if len(text) == 10:
            dt.date.fromisoformat(text)
        else:
            month, day = (int(x) for x in text.split("-"))
            dt.date(2001, month, day)
    except ValueError:
        raise ConfigError(f"报送截止日期“{text}”应写成“月-日”（如 01-15）或完整日期（如 2021-01-15）") from None
    return text


def _toml_value(value) -> str:
    import json

    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise TypeError(value)
    if isinstance(value, str):
        if any(ch in value for ch in "\r\n"):
            raise ConfigError(f"设置值不能换行：“{value.splitlines()[0]}…”")
        return json.dumps(value, ensure_ascii=False)  # a JSON string is a TOML basic string
    return repr(value)


def set_settings(path: Path, values: dict[tuple[str, str], object]):
    """Write ``{(section, key): value}`` into gwstats.toml, keeping every comment and other line.

    A key's line is replaced in place (a commented-out ``# key = …`` example is filled in); a key not
    there is added under its section (the section is added at the end when missing). The file is
    written to a temporary file beside it and renamed over it, so a power cut leaves the old or the
    new settings, never half of them; the result is parsed before the rename.
    """
    import re

    lines = read_toml_text(path).splitlines()
    for (section, key), value in values.items():
        line = f"{key} = {_toml_value(value)}"
        start = next((i for i, s in enumerate(lines) if s.strip() == f"[{section}]"), None)
        if start is None:
            lines += ["", f"[{section}]", line]
            continue
        end = next((i for i in range(start + 1, len(lines)) if lines[i].lstrip().startswith("[")), len(lines))
        pattern = re.compile(rf"^\s*(#\s*)?{re.escape(key)}\s*=")
        hit = next((i for i in range(start + 1, end) if pattern.match(lines[i])), None)
        if hit is None:
            lines.insert(start + 1, line)
        else:
            lines[hit] = line
    text = "\n".join(lines) + "\n"
    tomllib.loads(text)  # never write a file that does not parse
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)
