"""Where tests find the sample (shipped as package data) and the shared corpora (beside the clone).

A plain clone has no `../shared`: tests that need a corpus skip with the reason. In CI
(`TRIENKHAI_TEST_REQUIRE_CORPUS=1`) a missing corpus fails instead of skipping.
"""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus"
SAMPLE = Path(str(resources.files("trienkhai.data").joinpath("cong-van-stttt-nhan-quyen.txt")))
# Read here, not through Settings: it steers the test suite, not the product.
REQUIRED = os.environ.get("TRIENKHAI_TEST_REQUIRE_CORPUS", "").strip() not in ("", "0")


def need_corpus(*parts: str) -> Path:
    """A path inside the shared corpus; skip the test (fail in CI) when it is absent."""
    path = CORPUS.joinpath(*parts)
    if not path.exists():
        if REQUIRED:
            pytest.fail(
                f"corpus file missing although TRIENKHAI_TEST_REQUIRE_CORPUS is set: {path}"
            )
        pytest.skip(f"shared corpus absent (plain clone): {path}")
    return path


def corpus_files(folder: str, pattern: str) -> list[Path]:
    """Files of a corpus folder for parametrize (empty, so skipped, when the corpus is absent)."""
    return sorted((CORPUS / folder).glob(pattern))
