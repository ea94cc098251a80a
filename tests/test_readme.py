"""The README is a tested walkthrough (tools/readme_check.py).

Its console blocks run as written, in order, in one fresh folder with the installed `gwstats`; what they
print must be what the README shows (elided lines aside). After an intended output change, update the
README with one command: `python tools/readme_check.py --update` (then review `git diff README.md`).
Every example of docs/commands.md runs too, in the walkthrough's 安庆 workspace.
"""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _tool():
    spec = importlib.util.spec_from_file_location("readme_check", ROOT / "tools" / "readme_check.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod
    spec.loader.exec_module(mod)
    return mod


rc = _tool()


# ---- the comparison ---------------------------------------------------------------------------------
def test_elided_lines_truncated_lines_and_time_stamps_match():
    expected = ["标题", "……", "已导入  岳西县公安局关工委等6个单位…", "  2026-12-03T10:27:48  #49 在用", "合计"]
    actual = ["标题", "a", "b", "已导入  岳西县公安局关工委等6个单位 2018 本级、汇总 87项", "  2027-01-05T08:00:01  #49 在用", "合计"]
    assert rc.align(expected, actual) == (0, expected)
    assert rc.align(["（略）"], []) == (0, ["（略）"])


def test_a_changed_line_is_a_difference_and_update_keeps_the_elisions():
    expected = ["表头", "……", "合计 176", "说明 旧的"]
    actual = ["表头", "x", "y", "合计 177", "说明 旧的", "新的一行"]
    diff, updated = rc.align(expected, actual)
    assert diff == 2
    assert updated == ["表头", "……", "合计 177", "说明 旧的", "新的一行"]
    assert rc.align(updated, actual)[0] == 0


def test_blocks_parse_commands_outputs_and_skips():
    text = "\n".join([
        "x", "```console", "$ gwstats init a  # 注释", "已创建", "$ cd a", "```",
        "<!-- readme-check: skip -->", "```console", "$ gwstats ui", "```",
        "```bash", "$ gwstats no", "```",
    ])
    (block,) = rc.parse_blocks(text)
    assert [(s.command, s.expected, s.line) for s in block.steps] == [("gwstats init a  # 注释", ["已创建"], 3), ("cd a", [], 5)]
    assert rc.render_block(block) == ["$ gwstats init a  # 注释", "已创建", "$ cd a"]


# ---- the README, run -------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def walkthrough(tmp_path_factory):
    try:
        exe = rc.gwstats_command()
    except SystemExit as exc:  # not installed (the tests run from a checkout without `pip install .`)
        pytest.skip(str(exc))
    home = tmp_path_factory.mktemp("readme") / "练习"
    home.mkdir()
    return rc.run_readme(home, exe=exe)


def test_readme_console_blocks_print_what_the_readme_shows(walkthrough):
    _session, blocks, results = walkthrough
    commands = [r.step.command for r in results]
    assert len(blocks) >= 10 and len(commands) >= 25
    assert commands[0] == "gwstats demo --files 示例"  # the walkthrough lays out what it reads itself
    bad = rc.report(results)
    assert not bad, "README 所示的输出与实际不同；确认改动是有意的之后运行 python tools/readme_check.py --update\n" + "\n".join(bad)


def test_readme_commands_succeed_where_the_readme_says_so(walkthrough):
    """Exit status 1 only where the README explains it: a refused file, a form cell with no metric."""
    _session, _blocks, results = walkthrough
    failed = [(r.step.command, r.status) for r in results if r.status != 0]
    assert all(status == 1 for _c, status in failed), failed
    assert sorted(c.split()[1] for c, _s in failed) == ["export", "import"], failed


def test_a_drifted_output_fails(walkthrough):
    _session, _blocks, results = walkthrough
    r = next(r for r in results if r.step.command.startswith("gwstats rollup --year 2020 --metric rate_wuhao"))
    drifted = [ln.replace("80.7%", "80.8%") for ln in r.step.expected]
    assert drifted != r.step.expected
    assert rc.align(drifted, r.actual)[0] == 1


def test_the_english_section_uses_the_walkthroughs_commands(walkthrough):
    _session, _blocks, results = walkthrough
    ran = {r.step.command for r in results}
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    english = text[text.index("\n## English"):]
    spans = re.findall(r"`(gwstats [^`]+)`", english)
    assert len(spans) >= 20
    not_run = [s for s in spans if s not in ran and not s.startswith(rc.NOT_RUN)]
    assert not not_run, f"English 部分的命令不在“十分钟上手”里，没有被运行：{not_run}"


def test_the_commands_reference_examples_run(walkthrough):
    session, _blocks, _results = walkthrough
    examples = rc.command_examples()
    assert len(examples) >= 20
    # `gwstats demo -o` runs the whole demo (charts and reports of both samples, half a minute): CI runs it
    # as the README's first command and tests/test_demo.py runs the same path; here it is left out for time.
    failures = rc.run_examples(session, skip=("gwstats demo -o",))
    assert not failures, "\n".join(failures)
