"""Reading received files: formats, and refusing what must not be read."""

import io
import zipfile
from pathlib import Path

import pytest

from gwstats.read.reader import (CFB_MAGIC, ReadError, Sheet, cell_ref, check_size, col_index, decode_text,
                            read_grid_rows, read_return_bytes, read_workbook)

from helpers_returns import write_csv, write_xls, write_xlsx

ROWS = [["填报单位", "岳西县局"], ["指标", "数值"], ["资助金额", 13.55], ["法制课场次", "１２０"]]


def test_cell_ref_and_col_index():
    assert cell_ref(0, 0) == "A1" and cell_ref(6, 3) == "D7" and cell_ref(0, 26) == "AA1"
    assert col_index("A") == 0 and col_index("AA") == 26 and col_index("D") == 3


@pytest.mark.parametrize("suffix", [".xlsx", ".xls", ".et"])
def test_excel_formats(tmp_path, suffix):
    path = tmp_path / f"r{suffix}"
    if suffix == ".xlsx":
        write_xlsx(path, {"表1": ROWS})
    else:
        write_xls(path, {"表1": ROWS})
    sheets = read_return_bytes(path.read_bytes(), path.name, suffix)
    assert [s.name for s in sheets] == ["表1"]
    assert sheets[0].cell(2, 1) == 13.55 and sheets[0].cell(3, 1) == "１２０"
    # the old helpers used by the units file keep working
    assert read_workbook(path)[0].cell(0, 1) == "岳西县局"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_csv_encodings(tmp_path, encoding):
    path = write_csv(tmp_path / "r.csv", ROWS, encoding)
    sheets = read_return_bytes(path.read_bytes(), path.name, ".csv")
    assert sheets[0].cell(0, 1) == "岳西县局" and sheets[0].cell(2, 1) == "13.55"
    assert read_grid_rows(path)[3][0] == "法制课场次"


def test_gbk_is_not_misread_as_something_else():
    text = "填报单位,岳西县公安局关工委\n五老志愿者人数,2503\n"
    assert decode_text(text.encode("gbk"), "x.csv") == text


def test_empty_file():
    with pytest.raises(ReadError, match="文件是空的"):
        read_return_bytes(b"", "空.xlsx", ".xlsx")


def test_text_renamed_xlsx():
    with pytest.raises(ReadError, match="不是 Excel/WPS 表格文件"):
        read_return_bytes("填报单位,岳西\n".encode("utf-8"), "假.xlsx", ".xlsx")
    with pytest.raises(ReadError, match="网页"):
        read_return_bytes(b"<html><table><tr><td>1</td></tr></table></html>", "导出.xls", ".xls")


def test_truncated_xlsx(tmp_path):
    path = write_xlsx(tmp_path / "r.xlsx", {"表1": ROWS})
    data = path.read_bytes()
    with pytest.raises(ReadError, match="不完整或已损坏"):
        read_return_bytes(data[: len(data) // 2], "r.xlsx", ".xlsx")


def test_xls_renamed_xlsx_is_read_by_content(tmp_path):
    path = write_xls(tmp_path / "r.xls", {"表1": ROWS})
    sheets = read_return_bytes(path.read_bytes(), "r.xlsx", ".xlsx")
    assert sheets[0].cell(0, 1) == "岳西县局"


def test_password_protected_ooxml_container():
    # An encrypted .xlsx is an OLE compound file holding an EncryptionInfo stream.
    data = CFB_MAGIC + b"\x00" * 500 + "EncryptionInfo".encode("utf-16-le") + b"\x00" * 500
    with pytest.raises(ReadError, match="设置了打开密码"):
        read_return_bytes(data, "加密.xlsx", ".xlsx")


def test_real_password_protected_xlsx_is_refused():
    """tests/data/encrypted-password-secret.xlsx: a return encrypted with the password "secret"
    (msoffcrypto-tool's OOXML encryption, as Excel does it), committed so no extra tool is needed."""
    data = (Path(__file__).parent / "data" / "encrypted-password-secret.xlsx").read_bytes()
    with pytest.raises(ReadError, match="设置了打开密码"):
        read_return_bytes(data, "岳西县局2018年报表.xlsx", ".xlsx")


def _inject(path, part, transform):
    src = zipfile.ZipFile(path)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            data = src.read(info)
            out.writestr(info, transform(data) if info.filename == part else data)
    return buf.getvalue()


def test_xml_bomb_is_refused_before_parsing(tmp_path):
    path = write_xlsx(tmp_path / "r.xlsx", {"表1": ROWS})
    bomb = b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>'

    def add_dtd(xml):
        return bomb + (xml.split(b"?>", 1)[1] if xml.startswith(b"<?xml") else xml)

    data = _inject(path, "xl/worksheets/sheet1.xml", add_dtd)
    with pytest.raises(ReadError, match="DTD/实体声明") as exc:
        read_return_bytes(data, "炸弹.xlsx", ".xlsx")
    assert "xl/worksheets/sheet1.xml" in exc.value.message


def test_formula_without_saved_result_is_found(tmp_path):
    rows = [["指标", "数值"], ["五老志愿者人数", 10], ["五老骨干人数", 3], ["合计", "=SUM(B2:B3)"]]
    path = write_xlsx(tmp_path / "f.xlsx", {"统计表": rows, "其他": [["x", "=1+1"]]})
    sheets = {s.name: s for s in read_return_bytes(path.read_bytes(), path.name, ".xlsx")}
    assert sheets["统计表"].pending == {(3, 1)}
    assert sheets["其他"].pending == {(0, 1)}


def test_formula_with_saved_result_is_read(tmp_path):
    path = write_xlsx(tmp_path / "f.xlsx", {"统计表": [["合计", "=1+1"]]})

    def with_value(xml):
        return xml.replace(b"<f>1+1</f><v></v>", b"<f>1+1</f><v>2</v>").replace(b"<f>1+1</f><v />", b"<f>1+1</f><v>2</v>")

    data = _inject(path, "xl/worksheets/sheet1.xml", with_value)
    sheet = read_return_bytes(data, "f.xlsx", ".xlsx")[0]
    assert sheet.pending == set() and sheet.cell(0, 1) == 2


def test_size_limit(tmp_path):
    path = tmp_path / "big.xlsx"
    path.write_bytes(b"x" * 3000)
    assert check_size(path, 4000) == 3000
    with pytest.raises(ReadError, match="超过上限"):
        check_size(path, 2000)


def test_excel_in_csv_clothing(tmp_path):
    path = write_xlsx(tmp_path / "r.xlsx", {"表1": ROWS})
    with pytest.raises(ReadError, match="内容是 Excel 文件"):
        read_return_bytes(path.read_bytes(), "r.csv", ".csv")


def test_sheet_cell_outside_is_none():
    assert Sheet("s", [[1]]).cell(3, 3) is None


def test_word_document_renamed_xlsx(tmp_path):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    with pytest.raises(ReadError, match="内容是Word 文档，不是 Excel/WPS 表格"):
        read_return_bytes(buf.getvalue(), "总结.xlsx", ".xlsx")


def test_a_stray_cell_far_away_is_refused_not_allocated(tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.title = "统计表"
    wb.active["A1"] = "填报单位：岳西县局"
    wb.active["XFD1048576"] = " "
    path = tmp_path / "远.xlsx"
    wb.save(path)
    with pytest.raises(ReadError, match="工作表“统计表”的数据区域过大（到第 1048576 行、第 16384 列）"):
        read_return_bytes(path.read_bytes(), path.name, ".xlsx")


def test_a_long_but_narrow_sheet_is_fine(tmp_path):
    path = write_xlsx(tmp_path / "长.xlsx", {"s": [["x"]] + [[None]] * 3000 + [["y", 1]]})
    sheet = read_return_bytes(path.read_bytes(), path.name, ".xlsx")[0]
    assert sheet.cell(3001, 1) == 1
