"""The hierarchy of reporting units: who reports to whom."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from gwstats.core.errors import Finding, HierarchyError
from gwstats.core.text import squash, unit_key, unit_keys

# Accepted column headers (after squashing) for each field.
COLUMNS = {
    "code": ("code", "编码", "单位编码", "代码", "单位代码"),
    "name": ("name", "单位名称", "名称", "单位"),
    "parent": ("parent", "parent_code", "上级编码", "上级单位编码", "上级代码", "上级"),
    "aliases": ("aliases", "alias", "别名", "简称", "其他名称"),
    "level": ("level", "层级", "级别"),
    "active_from": ("active_from", "启用年度", "起始年度", "成立年度"),
    "active_to": ("active_to", "停用年度", "截止年度", "撤销年度"),
    "merged_into": ("merged_into", "并入", "并入单位", "并入编码"),
    "predecessors": ("predecessors", "前身", "前身单位", "合并自"),
}
_ALIAS_SPLIT = re.compile(r"[;；,，、|/]")


@dataclass
class Unit:
    code: str
    name: str
    parent: str | None = None
    aliases: tuple[str, ...] = ()
    level: int | None = None
    active_from: int | None = None
    active_to: int | None = None
    order: int = 0
    merged_into: str | None = None  # code of the unit this one was merged into (东乡 → 东西乡)

    def active_in(self, year: int) -> bool:
        return (self.active_from is None or self.active_from <= year) and (
            self.active_to is None or year <= self.active_to
        )


@dataclass
class Hierarchy:
    units: dict[str, Unit]
    _keys: dict[str, str] = field(default_factory=dict, repr=False)
    _children: dict[str | None, list[str]] = field(default_factory=dict, repr=False)

    def __post_init__(self):
        self._children = {}
        for u in sorted(self.units.values(), key=lambda u: u.order):
            parent = u.parent if u.parent in self.units else None
            self._children.setdefault(parent, []).append(u.code)
        units = list(self.units.values())
        owners = [u.code for u in units for _ in range(1 + len(u.aliases))]
        keys = unit_keys([label for u in units for label in (u.name, *u.aliases)])
        self._keys = {}
        setdefault = self._keys.setdefault
        for key, code in zip(keys, owners):
            setdefault(key, code)
        codes = [u.code for u in units]
        self._keys.update(zip(unit_keys(codes), codes))
        # Levels: given, else depth from the root (root = 1).
        for code in self.walk():
            u = self.units[code]
            if u.level is None:
                parent = self.units.get(u.parent) if u.parent else None
                u.level = (parent.level + 1) if parent and parent.level else 1

    # ---- structure -------------------------------------------------------------------------
    @property
    def roots(self) -> list[str]:
        return list(self._children.get(None, []))

    @property
    def root(self) -> str | None:
        roots = self.roots
        return roots[0] if roots else None

    def children(self, code: str) -> list[str]:
        return list(self._children.get(code, []))

    def walk(self, start: str | None = None):
        """Depth-first, parents before children, in file order."""
        stack = [start] if start else list(reversed(self.roots))
        seen = set()
        while stack:
            code = stack.pop()
            if code in seen:
                continue
            seen.add(code)
            yield code
            stack.extend(reversed(self._children.get(code, [])))

    def ancestors(self, code: str) -> list[str]:
        out, seen = [], {code}
        cur = self.units[code].parent
        while cur and cur in self.units and cur not in seen:
            out.append(cur)
            seen.add(cur)
            cur = self.units[cur].parent
        return out

    def depth(self, code: str) -> int:
        return len(self.ancestors(code))

    # ---- matching ----------------------------------------------------------------------------
    def match(self, text: str, loose: bool = True) -> str | None:
        """A unit code for a code, name or alias as written in a return; ``loose``: also the written
        forms of gwstats.model.unit_names (parent's place name in front, 本级/盖章 notes…)."""
        if text is None:
            return None
        text = str(text).strip()
        if text in self.units:
            return text
        code = self._keys.get(unit_key(text))
        if code is None and text and loose:
            code = self.names.match(text)  # "集安市财源镇关工委", "甲县关工委（本级）", "…关心下一代工作委员会"
        return code

    @property
    def names(self):
        """The index of written name forms (gwstats.model.unit_names), built on first use."""
        idx = self.__dict__.get("_names")
        if idx is None:
            from gwstats.model.unit_names import UnitNames

            idx = self.__dict__["_names"] = UnitNames(self)
        return idx

    def suggest(self, text: str, n: int = 3) -> list[str]:
        """Names close to ``text``: first the units whose name is contained in it (or contains it),
        the one named last in the text first ("集安市财源镇关工委" -> 财源镇关工委 before 集安市关工委),
        then the closest by spelling."""
        import difflib

        from gwstats.model.unit_names import clean_key

        names = {clean_key(u.name): u.name for u in self.units.values()}
        for u in self.units.values():
            for a in u.aliases:
                names.setdefault(clean_key(a), u.name)
        names.pop("", None)
        key = clean_key(text)
        contained = []
        for k in names:
            if not key:
                break
            at = key.rfind(k)
            if at >= 0 and len(k) >= 2:
                contained.append((at + len(k), len(k), k))
            elif key in k:
                contained.append((len(key), -len(k), k))
        contained.sort(reverse=True)
        close = difflib.get_close_matches(key, list(names), n=n, cutoff=0.4)
        out: list[str] = []
        for k in [c[2] for c in contained] + close:
            if names[k] not in out:
                out.append(names[k])
        return out[:n]

    def line(self, code: str) -> list[str]:
        """``code`` and the units it was merged into or moved to (并入 / 前身), in order."""
        out, cur = [code], self.units[code].merged_into if code in self.units else None
        while cur and cur in self.units and cur not in out:
            out.append(cur)
            cur = self.units[cur].merged_into
        return out

    def same_line(self, a: str, b: str) -> bool:
        """One unit under two codes: one of them was merged into or moved to the other (directly or along a chain)."""
        return a == b or b in self.line(a) or a in self.line(b)

    def in_force(self, code: str, year: int) -> str | None:
        """The unit whose return a return of ``code`` for ``year`` is: ``code`` itself when active that
        year; else the unit it moved to or was merged into that is active then (a town moved to another
        county under a new code, still sending last year's form with its old code); else, for a code of a
        unit not yet set up that year, its one predecessor of the same name active then. None: no such unit."""
        u = self.units.get(code)
        if u is None:
            return None
        if u.active_in(year):
            return code
        for later in self.line(code)[1:]:
            if self.units[later].active_in(year):
                return later
        same = [p.code for p in self.units.values() if p.merged_into == code and p.active_in(year)
                and unit_key(p.name) == unit_key(u.name)]
        return same[0] if len(same) == 1 else None

    def name(self, code: str) -> str:
        u = self.units.get(code)
        return u.name if u else code

    def expected(self, year: int, under: str | None = None) -> list[str]:
        """Units expected to report for ``year``, under ``under`` inclusive: active that year and reporting
        to someone (a root, the workspace's own organisation, reports upward with ``export --as-return``,
        not to itself), as ``status`` counts 应报."""
        codes = self.walk(under) if under else self.walk()
        return [c for c in codes if self.units[c].active_in(year) and self.units[c].parent in self.units]

    MAX_INDENT = 40

    def render_tree(self, start: str | None = None, year: int | None = None) -> str:
        lines = []
        depth: dict[str, int] = {}  # below the start, from the parent's (walk: parents first): linear in a deep chain
        for code in self.walk(start):
            u = self.units[code]
            d = depth[code] = depth[u.parent] + 1 if u.parent in depth else 0
            if year is not None and not u.active_in(year):
                continue
            # past MAX_INDENT levels the depth is written, not indented (a 100,000-level chain stays readable)
            indent = "  " * d if d <= self.MAX_INDENT else "  " * self.MAX_INDENT + f"（第 {d} 层）"
            extra = f"（别名：{'、'.join(u.aliases)}）" if u.aliases else ""
            years = ""
            if u.active_from or u.active_to:
                years = f" [{u.active_from or ''}–{u.active_to or ''}]"
            lines.append(f"{indent}{u.name} [{u.code}] 第{u.level}级{years}{extra}")
        return "\n".join(lines)


# ---- reading a units file ---------------------------------------------------------------------
def _cell_text(v) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return str(v).strip()


def read_units_rows(path: str | Path) -> list[list[str]]:
    """The units file's rows as text (first sheet of .xlsx/.xls/.ods, or .csv)."""
    from gwstats.read.reader import read_grid_rows  # local: avoid loading readers for every command

    return [[_cell_text(v) for v in row] for row in read_grid_rows(path)]


def parse_units(rows: list[list[str]], source: str) -> tuple[list[Unit], list[Finding]]:
    """Units from rows whose first non-empty row is the header."""
    findings: list[Finding] = []
    rows = [r for r in rows if any(c for c in r)]
    if not rows:
        raise HierarchyError(f"单位文件 {source} 是空的")
    header = [squash(h).lower() for h in rows[0]]
    cols: dict[str, int] = {}
    for fieldname, names in COLUMNS.items():
        for i, h in enumerate(header):
            if h in names:
                cols[fieldname] = i
                break
    missing = [f for f in ("code", "name") if f not in cols]
    if missing:
        want = "、".join(COLUMNS[f][1] for f in missing)
        raise HierarchyError(
            f"单位文件 {source} 第 1 行缺少列：{want}（可用列名：编码/单位名称/上级编码/别名/层级/启用年度/停用年度，"
            f"或 code/name/parent/aliases/level/active_from/active_to）；实际表头：{' | '.join(rows[0])}"
        )

    def get(row, f):
        i = cols.get(f)
        return row[i].strip() if i is not None and i < len(row) else ""

    def get_int(row, f, rownum):
        text = get(row, f)
        if not text:
            return None
        try:
            return int(float(text))
        except ValueError:
            findings.append(Finding("error", "bad-number", f"第 {rownum} 行 {f} 应为整数，实际为“{text}”", file=source))
            return None

    units = []
    pending: list[tuple[int, str, list[str]]] = []
    for n, row in enumerate(rows[1:], 2):
        code = get(row, "code")
        name = get(row, "name")
        if not code and not name:
            continue
        if not code or not name:
            findings.append(Finding("error", "incomplete-row", f"第 {n} 行缺少编码或单位名称", file=source))
            continue
        if any(ord(ch) < 32 or ord(ch) == 127 for ch in code):  # a newline or tab inside a cell: not a code
            findings.append(Finding("error", "bad-code", f"第 {n} 行的编码 {code!r} 含有换行或其他控制字符", file=source))
            continue
        aliases = tuple(a.strip() for a in _ALIAS_SPLIT.split(get(row, "aliases")) if a.strip())
        units.append(
            Unit(
                code=code,
                name=name,
                parent=get(row, "parent") or None,
                aliases=aliases,
                level=get_int(row, "level", n),
                active_from=get_int(row, "active_from", n),
                active_to=get_int(row, "active_to", n),
                order=n,
                merged_into=get(row, "merged_into") or None,
            )
        )
        preds = get(row, "predecessors")
        if preds:
            pending.append((n, code, [p.strip() for p in _ALIAS_SPLIT.split(preds) if p.strip()]))
    _resolve_merges(units, pending, findings, source)
    return units, findings


def _resolve_merges(units: list[Unit], pending, findings: list[Finding], source: str):
    """并入 / 前身 columns, given as codes or names, become ``merged_into`` codes."""
    by_code = {u.code: u for u in units}
    by_key = {unit_key(label): u for u in units for label in (u.name, *u.aliases)}

    def find(text):
        return by_code.get(text) or by_key.get(unit_key(text))

    for u in units:
        if u.merged_into and u.merged_into not in by_code:
            target = find(u.merged_into)
            if target is None:
                findings.append(Finding("error", "bad-merge", f"{u.name}[{u.code}] 的“并入”单位“{u.merged_into}”不在名单中", file=source))
            u.merged_into = target.code if target else None
    for n, code, names in pending:
        for text in names:
            old = find(text)
            if old is None:
                findings.append(Finding("error", "bad-merge", f"第 {n} 行“前身”单位“{text}”不在名单中", file=source))
            elif old.code != code:
                old.merged_into = code


def check_units(units: list[Unit], source: str = "") -> list[Finding]:
    """Cycles, orphans, duplicate codes, and names or aliases used by two units."""
    findings: list[Finding] = []
    by_code: dict[str, Unit] = {}
    for u in units:
        if u.code in by_code:
            findings.append(Finding("error", "duplicate-code", f"编码 {u.code} 重复：“{by_code[u.code].name}”与“{u.name}”", file=source or None))
        else:
            by_code[u.code] = u
    owner: dict[str, Unit] = {}
    for u in by_code.values():
        for label in dict.fromkeys((u.name, *u.aliases)):
            key = unit_key(label)
            other = owner.get(key)
            if other is not None and other.code != u.code and not _one_unit(other, u, by_code):
                findings.append(
                    Finding("error", "duplicate-name", f"名称或别名“{label}”同时属于 {other.name}[{other.code}] 和 {u.name}[{u.code}]", file=source or None)
                )
            else:
                owner[key] = u
    roots = []
    for u in by_code.values():
        if u.parent is None:
            roots.append(u)
        elif u.parent not in by_code:
            findings.append(Finding("error", "orphan", f"{u.name}[{u.code}] 的上级编码 {u.parent} 不存在", file=source or None))
        elif u.parent == u.code:
            findings.append(Finding("error", "cycle", f"{u.name}[{u.code}] 的上级是它自己", file=source or None))
    # each unit is walked up once (linear in the number of units, even for a 10,000-level chain):
    # state 1 = on the current walk, 2 = known to end at a root or at a cycle already reported
    state: dict[str, int] = {}
    for u in by_code.values():
        path, cur = [], u.code
        while cur in by_code and state.get(cur, 0) == 0:
            state[cur] = 1
            path.append(cur)
            cur = by_code[cur].parent
        if cur in by_code and state.get(cur) == 1 and by_code[cur].parent != cur:
            cycle = path[path.index(cur):]
            names = " → ".join(by_code[c].name for c in cycle + [cur])
            findings.append(Finding("error", "cycle", f"上下级关系成环：{names}", file=source or None))
        for c in path:
            state[c] = 2
    if not roots:
        findings.append(Finding("error", "no-root", "没有最上级单位（上级编码为空的单位）", file=source or None))
    elif len(roots) > 1:
        names = "、".join(r.name for r in roots)
        findings.append(Finding("warning", "many-roots", f"有 {len(roots)} 个最上级单位：{names}；汇总默认从第一个开始", file=source or None))
    for u in by_code.values():
        if u.active_from and u.active_to and u.active_from > u.active_to:
            findings.append(Finding("error", "bad-years", f"{u.name}[{u.code}] 的启用年度 {u.active_from} 晚于停用年度 {u.active_to}", file=source or None))
    return findings


def _one_unit(a: Unit, b: Unit, by_code: dict[str, Unit]) -> bool:
    """Two rows of one unit: one moved to or merged into the other (并入 / 前身, along a chain) and their
    years do not overlap, so a name they share is read by year (the old row for its years, the new one after)."""
    def reaches(x: Unit, y: Unit) -> bool:
        seen, cur = {x.code}, x.merged_into
        while cur and cur in by_code and cur not in seen:
            if cur == y.code:
                return True
            seen.add(cur)
            cur = by_code[cur].merged_into
        return False

    first, then = (a, b) if reaches(a, b) else (b, a) if reaches(b, a) else (None, None)
    if first is None:
        return False
    return first.active_to is not None and then.active_from is not None and first.active_to < then.active_from


def load_units_file(path: str | Path) -> tuple[list[Unit], list[Finding]]:
    path = Path(path)
    if not path.exists():
        raise HierarchyError(f"找不到单位文件：{path}")
    units, findings = parse_units(read_units_rows(path), path.name)
    return units, findings + check_units(units, path.name)
