"""import, history (owned by the import issue)."""

from __future__ import annotations

import typer

from .common import not_built


def register(app: typer.Typer):
    @app.command("import", context_settings={"ignore_unknown_options": True, "allow_extra_args": True})
    def import_():
        """读取各单位报表（文件、文件夹或通配符）。尚未实现。"""
        not_built("import", "导入")

    @app.command("history", context_settings={"ignore_unknown_options": True, "allow_extra_args": True})
    def history():
        """某单位某年度报表的各个版本及改动。尚未实现。"""
        not_built("history", "导入")
