"""Uploaded names are cut to their last part and cleaned; served types come from an allow-list."""

from __future__ import annotations

import pytest

from trienkhai.filenames import download_headers, media_type_for, safe_filename


@pytest.mark.parametrize(
    ("sent", "kept"),
    [
        ("..\\..\\evil.html", "evil.html"),
        ("/etc/passwd", "passwd"),
        ("C:\\Users\\a\\Kế hoạch.docx", "Kế hoạch.docx"),
        ("..", "tep"),
        ("", "tep"),
        ("a\r\nSet-Cookie: x.pdf", "aSet-Cookie: x.pdf"),
        ("\u202eexe.pdf", "exe.pdf"),
        ("Ke\u0302\u0301 hoa\u0323ch.pdf", "Kế hoạch.pdf"),  # NFC
    ],
)
def test_safe_filename(sent: str, kept: str) -> None:
    assert safe_filename(sent) == kept


def test_long_name_keeps_its_extension() -> None:
    name = safe_filename("a" * 400 + ".docx")
    assert len(name) == 255 and name.endswith(".docx")


@pytest.mark.parametrize(
    ("name", "media_type"),
    [
        ("x.html", "application/octet-stream"),
        ("x.svg", "application/octet-stream"),
        ("x.js", "application/octet-stream"),
        ("x", "application/octet-stream"),
        ("X.PDF", "application/pdf"),
        ("x.txt", "text/plain; charset=utf-8"),
    ],
)
def test_media_type_from_allow_list(name: str, media_type: str) -> None:
    assert media_type_for(name) == media_type


def test_download_headers_quote_the_name_and_forbid_sniffing() -> None:
    headers = download_headers('bao "cao".txt')
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Content-Disposition"].startswith('attachment; filename="bao cao.txt"')
    assert "filename*=UTF-8''bao%20%22cao%22.txt" in headers["Content-Disposition"]
