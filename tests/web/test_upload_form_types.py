"""Upload forms: directive types as the API accepts them; an .xlsx with a DOCTYPE refused."""

from __future__ import annotations

import pytest

from tests.outputs.test_hostile_input import doctype_xlsx
from tests.web.conftest import Desk
from tests.web.helpers import open_campaign
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


def test_unit_page_refuses_an_xlsx_with_a_doctype(desk: Desk, web_db) -> None:  # type: ignore[no-untyped-def]
    _, ids = web_db
    desk.login("dieuphoi")
    campaign_id = open_campaign(desk)
    desk.login("baokontum")
    unit = ids["bao-kon-tum"]
    desk.get(f"/units/{unit}")
    xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    files = {"file": ("ket-qua.xlsx", doctype_xlsx(["Tiêu đề"]), xlsx)}
    page = desk.post(f"/units/{unit}/import", {"campaign_id": campaign_id}, files=files)
    assert page.status_code == 422
    assert "DOCTYPE" in page.text
