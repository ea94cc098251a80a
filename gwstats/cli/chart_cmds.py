"""chart, charts, report (owned by the charts and report issue)."""

from __future__ import annotations

import typer

from .common import not_built


def register(app: typer.Typer):
    for name, doc in (
        ("chart", "生成一张图表。尚未实现。"),
        ("charts", "生成会议用的一套图表。尚未实现。"),
        ("report", "生成统计分析报告（.docx/.md/.html）。尚未实现。"),
    ):
        def cmd(_name=name):
            not_built(_name, "图表与报告")

        cmd.__doc__ = doc
        app.command(name, context_settings={"ignore_unknown_options": True, "allow_extra_args": True})(cmd)
