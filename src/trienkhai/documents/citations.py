"""Cited documents: "Kế hoạch số 1297/KH-UBND ngày 05/05/2023 của UBND tỉnh" and the like."""

from __future__ import annotations

import re
from dataclasses import dataclass

from trienkhai.documents.grammar import iso_date as _iso
from trienkhai.documents.schemas import Citation, Footnote

_TYPES = (
    "Thông tư liên tịch|Nghị quyết liên tịch|Công văn|Công điện|Kế hoạch|Quyết định|Thông tư|"
    "Văn bản hợp nhất|Văn bản|Nghị quyết|Nghị định|Chỉ thị|Chương trình|Thông báo|Kết luận|"
    "Luật|Hướng dẫn|Báo cáo|Tờ trình|Quy định|Đề án|Thông tri|Pháp lệnh|Quy chế phối hợp|Quy chế|"
    "Chiến lược|"
    "Điện|Giấy mời|Biên bản|Phương án"
)
# One symbol group: a letter code (dots only between letters, as in "V.I") or a year.
_GROUP = r"(?:[A-ZĐ](?:[A-Za-zĐđ0-9&]|\.(?=[A-ZĐ]))*|\d{2,4}(?=\s?[/-]))"
_NUMBER = rf"\d+(?:[.,]\d+)?(?:(?:\s?/\s?|-\s?){_GROUP})+"
_CITATION = re.compile(
    rf"(?<![\w/])(?:(?:các|những)\s+)?(?P<type>{_TYPES})(?:\s*:)?\s+(?:(?:số|Số)\s*:?\s*)?(?P<num>{_NUMBER})",
    re.IGNORECASE,
)
# A further number in a list after the first ("các văn bản số: 10894/VPCP-CN …, 8563/VPCP-CN …").
# A list headed by its type ("Các công điện: số 217/CĐ-TTg …; số 218/CĐ-TTg …") goes on after ";".
_NEXT_NUMBER = re.compile(rf"\s*(?:(?:,|và)\s*(?:số\s+)?|;\s*số\s+)(?P<num>{_NUMBER})")
_DATE = re.compile(
    r"\s*,?\s*(?:được\s+ban\s+hành\s+)?ngày\s+(\d{1,2})\s*(?:/|-|\.|tháng)\s*(\d{1,2})\s*"
    r"(?:/|-|\.|năm)\s*(\d{4})",
    re.IGNORECASE,
)
_ISSUER_STOP = (
    r"về|v/v|[Tt]hực\s+hiện|sửa\s+đổi|ban\s+hành|phê\s+duyệt|quy\s+định|hướng\s+dẫn|khoảng|triển\s+khai|"
    r"trong\s+đó|để|nhằm|tại|theo|đã|đối\s+với|gửi|và\s+(?:các\s+)?(?:văn\s+bản|kế\s+hoạch)|"
    r"trên|giai\s+đoạn|năm\s+\d{4}|ngày(?=\s+\d)"
)
_ISSUER = re.compile(
    rf"\s*,?\s*của\s+(?P<issuer>.+?)(?=\s+(?:{_ISSUER_STOP})\b|\s*[;:(\[]|\.+(?:\s|$)|"
    rf",(?!\s*[A-ZĐÂĂÊÔƠƯ])|,\s*(?:{_TYPES})\b|$)"
)
# "Bộ Chính trị, Ban Bí thư đã có Kết luận số …": the issuer named before the citation.
_ISSUER_BEFORE = re.compile(
    r"(?:^|[;.]\s*)(?P<issuer>[A-ZĐ][^;.]{2,80}?)\s+đã\s+(?:có|ban\s+hành)\s*$"
)
_SPACE_RUN = re.compile(r"\s+")
_CONNECTOR = re.compile(r"^[\s,]*(?:và|hoặc)?[\s,]*(?:(?:các|những)\s+)?(?:số\s*)?$", re.IGNORECASE)
# Siblings may also be separated by ";" when one issuer closes the whole list.
_SIBLINGS = re.compile(r"^[\s,;]*(?:và|hoặc)?[\s,]*$", re.IGNORECASE)


@dataclass
class _Found:
    """A citation with where it sits in the text."""

    citation: Citation
    start: int
    end: int  # after the number and date, before "của …"
    own_issuer: bool


def _type_name(printed: str) -> str:
    """The type as printed, capitalised as a title ("văn bản" → "Văn bản")."""
    return printed[:1].upper() + printed[1:].lower()


def _tail(text: str, pos: int) -> tuple[str | None, int, str | None]:
    """Date, end of the date, and issuer that follow a number ending at `pos`."""
    date = None
    date_match = _DATE.match(text, pos)
    if date_match:
        date = _iso(*date_match.groups())
        pos = date_match.end()
    issuer_match = _ISSUER.match(text, pos)
    issuer = _SPACE_RUN.sub(" ", issuer_match.group("issuer")).strip() if issuer_match else None
    return date, pos, issuer or None


def _make(text: str, kind: str, num: str, start: int, num_end: int) -> _Found:
    """One citation from its type, number and position."""
    date, end, issuer = _tail(text, num_end)
    span_end = end
    issuer_match = _ISSUER.match(text, end) if issuer else None
    if issuer_match:
        span_end = issuer_match.end()
        # "… của Chính phủ ngày 08 tháng 3 năm 2025": the date may follow the issuer.
        late = _DATE.match(text, span_end) if date is None else None
        if late:
            date, span_end = _iso(*late.groups()), late.end()
    citation = Citation(
        type=kind,
        number_symbol=_SPACE_RUN.sub("", num),
        date=date,
        issuer=issuer,
        text=_SPACE_RUN.sub(" ", text[start:span_end]).strip(),
    )
    return _Found(citation, start, end, issuer is not None)


def _scan(text: str) -> list[_Found]:
    """Every numbered document named in the text, in order."""
    found: list[_Found] = []
    for match in _CITATION.finditer(text):
        kind = _type_name(match.group("type"))
        item = _make(text, kind, match.group("num"), match.start(), match.end("num"))
        found.append(item)
        pos = item.end
        while item.citation.issuer is None and (nxt := _NEXT_NUMBER.match(text, pos)):
            item = _make(text, kind, nxt.group("num"), nxt.start("num"), nxt.end("num"))
            found.append(item)
            pos = item.end
    _share_issuers(found, text)
    return found


def _share_issuers(found: list[_Found], text: str) -> None:
    """Give a run of citations joined by commas the issuer named after the last of them."""
    for i in range(len(found) - 2, -1, -1):
        here, after = found[i], found[i + 1]
        if here.citation.issuer is None and _SIBLINGS.match(text[here.end : after.start]):
            here.citation.issuer = after.citation.issuer
    for item in found:
        if item.citation.issuer is None:
            before = _ISSUER_BEFORE.search(text[max(0, item.start - 120) : item.start])
            if before:
                item.citation.issuer = before.group("issuer").strip()


def find_citations(text: str) -> list[Citation]:
    """Every numbered document cited in a text, with type, number, ISO date and issuer."""
    try:
        return [item.citation for item in _scan(text)]
    except Exception:  # citations are a bonus; a strange text must not stop the reader
        return []


def _clauses(text: str) -> list[tuple[int, int]]:
    """Spans of the clauses of a footnote: split at ";" and at sentence ends."""
    spans, start = [], 0
    for match in re.finditer(r";|\.\s+(?=[A-ZĐ])", text):
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(text)))
    return spans


def _listed(found: list[_Found], text: str) -> list[_Found]:
    """The citations a footnote lists, leaving out those inside a cited document's description."""
    kept: list[_Found] = []
    clauses = _clauses(text)
    for start, end in clauses:
        inside = [f for f in found if start <= f.start < end]
        for k, item in enumerate(inside):
            gap = text[inside[k - 1].end : item.start] if k else ""
            if k == 0 or _sibling_gap(gap):
                kept.append(item)
    return kept


def _sibling_gap(gap: str) -> bool:
    """True when the text between two citations lists them side by side (or in a parenthesis)."""
    if _CONNECTOR.match(gap) or gap.count("(") > gap.count(")"):
        return True
    return bool(re.fullmatch(r"\s*của\s+[^,;]*?,\s*", gap)) and "về" not in gap


def _drop_truncated(items: list[Citation]) -> list[Citation]:
    """Drop a dateless number a later citation repeats in full ("439/TTĐ", "439/TTĐN-NVĐP")."""
    kept = []
    for item in items:
        num = item.number_symbol or ""
        longer = any(
            o is not item and (o.number_symbol or "").startswith(num) and o.number_symbol != num
            for o in items
        )
        if not (longer and item.date is None):
            kept.append(item)
    return kept


def _note_citations(note: Footnote) -> list[Citation]:
    """The citations one footnote lists; none when its text defeats the scanner."""
    try:
        text = _SPACE_RUN.sub(" ", note.text)
        return _drop_truncated([f.citation for f in _listed(_scan(text), text)])
    except Exception:  # one odd footnote must not cost the others
        return []


def footnote_citations(footnotes: list[Footnote]) -> list[Citation]:
    """One citation per numbered document the footnotes cite, first mention kept."""
    result: list[Citation] = []
    seen: set[str] = set()
    for note in footnotes:
        for item in _note_citations(note):
            key = item.number_symbol or ""
            if key in seen:
                continue
            seen.add(key)
            item.footnote = note.marker
            result.append(item)
    return result


_BASIS = re.compile(r"(?:^|(?<=[;.,]\s)|(?<=\s))Căn cứ\b")
# A law or code cited by name, without a number ("Căn cứ Luật Báo chí ngày 05 tháng 4 năm 2016").
_NAMED_LAW = re.compile(
    r"^\s*(?P<type>Hiến pháp|Bộ luật|Luật|Pháp lệnh)\b(?P<name>[^;]*?)"
    r"(?=\s+(?:số|ngày|đã được|được sửa đổi|sửa đổi)\b|\s*[;,(]|$)"
)
_PREAMBLE_END = re.compile(
    r"^(?:[IVXL]{1,5}\s*[.:)]|\d{1,2}\s*[.)]\s|Điều\s+\d|Chương\s+[IVXL\d]+\b)"
)


def _basis_clauses(lines: list[str]) -> list[str]:
    """The "Căn cứ …" clauses of the preamble (before the first heading or numbered item)."""
    end = next((i for i, line in enumerate(lines) if _PREAMBLE_END.match(line)), len(lines))
    text = _SPACE_RUN.sub(" ", " ".join(lines[:end]))
    starts = [m.start() for m in _BASIS.finditer(text)]
    clauses = []
    for k, start in enumerate(starts):
        stop = starts[k + 1] if k + 1 < len(starts) else len(text)
        clause = text[start:stop]
        # The sentence after the last "Căn cứ" (the issuer's own "… ban hành …") is no basis.
        clause = re.split(r";|\.\s+(?=[A-ZĐ])", clause, maxsplit=1)[0]
        clauses.append(clause[len("Căn cứ") :].strip())
    return clauses


def _beside(gap: str) -> bool:
    """True when two documents of a "Căn cứ" clause stand side by side (not one inside another)."""
    return bool(_CONNECTOR.match(gap) or re.fullmatch(r"\s*của\s+[^,;()]*?,\s*", gap))


def _clause_citations(clause: str) -> list[Citation]:
    """The documents one "Căn cứ" clause rests on: the first named, and those listed beside it."""
    found = _scan(clause)
    kept = [f for k, f in enumerate(found) if k == 0 or _beside(clause[found[k - 1].end : f.start])]
    if kept and kept[0].start > 0 and _NAMED_LAW.match(clause[: kept[0].start]):
        kept = []  # "Luật … số 12/2019/QH14": the law comes first
    if kept:
        return [f.citation for f in kept]
    law = _NAMED_LAW.match(clause)
    if law is None:
        return []
    date = _DATE.search(clause)
    name = f"{law.group('type')}{law.group('name')}".strip()
    number = re.match(rf"\s*số\s+(?P<num>{_NUMBER})", clause[law.end() :])
    return [
        Citation(
            type=law.group("type"),
            number_symbol=_SPACE_RUN.sub("", number.group("num")) if number else None,
            date=_iso(*date.groups()) if date else None,
            text=name,
        )
    ]


def basis_citations(lines: list[str]) -> list[Citation]:
    """The documents of the "Căn cứ …" preamble as structured citations, each once."""
    try:
        result: list[Citation] = []
        seen: set[str] = set()
        for clause in _basis_clauses(lines):
            for item in _clause_citations(clause):
                key = item.number_symbol or item.text
                if key not in seen:
                    seen.add(key)
                    result.append(item)
        return result
    except Exception:  # a strange preamble must not stop the reader
        return []
