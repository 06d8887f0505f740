"""Matching keys for unit names: "UBND H. Đắk Hà" and "Ủy ban nhân dân huyện Đắk Hà" agree."""

from __future__ import annotations

import re

from trienkhai.text import key

# Applied in order on the key form (NFC, traditional tones, case-folded); each pair is
# (pattern, replacement). Abbreviations are the ones Decree-30 letters actually print.
_ABBREVIATIONS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"(?<!\w)ubnd(?!\w)"), "ủy ban nhân dân"),
    (re.compile(r"(?<!\w)hđnd(?!\w)"), "hội đồng nhân dân"),
    (re.compile(r"(?<!\w)(?:pt-th|ptth)(?!\w)"), "phát thanh-truyền hình"),
    (re.compile(r"(?<!\w)(?:tt&tt|tttt)(?!\w)"), "thông tin và truyền thông"),
    (re.compile(r"(?<!\w)ttđt(?!\w)"), "thông tin điện tử"),
    # OCR and typing slips drop the hook of "cổng" ("Công thông tin điện tử tỉnh").
    (re.compile(r"(?<!\w)công thông tin điện tử"), "cổng thông tin điện tử"),
    (re.compile(r"(?<!\w)h\.\s*"), "huyện "),
    (re.compile(r"(?<!\w)tp\.\s*|(?<!\w)tp\s+"), "thành phố "),
    (re.compile(r"(?<!\w)tx\.\s*"), "thị xã "),
]
_DASHES = re.compile(r"\s*[-‐‑‒–—―]\s*")
_QUOTES = re.compile(r"[’‘ʼ`´]")
_COMMAS = re.compile(r"\s*,\s*")
_AMPERSAND = re.compile(r"\s*&\s*")
_EMPHASIS = re.compile(r"[*_]+")
_EDGE_JUNK = " \t-•+*:;.,"
_LEADING_CAC = re.compile(r"^(?:các|những)\s+")


def match_key(phrase: str) -> str:
    """The key two names share when they name the same unit or group."""
    text = key(_EMPHASIS.sub(" ", phrase))
    text = _QUOTES.sub("'", text)
    text = _DASHES.sub("-", text)
    text = _AMPERSAND.sub("&", text)
    text = _COMMAS.sub(", ", text)
    text = text.strip(_EDGE_JUNK)
    for pattern, replacement in _ABBREVIATIONS:
        text = pattern.sub(replacement, text)
    # "Các cơ quan báo chí tỉnh" and "cơ quan báo chí tỉnh" name the same group.
    text = _LEADING_CAC.sub("", text)
    return " ".join(text.split()).strip(_EDGE_JUNK)


_SPLIT = re.compile(r"\s*;\s*|\s+và\s+(?=(?:các|cổng|ủy|ubnd|sở|báo|đài)\b)", re.IGNORECASE)


def split_phrase(phrase: str) -> list[str]:
    """Parts of a compound recipient phrase ("Cổng TTĐT tỉnh và các sở, ban, ngành")."""
    parts = [part.strip(_EDGE_JUNK) for part in _SPLIT.split(phrase)]
    return [part for part in parts if part]
