"""Unit names as knowledge: a list of several units is split into each, never inside one name.

"Sở Văn hóa, Thể thao và Du lịch" and "Sở Nông nghiệp và Môi trường" hold a comma or "và"
of their own. The names come from the shipped list of ministries, departments and agencies
(`data/agency-names.txt`, names before and after the 2025 mergers) and the unit registry.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

import yaml

# Variant spellings a printed name may use for the same letters ("hoá"/"hóa", "Uỷ"/"Ủy").
_VARIANTS = {"hóa": "h(?:óa|oá)", "ủy": "(?:ủy|uỷ)", "hòa": "h(?:òa|oà)", "thể": "thể"}
# What may open a unit inside a list: a body, a head, a collective ("các sở") or an acronym.
_UNIT_OPENING = re.compile(
    r"(?:Sở|Bộ|Ban|Ủy ban|Uỷ ban|UBND|UBMTTQ|MTTQ|Chủ tịch|Giám đốc|Thủ trưởng|Công an|"
    r"Thanh tra|Báo|Đài|Cổng|Trung tâm|Văn phòng|Cục|Tổng cục|Chi cục|Viện|Tòa án|Toà án|Hội|"
    r"Liên đoàn|Liên hiệp|Liên minh|Đoàn|Mặt trận|Tỉnh đoàn|Thành đoàn|Thuế|Kho bạc|Ngân hàng|"
    r"Công ty|Tập đoàn|Tổng công ty|Tổng Công ty|Bộ Chỉ huy|Thông tấn xã|Học viện|Trường|"
    r"Đại học|Bảo hiểm|Điện lực|Hội đồng|Phòng|Bưu điện|Người đứng đầu|Thường trực|Cơ quan|"
    r"các|Các|những|Những|[A-ZĐ]{2,}[A-ZĐ&-]*)\b"
)
_SEPARATOR = re.compile(r"\s*;\s*|\s*,\s*|\s+và\s+")


def _flexible(name: str) -> str:
    """A pattern for a name that tolerates spacing, hyphen spacing and variant spellings."""
    parts = []
    for word in re.split(r"(\s*[,-]\s*|\s+)", name.strip()):
        if not word:
            continue
        if word.isspace():
            parts.append(r"\s+")
        elif word.strip() in ",-":
            parts.append(rf"\s*{re.escape(word.strip())}\s*")
        else:
            parts.append(_VARIANTS.get(word.casefold(), re.escape(word)))
    return "".join(parts)


def _listed_names() -> list[str]:
    """The shipped names of ministries, departments and agencies."""
    text = resources.files("trienkhai.documents.data").joinpath("agency-names.txt")
    lines = text.read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def _registry_names() -> list[str]:
    """Names and aliases of the shipped unit registries that hold a comma or "và"."""
    names: list[str] = []
    for entry in resources.files("trienkhai.units.data").iterdir():
        if not entry.name.endswith((".yaml", ".yml")):
            continue
        data = yaml.safe_load(entry.read_text(encoding="utf-8")) or {}
        for unit in data.get("units", []):
            names += [unit.get("name") or "", *(unit.get("aliases") or [])]
    return [n for n in names if "," in n or " và " in n]


@cache
def _names_pattern() -> re.Pattern[str]:
    """One pattern for every known name, longest first so the whole name wins."""
    names = sorted(set(_listed_names() + _registry_names()), key=len, reverse=True)
    return re.compile("|".join(_flexible(n) for n in names), re.IGNORECASE)


def protected_spans(text: str) -> list[tuple[int, int]]:
    """Where known unit names stand in the text."""
    return [m.span() for m in _names_pattern().finditer(text)]


def split_units(text: str) -> list[str]:
    """The units a phrase lists, split at ";", "," and "và" but never inside a known name.

    A comma or "và" splits only where a unit opens after it ("Sở Y tế và UBND các xã"), so
    "Các sở, ngành, đơn vị liên quan" stays one collective.
    """
    spans = protected_spans(text)
    pieces, start = [], 0
    for match in _SEPARATOR.finditer(text):
        if any(a < match.start() < b for a, b in spans):
            continue
        hard = ";" in match.group(0)
        if not hard and not _UNIT_OPENING.match(text, match.end()):
            continue
        pieces.append(text[start : match.start()])
        start = match.end()
    pieces.append(text[start:])
    return [p.strip(" .,;:") for p in pieces if p.strip(" .,;:")]
