"""Click's own English (usage, help headings, error messages) appears in Chinese."""

import re

import pytest
import typer
from typer.testing import CliRunner

from gwstats.cli import zh
from gwstats.cli.app import app

runner = CliRunner()
ENGLISH = ("Usage:", "Options:", "Commands:", "Show this message and exit.", "Missing option", "Invalid value",
           "Try '", "Error:", "[default:", "No such")


def run(*args):
    r = runner.invoke(app, [str(a) for a in args], prog_name="gwstats")
    return r, r.output + (r.stderr if r.stderr_bytes is not None else "")


def _paths():
    def walk(cmd, path):
        yield path
        for name, sub in (getattr(cmd, "commands", None) or {}).items():
            yield from walk(sub, path + [name])

    return list(walk(typer.main.get_command(app), []))


@pytest.mark.parametrize("path", _paths(), ids=lambda p: " ".join(p) or "gwstats")
def test_every_help_page_is_in_chinese(path):
    r, out = run(*path, "--help")
    assert r.exit_code == 0
    assert out.startswith("用法：gwstats")
    assert "选项：" in out and "显示本帮助并退出。" in out
    assert not [w for w in ENGLISH if w in out]


def test_year_abc_gets_a_chinese_message():
    r, out = run("rollup", "--year", "abc")
    assert r.exit_code == 2
    assert "错误：选项 --year / -y 的值无效：" in out
    assert re.search(r"应为整数|“abc”不是整数", out)
    assert "请运行 'gwstats rollup -h' 查看帮助。" in out
    assert not [w for w in ENGLISH if w in out]


@pytest.mark.parametrize("args, expected", [
    (["trace", "--year", "2018", "--metric", "x"], "缺少选项 --unit / -u。"),
    (["nosuch"], "没有命令“nosuch”。"),
    (["rollup", "--bogus"], "没有选项 --bogus。"),
    (["rollup", "--format", "xx"], "“xx”不是可选值之一"),
    (["rollup", "--year"], "选项 --year 后面需要写一个值。"),
    (["ui", "--port", "99999"], "选项 --port / -p 的值无效："),
])
def test_usage_errors_are_in_chinese(args, expected):
    r, out = run(*args)
    assert r.exit_code == 2
    assert expected in out
    assert not [w for w in ENGLISH if w in out]


def test_translation_of_click_and_pydantic_wordings():
    """Both the classic Click wording and the pydantic one of newer Typer releases are covered."""
    assert zh.message("Invalid value for '--year' / '-y': 'abc' is not a valid integer.") == "选项 --year / -y 的值无效：“abc”不是整数"
    assert zh.message("Invalid value for '--year' / '-y': Input should be a valid integer, unable to parse string as an integer") == "选项 --year / -y 的值无效：应为整数"
    assert zh.message("Missing option '--unit'.") == "缺少选项 --unit。"
    assert zh.message("No such command 'rolup'. Did you mean 'rollup'?") == "没有命令“rolup”。是否是：'rollup'？"
    assert zh.help_text("Usage: gwstats [OPTIONS]\n\nOptions:\n  -h  Show this message and exit.") == \
        "用法：gwstats [选项]\n\n选项：\n  -h  显示本帮助并退出。"
    assert zh.message("数据里的 Error 一词不动") == "数据里的 Error 一词不动"


def test_a_gbk_stream_replaces_what_it_cannot_encode():
    """Chinese Windows: stdout redirected to a file is GBK; a ✓ must not end the command."""
    import io

    from gwstats.cli.app import safe_streams

    raw = io.BytesIO()
    stream = io.TextIOWrapper(raw, encoding="gbk")
    safe_streams([stream])
    stream.write("✓ 已导入 26 个单位\n")
    stream.flush()
    assert raw.getvalue().decode("gbk") == "? 已导入 26 个单位\n"
