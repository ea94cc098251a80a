"""Which files an import takes (gwstats.ingest.paths): each file once, however it is named."""

import os
import sys

import pytest

from gwstats.ingest.paths import expand_paths


def _tree(tmp_path):
    d = tmp_path / "收到的报表"
    (d / "乡镇").mkdir(parents=True)
    for rel in ("岳西.xlsx", "乡镇/凉水.xlsx", "说明.docx", "~$岳西.xlsx", ".隐藏.xlsx"):
        (d / rel).write_bytes(b"x")
    return d


def test_a_folder_gives_its_returns_in_order_and_says_what_it_skipped(tmp_path):
    d = _tree(tmp_path)
    files, skipped = expand_paths([d])
    assert [p.relative_to(d).as_posix() for p in files] == ["岳西.xlsx", "乡镇/凉水.xlsx"]
    assert sorted(p.name for p, _ in skipped) == sorted([".隐藏.xlsx", "~$岳西.xlsx", "说明.docx"])


def test_a_file_named_twice_is_taken_once(tmp_path):
    d = _tree(tmp_path)
    files, _ = expand_paths([d / "岳西.xlsx", d, d / "乡镇" / ".." / "岳西.xlsx"])
    assert [p.name for p in files] == ["岳西.xlsx", "凉水.xlsx"]


@pytest.mark.skipif(sys.platform == "win32", reason="symbolic links need rights on Windows")
def test_links_to_a_file_or_a_folder_are_the_same_file(tmp_path):
    d = _tree(tmp_path)
    (d / "链接.xlsx").symlink_to(d / "乡镇" / "凉水.xlsx")
    (tmp_path / "快捷方式").symlink_to(d, target_is_directory=True)
    files, _ = expand_paths([d, tmp_path / "快捷方式" / "岳西.xlsx"])
    # 链接.xlsx (met first: a folder's files before its subfolders) is 凉水.xlsx, so 凉水.xlsx is not taken again
    assert [p.name for p in files] == ["岳西.xlsx", "链接.xlsx"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_pipe_named_like_a_return_is_skipped(tmp_path):
    d = _tree(tmp_path)
    os.mkfifo(d / "管道.csv")
    files, skipped = expand_paths([d])
    assert "管道.csv" not in [p.name for p in files]
    assert any(p.name == "管道.csv" and "不是普通文件" in why for p, why in skipped)
