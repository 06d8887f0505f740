"""Files the command line writes: a path that cannot be written is one line on stderr, exit 1."""

from __future__ import annotations

import errno
from pathlib import Path

import typer


def _reason(path: Path, exc: OSError) -> str:
    """Why the file could not be written, in Vietnamese."""
    if exc.errno == errno.ENOENT:
        return f"thư mục '{path.parent}' không tồn tại (no such directory)"
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return "không có quyền ghi (permission denied)"
    if exc.errno == errno.EISDIR:
        return "đây là một thư mục, không phải tệp (is a directory)"
    return f"lỗi hệ thống ({exc.strerror or exc})"


def write_output(path: Path, data: bytes | str) -> None:
    """Write the command's result; on failure print '<path>: không ghi được tệp …' and exit 1."""
    try:
        if isinstance(data, str):
            path.write_text(data, encoding="utf-8")
        else:
            path.write_bytes(data)
    except OSError as exc:
        typer.echo(f"{path}: không ghi được tệp: {_reason(path, exc)}", err=True)
        raise typer.Exit(1) from exc
