# ruff: noqa: E501 - page markup reads better on one line per block
"""Article extraction: Vietnamese dates, the headline among other headings, bylines, NFC."""

from __future__ import annotations

import unicodedata
from datetime import datetime

import pytest

from trienkhai.ingest.extract import extract, parse_vietnamese_date, split_byline

BODY = "".join(
    f"<p>Đoạn {n}: Ủy ban nhân dân tỉnh triển khai công tác tuyên truyền về phòng, chống mua bán "
    f"người tại các xã biên giới, với sự tham gia của đoàn thể và người dân địa phương.</p>"
    for n in range(8)
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Thứ hai, 03/11/2025 14:20", datetime(2025, 11, 3, 14, 20)),
        ("ngày 3 tháng 11 năm 2025", datetime(2025, 11, 3)),
        ("Cập nhật lúc 14:20, thứ hai, 03/11/2025", datetime(2025, 11, 3, 14, 20)),
        ("14h20 | 3-11-2025", datetime(2025, 11, 3, 14, 20)),
        ("Đăng ngày: 03.11.2025", datetime(2025, 11, 3)),
        ("2025-11-03", datetime(2025, 11, 3)),
        ("31/02/2025 rồi 01/03/2025", datetime(2025, 3, 1)),  # an impossible day is skipped
        ("không có ngày", None),
    ],
)
def test_vietnamese_dates(text: str, expected: datetime | None) -> None:
    assert parse_vietnamese_date(text) == expected


def test_title_and_date_are_the_articles_not_the_page_furniture() -> None:
    page = f"""<html><head><title>Trang thông tin điện tử xã Ia Chim</title></head><body>
    <div class="top">Thứ tư, 10/12/2025</div><ul class="menu"><li><a href="/">Trang chủ</a></li></ul>
    <div class="tieu-de-bai">Xã Ia Chim ra quân tuyên truyền phòng chống mua bán người</div>
    <div>ngày 3 tháng 11 năm 2025</div>{BODY}
    <h3>Tin khác</h3><ul><li><a href="/1">Hội nghị tổng kết công tác dân vận năm 2024</a>
    (01/10/2025)</li></ul></body></html>"""
    got = extract(page)
    assert got.title == "Xã Ia Chim ra quân tuyên truyền phòng chống mua bán người"
    assert got.published_at == datetime(2025, 11, 3)
    assert "Đoạn 0" in got.text and "Đoạn 7" in got.text
    assert "Hội nghị tổng kết" not in got.text and "Trang chủ" not in got.text


def test_declared_metadata_wins_and_site_name_is_dropped() -> None:
    page = f"""<html><head><title>Hội thi tuyên truyền viên giỏi - Báo Gia Lai</title>
    <meta property="article:published_time" content="2025-11-04T08:30:00+07:00"></head><body>
    <h1>Báo Gia Lai</h1><h1>Hội thi tuyên truyền viên giỏi</h1><p>05/11/2025</p>{BODY}</body></html>"""
    got = extract(page)
    assert got.title == "Hội thi tuyên truyền viên giỏi"
    assert got.published_at == datetime(2025, 11, 4, 8, 30)


def test_layout_tables_do_not_turn_the_text_into_cells() -> None:
    cells = "".join(
        f"{n}. Nội dung tuyên truyền số {n} được phát trên loa.<br><br>" for n in range(12)
    )
    page = f"""<html><body><table><tr><td>Menu<br><a href="/">Trang chủ</a></td>
    <td><table><tr><td><strong class="tieude">Đài truyền thanh xã phát tin về nhân quyền</strong>
    </td></tr><tr><td>(05/11/2025)</td></tr><tr><td>{cells}{BODY}</td></tr></table></td></tr>
    </table></body></html>"""
    got = extract(page)
    assert got.title == "Đài truyền thanh xã phát tin về nhân quyền"
    assert got.published_at == datetime(2025, 11, 5)
    assert "|" not in got.text


def test_byline_and_nfc() -> None:
    decomposed = unicodedata.normalize("NFD", "Tuyên truyền về quyền con người ở cơ sở")
    page = f"<html><body><h1>{decomposed}</h1><p>03/11/2025</p>{BODY}<p><b>Bài, ảnh: Y Blông</b></p></body></html>"
    got = extract(page)
    assert got.title == unicodedata.normalize("NFC", decomposed)
    assert unicodedata.is_normalized("NFC", got.text)
    assert got.author == "Y Blông"
    assert "Y Blông" not in got.text


def test_split_byline_keeps_a_sentence() -> None:
    assert split_byline("Đoạn một.\nNgười dân hưởng ứng.") == (
        "Đoạn một.\nNgười dân hưởng ứng.",
        "",
    )
    assert split_byline("Đoạn một.\nMinh Anh") == ("Đoạn một.", "Minh Anh")


@pytest.mark.parametrize("page", ["", "   ", b"", "<html></html>"])
def test_empty_pages_give_empty_results(page: str | bytes) -> None:
    got = extract(page)
    assert got.title == "" and got.text == "" and got.published_at is None


def test_an_articles_own_header_and_time_element() -> None:
    page = f"""<html><head><title>Sở Tư pháp</title></head><body>
    <header class="site"><h1>SỞ TƯ PHÁP TỈNH KON TUM</h1><p>Thứ năm, 04/12/2025</p></header>
    <main><article><header><h1>Tập huấn tuyên truyền viên pháp luật năm 2025</h1>
    <time datetime="2025-11-03T14:20:00+07:00">3 Tháng Mười Một, 2025</time></header>
    {BODY}</article></main><footer>Sở Tư pháp tỉnh Kon Tum</footer></body></html>"""
    got = extract(page)
    assert got.title == "Tập huấn tuyên truyền viên pháp luật năm 2025"
    assert got.published_at == datetime(2025, 11, 3, 14, 20)


def test_declared_utc_time_is_read_in_the_local_zone() -> None:
    page = f"""<html><head><meta property="article:published_time" content="2025-11-03T20:30:00Z">
    </head><body><h1>Tuyên truyền lưu động tại xã biên giới</h1>{BODY}</body></html>"""
    assert extract(page).published_at == datetime(2025, 11, 4, 3, 30)
