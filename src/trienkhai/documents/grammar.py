"""The grammar of a Decree-30 document, in one place for the layout, body and checker readers.

Document types and their abbreviations (Appendix III and the normative types), the words that
open a body, the Kính gửi patterns, item labels with their one nesting-rank table, and the one
strict date helper.
"""

from __future__ import annotations

import datetime as dt
import re

from trienkhai.text import key

# Type name as printed in title case → abbreviation; None where the decree gives none.
TYPES: dict[str, str | None] = {
    "Nghị quyết": "NQ",
    "Quyết định": "QĐ",
    "Chỉ thị": "CT",
    "Quy chế": "QC",
    "Quy định": "QyĐ",
    "Thông cáo": "TC",
    "Thông báo": "TB",
    "Hướng dẫn": "HD",
    "Chương trình": "CTr",
    "Kế hoạch": "KH",
    "Phương án": "PA",
    "Đề án": "ĐA",
    "Dự án": "DA",
    "Báo cáo": "BC",
    "Biên bản": "BB",
    "Tờ trình": "TTr",
    "Hợp đồng": "HĐ",
    "Công điện": "CĐ",
    "Bản ghi nhớ": "BGN",
    "Bản thỏa thuận": "BTT",
    "Giấy ủy quyền": "GUQ",
    "Giấy mời": "GM",
    "Giấy giới thiệu": "GGT",
    "Giấy nghỉ phép": "GNP",
    "Phiếu gửi": "PG",
    "Phiếu chuyển": "PC",
    "Phiếu báo": "PB",
    "Nghị định": "NĐ",
    "Thông tư": "TT",
    "Thông tư liên tịch": "TTLT",
    "Nghị quyết liên tịch": "NQLT",
    "Lệnh": None,
    "Luật": None,
    "Bộ luật": None,
    "Pháp lệnh": None,
    "Hiến pháp": None,
    "Công văn": None,
    "Thư công": None,
}
CONG_VAN = "Công văn"
_BY_KEY = {key(name): name for name in TYPES}
_BY_ABBR = {key(abbr): name for name, abbr in TYPES.items() if abbr}


def type_name(line: str) -> str | None:
    """The type name when the whole line is a tên loại ("KẾ HOẠCH" → "Kế hoạch")."""
    return _BY_KEY.get(key(line.strip(" .:")).replace("uỷ", "ủy"))


def type_abbr(name: str | None) -> str | None:
    """The Appendix III abbreviation of a type name."""
    return TYPES.get(name) if name else None


def type_from_symbol(symbol: str | None) -> str | None:
    """The type named by a symbol's first group ("QĐ-UBND" → "Quyết định"), if any."""
    if not symbol:
        return None
    for group in symbol.split("/"):
        head = group.split("-")[0]
        if head and (name := _BY_ABBR.get(key(head))):
            return name
    return None


# Every abbreviation a typed document's symbol may open with (copies: SY, TrS, SL).
TYPE_ABBRS = frozenset([*(abbr for abbr in TYPES.values() if abbr), "SY", "TrS", "SL", "L", "PL"])


def real_date(day: int | str, month: int | str, year: int | str) -> dt.date | None:
    """The date, or None when no such day exists (ngày 32, tháng 13, 31/02, 29/02 of 2025)."""
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError:
        return None


def iso_date(day: str | None, month: str | None, year: str | None) -> str | None:
    """ISO date from printed parts, or None when any part is blank or the day does not exist."""
    if not (day and month and year):
        return None
    date = real_date(day, month, year)
    return date.isoformat() if date else None


# Words that open the body of a letter or plan (its first sentence), wherever the header ends.
_BODY_WORDS = (
    r"Căn cứ|Theo |Thực hiện|Xét |Trên cơ sở|Để |Nhằm|Ngày \d|Trả lời|Triển khai|Thời gian|"
    r"Trong |Tiếp theo|Qua |Hiện nay|Sau khi|Văn phòng Chính phủ nhận"
)
BODY_START = re.compile(rf"^(?:{_BODY_WORDS}|Căn$|Kính gửi|Đồng kính gửi)")
# Where an addressee list ends: a body sentence or the first Roman or numbered item.
BODY_OR_ITEM = re.compile(rf"^(?:{_BODY_WORDS}|[IVX]+\.\s|\d+\.\s)")
KINH_GUI = re.compile(r"^Kính\s*gửi\s*:?\s*", re.IGNORECASE)
# "Kính" alone: the label wrapped before "gửi".
KINH_WRAPPED = re.compile(r"^Kính$", re.IGNORECASE)
DONG_KINH_GUI = re.compile(r"^Đồng\s*kính\s*gửi\s*:?\s*", re.IGNORECASE)
# A công điện names its addressees after "… điện:" instead of Kính gửi.
DIEN = re.compile(r"\bđiện\s*:\s*$")

# Item labels: "I.", "1.", "1.1.", "1)", "a)", "-", "–", "+", "•", "*".
ITEM_LABEL = re.compile(
    r"^(?P<label>[IVXL]{1,5}\s*\.|\d{1,2}(?:\.\d{1,2}){0,3}\s*[.)]|\d{1,2}\.\d{1,2}(?:\.\d{1,2})*"
    r"|[a-zđ]\s*\)|[-–+•*])\s*(?P<text>.*)$"
)
# Nesting rank of each kind of item: a new item closes every open item of equal or lower rank.
# "para" is running text before the first item.
ITEM_RANK: dict[str, int] = {
    "chapter": 0, "article": 1, "para": 1, "roman": 2, "num0": 3, "num1": 4, "num2": 5,
    "num3": 6, "letter": 7, "bullet-": 8, "bullet–": 8, "bullet+": 9, "bullet•": 10,
    "bullet*": 10,
}  # fmt: skip
UNRANKED = 11


def item_kind(label: str) -> str:
    """The kind of an item label: roman, num0/num1…, letter or bullet-/bullet+/…."""
    label = label.strip()
    if label[:1].isdigit():
        return f"num{label.rstrip('.) ').count('.')}"
    if label[:1] in "IVXL" and label.endswith("."):
        return "roman"
    return "letter" if label.endswith(")") else f"bullet{label[:1]}"


def item_rank(kind: str) -> int:
    """The nesting rank of an item kind (lower ranks hold higher ones)."""
    return ITEM_RANK.get(kind, UNRANKED)
