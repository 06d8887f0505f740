"""Learning from confirmations: the blend moves towards what was confirmed, and stays fast."""

from __future__ import annotations

import time

from trienkhai.themes.features import Article
from trienkhai.themes.learn import LearnedScorer
from trienkhai.themes.scorer import ThemeSpec

# A campaign-specific sense the theme text does not carry: "hội chợ việc làm" confirmed as T4.
JOB_FAIR = "Hội chợ việc làm {n} thu hút nhiều doanh nghiệp tuyển dụng tại khu công nghiệp"
OTHER = "Giải bóng đá thiếu niên {n} khai mạc tại sân vận động tỉnh"


def _article(n: int, template: str) -> Article:
    title = template.format(n=n)
    return Article(f"x{n}", title, f"{title}\n{title}.")


def test_confirmations_raise_the_confirmed_theme(themes: list[ThemeSpec]) -> None:
    scorer = LearnedScorer(themes)
    probe = _article(99, JOB_FAIR)
    before = scorer.score(probe)["T4"].score
    for n in range(12):
        scorer.add(_article(n, JOB_FAIR), {"T4"})
        scorer.add(_article(n, OTHER), set())
    scorer.fit()
    after = scorer.score(probe)
    assert after["T4"].score > before
    assert after["T4"].score >= 0.5
    assert scorer.score(_article(99, OTHER))["T4"].score < 0.5
    # The drivers are the confirmed articles' own words, which the theme text lacks.
    assert {"chợ", "hội chợ"} & set(after["T4"].drivers)


def test_themes_without_both_classes_keep_the_zero_shot_score(themes: list[ThemeSpec]) -> None:
    scorer = LearnedScorer(themes)
    probe = _article(1, JOB_FAIR)
    zero = scorer.score(probe)
    scorer.add(_article(2, JOB_FAIR), {"T4"})
    scorer.add(_article(3, OTHER), set())
    scorer.fit()
    assert set(scorer.models) == {"T4"}
    assert scorer.score(probe)["T1"] == zero["T1"]


def test_retrain_after_one_confirmation_at_1000_examples_is_fast(themes: list[ThemeSpec]) -> None:
    scorer = LearnedScorer(themes)
    for n in range(500):
        scorer.add(_article(n, JOB_FAIR), {"T4", "T3"} if n % 3 else {"T1"})
        scorer.add(_article(n, OTHER), {"T2"} if n % 5 == 0 else set())
    scorer.fit()
    start = time.perf_counter()
    scorer.add(_article(1000, JOB_FAIR), {"T4"})
    scorer.fit()
    assert time.perf_counter() - start < 2.0  # target 1 s (bench); slack for a loaded machine
