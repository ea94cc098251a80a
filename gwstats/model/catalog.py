"""The metric catalog: what is counted, which rates are derived, which rules are checked."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from decimal import Decimal
from importlib import resources
from pathlib import Path

from gwstats.core.errors import CatalogError
from gwstats.core.expr import Expr, ExprError
from gwstats.core.text import label_key

KINDS = ("count", "amount")
AGGREGATIONS = ("sum", "max", "min", "latest")
OPERATORS = ("<=", "<", ">=", ">", "==", "!=")
SEVERITIES = ("error", "warning")
WHEN_MISSING = ("skip", "zero", "error")
GROUP_ORDER = ("组织建设", "五老队伍", "法治教育", "帮扶助学", "预防犯罪", "校园安全", "宣传")
_CODE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


@dataclass(frozen=True)
class Metric:
    code: str
    name: str
    unit: str
    kind: str = "count"
    aggregation: str = "sum"
    group: str = "其他"
    synonyms: tuple[str, ...] = ()
    # where the metric sits in a table of the form (catalog from-template): a cross-tab cell has both
    table: str = ""
    row: str = ""
    column: str = ""
    part_of: str = ""  # a 其中 row: the row (of the same table) it is part of
    # the years the metric is asked for (None: open), and the codes it had before a rename
    since: int | None = None
    until: int | None = None
    formerly: tuple[str, ...] = ()

    @property
    def is_integer(self) -> bool:
        return self.kind == "count"

    def applies_in(self, year: int | None) -> bool:
        return year is None or ((self.since is None or self.since <= year) and (self.until is None or year <= self.until))


# the rates a 关工委 group is judged by (五好达标率, 组织覆盖率, 法制副校长配备率)
COVERAGE_RATE_ENDINGS = ("达标率", "覆盖率", "配备率")


@dataclass(frozen=True)
class Indicator:
    code: str
    name: str
    numerator: Expr
    denominator: Expr
    factor: Decimal = Decimal(100)
    display: str = "%"
    target: float | None = None
    group: str = "其他"
    synonyms: tuple[str, ...] = ()

    @property
    def is_percent(self) -> bool:
        return self.display == "%"

    @property
    def is_headline(self) -> bool:
        """A rate the group is judged by: one the office set a target for, or a coverage rate (达标率,
        覆盖率, 配备率), with or without a target. Headlines, section headings and charts state it."""
        return self.target is not None or (self.is_percent and self.name.endswith(COVERAGE_RATE_ENDINGS))

    @property
    def unit(self) -> str:
        return self.display


@dataclass(frozen=True)
class Rule:
    code: str
    left: Expr
    operator: str
    right: Expr
    severity: str
    message: str
    when_missing: str = "skip"
    tolerance: Decimal = Decimal(0)


@dataclass
class Catalog:
    metrics: dict[str, Metric]
    indicators: dict[str, Indicator]
    rules: list[Rule]
    source: str = "<默认目录>"
    name: str = ""
    _labels: dict[str, str] = field(default_factory=dict, repr=False)

    # ---- lookups -------------------------------------------------------------------------
    def match_label(self, label: str) -> str | None:
        """The metric or indicator code a return's label stands for, or None."""
        key = label_key(label)
        if not key:
            return None
        return self._labels.get(key)

    def resolve(self, text: str) -> str | None:
        """A code from a code, name or synonym (for command-line options)."""
        if text in self.metrics or text in self.indicators:
            return text
        return self.match_label(text)

    def select(self, items: list[str] | None) -> list[str]:
        """Codes for ``--metric`` selections: codes, names, synonyms or group names."""
        if not items:
            return list(self.metrics) + list(self.indicators)
        out: list[str] = []
        for item in items:
            group = [c for c, m in self.metrics.items() if m.group == item] + [
                c for c, i in self.indicators.items() if i.group == item
            ]
            codes = group or ([self.resolve(item)] if self.resolve(item) else [])
            if not codes:
                from gwstats.core.errors import UsageError

                raise UsageError(f"目录中没有指标或分组“{item}”。可用分组：{'、'.join(self.groups())}")
            out.extend(c for c in codes if c not in out)
        return out

    def former_codes(self) -> dict[str, str]:
        """Former code -> current code, for values stored before a metric was renamed."""
        return {old: m.code for m in self.metrics.values() for old in m.formerly if old not in self.metrics}

    def groups(self) -> list[str]:
        seen = [m.group for m in self.metrics.values()] + [i.group for i in self.indicators.values()]
        known = [g for g in GROUP_ORDER if g in seen]
        return known + [g for g in dict.fromkeys(seen) if g not in known]

    def metrics_in_group(self, group: str) -> list[Metric]:
        return [m for m in self.metrics.values() if m.group == group]

    def label_of(self, code: str) -> str:
        item = self.metrics.get(code) or self.indicators.get(code)
        return item.name if item else code

    def unit_of(self, code: str) -> str:
        if code in self.metrics:
            return self.metrics[code].unit
        if code in self.indicators:
            return self.indicators[code].display
        return ""

    def suggest(self, label: str, n: int = 3) -> list[str]:
        import difflib

        names = {label_key(m.name): m.name for m in self.metrics.values()}
        names.update({label_key(i.name): i.name for i in self.indicators.values()})
        close = difflib.get_close_matches(label_key(label), list(names), n=n, cutoff=0.4)
        return [names[c] for c in close]


# ---- loading ---------------------------------------------------------------------------------
def default_catalog_text() -> str:
    return resources.files("gwstats").joinpath("data/default_catalog.toml").read_text(encoding="utf-8")


def load_default() -> Catalog:
    return parse_catalog(default_catalog_text(), "<默认目录 default_catalog.toml>")


def with_targets(catalog: Catalog, targets: dict[str, float], source: str = "gwstats.toml") -> Catalog:
    """``catalog`` with the targets the office set itself (gwstats.toml ``[targets]``, keyed by an
    indicator's code or name) and no other: a catalog's own ``target`` (the built-in one once said 80
    for every office) draws no line and names no unit as failing."""
    from dataclasses import replace as _replace

    from gwstats.model.config import ConfigError

    given: dict[str, float] = {}
    for key, value in targets.items():
        code = key if key in catalog.indicators else catalog.match_label(key)
        if code not in catalog.indicators:
            names = "、".join(f"{c}（{i.name}）" for c, i in list(catalog.indicators.items())[:6])
            raise ConfigError(f"{source} 中 [targets] {key} 不是指标目录中的比率；可用的比率如：{names}")
        given[code] = float(value)
    catalog.indicators = {c: _replace(i, target=given.get(c)) for c, i in catalog.indicators.items()}
    return catalog


def load_catalog(path: str | Path) -> Catalog:
    path = Path(path)
    from gwstats.model.config import ConfigError, read_toml_text

    try:
        text = read_toml_text(path)  # UTF-8, UTF-8 with BOM (Notepad) or GBK
    except FileNotFoundError:
        raise CatalogError(f"找不到指标目录文件：{path}") from None
    except ConfigError:
        raise CatalogError(f"指标目录文件 {path} 的文字编码无法识别（请用记事本另存为 UTF-8）") from None
    return parse_catalog(text, str(path))


def parse_catalog(text: str, source: str) -> Catalog:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise CatalogError(f"指标目录 {source} 格式错误：{exc}") from None
    except RecursionError:  # arrays or tables nested thousands deep
        raise CatalogError(f"指标目录 {source} 格式错误：数组或表嵌套过深") from None
    return _build(data, source)


def _tolerance(value) -> Decimal | None:
    """A rule's tolerance: a finite number >= 0 (TOML's 0.5 or 1), else None."""
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        return None
    try:
        d = Decimal(str(value).strip())
    except ArithmeticError:
        return None
    return d if d.is_finite() and d >= 0 else None


def _fail(source: str, where: str, what: str):
    raise CatalogError(f"指标目录 {source} 中 {where}：{what}")


_METRIC_FIELDS = {"code", "name", "unit", "kind", "aggregation", "group", "synonyms", "table", "row", "column",
                  "part_of", "since", "until", "formerly"}


def _build(data: dict, source: str) -> Catalog:
    metrics: dict[str, Metric] = {}
    indicators: dict[str, Indicator] = {}
    labels: dict[str, str] = {}
    raw_metrics = data.get("metrics", [])
    if not isinstance(raw_metrics, list) or not raw_metrics:
        _fail(source, "[[metrics]]", "至少需要一个指标")
    for i, m in enumerate(raw_metrics, 1):
        metric = _metric(m, i, source, metrics)
        metrics[metric.code] = metric
        for label in (metric.code, m.get("name"), *metric.synonyms):
            _claim(labels, label, metric.code, f"指标 {metric.code}", source)
    for i, d in enumerate(data.get("indicators", []), 1):
        ind = _indicator(d, i, source, metrics, indicators)
        indicators[ind.code] = ind
        for label in (ind.code, d.get("name"), *ind.synonyms):
            _claim(labels, label, ind.code, f"比率 {ind.code}", source)
    rules: list[Rule] = []
    seen_rules: set[str] = set()
    for i, r in enumerate(data.get("rules", []), 1):
        rule = _rule(r, i, source, metrics, seen_rules)
        seen_rules.add(rule.code)
        rules.append(rule)
    return Catalog(metrics, indicators, rules, source, data.get("name", ""), labels)


def _claim(labels: dict[str, str], label: str, code: str, where: str, source: str):
    """Take a name or synonym for ``code``; the same words for another metric are an error."""
    key = label_key(label)
    if not key:
        return
    other = labels.get(key)
    if other is not None and other != code:
        _fail(source, where, f"名称或同义词“{label}”与指标 {other} 重复")
    labels[key] = code


def _metric(m: dict, i: int, source: str, metrics: dict) -> Metric:
    """One [[metrics]] entry, checked field by field (the first problem raises, naming the metric)."""
    where = f"第 {i} 个指标 [[metrics]]"
    code = m.get("code")
    if not isinstance(code, str) or not _CODE.match(code):
        _fail(source, where, f"编码 code “{code}” 无效（只能用字母、数字、下划线，且不以数字开头）")
    where = f"指标 {code}"
    if code in metrics:
        _fail(source, where, "编码重复")
    name = m.get("name")
    if not isinstance(name, str) or not name.strip():
        _fail(source, where, "缺少中文名称 name")
    unit = m.get("unit")
    if not isinstance(unit, str) or not unit.strip():
        _fail(source, where, "缺少计量单位 unit")
    kind = m.get("kind", "count")
    if kind not in KINDS:
        _fail(source, where, f"kind 应为 {' 或 '.join(KINDS)}，实际为“{kind}”")
    agg = m.get("aggregation", "sum")
    if agg not in AGGREGATIONS:
        _fail(source, where, f"aggregation 应为 {'/'.join(AGGREGATIONS)} 之一，实际为“{agg}”")
    synonyms = m.get("synonyms", [])
    if not isinstance(synonyms, list) or not all(isinstance(s, str) for s in synonyms):
        _fail(source, where, "synonyms 应为字符串列表")
    unknown = set(m) - _METRIC_FIELDS
    if unknown:
        _fail(source, where, f"未知字段 {', '.join(sorted(unknown))}")
    place = {k: m.get(k, "") for k in ("table", "row", "column", "part_of")}
    if not all(isinstance(v, str) for v in place.values()):
        _fail(source, where, "table、row、column、part_of 应为文字（所在表、主栏行、宾栏列、其中项所属行的名称）")
    years = _years(m, where, source)
    formerly = m.get("formerly", [])
    if not isinstance(formerly, list) or not all(isinstance(s, str) and _CODE.match(s) for s in formerly):
        _fail(source, where, "formerly 应为原指标编码的列表（改名或改编码前的编码）")
    return Metric(code, name.strip(), unit.strip(), kind, agg, m.get("group", "其他"), tuple(synonyms), **place,
                  **years, formerly=tuple(formerly))


def _years(m: dict, where: str, source: str) -> dict:
    """since / until of a metric (the years it is asked for)."""
    years = {}
    for k in ("since", "until"):
        v = m.get(k)
        if v is not None and (not isinstance(v, int) or isinstance(v, bool) or not 1949 <= v <= 2100):
            _fail(source, where, f"{k} 应为四位年份（如 2020），实际为“{v}”")
        years[k] = v
    if years["since"] and years["until"] and years["since"] > years["until"]:
        _fail(source, where, f"since {years['since']} 晚于 until {years['until']}")
    return years


def _expr(text, where: str, field_name: str, metrics: dict, source: str) -> Expr:
    """An expression of metric codes (a ratio's numerator, a rule's side); unknown codes are an error."""
    try:
        e = Expr.parse(text if isinstance(text, str) else "")
    except ExprError as exc:
        _fail(source, where, f"{field_name} {exc}")
    bad = [n for n in e.names if n not in metrics]
    if bad:
        _fail(source, where, f"{field_name} 引用了未知指标“{bad[0]}”")
    return e


def _indicator(d: dict, i: int, source: str, metrics: dict, indicators: dict) -> Indicator:
    """One [[indicators]] entry (a ratio of two expressions)."""
    code = d.get("code")
    where = f"第 {i} 个比率 [[indicators]]"
    if not isinstance(code, str) or not _CODE.match(code):
        _fail(source, where, f"编码 code “{code}” 无效")
    where = f"比率 {code}"
    if code in indicators or code in metrics:
        _fail(source, where, "编码重复")
    name = d.get("name")
    if not isinstance(name, str) or not name.strip():
        _fail(source, where, "缺少中文名称 name")
    num = _expr(d.get("numerator"), where, "分子 numerator", metrics, source)
    den = _expr(d.get("denominator"), where, "分母 denominator", metrics, source)
    try:
        factor = Decimal(str(d.get("factor", 100)))
    except Exception:
        _fail(source, where, f"factor “{d.get('factor')}” 不是数字")
    target = d.get("target")
    if target is not None and not isinstance(target, (int, float)):
        _fail(source, where, f"target “{target}” 不是数字")
    return Indicator(code, name.strip(), num, den, factor, d.get("display", "%"),
                     float(target) if target is not None else None, d.get("group", "其他"), tuple(d.get("synonyms", [])))


def _rule(r: dict, i: int, source: str, metrics: dict, seen: set[str]) -> Rule:
    """One [[rules]] entry (left operator right, with its message)."""
    code = r.get("code") or f"rule{i}"
    where = f"校验规则 {code}"
    if code in seen:
        _fail(source, where, "编码重复")
    op = r.get("operator")
    if op not in OPERATORS:
        _fail(source, where, f"operator 应为 {' '.join(OPERATORS)} 之一，实际为“{op}”")
    sev = r.get("severity", "error")
    if sev not in SEVERITIES:
        _fail(source, where, f"severity 应为 error 或 warning，实际为“{sev}”")
    wm = r.get("when_missing", "skip")
    if wm not in WHEN_MISSING:
        _fail(source, where, f"when_missing 应为 {'/'.join(WHEN_MISSING)} 之一，实际为“{wm}”")
    message = r.get("message")
    if not isinstance(message, str) or not message.strip():
        _fail(source, where, "缺少中文提示 message")
    tolerance = _tolerance(r.get("tolerance", 0))
    if tolerance is None:
        _fail(source, where, f"tolerance 应为不小于 0 的数字，实际为“{str(r.get('tolerance'))[:40]}”")
    return Rule(code, _expr(r.get("left"), where, "左边 left", metrics, source), op,
                _expr(r.get("right"), where, "右边 right", metrics, source), sev, message.strip(), wm, tolerance)
