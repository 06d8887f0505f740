"""Campaign content: themes of section I, documents sent along, reference sources."""

from __future__ import annotations

import itertools
import re
from collections import Counter
from dataclasses import dataclass

from trienkhai.documents.grammar import ITEM_LABEL, item_kind
from trienkhai.documents.schemas import Theme
from trienkhai.documents.sections import Heading
from trienkhai.text import key

_ITEM = re.compile(r"^(?:[-–+•*]|\d{1,2}\s*[.)]|[a-zđ]\s*\))\s*(.*)$")
_ATTACHED = re.compile(
    r"^\W*(?:Tài liệu|Văn bản|Tài liệu tuyên truyền)\s+(?:gửi\s+)?kèm(?:\s+theo)?\s*:?", re.I
)
_REFERENCE = re.compile(r"^\W*(?:Thông tin|Tài liệu|Nguồn)\s+tham khảo[^:]*:?", re.I)
_CONTENT_HEADING = re.compile(r"nội dung|chủ đề|trọng tâm tuyên truyền", re.I)
_NUMBERED_PART = re.compile(r"\(\d{1,2}\)\s*")
_URL = re.compile(
    r"\b(?:https?://|www\.)[\w.-]+(?:/[\w./%-]*)?|\b[\w-]+\.(?:vn|org|com|net)\b", re.I
)
_QUOTED = re.compile(r"[“\"]([^”\"]{2,80})[”\"]")
_OUTLET = re.compile(
    r"\b(?:Tạp chí|Báo điện tử|Báo)\s+[A-ZĐ][^;,.“”\"()]*?(?=\s*[;,.(]|$|\s(?:trên|của)\s)"
)
# Function words: a pair holding one is grammar, not a topic.
_FUNCTION_WORDS = (
    "của và về các những trong với cho để là có được việc tin này đó năm theo từ tại trên một tác"
)
_FUNCTION = frozenset(_FUNCTION_WORDS.split(" "))
_ACRONYM = re.compile(r"\b[A-ZĐ][A-ZĐ0-9&-]{1,9}\b")
_ROMAN = re.compile(r"^[IVXL]+$")
_SYLLABLE = re.compile(r"[^\W\d_]+")
# Domain phrases worth matching news against; longer phrases first so "quyền con người" wins.
LEXICON = (
    "quyền con người",
    "nhân quyền",
    "mua bán người",
    "người lao động",
    "công đoàn",
    "tự do báo chí",
    "tự do tôn giáo",
    "tự do ngôn luận",
    "chuyển đổi số",
    "kinh tế số",
    "an toàn giao thông",
    "ma túy",
    "phòng cháy chữa cháy",
    "bầu cử",
    "đại hội đảng",
    "biển đảo",
    "biên giới",
    "dân số",
    "bình đẳng giới",
    "bạo lực gia đình",
    "trẻ em",
    "người cao tuổi",
    "người khuyết tật",
    "dân tộc thiểu số",
    "tôn giáo",
    "tín ngưỡng",
    "an ninh mạng",
    "tin giả",
    "lừa đảo",
    "phòng chống tham nhũng",
    "cải cách hành chính",
    "thông tin đối ngoại",
    "đối thoại nhân quyền",
    "xây dựng nông thôn mới",
    "môi trường",
    "biến đổi khí hậu",
    "thiên tai",
    "dịch bệnh",
    "an toàn thực phẩm",
    "buôn lậu",
    "gian lận thương mại",
    "hàng giả",
    "thi đua",
    "khen thưởng",
    "khởi nghiệp",
    "đổi mới sáng tạo",
    "khoa học công nghệ",
    "giáo dục",
    "y tế",
    "bảo hiểm xã hội",
    "bảo hiểm y tế",
    "việc làm",
    "giảm nghèo",
    "du lịch",
    "văn hóa",
    "thể thao",
)
# Phrases every directive uses; they tell one theme from nothing.
STOP_PHRASES = frozenset(
    key(p)
    for p in (
        "thông tin",
        "tuyên truyền",
        "việt nam",
        "công tác",
        "tăng cường",
        "thực hiện",
        "nội dung",
        "các cơ quan",
        "trên địa bàn",
        "địa bàn",
        "tỉnh",
        "chính sách",
        "bảo đảm",
        "đảm bảo",
        "tập trung",
        "khẳng định",
        "thúc đẩy",
        "bảo vệ",
        "nâng cao",
        "triển khai",
        "hoạt động",
        "trong đó",
        "thời gian",
        "cung cấp",
        "các nước",
        "nhà nước",
        "của việt",
        "việt nam về",
        "hiệu quả",
        "cụ thể",
        "số liệu",
        "nhất quán",
        "thành tựu",
        "chú trọng",
        "quá trình",
        "phát triển",
        "đất nước",
        "giải pháp",
        "vai trò",
        "về việc",
        "của các",
    )
)


@dataclass
class SectionText:
    """A section's items: dash or numbered items with wrapped lines joined."""

    items: list[str]
    attachments: list[str]
    references: list[str]


def section_lines(lines: list[str], headings: list[Heading], index: int) -> list[str]:
    """The lines under heading `index`, up to the next heading."""
    start = headings[index].end
    end = headings[index + 1].line if index + 1 < len(headings) else len(lines)
    return lines[start:end]


def _kind(line: str) -> str | None:
    """The kind of item a line opens: its bullet, "1." or "a)"; None for running text."""
    match = _ITEM.match(line)
    if not match:
        return None
    label = ITEM_LABEL.match(line)
    return item_kind(label.group("label")) if label else None


def _items(lines: list[str]) -> list[str]:
    """Top-level items (the kind of the first item), other lines joined to the item before."""
    items: list[str] = []
    top = next((k for line in lines if (k := _kind(line))), None)
    for line in lines:
        if _ATTACHED.match(line) or _REFERENCE.match(line):
            items.append(line.strip())
        elif top is not None and _kind(line) == top:
            items.append(_ITEM.sub(r"\1", line).strip())
        elif items:
            items[-1] = f"{items[-1]} {line.strip()}"
    return items


def split_content(lines: list[str]) -> SectionText:
    """Sort a content section's items into themes, attachments and reference sources."""
    result = SectionText(items=[], attachments=[], references=[])
    for item in _items(lines):
        if _ATTACHED.match(item):
            result.attachments.extend(attachments(item))
        elif _REFERENCE.match(item):
            result.references.extend(references(item))
        elif len(item) > 20:
            result.items.append(item)
    return result


def attachments(text: str) -> list[str]:
    """Documents sent along: the "(1) …", "(2) …" parts after "Tài liệu gửi kèm:"."""
    body = _ATTACHED.sub("", text, count=1).strip()
    starts = [m.start() for m in _NUMBERED_PART.finditer(body)]
    if not starts:
        return [body.rstrip(" .;,")] if body else []
    parts = [body[a:b] for a, b in zip(starts, [*starts[1:], len(body)], strict=True)]
    return [re.sub(r"(?:\s+và|[\s.;,])+$", "", part).strip() for part in parts if part.strip()]


def references(text: str) -> list[str]:
    """Reference sources: web sites, quoted fanpage and column names, named outlets."""
    found = [m.group(0).rstrip(".") for m in _URL.finditer(text)]
    found += [m.group(1).strip() for m in _QUOTED.finditer(text)]
    found += [m.group(0).strip() for m in _OUTLET.finditer(text)]
    return list(dict.fromkeys(f for f in found if f))


# A numbered part of a section ("1. Nội dung", "2. Hình thức: …"): its title ends at a colon.
_PART = re.compile(r"^\d{1,2}\s*[.)]\s*(?P<title>[^.:;]{3,80})")
_CONTENT_TITLE = re.compile(r"^(?:các\s+)?(?:nội dung|chủ đề|trọng tâm|thông điệp)", re.I)
# The parts that are not themes: forms and channels, aims, audience, time, budget, tasks.
_NOT_CONTENT = re.compile(
    r"hình thức|phương thức|mục đích|yêu cầu|mục tiêu|đối tượng|phạm vi|thời gian|kinh phí|"
    r"tổ chức thực hiện|phân công|nhiệm vụ|giải pháp",
    re.I,
)


def _subheadings(lines: list[str]) -> list[tuple[int, str]]:
    """The numbered parts of a section: (line, title) of each "1. …" line ("1.1." is not one)."""
    found = []
    for i, line in enumerate(lines):
        if item_kind(line.split(" ", 1)[0]) == "num0" and (match := _PART.match(line)):
            found.append((i, match.group("title").strip()))
    return found


def _is_content_part(title: str) -> bool:
    """True for a part that holds themes ("Nội dung tuyên truyền"), not forms or aims."""
    return bool(_CONTENT_TITLE.match(title)) and not _NOT_CONTENT.search(title)


def content_lines(lines: list[str]) -> list[str]:
    """The lines of a section that carry themes: under its content sub-headings, if it has any.

    "III. NỘI DUNG, HÌNH THỨC" splits into "1. Nội dung" (the themes) and "2. Hình thức"
    (forms, never themes); a section without such parts is all content.
    """
    subs = _subheadings(lines)
    content = [k for k, (_, title) in enumerate(subs) if _is_content_part(title)]
    if not content or len(subs) < 2:
        return lines
    kept: list[str] = []
    for k in content:
        start = subs[k][0] + 1
        end = subs[k + 1][0] if k + 1 < len(subs) else len(lines)
        kept.extend(lines[start:end])
    return kept


def nested_content(lines: list[str], headings: list[Heading]) -> list[str]:
    """A content part numbered under another heading ("2. Nội dung tuyên truyền" under "I.")."""
    for index in range(len(headings)):
        part = section_lines(lines, headings, index)
        subs = _subheadings(part)
        for k, (at, title) in enumerate(subs):
            if _is_content_part(title):
                end = subs[k + 1][0] if k + 1 < len(subs) else len(part)
                return part[at + 1 : end]
    return []


def content_heading(headings: list[Heading]) -> int | None:
    """Index of the section holding the campaign's contents (I. Tập trung vào các nội dung)."""
    for i, heading in enumerate(headings):
        title = heading.title.casefold()
        if _CONTENT_HEADING.search(title) and "tổ chức" not in title and "kinh phí" not in title:
            return i
    return None


def keywords(text: str, others: list[str]) -> list[str]:
    """Distinctive phrases of a theme: acronyms, quoted names, domain phrases, repeated pairs."""
    folded = key(text)
    found = [a for a in _ACRONYM.findall(text) if not _ROMAN.match(a)]
    found += [m.group(1) for m in _QUOTED.finditer(text) if len(m.group(1).split()) <= 8]
    found += [phrase for phrase in LEXICON if phrase in folded]
    kept = [f for f in dict.fromkeys(found) if key(f) not in STOP_PHRASES]
    # A repeated pair inside a phrase already kept ("mua bán") adds nothing.
    for pair in _repeated_pairs(folded, " ".join(key(o) for o in others)):
        if not any(pair in key(k) for k in kept):
            kept.append(pair)
    return kept[:15]


def _repeated_pairs(folded: str, others: str) -> list[str]:
    """Syllable pairs a theme repeats and no other theme uses."""
    words = _SYLLABLE.findall(folded)
    pairs = Counter(f"{a} {b}" for a, b in itertools.pairwise(words))
    return [
        pair
        for pair, count in pairs.most_common()
        if count >= 2
        and pair not in others
        and pair not in STOP_PHRASES
        and not _FUNCTION.intersection(pair.split())
    ]


def themes(items: list[str]) -> list[Theme]:
    """Themes T1..Tn from a content section's items."""
    result = []
    for i, text in enumerate(items):
        others = items[:i] + items[i + 1 :]
        result.append(Theme(code=f"T{i + 1}", text=text, keywords=keywords(text, others)))
    return result
