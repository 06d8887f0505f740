"""Zero-shot theme scores from the theme texts alone, and the keyword baseline to beat."""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from typing import Protocol

from trienkhai.themes.association import Association, load
from trienkhai.themes.features import Article, display, split_article, syllables, terms
from trienkhai.themes.features import weighted_terms as article_terms

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


def _squash(raw: float) -> float:
    """Logistic map of a raw similarity to [0, 1]."""
    return 1.0 / (1.0 + math.exp(-(raw - MIDPOINT) / SPREAD))


def _tfidf(counts: dict[str, float], assoc: Association) -> dict[str, float]:
    """Sublinear tf times idf, function words dropped."""
    out = {}
    for term, count in counts.items():
        w = assoc.weight(term)
        if w > 0 and count > 0:
            out[term] = (1.0 + math.log(count)) * w if count >= 1 else count * w
    return out


def _norm(weights: dict[str, float]) -> float:
    """Euclidean length of a sparse vector."""
    return math.sqrt(sum(v * v for v in weights.values())) or 1.0


class ZeroShotScorer:
    """Cosine of the article's tf-idf terms with each theme's widened, weighted terms."""

    def __init__(self, themes: list[ThemeSpec], association: Association | None = None) -> None:
        self.assoc = association or load()
        self.codes = [t.code for t in themes]
        self.queries = [self._query(t) for t in themes]
        self.query_norms = [_norm(q) for q in self.queries]

    def _query(self, theme: ThemeSpec) -> dict[str, float]:
        """Weighted terms of a theme: keywords, a share of its text, then associated words."""
        keywords = _tfidf(dict(Counter(t for k in theme.keywords for t in terms(k))), self.assoc)
        text = _tfidf(dict(Counter(terms(theme.text))), self.assoc)
        if not keywords:  # a theme without keywords is carried by its text alone
            keywords, text = text, {}
        query = {t: keywords.get(t, 0.0) + TEXT_SHARE * text.get(t, 0.0) for t in keywords | text}
        top = max(query.values(), default=0.0)
        for term, similarity in self.assoc.neighbours(query, NEIGHBOURS):
            weight = NEIGHBOUR_SHARE * top * max(similarity, 0.0)
            query[term] = max(query.get(term, 0.0), weight)
        return query

    def raw(self, article: Article) -> tuple[list[float], list[list[str]]]:
        """Raw similarity per theme and the top driving terms."""
        vector = _tfidf(article_terms(article), self.assoc)
        norm = _norm(vector)
        raws, drivers = [], []
        for i, query in enumerate(self.queries):
            parts = {t: w * vector[t] for t, w in query.items() if t in vector}
            raws.append(sum(parts.values()) / (norm * self.query_norms[i]))
            top = sorted(parts, key=lambda t: -parts[t])[:DRIVERS]
            drivers.append([display(t) for t in top])
        return raws, drivers

    def score(self, article: Article) -> dict[str, ThemeScore]:
        """A ThemeScore per theme."""
        raws, drivers = self.raw(article)
        return {
            code: ThemeScore(code, round(_squash(r), 4), d)
            for code, r, d in zip(self.codes, raws, drivers, strict=True)
        }


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
