"""A file open in Excel or WPS (Windows refuses it with WinError 32/33): reading it (import, units
import, catalog from-template, export --into) and writing it (every output) say so with the file's
path, and nothing is printed at exit. Simulated here by raising such an OSError, as Windows does."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from gwstats.cli.app import app

from helpers_returns import long_rows, make_workspace, one_return_workspace, write_xlsx

runner = CliRunner()
IN_USE = "文件正被 Excel 或 WPS 打开，请关闭后重试"
SUPERIOR = Path(__file__).parent.parent / "sample_data" / "superior" / "省关工委组织建设情况统计表.xlsx"


def sharing_violation(path) -> OSError:
    exc = PermissionError(13, "另一个程序正在使用此文件，进程无法访问。", str(path))
    exc.winerror = 32  # what Windows sets (ERROR_SHARING_VIOLATION); 33 is a locked range
    return exc


@pytest.fixture
def open_in_excel(monkeypatch):
    """The files (by name) that Excel holds open: reading them raises the sharing violation."""
    held: set[str] = set()
    real_read_bytes, real_open = Path.read_bytes, open

    def read_bytes(self):
        if self.name in held:
            raise sharing_violation(self)
        return real_read_bytes(self)

    def load_workbook(filename, *a, **kw):
        if Path(filename).name in held:
            raise sharing_violation(filename)
        from openpyxl.reader.excel import load_workbook as real

        return real(filename, *a, **kw)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    monkeypatch.setattr("openpyxl.load_workbook", load_workbook)
    return held


def out(r) -> str:
    return r.output + (r.stderr or "")


def test_an_import_names_the_file_open_in_excel(tmp_path, open_in_excel):
    ws = make_workspace(tmp_path)
    a = write_xlsx(tmp_path / "in" / "岳西.xlsx", {"统计表": long_rows({"关工委组织数": 12})})
    write_xlsx(tmp_path / "in" / "望江.xlsx", {"统计表": long_rows({"关工委组织数": 3}, unit="望江县公安局关工委")})
    open_in_excel.add("岳西.xlsx")
    r = runner.invoke(app, ["import", str(tmp_path / "in"), "-w", str(ws.root)])
    assert r.exit_code == 1 and "Traceback" not in out(r), out(r)
    assert f"无法读取“{a}”：{IN_USE}" in out(r).replace("\n", "")
    assert "望江" in out(r) and "已导入" in out(r)  # the batch goes on


def test_a_units_list_open_in_excel(tmp_path, open_in_excel):
    ws = make_workspace(tmp_path)
    units = ws.root / "units.csv"
    open_in_excel.add("units.csv")
    r = runner.invoke(app, ["units", "import", str(units), "-w", str(ws.root)])
    assert r.exit_code != 0 and f"无法读取“{units}”：{IN_USE}" in out(r) and "Traceback" not in out(r), out(r)


def test_a_superior_form_open_in_excel(tmp_path, open_in_excel):
    open_in_excel.add(SUPERIOR.name)
    r = runner.invoke(app, ["catalog", "from-template", str(SUPERIOR)])
    assert r.exit_code == 2 and f"无法读取“{SUPERIOR}”：{IN_USE}" in out(r) and "Traceback" not in out(r), out(r)
    ws = make_workspace(tmp_path)
    r = runner.invoke(app, ["export", "--year", "2018", "--into", str(SUPERIOR), "-o", str(tmp_path / "上报.xlsx"),
                            "-w", str(ws.root)])
    assert r.exit_code == 2 and f"无法读取“{SUPERIOR}”：{IN_USE}" in out(r) and "Traceback" not in out(r), out(r)


@pytest.mark.parametrize("args,name", [
    (["rollup", "--year", "2018", "-o", "{out}/汇总.xlsx"], "汇总.xlsx"),
    (["export", "--year", "2018", "--as-return", "-o", "{out}/上报.xlsx"], "上报.xlsx"),
    (["export", "--year", "2018", "-f", "csv-long", "-o", "{out}/长表.csv"], "长表.csv"),
    (["report", "--year", "2018", "-o", "{out}/总结.docx"], "总结.docx"),
    (["report", "--year", "2018", "-o", "{out}/总结.html"], "总结.html"),
    (["chart", "--year", "2018", "-o", "{out}/图.png", "--metric", "wulao_volunteers"], "图.png"),
    (["template", "-o", "{out}/模板", "--unit", "岳西县公安局关工委"], "岳西县公安局关工委"),
    (["catalog", "from-template", str(SUPERIOR), "-o", "{out}/目录.toml"], "目录.toml"),
])
def test_an_output_open_in_excel_is_said_so(ws, tmp_path, monkeypatch, args, name):
    """The old file is open in Excel: replacing it fails; the message names it, the old file stays."""
    folder = tmp_path / "out"
    real_replace = os.replace

    def replace(src, dst, *a, **kw):
        if Path(dst).parent.resolve() == folder.resolve() or folder.resolve() in Path(dst).resolve().parents:
            raise sharing_violation(dst)
        return real_replace(src, dst, *a, **kw)

    monkeypatch.setattr(os, "replace", replace)
    args = [a.format(out=folder) for a in args]
    r = runner.invoke(app, [*args, "-w", str(ws.root)])
    assert r.exit_code == 2, out(r)
    assert "无法写入“" in out(r) and name in out(r) and IN_USE in out(r), out(r)
    assert "Traceback" not in out(r) and "Exception ignored" not in out(r)
    assert [p for p in folder.rglob("*") if p.is_file()] == []  # no temporary file left


SAVE_FAILS = r"""
import os, sys, zipfile
from openpyxl import Workbook
from gwstats.core.output import OutputError, write_whole

def in_use(*a, **k):
    exc = PermissionError(13, "另一个程序正在使用此文件，进程无法访问。")
    exc.winerror = 32
    raise exc

zipfile.ZipFile.write = in_use  # the save fails once a worksheet's temporary file is written
real_remove = os.remove
def remove(p, *a, **k):  # as on Windows, that temporary file cannot be removed while still held
    if os.path.basename(str(p)).startswith("openpyxl."):
        in_use()
    return real_remove(p, *a, **k)
os.remove = remove
wb = Workbook()
wb.active["A1"] = 1
try:
    write_whole(sys.argv[1], wb.save)
except OutputError as exc:
    print(exc.message)
"""


def test_nothing_is_printed_at_exit_after_a_failed_save(tmp_path):
    """openpyxl's atexit hook would print a traceback for a temporary file it cannot remove."""
    target = tmp_path / "汇总.xlsx"
    p = subprocess.run([sys.executable, "-c", SAVE_FAILS, str(target)], capture_output=True, text=True,
                       encoding="utf-8", timeout=120)
    assert p.returncode == 0
    assert p.stdout.strip() == f"无法写入“{target}”：{IN_USE}。该文件没有生成"
    assert p.stderr == "", p.stderr


@pytest.fixture
def ws(tmp_path):
    return one_return_workspace(tmp_path)
