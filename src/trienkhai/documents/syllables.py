"""Marks tesseract misreads, put right by a noisy channel: syllable pairs and measured confusions.

Tesseract misreads marks in ways that a word list cannot settle, because both readings are real
syllables: the hook (hỏi) read as an acute ("tàu biến" for "tàu biển"), a speck read as a mark
("phạm ví"), and on capitals marks made up or lost ("NAM 2025", "NỘI DỰNG"). Each syllable may
have been printed as any form with the same letters; the printed reading is the one likeliest
under two models: the language (counts of adjacent syllables in news and legal text,
`data/syllables.npz`, built by `build_syllables.py`) and the channel (how often tesseract reads
each printed letter as each other letter, apart for capitals and ordinary words, measured on
rendered scans of text no gate scores, `data/confusions.json`, written by
`bench/ocr_confusions.py`). A misreading tesseract was never seen to make is never assumed, so a
printed misprint that no misreading explains ("Chường trình") stays as printed.

The document itself is a third witness: a subject is nearly always printed again in the body
("Điều 1. Giải thể …"). Every other reading of a pair in the document is taken as a reading of
the same printed pair and weighs through the channel (`Witnesses`).
"""

from __future__ import annotations

import json
import math
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import numpy as np

from trienkhai.documents.build_syllables import DATA_FILE, NUMBER, TOKEN, tokens
from trienkhai.text import fold, nfc

_TONES = frozenset("\u0300\u0301\u0303\u0309\u0323")
# A reading must be this many times likelier, language model times channel, than the one read,
# and the pair count is smoothed towards the unigram with this weight. Both were chosen together
# on held-out news sentences and vbpl subjects misread by the measured channel
# (bench/tone_confusions.py) and confirmed on real OCR of 100 dev pages no gate draws
# (bench/tone_dev_scans.py), never on the scan gate: docs/parser-scores.md.
RATIO = 3.0
_ALPHA = 2000.0
# Tesseract's letter confusions, measured by bench/ocr_confusions.py on text no gate scores.
CONFUSIONS_FILE = Path(__file__).parent / "data" / "confusions.json"
# The other readings of a pair in the document count with this weight (below 1: tesseract's
# misreadings of one word on one page are not independent), and each may be another printed pair
# with this chance. Both chosen on the 100 dev pages of bench/tone_dev_scans.py, never on the gate.
WITNESS_WEIGHT = 0.5
_OTHER_PAIR = 1e-3
# A syllable's own measured readings count against the letter-by-letter estimate as if that
# estimate were this many readings (chosen on the dev pages of bench/tone_dev_scans.py).
SYLLABLE_PRIOR = 10.0
# Channel smoothing: one more reading of each letter as itself (a letter seldom seen is not
# taken as misread often).
_PRIOR = 1


def case_of(word: str) -> str:
    """ "capitals" for a word set in capitals (tesseract errs most there), else "ordinary"."""
    return "capitals" if len(word) > 1 and word.isupper() else "ordinary"


@dataclass(frozen=True)
class Channel:
    """How tesseract reads each printed letter, per case: log P(letter read | letter printed);
    and, for syllables measured often enough, how it reads the whole syllable."""

    counts: dict[str, dict[str, dict[str, int]]]
    syllables: dict[str, dict[str, dict[str, int]]] = field(default_factory=dict)

    def letter(self, case: str, printed: str, read: str) -> float:
        """log P(read | printed); minus infinity for a misreading tesseract never made."""
        row = self.counts[case].get(printed, {})
        seen = row.get(read, 0) + (_PRIOR if read == printed else 0)
        return math.log(seen / (sum(row.values()) + _PRIOR)) if seen else -math.inf

    def word(self, case: str, printed: str, read: str) -> float:
        """log P(read | printed) of a syllable (same length): its own measured readings, with the
        letter-by-letter estimate as the prior worth SYLLABLE_PRIOR readings."""
        letters = sum(self.letter(case, p, r) for p, r in zip(printed, read, strict=True))
        row = self.syllables.get(case, {}).get(printed)
        if not row:
            return letters
        chance = (row.get(read, 0) + SYLLABLE_PRIOR * math.exp(letters)) / (
            sum(row.values()) + SYLLABLE_PRIOR
        )
        return math.log(chance) if chance > 0 else -math.inf


@cache
def channel(path: Path = CONFUSIONS_FILE) -> Channel:
    """The shipped confusion counts, loaded once."""
    data = json.loads(path.read_text("utf-8"))
    return Channel(counts=data["counts"], syllables=data.get("syllables", {}))


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


@dataclass(frozen=True)
class Witnesses:
    """The document's other readings of each syllable pair, by the pair's letters without marks.

    One printed pair is taken to be printed the same wherever the document repeats it (one
    reading per document), so every reading of it elsewhere is evidence through the channel:
    "giải thể" read once in the body is hard to explain if the page printed "giải thế", because
    tesseract seldom adds a hook, though it often reads one as an acute.
    """

    readings: dict[tuple[str, str], Counter[tuple[str, str]]]
    ch: Channel

    @classmethod
    def of(cls, text: str, ch: Channel) -> Witnesses:
        """The pairs of a text (the document outside the lines being corrected), as read."""
        readings: dict[tuple[str, str], Counter[tuple[str, str]]] = {}
        previous = None
        for word, key, joined in tokens(text):
            if joined and previous is not None and key != NUMBER and previous[1] != NUMBER:
                folded = (fold(previous[1]), fold(key))
                readings.setdefault(folded, Counter())[previous[0], word] += 1
            previous = (word, key)
        return cls(readings=readings, ch=ch)

    def evidence(self, left: str, right: str) -> float:
        """Log likelihood of the pair's other readings if the page printed left right."""
        seen = self.readings.get((fold(left), fold(right)))
        if not seen:
            return 0.0
        total = 0.0
        for (read_left, read_right), times in seen.items():
            total += times * self._reading(left, right, read_left, read_right)
        return WITNESS_WEIGHT * total

    def _reading(self, left: str, right: str, read_left: str, read_right: str) -> float:
        """log P(one reading | printed pair), floored: a repeat may be another printed pair."""
        keys = (nfc(read_left.lower()), nfc(read_right.lower()))
        if len(keys[0]) != len(left) or len(keys[1]) != len(right):
            return math.log(_OTHER_PAIR)
        chance = self.ch.word(case_of(read_left), left, keys[0]) + self.ch.word(
            case_of(read_right), right, keys[1]
        )
        return max(chance, math.log(_OTHER_PAIR))


def marks(letter: str) -> tuple[str, str, str]:
    """A letter as (base, vowel marks, tone): "ổ" → ("o", "\u0302", "\u0309")."""
    parts = unicodedata.normalize("NFD", letter)
    tone = "".join(ch for ch in parts[1:] if ch in _TONES)
    shape = "".join(ch for ch in parts[1:] if ch not in _TONES)
    return parts[0], shape, tone


def variants(word: str, m: Model, ch: Channel | None = None) -> dict[str, float]:
    """Lower-case forms the word may have been printed as (itself included), each with the
    log probability that tesseract reads it as the word."""
    ch = ch or channel()
    key, case = nfc(word.lower()), case_of(word)
    forms = {f for f in m.by_fold.get(fold(key), ()) if len(f) == len(key)} | {key}
    scored = {f: ch.word(case, f, key) for f in forms}
    return {f: v for f, v in sorted(scored.items()) if f == key or v > -math.inf}


def _cased(read: str, form: str) -> str:
    """The form in the case the word was read in."""
    if len(read) > 1 and read.isupper():
        return form.upper()
    if len(read) == len(form):
        return "".join(f.upper() if r.isupper() else f for r, f in zip(read, form, strict=True))
    return form


def _step(previous: str | None, form: str, m: Model, seen: Witnesses | None) -> float:
    """Log probability of a form after the previous syllable (None: no syllable joined before),
    with the document's other readings of the pair as evidence."""
    if not previous:
        return math.log(m.word(form))
    step = math.log(m.follows(previous, form))
    return step + seen.evidence(previous, form) if seen else step


def fix_tones(
    text: str,
    ratio: float | None = None,
    m: Model | None = None,
    ch: Channel | None = None,
    context: str = "",
) -> str:
    """The text with the syllables whose marks were misread put right where context is clear.

    The likeliest printed reading of each run of joined syllables (Viterbi over each syllable's
    forms): pair model (mixed with the pairs of context, the rest of the document) times
    tesseract's chance of reading the form as read, and every syllable changed from what was read
    costs log(ratio) more.
    """
    m, ch = m or model(), ch or channel()
    seen = Witnesses.of(context, ch) if context.strip() else None
    found = list(tokens(text))
    out = [word for word, _, _ in found]
    cost = math.log(RATIO if ratio is None else ratio)
    start = 0
    for end in range(1, len(found) + 1):
        if end == len(found) or not found[end][2]:
            for i, form in _decode(found[start:end], cost, m, ch, seen):
                out[start + i] = _cased(found[start + i][0], form)
            start = end
    return _rebuild(text, out)


def _decode(
    run: list[tuple[str, str, bool]],
    cost: float,
    m: Model,
    ch: Channel,
    seen: Witnesses | None,
) -> list[tuple[int, str]]:
    """The changed syllables (position, form) of the likeliest reading of a joined run."""
    options = [{key: 0.0} if key == NUMBER else variants(word, m, ch) for word, key, _ in run]
    if all(len(forms) == 1 for forms in options):
        return []
    # best[form] = (score, path) of the best reading ending in form.
    best: dict[str, tuple[float, list[str]]] = {}
    for (_, key, _), forms in zip(run, options, strict=True):
        nxt: dict[str, tuple[float, list[str]]] = {}
        for form, misread in forms.items():
            emit = misread - (0.0 if form == key else cost)
            if not best:
                nxt[form] = (_step(None, form, m, seen) + emit, [form])
                continue
            score, path = max(
                ((s + _step(prev, form, m, seen), p) for prev, (s, p) in best.items()),
                key=lambda item: item[0],
            )
            nxt[form] = (score + emit, [*path, form])
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
