"""Run the web app with uvicorn and open the browser."""

from __future__ import annotations

import threading
import webbrowser
from pathlib import Path


def display_url(host: str, port: int, token: str | None = None) -> str:
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    if ":" in shown:
        shown = f"[{shown}]"
    url = f"http://{shown}:{port}/"
    return url + (f"?token={token}" if token else "")


def check_port(host: str, port: int):
    """A clear message (not uvicorn's English) when the port is taken, e.g. by a gwstats ui already running."""
    import socket

    from gwstats.core.errors import UsageError

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as s:
        try:
            s.bind((host, port))
        except OSError as exc:
            raise UsageError(f"无法在 {host}:{port} 上启动网页界面（{exc.strerror or exc}）：端口可能已被占用，"
                             f"例如已经开着一个 gwstats ui。请打开 {display_url(host, port)}，或用 --port 换一个端口") from None


LOCK_NAME = ".gwstats-ui.lock"


def _listening(port: int) -> bool:
    import socket

    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


def claim_workspace(root: Path, port: int) -> Path:
    """Make this server the one writer of the workspace: ``.gwstats-ui.lock`` names its port.

    A second ``gwstats ui`` on the same workspace is refused while the first still answers on its
    port; a lock left by a server that is gone (power cut) is taken over. Portable: no PIDs, no
    POSIX file locks.
    """
    from gwstats.core.errors import UsageError

    lock = Path(root) / LOCK_NAME
    if lock.is_file():
        text = lock.read_text(encoding="utf-8", errors="replace").strip()
        other = int(text) if text.isdigit() else None
        if other is not None and _listening(other):
            raise UsageError(f"这个工作区已经由另一个 gwstats ui 打开（{display_url('127.0.0.1', other)}）；"
                             "同一个工作区只能有一个网页服务写入，请直接使用那个网页，或先把它关掉")
    lock.write_text(str(port), encoding="utf-8")
    return lock


def release_workspace(lock: Path, port: int):
    try:
        if lock.read_text(encoding="utf-8").strip() == str(port):
            lock.unlink()
    except OSError:
        pass


def serve(root: Path, *, host: str, port: int, password: str | None, open_browser: bool, echo=print):
    import uvicorn

    check_port(host, port)
    lock = claim_workspace(root, port)
    from gwstats.web.app import make_app

    loopback = host in ("127.0.0.1", "localhost", "::1")
    app = make_app(root, password=password, allowed_hosts=None if not loopback else ["127.0.0.1", "localhost", "[::1]", "::1"])
    url = display_url(host, port, password)
    echo(f"gwstats 网页界面：{display_url(host, port)}（工作区 {root}）")
    if not loopback:
        echo(f"局域网内的同事用本机的 IP 地址代替 127.0.0.1 打开；带口令的地址：{url}")
    echo("按 Ctrl+C 停止。")
    if open_browser:
        threading.Timer(1.0, lambda: webbrowser.open(url)).start()
    try:
        uvicorn.run(app, host=host, port=port, log_level="warning")
    finally:
        release_workspace(lock, port)
