"""Tone marks tesseract confuses, put right with a syllable-pair model of Vietnamese news.

Tesseract misreads marks in a few ways that a word list cannot settle, because both readings are
real syllables: the hook (hỏi) read as an acute ("tàu biến" for "tàu biển"), a speck read as a
mark ("phạm ví", "tỉnh chế"), and on capitals any mark made up or lost ("NAM 2025", "NỘI DỰNG").
Each syllable is compared with the forms it may have been printed as; the neighbours decide,
through counts of adjacent syllables in the news corpus (`data/syllables.npz`, built by
`build_syllables.py`). A form replaces the one read only when it is far more likely, so a printed
misprint that no misreading explains ("Quy dịnh", "Chường trình") stays as printed.
"""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

from trienkhai.documents.build_syllables import DATA_FILE, NUMBER, TOKEN, tokens
from trienkhai.text import fold, nfc

_ACUTE, _HOOK, _TILDE, _DOT, _HORN = "\u0301", "\u0309", "\u0303", "\u0323", "\u031b"
_TONES = frozenset("\u0300\u0301\u0303\u0309\u0323")
# Tone read → tones the printed letter may have had (besides itself), as the scans showed: in
# ordinary case a hook or tilde read as an acute, a speck read as an acute or a hook; on capitals
# also a tilde read as a dot below, a dot below made up.
_ORDINARY = {_ACUTE: frozenset({_HOOK, _TILDE, ""}), _HOOK: frozenset({""})}
_CAPITALS = {**_ORDINARY, _DOT: frozenset({_TILDE, ""})}
# A form must be this many times likelier than the one read (chosen on simulated confusions of
# held-out news sentences, never on the scan gate: see docs/parser-scores.md).
RATIO = 3000.0
# Weight of the unigram in the smoothed pair probability.
_ALPHA = 20.0


@dataclass(frozen=True)
class Model:
    """Syllable and adjacent-pair counts."""

    index: dict[str, int]
    counts: np.ndarray
    pair_keys: np.ndarray
    pair_counts: np.ndarray
    total: int
    by_fold: dict[str, tuple[str, ...]]

    def word(self, key: str) -> float:
        """Smoothed unigram probability."""
        i = self.index.get(key)
        seen = 0 if i is None else int(self.counts[i])
        return (seen + 0.5) / (self.total + len(self.index))

    def count(self, key: str) -> int:
        """How often the syllable was seen."""
        i = self.index.get(key)
        return 0 if i is None else int(self.counts[i])

    def pair(self, left: str, right: str) -> int:
        """How often right followed left."""
        a, b = self.index.get(left), self.index.get(right)
        if a is None or b is None:
            return 0
        key = a * len(self.index) + b
        at = int(np.searchsorted(self.pair_keys, key))
        found = at < len(self.pair_keys) and int(self.pair_keys[at]) == key
        return int(self.pair_counts[at]) if found else 0

    def follows(self, left: str, right: str) -> float:
        """P(right | left), the pair count smoothed towards the unigram."""
        return (self.pair(left, right) + _ALPHA * self.word(right)) / (self.count(left) + _ALPHA)


@cache
def model(path: Path = DATA_FILE) -> Model:
    """The shipped counts, loaded once."""
    with np.load(path) as data:
        words = [str(w) for w in data["words"]]
        by_fold: dict[str, list[str]] = {}
        for word in words:
            by_fold.setdefault(fold(word), []).append(word)
        return Model(
            index={w: i for i, w in enumerate(words)},
            counts=data["word_counts"],
            pair_keys=data["pair_keys"],
            pair_counts=data["pair_counts"],
            total=int(data["total"][0]),
            by_fold={k: tuple(v) for k, v in by_fold.items()},
        )


def marks(letter: str) -> tuple[str, str, str]:
    """A letter as (base, vowel marks, tone): "ổ" → ("o", "\u0302", "\u0309")."""
    parts = unicodedata.normalize("NFD", letter)
    tone = "".join(ch for ch in parts[1:] if ch in _TONES)
    shape = "".join(ch for ch in parts[1:] if ch not in _TONES)
    return parts[0], shape, tone


def _misread_letter(seen: str, printed: str) -> bool:
    """Whether tesseract reads a printed small letter as seen: same letter, tone misread."""
    base_s, shape_s, tone_s = marks(seen)
    base_p, shape_p, tone_p = marks(printed)
    if (base_s, shape_s) != (base_p, shape_p):
        return False
    return tone_s == tone_p or tone_p in _ORDINARY.get(tone_s, frozenset())


def _misread_capital(seen: str, printed: str) -> bool:
    """Whether tesseract reads a printed capital (given in small) as seen.

    Vowel marks (ă, â, ơ) may be lost and a horn made up; tones misread as above.
    """
    base_s, shape_s, tone_s = marks(seen)
    base_p, shape_p, tone_p = marks(printed)
    same_base = base_s == base_p or (base_s, base_p) == ("d", "đ")
    shape = shape_s in ("", shape_p) or (shape_s == _HORN and not shape_p)
    # A tone lost is not put back: too many capital words differ by a tone alone (THÔNG, THỐNG),
    # and the known phrases of ocr_fix restore the lost tones of header names.
    tone = tone_s == tone_p or tone_p in _CAPITALS.get(tone_s, frozenset())
    return same_base and shape and tone


def variants(word: str, m: Model) -> list[str]:
    """Lower-case forms the word may have been printed as (the word itself included)."""
    key = nfc(word.lower())
    same = [f for f in m.by_fold.get(fold(key), ()) if len(f) == len(key)]
    misread = _misread_capital if len(word) > 1 and word.isupper() else _misread_letter
    return sorted({key, *(f for f in same if all(map(misread, key, f)))})


def _cased(read: str, form: str) -> str:
    """The form in the case the word was read in."""
    if len(read) > 1 and read.isupper():
        return form.upper()
    if len(read) == len(form):
        return "".join(f.upper() if r.isupper() else f for r, f in zip(read, form, strict=True))
    return form


def _step(previous: str | None, form: str, m: Model) -> float:
    """Log probability of a form after the previous syllable (None: no syllable joined before)."""
    return math.log(m.follows(previous, form) if previous else m.word(form))


def fix_tones(text: str, ratio: float = RATIO, m: Model | None = None) -> str:
    """The text with the syllables whose marks were misread put right where context is clear.

    The likeliest reading of each run of joined syllables (Viterbi over each syllable's forms),
    where every syllable changed from what was read costs log(ratio).
    """
    m = m or model()
    found = list(tokens(text))
    out = [word for word, _, _ in found]
    cost = math.log(ratio)
    start = 0
    for end in range(1, len(found) + 1):
        if end == len(found) or not found[end][2]:
            for i, form in _decode(found[start:end], cost, m):
                out[start + i] = _cased(found[start + i][0], form)
            start = end
    return _rebuild(text, out)


def _decode(run: list[tuple[str, str, bool]], cost: float, m: Model) -> list[tuple[int, str]]:
    """The changed syllables (position, form) of the likeliest reading of a joined run."""
    options = [[key] if key == NUMBER else variants(word, m) for word, key, _ in run]
    if all(len(forms) == 1 for forms in options):
        return []
    # best[form] = (score, path) of the best reading ending in form.
    best: dict[str, tuple[float, list[str]]] = {}
    for (_, key, _), forms in zip(run, options, strict=True):
        nxt: dict[str, tuple[float, list[str]]] = {}
        for form in forms:
            change = 0.0 if form == key else cost
            if not best:
                nxt[form] = (_step(None, form, m) - change, [form])
                continue
            score, path = max(
                ((s + _step(prev, form, m), p) for prev, (s, p) in best.items()),
                key=lambda item: item[0],
            )
            nxt[form] = (score - change, [*path, form])
        best = nxt
    path = max(best.values(), key=lambda item: item[0])[1]
    return [
        (i, form)
        for i, (form, (_, key, _)) in enumerate(zip(path, run, strict=True))
        if form != key
    ]


def _rebuild(text: str, words: list[str]) -> str:
    """The text with its tokens replaced by words, in order."""
    pieces, last = [], 0
    spans = [match.span() for match in TOKEN.finditer(text)]
    for (start, end), word in zip(spans, words, strict=True):
        pieces += [text[last:start], word]
        last = end
    return "".join([*pieces, text[last:]])
