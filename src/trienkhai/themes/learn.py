"""Learning from confirmations: a linear model per theme, blended with the zero-shot score."""

from __future__ import annotations

import math
import zlib
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from trienkhai.themes.features import Article, Term, TermCodes, display, term_key
from trienkhai.themes.scorer import (
    DRIVERS,
    ThemeScore,
    ThemeSpec,
    Vector,
    ZeroShotScorer,
    squash,
    top_positive,
)

# Terms the corpus never saw (names, new words) go to hashed columns after the known terms.
HASH_BITS = 16
# The learnt model's share is n / (n + BLEND_EXAMPLES), n = examples of the rarer class.
BLEND_EXAMPLES = 5.0


def _bucket(term: Term) -> int:
    """Stable hash column of an unseen term (crc32, so a rebuilt model finds the same column)."""
    return zlib.crc32(term_key(term).encode()) & ((1 << HASH_BITS) - 1)


def _hashed(vector: Vector) -> npt.NDArray[np.intp]:
    """Hash columns of the article's unseen terms, remembered per code of its syllable table."""
    memo = vector.table.buckets
    if len(memo) > 1 << 20:  # replaced, not cleared: another thread may be reading the old one
        memo = vector.table.buckets = {}
    codes = vector.unseen_codes.tolist()
    # One lookup per code (the memo grows to a million entries, each lookup a cache miss).
    found = list(map(memo.get, codes))
    if None in found:
        for at, code in enumerate(codes):
            if found[at] is None:
                found[at] = memo[code] = _bucket(TermCodes.term(code, vector.table))
    return np.array(found, dtype=np.intp)


@dataclass(frozen=True)
class Row:
    """An article's feature row: sorted distinct columns and their values."""

    indices: npt.NDArray[np.intp]
    data: npt.NDArray[np.float32]


@dataclass(frozen=True)
class Linear:
    """One theme's fitted weights over all columns, and its intercept."""

    weights: npt.NDArray[np.float32]
    intercept: float

    def probability(self, row: Row) -> float:
        """Logistic of the row's score."""
        z = float(row.data @ self.weights[row.indices]) + self.intercept
        return 1.0 / (1.0 + math.exp(-max(min(z, 30.0), -30.0)))


@dataclass
class Example:
    """A confirmed article: its feature row and the themes it was confirmed to be about."""

    row: Row
    themes: frozenset[str]


class LearnedScorer:
    """Zero-shot scores blended with one logistic regression per theme, refit on every change."""

    def __init__(self, themes: list[ThemeSpec], zero_shot: ZeroShotScorer | None = None) -> None:
        self.codes = [t.code for t in themes]
        self.zero_shot = zero_shot or ZeroShotScorer(themes)
        self.known = len(self.zero_shot.terms)
        self.width = self.known + (1 << HASH_BITS)
        self.examples: list[Example] = []
        self.models: dict[str, Linear] = {}
        self.shares: dict[str, float] = {}

    def row(self, vector: Vector) -> Row:
        """The feature row of an article: unit sublinear tf over known and hashed columns."""
        # Plain tf, not tf-idf: with few examples idf makes every rare name a strong feature.
        hashed = self.known + _hashed(vector)
        cols = np.concatenate([vector.ids, hashed])
        vals = vector.tf / (float(np.linalg.norm(vector.tf)) or 1.0)
        # Sorted, unseen terms sharing a hash column summed: what scipy's canonical CSR row
        # holds, built in numpy so scoring needs no scipy (and no sparse matrix per article).
        order = np.argsort(cols, kind="stable")
        cols, vals = cols[order], vals[order]
        firsts = np.flatnonzero(np.diff(cols, prepend=-1))
        if len(firsts) < len(cols):
            cols, vals = cols[firsts], np.add.reduceat(vals, firsts)
        return Row(cols, vals)

    def add(self, article: Article, themes: set[str] | frozenset[str]) -> None:
        """Store one labelled article (the model is refit by fit())."""
        self.examples.append(Example(self.row(self.zero_shot.vector(article)), frozenset(themes)))

    def fit(self) -> None:
        """Refit every theme's model from all stored examples."""
        # Imported here: the web process loads this module, and only training needs them.
        from scipy import sparse  # noqa: PLC0415
        from sklearn.linear_model import LogisticRegression  # noqa: PLC0415

        self.models, self.shares = {}, {}
        if not self.examples:
            return
        rows = [e.row for e in self.examples]
        indptr = np.cumsum([0, *(len(r.indices) for r in rows)])
        matrix = sparse.csr_matrix(
            (np.concatenate([r.data for r in rows]), np.concatenate([r.indices for r in rows]),
             indptr),
            shape=(len(rows), self.width),
        )  # fmt: skip
        # Only the columns the examples use: liblinear's cost grows with the column count.
        used = np.unique(matrix.indices)
        compact = matrix[:, used]
        for code in self.codes:
            labels = np.array([code in e.themes for e in self.examples], dtype=np.int8)
            rarer = int(min(labels.sum(), len(labels) - labels.sum()))
            if rarer == 0:
                continue
            model = LogisticRegression(C=10.0, class_weight="balanced", solver="liblinear")
            model.fit(compact, labels)
            weights = np.zeros(self.width, dtype=np.float32)
            weights[used] = model.coef_[0]
            self.models[code] = Linear(weights, float(model.intercept_[0]))
            self.shares[code] = rarer / (rarer + BLEND_EXAMPLES)

    def score(self, article: Article) -> dict[str, ThemeScore]:
        """Blended ThemeScore per theme; the drivers come from the side that weighs more."""
        vector = self.zero_shot.vector(article)
        if not self.models:
            return self.zero_shot.score_vector(vector)
        row = self.row(vector)
        # The zero-shot drivers are found only for the themes whose learnt side weighs less.
        parts = self.zero_shot.contributions(vector)
        out = {}
        for code, theme_parts, raw in zip(self.codes, parts, parts.sum(axis=1), strict=True):
            base = squash(float(raw))
            model = self.models.get(code)
            share = self.shares.get(code, 0.0)
            if model is not None and share >= 0.5:
                drivers = self._drivers(model, vector)
            else:
                drivers = self.zero_shot.drivers(theme_parts, vector)
            if model is not None:
                base = round(share * model.probability(row) + (1 - share) * base, 4)
            out[code] = ThemeScore(code, base, drivers)
        return out

    def _drivers(self, model: Linear, vector: Vector) -> list[str]:
        """The article's known terms that push hardest towards the theme."""
        parts = model.weights[vector.ids] * vector.tf[: len(vector.ids)]
        top = top_positive(parts, DRIVERS)
        return [display(self.zero_shot.terms[vector.ids[j]]) for j in top]
