"""The Start-menu entry of the Windows download: the page on the clerk's own workspace, made on first use."""

from __future__ import annotations

from gwstats.cli import start_menu


def test_the_workspace_is_the_environments_or_documents(monkeypatch, tmp_path):
    monkeypatch.setenv("GWSTATS_WORKSPACE", str(tmp_path / "甲"))
    assert start_menu.workspace_folder() == tmp_path / "甲"
    monkeypatch.delenv("GWSTATS_WORKSPACE")
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("USERPROFILE", str(tmp_path))
    assert start_menu.workspace_folder() == tmp_path / "Documents" / "关工委统计"


def test_first_use_makes_the_workspace_and_serves_it_on_loopback(monkeypatch, tmp_path, capsys):
    import gwstats.web.server as server

    seen = {}
    monkeypatch.setenv("GWSTATS_WORKSPACE", str(tmp_path / "关工委统计"))
    monkeypatch.setattr(server, "serve", lambda root, **kw: seen.update(root=root, **kw))
    start_menu.main()
    assert (tmp_path / "关工委统计" / "gwstats.toml").is_file()
    assert seen["root"] == (tmp_path / "关工委统计").resolve() and seen["host"] == "127.0.0.1"
    assert "关闭这个窗口，网页就停止" in capsys.readouterr().out
