"""gwstats ui: loopback by default, a token for any other host, the web stack only imported here."""

import re
import socket

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


def test_outside_a_workspace_the_page_sets_one_up(tmp_path, served, monkeypatch):
    monkeypatch.delenv("GWSTATS_WORKSPACE", raising=False)
    monkeypatch.chdir(tmp_path)
    r = runner.invoke(app, ["ui", "--no-browser"])
    assert r.exit_code == 0 and served[0][0] == tmp_path.resolve()
    assert "还不是工作区：请在打开的网页中填写设置" in r.output + (r.stderr or "")
    new = tmp_path / "新的工作区"
    r = runner.invoke(app, ["ui", "-w", str(new), "--no-browser"])
    assert r.exit_code == 0 and served[1][0] == new.resolve() and new.is_dir()


def _served_app(monkeypatch, root, host: str, password=None):
    """The app serve() would run on ``host`` (uvicorn.run caught), started like a server."""
    import uvicorn
    from starlette.testclient import TestClient

    from gwstats.web.server import serve

    apps = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: apps.append(app))
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    serve(root, host=host, port=port, password=password, open_browser=False, echo=lambda *a: None)
    return TestClient(apps[0], base_url=f"http://127.0.0.1:{port}"), port


def test_the_app_keeps_loopback_hosts_only(workspace, monkeypatch):
    """The server serve() starts on a loopback address answers only to loopback Host headers: a page of
    another site whose name resolves to 127.0.0.1 (DNS rebinding) gets no data."""
    from gwstats.web.server import display_url

    c, port = _served_app(monkeypatch, workspace.root, "127.0.0.1")
    with c:
        for host in ("evil.example", f"evil.example:{port}", "192.168.1.5", "127.0.0.1.evil.example"):
            assert c.get("/units", headers={"host": host}).status_code == 400, host
        for host in (f"127.0.0.1:{port}", f"localhost:{port}", f"[::1]:{port}"):
            r = c.get("/units", headers={"host": host})
            assert r.status_code == 200 and "单位" in r.text, host
    assert display_url("0.0.0.0", 8765) == "http://127.0.0.1:8765/"
    assert display_url("::1", 9000) == "http://[::1]:9000/"


def test_a_lan_server_answers_to_its_lan_address(workspace, monkeypatch):
    """On 0.0.0.0 colleagues use the PC's LAN address: no Host allow-list there, the password guards it."""
    c, port = _served_app(monkeypatch, workspace.root, "0.0.0.0", password="s3cret")
    with c:
        r = c.get("/units", headers={"host": f"192.168.1.5:{port}"}, follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"].startswith("/login")  # asked for the password
        page = c.get("/login", headers={"host": f"192.168.1.5:{port}"})
        token = re.search(r'name="csrftoken" value="([^"]+)"', page.text).group(1)
        r = c.post("/login", data={"csrftoken": token, "name": "张敏", "password": "s3cret", "next": "/units"},
                   headers={"host": f"192.168.1.5:{port}"}, follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"] == "/units"


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
