"""Scores, drivers and syllables pinned on fixed articles: a speed-up may not change any result.

The expected values in pinned.json were computed with the code before the numpy syllable
cutter; regenerate them only for a change meant to alter results:
`PYTHONPATH=src python -m tests.themes.test_pinned --write`.
"""

from __future__ import annotations

import gzip
import hashlib
import itertools
import json
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from trienkhai.themes.evaluate import CORPUS, DIRECTIVE
from trienkhai.themes.features import Article, syllables, terms
from trienkhai.themes.learn import LearnedScorer
from trienkhai.themes.scorer import ThemeSpec, ZeroShotScorer
from trienkhai.themes.sources import directive_themes, to_article

PINNED = Path(__file__).with_name("pinned.json")
DEMO_OUTPUTS = DIRECTIVE.with_name("demo-outputs.yaml")
CORPUS_FILES = ("recent.jsonl.gz", "vntc-test.jsonl.gz")
PER_CORPUS_FILE = 40

# Texts where a syllable cutter can go wrong: tone placement, case, digits, underscores,
# superscripts and other numerals, decomposed marks, scripts beyond Vietnamese, emoji.
EDGE_TEXTS = [
    "Hoà bình, HOÀ BÌNH và hòa bình; thuý, thủy, khoẻ, KHOẺ mạnh, loà xoà, tuỳ ý, quý",
    "Số 12abc/KH-UBND ngày 05/05/2023 abc12def mua_bán_người x_y __init__ a1b2c3",
    "Chú thích¹ ² ³ và ½ phần, Ⅻ chương, ٣ ngày, ①② mục, 10⁹ lượt",
    "Ho\u0300a bi\u0300nh (tổ hợp) Nguye\u0302\u0303n và Nguyễn; \u00a0khoảng\u2009trắng\u200bẩn",
    "Straße İstanbul ΣΊΣΥΦΟΣ Ǆemal ﬁnance Ωmega Привет 中华人民共和国 ไทย",
    "Emoji 🎉 giữa câu 👍🏽 và 𝐁𝐨𝐥𝐝 chữ đậm, 𝟙𝟚 số",
    "oà oÀ uý UÝ òa úy — “trích dẫn” «chữ» ‘đơn’ … tab\there\r\nxuống dòng",
    "",
]


def _sample_articles() -> list[Article]:
    """Articles from the package's sample directive, demo outputs and the edge texts."""
    lines = [ln for ln in DIRECTIVE.read_text(encoding="utf-8").splitlines() if ln.strip()]
    out = [
        Article(f"directive-{n}", lines[n % len(lines)], "\n".join(lines[n : n + 15]))
        for n in range(0, len(lines), 6)
    ]
    units = yaml.safe_load(DEMO_OUTPUTS.read_text(encoding="utf-8"))
    titles = [item["title"] for unit in units for item in unit["items"]]
    out += [Article(f"demo-{n}", t, f"{t}\n{t.lower()}") for n, t in enumerate(titles)]
    out += [Article(f"edge-{n}", t[:30], t) for n, t in enumerate(EDGE_TEXTS)]
    out.append(Article("edge-lead", "Tiêu đề riêng", "Thân bài", lead="Hoà giải mua bán người"))
    return out


def _corpus_articles() -> list[Article] | None:
    """The first articles of the shared news files, or None without the corpus."""
    paths = [CORPUS / name for name in CORPUS_FILES]
    if not all(p.exists() for p in paths):
        return None
    out = []
    for path in paths:
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            for n, line in enumerate(itertools.islice(handle, PER_CORPUS_FILE)):
                out.append(to_article(json.loads(line), where=f"{path.name}:{n + 1}"))
    return out


def _labels(n: int, codes: list[str]) -> set[str]:
    """Fixed training labels: every article has one theme in turn, every third a second one."""
    labels = {codes[n % len(codes)]}
    if n % 3 == 0:
        labels.add(codes[(n + 2) % len(codes)])
    return labels


def _learnt(themes: list[ThemeSpec], zero: ZeroShotScorer, train: list[Article]) -> LearnedScorer:
    """A learnt scorer trained on the sample articles only (the same with or without corpus)."""
    learnt = LearnedScorer(themes, zero)
    codes = [t.code for t in themes]
    for n, article in enumerate(train):
        learnt.add(article, _labels(n, codes))
    learnt.fit()
    return learnt


def _digest(words: list[Any]) -> str:
    """A short fingerprint of a list of terms."""
    return hashlib.sha1(json.dumps(words, ensure_ascii=False).encode()).hexdigest()[:16]


def _results(
    articles: list[Article], zero: ZeroShotScorer, learnt: LearnedScorer
) -> dict[str, Any]:
    """Per article: syllable and term fingerprints, zero-shot and learnt scores with drivers."""
    out: dict[str, Any] = {}
    for a in articles:
        out[a.id] = {
            "syllables": _digest(syllables(f"{a.title}\n{a.lead}\n{a.text}")),
            "terms": _digest(terms(a.text)),
            "zero": {c: [s.score, s.drivers] for c, s in zero.score(a).items()},
            "learnt": {c: [s.score, s.drivers] for c, s in learnt.score(a).items()},
        }
    return out


@pytest.fixture(scope="module")
def scorers(themes: list[ThemeSpec]) -> tuple[ZeroShotScorer, LearnedScorer]:
    """The zero-shot scorer and a learnt one trained on the sample articles."""
    zero = ZeroShotScorer(themes)
    return zero, _learnt(themes, zero, _sample_articles())


def _compare(section: str, actual: dict[str, Any]) -> None:
    """Every article's pinned results, reported by article id and field."""
    expected = json.loads(PINNED.read_text(encoding="utf-8"))[section]
    assert list(actual) == list(expected)
    changed = {
        (aid, field): (expected[aid][field], got[field])
        for aid, got in actual.items()
        for field in got
        if got[field] != expected[aid][field]
    }
    assert not changed, f"results changed from {PINNED.name}: {changed}"


def test_sample_articles_keep_their_results(scorers: tuple[ZeroShotScorer, LearnedScorer]) -> None:
    _compare("sample", json.loads(json.dumps(_results(_sample_articles(), *scorers))))


def test_corpus_articles_keep_their_results(scorers: tuple[ZeroShotScorer, LearnedScorer]) -> None:
    articles = _corpus_articles()
    if articles is None:
        pytest.skip(f"shared news corpus not present ({', '.join(CORPUS_FILES)} in {CORPUS})")
    _compare("corpus", json.loads(json.dumps(_results(articles, *scorers))))


def _write() -> None:
    """Recompute pinned.json with the current code."""
    themes = directive_themes(DIRECTIVE)
    zero = ZeroShotScorer(themes)
    learnt = _learnt(themes, zero, _sample_articles())
    corpus = _corpus_articles()
    if corpus is None:
        raise SystemExit("the corpus is needed to write pinned.json")
    data = {
        "sample": _results(_sample_articles(), zero, learnt),
        "corpus": _results(corpus, zero, learnt),
    }
    PINNED.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__" and "--write" in sys.argv:
    _write()
