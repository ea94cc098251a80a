"""The safety scan of a received zip-based workbook (gwstats.read.zip_scan), through read_return_bytes.
More hostile files: tests/test_hostile.py and the corpus."""

import io
import zipfile

import pytest

from gwstats.read.reader import ReadError, read_return_bytes

from helpers_returns import write_xlsx

ROWS = [["填报单位", "岳西县局"], ["指标", "数值"], ["资助金额", 13.55], ["法制课场次", "１２０"]]


@pytest.mark.parametrize("ref, where", [("ZZ7200", "到第 7200 行、第 702 列"), ("AAA8000", "到第 8000 行、第 703 列")])
def test_a_stray_cell_just_over_the_limit_is_refused(tmp_path, ref, where):
    # the quick look for far references (3-letter column or 4-digit row) must not let these through
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.title = "统计表"
    wb.active["A1"] = "填报单位：岳西县局"
    wb.active[ref] = " "
    path = tmp_path / "远.xlsx"
    wb.save(path)
    with pytest.raises(ReadError, match=where):
        read_return_bytes(path.read_bytes(), path.name, ".xlsx")


def _rezip(data: bytes, member: str, change) -> bytes:
    """The xlsx with ``member``'s stored bytes changed by ``change(raw deflate bytes, info)``."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(info.filename, zin.read(info))
    buf = bytearray(out.getvalue())
    with zipfile.ZipFile(io.BytesIO(bytes(buf))) as z:
        info = z.getinfo(member)
    return change(buf, info)


def test_a_small_member_cut_short_or_longer_than_declared_is_refused(tmp_path):
    import struct

    data = write_xlsx(tmp_path / "r.xlsx", {"表1": ROWS}).read_bytes()

    def cut(buf, info):  # the deflate stream of the sheet ends early (its sizes still say whole)
        head = 30 + struct.unpack_from("<H", buf, info.header_offset + 26)[0] + struct.unpack_from("<H", buf, info.header_offset + 28)[0]
        start = info.header_offset + head
        keep = info.compress_size // 2
        buf[start + keep:start + info.compress_size] = bytes(info.compress_size - keep)  # zeros: a stored block that never ends
        return bytes(buf)

    with pytest.raises(ReadError, match="不完整或已损坏|大小与文件头记载的不符"):
        read_return_bytes(_rezip(data, "xl/worksheets/sheet1.xml", cut), "r.xlsx", ".xlsx")

    def smaller(buf, info):  # the headers say 100 bytes fewer than the sheet inflates to
        for sig, off in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
            pos = info.header_offset if sig == b"PK\x03\x04" else buf.find(b"PK\x01\x02" + bytes(0), 0)
            while sig == b"PK\x01\x02":
                n = struct.unpack_from("<H", buf, pos + 28)[0]
                if bytes(buf[pos + 46:pos + 46 + n]) == info.filename.encode():
                    break
                pos = buf.find(b"PK\x01\x02", pos + 4)
            struct.pack_into("<L", buf, pos + off, info.file_size - 100)
        return bytes(buf)

    with pytest.raises(ReadError, match="大小与文件头记载的不符"):
        read_return_bytes(_rezip(data, "xl/worksheets/sheet1.xml", smaller), "r.xlsx", ".xlsx")
