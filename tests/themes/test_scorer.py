"""Zero-shot and keyword scores on hand-written articles against the sample directive's themes."""

from __future__ import annotations

import numpy as np

from trienkhai.themes.features import Article, syllables, terms
from trienkhai.themes.scorer import (
    DEFAULT_THRESHOLD,
    DRIVERS,
    KeywordScorer,
    ThemeSpec,
    ZeroShotScorer,
    above,
    top_positive,
)

TRAFFICKING = Article(
    id="a1",
    title="Triệt phá đường dây mua bán phụ nữ sang Trung Quốc",
    text=(
        "Triệt phá đường dây mua bán phụ nữ sang Trung Quốc\n"
        "Công an tỉnh vừa bắt giữ ba đối tượng lừa bán phụ nữ qua biên giới. "
        "Các nạn nhân bị mua bán được giải cứu và hỗ trợ trở về địa phương. "
        "Vụ án mua bán người đang được điều tra, các đối tượng sẽ bị xét xử."
    ),
)
UNIONS = Article(
    id="a2",
    title="Công nhân ngừng việc đòi tăng lương",
    text=(
        "Công nhân ngừng việc đòi tăng lương\n"
        "Hơn 2.000 công nhân một công ty giày ngừng việc vì bảng lương mới. "
        "Công đoàn cơ sở đã đối thoại với doanh nghiệp để bảo đảm quyền lợi của người lao động."
    ),
)
FOOTBALL = Article(
    id="a3",
    title="Đội tuyển giành chiến thắng ở trận chung kết",
    text="Đội tuyển giành chiến thắng ở trận chung kết\nHai bàn thắng trong hiệp hai đem lại cúp.",
)


def test_terms_are_syllables_and_pairs_with_one_tone_placement() -> None:
    assert syllables("Hoà bình 2024, THỦY") == ["hòa", "bình", "thủy"]
    assert terms("mua bán người") == ["mua", "bán", "người", ("mua", "bán"), ("bán", "người")]


def test_each_article_scores_highest_on_its_theme(themes: list[ThemeSpec]) -> None:
    scorer = ZeroShotScorer(themes)
    trafficking, unions = scorer.score(TRAFFICKING), scorer.score(UNIONS)
    assert max(trafficking, key=lambda c: trafficking[c].score) == "T3"
    assert max(unions, key=lambda c: unions[c].score) == "T4"
    assert above(trafficking, DEFAULT_THRESHOLD) == ["T3"]
    assert above(unions, DEFAULT_THRESHOLD) == ["T4"]


def test_unrelated_article_matches_no_theme_and_scores_stay_in_range(
    themes: list[ThemeSpec],
) -> None:
    scores = ZeroShotScorer(themes).score(FOOTBALL)
    assert above(scores, DEFAULT_THRESHOLD) == []
    assert all(0.0 <= s.score <= 1.0 for s in scores.values())


def test_drivers_name_the_words_behind_the_score(themes: list[ThemeSpec]) -> None:
    drivers = ZeroShotScorer(themes).score(TRAFFICKING)["T3"].drivers
    assert "mua bán" in drivers
    assert 0 < len(drivers) <= 5


def test_title_weighs_more_than_body(themes: list[ThemeSpec]) -> None:
    filler = "Buổi họp diễn ra tại hội trường tỉnh với nhiều đại biểu tham dự. " * 5
    in_title = Article("t", "Phòng chống mua bán người", f"Phòng chống mua bán người\n{filler}")
    in_body = Article(
        "b", "Buổi họp ở tỉnh", f"Buổi họp ở tỉnh\n{filler}\nPhòng chống mua bán người"
    )
    scorer = ZeroShotScorer(themes)
    assert scorer.score(in_title)["T3"].score > scorer.score(in_body)["T3"].score


def test_theme_without_keywords_is_scored_from_its_text() -> None:
    scorer = ZeroShotScorer([ThemeSpec("T1", "Tuyên truyền phòng chống mua bán người")])
    assert scorer.score(TRAFFICKING)["T1"].score > scorer.score(FOOTBALL)["T1"].score


def test_keyword_baseline_counts_phrases_title_twice(themes: list[ThemeSpec]) -> None:
    scores = KeywordScorer(themes).score(TRAFFICKING)
    # "mua bán người" once in the body, "mua bán" is not a keyword of T3 on its own.
    assert scores["T3"].drivers[0] == "mua bán người"
    assert scores["T3"].score > scores["T1"].score
    assert KeywordScorer(themes).score(FOOTBALL)["T3"].score == 0.0


def test_top_positive_is_the_stable_sort_of_the_positive_values() -> None:
    rng = np.random.default_rng(3)
    for n in range(500):
        # Few distinct values: ties at the cut are the case a partition could get wrong.
        values = rng.integers(-3, 6, size=int(rng.integers(0, 80))).astype(np.float32)
        order = np.argsort(-values, kind="stable")[:DRIVERS]
        expected = [int(j) for j in order if values[j] > 0]
        assert top_positive(values, DRIVERS).tolist() == expected, n
