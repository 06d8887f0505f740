"""The shared zip check: sizes and ratios read from the directory, before anything unpacks."""

from __future__ import annotations

import io
import zipfile

import pytest

from trienkhai import zipcheck


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buf.getvalue()


def test_an_ordinary_archive_passes() -> None:
    zipcheck.check_zip(_zip({"a.xml": b"<a>" + b"x" * 5000 + b"</a>"}))


def test_one_member_packed_too_tightly_is_refused_by_name() -> None:
    with pytest.raises(zipcheck.ZipCheckError, match=r"zip bomb.*'zeros\.bin'"):
        zipcheck.check_zip(_zip({"zeros.bin": bytes(4 * 1024 * 1024)}))


def test_a_total_above_the_limit_is_refused() -> None:
    members = {f"p{i}.bin": bytes(512 * 1024) for i in range(8)}
    with pytest.raises(zipcheck.ZipCheckError, match="zip bomb suspected: 4 MB"):
        zipcheck.check_zip(_zip(members), max_unpacked=2 * 1024 * 1024)


@pytest.mark.parametrize("content", [b"", b"Tieu de,Kenh\n", b"PK\x03\x04broken"])
def test_not_a_zip_or_a_broken_one_is_a_one_line_error(content: bytes) -> None:
    with pytest.raises(zipcheck.ZipCheckError) as caught:
        zipcheck.check_zip(content)
    assert "\n" not in str(caught.value)
    assert "zip" in str(caught.value)
