"""gwstats ui: the same workspace as a local web page (the web stack is imported only here)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from gwstats.cli.common import WorkspaceOpt, err, handle_errors, open_workspace

LOOPBACK = {"127.0.0.1", "localhost", "::1"}


@handle_errors
def ui(
    workspace: WorkspaceOpt = None,
    port: Annotated[int, typer.Option("--port", "-p", help="端口", min=1, max=65535)] = 8765,
    host: Annotated[str, typer.Option("--host", help="监听地址；默认只允许本机访问。局域网共享用 0.0.0.0（必须有口令）")] = "127.0.0.1",
    no_browser: Annotated[bool, typer.Option("--no-browser", help="不自动打开浏览器")] = False,
    password: Annotated[Optional[str], typer.Option("--password", help="访问口令（--host 不是本机地址时必需；不给则自动生成并显示）。"
                                                     "写在命令行上本机其他用户可以看到，宜改用 --password-file、--ask-password 或环境变量 GWSTATS_PASSWORD", show_default=False)] = None,
    password_file: Annotated[Optional[Path], typer.Option("--password-file", help="从文件的第一行读取访问口令", show_default=False)] = None,
    ask_password: Annotated[bool, typer.Option("--ask-password", help="启动时输入访问口令（不显示）")] = False,
):
    """在本机浏览器中使用 gwstats：概览、导入、汇总、校验、成果、单位、模板，与命令行是同一个工作区。

    默认只在本机（127.0.0.1）打开，不联网。按 Ctrl+C 停止。

    例：gwstats ui -w 集安
    """
    from gwstats.core.errors import UsageError

    try:
        from gwstats.web.server import serve
    except ImportError as exc:  # a lean install without the web extra's parts
        raise UsageError(f"网页界面缺少组件 {exc.name}：请运行 pip install gwstats 重新安装") from None
    from gwstats.core.errors import WorkspaceNotFound

    try:
        root = open_workspace(workspace).root
    except WorkspaceNotFound:  # the first run: the page asks for the settings and the unit list
        from pathlib import Path

        root = Path(workspace or ".").expanduser().resolve()
        root.mkdir(parents=True, exist_ok=True)
        err(f"{root} 还不是工作区：请在打开的网页中填写设置、选好单位名单，即可开始。")
    shared = host not in LOOPBACK
    password = _password(password, password_file, ask_password)
    if password is not None and not password.strip():
        raise UsageError("--password 不能为空")
    token = password
    if shared and token is None:
        import secrets

        token = secrets.token_urlsafe(9)
        err(f"已生成访问口令：{token}（同事打开网页时在登录页输入）")
    serve(root, host=host, port=port, password=token, open_browser=not no_browser, echo=typer.echo)


def _password(given: str | None, file: Path | None, ask: bool) -> str | None:
    """The access password from --password, --password-file, --ask-password or GWSTATS_PASSWORD (in that
    order; only one of the options)."""
    import os

    from gwstats.core.errors import UsageError

    if sum(x is not None and x is not False for x in (given, file, ask or None)) > 1:
        raise UsageError("--password、--password-file、--ask-password 只能用其中一个")
    if file is not None:
        try:
            lines = file.read_text(encoding="utf-8-sig").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            raise UsageError(f"无法读取口令文件 {file}：{getattr(exc, 'strerror', None) or exc}") from None
        given = lines[0].strip() if lines else ""
        if not given:
            raise UsageError(f"口令文件 {file} 的第一行是空的")
    elif ask:
        given = typer.prompt("访问口令", hide_input=True, confirmation_prompt=True)
    elif given is None:
        given = os.environ.get("GWSTATS_PASSWORD") or None
    return given


def register(app: typer.Typer):
    app.command("ui")(ui)
