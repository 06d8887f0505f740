"""Build the syllable file (unigram and adjacent-pair counts) from news and legal text.

Run from the repository root: `python -m trienkhai.documents.build_syllables ../shared/corpus`.
Read: the article texts of `news/vntc-train`, `news/vntc-test` and `news/recent`, and legal and
administrative text: the dev documents of `vbpl/` except the twenty the scan gate draws, the dev
documents of `congvan/` and the Decree 30 Word files of `docx-originals/`. Held-out documents (the
even vbpl ids, the congvan ids without a dev label) are never read, nor any label beyond its id:
a gate run on them must meet text the model never saw.
Deterministic: the same corpus gives the same file (sorted vocabulary, sorted pair keys).
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path

import numpy as np

from trienkhai.documents.readers.docx import DocxReader
from trienkhai.text import nfc

DATA_FILE = Path(__file__).parent / "data" / "syllables.npz"
FILES = ("vntc-train.jsonl.gz", "vntc-test.jsonl.gz", "recent.jsonl.gz")
LEGAL = ("vbpl", "congvan", "docx-originals")
# Legal text may count several times over (headers are legal text); 5 was measured with
# bench/tone_confusions.py and gained nothing, so it counts once.
LEGAL_WEIGHT = 1
# A syllable is a run of letters; a number stands as one token ("năm 2025" → "năm <num>").
TOKEN = re.compile(r"[^\W\d_]+|\d+")
NUMBER = "<num>"
# Rare forms and pairs carry little evidence and most of the size.
MIN_WORD = 3
MIN_PAIR = 3
MAX_LETTERS = 8
# The scan gate draws the shortest vbpl dev documents; they stay unseen by every model.
SCAN_GATE_DOCS = 20
# Markdown emphasis splits words in the congvan copies ("**V****Ă****N"): dropped before counting.
_MARKDOWN = re.compile(r"\*+")


def texts(corpus: Path, files: Iterable[str] = FILES) -> Iterator[str]:
    """Every article text of the unlabelled news files (labels are never read)."""
    for name in files:
        with gzip.open(corpus / "news" / name, "rt", encoding="utf-8") as handle:
            for line in handle:
                yield json.loads(line)["text"]


def dev_ids(corpus: Path, folder: str) -> list[str]:
    """The ids of a corpus folder's dev documents (only the ids of the label file are read)."""
    path = corpus / folder / "labels-dev.jsonl"
    lines = path.read_text("utf-8").splitlines()
    return [json.loads(line)["id"] for line in lines if line.strip()]


def scan_gate_ids(corpus: Path, count: int = SCAN_GATE_DOCS) -> list[str]:
    """The documents the scan gate draws: the shortest dev documents of the vbpl set."""
    root = corpus / "vbpl"
    ids = dev_ids(corpus, "vbpl")
    sizes = sorted((len((root / f"{i}.txt").read_text("utf-8")), i) for i in ids)
    return [doc_id for _, doc_id in sizes[:count]]


def legal_texts(corpus: Path, folders: Iterable[str] = LEGAL) -> Iterator[str]:
    """Legal dev text no gate scores: vbpl (scan gate left out), congvan, the Decree 30 files."""
    chosen = set(folders)
    if "vbpl" in chosen:
        gate = set(scan_gate_ids(corpus))
        for doc_id in dev_ids(corpus, "vbpl"):
            if doc_id not in gate:
                yield (corpus / "vbpl" / f"{doc_id}.txt").read_text("utf-8")
    if "congvan" in chosen:
        for doc_id in dev_ids(corpus, "congvan"):
            yield _MARKDOWN.sub("", (corpus / "congvan" / f"{doc_id}.txt").read_text("utf-8"))
    if "docx-originals" in chosen:
        for path in sorted((corpus / "docx-originals").glob("*.docx")):
            yield DocxReader().read(path).text


def tokens(text: str) -> Iterator[tuple[str, str, bool]]:
    """(token as read, lower-case key, joined to the previous token by white space only, no blank
    line)."""
    last = None
    for match in TOKEN.finditer(text):
        word = match.group()
        key = NUMBER if word.isdigit() else nfc(word.lower())
        gap = text[last : match.start()] if last is not None else ""
        # A blank line parts blocks (the issuer from the quốc hiệu): no pair spans it.
        joined = last is not None and not gap.strip() and gap.count("\n") < 2
        last = match.end()
        yield word, key, joined


def count(lines: Iterable[str]) -> tuple[Counter[str], Counter[tuple[str, str]]]:
    """Unigram and adjacent-pair counts of lower-case syllables."""
    words: Counter[str] = Counter()
    pairs: Counter[tuple[str, str]] = Counter()
    for text in lines:
        previous = None
        for _, key, joined in tokens(text):
            words[key] += 1
            if joined and previous is not None:
                pairs[previous, key] += 1
            previous = key
    return words, pairs


def build(
    corpus: Path,
    out: Path = DATA_FILE,
    files: Iterable[str] = FILES,
    legal: Iterable[str] = LEGAL,
    legal_weight: int = LEGAL_WEIGHT,
) -> dict[str, int]:
    """Count, prune and write the file; the sizes written."""
    words, pairs = count(texts(corpus, files))
    legal_words, legal_pairs = count(legal_texts(corpus, legal))
    for _ in range(legal_weight):
        words.update(legal_words)
        pairs.update(legal_pairs)
    vocab = sorted(w for w, c in words.items() if c >= MIN_WORD and len(w) <= MAX_LETTERS)
    index = {w: i for i, w in enumerate(vocab)}
    keys = sorted(
        index[a] * len(vocab) + index[b]
        for (a, b), c in pairs.items()
        if c >= MIN_PAIR and a in index and b in index
    )
    size = len(vocab)
    pair_counts = [pairs[vocab[k // size], vocab[k % size]] for k in keys]
    out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(
        out,
        words=np.array(vocab),
        word_counts=np.array([words[w] for w in vocab], dtype=np.int32),
        pair_keys=np.array(keys, dtype=np.int64),
        pair_counts=np.array(pair_counts, dtype=np.int32),
        total=np.array([sum(words.values())], dtype=np.int64),
    )
    return {"words": size, "pairs": len(keys), "bytes": out.stat().st_size}


def main() -> None:
    """Command line: build from a corpus folder."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("corpus", type=Path, help="the corpus folder (holding news/)")
    parser.add_argument("--out", type=Path, default=DATA_FILE)
    parser.add_argument("--files", nargs="+", default=list(FILES), help="news files to count")
    parser.add_argument("--legal", nargs="*", default=list(LEGAL), help="legal folders to count")
    parser.add_argument("--legal-weight", type=int, default=LEGAL_WEIGHT)
    args = parser.parse_args()
    print(json.dumps(build(args.corpus, args.out, args.files, args.legal, args.legal_weight)))  # noqa: T201 - the command's output


if __name__ == "__main__":
    main()
