"""Vietnamese text: NFC, one tone-mark convention for keys, diacritic folding, tokens."""

from __future__ import annotations

import re
import unicodedata

# Combining tone marks (sắc, huyền, hỏi, ngã, nặng); vowel-quality marks (ˆ ˘ ʼ) are not tones.
_TONES = {"\u0301", "\u0300", "\u0309", "\u0303", "\u0323"}
_WORD = re.compile(r"\w+", re.UNICODE)
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000]+")
# "hoà/thuỷ/khoẻ" (new style) versus "hòa/thủy/khỏe" (traditional, used by Decree 30 itself).
_NEW_STYLE = re.compile(r"(?<![qQ])([oOuU])([aAeEyY])([\u0301\u0300\u0309\u0303\u0323])(?!\w)")


def nfc(text: str) -> str:
    """Unicode NFC, the form every text is stored in."""
    return unicodedata.normalize("NFC", text)


def clean_spaces(text: str) -> str:
    """Collapse runs of spaces (NBSP and zero-width included) to one space per line."""
    return "\n".join(_SPACES.sub(" ", line).strip() for line in text.splitlines())


def normalize_tones(text: str) -> str:
    """Move tone marks of open oa/oe/uy syllables to the traditional place ("hoà" → "hòa")."""
    decomposed = unicodedata.normalize("NFD", text)
    return nfc(_NEW_STYLE.sub(lambda m: m.group(1) + m.group(3) + m.group(2), decomposed))


def fold(text: str) -> str:
    """Lower-case ASCII folding for diacritic-insensitive search ("Nhân quyền" → "nhan quyen")."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.lower()


def strip_tones(text: str) -> str:
    """Remove only tone marks, keeping vowel quality (ơ, ê, â ...)."""
    decomposed = unicodedata.normalize("NFD", text)
    return nfc("".join(ch for ch in decomposed if ch not in _TONES))


def key(text: str) -> str:
    """A matching key: traditional tone placement, case-folded, single spaces."""
    return " ".join(normalize_tones(nfc(text)).casefold().split())


def tokens(text: str, *, folded: bool = False) -> list[str]:
    """Lower-case word tokens (syllables), optionally diacritic-folded."""
    lowered = fold(text) if folded else nfc(text).casefold()
    return _WORD.findall(lowered)
