"""Human-readable and JSON rendering of a parsed record and of checker findings."""

from __future__ import annotations

import json

from trienkhai.documents.checker import Finding
from trienkhai.documents.schemas import DocumentRecord

# The big fields stay out of the one-line JSON; `trienkhai parse` is for fields, not text.
JSON_EXCLUDE = {"text", "body"}

_FIELDS = [
    ("Cơ quan chủ quản", "parent_issuer"),
    ("Cơ quan ban hành", "issuer"),
    ("Số, ký hiệu", "number_symbol"),
    ("Địa danh", "place"),
    ("Ngày ban hành", "issued_date"),
    ("Loại văn bản", "doc_type"),
    ("Trích yếu", "subject"),
    ("Thẩm quyền ký", "signer_authority"),
    ("Ký thay cho", "signer_on_behalf"),
    ("Chức vụ người ký", "signer_title"),
    ("Người ký", "signer_name"),
]


def record_json(record: DocumentRecord) -> str:
    """The record as one JSON line without its full text."""
    return json.dumps(record.model_dump(exclude=JSON_EXCLUDE), ensure_ascii=False)


def _list(title: str, items: list[str]) -> list[str]:
    """A titled bullet list."""
    return [f"{title}:", *(f"  - {item}" for item in items)]


def render_text(record: DocumentRecord) -> str:
    """A plain-text summary of the record for the terminal."""
    out = [f"== {record.source or '(văn bản)'}"]
    for label, name in _FIELDS:
        value = getattr(record, name)
        out.append(f"{label}: {value if value is not None else '—'}")
    out += _list("Kính gửi", record.recipients)
    out += _list("Nơi nhận", record.noi_nhan)
    out += _list("Mục", record.sections)
    out.append("Chủ đề:")
    out.extend(f"  {t.code}. {t.text[:120]}" for t in record.themes)
    out.append("Nhiệm vụ:")
    out.extend(f"  {a.label or '-'} {a.group}" for a in record.assignments)
    out.append("Văn bản được dẫn chiếu:")
    out.extend(
        f"  [{c.footnote}] {c.type} {c.number_symbol} {c.date}" for c in record.footnote_citations
    )
    if record.warnings:
        out += _list("Cảnh báo", record.warnings)
    return "\n".join(out)


def finding_line(path: str, finding: Finding, line: int | None, *, english: bool = False) -> str:
    """One finding as "FILE:LINE: severity RULE message" (no LINE when unknown)."""
    where = f"{path}:{line}:" if line else f"{path}:"
    message = finding.message_en if english else finding.message
    return f"{where} {finding.severity} {finding.rule} {message}"
