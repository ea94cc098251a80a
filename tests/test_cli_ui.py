"""gwstats ui: loopback by default, a token for any other host, the web stack only imported here."""

import pytest
from typer.testing import CliRunner

from gwstats.cli.app import app

pytest.importorskip("starlette")
runner = CliRunner()


@pytest.fixture
def served(monkeypatch):
    calls = []
    import gwstats.web.server as server

    monkeypatch.setattr(server, "serve", lambda root, **kw: calls.append((root, kw)))
    return calls


def test_default_is_loopback_without_password(workspace, served):
    r = runner.invoke(app, ["ui", "-w", str(workspace.root), "--no-browser"])
    assert r.exit_code == 0, r.output
    root, kw = served[0]
    assert root == workspace.root and kw["host"] == "127.0.0.1" and kw["port"] == 8765
    assert kw["password"] is None and kw["open_browser"] is False


def test_lan_host_without_password_gets_a_generated_token(workspace, served):
    r = runner.invoke(app, ["ui", "-w", str(workspace.root), "--host", "0.0.0.0", "--no-browser"])
    assert r.exit_code == 0
    token = served[0][1]["password"]
    assert token and len(token) >= 10
    assert f"已生成访问口令：{token}" in r.output + (r.stderr or "")


def test_lan_host_with_password_uses_it(workspace, served):
    runner.invoke(app, ["ui", "-w", str(workspace.root), "--host", "0.0.0.0", "--password", "s3cret"])
    assert served[0][1]["password"] == "s3cret"


def test_outside_a_workspace_is_a_chinese_message(tmp_path, served, monkeypatch):
    monkeypatch.delenv("GWSTATS_WORKSPACE", raising=False)
    monkeypatch.chdir(tmp_path)
    r = runner.invoke(app, ["ui", "--no-browser"])
    assert r.exit_code == 2 and not served
    assert "gwstats init" in r.output + (r.stderr or "")


def test_the_app_keeps_loopback_hosts_only(tmp_path):
    """serve() passes the loopback allow-list to the app (Host header check against DNS rebinding)."""
    from gwstats.web.server import display_url

    assert display_url("0.0.0.0", 8765, "tok") == "http://127.0.0.1:8765/?token=tok"
    assert display_url("::1", 9000) == "http://[::1]:9000/"


def test_a_port_in_use_is_a_chinese_message(workspace):
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen(1)
        port = s.getsockname()[1]
        r = runner.invoke(app, ["ui", "-w", str(workspace.root), "--port", str(port), "--no-browser"])
    assert r.exit_code == 2
    out = r.output + (r.stderr or "")
    assert "端口" in out and "已被另一个程序占用" in out and "--port" in out and "Traceback" not in out


def test_one_server_per_workspace(workspace):
    """A second gwstats ui on a workspace whose server still answers is refused; a stale lock is taken over."""
    import socket

    from gwstats.core.errors import UsageError
    from gwstats.web.server import LOCK_NAME, claim_workspace, release_workspace

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen(1)
        port = s.getsockname()[1]
        lock = claim_workspace(workspace.root, port)
        assert lock.name == LOCK_NAME and lock.read_text(encoding="utf-8") == str(port)
        with pytest.raises(UsageError, match="已经由另一个 gwstats ui 打开"):
            claim_workspace(workspace.root, port + 1)
    # the first server is gone (its port no longer answers): the next one takes over
    lock = claim_workspace(workspace.root, port + 1)
    assert lock.read_text(encoding="utf-8") == str(port + 1)
    release_workspace(lock, port + 1)
    assert not lock.exists()


def test_the_password_from_a_file_a_prompt_or_the_environment(workspace, served, tmp_path, monkeypatch):
    """--password is visible to every local user in ps: it can come from elsewhere."""
    pw = tmp_path / "口令.txt"
    pw.write_text("从文件\n", encoding="utf-8")
    r = runner.invoke(app, ["ui", "-w", str(workspace.root), "--host", "0.0.0.0", "--password-file", str(pw)])
    assert r.exit_code == 0, r.output
    r = runner.invoke(app, ["ui", "-w", str(workspace.root), "--host", "0.0.0.0", "--ask-password"], input="输入的\n输入的\n")
    assert r.exit_code == 0 and "输入的" not in r.output, r.output
    monkeypatch.setenv("GWSTATS_PASSWORD", "环境变量")
    r = runner.invoke(app, ["ui", "-w", str(workspace.root), "--host", "0.0.0.0"])
    assert r.exit_code == 0, r.output
    assert [kw["password"] for _, kw in served] == ["从文件", "输入的", "环境变量"]
    r = runner.invoke(app, ["ui", "-w", str(workspace.root), "--password-file", str(tmp_path / "没有.txt")])
    assert r.exit_code == 2 and "无法读取口令文件" in r.output
