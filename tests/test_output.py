"""Outputs on a full disk: every writer (xlsx, docx, html, png, csv, md) leaves nothing under the final
name, names the file, says the disk is full, prints no traceback. ENOSPC is simulated: every file opened
for writing in the output folder takes 100 bytes and then refuses more."""

import builtins
import errno
import io
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from gwstats.cli.app import app

from helpers_returns import one_return_workspace

runner = CliRunner()
LIMIT = 100


class _FullDisk:
    def __init__(self, raw, name):
        self._raw, self._name, self._n = raw, name, 0

    def write(self, data):
        self._n += len(data)
        if self._n > LIMIT:
            raise OSError(errno.ENOSPC, "No space left on device", self._name)
        return self._raw.write(data)

    def __getattr__(self, a):
        return getattr(self._raw, a)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self._raw.close()

    def __iter__(self):
        return iter(self._raw)


@pytest.fixture
def full_disk(tmp_path, monkeypatch):
    out = tmp_path / "out"
    out.mkdir()
    real_open = builtins.open

    def fake_open(file, mode="r", *a, **kw):
        f = real_open(file, mode, *a, **kw)
        if isinstance(file, (str, os.PathLike)) and any(m in mode for m in "wax") \
                and str(Path(os.fspath(file)).resolve()).startswith(str(out.resolve())):
            return _FullDisk(f, os.fspath(file))
        return f

    monkeypatch.setattr(builtins, "open", fake_open)
    monkeypatch.setattr(io, "open", fake_open)
    return out


@pytest.mark.parametrize("args,name", [
    (["rollup", "--year", "2018", "-o", "{out}/汇总.xlsx"], "汇总.xlsx"),
    (["export", "--year", "2018", "--as-return", "-o", "{out}/上报.xlsx"], "上报.xlsx"),
    (["export", "--year", "2018", "-f", "csv-long", "-o", "{out}/长表.csv"], "长表.csv"),
    (["report", "--year", "2018", "-o", "{out}/总结.docx"], "总结.docx"),
    (["report", "--year", "2018", "-o", "{out}/总结.html"], "总结.html"),
    (["report", "--year", "2018", "-o", "{out}/总结.md"], "总结.md"),
    (["chart", "--year", "2018", "-o", "{out}/图.png", "--metric", "wulao_volunteers"], "图.png"),
    (["template", "-o", "{out}/模板"], None),
])
def test_a_full_disk_leaves_no_output_and_says_so(ws, full_disk, args, name):
    args = [a.format(out=full_disk) for a in args]
    r = runner.invoke(app, [*args, "-w", str(ws.root)])
    out = r.output + (r.stderr or "")
    assert r.exit_code == 2, out
    assert "磁盘已满" in out and "Traceback" not in out and "Exception ignored" not in out, out
    assert "无法写入“" in out and (name is None or name in out), out
    left = [p for p in full_disk.rglob("*") if p.is_file()]
    assert left == [], left  # no 0-byte file under the final name, no temporary file


def test_write_whole_renames_only_a_whole_file(tmp_path):
    from gwstats.core.output import OutputError, write_whole

    target = tmp_path / "a.txt"
    target.write_text("old", encoding="utf-8")

    def half(p):
        p.write_text("half", encoding="utf-8")
        raise OSError(errno.ENOSPC, "No space left on device", str(p))

    with pytest.raises(OutputError, match="磁盘已满"):
        write_whole(target, half)
    assert target.read_text(encoding="utf-8") == "old" and sorted(tmp_path.iterdir()) == [target]
    write_whole(target, lambda p: p.write_text("new", encoding="utf-8"))
    assert target.read_text(encoding="utf-8") == "new"


@pytest.fixture
def ws(tmp_path):
    return one_return_workspace(tmp_path)
