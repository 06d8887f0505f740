"""CI runs every corpus gate: with TRIENKHAI_TEST_REQUIRE_CORPUS set, a missing corpus fails."""

from __future__ import annotations

from tests.corpus import SAMPLE, need_corpus


def test_the_sample_ships_with_the_package() -> None:
    assert SAMPLE.is_file()
    assert "Kính gửi" in SAMPLE.read_text(encoding="utf-8")


def test_the_shared_corpora_are_present() -> None:
    for part in ("vbpl/labels-dev.jsonl", "congvan/labels-dev.jsonl", "vbpl-docx", "vbpl-pdf"):
        assert need_corpus(*part.split("/")).exists()
