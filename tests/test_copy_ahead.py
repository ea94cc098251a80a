"""The received copies made by a thread ahead of the writer (gwstats.copy_ahead)."""

from pathlib import Path

import pytest

from gwstats.copy_ahead import CopyAhead
from gwstats.importer import FileResult, _Loaded

from helpers_returns import dump_store, long_rows, make_workspace, write_xlsx


@pytest.fixture
def ws(tmp_path):
    return make_workspace(tmp_path)


def yx_file(tmp_path, name, unit="岳西县局", **values):
    return write_xlsx(tmp_path / "in" / name, {"统计表": long_rows(values or {"法制课场次": 100}, unit=unit)})


def listing(ws) -> list[str]:
    return sorted(p.relative_to(ws.root).as_posix() for p in (ws.root / "files").rglob("*"))


def spy_copies(ws, monkeypatch) -> list[str]:
    made = []
    real = type(ws).copy_in_bytes

    def copy(self, data, name, sha):
        made.append(name)
        return real(self, data, name, sha)

    monkeypatch.setattr(type(ws), "copy_in_bytes", copy)
    return made


@pytest.mark.parametrize("workers", ["0", "2"])
def test_files_refused_after_their_copy_was_made_leave_files_as_it_was(ws, tmp_path, monkeypatch, workers):
    monkeypatch.setenv("GWSTATS_IMPORT_WORKERS", workers)
    ws.import_paths([yx_file(tmp_path, "怀宁.xlsx", unit="怀宁县公安局关工委")])
    before_files, before_rows = listing(ws), dump_store(ws)
    made = spy_copies(ws, monkeypatch)
    a = yx_file(tmp_path, "岳西A.xlsx", 法制课场次=100)
    b = yx_file(tmp_path, "岳西B.xlsx", 法制课场次=120)  # the batch rule refuses both
    report = ws.import_paths([a, b])
    assert [f.status for f in report.files] == ["rejected", "rejected"]
    assert sorted(made) == ["岳西A.xlsx", "岳西B.xlsx"]  # copied while the batch was still being read
    assert listing(ws) == before_files and dump_store(ws) == before_rows


def test_every_row_names_a_copy_that_is_whole_when_the_row_is_added(ws, tmp_path, monkeypatch):
    paths = [yx_file(tmp_path, f"{u}.xlsx", unit=u) for u in ("岳西县局", "怀宁县公安局关工委", "望江县局")]
    real = ws.store.add_file
    seen = []

    def add_file(conn, **kw):
        seen.append(kw["name"])
        assert (ws.root / kw["stored_path"]).read_bytes() == (tmp_path / "in" / kw["name"]).read_bytes()
        return real(conn, **kw)

    monkeypatch.setattr(ws.store, "add_file", add_file)
    report = ws.import_paths(paths)
    assert [f.status for f in report.files] == ["accepted"] * 3 and seen == [p.name for p in paths]


def test_a_copy_removed_meanwhile_is_written_again(ws, tmp_path, monkeypatch):
    """Another import may remove a copy this one found in place (one it made for a file it refused)."""
    path = yx_file(tmp_path, "岳西.xlsx")
    real = type(ws).copy_in_bytes
    calls = []

    def copy_then_lose_it(self, data, name, sha):
        rel = real(self, data, name, sha)
        calls.append(name)
        if len(calls) == 1:
            (self.root / rel).unlink()
        return rel

    monkeypatch.setattr(type(ws), "copy_in_bytes", copy_then_lose_it)
    f = ws.import_paths([path]).files[0]
    assert f.status == "accepted" and calls == ["岳西.xlsx", "岳西.xlsx"]
    stored = ws.store.conn.execute("SELECT stored_path FROM files").fetchone()[0]
    assert (ws.root / stored).read_bytes() == path.read_bytes()


def test_an_interrupt_while_writing_keeps_whole_files_and_removes_the_other_copies(ws, tmp_path, monkeypatch):
    paths = [yx_file(tmp_path, f"{u}.xlsx", unit=u) for u in ("岳西县局", "怀宁县公安局关工委", "望江县局")]
    real = ws.store.add_submission
    calls = []

    def add_submission(conn, file_id, sub, **kw):
        calls.append(sub.unit)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return real(conn, file_id, sub, **kw)

    monkeypatch.setattr(ws.store, "add_submission", add_submission)
    with pytest.raises(KeyboardInterrupt):
        ws.import_paths(paths)
    rows = ws.store.conn.execute("SELECT name, stored_path FROM files").fetchall()
    assert [r[0] for r in rows] == ["岳西县局.xlsx"]  # the first file whole, the second rolled back
    assert [p for p in listing(ws) if "." in Path(p).name] == [rows[0][1]]


def _loaded(path: Path, sha: str) -> _Loaded:
    res = FileResult(path)
    res.sha256 = sha
    return _Loaded(res, data=path.read_bytes())


def test_finish_keeps_a_copy_the_store_names_and_removes_one_it_does_not(ws, tmp_path):
    a, b = yx_file(tmp_path, "a.xlsx"), yx_file(tmp_path, "b.xlsx", unit="望江县局")
    la, lb = _loaded(a, "ab" + "0" * 62), _loaded(b, "cd" + "1" * 62)
    copies = CopyAhead(ws)
    copies.add(la)
    copies.add(lb)
    rel_a, rel_b = copies.result(la), copies.result(lb)
    assert (ws.root / rel_a).read_bytes() == a.read_bytes() and (ws.root / rel_b).is_file()
    with ws.store.transaction() as conn:  # another clerk's import stored file a meanwhile
        ws.store.add_file(conn, sha256=la.result.sha256, name="a.xlsx", size=1, stored_path=rel_a,
                          received_at="2019-01-01T00:00:00", imported_by=None)
    copies.finish(set(), ws.store)
    assert (ws.root / rel_a).is_file()
    assert not (ws.root / rel_b).exists() and not (ws.root / rel_b).parent.exists()  # its folder was new too
