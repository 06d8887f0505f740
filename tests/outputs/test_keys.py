"""URL canonicalisation, domain matching and the natural key."""

from datetime import date

import pytest

from trienkhai.outputs import channels
from trienkhai.outputs.keys import canonical_url, dedup_key, host_on_domains, normalised_title


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("HTTPS://BaoKonTum.com.vn/Tin/Bai-1/", "https://baokontum.com.vn/Tin/Bai-1"),
        ("https://a.vn:443/x#top", "https://a.vn/x"),
        ("http://a.vn:80/x", "http://a.vn/x"),
        ("http://a.vn:8080/x", "http://a.vn:8080/x"),
        ("https://a.vn/x?utm_source=fb&id=3&fbclid=abc&UTM_medium=z", "https://a.vn/x?id=3"),
        ("a.vn/bai", "http://a.vn/bai"),
        ("", ""),
    ],
)
def test_canonical_url(raw: str, expected: str) -> None:
    assert canonical_url(raw) == expected


def test_host_on_domains_accepts_subdomains_not_lookalikes() -> None:
    sites = ["https://www.baokontum.com.vn"]
    assert host_on_domains("https://m.baokontum.com.vn/x", sites)
    assert host_on_domains("http://baokontum.com.vn/x", sites)
    assert not host_on_domains("https://fakebaokontum.com.vn/x", sites)


def test_dedup_key_url_ignores_scheme_and_tracking() -> None:
    day = date(2024, 7, 1)
    a = dedup_key(
        unit_id=1,
        canonical=canonical_url("http://a.vn/x/?utm_source=z"),
        channel="bao_dien_tu",
        title="A",
        published=day,
    )
    b = dedup_key(
        unit_id=1,
        canonical=canonical_url("https://A.vn/x"),
        channel="khac",
        title="B",
        published=date(2025, 1, 1),
    )
    c = dedup_key(
        unit_id=2,
        canonical=canonical_url("https://a.vn/x"),
        channel="khac",
        title="B",
        published=day,
    )
    assert a == b
    assert a != c
    assert len(a) == 64


def test_dedup_key_without_url_uses_channel_title_and_day() -> None:
    base = {"unit_id": 1, "canonical": "", "channel": "truyen_thanh", "published": date(2024, 7, 1)}
    a = dedup_key(title="Bản tin: Nhân quyền!", **base)  # type: ignore[arg-type]
    b = dedup_key(title="ban tin   nhan quyen", **base)  # type: ignore[arg-type]
    assert a == b
    assert a != dedup_key(title="Bản tin khác", **base)  # type: ignore[arg-type]
    assert normalised_title("Tọa đàm: Quyền con người") == "toa dam quyen con nguoi"


@pytest.mark.parametrize(
    ("spelling", "slug"),
    [
        ("Báo điện tử", "bao_dien_tu"),
        ("bao dien tu", "bao_dien_tu"),
        ("FB", "facebook"),
        ("Cổng TTĐT", "cong_ttdt"),
        ("cong/trang thong tin dien tu", "cong_ttdt"),
        ("Đài truyền thanh cơ sở", "truyen_thanh"),
        ("truyen-thanh", "truyen_thanh"),
        ("TikTok", "tiktok"),
    ],
)
def test_channel_spellings(spelling: str, slug: str) -> None:
    term = channels.find_channel(spelling)
    assert term is not None
    assert term.slug == slug


def test_form_spellings_and_unknown() -> None:
    assert channels.find_form("Phóng sự").slug == "phong_su"  # type: ignore[union-attr]
    assert channels.find_form("toạ đàm").slug == "toa_dam"  # type: ignore[union-attr]
    assert channels.find_channel("báo tường") is None
    assert channels.is_broadcast("truyen_hinh")
    assert not channels.is_broadcast("bao_in")
