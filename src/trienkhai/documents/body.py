"""Body: sections, citations, themes, assignments, attachments and references."""

from __future__ import annotations

import re
from collections.abc import Mapping

from trienkhai.documents.assignments import (
    assignment_units,
    assignments,
    letter_assignments,
    section_assigns,
    unit_of,
)
from trienkhai.documents.citations import basis_citations, footnote_citations
from trienkhai.documents.content import (
    content_heading,
    content_lines,
    nested_content,
    section_lines,
    split_content,
    themes,
)
from trienkhai.documents.schemas import DocumentRecord, Footnote
from trienkhai.documents.sections import Heading, outline, roman_headings

# The title line of a plan that a quyết định issues ("KẾ HOẠCH" alone, in capitals).
_PLAN_TITLE = re.compile(r"^(KẾ HOẠCH|CHƯƠNG TRÌNH|PHƯƠNG ÁN|ĐỀ ÁN)\b")
_APPENDIX = re.compile(r"^(PHỤ LỤC|Phụ lục)\b")
_ARTICLE = re.compile(r"^Điều\s+\d{1,3}\s*[.:]")
_TASK_TITLE = re.compile(r"TỔ CHỨC THỰC HIỆN|NHIỆM VỤ|PHÂN CÔNG|TRÁCH NHIỆM", re.IGNORECASE)


def _normative(lines: list[str], headings: list[Heading]) -> bool:
    """True for an article-structured legal text without a task section (no campaign tasks)."""
    if any(_TASK_TITLE.search(h.title) for h in headings):
        return False
    return sum(1 for line in lines if _ARTICLE.match(line)) >= 3


def _tail_after(body: list[str], all_lines: list[str]) -> list[str]:
    """The lines after the body span (where a quyết định prints the plan it issues)."""
    if not body:
        return []
    size = len(body)
    for k in range(len(all_lines) - size + 1):
        if all_lines[k] == body[0] and all_lines[k + size - 1] == body[-1]:
            return all_lines[k + size :]
    return []


def _issued_plan(body: list[str], record: DocumentRecord) -> list[str]:
    """The attached plan's lines when the body issues one and has no sections of its own."""
    tail = _tail_after(body, record.text.split("\n"))
    start = next((i for i, line in enumerate(tail) if _PLAN_TITLE.match(line)), None)
    if start is None:
        return []
    end = next((i for i in range(start + 1, len(tail)) if _APPENDIX.match(tail[i])), len(tail))
    return tail[start:end]


def main_text(body: list[str], record: DocumentRecord) -> list[str]:
    """The lines that carry the directive: the body, or the plan a quyết định issues."""
    if roman_headings(body):
        return body
    issues_plan = any("Ban hành kèm theo" in line for line in body[:80])
    if issues_plan or (record.doc_type or "").casefold() == "quyết định":
        plan = _issued_plan(body, record)
        if roman_headings(plan):
            return plan
    return body


_POINT = re.compile(r"^\d{1,2}\s*[.)]\s+\S")


def messaging_points(lines: list[str]) -> list[str]:
    """A letter's numbered points when none assigns a unit: the messages it asks to carry."""
    starts = [i for i, line in enumerate(lines) if _POINT.match(line)]
    if len(starts) < 2 or any(unit_of(re.sub(r"^\d{1,2}\s*[.)]\s*", "", lines[i])) for i in starts):
        return []
    end = len(lines)
    # The closing paragraph after the last point ("Bộ Nội vụ trân trọng cảm ơn …") is no point.
    for i in range(starts[-1] + 1, len(lines)):
        if lines[i - 1].endswith((".", ";")) and not lines[i][:1].islower() and _closing(lines[i]):
            end = i
            break
    return lines[starts[0] : end]


def _closing(line: str) -> bool:
    """True for the letter's closing sentence after its points."""
    return bool(
        re.match(r"^(?:Trên đây|[A-ZĐ][^,]{0,60}\s(?:trân trọng|đề nghị|kính đề nghị))", line)
    )


def _fill_sections(lines: list[str], record: DocumentRecord) -> list[Heading]:
    """Set sections, section_count and outline; return the headings."""
    headings = roman_headings(lines)
    record.sections = [h.text for h in headings]
    record.section_count = len(headings)
    record.outline = outline(lines)
    return headings


def _assigns_tasks(lines: list[str], headings: list[Heading], index: int) -> bool:
    """True when a section's items are headed by units: a task section, whatever its title."""
    end = headings[index + 1].line if index + 1 < len(headings) else len(lines)
    return section_assigns(lines, headings[index], end)


def _fill_content(lines: list[str], headings: list[Heading], record: DocumentRecord) -> None:
    """Set themes, attachments and references from the content section (a letter: its points)."""
    index = content_heading(headings)
    if index is not None and _assigns_tasks(lines, headings, index):
        index = None  # "II. NỘI DUNG THỰC HIỆN" listing each unit's tasks holds no themes
    if index is not None:
        part = content_lines(section_lines(lines, headings, index))
    else:
        part = nested_content(lines, headings)
    if not part and not headings and record.doc_type == "Công văn":
        part = messaging_points(lines)
    if not part:
        return
    content = split_content(part)
    record.themes = themes(content.items)
    record.attachments = content.attachments
    record.references = content.references


def _fill_tasks(
    lines: list[str],
    headings: list[Heading],
    record: DocumentRecord,
    strong: Mapping[str, str] | None,
) -> None:
    """Set assignments, assignment_units and every deadline they state."""
    if _normative(lines, headings):
        return
    record.assignments = assignments(lines, headings)
    if not record.assignments and not headings:
        record.assignments = letter_assignments(lines, record.issuer)
    record.assignment_units = assignment_units(lines, headings, strong=strong)
    found = [d for a in record.assignments for d in a.deadlines]
    found += [d for a in record.assignments for c in a.children for d in c.deadlines]
    record.deadlines = list(dict.fromkeys(found))


def parse_body(
    lines: list[str],
    footnotes: list[Footnote],
    record: DocumentRecord,
    *,
    strong: Mapping[str, str] | None = None,
) -> None:
    """Fill the body fields of the record from the body lines (`strong`: those printed bold)."""
    record.body = "\n".join(lines)
    try:
        record.footnote_citations = footnote_citations(footnotes)
        record.basis_citations = basis_citations(lines)
    except Exception:  # a record without citations beats no record
        record.warnings.append("footnote citations could not be read")
    try:
        text = main_text(lines, record)
        headings = _fill_sections(text, record)
        _fill_content(text, headings, record)
        _fill_tasks(text, headings, record, strong)
    except Exception:  # keep the header fields even when the body defeats us
        record.warnings.append("body structure could not be read")
