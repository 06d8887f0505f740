"""Channels, output forms and deadlines named in a task, normalised to a fixed vocabulary."""

from __future__ import annotations

import re

from trienkhai.documents.grammar import iso_date as _iso

_I = re.IGNORECASE
# Order is the order channels are reported in; each pattern maps to one vocabulary term.
CHANNELS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("báo in", re.compile(r"\bbáo in\b|\bbáo giấy\b|\bấn phẩm báo\b", _I)),
    ("báo điện tử", re.compile(r"\bbáo điện tử\b|\bbáo mạng\b|\bbáo chí điện tử\b", _I)),
    ("phát thanh", re.compile(r"\bphát thanh\b|\bđài tiếng nói\b|\bradio\b", _I)),
    ("truyền hình", re.compile(r"\btruyền hình\b", _I)),
    (
        "cổng/trang thông tin điện tử",
        re.compile(
            r"\b(?:cổng|trang)\s+(?:thông tin điện tử|TTĐT|TTĐTTP)\b|\bcổng/trang\b|"
            r"\bwebsite\b|\btrang tin\b",
            _I,
        ),
    ),
    ("bảng tin điện tử công cộng", re.compile(r"\bbảng tin điện tử\b|\bmàn hình LED\b", _I)),
    (
        "đài truyền thanh cơ sở",
        re.compile(r"\btruyền thanh\b|\bloa (?:phát thanh|truyền thanh|kẻo)\b", _I),
    ),
    ("mạng xã hội", re.compile(r"\bmạng xã hội\b|\bnền tảng (?:xã hội|mạng xã hội|số)\b", _I)),
    ("fanpage", re.compile(r"\bfan\s?page\b", _I)),
    ("Zalo", re.compile(r"\bzalo\b", _I)),
    ("Facebook", re.compile(r"\bfacebook\b", _I)),
    ("TikTok", re.compile(r"\btik\s?tok\b", _I)),
    ("YouTube", re.compile(r"\byou\s?tube\b", _I)),
    ("tin nhắn", re.compile(r"\btin nhắn\b|\bSMS\b", _I)),
    (
        "tuyên truyền trực quan",
        re.compile(
            r"\bpa\s?nô\b|\bpano\b|\báp phích\b|\bbăng rôn\b|\bkhẩu hiệu\b|\btranh cổ động\b", _I
        ),
    ),
)
FORMS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("tin", re.compile(r"(?<!thông )(?<!bảng )\btin\b(?!\s*(?:tưởng|học|nhắn|cậy|điện tử))", _I)),
    ("bài", re.compile(r"\bbài\b(?!\s*(?:trừ|học|toán|hát|bản|bạc))", _I)),
    ("phóng sự", re.compile(r"\bphóng sự\b", _I)),
    ("chuyên đề", re.compile(r"\bchuyên đề\b", _I)),
    ("chuyên mục", re.compile(r"\bchuyên mục\b", _I)),
    # A programme on air, not "Chương trình" (the programme a plan carries out, capitalised).
    (
        "chương trình",
        re.compile(
            r"\b(?-i:chương trình)\b(?!\s*(?:số|mục tiêu|hành động|công tác|này|của|quốc gia))",
            _I,
        ),
    ),
    ("tọa đàm", re.compile(r"\bto[ạa]\s?đàm\b|\btoạ đàm\b", _I)),
    ("thông điệp ngắn", re.compile(r"\bthông điệp\b", _I)),
    ("video", re.compile(r"\bvideo\b|\bclip\b", _I)),
    ("infographic", re.compile(r"\binfor?graphic", _I)),
    ("tờ rơi", re.compile(r"\btờ rơi\b|\btờ gấp\b", _I)),
    ("phim", re.compile(r"\bphim\b", _I)),
)
_DATE = r"(\d{1,2})\s*(?:/|-|\.|\s+tháng\s+)\s*(\d{1,2})\s*(?:/|-|\.|\s+năm\s+)\s*(\d{4})"
_DEADLINE_DATE = re.compile(
    rf"\b(?:trước|chậm nhất(?:\s+là)?|hạn chót|không quá|muộn nhất|hoàn thành trong)\s+"
    rf"(?:ngày\s+)?{_DATE}",
    _I,
)
_DEADLINE_PHRASE = re.compile(
    r"\b(?:trước ngày \d{1,2} (?:hằng|hàng) (?:tháng|quý|năm)|"
    r"định kỳ\s+(?:(?:hằng|hàng)\s+)?(?:tháng|quý|năm|tuần|06 tháng|6 tháng)|"
    r"(?:hằng|hàng)\s+(?:tháng|quý|năm|tuần)|"
    r"trong\s+(?:tháng\s+\d{1,2}/\d{4}|quý\s+[IV]{1,3}/\d{4}))\b",
    _I,
)


def _any_of(vocabulary: tuple[tuple[str, re.Pattern[str]], ...]) -> re.Pattern[str]:
    """One pattern matching wherever any term of the vocabulary might occur."""
    return re.compile("|".join(f"(?:{pattern.pattern})" for _, pattern in vocabulary), _I)


# Most task texts name no channel; one search rules them out before the per-term searches.
_ANY_CHANNEL = _any_of(CHANNELS)
_ANY_FORM = _any_of(FORMS)


def _named(
    text: str, vocabulary: tuple[tuple[str, re.Pattern[str]], ...], gate: re.Pattern[str]
) -> list[str]:
    """The vocabulary terms whose pattern occurs in the text, in vocabulary order."""
    if not gate.search(text):
        return []
    return [term for term, pattern in vocabulary if pattern.search(text)]


def channels(text: str) -> list[str]:
    """Channels a task names (báo in, truyền hình, mạng xã hội, Zalo …)."""
    return _named(text, CHANNELS, _ANY_CHANNEL)


def forms(text: str) -> list[str]:
    """Output forms a task names (tin, bài, phóng sự, chuyên đề …)."""
    return _named(text, FORMS, _ANY_FORM)


def deadlines(text: str) -> list[str]:
    """Deadlines and reporting rhythms a task states: ISO dates, else the phrase as printed."""
    found: list[str] = []
    for match in _DEADLINE_DATE.finditer(text):
        iso = _iso(*match.groups())
        found.append(iso or match.group(0))
    found.extend(match.group(0) for match in _DEADLINE_PHRASE.finditer(text))
    return list(dict.fromkeys(found))
