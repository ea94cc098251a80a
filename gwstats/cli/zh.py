"""Click's (and Typer's) own English in Chinese: help headings, usage errors, value errors.

Click's texts are not translatable through gettext in every Typer release (newer Typer vendors its
own Click and validates values with pydantic), so the finished text is translated where it leaves:
the help page (``Command.get_help``) and a usage error's ``show``. Only Click's fixed phrases are
replaced (not the <path>/<int> placeholders, whose width keeps the help columns aligned); the
commands' own (Chinese) text passes unchanged.
"""

from __future__ import annotations

import io
import re
import sys

_INNER = [  # a value's problem, as Click or pydantic words it
    (r"Input should be a valid integer, unable to parse string as an integer", "应为整数"),
    (r"Input should be a valid integer(?:, got a number with a fractional part)?", "应为整数"),
    (r"Input should be a valid number, unable to parse string as a number", "应为数字"),
    (r"Input should be a valid number", "应为数字"),
    (r"Input should be a valid boolean.*", "应为 true 或 false"),
    (r"Input should be less than or equal to (\S+)", r"应不大于 \1"),
    (r"Input should be greater than or equal to (\S+)", r"应不小于 \1"),
    (r"Input should be less than (\S+)", r"应小于 \1"),
    (r"Input should be greater than (\S+)", r"应大于 \1"),
    (r"(?:Value error, )?'?([^']*)'? is not a valid int(?:eger)?( range)?\.", r"“\1”不是整数"),
    (r"(?:Value error, )?'?([^']*)'? is not a valid float( range)?\.", r"“\1”不是数字"),
    (r"(?:Value error, )?(.+?) is not in the range (.+?)\.", r"\1 超出范围 \2"),
    (r"(?:Value error, )?'([^']*)' is not one of (.+?)\.", r"“\1”不是可选值之一（可选：\2）"),
    (r"(?:Value error, )?'([^']*)' is not '([^']*)'\.", r"“\1”应为“\2”"),
    (r"(?:Value error, )?(File|Directory|Path) '([^']*)' does not exist\.", r"路径“\2”不存在"),
    (r"(?:Value error, )?(File|Directory|Path) '([^']*)' is a directory\.", r"“\2”是文件夹，请给出文件"),
    (r"(?:Value error, )?(File|Directory|Path) '([^']*)' is a file\.", r"“\2”是文件，请给出文件夹"),
    (r"Value error, ", ""),
]
_LINES = [  # whole usage-error messages
    (r"Missing option '([^']*)'(?: / '([^']*)')?\.(.*)", lambda m: f"缺少选项 {_opts(m)}。{m.group(3).strip()}"),
    (r"Missing argument '([^']*)'\.(.*)", lambda m: f"缺少参数 {m.group(1)}。{m.group(2).strip()}"),
    (r"Missing parameter: (.*)", lambda m: f"缺少参数 {m.group(1)}"),
    (r"Invalid value for '([^']*)'(?: / '([^']*)')?: (.*)", lambda m: f"选项 {_opts(m)} 的值无效：{_inner(m.group(3))}"),
    (r"Invalid value for ([A-Z_\[\]]+): (.*)", lambda m: f"参数 {m.group(1)} 的值无效：{_inner(m.group(2))}"),
    (r"Invalid value: (.*)", lambda m: f"值无效：{_inner(m.group(1))}"),
    (r"No such command '([^']*)'\.(.*)", lambda m: f"没有命令“{m.group(1)}”。{_did_you_mean(m.group(2))}"),
    (r"No such option: (\S+)(.*)", lambda m: f"没有选项 {m.group(1)}。{_did_you_mean(m.group(2))}"),
    (r"Option '([^']*)' requires an argument\.", lambda m: f"选项 {m.group(1)} 后面需要写一个值。"),
    (r"Option '([^']*)' requires (\d+) arguments\.", lambda m: f"选项 {m.group(1)} 后面需要写 {m.group(2)} 个值。"),
    (r"Got unexpected extra arguments? \((.*)\)", lambda m: f"多余的参数：{m.group(1)}"),
    (r"Option '([^']*)' does not take a value\.", lambda m: f"选项 {m.group(1)} 不需要写值。"),
    (r"Missing command\.", lambda m: "缺少命令。"),
]
_HELP = [
    (r"^Usage: ", "用法："),
    (r"^Options:$", "选项："),
    (r"^Commands:$", "命令："),
    (r"^Arguments:$", "参数："),
    (r"Show this message and exit\.", "显示本帮助并退出。"),
    (r"Show the version and exit\.", "显示版本号并退出。"),
    (r"\[default: ?", "[默认："),
    (r"\[required\]", "[必填]"),
    (r"\[env var: ", "[环境变量："),
    (r"(?<=[\[; ])default: ", "默认："),
    (r"\[OPTIONS\]", "[选项]"),
    (r"COMMAND \[ARGS\]\.\.\.", "命令 [参数]..."),
]
_INNER_RE = [(re.compile(p), r) for p, r in _INNER]
_LINES_RE = [(re.compile(p), f) for p, f in _LINES]
_HELP_RE = [(re.compile(p, re.M), r) for p, r in _HELP]
_TRY = re.compile(r"^Try '([^']*)' for help\.$", re.M)
_ERROR = re.compile(r"^Error: (.*)$", re.M | re.S)


def _opts(m) -> str:
    return " / ".join(o for o in (m.group(1), m.group(2)) if o)


def _did_you_mean(rest: str) -> str:
    rest = rest.strip()
    m = re.match(r"Did you mean (?:one of )?\(?(.*?)\)?\?$", rest)
    return f"是否是：{m.group(1)}？" if m else rest


def _inner(text: str) -> str:
    for rx, rep in _INNER_RE:
        text = rx.sub(rep, text)
    return text


def message(text: str) -> str:
    """One usage-error message (what follows "Error: ")."""
    text = text.strip()
    for rx, fn in _LINES_RE:
        m = rx.fullmatch(text)
        if m:
            return fn(m)
    return _inner(text)


def help_text(text: str) -> str:
    for rx, rep in _HELP_RE:
        text = rx.sub(rep, text)
    return text


def error_text(text: str) -> str:
    """A usage error as Click prints it: usage line, hint, 'Error: …'."""
    head, sep, err = text.partition("Error: ")
    head = _TRY.sub(lambda m: f"请运行 '{m.group(1)}' 查看帮助。", help_text(head))
    return head + ("错误：" + message(err) + "\n" if sep else "")


def _wrap_help(cls):
    orig = cls.get_help
    if getattr(orig, "_gwstats_zh", False):
        return

    def get_help(self, ctx):
        return help_text(orig(self, ctx))

    get_help._gwstats_zh = True
    cls.get_help = get_help


def _wrap_show(cls):
    orig = cls.__dict__.get("show")
    if orig is None or getattr(orig, "_gwstats_zh", False):
        return

    def show(self, file=None):
        buf = io.StringIO()
        orig(self, file=buf)
        (file or sys.stderr).write(error_text(buf.getvalue()))

    show._gwstats_zh = True
    cls.show = show


def install():
    """Translate the help and error output of the Click that Typer uses (vendored or not)."""
    import typer.core

    for cls in (typer.core.TyperCommand, typer.core.TyperGroup):
        _wrap_help(cls)
    for name in ("typer._click.exceptions", "click.exceptions"):
        mod = sys.modules.get(name)
        if mod is None:
            continue
        for cls_name in ("ClickException", "UsageError"):
            cls = getattr(mod, cls_name, None)
            if cls is not None:
                _wrap_show(cls)
