"""The workspace's first run and settings, as the web page sets them: a new workspace in one step,
the settings of gwstats.toml, one change at a time to the unit list, and the guard that keeps a locked
year's units as they were (mixed into ``Workspace``)."""

from __future__ import annotations

from pathlib import Path

from gwstats.core.errors import HierarchyError, UsageError
from gwstats.model.catalog import load_default
from gwstats.model.hierarchy import check_units
from gwstats.model.unit_edit import units_or_refuse


class SetupAndSettings:
    @classmethod
    def setup(cls, path: str | Path, *, name: str, year: int, units: str | Path, deadline: str | None = None,
              filled_by: str | None = None, phone: str | None = None, form: str | Path | None = None):
        """The first run in one step (the web set-up page): a new workspace with its settings, its unit
        list and, from the superior's form, its catalog. Everything is checked before anything is
        written: a bad unit list or form leaves the folder as it was."""
        from gwstats.model.config import check_deadline, set_settings

        name = (name or "").strip()
        if not name:
            raise UsageError("请填写本级组织名称")
        deadline = check_deadline(deadline) if deadline else None
        units_or_refuse(units)
        derived = None
        if form is not None:
            from gwstats.forms.from_form import derive

            derived = derive(form, load_default())
        ws = cls.init(path, name=name, year=year)
        settings = {("report", "deadline"): deadline, ("export", "filled_by"): (filled_by or "").strip(),
                    ("export", "phone"): (phone or "").strip()}
        set_settings(ws.config_path, {k: v for k, v in settings.items() if v})
        if derived is not None:
            from gwstats.forms.from_form import write_catalog

            write_catalog(derived, ws.root / "catalog.toml")
        ws.import_units(units)
        return ws

    SETTINGS = {"name": ("organisation", "name"), "year": ("report", "default_year"), "deadline": ("report", "deadline"),
                "filled_by": ("export", "filled_by"), "phone": ("export", "phone"), "unit_name": ("export", "unit_name")}

    def settings(self) -> dict:
        """What the 设置 page edits, as gwstats.toml holds it ("" for a value not set)."""
        raw = self.config.raw
        return {k: raw.get(sec, {}).get(key, "") for k, (sec, key) in self.SETTINGS.items()}

    def update_settings(self, *, name: str | None = None, year: str | int | None = None, deadline: str | None = None,
                        filled_by: str | None = None, phone: str | None = None, unit_name: str | None = None) -> None:
        """Write the settings given (not None) into gwstats.toml, each checked first: ``name`` (本级组织名称),
        ``year`` (default year), ``deadline`` (报送截止日期), ``filled_by`` / ``phone`` (填报人、联系电话 of
        the return sent up), ``unit_name`` (this office's name in the superior's list). The file's comments
        and other settings stay (model.config.set_settings)."""
        from gwstats.model.config import MAX_YEAR, MIN_YEAR, check_deadline, set_settings

        given = dict(name=name, year=year, deadline=deadline, filled_by=filled_by, phone=phone, unit_name=unit_name)
        changes = {}
        for k, v in ((k, v) for k, v in given.items() if v is not None):
            v = v.strip() if isinstance(v, str) else v
            if k == "name" and not v:
                raise UsageError("本级组织名称不能为空")
            if k == "year":
                if not str(v).isdigit() or not MIN_YEAR <= int(v) <= MAX_YEAR:
                    raise UsageError(f"统计年度“{v}”应为 {MIN_YEAR}–{MAX_YEAR} 之间的四位数字年份")
                v = int(v)
            if k == "deadline":
                v = check_deadline(v)
            if v == "" and not self.settings().get(k):
                continue  # an optional value left empty: the example line stays as it was
            changes[self.SETTINGS[k]] = v
        with self.writing("修改设置"):
            set_settings(self.config_path, changes)
        self.__dict__.pop("config", None)

    def edit_units(self, action: str, code: str, *, name: str = "", parent: str = "", year=None) -> str:
        """One change to the unit list: ``action`` add (``code``, ``name``, ``parent``, ``year`` it starts),
        rename (``name``), move (``parent``) or stop (``year`` it stops) (model.unit_edit), checked as an
        imported list is (check_units) and refused when it changes a locked year's units; returns what
        was done, in a sentence."""
        from gwstats.model.unit_edit import edit

        with self.writing("修改单位名单"):
            units, said = edit(self.store.load_units(), action, code, name=name, parent=parent, year=year)
            errors = [f.message for f in check_units(units) if f.severity == "error"]
            if errors:
                raise HierarchyError("这样修改后单位名单有错误，未保存：", details=errors)
            self._refuse_unit_changes_in_locked_years(units, what="这次修改")
            self.store.replace_units(units)
        return said

    def _refuse_unit_changes_in_locked_years(self, units, what: str = "新的单位文件"):
        """A units list that changes a locked year's units (who reports, under whom, named how)."""
        from gwstats.store.years import YearLocked, lock_text, unlock_hint

        locks = self.store.locked_years()
        if not locks:
            return
        old = self.store.load_units()
        for year, lock in locks.items():
            def shape(us):
                return {(u.code, u.name, u.parent) for u in us if u.active_in(year)}

            before, after = shape(old), shape(units)
            if before != after:
                changed = sorted({c for c, _, _ in before ^ after})
                raise YearLocked(
                    f"{lock_text(year, lock)}；{what}会改变该年度的单位（"
                    + "、".join(changed[:8]) + (f" 等 {len(changed)} 个" if len(changed) > 8 else "")
                    + f"），未{'保存' if what == '这次修改' else '导入'}。如只是为下一年度调整，请给新单位设启用年度、给撤并的单位设停用年度；{unlock_hint(year)}")
