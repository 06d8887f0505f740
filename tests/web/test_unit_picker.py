"""The board's unit pick lists at national size: past PICK_LIST_MAX units the page carries none
of them and asks /campaigns/{id}/unit-choices as the coordinator types."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine

from tests.web.conftest import Desk, fresh_database, serve
from tests.web.helpers import open_campaign
from tests.web.test_browser import open_sample_campaign, shot, sign_in
from trienkhai.db import session_scope
from trienkhai.units.models import Unit
from trienkhai.units.service import PICK_LIST_MAX

DB = tuple[Engine, dict[str, int]]
EXTRA = PICK_LIST_MAX + 20


def add_communes(engine: Engine) -> None:
    """EXTRA more active communes (a nation's registry in miniature), one of them Rờ Kơi Thượng."""
    with session_scope(engine) as session:
        session.add_all(
            Unit(code=f"xa-{i:04d}", name=f"UBND xã Thử Nghiệm {i:04d}", kind="commune")
            for i in range(EXTRA)
        )
        session.add(Unit(code="xa-ro-koi", name="UBND xã Rờ Kơi Thượng", kind="commune"))


def test_a_large_registry_is_not_written_into_the_board(desk: Desk, web_db: DB) -> None:
    add_communes(web_db[0])
    desk.login("dieuphoi")
    campaign_id = open_campaign(desk)
    board = desk.get(f"/campaigns/{campaign_id}").text
    assert f'data-source="/campaigns/{campaign_id}/unit-choices?free=1"' in board
    assert "Thử Nghiệm 0001" not in board and "Rờ Kơi" not in board


def test_unit_choices_fold_diacritics_skip_assigned_and_stop_at_fifty(
    desk: Desk, web_db: DB
) -> None:
    add_communes(web_db[0])
    desk.login("dieuphoi")
    campaign_id = open_campaign(desk)
    url = f"/campaigns/{campaign_id}/unit-choices"
    found = desk.get(url, params={"q": "ro koi thuong"}).json()
    assert [u["name"] for u in found] == ["UBND xã Rờ Kơi Thượng"]
    assert len(desk.get(url, params={"q": "thu nghiem"}).json()) == 50
    everyone = {u["id"] for u in desk.get(url, params={"q": "bao"}).json()}
    free = {u["id"] for u in desk.get(url, params={"q": "bao", "free": 1}).json()}
    assert web_db[1]["bao-kon-tum"] in everyone - free  # assigned by the sample: not offered


def test_unit_choices_are_for_those_who_steer(desk: Desk, web_db: DB) -> None:
    desk.login("dieuphoi")
    campaign_id = open_campaign(desk)
    assert desk.get("/campaigns/999/unit-choices").status_code == 404
    for reader in ("lanhdao", "baokontum"):
        desk.login(reader)
        assert desk.get(f"/campaigns/{campaign_id}/unit-choices").status_code == 403


@pytest.fixture(scope="module")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A live server whose registry is larger than a pick list holds."""
    path: Path = tmp_path_factory.mktemp("picker") / "picker.db"
    engine, _ = fresh_database(path)
    add_communes(engine)
    engine.dispose()
    yield from serve(path)


@pytest.mark.browser
@pytest.mark.slow
def test_typing_finds_a_unit_and_assigns_it(
    browser_page: Any, live_server: str, tmp_path: Path
) -> None:
    page, base = browser_page, live_server
    sign_in(page, base, "dieuphoi")
    open_sample_campaign(page, base, tmp_path, "Giao thêm xã")
    assert page.locator("#add-unit option").count() == 1  # only "choose a unit"
    page.fill("#add-find", "ro koi")
    page.wait_for_selector("#add-unit option:has-text('Rờ Kơi')", state="attached")
    assert page.locator("#add-unit").input_value() != ""
    page.get_by_role("button", name="Giao nhiệm vụ").click()
    page.wait_for_selector("text=UBND xã Rờ Kơi Thượng")
    shot(page, "board-unit-picker")
