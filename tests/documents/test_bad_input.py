"""Bad input: one clear stderr line naming the file and the reason, exit 2, never a traceback."""

from __future__ import annotations

import os
import shutil
import subprocess
import zipfile
from pathlib import Path

import pypdf
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.corpus import need_corpus
from tests.documents.doc_builders import SAMPLE
from tests.documents.test_cli import run
from trienkhai.documents.parser import parse_text
from trienkhai.documents.readers.base import ReadError
from trienkhai.documents.readers.registry import read_file
from trienkhai.documents.schemas import DocumentRecord


def _empty(path: Path) -> Path:
    path.write_bytes(b"")
    return path


def _garbage(path: Path) -> Path:
    path.write_bytes(bytes(range(256)) * 64 + b"\x00\x01\x02" * 100)
    return path


def _not_a_zip(path: Path) -> Path:
    path.write_text("Đây không phải tệp Word", encoding="utf-8")
    return path


def _zip_bomb(path: Path) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", "<w:document/>")
        with archive.open("word/media/zeros.bin", "w") as fh:
            for _ in range(64):
                fh.write(bytes(1024 * 1024))
    return path


def _no_document_part(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("word/styles.xml", "<styles/>")
    return path


def _encrypted_pdf(path: Path) -> Path:
    writer = pypdf.PdfWriter(clone_from=str(need_corpus("vbpl-pdf", "vbpl-0006.pdf")))
    writer.encrypt(user_password="mat-khau", owner_password="chu-so-huu")
    writer.write(str(path))
    return path


def _huge(path: Path) -> Path:
    with path.open("wb") as fh:
        fh.truncate(200 * 1024 * 1024)  # sparse: no disk used
    return path


BAD_FILES = [
    ("empty.txt", _empty, "empty file"),
    ("garbage.txt", _garbage, "binary"),
    ("not-a-zip.docx", _not_a_zip, "not a zip"),
    ("bomb.docx", _zip_bomb, "zip bomb"),
    ("no-body.docx", _no_document_part, "word/document.xml"),
    ("locked.pdf", _encrypted_pdf, "encrypted PDF"),
    ("huge.txt", _huge, "file too large"),
    ("nowhere.txt", lambda p: p, "file not found"),
    ("table.xyz", lambda p: (p.write_text("x"), p)[1], "unsupported format"),
]


@pytest.mark.slow
@pytest.mark.parametrize(("name", "make", "reason"), BAD_FILES)
def test_bad_file_gives_one_line_and_exit_2(tmp_path: Path, name: str, make, reason: str) -> None:  # type: ignore[no-untyped-def]
    path = make(tmp_path / name)
    for command in ("parse", "check"):
        done = run(command, str(path))
        assert done.returncode == 2, (command, done.stderr)
        assert "Traceback" not in done.stderr
        lines = done.stderr.strip().splitlines()
        assert len(lines) == 1, lines
        assert lines[0].startswith(f"{path}: ")
        assert reason in lines[0]


@pytest.mark.parametrize(("name", "make", "reason"), BAD_FILES)
def test_bad_file_raises_a_one_line_read_error(
    tmp_path: Path, name: str, make, reason: str
) -> None:  # type: ignore[no-untyped-def]
    path = make(tmp_path / name)
    with pytest.raises(ReadError) as caught:
        read_file(path)
    assert caught.value.path == str(path)
    assert reason in caught.value.reason
    assert "\n" not in str(caught.value)


@pytest.mark.slow
def test_a_bad_file_does_not_stop_the_good_ones(tmp_path: Path) -> None:
    bad = _empty(tmp_path / "empty.txt")
    done = run("parse", str(bad), str(SAMPLE))
    assert done.returncode == 2
    assert len(done.stdout.splitlines()) == 1


@pytest.mark.slow
def test_no_header_parses_to_nulls_with_a_warning_and_check_lists_missing_parts(
    tmp_path: Path,
) -> None:
    path = tmp_path / "no-header.txt"
    path.write_text("Ghi chú họp giao ban.\nCác đơn vị báo cáo trước thứ Sáu.\n", encoding="utf-8")
    done = run("parse", str(path))
    assert done.returncode == 0
    assert '"number_symbol": null' in done.stdout
    assert "no Decree-30 header found" in done.stderr
    checked = run("check", str(path))
    assert checked.returncode == 1
    for rule in ("ND30-NUMBER-MISSING", "ND30-DATE-MISSING", "ND30-QUOC-HIEU-MISSING"):
        assert rule in checked.stdout


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice not installed")
def test_missing_program_is_named_not_traced(tmp_path: Path) -> None:
    path = tmp_path / "old.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512)
    env = {**os.environ, "TRIENKHAI_SOFFICE_PATH": "no-such-soffice"}
    done = subprocess.run(
        [str(run.__globals__["TRIENKHAI"]), "parse", str(path)],
        capture_output=True, text=True, env=env, timeout=60, check=False,
    )  # fmt: skip
    assert done.returncode == 2
    assert "no-such-soffice" in done.stderr
    assert "Traceback" not in done.stderr


_VIET = "aăâbcdđeêghiklmnoôơpqrstuưvxyàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ"
_PIECES = st.sampled_from(
    ["Số: ", "/", "ngày ", " tháng ", " năm ", "Nơi nhận:", "- Lưu: VT", "KT. ", "Kính gửi:",
     "V/v ", "I. ", "1. ", "a) ", "¹", "²", "[1]", "**", "|", "\n", "\n\n", " ", "CỘNG HÒA",
     "Kế hoạch số 12/KH-UBND ngày 32/13/2024", "TM. ỦY BAN NHÂN DÂN", "Độc lập - Tự do"]
)  # fmt: skip
_TEXT = st.lists(
    st.one_of(_PIECES, st.text(alphabet=_VIET + _VIET.upper() + "0123456789 .,;:-()", max_size=20)),
    max_size=60,
).map("".join)


@settings(max_examples=150, deadline=None)
@given(_TEXT)
def test_parse_text_never_raises(text: str) -> None:
    record = parse_text(text)
    assert isinstance(record, DocumentRecord)
