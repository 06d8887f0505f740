"""Build the term-association file (idf + LSA term vectors) from the unlabelled news corpus.

Run from the repository root: `python -m trienkhai.themes.build CORPUS_DIR`. Deterministic: the
same corpus gives the same file (fixed vocabulary order, seeded randomized SVD).
"""

from __future__ import annotations

import argparse
import gzip
import json
import math
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import numpy as np
from scipy import sparse
from sklearn.utils.extmath import randomized_svd

from trienkhai.themes.features import term_key, terms

DATA_FILE = Path(__file__).parent / "data" / "association.npz"
FILES = ("vntc-train.jsonl.gz", "vntc-test.jsonl.gz", "recent.jsonl.gz")
VOCABULARY = 16_000
DIMENSIONS = 80
MIN_DF = 5


def texts(corpus: Path) -> Iterator[str]:
    """Every article text of the unlabelled files (labels are never read)."""
    for name in FILES:
        with gzip.open(corpus / name, "rt", encoding="utf-8") as handle:
            for line in handle:
                yield json.loads(line)["text"]


def build(corpus: Path, out: Path = DATA_FILE) -> dict[str, int]:
    """Count, pick the vocabulary, factorise the tf-idf matrix and write the file."""
    docs = [Counter(term_key(w) for w in terms(t)) for t in texts(corpus)]
    df: Counter[str] = Counter()
    for doc in docs:
        df.update(doc.keys())
    n = len(docs)
    # Terms in more than a third of the articles are function words for this purpose.
    kept = [t for t, c in df.items() if MIN_DF <= c <= n / 3]
    kept.sort(key=lambda t: (-df[t], t))
    common = sorted(t for t, c in df.items() if c > n / 3)
    vocab = sorted(kept[:VOCABULARY])
    index = {t: i for i, t in enumerate(vocab)}
    idf = np.array([math.log((n + 1) / (df[t] + 1)) + 1 for t in vocab], dtype=np.float32)
    rows, cols, vals = [], [], []
    for r, doc in enumerate(docs):
        for t, c in doc.items():
            j = index.get(t)
            if j is not None:
                rows.append(r)
                cols.append(j)
                vals.append((1 + math.log(c)) * idf[j])
    matrix = sparse.csr_matrix((vals, (rows, cols)), shape=(n, len(vocab)), dtype=np.float32)
    norms = np.sqrt(matrix.multiply(matrix).sum(axis=1)).A1
    matrix = sparse.diags(1 / np.maximum(norms, 1e-9)) @ matrix
    _, sigma, vt = randomized_svd(matrix, DIMENSIONS, n_iter=5, random_state=0)
    vectors = (vt.T * sigma).astype(np.float32)
    vectors /= np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-9)
    out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(
        out,
        vocab=np.array(vocab),
        common=np.array(common),
        idf=idf.astype(np.float16),
        vectors=vectors.astype(np.float16),
        max_idf=np.float32(math.log(n + 1) + 1),
    )
    return {"articles": n, "terms": len(vocab), "dimensions": DIMENSIONS}


def main(argv: list[str] | None = None) -> int:
    """Command-line entry: build from a corpus directory."""
    parser = argparse.ArgumentParser(prog="python -m trienkhai.themes.build", description=__doc__)
    parser.add_argument("corpus", type=Path, help="directory holding the news .jsonl.gz files")
    parser.add_argument("-o", "--out", type=Path, default=DATA_FILE)
    args = parser.parse_args(argv)
    print(json.dumps(build(args.corpus, args.out)))  # noqa: T201 - the command's output
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
