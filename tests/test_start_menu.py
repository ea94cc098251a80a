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


def test_first_use_opens_the_set_up_page_on_loopback(monkeypatch, tmp_path, capsys):
    """The folder is made but not initialised: the page's set-up asks for the settings and the unit list."""
    import gwstats.web.server as server

    seen = {}
    monkeypatch.setenv("GWSTATS_WORKSPACE", str(tmp_path / "关工委统计"))
    monkeypatch.setattr(server, "serve", lambda root, **kw: seen.update(root=root, **kw))
    start_menu.main()
    assert (tmp_path / "关工委统计").is_dir() and not (tmp_path / "关工委统计" / "gwstats.toml").exists()
    assert seen["root"] == (tmp_path / "关工委统计").resolve() and seen["host"] == "127.0.0.1"
    out = capsys.readouterr().out
    assert "关闭这个窗口，网页就停止" in out and "第一次使用：请在打开的网页中填写设置" in out


def test_clicked_again_it_opens_the_running_page(monkeypatch, tmp_path, capsys):
    import webbrowser

    import gwstats.web.server as server

    opened, served = [], []
    monkeypatch.setenv("GWSTATS_WORKSPACE", str(tmp_path / "关工委统计"))
    monkeypatch.setattr(server, "running_port", lambda root: 8767)
    monkeypatch.setattr(server, "serve", lambda root, **kw: served.append(root))
    monkeypatch.setattr(webbrowser, "open", opened.append)
    start_menu.main()
    assert opened == ["http://127.0.0.1:8767/"] and not served
    assert "已经在运行" in capsys.readouterr().out


def test_a_busy_port_takes_the_next(monkeypatch, tmp_path):
    import socket

    import gwstats.web.server as server

    seen = {}
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        busy = s.getsockname()[1]
        monkeypatch.setattr(start_menu, "PORT", busy)
        monkeypatch.setenv("GWSTATS_WORKSPACE", str(tmp_path / "甲"))
        monkeypatch.setattr(server, "serve", lambda root, **kw: seen.update(kw))
        start_menu.main()
    assert busy < seen["port"] < busy + start_menu.PORTS_TRIED


def _console_lines(cmd, env_extra, until="按 Ctrl+C 停止", timeout=60):
    """Run ``cmd`` as on a Chinese Windows console (PYTHONIOENCODING=gbk), read its output until ``until``,
    stop it; the output decoded strictly as GBK (a UnicodeEncodeError would end it with a traceback)."""
    import os
    import subprocess
    import sys
    import time

    env = {**os.environ, "PYTHONIOENCODING": "gbk", "PYTHONUNBUFFERED": "1", "BROWSER": "true", **env_extra}
    p = subprocess.Popen([sys.executable, *cmd], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env)
    out, end = b"", time.monotonic() + timeout
    try:
        while until.encode("gbk") not in out and time.monotonic() < end:
            chunk = p.stdout.read1(4096)
            if not chunk:
                break
            out += chunk
    finally:
        p.terminate()
        p.wait(10)
        p.stdout.close()
    return out.decode("gbk")  # strict: mojibake (UTF-8 bytes) would not decode


def test_every_line_prints_on_a_gbk_console(tmp_path):
    """Start menu and `gwstats ui` under PYTHONIOENCODING=gbk, in a folder whose name has a character GBK
    lacks (𠮷): every line printed, no UnicodeEncodeError, the Chinese readable."""
    folder = tmp_path / "关工委统计𠮷"
    text = _console_lines(["-m", "gwstats.cli.start_menu"], {"GWSTATS_WORKSPACE": str(folder)})
    assert "Traceback" not in text and "UnicodeEncodeError" not in text, text
    for line in ("第一次使用：请在打开的网页中填写设置", "关闭这个窗口，网页就停止", "gwstats 网页界面：http://127.0.0.1:", "按 Ctrl+C 停止"):
        assert line in text, text
    assert "关工委统计?" in text
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    text = _console_lines(["-m", "gwstats", "ui", "-w", str(tmp_path / "乙𠮷"), "--no-browser", "--port", str(port)], {})
    assert "Traceback" not in text, text
    for line in ("还不是工作区：请在打开的网页中填写设置", f"gwstats 网页界面：http://127.0.0.1:{port}/", "按 Ctrl+C 停止"):
        assert line in text, text
