"""The structured record of a directive: label-schema fields and extracted content."""

from __future__ import annotations

from pydantic import BaseModel, Field


class Citation(BaseModel):
    """A numbered document cited in a footnote (or the body)."""

    footnote: str | None = None
    type: str | None = None
    number_symbol: str | None = None
    date: str | None = None  # ISO yyyy-mm-dd
    issuer: str | None = None
    text: str


class PageConfidence(BaseModel):
    """One OCR'd page (numbered from 1) and tesseract's mean word confidence on it (0-100)."""

    page: int
    confidence: float | None = None


class Footnote(BaseModel):
    """A footnote: its marker as printed and its text."""

    marker: str
    text: str


class Section(BaseModel):
    """A heading of the body with its level (I. = 1, 1. = 2, a) = 3, - = 4) and its text."""

    label: str
    title: str
    level: int
    line: int | None = None
    children: list[Section] = Field(default_factory=list)


class Theme(BaseModel):
    """A campaign theme from section I: T1..Tn."""

    code: str
    text: str
    keywords: list[str] = Field(default_factory=list)


class Assignment(BaseModel):
    """A task item of section II for a recipient group or a named unit."""

    label: str | None = None
    group: str
    units: list[str] = Field(default_factory=list)
    # Who leads ("chủ trì") and who supports ("phối hợp"); `units` stays the heading's units.
    lead: list[str] = Field(default_factory=list)
    support: list[str] = Field(default_factory=list)
    task: str  # the full text, each sub-item on its own line, indented as it nests
    channels: list[str] = Field(default_factory=list)
    forms: list[str] = Field(default_factory=list)
    deadlines: list[str] = Field(default_factory=list)  # ISO dates or phrases as printed
    children: list[Assignment] = Field(default_factory=list)


class Mark(BaseModel):
    """An urgency, secrecy or circulation mark (Decree 30, Art. 8.3)."""

    kind: str  # "urgency" | "secrecy" | "circulation"
    text: str


class DocumentRecord(BaseModel):
    """Everything the reader extracted; a field the document lacks is null or empty, not a guess."""

    source: str | None = None
    doc_type: str | None = None
    type_abbr: str | None = None
    number: str | None = None
    symbol: str | None = None
    number_symbol: str | None = None
    issued_date: str | None = None
    place: str | None = None
    issuer: str | None = None
    parent_issuer: str | None = None
    subject: str | None = None
    signer_name: str | None = None
    signer_title: str | None = None
    signer_authority: str | None = None
    signer_on_behalf: str | None = None
    recipients: list[str] = Field(default_factory=list)
    recipients_cc: list[str] = Field(default_factory=list)
    noi_nhan: list[str] = Field(default_factory=list)  # as printed, "Lưu: …" included
    # The Nơi nhận items that receive the document: no "Lưu: …", no copy count ("08 KH").
    noi_nhan_recipients: list[str] = Field(default_factory=list)
    marks: list[Mark] = Field(default_factory=list)
    sections: list[str] = Field(default_factory=list)
    section_count: int = 0
    outline: list[Section] = Field(default_factory=list)
    footnotes: list[Footnote] = Field(default_factory=list)
    # The OCR'd pages of a scan with tesseract's confidence (the review page flags low ones).
    page_confidence: list[PageConfidence] = Field(default_factory=list)
    footnote_citations: list[Citation] = Field(default_factory=list)
    # The documents of the "Căn cứ …" preamble.
    basis_citations: list[Citation] = Field(default_factory=list)
    themes: list[Theme] = Field(default_factory=list)
    assignments: list[Assignment] = Field(default_factory=list)
    assignment_units: list[str] = Field(default_factory=list)
    attachments: list[str] = Field(default_factory=list)
    references: list[str] = Field(default_factory=list)
    deadlines: list[str] = Field(default_factory=list)
    body: str = ""
    text: str = ""
    warnings: list[str] = Field(default_factory=list)


class ReadResult(BaseModel):
    """What a reader returns: NFC text lines plus any footnotes the format carries separately."""

    text: str
    footnotes: list[Footnote] = Field(default_factory=list)
    reader: str
    ocr: bool = False
    # Every OCR'd page with its confidence; empty for a text layer.
    page_confidence: list[PageConfidence] = Field(default_factory=list)
