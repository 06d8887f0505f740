"""The web process starts without the training and dedup libraries (about 90 MB of RSS)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src"
HEAVY = ("sklearn", "scipy", "datasketch")

PROBE = f"""
import json, sys
from trienkhai.web.app import create_app
create_app()
print(json.dumps(sorted(m for m in {HEAVY!r} if m in sys.modules)))
"""


def test_creating_the_web_app_loads_no_training_or_dedup_library(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(SRC), os.environ.get("PYTHONPATH", "")]),
        "TRIENKHAI_DATABASE_URL": f"sqlite:///{tmp_path / 'web.db'}",
    }
    done = subprocess.run(
        [sys.executable, "-c", PROBE], env=env, cwd=tmp_path, capture_output=True, text=True,
        timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.strip().splitlines()[-1]) == []
