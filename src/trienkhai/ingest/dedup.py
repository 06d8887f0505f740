"""Canonical URLs, exact content hashes, and republished copies across units (MinHash LSH).

A unit often republishes another unit's article (the district portal runs the provincial
paper's story under its own menus, trims it, fixes a word). The copy counts for the unit that
shared it, linked to the earlier item it republishes, never as a second original. Copies are
found on the extracted text: word shingles of three syllables, MinHash signatures, LSH for
candidates, then the estimated share of the shorter text found in the other (containment), so
a truncated copy still matches its original.
"""

from __future__ import annotations

import contextlib
import hashlib
import re
import zlib
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

import courlan

from trienkhai.ingest.items import Item
from trienkhai.outputs.keys import canonical_url
from trienkhai.text import normalize_tones, tokens

if TYPE_CHECKING:  # datasketch (and the scipy it loads) is imported only when dedup runs
    from datasketch import MinHash

# Index pages name their folder: /tin-tuc/index.html is /tin-tuc.
_INDEX_PAGE = re.compile(r"/(?:index|default|home)\.(?:s?html?|php|aspx?|jsp)$", re.IGNORECASE)
SHINGLE = 3  # syllables per shingle: long enough that shared phrases of the genre rarely match
NUM_PERM = 128  # fewer (64) misestimate the containment of a copy cut to a third
# LSH proposes pairs from this estimated Jaccard up; a copy cut to a fifth of its original
# still shares that much.
CANDIDATE_JACCARD = 0.2
CONTAINMENT = 0.8  # the share of the shorter text's shingles found in the other
MIN_SHINGLES = 12  # a headline and a lead are too short to call a copy on


def canonical(url: str) -> str:
    """One spelling per page: courlan's normalisation, no tracking, fragment, port or index page."""
    url = url.strip()
    if not url:
        return ""
    # courlan refuses some odd URLs; the plain canonical form below still applies to them.
    with contextlib.suppress(ValueError):
        url = courlan.normalize_url(url, strict=True, trailing_slash=False)
    return _INDEX_PAGE.sub("", canonical_url(url))


def normalised_text(text: str) -> str:
    """Lower-case syllables and numbers with one tone placement, single-spaced."""
    return " ".join(tokens(normalize_tones(text)))


def content_hash(text: str) -> str:
    """sha256 of the normalised text: the same article under different markup hashes alike."""
    return _digest(normalised_text(text))


def _digest(normalised: str) -> str:
    """sha256 hex of a normalised text."""
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest()


def shingles(text: str) -> set[bytes]:
    """The text's runs of SHINGLE syllables, encoded."""
    return _shingles(normalised_text(text).split())


def _shingles(words: list[str]) -> set[bytes]:
    """Runs of SHINGLE words, encoded."""
    return {" ".join(words[i : i + SHINGLE]).encode() for i in range(len(words) - SHINGLE + 1)}


def signature(found: set[bytes]) -> MinHash:
    """The MinHash of a shingle set."""
    from datasketch import MinHash  # noqa: PLC0415 - only dedup needs it (web process RSS)

    # crc32 instead of datasketch's default sha1: the same 32 bits, a tenth of the time, and
    # MinHash needs a well-spread hash, not a cryptographic one.
    minhash = MinHash(num_perm=NUM_PERM, seed=1, hashfunc=zlib.crc32)
    minhash.update_batch(list(found))
    return minhash


@dataclass
class _Entry:
    """What the index keeps of an item: unit, time, hash, signature, size, original (if a copy)."""

    unit_id: int
    published_at: datetime
    digest: str
    minhash: MinHash | None
    size: int
    original: str | None = None


@dataclass(frozen=True)
class Verdict:
    """What an item is: an original, the same page again, a unit's own duplicate, or a copy.

    kind: "original", "same_url" (already seen at this canonical URL), "duplicate" (the same
    unit published it before under another URL) or "republished" (another unit's earlier
    item; `original` is that item's canonical URL). `copies` lists stored items that turn out
    to republish this one, when it is earlier than the item they were linked to.
    """

    kind: str
    url: str
    original: str | None = None
    similarity: float = 1.0
    copies: tuple[str, ...] = field(default=())


class DedupIndex:
    """The items seen so far, by canonical URL, content hash and MinHash LSH."""

    def __init__(self) -> None:
        from datasketch import MinHashLSH  # noqa: PLC0415 - only dedup needs it (web process RSS)

        self._entries: dict[str, _Entry] = {}
        self._by_digest: dict[str, str] = {}
        self._lsh = MinHashLSH(threshold=CANDIDATE_JACCARD, num_perm=NUM_PERM)

    def __len__(self) -> int:
        """How many items are indexed."""
        return len(self._entries)

    def original_of(self, url: str) -> str | None:
        """The canonical URL of the original an indexed item republishes, if any."""
        entry = self._entries.get(canonical(url))
        return entry.original if entry else None

    def add(self, item: Item) -> Verdict:
        """Index an item and say what it is."""
        url = canonical(item.url)
        if url in self._entries:
            return Verdict("same_url", url, self._entries[url].original)
        normalised = normalised_text(item.text)
        digest = _digest(normalised)
        found = _shingles(normalised.split())
        minhash = signature(found) if len(found) >= MIN_SHINGLES else None
        entry = _Entry(item.unit_id, item.published_at, digest, minhash, len(found))
        match = self._match(digest, entry)
        self._entries[url] = entry
        self._by_digest.setdefault(digest, url)
        if minhash is not None:
            self._lsh.insert(url, minhash)
        if match is None:
            return Verdict("original", url)
        other_url, similarity = match
        return self._link(url, entry, other_url, similarity)

    def _match(self, digest: str, entry: _Entry) -> tuple[str, float] | None:
        """The earliest indexed item with the same text or containing (or contained in) it."""
        if digest in self._by_digest:
            return self._by_digest[digest], 1.0
        if entry.minhash is None:
            return None
        best: tuple[str, float] | None = None
        for other_url in self._lsh.query(entry.minhash):
            other = self._entries[str(other_url)]
            score = _containment(entry, other)
            if score >= CONTAINMENT and (
                best is None or other.published_at < self._entries[best[0]].published_at
            ):
                best = (str(other_url), score)
        return best

    def _link(self, url: str, entry: _Entry, other_url: str, similarity: float) -> Verdict:
        """Link a matched pair: the earlier item is the original (a copy's original is followed)."""
        other = self._entries[other_url]
        root = other.original or other_url
        root_entry = self._entries[root]
        if entry.published_at < root_entry.published_at:
            # Crawled late but published first: it is the original, the others republish it.
            copies = [u for u, e in self._entries.items() if root in (u, e.original)]
            for copy in copies:
                self._entries[copy].original = url
            return Verdict("original", url, None, similarity, tuple(copies))
        entry.original = root
        kind = "duplicate" if root_entry.unit_id == entry.unit_id else "republished"
        return Verdict(kind, url, root, similarity)


def _containment(a: _Entry, b: _Entry) -> float:
    """Estimated share of the shorter item's shingles that the other holds."""
    if a.minhash is None or b.minhash is None:
        return 0.0
    jaccard = float(a.minhash.jaccard(b.minhash))
    shared = jaccard * (a.size + b.size) / (1.0 + jaccard)
    return min(1.0, shared / max(1, min(a.size, b.size)))
