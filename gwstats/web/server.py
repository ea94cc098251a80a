"""Run the web app with uvicorn and open the browser."""

from __future__ import annotations

import threading
import webbrowser
from pathlib import Path


def display_url(host: str, port: int) -> str:
    """The page's address (never with the password in it: an address stays in the browser's history)."""
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    if ":" in shown:
        shown = f"[{shown}]"
    return f"http://{shown}:{port}/"


def _bind_options(s):
    """Bind as uvicorn will: SO_REUSEADDR on POSIX (a port whose last connection is in TIME_WAIT after a
    Ctrl+C or a crash is free to listen on again), SO_EXCLUSIVEADDRUSE on Windows (there SO_REUSEADDR
    would let two servers share a port; the exclusive option refuses a port truly in use)."""
    import os
    import socket

    if os.name == "nt":
        s.setsockopt(socket.SOL_SOCKET, getattr(socket, "SO_EXCLUSIVEADDRUSE", -5), 1)
    else:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)


def port_problem(host: str, port: int, exc: OSError) -> str:
    """Why ``host:port`` cannot be listened on, in the clerk's words (the real reason, not a guess)."""
    import errno

    code = exc.errno
    if getattr(exc, "winerror", None) == 10048:
        code = errno.EADDRINUSE
    elif getattr(exc, "winerror", None) == 10013:
        code = errno.EACCES
    elif getattr(exc, "winerror", None) == 10049:
        code = errno.EADDRNOTAVAIL
    if code == errno.EADDRINUSE:
        if _listening(port):
            return (f"端口 {port} 已被另一个程序占用（有程序正在该端口上服务，可能是已经开着的 gwstats ui："
                    f"请打开 {display_url(host, port)} 看看）。请用 --port 换一个端口")
        return f"端口 {port} 已被另一个程序占用。请用 --port 换一个端口"
    if code == errno.EACCES:
        return (f"没有权限使用端口 {port}（1024 以下的端口需要管理员权限，或该端口被系统或防火墙保留）。"
                "请用 --port 换一个端口，例如 --port 8765")
    if code == errno.EADDRNOTAVAIL:
        return f"本机没有地址 {host}。请用 --host 127.0.0.1（只供本机）或 --host 0.0.0.0（供局域网）"
    return f"无法在 {host}:{port} 上启动网页界面（{exc.strerror or exc}）。请用 --port 换一个端口"


def check_port(host: str, port: int):
    """A clear message (not uvicorn's English) when the port cannot be listened on, with the real reason."""
    import socket

    from gwstats.core.errors import UsageError

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as s:
        try:
            _bind_options(s)
            s.bind((host, port))
        except OSError as exc:
            raise UsageError(port_problem(host, port, exc)) from None


LOCK_NAME = ".gwstats-ui.lock"


def _listening(port: int) -> bool:
    import socket

    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


def running_port(root: Path) -> int | None:
    """The port of the page already serving ``root`` (its lock names it and it answers), else None."""
    lock = Path(root) / LOCK_NAME
    try:
        text = lock.read_text(encoding="utf-8", errors="replace").strip()
    except OSError:
        return None
    return int(text) if text.isdigit() and _listening(int(text)) else None


def free_port(host: str, first: int, tries: int = 10) -> int:
    """The first port from ``first`` on that can be listened on (for the Start-menu entry, which has no
    --port to give); the first port's problem when none of ``tries`` can."""
    from gwstats.core.errors import UsageError

    problem = None
    for port in range(first, first + tries):
        try:
            check_port(host, port)
            return port
        except UsageError as exc:
            problem = problem or exc
    raise problem


def claim_workspace(root: Path, port: int) -> Path:
    """Make this server the one writer of the workspace: ``.gwstats-ui.lock`` names its port.

    A second ``gwstats ui`` on the same workspace is refused while the first still answers on its
    port; a lock left by a server that is gone (power cut) is taken over. Portable: no PIDs, no
    POSIX file locks.
    """
    from gwstats.core.errors import UsageError

    lock = Path(root) / LOCK_NAME
    other = running_port(root)
    if other is not None:
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
    from gwstats.web.uploads import Staging

    Staging(root).drop_all()  # uploads of an earlier run of the page, never confirmed
    from gwstats.web.app import make_app

    loopback = host in ("127.0.0.1", "localhost", "::1")
    app = make_app(root, password=password, allowed_hosts=None if not loopback else ["127.0.0.1", "localhost", "[::1]", "::1"])
    url = display_url(host, port)
    echo(f"gwstats 网页界面：{url}（工作区 {root}）")
    if not loopback:
        echo("局域网内的同事用本机的 IP 地址代替 127.0.0.1 打开，在登录页填写姓名和访问口令")
    echo("按 Ctrl+C 停止。")
    if open_browser:
        threading.Timer(1.0, lambda: webbrowser.open(url)).start()
    try:
        uvicorn.run(app, host=host, port=port, log_level="warning")
    finally:
        release_workspace(lock, port)
