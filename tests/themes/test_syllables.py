"""The numpy syllable cutter gives exactly what the regular expression it replaced gives."""

from __future__ import annotations

import random
import re
import unicodedata

import numpy as np

from trienkhai.text import normalize_tones
from trienkhai.themes.features import (
    SHORT_TEXT,
    Article,
    TermCodes,
    _fold,
    _numpy_words,
    _regex_words,
    syllables,
    terms,
)

# The cutter it replaced: letter runs of the folded text, "hoà"-style endings made "hòa".
_SYLLABLE = re.compile(r"[^\W\d_]+")
_ANY_NEW_STYLE = re.compile("[ou][àáảãạèéẻẽẹỳýỷỹỵ](?![^\\W\\d_])")
_ENDINGS = tuple(f"{v}{t}" for v in "ou" for t in "àáảãạèéẻẽẹỳýỷỹỵ")

# Characters a syllable cutter can trip on, drawn at random into texts.
POOL = (
    "aăâeêioôơuưyđqhtnkgr"
    "àáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ"
    "AĂÂEÊOÔƠUƯYĐQÀÁẢÃẠÈÉẺẼẸÒÓỎÕỌÙÚỦŨỤỲÝỶỸỴ"
    "0123456789_ .,;:!?-–—/()[]\"'“”\n\t\u00a0\u200b\u0300\u0301\u0309\u0303\u0323"
    "ßİΣςЖж中ไ¹²½Ⅻ٣①ﬁǅ🎉𝐁𝟙\U00020000"
)


def _reference(text: str) -> list[str]:
    """Syllables as the regular expression cut them."""
    folded = unicodedata.normalize("NFC", text).casefold()
    found = _SYLLABLE.findall(folded)
    if not _ANY_NEW_STYLE.search(folded):
        return found
    fixed = {s: normalize_tones(s) for s in set(found) if s.endswith(_ENDINGS)}
    return [fixed.get(s, s) for s in found]


def test_random_texts_cut_like_the_regex() -> None:
    rng = random.Random(11)
    for n in range(3_000):
        text = "".join(rng.choice(POOL) for _ in range(rng.randint(0, 60)))
        expected = _reference(text)
        assert _numpy_words(_fold(text)) == expected, (n, text)
        assert _regex_words(_fold(text)) == expected, (n, text)
        assert syllables(text) == expected, (n, text)


def test_long_texts_take_the_numpy_cutter_and_agree() -> None:
    rng = random.Random(12)
    for n in range(50):
        text = "".join(rng.choice(POOL) for _ in range(rng.randint(SHORT_TEXT, 3 * SHORT_TEXT)))
        assert syllables(text) == _reference(text), n


def test_every_bmp_character_is_classed_like_the_regex() -> None:
    every = "".join(chr(c) for c in range(0x10000) if not 0xD800 <= c < 0xE000)
    assert syllables(every) == _reference(every)
    spaced = " ".join(every[i : i + 3] for i in range(0, len(every), 3))
    assert syllables(spaced) == _reference(spaced)


def test_new_style_tones_are_moved_only_at_a_syllable_end() -> None:
    assert syllables("Hoà HOÀ hoàn thuý quý khoẻ oà") == [
        "hòa", "hòa", "hoàn", "thúy", "quý", "khỏe", "òa",
    ]  # fmt: skip


def test_article_codes_cut_title_lead_and_body_apart() -> None:
    coder = TermCodes(["hòa", "bình"])
    for body in ("\nhoà\nbình cuối", "\nhoà\nbình cuối " + "Hoà bình thuý. " * SHORT_TEXT):
        article = Article("1", "Hoà bình", "Hoà bình" + body, lead="bình hoà")
        codes, table = coder.article(article)
        got = [TermCodes.term(int(c), table) for c in np.asarray(codes)]
        assert got == terms(body) + terms("Hoà bình") * 3 + terms("bình hoà")
