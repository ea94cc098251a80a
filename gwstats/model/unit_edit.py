"""One change to the unit list as the 单位 page makes it: add, rename, move, stop. Pure: the list in,
the changed list out; ``Workspace.edit_units`` checks and stores it like an imported list."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from gwstats.core.errors import HierarchyError, UsageError
from gwstats.model.hierarchy import Unit, load_units_file

ACTIONS = {"add": "新增", "rename": "改名", "move": "调整上级", "stop": "停用"}


def _find(units: list[Unit], code: str) -> int:
    for i, u in enumerate(units):
        if u.code == code:
            return i
    raise UsageError(f"单位名单中没有编码 {code}")


def _year(value) -> int | None:
    if value in (None, ""):
        return None
    text = str(value).strip()
    if not text.isdigit() or not 1949 <= int(text) <= 2100:
        raise UsageError(f"年度“{text}”应为四位数字年份")
    return int(text)


def edit(units: list[Unit], action: str, code: str, *, name: str = "", parent: str = "",
         year=None) -> tuple[list[Unit], str]:
    """``units`` with one change, and a sentence saying what it was."""
    units = list(units)
    code, name, parent = (code or "").strip(), (name or "").strip(), (parent or "").strip()
    if action == "add":
        if not code or not name:
            raise UsageError("新增单位需要编码和名称")
        if any(u.code == code for u in units):
            raise UsageError(f"编码 {code} 已经有单位：{units[_find(units, code)].name}")
        up = units[_find(units, parent)] if parent else None
        level = (up.level + 1) if up is not None and up.level else None
        units.append(Unit(code, name, parent or None, (), level, _year(year), None, max((u.order for u in units), default=0) + 1))
        since = f"，{_year(year)} 年度起" if _year(year) else ""
        return units, f"已新增单位 {name}[{code}]" + (f"，上级 {up.name}" if up else "") + since
    i = _find(units, code)
    u = units[i]
    if action == "rename":
        if not name or name == u.name:
            raise UsageError("请填写新的名称")
        aliases = tuple(dict.fromkeys((*u.aliases, u.name)))  # the old name still matches returns that use it
        units[i] = replace(u, name=name, aliases=aliases)
        return units, f"已把 {u.name}[{code}] 改名为 {name}（原名保留为别名）"
    if action == "move":
        if not parent:
            raise UsageError("请选择新的上级单位")
        up = units[_find(units, parent)]
        units[i] = replace(u, parent=parent, level=(up.level + 1) if up.level else u.level)
        return units, f"已把 {u.name} 调到 {up.name} 之下"
    if action == "stop":
        last = _year(year)
        if last is None:
            raise UsageError("请填写停用年度（该单位报送的最后一个年度）")
        if u.active_from and last < u.active_from:
            raise UsageError(f"停用年度 {last} 早于 {u.name} 的启用年度 {u.active_from}")
        units[i] = replace(u, active_to=last)
        return units, f"已停用 {u.name}：{last} 年度为其最后一个报送年度"
    raise UsageError(f"未知的操作：{action}")


def units_or_refuse(path):
    """The units file read, or refused with every error (``units import`` and the set-up page alike)."""
    units, findings = load_units_file(path)
    errors = [f for f in findings if f.severity == "error"]
    if errors:
        raise HierarchyError(f"单位文件 {Path(path).name} 有 {len(errors)} 处错误，未导入：", details=[f.message for f in errors])
    return units, findings
