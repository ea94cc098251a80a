"""server.check_port: a port freed by a Ctrl+C is free again at once; a taken one says why."""

import errno
import socket
import time

import pytest

from gwstats.core.errors import UsageError
from gwstats.web.server import check_port, port_problem


def _time_wait_port() -> int:
    """A port whose listening socket is closed, with the server side of a connection in TIME_WAIT (as after
    Ctrl+C on `gwstats ui` with a browser tab open)."""
    srv = socket.socket()
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", 0))
    srv.listen(1)
    port = srv.getsockname()[1]
    cli = socket.create_connection(("127.0.0.1", port))
    conn, _ = srv.accept()
    conn.close()  # the server closes first: its end waits in TIME_WAIT
    srv.close()
    time.sleep(0.2)
    cli.close()
    return port


@pytest.mark.skipif(not hasattr(socket, "SO_REUSEADDR") or socket.SO_REUSEADDR is None, reason="POSIX only")
def test_a_port_in_time_wait_can_be_listened_on_again():
    port = _time_wait_port()
    check_port("127.0.0.1", port)  # used to refuse for 60-80 s


def test_a_port_in_use_names_the_real_reason():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen(1)
        port = s.getsockname()[1]
        with pytest.raises(UsageError) as exc:
            check_port("127.0.0.1", port)
    text = str(exc.value)
    assert f"端口 {port} 已被另一个程序占用" in text and "有程序正在该端口上服务" in text


def test_other_reasons_are_told_as_they_are():
    assert "没有权限使用端口 80" in port_problem("0.0.0.0", 80, OSError(errno.EACCES, "Permission denied"))
    assert "本机没有地址 10.9.9.9" in port_problem("10.9.9.9", 8765, OSError(errno.EADDRNOTAVAIL, "x"))
    assert "已被另一个程序占用" in port_problem("127.0.0.1", 1, OSError(errno.EADDRINUSE, "x"))
