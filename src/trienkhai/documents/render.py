"""Human-readable rendering of a parsed record."""

from __future__ import annotations

from trienkhai.documents.schemas import DocumentRecord

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


def render_text(record: DocumentRecord) -> str:
    """A plain-text summary of the record for the terminal."""
    out = [f"== {record.source or '(văn bản)'}"]
    for label, name in _FIELDS:
        value = getattr(record, name)
        out.append(f"{label}: {value if value is not None else '—'}")
    for label, items in (("Kính gửi", record.recipients), ("Nơi nhận", record.noi_nhan)):
        out.append(f"{label}:")
        out.extend(f"  - {item}" for item in items)
    out.append("Chủ đề:")
    out.extend(f"  {t.code}. {t.text[:120]}" for t in record.themes)
    out.append("Nhiệm vụ:")
    out.extend(f"  {a.label or '-'} {a.group}" for a in record.assignments)
    out.append("Văn bản được dẫn chiếu:")
    out.extend(f"  [{c.footnote}] {c.type} {c.number_symbol} {c.date}" for c in record.footnote_citations)
    return "\n".join(out)
