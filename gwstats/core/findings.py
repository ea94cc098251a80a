"""A Chinese name for every finding code: what a user reads wherever a finding's type is shown
(校验问题 sheet, `check` and `import` tables, the report). The codes stay in json/csv for scripts."""

from __future__ import annotations

LABELS = {
    # checks
    "rule": "规则", "rule-total": "规则（汇总数）", "rule-missing": "规则缺项",
    "rate-mismatch": "比率不符", "rate-part-missing": "比率缺项",
    "total-row-mismatch": "合计不符", "huizong-mismatch": "汇总数不符",
    "yoy-jump": "同比异常", "total-fell": "合计下降", "comparable-change": "口径变化",
    "inactive-return": "停用单位报表", "truncated": "问题过多",
    # reading and importing returns
    "unknown-unit": "单位不明", "unknown-unit-code": "单位编码不明", "unit-mismatch": "单位不符",
    "no-unit": "缺单位", "row-without-unit": "行无单位", "unknown-label": "指标不明",
    "no-year": "缺年度", "bad-year": "年度有误", "year-differs": "年度不符", "metric-outside-years": "指标不在适用年度",
    "bad-number": "数字有误", "bad-merge": "合并有误", "bad-scope": "口径有误", "no-values": "无数据", "no-table": "无报表",
    "incomplete-row": "行不完整", "subtotal-row": "小计行", "total-row-unowned": "合计行无归属",
    "row-scope-assumed": "口径推定", "formula-no-result": "公式无结果", "duplicate-return": "重复报表",
    "duplicate-metric": "指标重复", "batch-conflict": "同批冲突", "crosstab-ambiguous": "交叉表不明",
    "crosstab-missing-row": "交叉表缺行", "crosstab-missing-column": "交叉表缺栏",
    "own-rollup-book": "本工具汇总表", "own-book-skipped": "汇总表跳过", "own-book-remainder": "汇总表本级",
    "own-book-no-unit": "汇总表单位不明", "unreadable": "无法读取", "unsupported": "格式不支持",
    "store-failed": "保存失败", "units-dropped": "单位未导入",
    # unit lists
    "no-root": "缺最上级", "many-roots": "多个最上级", "cycle": "隶属循环", "orphan": "上级不存在", "bad-code": "编码有误",
    "duplicate-code": "编码重复", "duplicate-name": "名称重复", "bad-years": "年份有误",
}


def label(code: str) -> str:
    """The Chinese name of ``code``; a code without one reads as 其他 (never the code itself)."""
    return LABELS.get(code, "其他")
