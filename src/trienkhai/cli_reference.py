"""The CLI reference (docs/cli.md), generated from the commands themselves so it stays true."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import typer

from trienkhai.cli import app

HEADER = (
    "# CLI reference\n\n"
    "Generated from the commands by `python -m trienkhai.cli_reference > docs/cli.md`; "
    "a test fails when this file and the commands disagree.\n"
)


def _walk(command: Any, path: list[str]) -> Iterator[tuple[list[str], Any]]:
    """Every command under `command`, depth first, in declaration order."""
    yield path, command
    # typer vendors its own click, so groups are recognised by shape rather than by class.
    for name, sub in getattr(command, "commands", {}).items():
        yield from _walk(sub, [*path, name])


def _param_line(param: Any) -> str:
    """One markdown bullet describing an argument or option."""
    names = " / ".join(f"`{n}`" for n in (*param.opts, *param.secondary_opts))
    kind = param.param_type_name
    text = getattr(param, "help", None) or ""
    default = param.default
    shown = (
        "" if default in (None, False, (), []) or callable(default) else f" (default: `{default}`)"
    )
    return f"- {names} ({kind}){': ' + text if text else ''}{shown}"


def _section(path: list[str], command: Any) -> str:
    """The markdown section of one command."""
    usage = " ".join(["trienkhai", *path])
    ctx = command.context_class(command, info_name=usage)
    pieces = " ".join(command.collect_usage_pieces(ctx))
    lines = [f"## `{usage}`", "", f"```\n{usage} {pieces}\n```", ""]
    if command.help:
        lines += [command.help.strip(), ""]
    params = [p for p in command.params if p.name not in {"help"} and not p.hidden]
    lines += [
        _param_line(p)
        for p in params
        if "--install-completion" not in p.opts and "--show-completion" not in p.opts
    ]
    return "\n".join(lines).rstrip() + "\n"


def render() -> str:
    """The whole reference as markdown."""
    root = typer.main.get_command(app)
    sections = [_section(path, cmd) for path, cmd in _walk(root, []) if path]
    return HEADER + "\n" + "\n".join(sections)


def main() -> None:
    """Print the reference, or write it to the path given."""
    text = render()
    if len(sys.argv) > 1:
        Path(sys.argv[1]).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)


if __name__ == "__main__":
    main()
