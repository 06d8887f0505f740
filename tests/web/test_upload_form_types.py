"""The directive upload form lists the same file types the API accepts, and refuses the rest."""

from __future__ import annotations

import pytest

from tests.web.conftest import Desk
from trienkhai.documents.service import UPLOAD_SUFFIXES


def test_form_offers_exactly_the_accepted_list(desk: Desk) -> None:
    desk.login("dieuphoi")
    page = desk.get("/directives/new")
    assert f'accept="{",".join(UPLOAD_SUFFIXES)}"' in page.text


@pytest.mark.parametrize("name", ["chi-dao.odt", "chi-dao.rtf"])
def test_form_refuses_odt_and_rtf(desk: Desk, name: str) -> None:
    desk.login("dieuphoi")
    desk.get("/directives/new")
    response = desk.post("/directives", {}, files={"file": (name, b"{\\rtf1 x}", "text/rtf")})
    assert response.status_code == 415
    assert "không đúng định dạng" in response.text
