"""The library API: everything a command does is a method here (``from gwstats import Workspace``)."""

from __future__ import annotations

import datetime as dt
import os
from functools import cached_property
from importlib import resources
from pathlib import Path

from gwstats.model.catalog import Catalog, default_catalog_text, load_catalog, load_default, with_targets
from gwstats.model.config import CONFIG_NAME, CONFIG_TEMPLATE, Config, find_workspace, parse_config
from gwstats.core.errors import Finding, HierarchyError, NoUnitList, UsageError
from gwstats.model.hierarchy import Hierarchy, check_units, load_units_file
from gwstats.model.unit_edit import units_or_refuse
from gwstats.store.received import FILES_DIR, stored_name
from gwstats.workspace_setup import SetupAndSettings

STORE_NAME = "gwstats.sqlite"
NO_UNITS = "工作区还没有单位名单。请先运行：gwstats units import 单位名单.xlsx"
EXAMPLE_UNITS = "units.csv"


class Workspace(SetupAndSettings):
    """A gwstats workspace folder (gwstats.toml, catalog.toml, gwstats.sqlite, files/): every command's
    work is a method here. ``Workspace.open(path)`` finds one, ``Workspace.init(path)`` creates one."""

    def __init__(self, root: str | Path):
        self.root = Path(root).resolve()
        self.config_path = self.root / CONFIG_NAME
        if not self.config_path.is_file():
            raise UsageError(f"{self.root} 不是 gwstats 工作区（没有 {CONFIG_NAME}）。请先运行：gwstats init {self.root}")

    notify = None  # notify(text): told when this clerk must wait for another (the CLI prints it)

    def writing(self, action: str = "导入"):
        """Hold the workspace lock file while writing (another clerk waits and is told who)."""
        from gwstats.store.lock import workspace_lock

        return workspace_lock(self.root, action, on_wait=self.notify)

    def backup(self, dest: str | Path) -> Path:
        """Write one consistent copy of the store to ``dest`` (SQLite's online backup, safe during an import)."""
        dest = Path(dest).expanduser()
        if dest.is_dir():
            dest = dest / f"gwstats-{dt.datetime.now():%Y%m%d-%H%M}.sqlite"
        if dest.resolve() == (self.root / STORE_NAME).resolve():
            raise UsageError(f"备份文件不能是工作区的数据库文件本身：{dest}")
        if not dest.parent.is_dir():
            raise UsageError(f"找不到备份位置“{dest.parent}”（U盘是否已插好？）；请写一个已有的文件夹或其中的文件名")
        self.store.backup(dest)
        return dest

    def snapshot(self):
        """Every read inside sees one state of the store (before or after another clerk's file)."""
        return self.store.snapshot()

    # ---- opening -----------------------------------------------------------------------------
    @classmethod
    def open(cls, path: str | Path | None = None) -> "Workspace":
        """Open the workspace at ``path``, or find it as the command line does."""
        return cls(find_workspace(path))

    @classmethod
    def init(cls, path: str | Path = ".", *, name: str | None = None, year: int | None = None,
             force: bool = False) -> "Workspace":
        """Create a workspace: gwstats.toml, catalog.toml, an example units file and the store."""
        root = Path(path).expanduser()
        root.mkdir(parents=True, exist_ok=True)
        cfg = root / CONFIG_NAME
        if cfg.exists() and not force:
            raise UsageError(f"{root} 已经是 gwstats 工作区（{CONFIG_NAME} 已存在）；如需重建请加 --force")
        year = year or (dt.date.today().year - 1)
        name = name or "某某市关工委"
        standard = ""  # empty: charts picks a set the catalog and the data can carry
        cfg.write_text(CONFIG_TEMPLATE.format(name=name.replace('"', "'"), year=year, standard_charts=standard), encoding="utf-8")
        cat = root / "catalog.toml"
        if not cat.exists() or force:
            cat.write_text(default_catalog_text(), encoding="utf-8")
        units = root / EXAMPLE_UNITS
        if not units.exists():
            units.write_text(
                resources.files("gwstats").joinpath("data/example_units.csv").read_text(encoding="utf-8"),
                encoding="utf-8",
            )
        (root / FILES_DIR).mkdir(exist_ok=True)
        ws = cls(root)
        ws._creating = True
        ws.store  # creates the SQLite file
        ws._creating = False
        return ws

    # ---- the two models and the store ---------------------------------------------------------
    @cached_property
    def config(self) -> Config:
        """gwstats.toml, read once."""
        return parse_config(self.config_path)

    @cached_property
    def catalog(self) -> Catalog:
        """The metric catalog (the workspace's catalog file, else the built-in one)."""
        f = self.config.catalog_file
        cat = load_catalog(self.root / f) if f else load_default()
        return with_targets(cat, self.config.targets, self.config_path.name)  # targets only as the office set them

    @cached_property
    def store(self):
        """The SQLite store (``gwstats.store.db.Store``), opened on first use."""
        from gwstats.store.db import Store

        return Store(self.root / STORE_NAME, create=getattr(self, "_creating", False))

    @property
    def files_dir(self) -> Path:
        """Where the received files are kept."""
        return self.root / FILES_DIR

    def hierarchy(self) -> Hierarchy:
        """The units list as stored; a UsageError when none was imported yet. Kept while the store is
        unchanged (see :meth:`kept`): a report asks for it from every chart and section."""
        h = self.kept(("hierarchy",), self.store.hierarchy)
        if not h.units:
            raise NoUnitList(NO_UNITS)
        return h

    def tree(self):
        """The hierarchy as depth-first arrays (gwstats.analysis.tree.Tree), for the rollup and its kin;
        kept while the store is unchanged (see :meth:`kept`)."""
        from gwstats.analysis.tree import load_tree

        tree = self.kept(("tree",), lambda: load_tree(self.store))
        if tree.n == 0:
            raise NoUnitList(NO_UNITS)
        return tree

    KEPT_PER_KIND = 3  # e.g. rollup totals of three (year, comparison, prefer) kept at once

    def kept(self, key: tuple, build):
        """``build()``, computed once while the store is unchanged and kept under ``key`` (its first
        item names the kind; at most KEPT_PER_KIND of a kind, the least recently used goes). A command
        asks for the tree, the hierarchy and the rollup's totals from several places (every chart and
        section of a report); on a province each costs seconds. PRAGMA data_version moves when another
        connection commits, total_changes when this one writes: then everything kept is dropped."""
        change = self.store.change_key()
        memo = self.__dict__.get("_kept")
        if memo is None or memo[0] != change:
            memo = (change, {})
            self.__dict__["_kept"] = memo
        entries = memo[1]
        if key in entries:
            entries[key] = entries.pop(key)  # most recently used last
            return entries[key]
        value = build()
        if self.store.change_key() != change:  # the store changed meanwhile: keep nothing
            return value
        same = [k for k in entries if k[0] == key[0]]
        for k in same[: max(0, len(same) + 1 - self.KEPT_PER_KIND)]:
            del entries[k]
        entries[key] = value
        return value

    def kept_of(self, kind: str) -> list[tuple[tuple, object]]:
        """(key, value) of what is kept of ``kind`` (see :meth:`kept`) while the store is unchanged."""
        memo = self.__dict__.get("_kept")
        if memo is None or memo[0] != self.store.change_key():
            return []
        return [(k, v) for k, v in memo[1].items() if k[0] == kind]

    def year_or_default(self, year: int | None) -> int:
        """``year``, else gwstats.toml's default_year; a UsageError when neither is set."""
        if year is not None:
            return year
        if self.config.default_year:
            return int(self.config.default_year)
        raise UsageError(f"请用 --year 指定统计年度（或在 {CONFIG_NAME} 的 [report] 中设置 default_year）")

    def resolve_unit(self, text: str | None) -> str | None:
        """A unit's code from its code or a written name (None stays None); a UsageError naming the
        closest units when it matches none."""
        if text is None:
            return None
        if self.store.unit_names([str(text).strip()]):  # a code, as Hierarchy.match takes it first: no hierarchy
            return str(text).strip()
        h = self.hierarchy()
        code = h.match(text)
        if code is None:
            hint = h.suggest(text)
            raise UsageError(f"单位名单中没有“{text}”" + (f"。是否是：{'、'.join(hint)}？" if hint else ""))
        return code

    # ---- hierarchy -----------------------------------------------------------------------------
    def import_units(self, path: str | Path, *, force: bool = False) -> tuple[int, list[Finding]]:
        """Load the units file, replacing the list; refuses (nothing stored) when it has errors, or
        when it drops units whose returns are in the store (their figures would silently leave
        every total) unless ``force``."""
        with self.writing("导入单位名单"):
            return self._import_units(path, force=force)

    def _import_units(self, path, *, force: bool):
        units, findings = units_or_refuse(path)
        kept = {u.code for u in units}
        dropped = [
            (code, name, n)
            for code, name, n in self.store.units_in_force()
            if code not in kept
        ]
        if dropped and not force:
            raise HierarchyError(
                f"新的单位文件 {Path(path).name} 中没有下列单位，而它们已有报表导入；导入后这些报表将不再计入任何汇总。"
                "请把它们补进单位文件（可设停用年度），或确认后加 --force 导入：",
                details=[f"{name}[{code}]：在用报表 {n} 份" for code, name, n in dropped],
            )
        self._refuse_unit_changes_in_locked_years(units)
        if dropped:
            findings.append(Finding("warning", "units-dropped",
                                    "已移除仍有报表的单位（报表保留，但不再计入汇总）：" + "、".join(f"{n}[{c}]" for c, n, _ in dropped)))
        self.store.replace_units(units)
        return len(units), findings

    # ---- finished years ------------------------------------------------------------------------
    def lock_year(self, year: int, *, by: str | None = None):
        """年度封账 as ``by`` (the colleague logged in to the page; default this computer's account),
        also noted in 导入记录: (user, computer, when)."""
        from gwstats.ingest import log
        from gwstats.store.years import lock_year

        with self.writing("封账"):
            lock = lock_year(self, year, by)
            log.event(self.root, lock[0], f"{year} 年度封账")
        return lock

    def unlock_year(self, year: int, *, by: str | None = None):
        """Undo :meth:`lock_year` as ``by`` (noted in 导入记录): returns the lock lifted (user, computer, when)."""
        from gwstats.ingest import log
        from gwstats.store.years import lock_text, unlock_year

        with self.writing("解除封账"):
            lock = unlock_year(self, year)
            log.event(self.root, by, f"解除封账（{lock_text(year, lock)}）")
        return lock

    def revert(self, unit: str, year: int, to: int | None = None, scope: str = "本级", *, by: str | None = None):
        """Put an earlier version of ``unit``'s ``year`` return (``scope`` 本级 or 汇总) back in force:
        version ``to``, default the one before, recorded (history, 导入记录) as done by ``by``; a ``RevertResult``."""
        from gwstats.ingest import log
        from gwstats.store.years import revert

        with self.writing("恢复报表版本"):
            res = revert(self, unit, year, to=to, scope=scope, by=by)
            log.event(self.root, by, f"{res.unit_name} {year} 年{scope}报表恢复为第 {res.to_version} 版（原在用第 {res.from_version} 版）")
        return res

    def check_units(self, path: str | Path | None = None) -> list[Finding]:
        """The problems of a units file at ``path``, or of the stored units list."""
        if path is not None:
            return load_units_file(path)[1]
        units = self.store.load_units()
        if not units:
            raise NoUnitList(NO_UNITS)
        return check_units(units, "单位名单")

    # ---- templates -----------------------------------------------------------------------------
    def write_templates(self, year: int, out_dir: str | Path, unit: str | None = None, scope: str = "本级", *,
                        progress=None) -> list[Path]:
        """Blank return workbooks of ``year`` into ``out_dir``, one per unit expected to report (or
        for ``unit`` only), for ``scope`` 本级 or 汇总; returns the files written. ``progress(i, n, words)``
        is called as each is made."""
        from gwstats.forms.template import write_unit_templates

        h = self.hierarchy()
        codes = [self.resolve_unit(unit)] if unit else h.expected(year)
        return write_unit_templates(self.catalog, h, codes, year, Path(out_dir), organisation=self.config.organisation, scope=scope,
                                    progress=progress)

    # ---- the rest of the path (each in its own module) ------------------------------------------
    def import_paths(self, paths, *, year: int | None = None, unit: str | None = None, dry_run: bool = False,
                     keep_existing: bool = False, progress=None, max_mb: float | None = None,
                     replace: bool = False, received: str | None = None, imported_by: str | None = None):
        """Import returns from files, folders and globs (``paths``); returns an ``ImportReport``.

        ``year`` / ``unit``: the year and unit of files that do not say (a unit's name or code);
        ``dry_run``: read and check only, store nothing; ``keep_existing``: refuse a new file for a
        unit and year already stored instead of replacing it; ``progress(done, total, phase)``: called
        per file; ``max_mb``: the largest file read (default: gwstats.toml's max_file_mb);
        ``replace``: accept a new version even when it lacks most of the values in force;
        ``received``: the date (YYYY-MM-DD) the files arrived, for ``status``; ``imported_by``: the
        colleague recorded with each file (default: this computer's user). Every import that is not a
        dry run is also appended to 导入记录 (:meth:`import_log`)."""
        from gwstats.ingest import log
        from gwstats.ingest.importer import import_paths

        report = import_paths(self, paths, year=year, unit=unit, dry_run=dry_run, keep_existing=keep_existing,
                              progress=progress, max_mb=max_mb, replace=replace, received=received,
                              imported_by=imported_by)
        if not dry_run:
            log.append(self.root, report, imported_by)
        return report

    def import_log(self, limit: int = 50) -> list[dict]:
        """导入记录: the latest imports, newest first, each with its per-file results (gwstats.ingest.log)."""
        from gwstats.ingest import log

        return log.entries(self.root, limit)

    def history(self, unit: str, year: int):
        """Every version of ``unit``'s ``year`` returns, with what changed between them."""
        from gwstats.store.versions import history

        with self.snapshot():
            return history(self, self.resolve_unit(unit), year)

    def rollup(self, year: int, *, unit: str | None = None, level: int | None = None, metrics=None,
               compare="auto", prefer: str = "computed"):
        """Add up ``year`` through the hierarchy; returns a ``RollupResult``.

        ``unit``: the root of the selection (name or code; default the top unit); ``level``: list the
        units of this level of the hierarchy under it (default its children); ``metrics``: codes to show (default all);
        ``compare``: the year to compare with, ``"auto"`` (the year before, if stored) or None;
        ``prefer``: ``"computed"`` (sum of the units below) or ``"reported"`` (a 汇总 return's figure)."""
        from gwstats.analysis.rollup import rollup

        with self.snapshot():
            return rollup(self, year, unit=unit, level=level, metrics=metrics, compare=compare, prefer=prefer)

    def hierarchy_changed(self, year_a: int, year_b: int) -> bool:
        """Some unit started, stopped, was merged or moved to another parent: last year's figures are then
        laid on this year's hierarchy (按现行隶属关系计算)."""
        h = self.hierarchy()
        if self.store.moved_units():
            return True
        return any(u.active_in(year_a) != u.active_in(year_b) or u.merged_into for u in h.units.values())

    def status(self, year: int, *, unit: str | None = None):
        """Who was expected to report for ``year``, who did and who was late (under ``unit``, default
        all); returns a ``StatusResult``."""
        from gwstats.analysis.status import status

        with self.snapshot():
            return status(self, year, unit=unit)

    def check(self, year: int, *, unit: str | None = None, errors_only: bool = False, brief: bool = False):
        """Run every check of ``year`` (catalog rules, rates, totals, year-over-year jumps, the basis)
        under ``unit`` (default all); returns a ``CheckResult``. ``errors_only``: its error findings
        only (the publishing gate, the ※ marks), without the checks that can only warn. ``brief``: on a
        big hierarchy the 提醒 of units below the counties counted in ``left_out``, not listed (what
        `check` prints by default)."""
        from gwstats.analysis.checks import CheckResult, run_checks

        self.tree()  # no unit list yet: say so (not an IndexError from the empty tree)

        def build(errors_only=False, brief=False):
            with self.snapshot():
                return run_checks(self, year, unit=unit, errors_only=errors_only, brief=brief)

        if errors_only:
            for key, full in self.kept_of("check"):
                if key == ("check", year, unit):  # the full check is kept: its errors
                    return CheckResult(full.year, full.root, [f for f in full.findings if f.severity == "error"],
                                       has_returns=full.has_returns)
            return self.kept(("check-errors", year, unit), lambda: build(True))
        if brief:
            for key, full in self.kept_of("check"):
                if key == ("check", year, unit):  # the full check is kept: it serves
                    return full
            return self.kept(("check-brief", year, unit), lambda: build(brief=True))
        # kept while the store is unchanged: the gate of report/charts/export and the report's own
        # sections read the same check
        return self.kept(("check", year, unit), build)

    def trace(self, year: int, unit: str, metric: str, *, prefer: str = "computed", max_depth: int | None = None):
        """One figure (``unit``'s ``metric`` in ``year``) down to the files, sheets and cells it came
        from; returns a ``TraceResult``. ``prefer`` as in :meth:`rollup`; ``max_depth``: how many levels
        of units to open (default all)."""
        from gwstats.analysis.trace import trace

        with self.snapshot():
            return trace(self, year, unit, metric, prefer=prefer, max_depth=max_depth)

    def chart(self, year: int, *, metric: str, output: str | Path, kind: str = "bar", by: str = "unit",
              unit: str | None = None, level: int | None = None, target: float | None = None,
              svg: bool = False, pdf: bool = False) -> list[Path]:
        """Draw one chart of ``metric`` (``a+b`` for a share chart) to ``output``; returns the files
        written, PNG first. ``kind``: bar / compare / trend / rate / share; ``by``: unit or year;
        ``unit`` / ``level``: as in :meth:`rollup`; ``target``: a target line; ``svg`` / ``pdf``: also
        write those formats."""
        from gwstats.render.chart_data import make_chart

        with self.snapshot():
            return make_chart(self, year, metric=metric, output=output, kind=kind, by=by, unit=unit, level=level,
                              target=target, svg=svg, pdf=pdf)

    def charts(self, year: int, out_dir: str | Path, *, unit: str | None = None, level: int | None = None,
               svg: bool = False, pdf: bool = False, progress=None):
        """The meeting set of charts for ``year`` into ``out_dir``; returns a ``ChartSet`` (files and
        the charts left out, with why). ``unit`` / ``level`` as in :meth:`rollup`; ``svg`` / ``pdf``
        as in :meth:`chart`; ``progress(i, n, words)`` is called before each chart."""
        from gwstats.render.chart_data import make_standard_charts

        with self.snapshot():
            return make_standard_charts(self, year, out_dir, unit=unit, level=level, svg=svg, pdf=pdf, progress=progress)

    def report(self, year: int, output: str | Path, *, fmt: str | None = None, unit: str | None = None,
               level: int | None = None, charts: bool = True, template: str | Path | None = None,
               date: str | None = None, checks: str | Path | bool | None = None, progress=None) -> Path:
        """Write the analysis report of ``year`` to ``output``; returns its path. ``fmt``: docx / md /
        html (default from the suffix, else docx); ``unit`` / ``level`` as in :meth:`rollup`;
        ``charts``: include charts; ``template``: an office's own .docx to take styles from;
        ``date``: the 成文日期 (2021-01-15 or 2021年1月15日; default gwstats.toml [report] date, else
        today); ``checks``: also write the office's 填报情况 and 数据核查 list to this file (``True``:
        beside the report, see :func:`gwstats.render.report.checks_path`); the report itself holds none.
        ``progress(i, n, words)`` is called as each step begins."""
        from gwstats.render.report import make_report

        with self.snapshot():
            return make_report(self, year, output, fmt=fmt, unit=unit, level=level, charts=charts, template=template,
                               date=date, checks=checks, progress=progress)

    @staticmethod
    def stored_name(name: str, sha256: str) -> str:
        """The received copy's path relative to the workspace (see :func:`gwstats.store.received.stored_name`)."""
        return stored_name(name, sha256)

    def recent_files(self, limit: int = 10) -> list[dict]:
        """The files received last: name, when, by whom, which returns they carried."""
        from gwstats.store.received import recent_files

        return recent_files(self, limit)

    def original_file(self, submission: int):
        """(name as received, path of the kept copy) of the file a submission came from."""
        from gwstats.store.received import original_file

        return original_file(self, submission)

    # ---- the way up (gwstats.forms.export, gwstats.forms.fill) ---------------------------------------------
    def export_return(self, year: int, output: str | Path, *, unit: str | None = None, prefer: str = "computed"):
        """This unit's 汇总 return in the standard long layout, for the level above to import; returns a
        ``ReturnExport``. ``unit``: whose totals (default the top unit); ``prefer`` as in :meth:`rollup`."""
        from gwstats.forms.export import write_return

        return write_return(self, year, output, unit=unit, prefer=prefer)

    def export_long(self, year: int, output: str | Path | None = None, *, unit: str | None = None,
                    prefer: str = "computed"):
        """Long data (unit, metric, value, unit of measure, 口径): records, or with ``output`` a
        UTF-8-BOM CSV file and ``(path, rows)``. ``unit`` / ``prefer`` as in :meth:`export_return`."""
        from gwstats.forms.export import long_records, write_csv_long

        if output is not None:
            return write_csv_long(self, year, output, unit=unit, prefer=prefer)
        return long_records(self, year, unit=unit, prefer=prefer)

    def fill_form(self, year: int, form: str | Path, output: str | Path, *, unit: str | None = None,
                  prefer: str = "computed"):
        """The level above's own ``form`` with this workspace's totals filled in, written to ``output``;
        returns a ``FillResult``. ``unit`` / ``prefer`` as in :meth:`export_return`."""
        from gwstats.forms.fill import fill_form

        return fill_form(self, year, form, output, unit=unit, prefer=prefer)

    def copy_in(self, src: Path, sha256: str) -> str:
        """Keep a copy of a received file inside the workspace; returns its relative path."""
        return self.copy_in_bytes(Path(src).read_bytes(), Path(src).name, sha256)

    def copy_in_bytes(self, data: bytes, name: str, sha256: str) -> str:
        """Like :meth:`copy_in`, from bytes already read (saves reading the file twice on import).
        Written to a temporary name and renamed, so a full disk leaves no half-written copy."""
        rel = self.stored_name(name, sha256)
        dest = self.root / rel
        if not dest.exists():
            tmp = dest.with_name(dest.name + ".part")
            for attempt in (1, 2):
                dest.parent.mkdir(parents=True, exist_ok=True)
                try:
                    tmp.write_bytes(data)
                    tmp.replace(dest)
                    break
                except FileNotFoundError:  # the hash folder was removed meanwhile (another import's clean-up)
                    if attempt == 2:
                        raise
                except BaseException:
                    tmp.unlink(missing_ok=True)
                    raise
        return rel

    def move_in(self, staged: str, name: str, sha256: str) -> str:
        """Like :meth:`copy_in_bytes`, for a copy already written whole to a staging folder of this
        workspace (gwstats.ingest.staging): renamed into place (its folder is usually made already)."""
        rel = self.stored_name(name, sha256)
        dest = os.path.join(self.root, rel)
        try:
            os.replace(staged, dest)  # over a copy already there: the same bytes (the name is from their hash)
        except FileNotFoundError:
            if not os.path.exists(staged):
                raise
            os.makedirs(os.path.dirname(dest), exist_ok=True)
            os.replace(staged, dest)
        return rel
