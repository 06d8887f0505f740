"""Macro-F1 of the theme matchers on the labelled dev files: `python -m trienkhai.themes.evaluate`.

Zero-shot and keyword scores use the threshold chosen by cross-validation (picked on the other
folds, applied to the held-out one); the learnt scorer is trained on the other folds' labels.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from trienkhai.themes.features import Article
from trienkhai.themes.learn import LearnedScorer
from trienkhai.themes.scorer import (
    DEFAULT_THRESHOLD,
    KeywordScorer,
    Scorer,
    ThemeSpec,
    ZeroShotScorer,
)
from trienkhai.themes.sources import directive_themes, read_jsonl, to_article

CORPUS = Path(__file__).resolve().parents[3].parent / "shared" / "corpus" / "news"
DIRECTIVE = Path(__file__).resolve().parents[1] / "data" / "cong-van-stttt-nhan-quyen.txt"
DEV_SETS = {
    "themes-dev": ("themes-dev.jsonl", ("vntc-train.jsonl.gz", "vntc-test.jsonl.gz")),
    "recent-dev": ("recent-dev.jsonl", ("recent.jsonl.gz",)),
}
MIN_POSITIVES = 10
# recent-dev has 42 articles and no theme with 10 positives; it is scored on its themes with 8.
MIN_POSITIVES_SMALL = {"recent-dev": 8}
FOLDS = 5
GRID = [i / 100 for i in range(5, 96, 5)]

Labelled = list[tuple[Article, frozenset[str]]]


def load_dev(corpus: Path, name: str) -> Labelled:
    """A dev set's articles joined with their labels, in label-file order."""
    labels_file, text_files = DEV_SETS[name]
    labels = {str(item["id"]): item["themes"] for _, item in read_jsonl(corpus / labels_file)}
    found: dict[str, Article] = {}
    for text_file in text_files:
        for n, item in read_jsonl(corpus / text_file):
            if item.get("id") in labels:
                found[str(item["id"])] = to_article(item, where=f"{text_file}:{n}")
    return [(found[i], frozenset(t)) for i, t in labels.items() if i in found]


def f1(gold: Sequence[frozenset[str]], pred: Sequence[frozenset[str]], code: str) -> float:
    """F1 of one theme."""
    tp = sum(code in g and code in p for g, p in zip(gold, pred, strict=True))
    fp = sum(code not in g and code in p for g, p in zip(gold, pred, strict=True))
    fn = sum(code in g and code not in p for g, p in zip(gold, pred, strict=True))
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def counted(data: Labelled, codes: list[str], min_positives: int) -> list[str]:
    """The themes with enough positive examples to be scored."""
    return [c for c in codes if sum(c in g for _, g in data) >= min_positives]


def macro_f1(
    gold: Sequence[frozenset[str]], pred: Sequence[frozenset[str]], codes: list[str]
) -> float:
    """Mean F1 over the given themes."""
    return sum(f1(gold, pred, c) for c in codes) / len(codes) if codes else float("nan")


def _predict(scores: list[dict[str, float]], threshold: float) -> list[frozenset[str]]:
    """Themes at or above the threshold."""
    return [frozenset(c for c, s in row.items() if s >= threshold) for row in scores]


def _fold(i: int) -> int:
    """The fold of the i-th example (fixed, so the figures are reproducible)."""
    return i % FOLDS


def cv_threshold(
    data: Labelled, scores: list[dict[str, float]], codes: list[str]
) -> list[frozenset[str]]:
    """Predictions with each fold's threshold picked on the other folds."""
    gold = [g for _, g in data]
    pred: list[frozenset[str]] = [frozenset()] * len(data)
    for k in range(FOLDS):
        train = [i for i in range(len(data)) if _fold(i) != k]

        def quality(t: float, train: list[int] = train) -> float:
            p = _predict([scores[i] for i in train], t)
            return macro_f1([gold[i] for i in train], p, codes)

        best = max(GRID, key=lambda t: (quality(t), -abs(t - DEFAULT_THRESHOLD)))
        for i in range(len(data)):
            if _fold(i) == k:
                pred[i] = _predict([scores[i]], best)[0]
    return pred


def _scores(scorer: Scorer, articles: list[Article]) -> list[dict[str, float]]:
    """Plain score dicts of a scorer over articles."""
    return [{c: s.score for c, s in scorer.score(a).items()} for a in articles]


def cv_learned(
    data: Labelled, themes: list[ThemeSpec], zero: ZeroShotScorer
) -> list[frozenset[str]]:
    """Predictions of the learnt scorer, trained on the other folds each time."""
    pred: list[frozenset[str]] = [frozenset()] * len(data)
    for k in range(FOLDS):
        learner = LearnedScorer(themes, zero)
        for i, (article, gold) in enumerate(data):
            if _fold(i) != k:
                learner.add(article, gold)
        learner.fit()
        for i, (article, _) in enumerate(data):
            if _fold(i) == k:
                scores = {c: s.score for c, s in learner.score(article).items()}
                pred[i] = _predict([scores], DEFAULT_THRESHOLD)[0]
    return pred


@dataclass(frozen=True)
class Row:
    """One line of the table."""

    dataset: str
    method: str
    themes: list[str]
    macro_f1: float


def _rows(name: str, data: Labelled, themes: list[ThemeSpec], scored: list[str]) -> list[Row]:
    """The rows of one dev set."""
    zero = ZeroShotScorer(themes)
    gold = [g for _, g in data]
    articles = [a for a, _ in data]
    zero_scores = _scores(zero, articles)
    predictions = {
        "keyword baseline": cv_threshold(data, _scores(KeywordScorer(themes), articles), scored),
        "zero-shot, threshold 0.5": _predict(zero_scores, DEFAULT_THRESHOLD),
        "zero-shot": cv_threshold(data, zero_scores, scored),
        "zero-shot + learnt (5-fold)": cv_learned(data, themes, zero),
    }
    return [
        Row(name, method, scored, round(macro_f1(gold, pred, scored), 3))
        for method, pred in predictions.items()
    ]


def evaluate(
    corpus: Path = CORPUS, directive: Path = DIRECTIVE, min_positives: int = MIN_POSITIVES
) -> list[Row]:
    """The table: per dev set, keyword baseline, zero-shot and learnt macro-F1."""
    themes = directive_themes(directive)
    codes = [t.code for t in themes]
    sets = {name: load_dev(corpus, name) for name in DEV_SETS}
    sets["both"] = sets["themes-dev"] + sets["recent-dev"]
    rows = []
    for name, data in sets.items():
        scored = counted(data, codes, MIN_POSITIVES_SMALL.get(name, min_positives))
        rows.extend(_rows(name, data, themes, scored))
    return rows


def main(argv: list[str] | None = None) -> int:
    """Print the table (markdown, or JSON lines with --json)."""
    parser = argparse.ArgumentParser(
        prog="python -m trienkhai.themes.evaluate", description=__doc__
    )
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--min-positives", type=int, default=MIN_POSITIVES)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    rows = evaluate(args.corpus, min_positives=args.min_positives)
    if args.json:
        for r in rows:
            print(json.dumps(r.__dict__))  # noqa: T201 - the command's output
        return 0
    print("| dev set | method | themes | macro-F1 |\n| --- | --- | --- | ---: |")  # noqa: T201
    for r in rows:
        print(f"| {r.dataset} | {r.method} | {', '.join(r.themes)} | {r.macro_f1:.3f} |")  # noqa: T201
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
