"""The shipped term-association data: idf per term and LSA term vectors (see build.py)."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from trienkhai.themes.features import Term, from_key

DATA_FILE = Path(__file__).parent / "data" / "association.npz"
Vector = npt.NDArray[np.float32]


@dataclass(frozen=True)
class Association:
    """Vocabulary, idf, unit LSA vectors and the corpus-wide function words."""

    terms: list[Term]
    index: dict[Term, int]
    idf: Vector
    vectors: Vector
    common: frozenset[Term]
    max_idf: float

    def weight(self, term: Term) -> float:
        """idf of a term; 0 for function words, the rare-term idf for unseen terms."""
        j = self.index.get(term)
        if j is not None:
            return float(self.idf[j])
        return 0.0 if term in self.common else self.max_idf

    def neighbours(self, weights: dict[Term, float], count: int) -> list[tuple[Term, float]]:
        """The terms nearest the weighted centroid of these terms, with their cosine."""
        centroid = self.embed(weights)
        if not centroid.any():
            return []
        sims = self.vectors @ centroid
        top = np.argsort(-sims, kind="stable")[:count]
        return [(self.terms[j], float(sims[j])) for j in top]

    def embed(self, weights: dict[Term, float]) -> Vector:
        """Unit LSA vector of a weighted bag of terms (zero when no term is known)."""
        known = [t for t in weights if t in self.index]
        if not known:
            return np.zeros(self.vectors.shape[1], dtype=np.float32)
        w = np.array([weights[t] for t in known], dtype=np.float32)
        v: Vector = w @ self.vectors[[self.index[t] for t in known]]
        norm = float(np.linalg.norm(v))
        return v / norm if norm > 0 else v


@functools.cache
def load(path: Path = DATA_FILE) -> Association:
    """Read the association file once per process."""
    with np.load(path) as data:
        vocab = [from_key(str(t)) for t in data["vocab"]]
        # The first LSA direction is what every article shares; without it cosines discriminate.
        vectors = data["vectors"].astype(np.float32)[:, 1:]
        vectors /= np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-9)
        return Association(
            terms=vocab,
            index={t: i for i, t in enumerate(vocab)},
            idf=data["idf"].astype(np.float32),
            vectors=vectors,
            common=frozenset(from_key(str(t)) for t in data["common"]),
            max_idf=float(data["max_idf"]),
        )
