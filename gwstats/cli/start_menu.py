"""The Start-menu entry 关工委统计 of the Windows download: the page on the clerk's own workspace.

The workspace is ``GWSTATS_WORKSPACE`` when set, else 文档\\关工委统计 in the user's home. On first use
the folder is made and the page opens on its set-up page (as ``gwstats ui`` on a folder that is not
yet a workspace). Clicked again while the page runs, it opens that page instead of refusing. The
console window stays open while the page runs and says so plainly; every line it prints survives a
GBK console (a character GBK lacks, say in a folder name, is shown as ``?``).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

DEFAULT_FOLDER = ("Documents", "关工委统计")
PORT = 8765
PORTS_TRIED = 10


def workspace_folder() -> Path:
    env = os.environ.get("GWSTATS_WORKSPACE", "").strip()
    return Path(env) if env else Path.home().joinpath(*DEFAULT_FOLDER)


def main() -> None:
    from gwstats.cli.app import safe_streams
    from gwstats.core.errors import GwstatsError
    from gwstats.model.config import CONFIG_NAME

    safe_streams()
    folder = workspace_folder()
    try:
        from gwstats.web import server

        folder.mkdir(parents=True, exist_ok=True)
        root = folder.resolve()
        running = server.running_port(root)
        if running is not None:  # clicked again: the page is already open
            url = server.display_url("127.0.0.1", running)
            print(f"关工委统计的网页已经在运行：{url}，已在浏览器中打开。")
            import webbrowser

            webbrowser.open(url)
            return
        if not (root / CONFIG_NAME).is_file():
            print(f"第一次使用：请在打开的网页中填写设置、选好单位名单（工作区文件夹 {root}）。")
        try:
            port = server.free_port("127.0.0.1", PORT, PORTS_TRIED)
        except GwstatsError:
            raise GwstatsError(f"端口 {PORT}–{PORT + PORTS_TRIED - 1} 都被其他程序占用，网页无法启动。"
                               "请关闭其他程序或重新启动电脑后再试。") from None
        print("关工委统计的网页正在运行。关闭这个窗口，网页就停止。")
        server.serve(root, host="127.0.0.1", port=port, password=None, open_browser=True, echo=print)
    except GwstatsError as exc:
        print(exc.message)
        input("按回车键关闭窗口……")
        sys.exit(2)


if __name__ == "__main__":
    main()
