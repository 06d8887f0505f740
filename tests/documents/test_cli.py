"""The real console script: parse and check on the sample and a clean letter."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.documents.doc_builders import SAMPLE
from tests.documents.test_checker import CLEAN

# Each run starts the whole CLI (a few seconds on a loaded machine).
pytestmark = pytest.mark.slow

TRIENKHAI = Path(sys.executable).with_name("trienkhai")
LABEL_KEYS = {
    "doc_type", "type_abbr", "number", "symbol", "number_symbol", "issued_date", "place",
    "issuer", "parent_issuer", "subject", "signer_name", "signer_title", "signer_authority",
    "signer_on_behalf", "recipients", "noi_nhan", "sections", "footnote_citations", "themes",
    "assignments",
}  # fmt: skip


def run(*args: str) -> subprocess.CompletedProcess[str]:
    """Run the installed console script."""
    return subprocess.run(
        [str(TRIENKHAI), *args], capture_output=True, text=True, timeout=120, check=False
    )


def test_parse_json_has_the_label_keys_and_not_the_text(tmp_path: Path) -> None:
    clean = tmp_path / "clean.txt"
    clean.write_text(CLEAN, encoding="utf-8")
    done = run("parse", "--json", str(SAMPLE), str(clean))
    assert done.returncode == 0, done.stderr
    records = [json.loads(line) for line in done.stdout.splitlines()]
    assert len(records) == 2
    assert set(records[0]) >= LABEL_KEYS
    assert "text" not in records[0]
    assert "body" not in records[0]
    assert records[0]["number"] is None  # the sample is a draft
    assert records[1]["number_symbol"] == "12/STTTT-TTBCXB"


def test_parse_text_format_is_for_people() -> None:
    done = run("parse", "--format", "text", str(SAMPLE))
    assert done.returncode == 0
    assert "Số, ký hiệu:" in done.stdout
    assert "Người ký: Mai Thoan" in done.stdout


def test_check_reports_the_sample_faults_with_file_lines_and_exit_1() -> None:
    done = run("check", "--today", "2024-08-01", str(SAMPLE))
    assert done.returncode == 1
    lines = done.stdout.splitlines()
    blank = next(line for line in lines if "ND30-NUMBER-BLANK" in line)
    assert blank.startswith(f"{SAMPLE}:9: error ND30-NUMBER-BLANK ")
    assert any(" error ND30-CITATION-YEAR " in line for line in lines)
    assert any(" warning ND30-REPEATED-PHRASE " in line for line in lines)


def test_check_clean_letter_exits_0_and_json_lists_findings(tmp_path: Path) -> None:
    clean = tmp_path / "clean.txt"
    clean.write_text(CLEAN, encoding="utf-8")
    assert run("check", "--today", "2024-08-01", str(clean)).returncode == 0
    done = run("check", "--format", "json", "--today", "2024-08-01", str(SAMPLE))
    report = json.loads(done.stdout)
    assert report["file"] == str(SAMPLE)
    assert {"ND30-NUMBER-BLANK", "ND30-DATE-BLANK"} <= {f["rule"] for f in report["findings"]}
