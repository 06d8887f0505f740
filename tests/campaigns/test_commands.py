"""CLI contracts: `units load-sample/import/export`, `campaign create/list/show --json`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # each call starts a Python process


def _run(tmp_path: Path, *args: str, ok: bool = True) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "TRIENKHAI_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}",
        "TRIENKHAI_DATA_DIR": str(tmp_path),
    }
    proc = subprocess.run(
        [sys.executable, "-m", "trienkhai.cli", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
        check=False,
    )
    if ok:
        assert proc.returncode == 0, proc.stderr
    return proc


def test_campaign_list_and_show_json(tmp_path: Path, sample_path: Path) -> None:
    _run(tmp_path, "db", "upgrade")
    _run(tmp_path, "units", "load-sample")
    created = _run(
        tmp_path,
        "campaign",
        "create",
        str(sample_path),
        "--title",
        "Nhân quyền",
        "--deadline",
        "2024-08-15",
    )
    assert "#1" in created.stdout
    listed = json.loads(_run(tmp_path, "campaign", "list", "--json").stdout)
    assert listed == [
        {
            "id": 1,
            "title": "Nhân quyền",
            "directive": listed[0]["directive"],
            "assignments_count": listed[0]["assignments_count"],
            "outputs_count": 0,
        }
    ]
    assert listed[0]["directive"]
    shown = json.loads(_run(tmp_path, "campaign", "show", "1", "--json").stdout)
    assert {"themes", "assignments", "unresolved"} <= set(shown)
    assert len(shown["assignments"]) == listed[0]["assignments_count"]
    for item in shown["assignments"]:
        assert {"unit", "state", "deadline"} <= set(item)
        assert item["state"] == "assigned"
        assert item["deadline"] == "2024-08-15"
    assert isinstance(shown["unresolved"], list)
    assert all(isinstance(p, str) for p in shown["unresolved"])
    missing = _run(tmp_path, "campaign", "show", "99", "--json", ok=False)
    assert missing.returncode == 1
    assert "99" in missing.stderr


def test_units_import_export_and_bad_file(tmp_path: Path) -> None:
    _run(tmp_path, "db", "upgrade")
    _run(tmp_path, "units", "load-sample")
    out = tmp_path / "units.csv"
    _run(tmp_path, "units", "export", "--format", "csv", "-o", str(out))
    assert "h-dak-ha" in out.read_text(encoding="utf-8")
    again = _run(tmp_path, "units", "import", str(out))
    assert "0 đơn vị mới" in again.stdout
    bad = tmp_path / "bad.csv"
    bad.write_text("code,name,kind\nmoi-1,Mới,press\nmoi-2,Sai,xyz\n", encoding="utf-8")
    failed = _run(tmp_path, "units", "import", str(bad), ok=False)
    assert failed.returncode == 1
    assert "bad.csv, dòng 3" in failed.stderr
    assert "'kind'" in failed.stderr
    listed = json.loads(_run(tmp_path, "units", "list", "--json").stdout)
    assert "moi-1" not in {u["code"] for u in listed}


def _one_clear_line(proc: subprocess.CompletedProcess[str]) -> str:
    """A failed command: non-zero exit, one line on stderr, no traceback."""
    assert proc.returncode != 0, proc.stdout
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    return lines[0]


def test_unwritable_output_or_unknown_campaign_is_one_line_and_an_exit_code(
    tmp_path: Path, sample_path: Path
) -> None:
    _run(tmp_path, "db", "upgrade")
    _run(tmp_path, "units", "load-sample")
    _run(tmp_path, "campaign", "create", str(sample_path))
    missing = tmp_path / "khong-co" / "thu-muc"
    for args in (
        ("outputs", "export", "--campaign", "1", "-o", str(missing / "x.xlsx")),
        ("report", "campaign", "1", "--format", "docx", "-o", str(missing / "x.docx")),
        ("units", "export", "-o", str(missing / "x.yaml")),
    ):
        line = _one_clear_line(_run(tmp_path, *args, ok=False))
        assert line.startswith(f"{missing}/x."), line
        assert "không ghi được tệp" in line and "không tồn tại" in line
    assert not missing.parent.exists()
    for args in (
        ("report", "campaign", "99", "--format", "docx", "-o", str(tmp_path / "x.docx")),
        ("report", "campaign", "99", "--format", "xlsx", "-o", str(tmp_path / "x.xlsx")),
        ("campaign", "show", "99"),
        ("campaign", "show", "99", "--json"),
        ("outputs", "export", "--campaign", "99", "-o", str(tmp_path / "x.xlsx")),
    ):
        line = _one_clear_line(_run(tmp_path, *args, ok=False))
        assert line == "Không có chiến dịch số 99 (campaign not found)"
    assert not (tmp_path / "x.docx").exists() and not (tmp_path / "x.xlsx").exists()
