"""Hostile input of the kinds listed in ../shared/corpus/README.md, rebuilt here so the checks run
without the corpus: each is refused with a Chinese message or read, never a traceback, and the rest
of the batch goes on."""

import errno
import io
import os
import struct
import sys
import tracemalloc
import zipfile

import pytest

from gwstats.core.values import NumberError, cell_text, parse_value
from gwstats.read.reader import ReadError, read_return_bytes

from helpers_returns import dump_store, long_rows, make_workspace, stored_values, write_csv, write_xlsx

VALUES = {"关工委组织数": 12, "五老志愿者人数": 2503, "资助金额": 13.55}


@pytest.fixture
def ws(tmp_path):
    return make_workspace(tmp_path)


def only(report):
    assert len(report.files) == 1
    return report.files[0]


def errors(f) -> str:
    return "；".join(e.message for e in f.errors)


# ---- CSV ------------------------------------------------------------------------------------------
def test_cr_only_line_ends_are_read(ws, tmp_path):
    path = write_csv(tmp_path / "岳西县局2018.csv", long_rows(VALUES))
    path.write_bytes(path.read_bytes().replace(b"\r\n", b"\r"))
    f = only(ws.import_paths([path]))
    assert f.status == "accepted", errors(f)
    assert stored_values(ws, "YX")["wulao_volunteers"][0] == "2503"


def test_a_field_over_128_kb_is_refused_with_the_line(ws, tmp_path):
    rows = long_rows(VALUES)
    rows[-1] = list(rows[-1]) + ["很" * 200_000]
    f = only(ws.import_paths([write_csv(tmp_path / "岳西县局2018.csv", rows)]))
    assert f.status == "rejected"
    assert "超过 128 KB" in errors(f) and "第 " in errors(f)


def test_nul_bytes_in_a_csv_are_refused(ws, tmp_path):
    path = tmp_path / "x.csv"
    path.write_bytes(b"a,b\x00,c\r\n1,2,3\r\n")
    f = only(ws.import_paths([path]))
    assert f.status == "rejected" and "空字符" in errors(f)


# ---- numbers --------------------------------------------------------------------------------------
@pytest.mark.parametrize("value", [float("inf"), float("-inf"), float("nan"), 1e300, "1" * 400, 10**400, "9" * 25])
def test_infinite_and_enormous_numbers_are_refused_not_crashed(value):
    with pytest.raises(NumberError) as exc:
        parse_value(value, unit="人", integer=True)
    assert exc.value.reason in ("不是有效数字", "数值过大，请核对")
    assert cell_text(value)  # the message can show it


def test_a_400_digit_number_is_refused_with_a_short_message(ws, tmp_path):
    f = only(ws.import_paths([write_csv(tmp_path / "岳西县局2018.csv", long_rows({**VALUES, "关工委组织数": "1" * 400}))]))
    assert f.status == "rejected"
    assert "数值过大" in errors(f) and "共 400 个字符" in errors(f) and len(errors(f)) < 200


def test_an_infinite_cell_in_xlsx_is_refused(ws, tmp_path):
    path = write_xlsx(tmp_path / "岳西县局2018.xlsx", {"统计表": long_rows({**VALUES, "关工委组织数": 7})})
    data = path.read_bytes()
    zin = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            body = zin.read(info)
            if info.filename.startswith("xl/worksheets/"):
                body = body.replace(b"<v>7</v>", b"<v>1e309</v>")
            zout.writestr(info.filename, body)
    path.write_bytes(out.getvalue())
    f = only(ws.import_paths([path]))
    assert f.status == "rejected" and "不是有效数字" in errors(f), errors(f)


# ---- zip files --------------------------------------------------------------------------------
def _patch_sizes(data: bytes, member: str, size: int) -> bytes:
    """Write ``size`` as the uncompressed size of ``member`` in both its local and central header."""
    buf = bytearray(data)
    zf = zipfile.ZipFile(io.BytesIO(data))
    info = zf.getinfo(member)
    struct.pack_into("<L", buf, info.header_offset + 22, size)  # local header: uncompressed size
    name = member.encode()
    pos = 0
    while True:
        pos = buf.find(b"PK\x01\x02", pos)
        n = struct.unpack_from("<H", buf, pos + 28)[0]
        if bytes(buf[pos + 46:pos + 46 + n]) == name:
            struct.pack_into("<L", buf, pos + 24, size)
            break
        pos += 4
    return bytes(buf)


def test_a_member_lying_about_its_size_is_refused_in_bounded_memory(tmp_path):
    good = write_xlsx(tmp_path / "a.xlsx", {"统计表": long_rows(VALUES)}).read_bytes()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(good)) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(info.filename, zin.read(info))
        zout.writestr("xl/media/image1.bin", b"\0" * (60 * 1024 * 1024))  # inflates to 60 MB
    bomb = _patch_sizes(out.getvalue(), "xl/media/image1.bin", 4030)  # says 4 KB
    tracemalloc.start()
    try:
        with pytest.raises(ReadError) as exc:
            read_return_bytes(bomb, "bomb.xlsx", ".xlsx")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert "大小与文件头记载的不符" in exc.value.message
    assert peak < 8 * 1024 * 1024, f"peak {peak // 1024} KB"


def test_a_duplicated_zip_entry_is_refused(ws, tmp_path):
    good = write_xlsx(tmp_path / "a.xlsx", {"统计表": long_rows(VALUES)}).read_bytes()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(good)) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(info.filename, zin.read(info))
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # zipfile warns: Duplicate name
            zout.writestr("xl/worksheets/sheet1.xml", zin.read("xl/worksheets/sheet1.xml").replace(b"<v>12</v>", b"<v>99</v>"))
    path = tmp_path / "in" / "岳西县局2018.xlsx"
    path.parent.mkdir()
    path.write_bytes(out.getvalue())
    f = only(ws.import_paths([path]))
    assert f.status == "rejected" and "xl/worksheets/sheet1.xml 出现了两次" in errors(f)


# ---- files that are not files; names; copies ------------------------------------------------------
@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_a_fifo_in_a_folder_is_skipped_with_a_note(ws, tmp_path):
    folder = tmp_path / "in"
    write_xlsx(folder / "岳西县局2018.xlsx", {"统计表": long_rows(VALUES)})
    os.mkfifo(folder / "管道.csv")
    report = ws.import_paths([folder])
    assert [f.status for f in report.files] == ["accepted"]
    assert [(p.name, why) for p, why in report.skipped] == [("管道.csv", "不是普通文件（管道、设备或套接字），已跳过")]
    report = ws.import_paths([folder / "管道.csv"])  # named explicitly: skipped too, not read for ever
    assert not report.files and report.skipped


def test_a_very_long_file_name_is_imported_under_a_short_stored_name(ws, tmp_path):
    name = "岳" + "很" * 78 + "2018.xlsx"  # 246 bytes in UTF-8
    assert len(name.encode()) > 240
    f = only(ws.import_paths([write_xlsx(tmp_path / "in" / name, {"统计表": long_rows(VALUES)})]))
    assert f.status == "accepted", errors(f)
    stored_name, stored = ws.store.conn.execute("SELECT name, stored_path FROM files").fetchone()
    assert stored_name == name
    assert len(stored) < 40 and stored.endswith(".xlsx")
    assert (ws.root / stored).read_bytes() == (tmp_path / "in" / name).read_bytes()


def test_a_copy_error_rejects_that_file_and_the_batch_goes_on(ws, tmp_path, monkeypatch):
    good = write_xlsx(tmp_path / "in" / "岳西县局2018.xlsx", {"统计表": long_rows(VALUES)})
    bad = write_xlsx(tmp_path / "in" / "怀宁县局2018.xlsx", {"统计表": long_rows(VALUES, unit="怀宁县公安局关工委")})
    real = type(ws).copy_in_bytes

    def copy(self, data, name, sha):
        if name == bad.name:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(self, data, name, sha)

    monkeypatch.setattr(type(ws), "copy_in_bytes", copy)
    report = ws.import_paths([good, bad])
    by_name = {f.name: f for f in report.files}
    assert by_name[good.name].status == "accepted"
    assert by_name[bad.name].status == "rejected" and "磁盘空间不足" in errors(by_name[bad.name])
    assert sorted(r["结果"] for r in report.records()) == sorted(["已导入", "未导入"])
    assert stored_values(ws, "HN") == {}
    assert ws.store.conn.execute("SELECT count(*) FROM files").fetchone()[0] == 1


def test_refused_files_leave_the_store_unchanged(ws, tmp_path):
    ws.import_paths([write_xlsx(tmp_path / "in" / "岳西县局2018.xlsx", {"统计表": long_rows(VALUES)})])
    before = dump_store(ws)
    rows = long_rows({**VALUES, "关工委组织数": "1" * 400})
    report = ws.import_paths([write_csv(tmp_path / "bad" / "岳西县局2018.csv", rows)])
    assert report.has_rejections
    assert dump_store(ws) == before


# ---- a new version that lacks most of the values in force -----------------------------------------
FULL = {"关工委组织数": 12, "五老志愿者人数": 2503, "资助金额": 13.55, "法制课场次": 200, "结对帮扶对数": 30}


def test_a_return_dropping_most_values_does_not_silently_replace(ws, tmp_path):
    ws.import_paths([write_xlsx(tmp_path / "a" / "岳西县局2018.xlsx", {"统计表": long_rows(FULL)})])
    before = dump_store(ws)
    short = write_csv(tmp_path / "b" / "岳西县局2018.csv", long_rows({"关工委组织数": 12, "五老志愿者人数": 2503}))
    for dry in (True, False):
        f = only(ws.import_paths([short], dry_run=dry))
        assert f.status == "rejected"
        msg = errors(f)
        assert "有 5 个数值，本文件只有 2 个" in msg and "资助金额" in msg and "法制课场次" in msg and "--replace" in msg
    assert dump_store(ws) == before
    f = only(ws.import_paths([short], replace=True))
    assert f.status == "replaced" and "替换后不再有 3 个数值：" in f.notes[0] and "资助金额" in f.notes[0]
    assert set(stored_values(ws, "YX")) == {"org_total", "wulao_volunteers"}


def test_a_revision_by_name_may_drop_values(ws, tmp_path):
    ws.import_paths([write_xlsx(tmp_path / "a" / "岳西县局2018.xlsx", {"统计表": long_rows(FULL)})])
    f = only(ws.import_paths([write_csv(tmp_path / "b" / "岳西县局2018（修改）.csv", long_rows({"关工委组织数": 13}))]))
    assert f.status == "replaced" and "替换后不再有 4 个数值" in f.notes[0]


def test_the_cli_refuses_the_truncated_return_and_replace_accepts_it(ws, tmp_path):
    from typer.testing import CliRunner

    from gwstats.cli.app import app

    ws.import_paths([write_xlsx(tmp_path / "a" / "岳西县局2018.xlsx", {"统计表": long_rows(FULL)})])
    short = write_csv(tmp_path / "b" / "岳西县局2018.csv", long_rows({"关工委组织数": 12}))
    r = CliRunner().invoke(app, ["import", "-w", str(ws.root), str(short)])
    assert r.exit_code == 1 and r.stdout.startswith("未导入  岳西县局2018.csv：") and "未替换" in r.stderr
    r = CliRunner().invoke(app, ["import", "-w", str(ws.root), "--replace", str(short)])
    assert r.exit_code == 0 and "已替换" in r.stdout


def test_an_invisible_character_in_the_unit_code_is_shown(ws, tmp_path):
    rows = long_rows(VALUES, unit=None)
    rows.insert(1, ["填报单位", "岳西县公安局关工委", "单位编码", "YX\u200b"])
    f = only(ws.import_paths([write_xlsx(tmp_path / "in" / "岳西县局2018.xlsx", {"统计表": rows})]))
    assert f.status == "rejected"
    assert "单位编码“YX\\u200b”（含看不见的字符" in errors(f), errors(f)


def test_a_hundred_thousand_identical_unknown_rows_are_told_once_with_a_count(ws, tmp_path):
    """100,000 rows of one unknown label took 41-52 s and listed 100,000 warnings."""
    rows = long_rows(VALUES, footer=False)
    rows += [[None, "奇怪的指标名", "个", 5, None]] * 100_000
    f = only(ws.import_paths([write_csv(tmp_path / "岳西县局2018.csv", rows)]))
    unknown = [w for w in f.warnings if w.code == "unknown-label"]
    assert len(unknown) == 1, len(unknown)
    assert "奇怪的指标名" in unknown[0].message and "共 100000 行" in unknown[0].message
    assert unknown[0].cell in unknown[0].message  # where it starts
