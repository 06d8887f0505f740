"""Decree-30 layout: header, recipients, signer block and Nơi nhận."""

from __future__ import annotations

import re
from dataclasses import dataclass

from trienkhai.documents import grammar
from trienkhai.documents import header as hd
from trienkhai.documents.recipients import read_addressees
from trienkhai.documents.schemas import DocumentRecord
from trienkhai.documents.signature import (
    distribution,
    find_noi_nhan,
    find_signer,
    read_noi_nhan,
)

_PASSED = re.compile(
    r"thông qua(?:[^.;]{0,160}?)\s+ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})",
    re.IGNORECASE,
)
# Heads that sit under a parent body in the header ("UBND TỈNH X" over "SỞ …").
_UNIT_HEADS = re.compile(
    r"^(SỞ|CỤC|CHI CỤC|TỔNG CỤC|THUẾ (TỈNH|THÀNH PHỐ|TP)|BAN|VĂN PHÒNG|PHÒNG|TRUNG TÂM|VỤ|"
    r"VIỆN|TRƯỜNG|BỆNH VIỆN|ĐÀI|BÁO|BỘ CHỈ HUY|BỘ ĐỘI|CÔNG AN|KHO BẠC|HẢI QUAN|CHI NHÁNH)\b",
)
_UNIT_PARENTS = re.compile(r"^(UBND|ỦY BAN|UỶ BAN|BỘ|CỤC|TỔNG CỤC|TỈNH|THÀNH PHỐ|HUYỆN)\b")


@dataclass(frozen=True)
class Layout:
    """Where the body of the main document starts and ends in the lines."""

    body_start: int
    body_end: int


def parse_layout(lines: list[str], record: DocumentRecord) -> Layout:
    """Fill the header, recipient and signature fields of the record; return the body span."""
    try:
        return _parse(lines, record)
    except (IndexError, ValueError, AttributeError) as error:  # never fail a whole parse
        record.warnings.append(f"layout: {type(error).__name__}: {error}")
        return Layout(body_start=0, body_end=len(lines))


def _parse(lines: list[str], record: DocumentRecord) -> Layout:
    """The layout steps in reading order."""
    head = read_header(lines)
    _fill_header(record, head)
    addressees = read_addressees(lines, head.end, record.issuer or "")
    record.recipients, record.recipients_cc = addressees.items, addressees.cc
    body_start = max(head.end, addressees.end)
    signer = find_signer(lines, body_start)
    body_end = signer.start if signer else len(lines)
    if signer:
        record.signer_name, record.signer_title = signer.name, signer.title
        record.signer_authority, record.signer_on_behalf = signer.authority, signer.on_behalf
    noi = find_noi_nhan(lines, body_start, body_end)
    if noi < 0 and signer:
        noi = find_noi_nhan(lines, signer.end, min(len(lines), signer.end + 3))
    if noi >= 0:
        before = noi < body_end
        stop = body_end if before else len(lines)
        record.noi_nhan = read_noi_nhan(lines, noi, stop, through_luu=not before)
        record.noi_nhan_recipients = distribution(record.noi_nhan)
        body_end = min(body_end, noi)
    if record.issued_date is None and record.place is None:
        record.issued_date = passed_date(lines[body_start:body_end])
    return Layout(body_start=body_start, body_end=max(body_start, body_end))


def read_header(lines: list[str]) -> hd.Header:
    """Issuer, number, date, type and trích yếu from the top of the document."""
    head = hd.Header()
    window = lines[: hd.HEADER_WINDOW]
    blanked, after_motto = hd.blank_mottos(window)
    type_at = hd.find_type_line(blanked, max(0, after_motto - 2), len(blanked))
    stop = type_at if type_at >= 0 else _zone_stop(blanked, max(after_motto, 0))
    used: set[int] = set()
    number_at, number = hd.read_number(blanked, stop)
    if number:
        hd.set_number(head, number)
        used.add(number_at)
    date_at, date = hd.find_date(blanked, 0, stop)
    if date:
        used.add(date_at)
        head.place = hd.read_place(blanked, date_at, date, used)
        head.issued_date = grammar.iso_date(date.group("d"), date.group("m"), date.group("y"))
    head.marks = [m for line in blanked[:stop] if (m := hd.read_mark(line))]
    top = after_motto if after_motto > 0 else (number_at if number_at >= 0 else 0)
    head.issuer_lines = hd.issuer_lines(blanked, top, used)
    _read_subject(blanked, head, type_at, stop, used)
    return head


def _zone_stop(lines: list[str], start: int) -> int:
    """The end of a header without a tên loại: Kính gửi, "… điện:" or the first body line."""
    for i in range(start, len(lines)):
        line = lines[i]
        if grammar.BODY_START.match(line) or line.startswith("Kính") or line.endswith("điện:"):
            return i
    return len(lines)


def _read_subject(
    lines: list[str], head: hd.Header, type_at: int, stop: int, used: set[int]
) -> None:
    """Type and trích yếu: after the tên loại, or the "V/v" lines of a công văn."""
    issuer = " ".join(head.issuer_lines)
    if type_at >= 0:
        head.doc_type = grammar.type_name(lines[type_at])
        parts, head.end = hd.subject_lines(lines, type_at + 1, len(lines), issuer)
        head.subject = hd.clean_subject(parts, cong_van=False)
        return
    parts, end = hd.vv_lines(lines, 0, stop + 1, used)
    head.end = max(end, *(i + 1 for i in used)) if used else max(end, 0)
    if parts:
        head.doc_type = grammar.CONG_VAN
        head.subject = hd.clean_subject(parts, cong_van=True)
        return
    head.doc_type = grammar.type_from_symbol(head.symbol) or (
        grammar.CONG_VAN if head.number_symbol else None
    )


def _fill_header(record: DocumentRecord, head: hd.Header) -> None:
    """Copy header fields into the record, splitting issuer from its parent body."""
    record.number, record.symbol = head.number, head.symbol
    record.number_symbol = head.number_symbol
    record.issued_date, record.place = head.issued_date, head.place
    record.doc_type, record.type_abbr = head.doc_type, grammar.type_abbr(head.doc_type)
    record.subject, record.marks = head.subject, head.marks
    record.parent_issuer, record.issuer = split_issuer(head.issuer_lines)


def split_issuer(lines: list[str]) -> tuple[str | None, str | None]:
    """(parent, issuer): a unit line ("SỞ …", "CỤC …") under a whole parent body splits them."""
    for k in range(len(lines) - 1, 0, -1):
        parent = " ".join(lines[:k])
        if _UNIT_HEADS.match(lines[k]) and _UNIT_PARENTS.match(parent) and len(parent.split()) >= 2:
            return parent, " ".join(lines[k:])
    return None, " ".join(lines) or None


def passed_date(lines: list[str]) -> str | None:
    """A law's date from its closing "… thông qua ngày …" sentence."""
    for line in reversed(lines[-60:]):
        found = _PASSED.search(line)
        if found:
            return grammar.iso_date(*found.groups())
    return None
