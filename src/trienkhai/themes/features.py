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


def syllables(text: str) -> list[str]:
    """Lower-case syllables with the traditional tone placement."""
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    folded = text.casefold()
    found = _SYLLABLE.findall(folded)
    if not _ANY_NEW_STYLE.search(folded):
        return found
    # Only the syllables ending in "oà/uý"-style letters (endswith is one C call per syllable).
    fixed = {s: _traditional(s) for s in set(found) if s.endswith(_NEW_STYLE_ENDINGS)}
    if any(s != t for s, t in fixed.items()):
        return [fixed.get(s, s) for s in found]
    return found


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
        title, lead, body = split_article(article)
        heading = self._terms(title, table)
        parts = [self._terms(body, table), heading, heading, heading, self._terms(lead, table)]
        return np.concatenate(parts), table

    @staticmethod
    def _terms(text: str, table: Syllables) -> npt.NDArray[np.int64]:
        """Syllable codes then adjacent pair codes, as terms() lists them."""
        syl = syllables(text)
        ids = np.fromiter(map(table.__getitem__, syl), dtype=np.int64, count=len(syl))
        return np.concatenate([ids, PAIR_BASE + ids[:-1] * PAIR_BASE + ids[1:]])

    @staticmethod
    def term(code: int, table: Syllables) -> Term:
        """The term a code stands for."""
        if code < PAIR_BASE:
            return table.names[code]
        first, second = divmod(code - PAIR_BASE, PAIR_BASE)
        return (table.names[first], table.names[second])
