"""Columns of the outputs spreadsheet: Vietnamese headers, accepted spellings, help text."""

from __future__ import annotations

import re
from dataclasses import dataclass

from trienkhai.text import fold

EXAMPLE_NOTE = "(dòng ví dụ — hệ thống bỏ qua khi nhập)"


@dataclass(frozen=True)
class Column:
    """One column: key used in code, header shown to users, other accepted headers."""

    key: str
    header: str
    required: bool
    help: str
    example: str
    aliases: tuple[str, ...] = ()


COLUMNS: tuple[Column, ...] = (
    Column(
        "title",
        "Tiêu đề",
        True,
        "Tiêu đề tin, bài, chương trình",
        "Hưởng ứng Ngày quyền con người",
        ("tên tin bài", "tên bài", "tiêu đề tin bài", "tên"),
    ),
    Column(
        "url",
        "Đường dẫn",
        False,
        "Địa chỉ trang (để trống với báo in, truyền thanh...)",
        "https://baokontum.com.vn/xa-hoi/huong-ung",
        ("url", "link", "liên kết", "đường link"),
    ),
    Column(
        "channel",
        "Kênh",
        True,
        "Một kênh trong danh sách (báo điện tử, phát thanh, ...)",
        "báo điện tử",
        ("kênh đăng", "kênh đăng tải", "loại hình", "phương tiện"),
    ),
    Column(
        "form",
        "Hình thức",
        False,
        "Tin, bài, phóng sự, chuyên đề, chương trình, tọa đàm, ...",
        "bài",
        ("thể loại", "dạng"),
    ),
    Column(
        "published",
        "Ngày đăng",
        True,
        "dd/mm/yyyy hoặc dd/mm/yyyy HH:MM (giờ Việt Nam)",
        "10/12/2024 08:30",
        ("ngày", "ngày đăng tải", "ngày phát", "ngày đăng/phát", "thời gian"),
    ),
    Column(
        "themes",
        "Nội dung",
        False,
        "Mã nội dung của chiến dịch, cách nhau dấu phẩy: T1, T3",
        "T1, T2",
        ("mã nội dung", "chủ đề", "nội dung tuyên truyền"),
    ),
    Column(
        "duration",
        "Thời lượng (phút)",
        False,
        "Với phát thanh, truyền hình, truyền thanh: số phút hoặc mm:ss",
        "",
        ("thời lượng", "thời lượng phút"),
    ),
    Column(
        "reach",
        "Lượt tiếp cận",
        False,
        "Số lượt xem, phát hành, nghe (số nguyên)",
        "1200",
        ("lượt xem", "số lượt tiếp cận", "lượt tiếp cận ước tính"),
    ),
    Column("note", "Ghi chú", False, "Ghi chú thêm", "", ("ghi chu", "chú thích")),
)
# Columns an export adds; accepted and ignored on import so an export can be re-imported.
IGNORED = (
    "stt",
    "số tt",
    "đơn vị",
    "mã đơn vị",
    "xác minh",
    "nguồn",
    "trạng thái xác minh",
    "chiến dịch",
)

# The export's first column: the output's own number. On import it names the output a row
# corrects (so a fixed title updates it instead of adding a copy); blank for a new output.
ID_HEADER = "Mã"
ID_SPELLINGS = ("mã", "id", "mã sản phẩm", "số hiệu")

_NON_WORD = re.compile(r"[^0-9a-z]+")


def header_key(text: str) -> str:
    """Accent-, case- and punctuation-insensitive form of a header."""
    return _NON_WORD.sub(" ", fold(text)).strip()


HEADER_INDEX: dict[str, Column] = {
    header_key(spelling): column
    for column in COLUMNS
    for spelling in (column.header, column.key, *column.aliases)
}
IGNORED_KEYS = frozenset(header_key(h) for h in IGNORED)
ID_KEYS = frozenset(header_key(h) for h in ID_SPELLINGS)
