"""What the parser produces: returns found in sheets, each value with its origin."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from gwstats.core.errors import Finding

TOTAL_ROW_SCOPE = "汇总（合计行）"


def scope_key(scope: str, source: str) -> str:
    return TOTAL_ROW_SCOPE if source == "total_row" else scope


def split_scope_key(key: str) -> tuple[str, bool]:
    """(stored scope, is a 合计 row) of a scope key."""
    return ("汇总", True) if key == TOTAL_ROW_SCOPE else (key, False)


@dataclass(slots=True)  # millions of them in a province's form export: no __dict__ each
class Value:
    metric: str
    value: Decimal | None
    state: str  # value | na
    approx: bool
    sheet: str
    cell: str
    raw: str
    note: str | None = None
    # the column's part of a form export's plain cells (a RowValue's proto): the JSON of its stored
    # entry up to the row number and (metric, micro) (core/values.py stored_head), read by the store's
    # encode_cells; not compared
    head: tuple | None = field(default=None, compare=False, repr=False)

    def __reduce__(self):
        # sent back by the import pool's workers: the Decimal as its exact text, about twice as fast
        # to pickle and unpickle as the default (the dataclass's __dict__ and Decimal's own reduce)
        return (_value, (self.metric, None if self.value is None else str(self.value), self.state, self.approx,
                         self.sheet, self.cell, self.raw, self.note))


def _value(metric, text, *rest) -> Value:
    return Value(metric, None if text is None else Decimal(text), *rest)


class RowValue:
    """A plain value of a one-row-per-unit sheet (a form export's cell that read as written: no note,
    no finding), read as a :class:`Value`: what its column and cell text share (``proto``, a Value whose
    cell is the column's letters, made once) and its row number as text. A province's export holds
    three million of them: a third of the memory of a Value with its own cell text each."""

    __slots__ = ("proto", "row")

    def __init__(self, proto: Value, row: str):
        self.proto = proto
        self.row = row

    metric = property(lambda self: self.proto.metric)
    value = property(lambda self: self.proto.value)
    state = property(lambda self: self.proto.state)
    approx = property(lambda self: self.proto.approx)
    sheet = property(lambda self: self.proto.sheet)
    raw = property(lambda self: self.proto.raw)
    note = property(lambda self: self.proto.note)
    head = property(lambda self: self.proto.head)
    cell = property(lambda self: self.proto.cell + self.row)

    def fields(self) -> tuple:
        return (self.metric, self.value, self.state, self.approx, self.sheet, self.cell, self.raw, self.note)

    def __eq__(self, other):
        if not isinstance(other, (Value, RowValue)):
            return NotImplemented
        return self.fields() == (other.fields() if isinstance(other, RowValue) else (
            other.metric, other.value, other.state, other.approx, other.sheet, other.cell, other.raw, other.note))

    __hash__ = None  # as a Value's

    def __repr__(self):
        return "Value(metric={!r}, value={!r}, state={!r}, approx={!r}, sheet={!r}, cell={!r}, raw={!r}, note={!r})".format(
            *self.fields())

    def __reduce__(self):  # sent back by the import pool's workers as the Value it reads as
        return Value(*self.fields()).__reduce__()


@dataclass
class ParsedReturn:
    """One return found in a sheet: a unit's figures for a year (unit/year may still be unresolved)."""

    sheet: str
    layout: str  # long | wide
    unit: str | None = None  # unit code once resolved
    unit_text: str | None = None  # how the unit was written (for messages)
    unit_from: str = ""  # 填报单位 / 单位编码 / 标题 / 工作表名 / 文件名 / --unit / 行
    year: int | None = None
    year_from: str = ""
    scope: str = "本级"
    source: str = "return"  # return | row | total_row
    values: list[Value] = field(default_factory=list)  # or RowValues, read the same way
    filled_by: str | None = None
    phone: str | None = None
    fill_date: str | None = None
    findings: list[Finding] = field(default_factory=list)
    row: int | None = None  # 1-based row of a summary sheet's unit row
    received_at: str | None = None  # an online form's submission time (ISO), taken as the date received
    scope_stated: bool = True  # False: no 口径 on a return of a unit with subordinates (decided from figures)

    @property
    def key(self):
        """(unit, year, scope key): a 合计 row and a real 汇总 return of the same unit are two things,
        kept side by side (scope key ``汇总（合计行）`` for the row)."""
        return (self.unit, self.year, scope_key(self.scope, self.source))

    def value_map(self) -> dict[str, tuple]:
        return {v.metric: (v.value, v.state) for v in self.values}

    @property
    def where(self) -> str:
        return f"工作表“{self.sheet}”" + (f"第 {self.row} 行" if self.row else "")
