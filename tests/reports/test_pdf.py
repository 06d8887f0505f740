"""PDF through LibreOffice, then a page image through pdftoppm (both real programs)."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date
from pathlib import Path

import pypdfium2
import pytest
from sqlalchemy import update
from sqlalchemy.orm import Session

from tests.factories import realistic_campaign
from trienkhai.outputs.models import Output
from trienkhai.reports import docx as report_docx
from trienkhai.reports import pdf
from trienkhai.reports.context import ReportOptions

TODAY = date(2024, 8, 20)


def test_missing_soffice_names_the_program() -> None:
    with pytest.raises(pdf.ConverterMissingError, match="no-such-soffice"):
        pdf.soffice_program("no-such-soffice")


@pytest.mark.slow
def test_docx_to_pdf_to_png(session: Session, tmp_path: Path) -> None:
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice (soffice) is not installed; CI installs libreoffice-writer")
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm is not installed; CI installs poppler-utils")
    campaign = realistic_campaign(session, today=TODAY)
    data = report_docx.campaign_docx(session=session, campaign_id=campaign.id, today=TODAY)
    out = pdf.docx_to_pdf(data)
    assert out.startswith(b"%PDF")
    (tmp_path / "r.pdf").write_bytes(out)
    # Issue 8: the PDF's author was "python-docx"; it names the issuer now.
    info = subprocess.run(
        ["pdfinfo", str(tmp_path / "r.pdf")], capture_output=True, text=True, check=True
    ).stdout
    assert "Author:          SỞ THÔNG TIN VÀ TRUYỀN THÔNG" in info
    assert "python-docx" not in info
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "80",
            "-f",
            "1",
            "-l",
            "1",
            str(tmp_path / "r.pdf"),
            str(tmp_path / "p"),
        ],
        check=True,
        timeout=60,
    )
    pages = list(tmp_path.glob("p*.png"))
    assert len(pages) == 1 and pages[0].stat().st_size > 10_000
    text = subprocess.run(
        ["pdftotext", "-l", "1", str(tmp_path / "r.pdf"), "-"],
        capture_output=True,
        check=True,
        timeout=60,
    ).stdout.decode("utf-8")
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "BÁO CÁO" in text


@pytest.mark.slow
def test_unit_report_fits_one_page(session: Session) -> None:
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice (soffice) is not installed; CI installs libreoffice-writer")
    campaign = realistic_campaign(session, today=TODAY)
    # Typical titles (the demo's median is 55 characters): two lines in the title column.
    session.execute(
        update(Output)
        .where(Output.campaign_id == campaign.id)
        .values(title="Phóng sự: Việt Nam hoàn thành Phiên bảo vệ Báo cáo UPR chu kỳ IV")
    )
    options = ReportOptions(noi_nhan=["Sở Thông tin và Truyền thông", "Lãnh đạo đơn vị"])
    data = report_docx.unit_docx(
        session=session, campaign_id=campaign.id, unit_code="RP01", today=TODAY, options=options
    )
    out = pdf.docx_to_pdf(data)
    assert len(pypdfium2.PdfDocument(out)) == 1
