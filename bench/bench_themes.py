"""Theme matching: articles scored per second on one core, and retrain time at 1,000 examples."""

from __future__ import annotations

import gzip
import itertools
import json
import random
import time
from collections.abc import Callable

# Training's libraries are loaded lazily by learn.py; loaded here, before the thread limit,
# so that it applies to their BLAS and OpenMP pools (a pool loaded later keeps every core).
import scipy.sparse  # noqa: F401
import sklearn.linear_model  # noqa: F401
from threadpoolctl import threadpool_limits

from bench import Result, per_second
from trienkhai.themes.evaluate import CORPUS, DIRECTIVE
from trienkhai.themes.features import Article, split_article
from trienkhai.themes.learn import LearnedScorer
from trienkhai.themes.scorer import ZeroShotScorer
from trienkhai.themes.sources import directive_themes

ARTICLES = 2_000
EXAMPLES = 1_000
TARGET_RATE = 2_000
TARGET_RETRAIN_S = 1.0
NAME = "themes"


def _articles(count: int) -> list[Article]:
    """Real news articles (VNTC test split) or, without the corpus, the directive's own lines."""
    path = CORPUS / "vntc-test.jsonl.gz"
    if path.exists():
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            items = [json.loads(line) for line in itertools.islice(handle, count)]
        return [Article(i["id"], i["title"], i["text"]) for i in items]
    lines = [ln for ln in DIRECTIVE.read_text(encoding="utf-8").splitlines() if ln.strip()]
    return [
        Article(str(n), lines[n % len(lines)], "\n".join(lines[n % 20 :])) for n in range(count)
    ]


def cpu_rate(items: int, work: Callable[[], object]) -> float:
    """Items per CPU-second: the machine is shared, so wall time is mostly other people's work."""
    return per_second(items, work, clock=time.process_time)


def run() -> list[Result]:
    """Scoring rate (zero-shot and learnt) and the retrain time after one confirmation."""
    themes = directive_themes(DIRECTIVE)
    articles = _articles(ARTICLES)
    words = sum(len(a.text.split()) for a in articles) // len(articles)
    note = (
        f"{len(articles)} articles, mean {words} words, CPU time, 1 thread; target ≥ {TARGET_RATE}"
    )
    # A discovered feed item is a headline and a lead, not a full article.
    items = [Article(a.id, a.title, split_article(a)[1]) for a in articles]
    rng = random.Random(0)
    codes = [t.code for t in themes]
    with threadpool_limits(1):
        zero = ZeroShotScorer(themes)
        learnt = LearnedScorer(themes, zero)
        for n in range(EXAMPLES):
            article = articles[n % len(articles)]
            learnt.add(article, {c for c in codes if rng.random() < 0.2})
        learnt.fit()
        zero_rate = cpu_rate(len(articles), lambda: [zero.score(a) for a in articles])
        item_rate = cpu_rate(len(items), lambda: [zero.score(a) for a in items])
        learnt_rate = cpu_rate(len(articles), lambda: [learnt.score(a) for a in articles])
        start = time.process_time()
        learnt.add(articles[-1], {codes[0]})
        learnt.fit()
        retrain = time.process_time() - start
    return [
        Result(NAME, "zero-shot scoring", zero_rate, "articles/s", note),
        Result(
            NAME, "zero-shot scoring, headline + lead", item_rate, "articles/s",
            f"the same {len(items)} articles cut to headline and lead, CPU s, 1 thread",
        ),
        Result(NAME, "learnt scoring (1,000 examples)", learnt_rate, "articles/s", note),
        Result(
            NAME, "retrain after one confirmation", retrain, "s",
            f"{EXAMPLES} articles, 4 themes, CPU time, 1 thread; target < {TARGET_RETRAIN_S:.0f} s",
        ),
    ]  # fmt: skip
