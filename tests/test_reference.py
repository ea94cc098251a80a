from pathlib import Path

from gwstats.cli.reference import render_reference

DOC = Path(__file__).resolve().parents[1] / "docs" / "commands.md"


def test_command_reference_is_current():
    assert DOC.read_text(encoding="utf-8") == render_reference(), (
        "docs/commands.md is out of date: python -m gwstats.cli.reference > docs/commands.md"
    )


def test_every_contract_command_is_documented():
    text = render_reference()
    for cmd in ("init", "units import", "units tree", "units check", "template", "import", "status", "check",
                "rollup", "chart", "charts", "report", "trace", "demo", "history"):
        assert f"## `gwstats {cmd}`" in text, cmd
