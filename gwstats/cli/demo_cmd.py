"""demo (owned by the sample-data issue)."""

from __future__ import annotations

import typer

from .common import not_built


def register(app: typer.Typer):
    @app.command("demo", context_settings={"ignore_unknown_options": True, "allow_extra_args": True})
    def demo():
        """在自带示例数据上演示全过程。尚未实现。"""
        not_built("demo", "示例数据")
