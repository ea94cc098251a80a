#!/usr/bin/env python3
"""Run the README's console blocks as written and compare what they print with what the README shows.

    python tools/readme_check.py             # run README.md's blocks in a fresh temp folder, report differences
    python tools/readme_check.py --update    # the same, then write the outputs printed into README.md
    python tools/readme_check.py --examples  # also run every `例：gwstats …` line of docs/commands.md

Every ```console block runs, in document order, in one fresh folder with the installed `gwstats` (the one
beside this Python, else the one on PATH), unless the line before its fence is ``<!-- readme-check: skip -->``.
A ``$ `` line is a command (``gwstats …`` or ``cd DIR``; ``# …`` is a comment); the lines after it, up to the
next ``$ `` line, are what it prints (stdout and stderr together). In the expected lines:
- a line that is only ``……``, ``…`` or ``（略）`` stands for any number of printed lines (elided);
- a line ending in ``…`` matches a printed line that begins with the text before the ``…``;
- the fresh folder is shown as /home/clerk/练习, and time stamps (2026-12-03 10:24:06) and today's date
  compare equal to any time stamp / date.
The exit status is not compared (a refused file exits 1 on purpose); a traceback shows up as a difference.

--update keeps the README's elisions, truncated lines and time stamps where they still match, and writes
the printed lines where they do not: review the diff (git diff README.md) before committing.

The examples of docs/commands.md (the ``例：`` lines of each command's help, gwstats/cli/*.py) run after the
walkthrough, in its 安庆 workspace (the example files are in ../示例), in document order; each must exit 0
without a traceback. Commands that run until stopped (``gwstats ui``) are left out.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
COMMANDS_MD = ROOT / "docs" / "commands.md"
SHOWN_HOME = "/home/clerk/练习"  # how the README shows the fresh folder the reader works in
SKIP_MARK = "<!-- readme-check: skip -->"
ELISIONS = {"……", "…", "（略）"}
EXAMPLES_CWD = "安庆"  # the docs/commands.md examples run in this workspace of the walkthrough
NOT_RUN = ("gwstats ui",)  # runs until stopped; tests/test_web*.py cover it
TIMEOUT = 300

_SUB, _DROP, _ADD = 3, 4, 2  # alignment costs: a kept line beside an added one beats two changed lines
_STAMP = re.compile(r"\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2})?")


# ---- the README's blocks --------------------------------------------------------------------------
@dataclass
class Step:
    command: str
    expected: list[str]
    line: int  # 1-based line of the `$ ` line in the file


@dataclass
class Block:
    start: int  # index of the first line inside the fence
    end: int  # index of the closing fence
    steps: list[Step] = field(default_factory=list)


def parse_blocks(text: str) -> list[Block]:
    lines = text.split("\n")
    blocks, i = [], 0
    while i < len(lines):
        if lines[i].strip() == "```console":
            j = i + 1
            while j < len(lines) and lines[j].strip() != "```":
                j += 1
            skipped = i > 0 and lines[i - 1].strip() == SKIP_MARK
            if not skipped:
                block = Block(i + 1, j)
                for k in range(i + 1, j):
                    if lines[k].startswith("$ "):
                        block.steps.append(Step(lines[k][2:], [], k + 1))
                    elif block.steps:
                        block.steps[-1].expected.append(lines[k])
                    elif lines[k].strip():
                        raise ValueError(f"第 {k + 1} 行：console 块里命令之前有输出行：{lines[k]!r}")
                blocks.append(block)
            i = j
        i += 1
    return blocks


def render_block(block: Block) -> list[str]:
    out = []
    for s in block.steps:
        out.append(f"$ {s.command}")
        out.extend(s.expected)
    return out


# ---- running --------------------------------------------------------------------------------------
def gwstats_command() -> str:
    here = Path(sys.executable).parent / ("gwstats.exe" if os.name == "nt" else "gwstats")
    found = str(here) if here.exists() else shutil.which("gwstats")
    if not found:
        raise SystemExit("找不到已安装的 gwstats 命令：请先 pip install .")
    return found


def _env() -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GWSTATS_")}
    env.update(PYTHONUNBUFFERED="1", PYTHONIOENCODING="utf-8", COLUMNS="100", NO_COLOR="1")
    return env


class Session:
    """A reader at a terminal: a fresh folder, a current directory, the installed gwstats."""

    def __init__(self, home: Path, exe: str | None = None):
        self.home = Path(home)
        self.cwd = self.home
        self.exe = exe or gwstats_command()
        self.env = _env()

    def run(self, command: str) -> tuple[int, list[str]]:
        argv = shlex.split(command, comments=True)
        if not argv:
            return 0, []
        if argv[0] == "cd" and len(argv) == 2:
            target = (self.cwd / argv[1]).resolve()
            if not target.is_dir():
                return 1, [f"cd: {argv[1]}: 没有这个目录"]
            self.cwd = target
            return 0, []
        if argv[0] != "gwstats":
            raise ValueError(f"只运行 gwstats 和 cd 命令：{command}")
        proc = subprocess.run([self.exe, *argv[1:]], cwd=self.cwd, env=self.env, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, timeout=TIMEOUT)
        text = proc.stdout.decode("utf-8", errors="replace").replace(str(self.home.resolve()), SHOWN_HOME)
        text = text.replace(str(self.home), SHOWN_HOME)
        return proc.returncode, [ln.rstrip() for ln in text.rstrip("\n").split("\n")] if text.strip() else []


# ---- comparing ------------------------------------------------------------------------------------
def _norm(line: str) -> str:
    line = _STAMP.sub("<时间>", line.rstrip())
    today = dt.date.today()
    for form in (today.isoformat(), f"{today.year}年{today.month}月{today.day}日"):
        line = line.replace(form, "<日期>")
    return line


def _matches(expected: str, actual: str) -> bool:
    e, a = _norm(expected), _norm(actual)
    if e == a:
        return True
    return e.endswith("…") and len(e) > 1 and a.startswith(e[:-1])


def align(expected: list[str], actual: list[str]) -> tuple[int, list[str]]:
    """Least-cost alignment; returns (differences, the expected lines updated to what was printed).

    A changed line (3) costs less than a dropped one (4) plus an added one (2), so an update rewrites the
    line in place rather than letting a neighbouring elision swallow what was printed instead.
    """
    n, m = len(expected), len(actual)
    inf = float("inf")
    cost = [[inf] * (m + 1) for _ in range(n + 1)]
    back: list[list[tuple | None]] = [[None] * (m + 1) for _ in range(n + 1)]
    cost[0][0] = 0
    for i in range(n + 1):
        for j in range(m + 1):
            c = cost[i][j]
            if i < n and expected[i].strip() in ELISIONS:  # an elision: absorbs any run of printed lines
                if c < cost[i + 1][j]:
                    cost[i + 1][j], back[i + 1][j] = c, ("elide", i, j)
                continue
            if c == inf:
                continue
            if i < n and j < m:
                step = 0 if _matches(expected[i], actual[j]) else _SUB
                if c + step < cost[i + 1][j + 1]:
                    cost[i + 1][j + 1], back[i + 1][j + 1] = c + step, ("keep" if step == 0 else "sub", i, j)
            if i < n and c + _DROP < cost[i + 1][j]:
                cost[i + 1][j], back[i + 1][j] = c + _DROP, ("drop", i, j)
            if j < m and c + _ADD < cost[i][j + 1]:
                cost[i][j + 1], back[i][j + 1] = c + _ADD, ("add", i, j)
        # an elision also absorbs printed lines: cost[i+1][j+1] from cost[i+1][j]
        if i < n and expected[i].strip() in ELISIONS:
            for j in range(1, m + 1):
                if cost[i + 1][j - 1] < cost[i + 1][j]:
                    cost[i + 1][j], back[i + 1][j] = cost[i + 1][j - 1], ("absorb", i, j - 1)
    out: list[str] = []
    differences = 0
    i, j = n, m
    while (i, j) != (0, 0):
        kind, pi, pj = back[i][j]
        differences += kind in ("sub", "add", "drop")
        if kind == "keep":
            out.append(expected[pi])
            i, j = pi, pj
        elif kind == "sub":
            out.append(actual[pj])
            i, j = pi, pj
        elif kind == "add":
            out.append(actual[pj])
            i, j = pi, pj
        elif kind == "drop":
            i, j = pi, pj
        elif kind == "elide":
            out.append(expected[pi])
            i, j = pi, pj
        else:  # absorb: stay on the elision
            i, j = i, pj
    out.reverse()
    return differences, out


@dataclass
class Result:
    step: Step
    status: int
    actual: list[str]
    differences: int
    updated: list[str]
    seconds: float


def run_readme(home: Path, path: Path = README, exe: str | None = None) -> tuple[Session, list[Block], list[Result]]:
    blocks = parse_blocks(path.read_text(encoding="utf-8"))
    session = Session(home, exe)
    results = []
    for block in blocks:
        for step in block.steps:
            t0 = time.perf_counter()
            status, actual = session.run(step.command)
            diff, updated = align(step.expected, actual)
            results.append(Result(step, status, actual, diff, updated, time.perf_counter() - t0))
    return session, blocks, results


def report(results: list[Result], name: str = "README.md") -> list[str]:
    import difflib

    out = []
    for r in results:
        if r.differences:
            out.append(f"{name}:{r.step.line}: $ {r.step.command}  （{r.differences} 行不同；README 所示 → 实际输出）")
            out.extend("    " + d for d in difflib.unified_diff(r.step.expected, r.updated, "README", "实际", lineterm="", n=1))
    return out


def write_updates(path: Path, blocks: list[Block], results: list[Result]) -> int:
    lines = path.read_text(encoding="utf-8").split("\n")
    by_line = {r.step.line: r for r in results}
    changed = 0
    for block in reversed(blocks):
        for s in block.steps:
            r = by_line[s.line]
            if r.differences:
                s.expected = r.updated
                changed += 1
        lines[block.start:block.end] = render_block(block)
    path.write_text("\n".join(lines), encoding="utf-8")
    return changed


# ---- docs/commands.md ------------------------------------------------------------------------------
def command_examples(path: Path = COMMANDS_MD) -> list[tuple[int, str]]:
    out = []
    for n, line in enumerate(path.read_text(encoding="utf-8").split("\n"), 1):
        m = re.match(r"\s*例：(gwstats .+?)\s*$", line)
        if m and not m.group(1).startswith(NOT_RUN):
            out.append((n, m.group(1)))
    return out


def run_examples(session: Session, path: Path = COMMANDS_MD, skip: tuple[str, ...] = ()) -> list[str]:
    """Run every example (but those starting with one of ``skip``) in the walkthrough's 安庆 workspace;
    the failures, described."""
    session.cwd = session.home / EXAMPLES_CWD
    failures = []
    for n, command in command_examples(path):
        if skip and command.startswith(skip):
            continue
        status, out = session.run(command)
        if status != 0 or any("Traceback" in ln for ln in out):
            failures.append(f"{path.name}:{n}: {command}（退出码 {status}）\n    " + "\n    ".join(out[-8:]))
    return failures


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="运行 README 的 console 块并与所示输出比较")
    ap.add_argument("--update", action="store_true", help="把实际输出写回 README.md（保留删节）")
    ap.add_argument("--examples", action="store_true", help="之后再运行 docs/commands.md 的全部例子")
    ap.add_argument("--keep", type=Path, help="在这个（新）文件夹里运行并保留结果，而不是临时文件夹")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="gwstats-readme-") as tmp:
        home = args.keep or Path(tmp)
        home.mkdir(parents=True, exist_ok=True)
        t0 = time.perf_counter()
        session, blocks, results = run_readme(home)
        bad = report(results)
        print("\n".join(bad) if bad else f"README.md：{len(results)} 条命令，输出与所示相同")
        if args.update and bad:
            print(f"已更新 README.md 中 {write_updates(README, blocks, results)} 条命令的输出；请用 git diff 检查")
        failures = run_examples(session) if args.examples else []
        if args.examples:
            print("\n".join(failures) if failures else f"docs/commands.md：{len(command_examples())} 个例子都运行成功")
        print(f"用时 {time.perf_counter() - t0:.1f} 秒")
    return 1 if (bad and not args.update) or failures else 0


if __name__ == "__main__":
    sys.exit(main())
