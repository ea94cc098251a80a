"""Every finding code, with the Chinese name a user reads wherever a finding's type is shown
(校验问题 sheet, `check` and `import` tables, the report). The codes stay in json/csv for scripts."""

from __future__ import annotations

from enum import StrEnum


class FindingCode(StrEnum):
    """A finding's type: the code (a ``str``, so ``f.code == "rule"`` and json/csv keep the code) and
    its Chinese name (``FindingCode.RULE.label``). tests/test_findings.py scans the package: every code
    a check, an import or a parser can produce is a member here."""

    label: str

    def __new__(cls, code: str, label: str):
        member = str.__new__(cls, code)
        member._value_ = code
        member.label = label
        return member

    # checks
    RULE = "rule", "规则"
    RULE_TOTAL = "rule-total", "规则（汇总数）"
    RULE_MISSING = "rule-missing", "规则缺项"
    RATE_MISMATCH = "rate-mismatch", "比率不符"
    RATE_PART_MISSING = "rate-part-missing", "比率缺项"
    TOTAL_ROW_MISMATCH = "total-row-mismatch", "合计不符"
    HUIZONG_MISMATCH = "huizong-mismatch", "汇总数不符"
    YOY_JUMP = "yoy-jump", "同比异常"
    TOTAL_FELL = "total-fell", "合计下降"
    COMPARABLE_CHANGE = "comparable-change", "口径变化"
    INACTIVE_RETURN = "inactive-return", "停用单位报表"
    TRUNCATED = "truncated", "问题过多"
    SCOPE_READ = "scope-read", "口径按数推定"
    SCOPE_UNSURE = "scope-unsure", "口径不明"
    MAGNITUDE = "magnitude", "数量级异常"
    SHARE_OVER_100 = "share-over-100", "比例超过100%"
    PARTS_EXCEED_TOTAL = "parts-exceed-total", "分项大于合计"
    # reading returns: units, years, sheets
    UNKNOWN_UNIT = "unknown-unit", "单位不明"
    UNKNOWN_UNIT_CODE = "unknown-unit-code", "单位编码不明"
    UNIT_MISMATCH = "unit-mismatch", "单位不符"
    UNIT_SUCCESSOR = "unit-successor", "按现单位导入"
    NO_UNIT = "no-unit", "缺单位"
    ROW_WITHOUT_UNIT = "row-without-unit", "行无单位"
    NO_YEAR = "no-year", "缺年度"
    BAD_YEAR = "bad-year", "年度有误"
    YEAR_DIFFERS = "year-differs", "年度不符"
    YEAR_IN_NAME = "year-in-name", "文件名年度不符"
    BAD_TIME = "bad-time", "提交时间有误"
    RESUBMITTED = "resubmitted", "多次提交"
    HIDDEN_SHEET = "hidden-sheet", "隐藏工作表"
    NO_TABLE = "no-table", "无报表"
    NO_VALUES = "no-values", "无数据"
    BAD_SCOPE = "bad-scope", "口径有误"
    NONE_AS_ZERO = "none-as-zero", "无计为0"
    ROW_SCOPE_ASSUMED = "row-scope-assumed", "口径推定"
    INCOMPLETE_ROW = "incomplete-row", "行不完整"
    SUBTOTAL_ROW = "subtotal-row", "小计行"
    TOTAL_ROW_UNOWNED = "total-row-unowned", "合计行无归属"
    OWN_ROW_UNOWNED = "own-row-unowned", "本级行无归属"
    # reading returns: metrics and values
    UNKNOWN_LABEL = "unknown-label", "指标不明"
    DUPLICATE_METRIC = "duplicate-metric", "指标重复"
    METRIC_OUTSIDE_YEARS = "metric-outside-years", "指标不在适用年度"
    BAD_NUMBER = "bad-number", "数字有误"
    CHINESE_NUMERAL = "chinese-numeral", "中文数字"
    APPROXIMATE = "approximate", "约数"
    CONVERTED = "converted", "单位换算"
    UNIT_DIFFERS = "unit-differs", "计量单位不符"
    FORMULA_NO_RESULT = "formula-no-result", "公式无结果"
    CROSSTAB_AMBIGUOUS = "crosstab-ambiguous", "交叉表不明"
    CROSSTAB_MISSING_ROW = "crosstab-missing-row", "交叉表缺行"
    CROSSTAB_MISSING_COLUMN = "crosstab-missing-column", "交叉表缺栏"
    OWN_ROLLUP_BOOK = "own-rollup-book", "本工具汇总表"
    OWN_BOOK_SKIPPED = "own-book-skipped", "汇总表跳过"
    OWN_BOOK_REMAINDER = "own-book-remainder", "汇总表本级"
    OWN_BOOK_NO_UNIT = "own-book-no-unit", "汇总表单位不明"
    # importing files
    UNREADABLE = "unreadable", "无法读取"
    UNSUPPORTED = "unsupported", "格式不支持"
    DUPLICATE_RETURN = "duplicate-return", "重复报表"
    OLDER_VERSION = "older-version", "版本较旧"
    BATCH_CONFLICT = "batch-conflict", "同批冲突"
    EXISTS = "exists", "报表已有"
    DROPS_VALUES = "drops-values", "数值缺少"
    YEAR_LOCKED = "year-locked", "年度已封账"
    COPY_FAILED = "copy-failed", "复制失败"
    STORE_FAILED = "store-failed", "保存失败"
    # unit lists
    UNITS_DROPPED = "units-dropped", "单位未导入"
    NO_ROOT = "no-root", "缺最上级"
    MANY_ROOTS = "many-roots", "多个最上级"
    CYCLE = "cycle", "隶属循环"
    ORPHAN = "orphan", "上级不存在"
    DUPLICATE_CODE = "duplicate-code", "编码重复"
    BAD_CODE = "bad-code", "编码有误"
    DUPLICATE_NAME = "duplicate-name", "名称重复"
    BAD_MERGE = "bad-merge", "合并有误"
    BAD_YEARS = "bad-years", "年份有误"


def label(code: str) -> str:
    """The Chinese name of ``code``; a code without one reads as 其他 (never the code itself)."""
    try:
        return FindingCode(code).label
    except ValueError:
        return "其他"
