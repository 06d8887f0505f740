"""The review form of a directive: the record's fields in, the corrected record out."""

from __future__ import annotations

from starlette.datastructures import FormData

from trienkhai.documents.schemas import Assignment, Citation, DocumentRecord, Theme

SCALARS = (
    "doc_type",
    "number_symbol",
    "issued_date",
    "place",
    "issuer",
    "parent_issuer",
    "subject",
    "signer_authority",
    "signer_on_behalf",
    "signer_title",
    "signer_name",
)
LISTS = ("recipients", "noi_nhan", "attachments", "references")
HEADER = ("doc_type", "number_symbol", "issued_date", "place", "issuer", "parent_issuer", "subject")
SIGNER = ("signer_authority", "signer_on_behalf", "signer_title", "signer_name")


def _text(form: FormData, name: str) -> str:
    """A form field as stripped text ('' when absent or a file)."""
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""


def _lines(form: FormData, name: str) -> list[str]:
    """A textarea as its non-empty lines."""
    return [line.strip() for line in _text(form, name).splitlines() if line.strip()]


def _rows(form: FormData, prefix: str) -> list[int]:
    """The row indexes present in the form for a repeated block (prefix-<i>-field)."""
    seen = {
        int(key.split("-")[1])
        for key in form
        if key.startswith(prefix + "-") and key.split("-")[1].isdigit()
    }
    return sorted(seen)


def _themes(form: FormData) -> list[Theme]:
    """Themes T1..Tn from the form, renumbered in order; empty rows dropped."""
    texts = [_text(form, f"theme-{i}-text") for i in _rows(form, "theme")]
    return [Theme(code=f"T{n}", text=text) for n, text in enumerate(filter(None, texts), start=1)]


def _assignments(form: FormData, base: list[Assignment]) -> list[Assignment]:
    """Assignments from the form (group, units, task, channels); empty rows dropped."""
    items = []
    for i in _rows(form, "asg"):
        group, task = _text(form, f"asg-{i}-group"), _text(form, f"asg-{i}-task")
        if not group and not task:
            continue
        old = base[i] if i < len(base) else Assignment(group=group, task=task)
        items.append(
            old.model_copy(
                update={
                    "group": group,
                    "task": task,
                    "units": _lines(form, f"asg-{i}-units"),
                    "channels": _lines(form, f"asg-{i}-channels"),
                }
            )
        )
    return items


def _citations(form: FormData, base: list[Citation]) -> list[Citation]:
    """Citations from the form (number, date, issuer); rows with no number and text dropped."""
    items = []
    for i in _rows(form, "cit"):
        number, text = _text(form, f"cit-{i}-number_symbol"), _text(form, f"cit-{i}-text")
        if not number and not text:
            continue
        old = base[i] if i < len(base) else Citation(text=text)
        update = {
            "number_symbol": number or None,
            "date": _text(form, f"cit-{i}-date") or None,
            "issuer": _text(form, f"cit-{i}-issuer") or None,
            "text": text or number,
        }
        items.append(old.model_copy(update=update))
    return items


def record_from_form(base: DocumentRecord, form: FormData) -> DocumentRecord:
    """The base record with every field the form carries replaced by the coordinator's value."""
    update: dict[str, object] = {name: _text(form, name) or None for name in SCALARS}
    update.update({name: _lines(form, name) for name in LISTS})
    update["themes"] = _themes(form)
    update["assignments"] = _assignments(form, base.assignments)
    update["footnote_citations"] = _citations(form, base.footnote_citations)
    return base.model_copy(update=update)


def changed_fields(before: DocumentRecord, after: DocumentRecord) -> list[str]:
    """Names of the fields the coordinator changed (for the audit log)."""
    names = (*SCALARS, *LISTS, "themes", "assignments", "footnote_citations")
    return [n for n in names if getattr(before, n) != getattr(after, n)]
