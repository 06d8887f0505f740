"""Every main page in Vietnamese and English: no message key is missing or shown raw."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

import pytest
from sqlalchemy import Engine, select

from tests.web.conftest import Desk
from tests.web.helpers import GOOD_ROWS, open_campaign, outputs_xlsx
from trienkhai.campaigns.models import Campaign, UnresolvedPhrase
from trienkhai.db import session_scope
from trienkhai.web import i18n

PREFIXES = sorted({key.split(".", 1)[0] for key in i18n.MESSAGES})
# A key as t() returns it when the catalogue lacks it: "board.remind", "state.overdue".
RAW_KEY = re.compile(rf"\b(?:{'|'.join(PREFIXES)})\.[a-z_0-9]+(?:\.[a-z_0-9]+)*\b")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class Recording(dict[str, dict[str, str]]):
    """The catalogue, remembering every key asked for that it does not hold."""

    def __init__(self, data: dict[str, dict[str, str]]) -> None:
        super().__init__(data)
        self.missing: set[str] = set()

    def get(self, key: str, default: Any = None) -> Any:
        """Look a key up, noting it when absent."""
        if key not in self:
            self.missing.add(key)
        return super().get(key, default)


class VisibleText(HTMLParser):
    """The text a reader sees or hears: text nodes and the labelling attributes."""

    ATTRS = ("title", "aria-label", "placeholder", "alt", "hx-confirm")

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Skip scripts and styles; keep labelling attributes."""
        self._skip += tag in ("script", "style")
        self.parts += [v for k, v in attrs if k in self.ATTRS and v]

    def handle_endtag(self, tag: str) -> None:
        """Leave a script or style."""
        self._skip -= tag in ("script", "style")

    def handle_data(self, data: str) -> None:
        """Keep text outside scripts and styles."""
        if not self._skip:
            self.parts.append(data)


def visible(html: str) -> str:
    """The visible text of a page."""
    parser = VisibleText()
    parser.feed(html)
    return " ".join(parser.parts)


def test_every_message_has_both_languages() -> None:
    incomplete = [k for k, v in i18n.MESSAGES.items() if not v.get("vi") or not v.get("en")]
    assert incomplete == []


def _pages(desk: Desk, engine: Engine, ids: dict[str, int]) -> list[str]:
    """A campaign with outputs, a held import and an unmatched phrase; the URLs to look at."""
    desk.login("dieuphoi")
    campaign_id = open_campaign(desk)
    with session_scope(engine) as session:
        session.add(UnresolvedPhrase(campaign_id=campaign_id, phrase="Các đoàn thể"))
        directive_id = session.scalar(
            select(Campaign.directive_id).where(Campaign.id == campaign_id)
        )
    unit = ids["bao-kon-tum"]
    desk.get(f"/units/{unit}?campaign={campaign_id}")
    upload = {"file": ("kq.xlsx", outputs_xlsx(GOOD_ROWS), XLSX)}
    desk.post(f"/units/{unit}/import", {"campaign_id": campaign_id}, files=upload)
    return [
        "/campaigns",
        f"/campaigns/{campaign_id}",
        f"/campaigns/{campaign_id}/dashboard",
        f"/units/{unit}?campaign={campaign_id}",
        "/search?q=nhan+quyen",
        "/library",
        "/directives/new",
        f"/directives/{directive_id}",
        f"/directives/{directive_id}/review",
        "/campaigns/999999",
    ]


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_main_pages_have_no_untranslated_key(
    desk: Desk, web_db: tuple[Engine, dict[str, int]], lang: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    catalogue = Recording(i18n.MESSAGES)
    monkeypatch.setattr(i18n, "MESSAGES", catalogue)
    urls = _pages(desk, *web_db)
    desk.get(f"/lang/{lang}?next=/campaigns")
    raw: dict[str, list[str]] = {}
    for url in urls:
        response = desk.get(url)
        assert f'<html lang="{lang}">' in response.text, url
        found = RAW_KEY.findall(visible(response.text))
        if found:
            raw[url] = found
    anonymous = desk.client.post("/logout", data={"csrf": desk.token})
    assert anonymous.status_code in (200, 303)
    raw_login = RAW_KEY.findall(visible(desk.get("/login").text))
    assert catalogue.missing == set()
    assert raw == {}
    assert raw_login == []


def test_english_pages_use_english_labels(
    desk: Desk, web_db: tuple[Engine, dict[str, int]]
) -> None:
    urls = _pages(desk, *web_db)
    desk.get("/lang/en?next=/campaigns")
    board = desk.get(urls[1]).text
    assert "Assignments by unit" in board and "Find a unit" in board and "Dismiss" in board
    unit = desk.get(urls[3]).text
    assert "What we logged" in unit and "Not verified" in unit
    assert "Nhiệm vụ theo đơn vị" not in board
