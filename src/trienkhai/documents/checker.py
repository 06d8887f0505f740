"""Format checker: Decree 30/2020/NĐ-CP problems in a parsed directive, one finding per problem."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Literal

from trienkhai.documents import grammar
from trienkhai.documents.grammar import real_date as _real_date
from trienkhai.documents.schemas import Citation, DocumentRecord
from trienkhai.text import fold

Severity = Literal["error", "warning", "info"]
SEVERITY_ORDER: dict[str, int] = {"error": 0, "warning": 1, "info": 2}

# Appendix III of the decree, plus the normative types whose symbols carry a type group.
TYPE_ABBRS = grammar.TYPE_ABBRS
# Type name as written in a citation → its symbol group; letters (công văn) have none.
CITED_TYPES: dict[str, str] = {fold(name): abbr for name, abbr in grammar.TYPES.items() if abbr}
HEADER_LINES = 20

_NUMBER_LINE = re.compile(r"^\s*Số\s*[:.]?\s*(?P<num>[^/\s]*)\s*/\s*(?P<sym>\S.*?)\s*$", re.I)
_DATE_LINE = re.compile(r"^(?P<place>[^,]{2,60}),\s*ngày\b(?P<rest>.*)$", re.I)
_DATE_PARTS = re.compile(
    r"ngày\s*(?P<d>\d{1,2})?\s*tháng\s*(?P<m>\d{1,2})?\s*năm\s*(?P<y>\d{4})?", re.I
)
_ANY_DATE = re.compile(
    r"ngày\s+(?P<d>\d{1,2})\s*(?:/|-|\.|tháng)\s*(?P<m>\d{1,2})\s*(?:/|-|\.|năm)\s*(?P<y>\d{4})",
    re.I,
)
_CITED = re.compile(
    r"(?P<type>(?:[A-ZĐ][a-zà-ỹđ]*\s){0,2}[A-ZĐa-zà-ỹđ]+)\s+số\s+(?P<num>\d+[^\s,;]*/[^\s,;]+)"
    r"\s+ngày\s+(?P<d>\d{1,2})\s*(?:/|-|tháng)\s*(?P<m>\d{1,2})\s*(?:/|-|năm)\s*(?P<y>\d{4})"
)
# The year is the group right after the number (30/2020/NĐ-CP); "1999/QĐ-TTg" is number 1999.
_YEAR_GROUP = re.compile(r"^[\d.,]+\s*/\s*(?P<y>(?:19|20)\d{2})\s*/")
# Quốc hội and UBTVQH symbols carry the body and term instead of a type (45/2019/QH14).
_ASSEMBLY = re.compile(r"^(?:UBTV)?QH\d+$")
_AUTHORITY = re.compile(r"^(KT|TM|TL|TUQ|Q)\s*\.", re.I)
_NAME = re.compile(r"^(?:[A-ZĐ][a-zà-ỹđ]+\s){1,5}[A-ZĐ][a-zà-ỹđ]+$")
_QUOC_HIEU = "cong hoa xa hoi chu nghia viet nam"
_TIEU_NGU = "doc lap tu do hanh phuc"
_EDGE_PUNCT = ",;.:()\"“”'"


@dataclass(frozen=True)
class Finding:
    """One format problem: rule id, severity, line (1-based in the record text) and message."""

    rule: str
    severity: Severity
    message: str
    message_en: str
    line: int | None = None
    excerpt: str | None = None

    def as_dict(self) -> dict[str, object]:
        """A JSON-ready mapping."""
        return {
            "rule": self.rule,
            "severity": self.severity,
            "line": self.line,
            "message": self.message,
            "message_en": self.message_en,
            "excerpt": self.excerpt,
        }


@dataclass(frozen=True)
class _Doc:
    """What the rules look at: the record, its lines and today's date."""

    record: DocumentRecord
    lines: list[str]
    today: dt.date

    def find(self, predicate: Callable[[str], bool], stop: int | None = None) -> int | None:
        """Index of the first line (up to `stop`) matching the predicate."""
        for index, line in enumerate(self.lines[:stop]):
            if predicate(line):
                return index
        return None

    def line_of(self, needle: str) -> int | None:
        """1-based number of the first line containing the text, if any."""
        index = self.find(lambda line: needle in line)
        return None if index is None else index + 1


def _finding(  # noqa: PLR0917 - rule, severity and both messages read best in order
    rule: str, severity: Severity, vi: str, en: str, line: int | None = None, excerpt: str = ""
) -> Finding:
    """A finding with its excerpt trimmed to one readable line."""
    return Finding(rule, severity, vi, en, line, excerpt[:160] or None)


def check_number(doc: _Doc) -> Iterable[Finding]:
    """Số, ký hiệu: present, not blank, numbers below 10 zero-padded, a known type group."""
    index = doc.find(lambda line: bool(_NUMBER_LINE.match(line)), HEADER_LINES)
    if index is None:
        if doc.record.number_symbol is None:
            yield _finding(
                "ND30-NUMBER-MISSING", "error", "Thiếu số, ký hiệu văn bản.",
                "The document number and symbol are missing.",
            )  # fmt: skip
        return
    line = doc.lines[index]
    match = _NUMBER_LINE.match(line)
    assert match is not None  # the same pattern found the line
    number, symbol = match.group("num"), match.group("sym")
    if not number:
        yield _finding(
            "ND30-NUMBER-BLANK", "error", "Số văn bản để trống (chưa cấp số).",
            "The document number is blank (a draft, not yet numbered).", index + 1, line,
        )  # fmt: skip
    elif number.isdigit() and int(number) < 10 and len(number) < 2:
        yield _finding(
            "ND30-NUMBER-PADDING", "warning",
            f"Số nhỏ hơn 10 phải ghi thêm số 0 phía trước (0{number}).",
            f"Numbers below 10 take a leading zero (0{number}).", index + 1, line,
        )  # fmt: skip
    yield from _check_type_group(doc, symbol, index + 1, line)


def _check_type_group(doc: _Doc, symbol: str, line_no: int, line: str) -> Iterable[Finding]:
    """A typed document's symbol starts with an Appendix III abbreviation (công văn do not)."""
    doc_type = doc.record.doc_type
    subject = doc.record.subject or ""
    is_letter = doc_type in (None, "Công văn") or subject.lower().startswith("v/v")
    if is_letter or doc.find(lambda text: text.lower().startswith("v/v"), HEADER_LINES):
        return
    groups = [g for g in re.split(r"\s*[/-]\s*", symbol.strip()) if g and not g.isdigit()]
    if groups and groups[0] not in TYPE_ABBRS and not _ASSEMBLY.match(groups[0]):
        yield _finding(
            "ND30-TYPE-UNKNOWN", "warning",
            f"Chữ viết tắt tên loại “{groups[0]}” không có trong Phụ lục III.",
            f"Type abbreviation “{groups[0]}” is not in Appendix III.", line_no, line,
        )  # fmt: skip


def check_date(doc: _Doc) -> Iterable[Finding]:
    """Place and date line: present, filled in, a real past date, padded as the decree prints it."""
    index = doc.find(lambda line: bool(_DATE_LINE.match(line)), HEADER_LINES)
    if index is None:
        if doc.record.issued_date is None:
            yield _finding(
                "ND30-DATE-MISSING", "error", "Thiếu địa danh và ngày, tháng, năm ban hành.",
                "The place and date line is missing.",
            )  # fmt: skip
        return
    line = doc.lines[index]
    parts = _DATE_PARTS.search(line)
    if (parts is None or not parts.group("y")) and index + 1 < len(doc.lines):
        # "Cần Thơ, ngày" over "19 tháng 11 năm 2025": the date wraps onto the next line.
        line = f"{line} {doc.lines[index + 1]}"
        parts = _DATE_PARTS.search(line)
    if parts is None or not (parts.group("d") and parts.group("m") and parts.group("y")):
        yield _finding(
            "ND30-DATE-BLANK", "error", "Ngày, tháng, năm ban hành để trống.",
            "The date of issue is blank.", index + 1, line,
        )  # fmt: skip
        return
    yield from _check_issue_date(doc, parts, index + 1, line)


def _check_issue_date(
    doc: _Doc, parts: re.Match[str], line_no: int, line: str
) -> Iterable[Finding]:
    """The printed issue date exists, is not in the future and follows the padding rule."""
    day, month, year = parts.group("d"), parts.group("m"), parts.group("y")
    date = _real_date(int(day), int(month), int(year))
    if date is None:
        yield _finding(
            "ND30-DATE-IMPOSSIBLE", "error", f"Ngày ban hành không tồn tại ({day}/{month}/{year}).",
            f"The date of issue does not exist ({day}/{month}/{year}).", line_no, line,
        )  # fmt: skip
    elif date > doc.today:
        yield _finding(
            "ND30-DATE-FUTURE", "warning", f"Ngày ban hành ở tương lai ({date:%d/%m/%Y}).",
            f"The date of issue is in the future ({date:%d/%m/%Y}).", line_no, line,
        )  # fmt: skip
    yield from _check_padding(day, month, line_no, line)


def _check_padding(day: str, month: str, line_no: int, line: str) -> Iterable[Finding]:
    """Days below 10 and months 1-2 take a leading zero; months 3-12 do not."""
    want_day = day.zfill(2)
    want_month = month.zfill(2) if int(month) <= 2 else str(int(month))
    if (day, month) != (want_day, want_month):
        yield _finding(
            "ND30-DATE-PADDING", "warning",
            f"Ngày dưới 10 và tháng 1, 2 ghi thêm số 0: “ngày {want_day} tháng {want_month}”.",
            f"Days below 10 and months 1-2 take a leading zero: “ngày {want_day} tháng "
            f"{want_month}”.", line_no, line,
        )  # fmt: skip


def check_header(doc: _Doc) -> Iterable[Finding]:
    """Quốc hiệu and tiêu ngữ at the top (possibly wrapped over two lines)."""
    top = fold(" ".join(doc.lines[:HEADER_LINES]))
    top = " ".join(re.sub(r"[^a-z ]", " ", top).split())
    if _QUOC_HIEU not in top:
        yield _finding(
            "ND30-QUOC-HIEU-MISSING", "error",
            "Thiếu quốc hiệu “CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM”.",
            "The national title “CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM” is missing.", 1,
        )  # fmt: skip
    if _TIEU_NGU not in top:
        yield _finding(
            "ND30-TIEU-NGU-MISSING", "error", "Thiếu tiêu ngữ “Độc lập - Tự do - Hạnh phúc”.",
            "The motto “Độc lập - Tự do - Hạnh phúc” is missing.", 1,
        )  # fmt: skip


def _noi_nhan_index(doc: _Doc) -> int | None:
    """Index of the “Nơi nhận:” line."""
    return doc.find(lambda line: fold(line).startswith("noi nhan"))


def _normative(record: DocumentRecord) -> bool:
    """True for a normative text: a law, or a number that carries its year (30/2020/NĐ-CP)."""
    number = record.number_symbol or ""
    return (record.type_abbr is None and record.doc_type not in (None, "Công văn")) or bool(
        _YEAR_GROUP.match(number)
    )


def check_noi_nhan(doc: _Doc) -> Iterable[Finding]:
    """A Nơi nhận list that ends with the “Lưu: VT, …” item."""
    index = _noi_nhan_index(doc)
    if index is None and not doc.record.noi_nhan:
        # Published copies of normative texts (a year in the number: 30/2020/NĐ-CP, and laws)
        # routinely leave the list out; only a letter or plan that lacks it is at fault.
        severity: Severity = "warning" if _normative(doc.record) else "error"
        yield _finding(
            "ND30-NOI-NHAN-MISSING", severity, "Thiếu phần “Nơi nhận”.",
            "The distribution list (Nơi nhận) is missing.",
        )  # fmt: skip
        return
    items = doc.record.noi_nhan or doc.lines[(index or 0) + 1 : (index or 0) + 40]
    if not any(fold(item).lstrip("-+•– ").startswith("luu") for item in items):
        yield _finding(
            "ND30-NOI-NHAN-LUU", "warning", "Nơi nhận thiếu mục “Lưu: VT, …”.",
            "The distribution list lacks the “Lưu: VT, …” (archive) item.",
            None if index is None else index + 1,
        )  # fmt: skip


def _signer_in_text(doc: _Doc) -> bool:
    """An authority line (KT., TM., …) or a personal name after the Nơi nhận list."""
    start = _noi_nhan_index(doc) or max(0, len(doc.lines) - 25)
    tail = doc.lines[start:]
    return any(_AUTHORITY.match(line) for line in tail) or any(_NAME.match(x) for x in tail)


def check_signer(doc: _Doc) -> Iterable[Finding]:
    """The signer's name is printed."""
    if doc.record.signer_name is None and not _signer_in_text(doc):
        yield _finding(
            "ND30-SIGNER-MISSING", "error", "Thiếu họ tên người ký.",
            "The signer's name is missing.",
        )  # fmt: skip


def _citations(doc: _Doc) -> list[Citation]:
    """Cited documents from footnotes and body, one per number and date."""
    found = list(doc.record.footnote_citations) + _body_citations(doc.record.text)
    seen: set[tuple[str | None, str | None]] = set()
    unique = []
    for citation in found:
        if (citation.number_symbol, citation.date) not in seen:
            seen.add((citation.number_symbol, citation.date))
            unique.append(citation)
    return unique


def _body_citations(text: str) -> list[Citation]:
    """Citations in the body, through the shared citation finder when it is there."""
    try:
        from trienkhai.documents.citations import find_citations  # noqa: PLC0415
    except ImportError:
        return _own_citations(text)
    return find_citations(text)


def _own_citations(text: str) -> list[Citation]:
    """A plain “<type> số <number> ngày <date>” scan, used without the citation module."""
    out = []
    for m in _CITED.finditer(text):
        date = _real_date(int(m["d"]), int(m["m"]), int(m["y"]))
        iso = date.isoformat() if date else f"{m['y']}-{int(m['m']):02d}-{int(m['d']):02d}"
        out.append(Citation(type=m["type"], number_symbol=m["num"], date=iso, text=m.group(0)))
    return out


def check_citations(doc: _Doc) -> Iterable[Finding]:
    """A cited document whose symbol year or type group disagrees with its date or type name."""
    for citation in _citations(doc):
        where = doc.line_of(citation.text) or _footnote_line(doc, citation)
        year = _YEAR_GROUP.search(citation.number_symbol or "")
        if year and citation.date and citation.date[:4] != year.group("y"):
            yield _finding(
                "ND30-CITATION-YEAR", "error",
                f"Văn bản dẫn chiếu “{citation.number_symbol}” có năm trong ký hiệu "
                f"({year.group('y')}) khác năm ban hành ({citation.date[:4]}).",
                f"Cited document “{citation.number_symbol}”: the year in its symbol "
                f"({year.group('y')}) differs from its date ({citation.date[:4]}).",
                where, citation.text,
            )  # fmt: skip
        yield from _check_cited_type(citation, where)
        if citation.date and citation.date > doc.today.isoformat():
            yield _finding(
                "ND30-CITATION-FUTURE", "warning",
                f"Văn bản dẫn chiếu “{citation.number_symbol}” mang ngày ở tương lai.",
                f"Cited document “{citation.number_symbol}” is dated in the future.",
                where, citation.text,
            )  # fmt: skip


def _check_cited_type(citation: Citation, where: int | None) -> Iterable[Finding]:
    """“Kế hoạch số 12/QĐ-UBND”: the type named in words and the symbol's type group differ."""
    expected = CITED_TYPES.get(fold(citation.type or ""))
    groups = [g for g in re.split(r"[/-]", citation.number_symbol or "") if g and not g.isdigit()]
    if expected and groups and groups[0] in TYPE_ABBRS and groups[0] != expected:
        yield _finding(
            "ND30-CITATION-TYPE", "warning",
            f"“{citation.type}” nhưng ký hiệu là {groups[0]} (cần {expected}).",
            f"Cited as “{citation.type}” but its symbol says {groups[0]} (expected {expected}).",
            where, citation.text,
        )  # fmt: skip


def _footnote_line(doc: _Doc, citation: Citation) -> int | None:
    """Line of the footnote marker in the body for a citation that sits in a footnote."""
    if not citation.footnote:
        return None
    marker = citation.footnote.translate(str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹"))
    return doc.line_of(marker)


def repeated_phrase(text: str, min_words: int = 3, max_words: int = 12) -> str | None:
    """A phrase of 3+ words printed twice in a row, or a cut-off start then the whole phrase."""
    words = text.split()
    folded = [w.casefold() for w in words]
    for start in range(len(words)):
        for size in range(min_words, max_words + 1):
            first = folded[start : start + size]
            second = folded[start + size : start + 2 * size]
            if len(second) < size:
                break
            # Punctuation inside the copy marks a list ("xã hội, tổ chức xã hội, …"), not a slip.
            if any(w[-1:] in _EDGE_PUNCT for w in first) or first[:-1] != second[:-1]:
                continue
            # A cut-off word is long or symbol-like ("439/TTĐ"): "là … làm" is just two words.
            stub = first[-1]
            cut_off = stub != second[-1] and second[-1].startswith(stub) and len(stub) >= 4
            if first[-1] == second[-1] or cut_off:
                return " ".join(words[start : start + 2 * size])
    return None


def check_repetitions(doc: _Doc) -> Iterable[Finding]:
    """An accidental repetition in a line or a footnote."""
    texts: list[tuple[int | None, str]] = [(i + 1, line) for i, line in enumerate(doc.lines)]
    texts += [
        (_footnote_line(doc, _marker_citation(n.marker)), n.text) for n in doc.record.footnotes
    ]
    for line_no, text in texts:
        phrase = repeated_phrase(text)
        if phrase:
            yield _finding(
                "ND30-REPEATED-PHRASE", "warning", f"Cụm từ bị lặp: “{phrase}”.",
                f"Phrase repeated by accident: “{phrase}”.", line_no, phrase,
            )  # fmt: skip


def _marker_citation(marker: str) -> Citation:
    """A stand-in citation that only carries a footnote marker, to locate the footnote."""
    return Citation(footnote=marker, text="")


def check_cited_dates(doc: _Doc) -> Iterable[Finding]:
    """Dates in the body and footnotes that do not exist (future ones may be deadlines)."""
    skip = HEADER_LINES // 2  # the issue date has its own rule
    texts: list[tuple[int | None, str]]
    texts = [(i + 1, line) for i, line in enumerate(doc.lines) if i >= skip]
    texts += [(None, note.text) for note in doc.record.footnotes]
    for line_no, text in texts:
        for m in _ANY_DATE.finditer(text):
            date = _real_date(int(m["d"]), int(m["m"]), int(m["y"]))
            if date is None:
                yield _finding(
                    "ND30-DATE-IMPOSSIBLE", "error", f"Ngày không tồn tại: “{m.group(0)}”.",
                    f"Impossible date: “{m.group(0)}”.", line_no, text,
                )  # fmt: skip


RULES: list[Callable[[_Doc], Iterable[Finding]]] = [
    check_header,
    check_number,
    check_date,
    check_noi_nhan,
    check_signer,
    check_citations,
    check_repetitions,
    check_cited_dates,
]


def check_record(record: DocumentRecord, *, today: dt.date) -> list[Finding]:
    """Every format problem of a parsed directive, errors first, in line order."""
    doc = _Doc(record=record, lines=record.text.splitlines(), today=today)
    findings = list(dict.fromkeys(finding for rule in RULES for finding in rule(doc)))
    return sorted(findings, key=lambda f: (SEVERITY_ORDER[f.severity], f.line or 0, f.rule))
