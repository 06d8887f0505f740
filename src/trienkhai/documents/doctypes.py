"""Document types and their abbreviations (Decree 30/2020/NĐ-CP Appendix III, normative types)."""

from __future__ import annotations

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
