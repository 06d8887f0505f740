"""docs/cli.md is the commands' own description; regenerate it when a command changes."""

from pathlib import Path

from trienkhai.cli_reference import render

DOC = Path(__file__).resolve().parents[1] / "docs" / "cli.md"


def test_cli_reference_is_current() -> None:
    assert DOC.read_text(encoding="utf-8") == render(), (
        "docs/cli.md is stale: run `make docs` (python -m trienkhai.cli_reference docs/cli.md)"
    )


def test_cli_reference_lists_the_contract_commands() -> None:
    text = render()
    for command in (
        "parse",
        "check",
        "demo",
        "serve",
        "db upgrade",
        "campaign list",
        "campaign show",
        "report campaign",
        "units import",
        "outputs import",
    ):
        assert f"## `trienkhai {command}`" in text
