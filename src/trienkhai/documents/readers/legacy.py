"""Legacy Vietnamese font encodings (TCVN3/ABC, VNI-Windows, Windows-1258) and how to spot them."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from trienkhai.text import nfc

# TCVN3 (ABC, .VnTime fonts): one byte per letter. Capital toned letters have no code of their
# own; .VnTimeH fonts draw the lower-case codes as capitals, so plain text loses that case.
_TCVN3_LOWER = (
    "àµ á¸ ả¶ ã· ạ¹ ă¨ ằ» ắ¾ ẳ¼ ẵ½ ặÆ â© ầÇ ấÊ ẩÈ ẫÉ ậË đ® èÌ éÐ ẻÎ ẽÏ ẹÑ "
    "êª ềÒ ếÕ ểÓ ễÔ ệÖ ì× íÝ ỉØ ĩÜ ịÞ òß óã ỏá õâ ọä ô« ồå ốè ổæ ỗç ộé "
    "ơ¬ ờê ớí ởë ỡì ợî ùï úó ủñ ũò ụô ư\u00ad ừõ ứø ửö ữ÷ ựù ỳú ýý ỷû ỹü ỵþ "
    "Ă¡ Â¢ Đ§ Ê£ Ô¤ Ơ¥ Ư¦"
)
TCVN3: dict[str, str] = {pair[1]: pair[0] for pair in _TCVN3_LOWER.split()}

# VNI-Windows: a base letter followed by a mark byte; a few letters are single bytes.
_VNI_MARKS = {"\u0300": "ø", "\u0301": "ù", "\u0309": "û", "\u0303": "õ", "\u0323": "ï"}
_VNI_HAT = {"": "â", "\u0300": "à", "\u0301": "á", "\u0309": "å", "\u0303": "ã", "\u0323": "ä"}
_VNI_BREVE = {"": "ê", "\u0300": "è", "\u0301": "é", "\u0309": "ú", "\u0303": "ü", "\u0323": "ë"}
_VNI_I = {"": "i", "\u0300": "ì", "\u0301": "í", "\u0309": "æ", "\u0303": "ó", "\u0323": "ò"}
_TONES = ("", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323")


def _vni_lower() -> dict[str, str]:
    """Every lower-case Vietnamese letter and its VNI byte sequence."""
    table: dict[str, str] = {"đ": "ñ", "ỵ": "î"}
    for tone in _TONES:
        mark = _VNI_MARKS.get(tone, "")
        for base in "aeouy":
            table[nfc(base + tone)] = base + mark
        table[nfc("a\u0302" + tone)] = "a" + _VNI_HAT[tone]
        table[nfc("e\u0302" + tone)] = "e" + _VNI_HAT[tone]
        table[nfc("o\u0302" + tone)] = "o" + _VNI_HAT[tone]
        table[nfc("a\u0306" + tone)] = "a" + _VNI_BREVE[tone]
        table[nfc("o\u031b" + tone)] = "ô" + mark
        table[nfc("u\u031b" + tone)] = "ö" + mark
        table[nfc("i" + tone)] = _VNI_I[tone]
    table["ỵ"] = "î"
    return {k: v for k, v in table.items() if k != v}


@lru_cache(maxsize=1)
def vni_table() -> dict[str, str]:
    """Unicode letter → VNI-Windows sequence, both cases."""
    lower = _vni_lower()
    upper = {k.upper(): v.upper() for k, v in lower.items()}
    return {**lower, **upper}


@lru_cache(maxsize=1)
def _vni_decoder() -> tuple[re.Pattern[str], dict[str, str]]:
    """A longest-first pattern over VNI sequences and its reverse table."""
    reverse = {v: k for k, v in vni_table().items()}
    keys = sorted(reverse, key=len, reverse=True)
    return re.compile("|".join(re.escape(k) for k in keys)), reverse


def _single_bytes(data: bytes) -> str:
    """Bytes as Windows-1252 characters (Latin-1 where 1252 has a hole), as legacy fonts did."""
    return "".join(_CP1252[b] for b in data)


def _cp1252_char(b: int) -> str:
    """One byte in Windows-1252, or its Latin-1 character where 1252 defines none."""
    try:
        return bytes([b]).decode("cp1252")
    except UnicodeDecodeError:
        return chr(b)


_CP1252 = [_cp1252_char(b) for b in range(256)]
_LOWER = re.compile(r"[a-z]")
_UPPER = re.compile(r"[A-Z]")


def decode_tcvn3(data: bytes) -> str:
    """TCVN3 (ABC) bytes to NFC text; lines without plain lower-case letters become capitals."""
    lines = []
    for line in _single_bytes(data).split("\n"):
        decoded = "".join(TCVN3.get(ch, ch) for ch in line)
        # A .VnTimeH heading decodes to lower-case toned letters among capitals ("Së TH¤NG").
        capitals = _UPPER.search(line) and not _LOWER.search(line)
        lines.append(decoded.upper() if capitals else decoded)
    return nfc("\n".join(lines))


def decode_vni(data: bytes) -> str:
    """VNI-Windows bytes to NFC text."""
    pattern, reverse = _vni_decoder()
    return nfc(pattern.sub(lambda m: reverse[m.group(0)], _single_bytes(data)))


def encode_tcvn3(text: str) -> bytes:
    """NFC text to TCVN3 bytes (capital toned letters become their lower-case codes, as in ABC)."""
    reverse = {v: k for k, v in TCVN3.items()}
    out = []
    for ch in nfc(text):
        code = reverse.get(ch) or reverse.get(ch.lower()) if ord(ch) > 127 else ch
        out.append(code or ch)
    return "".join(out).encode("cp1252")


def encode_vni(text: str) -> bytes:
    """NFC text to VNI-Windows bytes."""
    table = vni_table()
    return "".join(table.get(ch, ch) for ch in nfc(text)).encode("cp1252")


def encode_cp1258(text: str) -> bytes:
    """NFC text to Windows-1258: a letter cp1258 lacks is written as base plus combining tone."""
    out = bytearray()
    for ch in nfc(text):
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            # Canonical order may put the tone before the hat (Ộ = O + dot below + circumflex).
            parts = unicodedata.normalize("NFD", ch)
            tone = "".join(p for p in parts if p in _TONES[1:])
            base = nfc("".join(p for p in parts if p not in _TONES[1:]))
            out += (base + tone).encode("cp1258")
    return bytes(out)


def decode_cp1258(data: bytes) -> str:
    """Windows-1258 bytes to NFC text (its combining tone marks are composed)."""
    return nfc(data.decode("cp1258"))


# A syllable: onset, one to three vowels, coda. Letters f j w z occur only in loanwords.
_SYLLABLE = re.compile(
    r"^(ngh|ng|nh|ch|gh|gi|kh|ph|th|tr|qu|[bcdđghklmnpqrstvx])?"
    r"(?P<nucleus>[aăâeêioôơuưy]{1,3})(?P<coda>ng|nh|ch|[cmnpt])?$"
)
_WORD = re.compile(r"[^\W\d_]+")


def _base_letter(ch: str) -> str:
    """A letter without its tone mark but keeping vowel quality (ế → ê)."""
    parts = unicodedata.normalize("NFD", ch.lower())
    kept = "".join(p for p in parts if p not in _TONES[1:])
    return nfc(kept)


def is_syllable(word: str) -> bool:
    """Whether a word is a well-formed Vietnamese syllable with at most one tone mark."""
    tones = sum(1 for ch in unicodedata.normalize("NFD", word) if ch in _TONES[1:])
    match = _SYLLABLE.match("".join(_base_letter(ch) for ch in word))
    if tones > 1 or match is None:
        return False
    nucleus, coda = match.group("nucleus"), match.group("coda")
    # A nucleus closed by a glide (ao, ai, ưu) takes no final consonant; "uy" does (huynh).
    return not (coda and nucleus[-1] in "iouy" and nucleus != "uy")


def vietnamese_score(text: str) -> float:
    """How Vietnamese a decoded text looks: share of well-formed syllables, diacritics rewarded."""
    good = bad = marked = 0
    for word in _WORD.findall(text[:200_000]):
        if is_syllable(word):
            good += 1
            marked += not word.isascii()
        else:
            bad += 1
    total = good + bad
    if total == 0:
        return 0.0
    return (good - 2 * bad + marked) / total
