"""The issue's acceptance record of the sample directive, from .txt, .docx and .pdf alike."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.documents.doc_builders import SAMPLE, make_sample_docx, soffice_convert
from trienkhai.documents.parser import parse_file
from trienkhai.documents.schemas import DocumentRecord

CITED = ["07/CV-VPTT", "1297/KH-UBND", "1079/QĐ-TTg", "439/TTĐN-NVĐP", "03/2019/TT-BTTTT"]


@pytest.fixture(scope="module")
def sample_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The sample as text, as a Word letter, and as a PDF LibreOffice made from that letter."""
    folder = tmp_path_factory.mktemp("formats")
    docx = make_sample_docx(folder / "cong-van.docx")
    return {"txt": SAMPLE, "docx": docx, "pdf": soffice_convert(docx, "pdf", folder)}


def assert_acceptance(record: DocumentRecord) -> None:
    """Every value the issue lists for the sample."""
    assert record.doc_type == "Công văn"
    assert record.type_abbr is None
    assert record.number is None
    assert record.symbol == "STTTT-TTBCXB"
    assert record.issued_date is None
    assert record.place == "Kon Tum"
    assert record.issuer == "SỞ THÔNG TIN VÀ TRUYỀN THÔNG"
    assert record.parent_issuer == "UBND TỈNH KON TUM"
    assert record.subject == (
        "đẩy mạnh tuyên truyền, đấu tranh phản bác về Nhân quyền trên địa bàn tỉnh"
    )
    assert len(record.recipients) == 5
    assert len(record.noi_nhan) == 5
    assert record.noi_nhan[-1] == "Lưu: VT, TTBCXB"
    assert (record.signer_authority, record.signer_on_behalf) == ("KT.", "GIÁM ĐỐC")
    assert (record.signer_title, record.signer_name) == ("PHÓ GIÁM ĐỐC", "Mai Thoan")
    assert [t.code for t in record.themes] == ["T1", "T2", "T3", "T4"]
    assert [a.label for a in record.assignments] == ["1.", "2.", "3."]
    radio = record.assignments[0].children
    assert radio and "Đài Phát thanh" in radio[0].group
    assert sorted(c.number_symbol or "" for c in record.footnote_citations) == sorted(CITED)
    assert len(record.attachments) == 2


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["txt", "docx", "pdf"])
def test_sample_acceptance_in_every_format(sample_files: dict[str, Path], kind: str) -> None:
    assert_acceptance(parse_file(sample_files[kind]))
