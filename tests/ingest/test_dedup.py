"""Canonical URLs, content hashes and republished copies across units."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from tests.corpus import need_corpus
from tests.ingest.portal_pages import Story, build_page, load_stories
from trienkhai.ingest.dedup import DedupIndex, canonical, content_hash
from trienkhai.ingest.extract import extract
from trienkhai.ingest.items import Item

DAY = datetime(2025, 11, 3, 8, 0)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("HTTP://BaoKonTum.com.vn:80/tin/a.html#binh-luan", "http://baokontum.com.vn/tin/a.html"),
        ("https://x.vn/tin/a?utm_source=zalo&id=3&fbclid=abc", "https://x.vn/tin/a?id=3"),
        ("https://x.vn:443/tin-tuc/index.html", "https://x.vn/tin-tuc"),
        ("https://x.vn/tin-tuc/", "https://x.vn/tin-tuc"),
        ("https://x.vn/Default.aspx", "https://x.vn"),
    ],
)
def test_canonical(url: str, expected: str) -> None:
    assert canonical(url) == expected


def test_content_hash_ignores_markup_spacing_case_and_tone_placement() -> None:
    assert content_hash("Hòa bình  và\nTHỦY lợi") == content_hash("hoà bình và thuỷ lợi")
    assert content_hash("hòa bình") != content_hash("hòa bình 2")


@pytest.fixture(scope="module")
def stories() -> list[Story]:
    """Six full articles from the news corpus."""
    return load_stories(need_corpus("news"), 6)


def _item(url: str, unit: int, text: str, days: int = 0) -> Item:
    return Item(url, unit, "t", DAY + timedelta(days=days), text)


def test_republished_variants_link_to_the_original(stories: list[Story]) -> None:
    story, other = stories[0], stories[1]
    index = DedupIndex()
    assert index.add(_item("http://bao.example/a.html", 1, story.body)).kind == "original"
    # The same story under a district portal's markup, extracted from its page.
    page = build_page(story, "huyen", stories[2:], seed=7, base=DAY)
    copied = index.add(_item("http://huyen.example/b.html", 2, extract(page.html).text, 1))
    assert (copied.kind, copied.original) == ("republished", "http://bao.example/a.html")
    edited = story.body.replace("Việt Nam", "nước ta", 2).replace(".", ";", 3)
    assert index.add(_item("http://xa.example/c", 3, edited, 2)).kind == "republished"
    paragraphs = story.body.splitlines()
    truncated = "\n".join(paragraphs[: max(3, len(paragraphs) // 3)])
    cut = index.add(_item("http://so.example/d", 4, truncated + "\nNguồn: Báo tỉnh", 2))
    assert (cut.kind, cut.original) == ("republished", "http://bao.example/a.html")
    assert index.add(_item("http://so.example/e", 4, other.body, 2)).kind == "original"


def test_same_url_and_own_duplicates(stories: list[Story]) -> None:
    index = DedupIndex()
    index.add(_item("http://bao.example/a.html?utm_source=fb", 1, stories[0].body))
    again = index.add(_item("http://bao.example/a.html#top", 1, stories[0].body))
    assert again.kind == "same_url"
    own = index.add(_item("http://bao.example/a-2.html", 1, stories[0].body, 1))
    assert (own.kind, own.original) == ("duplicate", "http://bao.example/a.html")


def test_a_copy_of_a_copy_links_to_the_first(stories: list[Story]) -> None:
    index = DedupIndex()
    index.add(_item("http://bao.example/a", 1, stories[3].body))
    index.add(_item("http://huyen.example/b", 2, stories[3].body + "\nTheo Báo Kon Tum", 1))
    third = index.add(_item("http://xa.example/c", 3, stories[3].body, 2))
    assert third.original == "http://bao.example/a"


def test_an_original_crawled_after_its_copy_takes_its_place(stories: list[Story]) -> None:
    index = DedupIndex()
    index.add(_item("http://huyen.example/b", 2, stories[4].body, 3))
    first = index.add(_item("http://bao.example/a", 1, stories[4].body, 0))
    assert first.kind == "original"
    assert first.copies == ("http://huyen.example/b",)
    assert index.original_of("http://huyen.example/b") == "http://bao.example/a"


def test_short_items_are_compared_only_exactly(stories: list[Story]) -> None:
    index = DedupIndex()
    index.add(_item("http://bao.example/a", 1, stories[5].title))
    words = stories[5].title.split()
    assert index.add(_item("http://x.example/b", 2, " ".join(words[:-1]), 1)).kind == "original"
