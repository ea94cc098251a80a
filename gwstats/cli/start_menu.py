"""The Start-menu entry 关工委统计 of the Windows download: the page on the clerk's own workspace.

The workspace is ``GWSTATS_WORKSPACE`` when set, else 文档\\关工委统计 in the user's home (made on first use,
as ``gwstats init`` makes one). The console window stays open while the page runs and says so plainly.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

DEFAULT_FOLDER = ("Documents", "关工委统计")


def workspace_folder() -> Path:
    env = os.environ.get("GWSTATS_WORKSPACE", "").strip()
    return Path(env) if env else Path.home().joinpath(*DEFAULT_FOLDER)


def main() -> None:
    from gwstats.core.errors import GwstatsError
    from gwstats.model.config import CONFIG_NAME
    from gwstats.workspace import Workspace

    folder = workspace_folder()
    try:
        if not (folder / CONFIG_NAME).is_file():
            Workspace.init(folder)
            print(f"已在 {folder} 建立工作区。")
        from gwstats.web.server import serve

        print("关工委统计的网页正在运行。关闭这个窗口，网页就停止。")
        serve(Workspace(folder).root, host="127.0.0.1", port=8765, password=None, open_browser=True, echo=print)
    except GwstatsError as exc:
        print(exc.message)
        input("按回车键关闭窗口……")
        sys.exit(2)


if __name__ == "__main__":
    main()
