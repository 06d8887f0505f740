"""Directive uploads: the API accepts exactly the file types the upload form lists."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from tests.users.factories import api_client, bearer, make_account
from trienkhai.documents.service import UPLOAD_SUFFIXES
from trienkhai.users.models import Role


@pytest.mark.parametrize("name", ["chi-dao.odt", "chi-dao.rtf", "anh.png", "scan.tiff", "a.html"])
def test_api_refuses_types_the_form_does_not_list(session: Session, name: str) -> None:
    coord = make_account(session, role=Role.coordinator)
    response = api_client(session).post(
        "/api/v1/directives",
        headers=bearer(coord),
        files={"file": (name, b"{\\rtf1 x}", "application/octet-stream")},
    )
    assert response.status_code == 415
    assert name in response.json()["detail"]
    assert ".docx, .doc, .pdf hoặc .txt" in response.json()["detail"]


def test_one_list_for_form_and_api() -> None:
    assert UPLOAD_SUFFIXES == (".docx", ".doc", ".pdf", ".txt")
