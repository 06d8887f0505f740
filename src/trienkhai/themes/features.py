"""Terms of a Vietnamese text: syllables and adjacent syllable pairs, tone placement normalised."""

from __future__ import annotations

import functools
import itertools
import re
import threading
import unicodedata
from collections import Counter
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from trienkhai.text import normalize_tones

# A term is a syllable ("bán") or a pair of adjacent syllables (("mua", "bán")): tuples count
# and hash at C speed, which keeps scoring above 2,000 articles a second.
Term = str | tuple[str, str]

# Letters only: numbers and dates say little about what a text is about.
_SYLLABLE = re.compile(r"[^\W\d_]+")
TITLE_REPEAT = 3  # the title counts three times
LEAD_REPEAT = 1  # the lead counts once more than the body it opens
LEAD_CHARS = 400
# Any "oà/uý/oẻ"-style syllable end; only those syllables pay for text.normalize_tones.
_ANY_NEW_STYLE = re.compile("[ou][àáảãạèéẻẽẹỳýỷỹỵ](?![^\\W\\d_])")
_NEW_STYLE_ENDINGS = tuple(f"{v}{t}" for v in "ou" for t in "àáảãạèéẻẽẹỳýỷỹỵ")
# Kinds of code point, bits of one byte: a syllable letter, "o"/"u", a vowel with a tone.
_LETTER, _O_OR_U, _TONED = 1, 2, 4
_SPACE = np.uint32(ord(" "))
_BMP = 0x10000  # the table covers the Basic Multilingual Plane; rarer points are looked up
# Below this many characters the regular expression cuts faster than numpy (whose calls cost
# the same on a headline as on an article); above it numpy is faster, 1.5 times at 3,000.
SHORT_TEXT = 1_000


@functools.cache
def _kinds() -> npt.NDArray[np.uint8]:
    """The kind of every BMP code point, built from _SYLLABLE itself so both agree exactly."""
    every = "".join(map(chr, range(_BMP)))
    kinds = np.zeros(_BMP, dtype=np.uint8)
    for match in _SYLLABLE.finditer(every):
        kinds[match.start() : match.end()] = _LETTER
    kinds[[ord(c) for c in "ou"]] |= _O_OR_U
    kinds[[ord(c) for c in "àáảãạèéẻẽẹỳýỷỹỵ"]] |= _TONED
    return kinds


@functools.lru_cache(maxsize=4_096)
def _astral_kind(point: int) -> int:
    """The kind of a code point beyond the BMP (emoji, mathematical letters, rare CJK)."""
    return _LETTER if _SYLLABLE.fullmatch(chr(point)) else 0


def _kinds_of(points: npt.NDArray[np.uint32]) -> npt.NDArray[np.uint8]:
    """The kind of each code point of a text."""
    kinds = _kinds()[np.minimum(points, _BMP - 1)]
    for at in np.flatnonzero(points >= _BMP).tolist():
        kinds[at] = _astral_kind(int(points[at]))
    return kinds


Cut = tuple[npt.NDArray[np.uint32], npt.NDArray[np.bool_], npt.NDArray[np.intp]]


def _fold(text: str) -> str:
    """NFC, then case-folded."""
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    return text.casefold()


def _cut(folded: str) -> Cut | None:
    """A folded text's code points (tone placement fixed), which are letters, syllable starts.

    None when moving a tone mark would change a syllable's length (never seen in Vietnamese):
    the caller then cuts with the regular expression.
    """
    # In numpy rather than a regular expression: a findall over 600 words was the largest
    # cost of scoring an article. Code points are classed by table, syllables are letter runs.
    points = np.frombuffer(folded.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    kinds = _kinds_of(points)
    letter = (kinds & _LETTER).astype(np.bool_)
    starts = np.flatnonzero(np.diff(letter.view(np.int8), prepend=0) > 0)
    new_style = _new_style_ends(kinds)
    if len(new_style):
        retoned = _retone(folded, points, starts, new_style)
        if retoned is None:
            return None
        points = retoned
    return points, letter, starts


def _split(points: npt.NDArray[np.uint32], letter: npt.NDArray[np.bool_]) -> list[str]:
    """The letter runs: every non-letter becomes a space, then str.split cuts at C speed."""
    spaced = np.where(letter, points, _SPACE)
    return spaced.tobytes().decode("utf-32-le", "surrogatepass").split()


def syllables(text: str) -> list[str]:
    """Lower-case syllables (runs of letters) with the traditional tone placement."""
    folded = _fold(text)
    return _regex_words(folded) if len(folded) < SHORT_TEXT else _numpy_words(folded)


def _regex_words(folded: str) -> list[str]:
    """The syllables of a folded text, cut by the regular expression."""
    found = _SYLLABLE.findall(folded)
    return _retone_words(found) if _ANY_NEW_STYLE.search(folded) else found


def _numpy_words(folded: str) -> list[str]:
    """The syllables of a folded text, cut in numpy: the same list as _regex_words."""
    cut = _cut(folded)
    return _regex_words(folded) if cut is None else _split(cut[0], cut[1])


def _new_style_ends(kinds: npt.NDArray[np.uint8]) -> npt.NDArray[np.intp]:
    """Where a syllable ends in "o/u" then a toned vowel ("hoà", "thuý", not "hoàn")."""
    # "o/u" then a toned vowel is rare enough to find first, over the whole text.
    pairs: npt.NDArray[np.intp] = np.flatnonzero((kinds[:-1] & _O_OR_U) & (kinds[1:] & _TONED) >> 1)
    pairs += 1
    if not len(pairs):
        return pairs
    after = np.append(kinds, np.uint8(0))[pairs + 1]  # a text's end is not a letter
    ends: npt.NDArray[np.intp] = pairs[(after & _LETTER) == 0]
    return ends


def _retone(
    folded: str,
    points: npt.NDArray[np.uint32],
    starts: npt.NDArray[np.intp],
    new_style: npt.NDArray[np.intp],
) -> npt.NDArray[np.uint32] | None:
    """The code points with those syllables in traditional placement; None if one changes length."""
    fixed = points.copy()
    word_starts = starts[np.searchsorted(starts, new_style, side="right") - 1].tolist()
    for start, end in zip(word_starts, new_style.tolist(), strict=True):
        new = _retoned(folded[start : end + 1])
        if new is None:
            return None
        if new:
            fixed[start : end + 1] = new
    return fixed


@functools.lru_cache(maxsize=65_536)
def _retoned(word: str) -> tuple[int, ...] | None:
    """A word's code points in traditional placement: () if unchanged, None if not one for one."""
    new = _traditional(word)
    if new == word:
        return ()
    kinds = _kinds_of(np.array([ord(c) for c in new], dtype=np.uint32))
    if len(new) != len(word) or not (kinds & _LETTER).all():
        return None
    return tuple(ord(c) for c in new)


def _retone_words(found: list[str]) -> list[str]:
    """Syllables ending in "oà/uý"-style letters in traditional placement, one call per word."""
    fixed = {s: _traditional(s) for s in set(found) if s.endswith(_NEW_STYLE_ENDINGS)}
    return [fixed.get(s, s) for s in found]


@functools.lru_cache(maxsize=65_536)
def _traditional(syllable: str) -> str:
    """A syllable with the traditional tone placement (a handful recur in every text)."""
    return normalize_tones(syllable)


def terms(text: str) -> list[Term]:
    """Syllables followed by adjacent syllable pairs."""
    syl = syllables(text)
    return [*syl, *itertools.pairwise(syl)]


def term_key(term: Term) -> str:
    """The stored spelling of a term ("mua_bán" for a pair)."""
    return term if isinstance(term, str) else "_".join(term)


def from_key(key: str) -> Term:
    """A term from its stored spelling."""
    if "_" not in key:
        return key
    first, second = key.split("_", 1)
    return (first, second)


def display(term: Term) -> str:
    """A term as a reader writes it ("mua bán")."""
    return term if isinstance(term, str) else " ".join(term)


@dataclass(frozen=True)
class Article:
    """What is scored: an id, a title, an optional lead and the body text."""

    id: str
    title: str
    text: str
    lead: str = ""


def split_article(article: Article) -> tuple[str, str, str]:
    """Title, lead and body; the lead defaults to the first paragraph after the title."""
    body = article.text
    title = article.title.strip()
    if title and body.startswith(title):
        body = body[len(title) :]
    lead = article.lead.strip()
    if not lead:
        paragraphs = [p for p in body.split("\n", 3)[:3] if p.strip()]
        lead = paragraphs[0][:LEAD_CHARS] if paragraphs else ""
    return title, lead, body


def weighted_terms(article: Article) -> Counter[Term]:
    """Term counts with the title weighted above the lead, and the lead above the body."""
    title, lead, body = split_article(article)
    heading = terms(title) * TITLE_REPEAT + terms(lead) * LEAD_REPEAT
    syl = syllables(body)
    return Counter(itertools.chain(syl, itertools.pairwise(syl), heading))


# Pair codes sit above every syllable id: code = PAIR_BASE + first * PAIR_BASE + second,
# so every code is below 2 ** PAIR_BITS.
PAIR_BASE = 1 << 21
PAIR_BITS = 43
MAX_SYLLABLES = PAIR_BASE - 1


class Syllables(dict[str, int]):
    """Syllable ids: known ones fixed, new ones numbered as they are met (up to a cap)."""

    def __init__(self, known: list[str]) -> None:
        super().__init__((s, i) for i, s in enumerate(known))
        self.names = list(known)
        self.base = len(known)
        self.lock = threading.Lock()
        self.buckets: dict[int, int] = {}  # hash column of an unseen term's code (learn.py)

    def __missing__(self, syllable: str) -> int:
        """Number a syllable seen for the first time."""
        with self.lock:
            found = self.get(syllable)
            if found is None:
                found = self[syllable] = len(self.names)
                self.names.append(syllable)
            return found

    def full(self) -> bool:
        """Whether the numbering must start over (ids must stay below PAIR_BASE)."""
        return len(self.names) >= MAX_SYLLABLES

    def fresh(self) -> Syllables:
        """A table with only the known syllables."""
        return Syllables(self.names[: self.base])


class TermCodes:
    """Terms as int64 codes, so an article's terms are counted and looked up in numpy."""

    def __init__(self, terms: list[Term]) -> None:
        words = sorted({w for t in terms for w in ((t,) if isinstance(t, str) else t)})
        self.table = Syllables(words)

    def code(self, term: Term) -> int:
        """The code of a term (its syllables numbered if new)."""
        if isinstance(term, str):
            return self.table[term]
        return PAIR_BASE + self.table[term[0]] * PAIR_BASE + self.table[term[1]]

    def codes(self, terms: list[Term]) -> npt.NDArray[np.int64]:
        """The codes of several terms."""
        return np.array([self.code(t) for t in terms], dtype=np.int64)

    def article(self, article: Article) -> tuple[npt.NDArray[np.int64], Syllables]:
        """Codes of the article's terms in weighted_terms order, and the table that reads them."""
        table = self.table
        if table.full():  # names of one-off words would otherwise grow without end
            table = self.table = table.fresh()
        title, lead, body = (_fold(p) for p in split_article(article))
        body_ids, title_ids, lead_ids = _part_ids([body, title, lead], table)
        heading = _with_pairs(title_ids)
        parts = [_with_pairs(body_ids), heading, heading, heading, _with_pairs(lead_ids)]
        return np.concatenate(parts), table

    @staticmethod
    def term(code: int, table: Syllables) -> Term:
        """The term a code stands for."""
        if code < PAIR_BASE:
            return table.names[code]
        first, second = divmod(code - PAIR_BASE, PAIR_BASE)
        return (table.names[first], table.names[second])


def _with_pairs(ids: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """Syllable codes then adjacent pair codes, as terms() lists them."""
    return np.concatenate([ids, PAIR_BASE + ids[:-1] * PAIR_BASE + ids[1:]])


def _ids(found: list[str], table: Syllables) -> npt.NDArray[np.int64]:
    """The ids of syllables (new ones numbered in the table)."""
    return np.fromiter(map(table.__getitem__, found), dtype=np.int64, count=len(found))


def _part_ids(parts: list[str], table: Syllables) -> list[npt.NDArray[np.int64]]:
    """The syllable ids of each folded part of an article (body, title, lead)."""
    # A long article is cut in one numpy pass (its calls cost the same on a title as on a body),
    # the parts a space apart so no syllable spans two; a short one by the regular expression.
    joined = " ".join(parts)
    cut = _cut(joined) if len(joined) >= SHORT_TEXT else None
    if cut is None:
        return [_ids(_regex_words(p), table) for p in parts]
    points, letter, starts = cut
    ends = np.cumsum([len(p) + 1 for p in parts[:-1]])  # where each next part starts
    return np.split(_ids(_split(points, letter), table), np.searchsorted(starts, ends).tolist())
