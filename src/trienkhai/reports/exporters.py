"""Report exporters found by name: a new format is one new class registered here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Protocol

from sqlalchemy.orm import Session

from trienkhai.reports import docx, pdf, xlsx
from trienkhai.reports.context import ReportOptions


@dataclass(frozen=True)
class Request:
    """What to export: a campaign, optionally one unit's report, with the office's options."""

    campaign_id: int
    unit_code: str | None = None
    options: ReportOptions | None = None
    today: date | None = None


class Exporter(Protocol):
    """Turns a request into file bytes."""

    name: str
    media_type: str
    scopes: frozenset[str]  # "campaign", "unit"

    def export(self, *, session: Session, request: Request) -> bytes:
        """The file's bytes."""
        ...


class DocxExporter:
    """Decree-30 báo cáo (campaign) or a unit's own report, as Word."""

    name = "docx"
    media_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    scopes = frozenset({"campaign", "unit"})

    def export(self, *, session: Session, request: Request) -> bytes:
        """Render the template."""
        if request.unit_code:
            return docx.unit_docx(
                session=session,
                campaign_id=request.campaign_id,
                unit_code=request.unit_code,
                options=request.options,
                today=request.today,
            )
        return docx.campaign_docx(
            session=session,
            campaign_id=request.campaign_id,
            options=request.options,
            today=request.today,
        )


class XlsxExporter:
    """Annexes workbook of a campaign."""

    name = "xlsx"
    media_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    scopes = frozenset({"campaign"})

    def export(self, *, session: Session, request: Request) -> bytes:
        """Write the three sheets."""
        return xlsx.campaign_xlsx(
            session=session, campaign_id=request.campaign_id, today=request.today
        )


class PdfExporter:
    """The Word report converted by LibreOffice."""

    name = "pdf"
    media_type = "application/pdf"
    scopes = frozenset({"campaign", "unit"})

    def export(self, *, session: Session, request: Request) -> bytes:
        """Render as Word, then convert."""
        pdf.soffice_program()  # fail before rendering when LibreOffice is missing
        return pdf.docx_to_pdf(DocxExporter().export(session=session, request=request))


EXPORTERS: dict[str, Exporter] = {
    e.name: e for e in (DocxExporter(), XlsxExporter(), PdfExporter())
}


def get_exporter(name: str, scope: str = "campaign") -> Exporter:
    """The exporter for a format and scope, or ValueError listing the ones there are."""
    exporter = EXPORTERS.get(name)
    if exporter is None or scope not in exporter.scopes:
        names = ", ".join(n for n, e in EXPORTERS.items() if scope in e.scopes)
        raise ValueError(f"Định dạng không hỗ trợ: {name!r} (có: {names})")
    return exporter
