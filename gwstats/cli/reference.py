"""The command reference in docs/commands.md, generated from the Typer app.

Regenerate: python -m gwstats.cli.reference > docs/commands.md
"""

from __future__ import annotations


def _walk(cmd, path: list[str]):
    yield path
    for name, sub in (getattr(cmd, "commands", None) or {}).items():
        yield from _walk(sub, path + [name])


def render_reference() -> str:
    import typer
    from typer.testing import CliRunner

    from gwstats.cli.app import app

    runner = CliRunner()
    out = [
        "# gwstats 命令参考 (command reference)",
        "",
        "由 `python -m gwstats.cli.reference > docs/commands.md` 从程序本身生成，请勿手工编辑。",
        "Generated from the Typer app; tests/test_reference.py checks it is current.",
        "",
        "每个“例：”都能照抄运行：在 README“十分钟上手”做完后的 `安庆` 工作区里（示例文件在 `../示例`），"
        "tests/test_readme.py 按顺序逐个运行。",
        "Every example runs as written in the 安庆 workspace the README walkthrough makes; tests/test_readme.py runs them.",
        "",
    ]
    for path in _walk(typer.main.get_command(app), []):
        result = runner.invoke(app, path + ["--help"], prog_name="gwstats", env={"COLUMNS": "100", "TERMINAL_WIDTH": "100"})
        name = " ".join(["gwstats", *path])
        out += [f"## `{name}`", "", "```text", result.output.rstrip(), "```", ""]
    return "\n".join(out)


if __name__ == "__main__":
    print(render_reference(), end="")
