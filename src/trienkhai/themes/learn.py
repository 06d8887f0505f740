"""Learning from confirmations: a linear model per theme on hashed terms, blended with zero-shot."""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy import sparse
from sklearn.linear_model import LogisticRegression
from sklearn.utils import murmurhash3_32

from trienkhai.themes.features import Article, display, weighted_terms
from trienkhai.themes.scorer import DRIVERS, ThemeScore, ThemeSpec, ZeroShotScorer

HASH_BITS = 18
# The learnt model's share is n / (n + BLEND_EXAMPLES), n = examples of the rarer class.
BLEND_EXAMPLES = 5.0


@functools.lru_cache(maxsize=1 << 20)
def _bucket(term: str) -> int:
    """Hash bucket of a term (cached: the same words come back in every article)."""
    return int(murmurhash3_32(term, seed=0, positive=True)) & ((1 << HASH_BITS) - 1)


def vectorise(article: Article) -> tuple[sparse.csr_matrix, dict[int, str]]:
    """One L2-normalised row of hashed sublinear term weights, and bucket → a term in it."""
    counts = weighted_terms(article)
    merged: dict[int, float] = {}
    names: dict[int, str] = {}
    for term, count in counts.items():
        j = _bucket(term)
        weight = 1.0 + math.log(count) if count >= 1 else count
        merged[j] = merged.get(j, 0.0) + weight
        names.setdefault(j, term)
    cols = np.fromiter(merged.keys(), dtype=np.int32, count=len(merged))
    vals = np.fromiter(merged.values(), dtype=np.float32, count=len(merged))
    norm = float(np.linalg.norm(vals)) or 1.0
    row = sparse.csr_matrix(
        (vals / norm, cols, np.array([0, len(cols)], dtype=np.int32)), shape=(1, 1 << HASH_BITS)
    )
    return row, names


@dataclass(frozen=True)
class Linear:
    """One theme's fitted weights over all hash buckets, and its intercept."""

    weights: npt.NDArray[np.float32]
    intercept: float

    def probability(self, row: sparse.csr_matrix) -> float:
        """Logistic of the row's score."""
        z = float(row.data @ self.weights[row.indices]) + self.intercept
        return 1.0 / (1.0 + math.exp(-max(min(z, 30.0), -30.0)))


@dataclass
class Example:
    """A confirmed article: its hashed row and the themes it was confirmed to be about."""

    row: sparse.csr_matrix
    themes: frozenset[str]


class LearnedScorer:
    """Zero-shot scores blended with one logistic regression per theme, refit on every change."""

    def __init__(self, themes: list[ThemeSpec], zero_shot: ZeroShotScorer | None = None) -> None:
        self.codes = [t.code for t in themes]
        self.zero_shot = zero_shot or ZeroShotScorer(themes)
        self.examples: list[Example] = []
        self.models: dict[str, Linear] = {}
        self.shares: dict[str, float] = {}

    def add(self, article: Article, themes: set[str] | frozenset[str]) -> None:
        """Store one labelled article (the model is refit by fit())."""
        row, _ = vectorise(article)
        self.examples.append(Example(row, frozenset(themes)))

    def fit(self) -> None:
        """Refit every theme's model from all stored examples."""
        self.models, self.shares = {}, {}
        if not self.examples:
            return
        matrix = sparse.vstack([e.row for e in self.examples], format="csr")
        # Only the buckets the examples use: liblinear's cost grows with the column count.
        used = np.unique(matrix.indices)
        compact = matrix[:, used]
        for code in self.codes:
            labels = np.array([code in e.themes for e in self.examples], dtype=np.int8)
            rarer = int(min(labels.sum(), len(labels) - labels.sum()))
            if rarer == 0:
                continue
            model = LogisticRegression(C=10.0, class_weight="balanced", solver="liblinear")
            model.fit(compact, labels)
            weights = np.zeros(1 << HASH_BITS, dtype=np.float32)
            weights[used] = model.coef_[0]
            self.models[code] = Linear(weights, float(model.intercept_[0]))
            self.shares[code] = rarer / (rarer + BLEND_EXAMPLES)

    def score(self, article: Article) -> dict[str, ThemeScore]:
        """Blended ThemeScore per theme; the drivers come from the side that weighs more."""
        base = self.zero_shot.score(article)
        if not self.models:
            return base
        row, names = vectorise(article)
        out = dict(base)
        for code, model in self.models.items():
            share = self.shares[code]
            learnt = model.probability(row)
            score = share * learnt + (1 - share) * base[code].score
            drivers = base[code].drivers
            if share >= 0.5:
                drivers = self._drivers(model, row, names)
            out[code] = ThemeScore(code, round(score, 4), drivers)
        return out

    @staticmethod
    def _drivers(model: Linear, row: sparse.csr_matrix, names: dict[int, str]) -> list[str]:
        """The article's terms that push hardest towards the theme."""
        coef = model.weights
        parts = {int(j): float(coef[j] * v) for j, v in zip(row.indices, row.data, strict=True)}
        top = [j for j in sorted(parts, key=lambda j: -parts[j]) if parts[j] > 0][:DRIVERS]
        return [display(names[j]) for j in top]
