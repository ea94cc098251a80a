"""rollup, status, check, trace (owned by the rollup issue)."""

from __future__ import annotations

import typer

from .common import not_built


def register(app: typer.Typer):
    for name, doc in (
        ("rollup", "逐级汇总。尚未实现。"),
        ("status", "填报情况：应报、已报、未报、迟报。尚未实现。"),
        ("check", "数据校验。尚未实现。"),
        ("trace", "追溯一个数字的来源。尚未实现。"),
    ):
        def cmd(_name=name):
            not_built(_name, "汇总")

        cmd.__doc__ = doc
        app.command(name, context_settings={"ignore_unknown_options": True, "allow_extra_args": True})(cmd)
