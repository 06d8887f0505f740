"""`trienkhai themes score` through the installed console script (contract in BRIEF.md)."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.themes.conftest import SAMPLE

pytestmark = pytest.mark.slow
TRIENKHAI = Path(sys.executable).with_name("trienkhai")
ARTICLES = [
    {"id": "a", "title": "Xét xử vụ mua bán người sang Trung Quốc", "text": "Tòa án xét xử "
     "hai bị cáo mua bán phụ nữ sang Trung Quốc. Nạn nhân bị mua bán được hỗ trợ."},
    {"id": 7, "title": "Đội tuyển thắng trận chung kết", "text": "Hai bàn thắng trong hiệp hai."},
]  # fmt: skip


def run(*args: str) -> subprocess.CompletedProcess[str]:
    """Run the installed console script."""
    return subprocess.run(
        [str(TRIENKHAI), "themes", "score", "--directive", str(SAMPLE), *args],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip


def _write(path: Path, rows: list[dict[str, object]]) -> Path:
    lines = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
    if path.suffix == ".gz":
        path.write_bytes(gzip.compress(lines.encode("utf-8")))
    else:
        path.write_text(lines, encoding="utf-8")
    return path


def test_one_json_line_per_article_gz_and_train(tmp_path: Path) -> None:
    articles = _write(tmp_path / "a.jsonl.gz", ARTICLES)
    train = _write(
        tmp_path / "train.jsonl",
        [{"id": "t1", "themes": ["T4"], "title": "Công đoàn", "text": "Công nhân đình công"},
         {"id": "t2", "themes": [], "title": "Bóng đá", "text": "Trận đấu hay"}],
    )  # fmt: skip
    done = run("--articles", str(articles), "--train", str(train))
    assert done.returncode == 0, done.stderr
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    assert [line["id"] for line in lines] == ["a", "7"]
    assert set(lines[0]) == {"id", "themes", "scores"}
    assert lines[0]["themes"] == ["T3"]
    assert lines[1]["themes"] == []
    assert sorted(lines[0]["scores"]) == ["T1", "T2", "T3", "T4"]


def test_bad_training_line_names_the_line_and_prints_nothing(tmp_path: Path) -> None:
    articles = _write(tmp_path / "a.jsonl", ARTICLES)
    train = _write(
        tmp_path / "t.jsonl", [{"id": "t1", "themes": ["T9"], "title": "x", "text": "y"}]
    )
    done = run("--articles", str(articles), "--train", str(train))
    assert done.returncode == 2
    assert done.stdout == ""
    assert "dòng 1" in done.stderr
    assert "T9" in done.stderr
