"""The demo's outputs for both bundled samples, made once per session (test_demo, the docx layout
and workbook print set-up tests read them)."""

import pytest


@pytest.fixture(scope="session")
def demo_run(tmp_path_factory):
    from gwstats.cli import demo

    out = tmp_path_factory.mktemp("demo") / "gwstats-demo"
    lines: list[str] = []
    result = demo.run_demo(out, echo=lines.append)
    return result, "\n".join(lines)
