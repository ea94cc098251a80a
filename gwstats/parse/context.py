"""What the parser needs to know while reading a batch: catalog, hierarchy, options; shared helpers."""

from __future__ import annotations

import re
from decimal import Decimal

from gwstats.model.catalog import Catalog
from gwstats.core.errors import Finding
from gwstats.model.hierarchy import Hierarchy
from gwstats.core.text import squash, unit_in_brackets, unit_key
from gwstats.core.values import LOOSE_NOTE, NumberError, cell_text, parse_value, stored_head
from gwstats.read.reader import Sheet, cell_ref
from gwstats.parse.parsed import RowValue, Value

_BRACKETS = re.compile(r"[(\[（【〔][^)\]）】〕]*[)\]）】〕]")
_LEFTOVER = {"", "本级", "机关", "本部", "局机关", "关工委", "关工小组", "关心下一代工作委员会"}
# where a unit's name in a title or file name ends, and names of units below it
_STOP = re.compile(r"关工|关心|统计|报表|汇总|年|[0-9_\-()（）【】\[\]·.]")
_SUBUNIT_SUFFIXES = ("村", "社区", "居委会", "派出所", "所", "学校", "中学", "小学", "幼儿园", "警务室", "中队", "大队", "科", "室", "组")
_QIZHONG = re.compile(r"^\s*(其中|含|包括)\s*[:：]?")
_GROUP_HEADING = re.compile(r"^\s*[一二三四五六七八九十]+\s*[、.．]")
_RESAVE = "该单元格是公式但没有保存计算结果（文件可能由程序生成）。请用 Excel 或 WPS 打开该文件并保存后重新报送"


class Context:
    """One per batch; ``file_name`` is set for each file."""

    def __init__(self, catalog: Catalog, hierarchy: Hierarchy, *, year: int | None = None, unit: str | None = None):
        self.catalog = catalog
        self.h = hierarchy
        self.year_option = year
        self.unit_option = unit  # a unit code
        self.file_name = ""
        self._labels: dict[str, str | None] = {}
        self._loose_told: set[tuple[str, str, str]] = set()  # (file, sheet, label): one note per row or column
        self._parsed_cells: dict[tuple, object] = {}
        self._keys_by_length: list[tuple[str, str]] | None = None  # made when first needed (unit_keys)
        self.metric_units = {c: m.unit for c, m in catalog.metrics.items()}
        self.metric_units.update({c: i.display for c, i in catalog.indicators.items()})

    # ---- labels --------------------------------------------------------------------------------
    def metric(self, label) -> str | None:
        """The metric/indicator code of a label, cached (the same labels recur in every file)."""
        if not isinstance(label, str):
            return None
        try:
            return self._labels[label]
        except KeyError:
            pass
        code = self.catalog.match_label(label)
        if code is None and _QIZHONG.match(label):
            code = self.catalog.match_label(_QIZHONG.sub("", label))
        self._labels[label] = code
        return code

    @staticmethod
    def is_group_heading(text) -> bool:
        return isinstance(text, str) and bool(_GROUP_HEADING.match(text))

    # ---- units ---------------------------------------------------------------------------------
    def _unit_keys(self) -> list[tuple[str, str]]:
        """(unit key, code) of every unit's name and alias, longest first: made on the first name that
        is not simply a unit's (a form export whose rows all name their units never needs it)."""
        if self._keys_by_length is None:
            keys = {}
            for u in self.h.units.values():
                for label in (u.name, *u.aliases):
                    k = unit_key(label)
                    if len(k) >= 2:
                        keys.setdefault(k, u.code)
            self._keys_by_length = sorted(keys.items(), key=lambda kv: len(kv[0]), reverse=True)
        return self._keys_by_length

    def unit_in_text(self, text: str) -> str | None:
        """A unit whose name or alias is contained in ``text`` (the longest wins)."""
        key = unit_key(text)
        if not key:
            return None
        code = self.h.match(text, loose=False)  # a title or file name is rarely just a name
        if code:
            return code
        for k, code in self._unit_keys():
            at = key.find(k)
            if at >= 0:
                rest = _STOP.split(key[at + len(k):], 1)[0]
                below = self.h.names.match(rest) if len(rest) >= 2 else None
                if below and code in self.h.ancestors(below):
                    return below  # "集安市财源镇…": the parent's place name in front of the unit's
                if rest.endswith(_SUBUNIT_SUFFIXES):
                    return None  # "青石镇秋皮村…": a unit below the one named, not in the list
                return code
        return None

    def unit_named(self, text: str) -> str | None:
        """The unit a name stands for, strictly: the name or an alias, give or take "（本级）", "机关",
        a stamp note or 关工委. "青石镇秋皮村" is NOT 青石镇 (unlike :meth:`unit_in_text`)."""
        code = self.h.match(text)
        if code:
            return code
        key = _BRACKETS.sub("", unit_key(text))
        code = self.h.match(key)
        if code or not key:
            return code
        for k, code in self._unit_keys():
            if k in key and key.replace(k, "", 1) in _LEFTOVER:
                return code
        return None

    def _parsed(self, raw, code: str, unit, metric, field_unit):
        """parse_value of one cell, kept per (metric, unit of the field, cell content): a form export of
        100,000 rows writes the same small figures again and again. A NumberError is raised anew each time."""
        key = (code, field_unit, type(raw), raw)
        hit = self._parsed_cells.get(key, self._parsed_cells)
        if hit is self._parsed_cells:
            try:
                hit = parse_value(raw, unit=unit, integer=bool(metric and metric.is_integer), field_unit=field_unit,
                                  rate=code in self.catalog.indicators)
            except NumberError as exc:
                hit = _Refused(exc.reason)
            if len(self._parsed_cells) < _PARSED_MOST:
                self._parsed_cells[key] = hit
        if type(hit) is _Refused:
            raise NumberError(hit.reason)
        return hit

    # ---- findings ------------------------------------------------------------------------------
    def finding(self, severity: str, code: str, message: str, sheet: str | None = None, cell: str | None = None, **extra):
        return Finding(severity, code, message, file=self.file_name, sheet=sheet, cell=cell, extra=extra)

    # ---- values --------------------------------------------------------------------------------
    def read_value(self, sheet: Sheet, r: int, c: int, code: str, label: str, field_unit: str | None,
                   findings: list[Finding]) -> Value | None:
        """The value of ``code`` in cell (r, c); problems go to ``findings``."""
        raw = sheet.cell(r, c)
        if sheet.pending and (r, c) in sheet.pending:
            findings.append(self.finding("error", "formula-no-result", f"“{label}”：{_RESAVE}", sheet.name, cell_ref(r, c)))
            return None
        if raw is None or raw == "":
            return None
        ref = cell_ref(r, c) if c >= len(_COLUMNS) else f"{_COLUMNS[c]}{r + 1}"
        metric = self.catalog.metrics.get(code)
        unit = self.metric_units.get(code)
        if field_unit is None and isinstance(label, str):
            # not kept per label: a form export's labels name the row's unit, each one new (the check
            # is quick unless the label ends in a bracket)
            field_unit = unit_in_brackets(label)
        try:
            p = self._parsed(raw, code, unit, metric, field_unit)
        except NumberError as exc:
            want = "不小于 0 的整数" if metric and metric.is_integer else ("百分数" if metric is None else f"以“{unit}”计的数字")
            findings.append(self.finding(
                "error", "bad-number",
                f"“{label}”的值“{shown_text(raw)}”{exc.reason}；应填{want}，不适用填“—”，没有填 0",
                sheet.name, ref, raw=shown_text(raw)))
            return None
        if p is None:
            return None
        if p.state == "na" and metric is not None and metric.is_integer and _is_none_word(raw):
            findings.append(self.finding(
                "warning", "none-as-zero", f"“{label}”填写“无”，按 0 计（如该项不适用，请填“—”）", sheet.name, ref, raw="无"))
            return Value(code, Decimal(0), "value", False, sheet.name, ref, "无", None)
        text = raw if type(raw) is str else (str(p.value) if p.value is not None and type(raw) is float and not p.note else cell_text(raw))
        if p.chinese:
            findings.append(self.finding(
                "warning", "chinese-numeral", f"“{label}”的值“{text}”按中文数字读取为 {p.value}", sheet.name, ref, raw=text))
        if p.approx:
            findings.append(self.finding(
                "warning", "approximate", f"“{label}”的值“{text}”是约数，按 {p.value} 计", sheet.name, ref, raw=text))
        if p.note and p.value is not None and "换算" in p.note:
            findings.append(self.finding(
                "warning", "converted", f"“{label}”的值“{text}”{p.note}，计为 {p.value}{unit or ''}", sheet.name, ref, raw=text))
        if p.note and p.note.startswith(LOOSE_NOTE) and (self.file_name, sheet.name, label) not in self._loose_told:
            self._loose_told.add((self.file_name, sheet.name, label))
            findings.append(self.finding(
                "warning", "unit-differs", f"“{label}”的值“{text}”{p.note}（目录中该指标以“{unit}”计，"
                f"请核实填的是否为{unit}数）", sheet.name, ref, raw=text))
        return Value(code, p.value, p.state, p.approx, sheet.name, ref, text, p.note)


    def row_values(self, sheet: Sheet, r: int, columns: list, unit_text, findings: list[Finding]) -> list[Value]:
        """The values of row r of a one-row-per-unit sheet, ``columns`` being :meth:`value_columns`: the
        same as :meth:`read_value` on each cell. A form export writes the same small figures in every
        row: a cell text that read as a plain value (no finding, no note) is kept per column and the
        next one is made without reading it again."""
        row = sheet.rows[r] if 0 <= r < len(sheet.rows) else ()
        if sheet.pending:  # a formula without its result somewhere: every cell read in full
            row = ()
        n, name, number, out = len(row), sheet.name, str(r + 1), []
        for c, code, label, field_unit, letters, plain in columns:
            raw = row[c] if c < n else None
            if type(raw) is str and raw:
                proto = plain.get(raw)
                if proto is not None:
                    out.append(RowValue(proto, number))
                    continue
            elif n and (raw is None or raw == ""):
                continue
            told = len(findings)
            v = self.read_value(sheet, r, c, code, f"{unit_text} {label}", field_unit, findings)
            if v is None:
                continue
            if (type(raw) is str and len(findings) == told and v.raw == raw and v.state == "value" and not v.approx
                    and v.note is None and v.value is not None and len(plain) < _PLAIN_MOST):
                head = stored_head(code, v.value, raw, letters)
                if head is not None:
                    proto = plain[raw] = Value(code, v.value, "value", False, name, letters, raw, None, head)
                    v = RowValue(proto, number)  # reads as v (its cell is the column's letters + the row number)
            out.append(v)
        return out

    @staticmethod
    def value_columns(cols: dict, field_units: dict) -> list:
        """What :meth:`row_values` needs of each metric column: (column, code, label, unit of the
        field, column letters, the plain cell texts read so far)."""
        return [(c, code, label, field_units.get(c), cell_ref(0, c)[:-1], {}) for c, (code, label) in cols.items()]


class _Refused:
    """A cell parse_value refused, kept with its reason."""

    __slots__ = ("reason",)

    def __init__(self, reason: str):
        self.reason = reason


_COLUMNS = [cell_ref(0, c)[:-1] for c in range(702)]  # A … ZZ: a cell's column letters, made once
_PLAIN_MOST = 20_000  # plain cell texts kept per column of a sheet (资助金额 of a 100k export: ~8,000)
_PARSED_MOST = 200_000  # distinct cell texts kept per batch (a form export repeats small figures)


def _is_none_word(raw) -> bool:
    """“无” in a count cell: none of them, i.e. 0 (not “not applicable” like —)."""
    return isinstance(raw, str) and squash(raw) in ("无", "没有")


SHOWN_CHARS = 40


def shown_text(value) -> str:
    """A cell's text for a message: long text (a 400-digit number, a 1 MB cell) shortened."""
    text = cell_text(value)
    if len(text) > SHOWN_CHARS:
        return f"{text[:SHOWN_CHARS // 2]}…（共 {len(text)} 个字符）"
    return text


def squashed(v) -> str:
    return squash(v) if isinstance(v, str) else ""
