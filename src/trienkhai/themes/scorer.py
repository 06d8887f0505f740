"""Zero-shot theme scores from the theme texts alone, and the keyword baseline to beat."""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np
import numpy.typing as npt

from trienkhai.themes.association import Association, load
from trienkhai.themes.features import (
    PAIR_BITS,
    Article,
    Syllables,
    Term,
    TermCodes,
    display,
    split_article,
    syllables,
    term_key,
    terms,
)

# The reader's keywords carry a theme; the rest of its text is mostly campaign language
# ("tăng cường công tác tuyên truyền"), so it counts a tenth as much.
TEXT_SHARE = 0.1
# The theme is widened with the words the news corpus uses alongside it (LSA neighbours).
NEIGHBOURS = 30
NEIGHBOUR_SHARE = 0.5
# Raw scores are cosines; the logistic maps them to [0, 1] with MIDPOINT at 0.5.
MIDPOINT = 0.03
SPREAD = 0.008
DEFAULT_THRESHOLD = 0.5
DRIVERS = 5
UNSEEN, COMMON = -1, -2  # slots of terms that are not columns: unseen terms, function words


@dataclass(frozen=True)
class ThemeSpec:
    """A campaign theme as the directive reader gives it: code, full text, keywords."""

    code: str
    text: str
    keywords: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ThemeScore:
    """A theme's score in [0, 1] and the words that drove it, strongest first."""

    code: str
    score: float
    drivers: list[str]


class Scorer(Protocol):
    """Anything that scores an article against each theme."""

    def score(self, article: Article) -> dict[str, ThemeScore]:
        """A ThemeScore per theme code."""
        ...


def above(scores: dict[str, ThemeScore], threshold: float) -> list[str]:
    """The theme codes whose score reaches the threshold, in theme order."""
    return [code for code, s in scores.items() if s.score >= threshold]


def _count(
    codes: npt.NDArray[np.int64],
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Distinct codes (sorted), the position each first appears at, and how often each does."""
    shift = len(codes).bit_length()
    if shift > 63 - PAIR_BITS:  # too long to pack positions beside the codes
        return np.unique(codes, return_index=True, return_counts=True)
    # Code and position packed in one int64: a plain sort orders by code, then by position,
    # which is cheaper than the stable argsort np.unique needs for first positions.
    packed = np.sort((codes << shift) | np.arange(len(codes), dtype=np.int64))
    sorted_codes = packed >> shift
    starts = np.flatnonzero(np.diff(sorted_codes, prepend=-1))
    counts = np.diff(starts, append=len(codes))
    return sorted_codes[starts], packed[starts] & ((1 << shift) - 1), counts


def _lookup(
    codes: npt.NDArray[np.int64], slots: npt.NDArray[np.intp], wanted: npt.NDArray[np.int64]
) -> npt.NDArray[np.intp]:
    """The slot of each wanted code in a sorted table, UNSEEN where it has none."""
    at = np.searchsorted(codes, wanted)
    at[at == len(codes)] = 0
    return np.where(codes[at] == wanted, slots[at], UNSEEN)


def top_positive(values: npt.NDArray[np.float32], count: int) -> npt.NDArray[np.intp]:
    """Where the `count` largest positive values are, largest first, ties in index order."""
    positive = np.flatnonzero(values > 0)
    if len(positive) > 4 * count:  # only values from the count-th largest up need sorting
        kth = len(positive) - count
        positive = positive[values[positive] >= np.partition(values[positive], kth)[kth]]
    top: npt.NDArray[np.intp] = positive[np.argsort(-values[positive], kind="stable")[:count]]
    return top


def squash(raw: float) -> float:
    """Logistic map of a raw similarity to [0, 1], rounded to 4 places."""
    return round(1.0 / (1.0 + math.exp(-(raw - MIDPOINT) / SPREAD)), 4)


def _tfidf(counts: dict[Term, int], assoc: Association) -> dict[Term, float]:
    """Sublinear tf times idf, function words dropped."""
    out = {}
    for term, count in counts.items():
        w = assoc.weight(term)
        if w > 0 and count > 0:
            out[term] = (1.0 + math.log(count)) * w
    return out


@dataclass(frozen=True)
class Vector:
    """An article's unit tf-idf over known term ids, its unseen terms, and plain sublinear tf."""

    ids: npt.NDArray[np.intp]
    weights: npt.NDArray[np.float32]
    unseen_codes: npt.NDArray[np.int64]
    table: Syllables  # reads the unseen codes back
    tf: npt.NDArray[np.float32]  # known terms first, then the unseen ones

    @property
    def unseen(self) -> list[Term]:
        """The terms the association data does not know, in order of appearance."""
        return [TermCodes.term(c, self.table) for c in self.unseen_codes.tolist()]


class ZeroShotScorer:
    """Cosine of the article's tf-idf terms with each theme's widened, weighted terms."""

    def __init__(self, themes: list[ThemeSpec], association: Association | None = None) -> None:
        self.assoc = association or load()
        self.codes = [t.code for t in themes]
        queries = [self._query(t) for t in themes]
        known = self.assoc.index
        extra = sorted({t for q in queries for t in q if t not in known}, key=term_key)
        self.terms: list[Term] = [*self.assoc.terms, *extra]
        self.index = (
            {**known, **{t: len(known) + i for i, t in enumerate(extra)}} if extra else known
        )
        self.idf = np.concatenate(
            [self.assoc.idf, np.full(len(extra), self.assoc.max_idf, dtype=np.float32)]
        )
        self.matrix = np.zeros((len(themes), len(self.terms)), dtype=np.float32)
        for row, query in enumerate(queries):
            for term, weight in query.items():
                self.matrix[row, self.index[term]] = weight
        self.matrix /= np.maximum(np.linalg.norm(self.matrix, axis=1, keepdims=True), 1e-9)
        # Terms as int64 codes: an article is counted and looked up in numpy, not term by term.
        self.coder = TermCodes([*self.terms, *self.assoc.common])
        # One sorted table of codes: a known term's column, or COMMON for a function word.
        common = sorted(self.assoc.common - set(self.index), key=term_key)
        codes = np.concatenate([self.coder.codes(self.terms), self.coder.codes(common)])
        slots = np.concatenate(
            [np.arange(len(self.terms), dtype=np.intp), np.full(len(common), COMMON, np.intp)]
        )
        order = np.argsort(codes, kind="stable")
        self.table_codes, self.table_slots = codes[order], slots[order]

    def _query(self, theme: ThemeSpec) -> dict[Term, float]:
        """Weighted terms of a theme: keywords, a share of its text, then associated words."""
        keywords = _tfidf(Counter(t for k in theme.keywords for t in terms(k)), self.assoc)
        text = _tfidf(Counter(terms(theme.text)), self.assoc)
        if not keywords:  # a theme without keywords is carried by its text alone
            keywords, text = text, {}
        query = {t: keywords.get(t, 0.0) + TEXT_SHARE * text.get(t, 0.0) for t in keywords | text}
        top = max(query.values(), default=0.0)
        for term, similarity in self.assoc.neighbours(query, NEIGHBOURS):
            weight = NEIGHBOUR_SHARE * top * max(similarity, 0.0)
            query[term] = max(query.get(term, 0.0), weight)
        return query

    def vector(self, article: Article) -> Vector:
        """The article's unit tf-idf vector (title and lead weighted up)."""
        codes, table = self.coder.article(article)
        distinct, first, counts = _count(codes)
        # Looked up while sorted (binary searches in order stay in cache), then put in the
        # order of first appearance, as a Counter of weighted_terms lists them (same sums).
        slot = _lookup(self.table_codes, self.table_slots, distinct)
        order = np.argsort(first)  # first appearances are distinct: no tie to keep stable
        slot = slot[order]
        tf = 1.0 + np.log(counts[order].astype(np.float32))
        seen = slot >= 0
        ids = slot[seen]
        weights = tf[seen] * self.idf[ids]
        unseen_at = np.flatnonzero(slot == UNSEEN)
        unseen_weights = (tf[unseen_at] * self.assoc.max_idf).astype(np.float32)
        norm = math.sqrt(float(weights @ weights) + float(unseen_weights @ unseen_weights)) or 1.0
        return Vector(
            ids, weights / norm, distinct[order[unseen_at]], table,
            np.concatenate([tf[seen], tf[unseen_at]]),
        )  # fmt: skip

    def contributions(self, vector: Vector) -> npt.NDArray[np.float32]:
        """Each term's share of each theme's cosine (a row per theme; the cosine is its sum)."""
        parts: npt.NDArray[np.float32] = self.matrix[:, vector.ids] * vector.weights
        return parts

    def drivers(self, row: npt.NDArray[np.float32], vector: Vector) -> list[str]:
        """The terms that drive one theme's score, from its row of contributions."""
        return [display(self.terms[vector.ids[j]]) for j in top_positive(row, DRIVERS)]

    def raw(self, vector: Vector) -> tuple[npt.NDArray[np.float32], list[list[str]]]:
        """Cosine per theme and the top driving terms."""
        parts = self.contributions(vector)
        return parts.sum(axis=1), [self.drivers(row, vector) for row in parts]

    def score_vector(self, vector: Vector) -> dict[str, ThemeScore]:
        """A ThemeScore per theme from a prepared vector."""
        raws, drivers = self.raw(vector)
        return {
            code: ThemeScore(code, squash(float(r)), d)
            for code, r, d in zip(self.codes, raws, drivers, strict=True)
        }

    def score(self, article: Article) -> dict[str, ThemeScore]:
        """A ThemeScore per theme."""
        return self.score_vector(self.vector(article))


class KeywordScorer:
    """The baseline an officer does by hand: count the theme's keyword phrases in the article."""

    def __init__(self, themes: list[ThemeSpec]) -> None:
        self.codes = [t.code for t in themes]
        self.phrases = [
            sorted({" ".join(syllables(k)) for k in t.keywords if syllables(k)}) for t in themes
        ]

    def score(self, article: Article) -> dict[str, ThemeScore]:
        """hits / (hits + 2): two hits (or one in the title) reach 0.5."""
        title, _, body = split_article(article)
        title_text = f" {' '.join(syllables(title))} "
        body_text = f" {' '.join(syllables(body))} "
        out = {}
        for code, phrases in zip(self.codes, self.phrases, strict=True):
            hits = {p: 2 * title_text.count(f" {p} ") + body_text.count(f" {p} ") for p in phrases}
            total = sum(hits.values())
            drivers = [p for p in sorted(hits, key=lambda p: -hits[p]) if hits[p]]
            out[code] = ThemeScore(code, round(total / (total + 2), 4), drivers[:DRIVERS])
        return out
