import pytest

from gwstats import Workspace
from gwstats.model.config import find_workspace
from gwstats.core.errors import GwstatsError, UsageError, WorkspaceNotFound


def test_init_creates_the_files(tmp_path):
    ws = Workspace.init(tmp_path / "w", name="安庆市公安局关工委", year=2018)
    for name in ("gwstats.toml", "catalog.toml", "units.csv", "gwstats.sqlite"):
        assert (ws.root / name).is_file(), name
    assert ws.config.organisation == "安庆市公安局关工委"
    assert ws.config.default_year == 2018
    assert len(ws.catalog.metrics) >= 30  # the workspace copy of the default catalog


def test_init_refuses_an_existing_workspace(tmp_path):
    Workspace.init(tmp_path / "w")
    with pytest.raises(UsageError, match="已经是 gwstats 工作区"):
        Workspace.init(tmp_path / "w")


def test_discovery_walks_upward(tmp_path):
    ws = Workspace.init(tmp_path / "w")
    deep = ws.root / "收到的报表" / "2018"
    deep.mkdir(parents=True)
    assert find_workspace(start=deep) == ws.root


def test_discovery_explicit_and_env(tmp_path, monkeypatch):
    ws = Workspace.init(tmp_path / "w")
    elsewhere = tmp_path / "other"
    elsewhere.mkdir()
    assert find_workspace(ws.root) == ws.root
    monkeypatch.setenv("GWSTATS_WORKSPACE", str(ws.root))
    assert find_workspace(start=elsewhere) == ws.root
    with pytest.raises(WorkspaceNotFound, match="gwstats init"):
        find_workspace(elsewhere)


def test_no_workspace_hint(tmp_path, monkeypatch):
    monkeypatch.delenv("GWSTATS_WORKSPACE", raising=False)
    with pytest.raises(WorkspaceNotFound, match="请先运行 gwstats init"):
        find_workspace(start=tmp_path)


def test_workspace_catalog_edit_is_used(tmp_path):
    ws = Workspace.init(tmp_path / "w")
    text = (ws.root / "catalog.toml").read_text(encoding="utf-8")
    (ws.root / "catalog.toml").write_text(text.replace('name = "法制课场次"', 'name = "法治课开课场次"'), encoding="utf-8")
    assert Workspace.open(ws.root).catalog.match_label("法治课开课场次") == "legal_lessons"


def test_units_import_refuses_a_broken_file(workspace, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("编码,单位名称,上级编码\nA,甲,\nB,乙,ZZ\n", encoding="utf-8")
    before = len(workspace.hierarchy().units)
    with pytest.raises(GwstatsError) as exc:
        workspace.import_units(bad)
    assert "上级编码 ZZ 不存在" in str(exc.value)
    assert len(workspace.hierarchy().units) == before  # nothing half-written


def test_resolve_unit_suggests(workspace):
    assert workspace.resolve_unit("西山县") == "S02"
    with pytest.raises(UsageError, match="是否是"):
        workspace.resolve_unit("西山区")


def test_deadline(workspace):
    import datetime as dt

    assert workspace.config.deadline_for(2018) == dt.date(2019, 1, 15)


def _store_a_return(ws, unit: str, year: int = 2018):
    from decimal import Decimal

    from gwstats.store.db import SubmissionRecord, ValueRecord

    with ws.store.transaction() as conn:
        fid = ws.store.add_file(conn, sha256=f"sha-{unit}", name=f"{unit}.xlsx", size=1, stored_path="x",
                                received_at="2019-01-02T00:00:00", imported_by="test")
        ws.store.add_submission(conn, fid, SubmissionRecord(unit, year, "本级", [ValueRecord("org_total", Decimal(5))]),
                                received_at="2019-01-02T00:00:00", imported_by="test")


def test_units_reimport_that_drops_a_unit_with_returns_is_refused(workspace, tmp_path):
    _store_a_return(workspace, "S01")
    smaller = tmp_path / "smaller.csv"
    lines = (workspace.root / "units.csv").read_text(encoding="utf-8").splitlines()
    smaller.write_text("\n".join(line for line in lines if not line.startswith("S01")) + "\n", encoding="utf-8")
    with pytest.raises(GwstatsError) as exc:
        workspace.import_units(smaller)
    assert "东城区关工委[S01]：在用报表 1 份" in str(exc.value) and "--force" in str(exc.value)
    assert "S01" in workspace.hierarchy().units  # nothing replaced
    n, findings = workspace.import_units(smaller, force=True)
    assert "S01" not in workspace.hierarchy().units
    assert any(f.code == "units-dropped" and "东城区关工委[S01]" in f.message for f in findings)


def test_units_reimport_keeping_every_reporting_unit_is_fine(workspace):
    _store_a_return(workspace, "S02")
    n, findings = workspace.import_units(workspace.root / "units.csv")
    assert n == 9 and not findings


def _public_functions():
    import inspect
    from functools import cached_property

    for name, member in vars(Workspace).items():
        if name.startswith("_"):
            continue
        if isinstance(member, property):
            member = member.fget
        elif isinstance(member, cached_property):
            member = member.func
        elif isinstance(member, (classmethod, staticmethod)):
            member = member.__func__
        if inspect.isfunction(member):
            yield name, member


def test_every_public_method_names_what_it_takes_and_says_what_it_does():
    import inspect

    found = dict(_public_functions())
    assert {"rollup", "import_paths", "report", "fill_form", "config", "open"} <= set(found)
    for name, func in found.items():
        kinds = {p.kind for p in inspect.signature(func).parameters.values()}
        assert inspect.Parameter.VAR_KEYWORD not in kinds, f"Workspace.{name} takes **kwargs"
        assert inspect.Parameter.VAR_POSITIONAL not in kinds, f"Workspace.{name} takes *args"
        assert inspect.getdoc(func), f"Workspace.{name} has no docstring"


def test_the_methods_take_what_the_functions_behind_them_take():
    import inspect

    from gwstats.analysis.checks import run_checks
    from gwstats.analysis.rollup import rollup
    from gwstats.analysis.status import status
    from gwstats.analysis.trace import trace
    from gwstats.forms.export import long_records, write_csv_long, write_return
    from gwstats.forms.fill import fill_form
    from gwstats.ingest.importer import import_paths
    from gwstats.render.chart_data import make_chart, make_standard_charts
    from gwstats.render.report import make_report

    def names(func, leave_out=()):
        return [p for p in inspect.signature(func).parameters if p not in ("self", "ws", *leave_out)]

    behind = {"import_paths": import_paths, "rollup": rollup, "status": status, "check": run_checks,
              "trace": trace, "chart": make_chart, "charts": make_standard_charts, "report": make_report,
              "export_return": write_return, "export_long": write_csv_long, "fill_form": fill_form}
    for method, func in behind.items():
        # rollup's tree= (a tree already loaded) and basis= (the errors-only check's rollup without the
        # comparable basis) are the analyses' own shortcuts, not part of the API
        assert names(getattr(Workspace, method)) == names(func, leave_out=("tree", "basis")), method
    assert names(long_records) == [n for n in names(write_csv_long) if n != "output"]


def test_help_says_what_rollup_takes():
    import pydoc
    import re

    text = pydoc.render_doc(Workspace.rollup, renderer=pydoc.plaintext)
    for word in ("unit", "level", "metrics", "compare", "prefer"):
        assert re.search(rf"\b{word}\b[:=]", text.split("\n\n")[1]), word  # in the signature
        assert f"``{word}``" in text  # and explained


def test_one_rollup_per_command_until_the_store_changes(tmp_path, monkeypatch):
    """A report reads the rollup from every section and chart and the check reads it again: the totals
    of the whole tree are computed once while the store is unchanged (issue 23), again after a write."""
    from gwstats.analysis import rollup as R
    from gwstats.analysis.tree import load_tree
    from gwstats.render.report import build_report
    from store_builders import add_submission, make_ws

    ws = make_ws(tmp_path)
    units = [c for c in ws.hierarchy().units if c != ws.hierarchy().root]
    add_submission(ws, units[0], 2018, {"legal_lessons": 3, "wulao_volunteers": 5})
    add_submission(ws, units[-1], 2017, {"legal_lessons": 2})
    calls = []
    real = R.year_totals
    monkeypatch.setattr(R, "year_totals", lambda *a, **k: calls.append(a[3:]) or real(*a, **k))
    h, tree = ws.hierarchy(), ws.tree()
    content = build_report(ws, 2018, charts=True)
    ws.rollup(2018, level=3, metrics=["legal_lessons"])
    alone = ws.rollup(2018, compare=None)  # an export after the gate's check: the year's frame reused
    assert calls == [(2018, 2017, "computed")]
    assert alone.compare_year is None and alone.prev is None
    fresh = R.rollup(ws, 2018, compare=None, tree=load_tree(ws.store))  # a tree of its own: computed anew
    assert len(calls) == 2 and alone.records() == fresh.records()
    calls.pop()
    assert ws.hierarchy() is h and ws.tree() is tree
    assert ws.rollup(2018).records() == ws.rollup(2018).records()
    add_submission(ws, units[0], 2018, {"legal_lessons": 4})  # a write: nothing kept is used again
    assert ws.hierarchy() is not h
    assert ws.rollup(2018).value(ws.hierarchy().root, "legal_lessons") == 4
    assert len(calls) == 2 and content.blocks
