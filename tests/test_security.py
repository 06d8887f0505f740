"""The server's own secret: made once in the data folder (0600), reused, never the old default."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

from itsdangerous import TimestampSigner

from trienkhai.security import SECRET_FILE, app_secret
from trienkhai.settings import DEV_SECRET, Settings

ROOT = Path(__file__).resolve().parents[1]


def _secret_in_new_process(data_dir: Path) -> str:
    """The secret a fresh server process settles on (no TRIENKHAI_SECRET_KEY in its env)."""
    env = {k: v for k, v in os.environ.items() if k != "TRIENKHAI_SECRET_KEY"}
    env["TRIENKHAI_DATA_DIR"] = str(data_dir)
    code = "from trienkhai.security import app_secret; print(app_secret())"
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True, check=True
    )
    return out.stdout.strip()


def test_two_starts_reuse_one_private_generated_secret(tmp_path: Path) -> None:
    first = _secret_in_new_process(tmp_path)
    second = _secret_in_new_process(tmp_path)
    assert first == second and len(first) >= 64 and first != DEV_SECRET
    path = tmp_path / SECRET_FILE
    assert path.read_text(encoding="ascii").strip() == first
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert _secret_in_new_process(tmp_path / "elsewhere") != first  # random, not a constant


def test_configured_secret_wins_and_no_file_is_written(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, secret_key="k" * 40)
    assert app_secret(settings) == "k" * 40
    assert not (tmp_path / SECRET_FILE).exists()


def test_old_public_default_cannot_forge_a_session_cookie(tmp_path: Path) -> None:
    """A cookie signed with the published default is not one the server accepts."""
    secret = app_secret(Settings(data_dir=tmp_path, secret_key=""))
    assert secret != DEV_SECRET
    forged = TimestampSigner(DEV_SECRET).sign(b"eyJ1aWQiOiAxfQ==")  # {"uid": 1}
    real = TimestampSigner(secret)
    assert not real.validate(forged)
