"""The library and the campaign list: directives named properly, linked both ways, body searched."""

from __future__ import annotations

import re

from sqlalchemy import Engine

from tests.web.conftest import Desk
from tests.web.helpers import open_campaign

DB = tuple[Engine, dict[str, int]]
SUBJECT = "đẩy mạnh tuyên truyền, đấu tranh phản bác về Nhân quyền"


def _cells(html: str) -> list[str]:
    """The first body row's cells of the page's table."""
    row = html.split("<tbody>", 1)[1].split("</tr>", 1)[0]
    return re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)


def test_campaign_list_names_the_directive_with_number_and_subject(desk: Desk) -> None:
    desk.login("dieuphoi")
    open_campaign(desk, subject="Chiến dịch nhân quyền 2024")
    page = desk.get("/campaigns")
    header = page.text.split("<thead>", 1)[1].split("</thead>", 1)[0]
    assert "Thư viện văn bản" not in header and "Văn bản chỉ đạo" in header
    cell = _cells(page.text)[1]
    assert re.search(r'<a href="/directives/\d+">', cell)
    assert "(chưa có số)/STTTT-TTBCXB" in cell  # a draft's blank number is said, not hidden
    assert ">/STTTT" not in cell


def test_library_shows_a_blank_number_and_links_the_directive_to_its_campaigns(
    desk: Desk,
) -> None:
    desk.login("dieuphoi")
    campaign_id = open_campaign(desk, subject="Chiến dịch nhân quyền 2024")
    page = desk.get("/library")
    cells = _cells(page.text)
    assert "(chưa có số)/STTTT-TTBCXB" in cells[0]
    assert f'<a href="/campaigns/{campaign_id}">Chiến dịch nhân quyền 2024</a>' in page.text


def test_directive_search_reads_the_body_ignoring_diacritics(desk: Desk) -> None:
    desk.login("dieuphoi")
    open_campaign(desk)
    # Only in the body ("Đối thoại nhân quyền thường niên giữa Việt Nam với Úc"), typed bare.
    for where in ("/library", "/search"):
        found = desk.get(where, params={"q": "doi thoai nhan quyen thuong nien"})
        assert "(chưa có số)/STTTT-TTBCXB" in found.text, where
    words = desk.get("/library", params={"q": "thuong nien  UPR"})  # words anywhere, any order
    assert "(chưa có số)/STTTT-TTBCXB" in words.text
    missing = desk.get("/library", params={"q": "nhan quyen xyzzy"})
    assert "(chưa có số)" not in missing.text
