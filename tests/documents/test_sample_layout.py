"""The sample directive's header, addressees, Nơi nhận and signer (the issue's acceptance case)."""

from __future__ import annotations

from pathlib import Path

import pytest

from trienkhai.documents.layout import parse_layout
from trienkhai.documents.lines import prepare
from trienkhai.documents.parser import parse_text
from trienkhai.documents.schemas import DocumentRecord


@pytest.fixture(scope="module")
def record(sample_path: Path) -> DocumentRecord:
    """The parsed sample directive."""
    return parse_text(sample_path.read_text(encoding="utf-8"))


def test_header(record: DocumentRecord) -> None:
    assert (record.doc_type, record.type_abbr) == ("Công văn", None)
    # A draft's blank number: number is null, number_symbol keeps the printed "/symbol".
    assert (record.number, record.symbol) == (None, "STTTT-TTBCXB")
    assert record.number_symbol == "/STTTT-TTBCXB"
    assert (record.issued_date, record.place) == (None, "Kon Tum")
    assert record.issuer == "SỞ THÔNG TIN VÀ TRUYỀN THÔNG"
    assert record.parent_issuer == "UBND TỈNH KON TUM"
    assert record.marks == []


def test_subject_drops_vv_and_final_period(record: DocumentRecord) -> None:
    assert (
        record.subject
        == "đẩy mạnh tuyên truyền, đấu tranh phản bác về Nhân quyền trên địa bàn tỉnh"
    )


def test_recipients(record: DocumentRecord) -> None:
    assert record.recipients == [
        "Các Sở, ban, ngành thuộc tỉnh",
        "Ủy ban nhân dân các huyện, thành phố",
        "Các cơ quan báo chí tỉnh",
        "Các cơ quan báo chí thường trú tại địa phương",
        "Công thông tin điện tử tỉnh",
    ]
    assert record.recipients_cc == []


def test_noi_nhan(record: DocumentRecord) -> None:
    assert len(record.noi_nhan) == 5
    assert record.noi_nhan[0] == "Như trên"
    assert record.noi_nhan[-1] == "Lưu: VT, TTBCXB"


def test_signer_ignores_markdown_and_trailing_footnote(record: DocumentRecord) -> None:
    assert (record.signer_authority, record.signer_on_behalf) == ("KT.", "GIÁM ĐỐC")
    assert record.signer_title == "PHÓ GIÁM ĐỐC"
    assert record.signer_name == "Mai Thoan"


def test_body_excludes_header_and_signature(record: DocumentRecord, sample_path: Path) -> None:
    lines = prepare(sample_path.read_text(encoding="utf-8")).lines
    layout = parse_layout(lines, DocumentRecord())
    body = lines[layout.body_start : layout.body_end]
    assert body[0].startswith("Nhằm tăng cường")
    assert not any(line.startswith(("Nơi nhận", "KT.", "Kính gửi")) for line in body)
