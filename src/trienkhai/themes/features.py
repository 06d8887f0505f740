"""Terms of a Vietnamese text: syllables and adjacent syllable pairs, tone placement normalised."""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

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
_MAYBE_NEW_STYLE = re.compile("[ou][àáảãạèéẻẽẹỳýỷỹỵ]$")
_ANY_NEW_STYLE = re.compile("[ou][àáảãạèéẻẽẹỳýỷỹỵ](?![^\\W\\d_])")


def syllables(text: str) -> list[str]:
    """Lower-case syllables with the traditional tone placement."""
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    folded = text.casefold()
    found = _SYLLABLE.findall(folded)
    if not _ANY_NEW_STYLE.search(folded):
        return found
    fixed = {s: normalize_tones(s) for s in set(found) if _MAYBE_NEW_STYLE.search(s)}
    if any(s != t for s, t in fixed.items()):
        return [fixed.get(s, s) for s in found]
    return found


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
