"""The server's signing secret: the configured one, or a random one kept in the data folder.

No published value ever signs anything: the old development default is refused by the settings,
and without `TRIENKHAI_SECRET_KEY` the first start writes 64 random bytes (hex) to
`<data_dir>/secret_key`, readable by the server's user only, and every later start reuses them.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import stat
from functools import lru_cache
from pathlib import Path

from trienkhai.settings import Settings, get_settings

SECRET_FILE = "secret_key"  # noqa: S105 - a file name, not a secret


def app_secret(settings: Settings | None = None) -> str:
    """The secret that signs session cookies, API tokens and calendar tokens."""
    settings = settings or get_settings()
    configured = settings.secret_key.get_secret_value()
    if configured:
        return configured
    return _stored_secret(settings.data_dir.resolve())


@lru_cache(maxsize=8)
def _stored_secret(data_dir: Path) -> str:
    """The data folder's secret, made on first use (several processes may race: one wins)."""
    path = data_dir / SECRET_FILE
    if not path.exists():
        _create(path)
    if stat.S_IMODE(path.stat().st_mode) & 0o077:
        path.chmod(0o600)  # someone loosened it; the secret must stay the server user's own
    value = path.read_text(encoding="ascii").strip()
    if len(value) < 32:
        msg = f"{path}: khóa bí mật hỏng (quá ngắn); xóa tệp để tạo khóa mới"
        raise RuntimeError(msg)
    return value


def _create(path: Path) -> None:
    """Write a fresh secret atomically with mode 0600; a concurrent winner's file is kept."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f".{SECRET_FILE}.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.write(fd, (secrets.token_hex(64) + "\n").encode("ascii"))
        os.fsync(fd)
    finally:
        os.close(fd)
    try:
        with contextlib.suppress(FileExistsError):  # another process made it first: keep theirs
            os.link(temp, path)
    finally:
        temp.unlink()
