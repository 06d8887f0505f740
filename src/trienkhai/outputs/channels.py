"""Fixed vocabularies of channels and forms: slugs, Vietnamese labels, accepted spellings."""

from __future__ import annotations

import re
from dataclasses import dataclass

from trienkhai.text import fold


@dataclass(frozen=True)
class Term:
    """One vocabulary entry: a stable slug, its Vietnamese label and other accepted spellings."""

    slug: str
    label: str
    aliases: tuple[str, ...] = ()
    broadcast: bool = False  # broadcasts carry a duration


CHANNELS: tuple[Term, ...] = (
    Term("bao_in", "báo in", ("báo giấy", "bản in", "print", "tạp chí", "tạp chí in")),
    Term("bao_dien_tu", "báo điện tử", ("báo online", "báo mạng", "bđt", "online", "web báo")),
    Term("phat_thanh", "phát thanh", ("radio", "đài phát thanh", "pt"), broadcast=True),
    Term("truyen_hinh", "truyền hình", ("tv", "đài truyền hình", "th", "video"), broadcast=True),
    Term(
        "cong_ttdt",
        "cổng/trang thông tin điện tử",
        (
            "cổng thông tin điện tử",
            "trang thông tin điện tử",
            "cổng ttđt",
            "trang ttđt",
            "cttđt",
            "ttttđt",
            "website",
            "cổng thông tin",
            "trang thông tin",
            "portal",
        ),
    ),
    Term(
        "bang_tin",
        "bảng tin điện tử công cộng",
        ("bảng tin điện tử", "bảng điện tử", "màn hình led", "bảng led", "led"),
    ),
    Term(
        "truyen_thanh",
        "đài truyền thanh cơ sở",
        (
            "truyền thanh cơ sở",
            "đài truyền thanh",
            "truyền thanh",
            "loa phát thanh",
            "loa",
            "tttcs",
            "đài tt cơ sở",
            "truyền thanh xã",
        ),
        broadcast=True,
    ),
    Term("facebook", "fanpage Facebook", ("facebook", "fanpage", "fb", "trang facebook")),
    Term("zalo", "Zalo", ("zalo oa", "trang zalo", "zalo official account")),
    Term("tiktok", "TikTok", ("tik tok",)),
    Term("youtube", "YouTube", ("yt", "kênh youtube", "you tube")),
    Term("khac", "khác", ("other", "kênh khác")),
)

FORMS: tuple[Term, ...] = (
    Term("tin", "tin", ("tin tức", "tin bài ngắn", "news")),
    Term("bai", "bài", ("bài viết", "bài báo", "article", "tin bài")),
    Term("phong_su", "phóng sự", ("ps", "phóng sự ngắn")),
    Term("chuyen_de", "chuyên đề", ("chuyên mục", "cđ", "chuyên trang")),
    Term("chuong_trinh", "chương trình", ("ctr", "chương trình phát thanh", "chương trình tv")),
    Term("toa_dam", "tọa đàm", ("toạ đàm", "giao lưu", "talkshow")),
    Term(
        "thong_diep",
        "thông điệp ngắn",
        ("thông điệp", "spot", "clip ngắn", "video ngắn", "tin nhắn", "khẩu hiệu"),
    ),
    Term("bai_dang", "bài đăng", ("post", "bài đăng mạng xã hội", "status", "đăng tải")),
    Term("khac", "khác", ("other",)),
)

_PUNCT = re.compile(r"[\s/\-_.,;:()]+")


def _norm(text: str) -> str:
    """Accent-, case- and punctuation-insensitive form used to look a spelling up."""
    return _PUNCT.sub(" ", fold(text)).strip()


def _index(terms: tuple[Term, ...]) -> dict[str, Term]:
    """Every accepted spelling (slug, label, aliases) folded to its term."""
    table: dict[str, Term] = {}
    for term in terms:
        for spelling in (term.slug, term.label, *term.aliases):
            table.setdefault(_norm(spelling), term)
    return table


_CHANNEL_INDEX = _index(CHANNELS)
_FORM_INDEX = _index(FORMS)
CHANNEL_SLUGS = frozenset(t.slug for t in CHANNELS)
FORM_SLUGS = frozenset(t.slug for t in FORMS)


def find_channel(text: str) -> Term | None:
    """The channel a spelling names ("Báo điện tử", "bao dien tu", "FB"), or None."""
    return _CHANNEL_INDEX.get(_norm(text))


def find_form(text: str) -> Term | None:
    """The form a spelling names ("Phóng sự", "phong su"), or None."""
    return _FORM_INDEX.get(_norm(text))


def channel_label(slug: str) -> str:
    """The Vietnamese label of a channel slug (the slug itself if unknown)."""
    return next((t.label for t in CHANNELS if t.slug == slug), slug)


def form_label(slug: str) -> str:
    """The Vietnamese label of a form slug (the slug itself if unknown)."""
    return next((t.label for t in FORMS if t.slug == slug), slug)


def is_broadcast(slug: str) -> bool:
    """Whether the channel is a broadcast, for which a duration makes sense."""
    return any(t.broadcast for t in CHANNELS if t.slug == slug)


def channel_labels() -> list[str]:
    """The Vietnamese labels of every channel, in order (for messages and validation lists)."""
    return [t.label for t in CHANNELS]


def form_labels() -> list[str]:
    """The Vietnamese labels of every form, in order."""
    return [t.label for t in FORMS]
