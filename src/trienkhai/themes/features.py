"""Terms of a Vietnamese text: syllables and syllable bigrams, tone placement normalised."""

from __future__ import annotations

import itertools
import re
from collections import Counter
from dataclasses import dataclass

from trienkhai.text import normalize_tones

# Letters only: numbers and dates say little about what a text is about.
_SYLLABLE = re.compile(r"[^\W\d_]+")
TITLE_WEIGHT = 3.0
LEAD_WEIGHT = 2.0
LEAD_CHARS = 400


def syllables(text: str) -> list[str]:
    """Lower-case syllables with the traditional tone placement."""
    return _SYLLABLE.findall(normalize_tones(text).casefold())


def terms(text: str) -> list[str]:
    """Syllables followed by adjacent syllable pairs joined with '_' ("mua_bán")."""
    syl = syllables(text)
    return syl + [f"{a}_{b}" for a, b in itertools.pairwise(syl)]


def display(term: str) -> str:
    """A term as a reader writes it ("mua_bán" → "mua bán")."""
    return term.replace("_", " ")


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
        paragraphs = [p for p in body.split("\n") if p.strip()]
        lead = paragraphs[0][:LEAD_CHARS] if paragraphs else ""
    return title, lead, body


def weighted_terms(article: Article) -> dict[str, float]:
    """Term counts with the title weighted above the lead, and the lead above the body."""
    title, lead, body = split_article(article)
    counts: dict[str, float] = dict(Counter(terms(body)))
    for term in terms(title):
        counts[term] = counts.get(term, 0.0) + TITLE_WEIGHT
    for term in terms(lead):
        counts[term] = counts.get(term, 0.0) + LEAD_WEIGHT - 1.0  # the lead is in the body too
    return counts
