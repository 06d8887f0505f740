"""Terms counted as int64 codes in numpy give exactly what the plain Counter of terms gives."""

from __future__ import annotations

import numpy as np

from trienkhai.themes.features import Article, TermCodes, weighted_terms
from trienkhai.themes.scorer import ThemeSpec, ZeroShotScorer, _count

ARTICLES = [
    Article("1", "Hoà bình và thuý: quà tặng", "Hoà bình và thuý: quà tặng\nNăm 2024 hòa bình.\nx"),
    Article("2", "", "Một"),
    Article("3", "Tiêu đề", "Nội dung không có tiêu đề ở đầu", lead="Đoạn mở đầu riêng"),
    Article("4", "Zyxw qwerty", "Zyxw qwerty zyxw_abc 12abc tiếng Việt tiếng Việt tiếng"),
    Article("5", "", ""),
]


def _as_counter(coder: TermCodes, article: Article) -> list[tuple[object, int]]:
    """The article's (term, count) pairs in order of first appearance, from the codes."""
    codes, table = coder.article(article)
    distinct, first, counts = _count(codes)
    order = np.argsort(first)
    return [
        (TermCodes.term(int(c), table), int(n))
        for c, n in zip(distinct[order], counts[order], strict=True)
    ]


def test_codes_count_terms_like_the_counter() -> None:
    coder = TermCodes(["hòa", ("hòa", "bình")])
    for article in ARTICLES:
        assert _as_counter(coder, article) == list(weighted_terms(article).items()), article.id


def test_counting_packs_positions_and_agrees_with_numpy_unique() -> None:
    codes = np.array([7, 3, 7, 1 << 42, 3, 7], dtype=np.int64)
    distinct, first, counts = _count(codes)
    assert distinct.tolist() == [3, 7, 1 << 42]
    assert first.tolist() == [1, 0, 3] and counts.tolist() == [2, 3, 1]
    expected = np.unique(codes, return_index=True, return_counts=True)
    assert all((a == b).all() for a, b in zip(_count(codes), expected, strict=True))


def test_unseen_terms_are_read_back_for_learning() -> None:
    scorer = ZeroShotScorer([ThemeSpec("T1", "mua bán người", ["mua bán người"])])
    vector = scorer.vector(Article("x", "Zyxw qwerty", "Zyxw qwerty mua bán người"))
    assert "zyxw" in vector.unseen and ("zyxw", "qwerty") in vector.unseen
    assert len(vector.tf) == len(vector.ids) + len(vector.unseen)
